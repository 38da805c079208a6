public import ArazzoDiagnostics
public import OrderedCollections

/// One call to an API operation or to another workflow (spec: "Step Object").
public struct Step: Sendable, Hashable {
    /// What a step calls: exactly one of `operationId`, `operationPath`, `workflowId`.
    public enum Target: Sendable, Hashable {
        /// `operationId`: a bare id, or `$sourceDescriptions.<name>.<operationId>`.
        case operationId(ExpressionString)
        /// `operationPath`: `{$sourceDescriptions.<name>.url}#<json-pointer>`.
        case operationPath(ExpressionString)
        /// `workflowId`: a local id, or `$sourceDescriptions.<name>.<workflowId>`.
        case workflowId(ExpressionString)
        /// `channelPath` (Arazzo 1.1, AsyncAPI): `{$sourceDescriptions.<name>.url}#<json-pointer>`
        /// to a channel.
        case channelPath(ExpressionString)

        /// The field's raw value.
        public var expression: ExpressionString {
            switch self {
            case .operationId(let e), .operationPath(let e), .workflowId(let e), .channelPath(let e): return e
            }
        }

        /// The spec field name (`operationId`, `operationPath` or `workflowId`).
        public var fieldName: String {
            switch self {
            case .operationId: return "operationId"
            case .operationPath: return "operationPath"
            case .workflowId: return "workflowId"
            case .channelPath: return "channelPath"
            }
        }

        /// Whether the step calls a workflow rather than an operation.
        public var isWorkflow: Bool {
            if case .workflowId = self { return true }
            return false
        }
    }

    /// `stepId` (required): unique within the workflow.
    public let stepId: String
    /// `description` (CommonMark).
    public let description: String?
    /// The operation or workflow this step calls.
    public let target: Target
    /// `parameters`: override workflow-level ones with the same identity.
    public let parameters: [OrReusable<Parameter>]
    /// `requestBody`: for operation steps.
    public let requestBody: RequestBody?
    /// `successCriteria`: all must pass for the step to succeed.
    public let successCriteria: [Criterion]
    /// `onSuccess`.
    public let onSuccess: [OrReusable<SuccessAction>]
    /// `onFailure`.
    public let onFailure: [OrReusable<FailureAction>]
    /// `outputs`: name → runtime expression, in document order.
    public let outputs: OrderedDictionary<String, ExpressionString>
    /// `timeout` (Arazzo 1.1): milliseconds the step may take before it fails.
    public internal(set) var timeout: Int? = nil
    /// `dependsOn` (Arazzo 1.1): steps that must complete before this one starts (`<stepId>`,
    /// `$workflows.<id>.steps.<stepId>` or `$sourceDescriptions.<name>.<id>.steps.<stepId>`).
    public internal(set) var dependsOn: [ExpressionString] = []
    /// `action` (Arazzo 1.1, AsyncAPI steps): send to or receive from the channel.
    public internal(set) var action: AsyncAction? = nil
    /// `correlationId` (Arazzo 1.1, AsyncAPI receive steps): the value a received message must carry.
    public internal(set) var correlationId: LocatedValue? = nil
    /// `outputs` written as Selector Objects (Arazzo 1.1), by name; ``outputs`` holds the rest.
    public internal(set) var outputSelectors: OrderedDictionary<String, Selector> = [:]
    /// `x-*` fields.
    public let extensions: Extensions
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where each field's value starts, by field name.
    public let locations: [String: SourceLocation]
}
