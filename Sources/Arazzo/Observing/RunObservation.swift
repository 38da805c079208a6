import Logging
/// The one place a run reports what it does: the session calls it when a workflow run or a step
/// attempt starts and finishes, and it hands that, with the run ids, to the event handler of the
/// current entry, the observers of ``RunOptions/observers`` and the run's logger
/// (``RunLogging``). It keeps the stack of workflow runs in progress, so nested runs get their
/// parent's ids. Used by the session's one task.
final class RunObservation {
    /// A workflow run in progress, and the step attempt it is at (the last one started).
    private struct Frame {
        var context: RunEventContext
        var stepId: String?
        var attempt: Int?
    }

    private let observers: [any RunObserver]
    /// The event handler of the current entry (``DocumentRun/run(workflowId:inputs:events:)``).
    private var handler: RunEventObserver?
    /// Random, per session: with the counter it makes run ids unique across sessions.
    private lazy var prefix: String = Self.randomPrefix()
    private var counter = 0
    private var frames: [Frame] = []

    /// The options' observers and logger, passed alone: passing the options copied them all.
    init(observers: [any RunObserver], logger: Logger) {
        var observers = observers
        if let logging = RunLogging(logger: logger) { observers.append(logging) }
        self.observers = observers
    }

    /// 16 random hex digits: the run-id prefix of one session.
    static func randomPrefix() -> String {
        let random = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - random.count) + random
    }

    /// Sets the event handler for the next entry (nil: none).
    func setHandler(_ events: (@Sendable (RunEvent) -> Void)?) {
        handler = events.map(RunEventObserver.init)
    }

    /// Whether anything receives what is reported.
    private var isListening: Bool { handler != nil || !observers.isEmpty }

    /// The context of the workflow run in progress, when there is one.
    var current: RunEventContext? { frames.last?.context }

    /// A workflow run starts: it gets a new run id and, when another run is in progress, that one
    /// as its parent. Pass the context returned to ``workflowFinished(_:context:)``.
    func workflowStarted(_ workflowId: String) -> RunEventContext {
        let parent = frames.last
        counter += 1
        // Nobody listens (no handler, observer or logger; they are fixed for an entry's whole
        // stack of runs): the ids would never be read, so none is written.
        let context = isListening
            ? RunEventContext(
                runId: "\(prefix)-\(counter)", parentRunId: parent?.context.runId, parentStepId: parent?.stepId,
                workflowId: workflowId)
            : RunEventContext(runId: "", workflowId: workflowId)
        frames.append(Frame(context: context))
        handler?.workflowStarted(context)
        for observer in observers { observer.workflowStarted(context) }
        return context
    }

    /// The workflow run of `context` finished (any runs it left open are closed with it).
    func workflowFinished(_ result: RunResult, context: RunEventContext) {
        if let index = frames.lastIndex(where: { $0.context.runId == context.runId }) {
            frames.removeSubrange(index...)
        }
        handler?.workflowFinished(result, context: context)
        for observer in observers { observer.workflowFinished(result, context: context) }
    }

    /// A step attempt of the current workflow run starts.
    func stepStarted(stepId: String, attempt: Int) {
        if !frames.isEmpty {
            frames[frames.count - 1].stepId = stepId
            frames[frames.count - 1].attempt = attempt
        }
        // Nobody listens (the reused engine's usual case): no context is built.
        guard isListening else { return }
        let context = stepContext(stepId: stepId, attempt: attempt)
        handler?.stepStarted(context)
        for observer in observers { observer.stepStarted(context) }
    }

    /// A step attempt of the current workflow run finished (`trace` is redacted).
    func stepFinished(_ trace: StepTrace) {
        guard isListening else { return }
        let context = stepContext(stepId: trace.stepId, attempt: trace.attempt)
        handler?.stepFinished(trace, context: context)
        for observer in observers { observer.stepFinished(trace, context: context) }
    }

    private func stepContext(stepId: String, attempt: Int) -> RunEventContext {
        var context = frames.last?.context ?? RunEventContext(runId: "\(prefix)-0", workflowId: "")
        context.stepId = stepId
        context.attempt = attempt
        return context
    }
}
