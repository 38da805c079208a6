public import ArazzoDiagnostics
public import OrderedCollections

/// A sequence of steps with inputs and outputs (spec: "Workflow Object").
public struct Workflow: Sendable, Hashable {
    /// `workflowId` (required): unique in the document, case-sensitive.
    public let workflowId: String
    /// `summary`.
    public let summary: String?
    /// `description` (CommonMark).
    public let description: String?
    /// `inputs`: a JSON Schema 2020-12 for `$inputs` (may `$ref` into `#/components/inputs/…`).
    public let inputs: LocatedValue?
    /// `dependsOn`: local workflowIds or `$sourceDescriptions.<name>.<workflowId>` expressions.
    public let dependsOn: [ExpressionString]
    /// `steps` (required, ≥ 1), in order.
    public let steps: [Step]
    /// `successActions`: defaults for every step's `onSuccess`.
    public let successActions: [OrReusable<SuccessAction>]
    /// `failureActions`: defaults for every step's `onFailure`.
    public let failureActions: [OrReusable<FailureAction>]
    /// `outputs`: name → runtime expression, in document order.
    public let outputs: OrderedDictionary<String, ExpressionString>
    /// `parameters`: defaults for every step.
    public let parameters: [OrReusable<Parameter>]
    /// `outputs` written as Selector Objects (Arazzo 1.1), by name; ``outputs`` holds the rest.
    public internal(set) var outputSelectors: OrderedDictionary<String, Selector> = [:]
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]

    /// The step with `stepId`, if any.
    public func step(_ stepId: String) -> Step? {
        steps.first { $0.stepId == stepId }
    }

    /// The index of the step with `stepId` in ``steps``, if any.
    public func stepIndex(_ stepId: String) -> Int? {
        steps.firstIndex { $0.stepId == stepId }
    }
}
