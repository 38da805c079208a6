public import ArazzoDiagnostics

/// What to do when a step fails (spec: "Failure Action Object").
public struct FailureAction: Sendable, Hashable {
    /// `type`.
    public enum ActionType: String, Sendable, Hashable, CaseIterable {
        /// End the workflow (as a failure, decision A16).
        case end
        /// Retry the current step, optionally after running a step or workflow.
        case retry
        /// Continue at a step or workflow.
        case goto
    }

    /// `name` (required), case-sensitive; identity for overriding.
    public let name: String
    /// `type` (required).
    public let type: ActionType
    /// `stepId` or `workflowId`: required for `goto`, optional for `retry`, absent for `end`.
    public let target: ActionTarget?
    /// `retryAfter`: seconds (≥ 0) before retrying; only for `retry`.
    public let retryAfter: Double?
    /// `retryLimit`: retries (≥ 0) allowed; only for `retry`; nil means one retry.
    public let retryLimit: Int?
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
