public import ArazzoDiagnostics

/// Where a `goto` (or a `retry` side trip) goes: a step of the current workflow or a workflow.
public enum ActionTarget: Sendable, Hashable {
    /// `stepId`: a step of the current workflow.
    case stepId(ExpressionString)
    /// `workflowId`: a local workflowId or `$sourceDescriptions.<name>.<workflowId>`.
    case workflowId(ExpressionString)

    /// The field's raw value.
    public var expression: ExpressionString {
        switch self {
        case .stepId(let e), .workflowId(let e): return e
        }
    }
}

/// What to do when a step succeeds (spec: "Success Action Object").
public struct SuccessAction: Sendable, Hashable {
    /// `type`.
    public enum ActionType: String, Sendable, Hashable, CaseIterable {
        /// End the workflow with its outputs.
        case end
        /// Continue at a step or workflow.
        case goto
    }

    /// `name` (required), case-sensitive; identity for overriding.
    public let name: String
    /// `type` (required).
    public let type: ActionType
    /// `stepId` or `workflowId`: set exactly when `type` is `goto` in a valid document.
    public let target: ActionTarget?
    /// `criteria`: all must pass for the action to be taken; empty means always.
    public let criteria: [Criterion]
    /// `parameters` (Arazzo 1.1): inputs for the workflow a `goto` or `retry` names.
    public internal(set) var parameters: [OrReusable<Parameter>] = []
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
}
