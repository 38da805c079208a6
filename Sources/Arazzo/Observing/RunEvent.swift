/// Live progress of a run: what happened (``kind``) and where (``context``: the workflow run, its
/// parent, the step and attempt). Switch over ``kind``:
///
/// ```swift
/// switch event.kind {
/// case .workflowStarted: print("▶ \(event.context.workflowId) [\(event.context.runId)]")
/// case .stepStarted: break
/// case .stepFinished(let trace): print("  \(trace.stepId) #\(trace.attempt): \(trace.action)")
/// case .workflowFinished(let result): print("■ \(result.workflowId): \(result.succeeded)")
/// }
/// ```
public struct RunEvent: Sendable {
    /// What happened.
    public enum Kind: Sendable {
        /// A workflow run started: the requested workflow, a dependency, or one a step, `goto` or
        /// retry action called. Always followed, later, by its ``workflowFinished(_:)``.
        case workflowStarted
        /// A step attempt started. Always followed by its ``stepFinished(_:)`` before anything
        /// else of the same run.
        case stepStarted
        /// A step attempt finished (secrets redacted).
        case stepFinished(StepTrace)
        /// A workflow run finished (secrets redacted).
        case workflowFinished(RunResult)
    }

    /// What happened.
    public var kind: Kind
    /// Which workflow run, step and attempt it happened in.
    public var context: RunEventContext

    /// An event of `kind` in `context`.
    public init(_ kind: Kind, context: RunEventContext) {
        self.kind = kind
        self.context = context
    }
}

/// Where a run event happened: the workflow run (with its unique id), the run that caused it, and
/// for step events the step and attempt. Logs, traces and UIs correlate events by these fields
/// (docs/observability.md).
public struct RunEventContext: Sendable, Hashable, Codable {
    /// The id of this workflow run, unique across runs and engines: a random prefix per
    /// ``DocumentRun`` (or single run) and a counter, e.g. `4f1c9a07d2b6e835-3`. Every workflow
    /// run gets its own, including dependencies and workflows called by a step or an action.
    public var runId: String
    /// The run that caused this one: the run of the workflow whose step called it (a
    /// `workflowId` step), whose `goto` or retry action went to it, or which `dependsOn` it
    /// (decision O1). Nil for a top-level run (an entry of ``WorkflowEngine/run(workflowId:inputs:)``
    /// or of a run-all).
    public var parentRunId: String?
    /// The step of the parent run that caused this run (the `workflowId` step, or the step whose
    /// action did); nil at top level and for a dependency, which runs before any step.
    public var parentStepId: String?
    /// The workflow of this run.
    public var workflowId: String
    /// The step, for step events; nil for workflow events.
    public var stepId: String?
    /// The step's attempt (1 for the first, 2 for the first retry, …), for step events; nil for
    /// workflow events.
    public var attempt: Int?

    /// Creates a context.
    public init(
        runId: String, parentRunId: String? = nil, parentStepId: String? = nil, workflowId: String, stepId: String? = nil,
        attempt: Int? = nil
    ) {
        self.runId = runId
        self.parentRunId = parentRunId
        self.parentStepId = parentStepId
        self.workflowId = workflowId
        self.stepId = stepId
        self.attempt = attempt
    }
}

/// Watches runs: paired callbacks for workflow runs and step attempts, each with its
/// ``RunEventContext``. Register observers in ``RunOptions/observers``; every method has a
/// default that does nothing, so implement only what you need.
///
/// Pairing is guaranteed: every `workflowStarted` is followed by exactly one `workflowFinished`
/// with the same ``RunEventContext/runId``, and every `stepStarted` by exactly one
/// `stepFinished` of the same run, step and attempt — also when the request fails or times out,
/// a step `timeout` or the run deadline passes, or the run's task is cancelled (those end as
/// failed steps and runs). A run refused before it starts (unknown workflow, inputs that violate
/// the schema) calls nothing.
///
/// Callbacks are made synchronously on the run's task, in order: keep them short (hand work to
/// another task if it is slow). Traces and results are already redacted.
public protocol RunObserver: Sendable {
    /// A workflow run started (`context.stepId` is nil).
    func workflowStarted(_ context: RunEventContext)
    /// The workflow run of `context` finished with `result`.
    func workflowFinished(_ result: RunResult, context: RunEventContext)
    /// A step attempt started (`context.stepId` and `context.attempt` are set).
    func stepStarted(_ context: RunEventContext)
    /// The step attempt of `context` finished; `trace` is what it did.
    func stepFinished(_ trace: StepTrace, context: RunEventContext)
}

extension RunObserver {
    /// Does nothing.
    public func workflowStarted(_ context: RunEventContext) {}
    /// Does nothing.
    public func workflowFinished(_ result: RunResult, context: RunEventContext) {}
    /// Does nothing.
    public func stepStarted(_ context: RunEventContext) {}
    /// Does nothing.
    public func stepFinished(_ trace: StepTrace, context: RunEventContext) {}
}

/// The observer behind the event handlers and streams (``WorkflowEngine/events(workflowId:inputs:)``):
/// each callback becomes one ``RunEvent``.
public struct RunEventObserver: RunObserver {
    /// Receives every event.
    public let handler: @Sendable (RunEvent) -> Void

    /// An observer that hands each callback to `handler` as a ``RunEvent``.
    public init(_ handler: @escaping @Sendable (RunEvent) -> Void) {
        self.handler = handler
    }

    /// Sends `.workflowStarted`.
    public func workflowStarted(_ context: RunEventContext) { handler(RunEvent(.workflowStarted, context: context)) }
    /// Sends `.workflowFinished(result)`.
    public func workflowFinished(_ result: RunResult, context: RunEventContext) {
        handler(RunEvent(.workflowFinished(result), context: context))
    }
    /// Sends `.stepStarted`.
    public func stepStarted(_ context: RunEventContext) { handler(RunEvent(.stepStarted, context: context)) }
    /// Sends `.stepFinished(trace)`.
    public func stepFinished(_ trace: StepTrace, context: RunEventContext) {
        handler(RunEvent(.stepFinished(trace), context: context))
    }
}
