import Logging

/// The run's log lines (``RunOptions/logger``), made from the same redacted traces and results the
/// reports use, so a secret that is `[REDACTED]` in `-v` output or a HAR file is `[REDACTED]` in
/// the log too (decision O2):
///
/// - `trace`: each step attempt as it starts.
/// - `debug`: each request (method, URL, status or why none came, duration), each message a step
///   sent or received, each criterion's verdict, notes, and the action taken after the attempt.
/// - `info`: each workflow run's start and end with its outcome.
/// - `warning`: retries exhausted, a run guard or timeout that stopped a workflow, a cancelled
///   run, and the result's warnings (an output that did not resolve).
///
/// Every line carries the metadata `runId`, `workflowId` and, when there is one, `parentRunId`;
/// step lines add `stepId` and `attempt`.
struct RunLogging: RunObserver {
    let logger: Logger

    /// Nil when the logger would drop every line the run logs (the default logger drops all).
    init?(logger: Logger) {
        guard logger.logLevel <= .warning else { return nil }
        self.logger = logger
    }

    func workflowStarted(_ context: RunEventContext) {
        var line = "workflow \(context.workflowId) started"
        if let parent = context.parentStepId { line += " (called by step \(parent))" }
        logger.info("\(line)", metadata: Self.metadata(context))
    }

    func workflowFinished(_ result: RunResult, context: RunEventContext) {
        let metadata = Self.metadata(context)
        switch result.outcome {
        case .succeeded:
            logger.info("workflow \(result.workflowId) succeeded in \(Self.format(result.duration))", metadata: metadata)
        case .failed(let reason):
            logger.info(
                "workflow \(result.workflowId) failed in \(Self.format(result.duration)) [\(reason.kind)]: \(reason)",
                metadata: metadata)
            switch reason.kind {
            case .retriesExhausted:
                logger.warning("retries exhausted: \(reason)", metadata: metadata)
            case .maxSteps, .maxDepth, .deadline, .timeout, .cancelled:
                logger.warning("workflow \(result.workflowId) stopped [\(reason.kind)]: \(reason)", metadata: metadata)
            default:
                break
            }
        }
        for warning in result.warnings {
            logger.warning("\(warning)", metadata: metadata)
        }
    }

    func stepStarted(_ context: RunEventContext) {
        guard logger.logLevel <= .trace else { return }
        logger.trace("step \(context.stepId ?? "?") attempt \(context.attempt ?? 1) started", metadata: Self.metadata(context))
    }

    func stepFinished(_ trace: StepTrace, context: RunEventContext) {
        guard logger.logLevel <= .debug else { return }
        let metadata = Self.metadata(context)
        if let request = trace.request {
            var line = "\(request.method) \(request.url)"
            if let response = trace.response {
                line += " → \(response.status) in \(Self.format(response.duration > .zero ? response.duration : trace.duration))"
            } else if let error = trace.transportError {
                line += " → no response: \(error)"
            } else {
                line += " → not sent"
            }
            logger.debug("\(line)", metadata: metadata)
        } else if let message = trace.message {
            var line = "\(message.action) on channel \(message.channel)"
            if let endpoint = message.endpoint { line += " (\(endpoint.url))" }
            if let error = message.error {
                line += " → \(error.kind.rawValue): \(error.message)"
            } else {
                line += message.message == nil ? " → nothing" : " → ok"
            }
            logger.debug("\(line)", metadata: metadata)
        }
        for verdict in trace.criteria {
            logger.debug("criterion \(verdict.passed ? "passed" : "failed"): \(verdict.explanation)", metadata: metadata)
        }
        for note in trace.notes {
            logger.debug("note: \(note)", metadata: metadata)
        }
        var decision = "step \(trace.stepId) \(trace.succeeded ? "succeeded" : "failed")"
        if trace.action == .sideStep {
            decision += "; ran on the side of a retry, no action of its own"
        } else {
            decision += "; action: \(trace.action)"
            if let name = trace.actionName { decision += " (\(name))" }
        }
        logger.debug("\(decision)", metadata: metadata)
    }

    /// The correlation fields of `context` as log metadata.
    static func metadata(_ context: RunEventContext) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["runId": .string(context.runId), "workflowId": .string(context.workflowId)]
        if let parent = context.parentRunId { metadata["parentRunId"] = .string(parent) }
        if let stepId = context.stepId { metadata["stepId"] = .string(stepId) }
        if let attempt = context.attempt { metadata["attempt"] = .string(String(attempt)) }
        return metadata
    }

    /// `12ms` under a second, `1.25s` above.
    static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        return "\((seconds * 100).rounded() / 100)s"
    }
}
