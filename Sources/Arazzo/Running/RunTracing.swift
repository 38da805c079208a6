import ArazzoExecutor
import ArazzoJSON
import ArazzoAsyncAPI
import ArazzoOpenAPI
import Tracing

// Spans of a run (docs/observability.md, "Tracing"): one per workflow run, one per step attempt
// under it, and the executor's HTTP client span under the step. A workflow a step calls runs
// inside that step's span; a dependency, a `goto` target or a retry side trip inside the
// workflow span that reached it.
//
// The tracer is the active one (`InstrumentationSystem.tracer`: a `withTracer` scope, else the
// bootstrapped one). Without one it is `NoOpTracer`, and the run then starts no span, sets no
// task-local context and changes no request: the hooks below are a nil check.
//
// Nothing secret reaches a span: attribute values are names the document declares, counts and
// kinds; URLs and failure messages pass through the run's redactor first.

/// The span attribute names the engine sets (the `arazzo.` namespace is ours; `url.full` and
/// `http.*` follow the OpenTelemetry HTTP semantic conventions).
enum RunSpanAttribute {
    static let workflowId = "arazzo.workflow.id"
    static let document = "arazzo.document"
    static let depth = "arazzo.workflow.depth"
    static let outcome = "arazzo.outcome"
    static let failureKind = "arazzo.failure.kind"
    static let failureStep = "arazzo.failure.step_id"
    static let stepId = "arazzo.step.id"
    static let attempt = "arazzo.step.attempt"
    static let stepKind = "arazzo.step.kind"
    static let operation = "arazzo.step.operation"
    static let operationId = "arazzo.step.operation_id"
    static let operationPath = "arazzo.step.operation_path"
    static let source = "arazzo.step.source"
    static let calledWorkflow = "arazzo.step.workflow_id"
    static let channel = "arazzo.step.channel"
    static let criteria = "arazzo.step.criteria"
    static let criteriaPassed = "arazzo.step.criteria.passed"
    static let criteriaFailed = "arazzo.step.criteria.failed"
    static let statusCode = "http.response.status_code"
    static let method = "http.request.method"
    static let url = "url.full"
}

extension RunSession {
    /// The tracer spans go to, nil when none records (`NoOpTracer`).
    static func activeTracer() -> (any Tracer)? {
        // The default instrument first: the full search below casts to `any Tracer` each time.
        if ActiveInstrument.isNone { return nil }
        let tracer = InstrumentationSystem.tracer
        return tracer is NoOpTracer ? nil : tracer
    }

    /// Runs `body` (one workflow run) inside a `workflow <id>` span that ends with its outcome.
    nonisolated(nonsending) func traced(_ workflow: CompiledWorkflow, depth: Int, _ body: nonisolated(nonsending) () async -> RunResult) async -> RunResult {
        guard isTracing, let tracer else { return await body() }
        let span = tracer.startSpan("workflow \(workflow.workflowId)", ofKind: .internal)
        span.attributes[RunSpanAttribute.workflowId] = workflow.workflowId
        span.attributes[RunSpanAttribute.document] = Self.withoutUserInfo(workflow.key.unitURL)
        span.attributes[RunSpanAttribute.depth] = depth
        let result = await InstrumentationContext.withValue(span.context) { await body() }
        switch result.outcome {
        case .succeeded:
            span.attributes[RunSpanAttribute.outcome] = "succeeded"
        case .failed(let reason):
            // `finish` has already redacted the reason.
            span.attributes[RunSpanAttribute.outcome] = "failed"
            span.attributes[RunSpanAttribute.failureKind] = reason.kind.rawValue
            span.attributes[RunSpanAttribute.failureStep] = reason.stepId
            span.setStatus(SpanStatus(code: .error, message: reason.description))
        }
        span.end()
        return result
    }

    /// Runs `body` (one attempt of `step`) inside a `step <id>` span that ends with the attempt's
    /// outcome and criteria verdict; the request the attempt sends is made inside it.
    nonisolated(nonsending) func traced(
        _ step: CompiledStep, of workflow: CompiledWorkflow, attempt: Int, _ execution: inout StepExecution,
        _ body: nonisolated(nonsending) (inout StepExecution) async -> Void
    ) async {
        guard isTracing, let tracer else { return await body(&execution) }
        let span = tracer.startSpan("step \(step.stepId)", ofKind: .internal)
        span.attributes[RunSpanAttribute.workflowId] = workflow.workflowId
        span.attributes[RunSpanAttribute.stepId] = step.stepId
        span.attributes[RunSpanAttribute.attempt] = attempt
        span.attributes[RunSpanAttribute.operation] = step.operationText
        switch step.target {
        case .success(.operation(let sourceName, _, let operation)):
            span.attributes[RunSpanAttribute.stepKind] = "operation"
            span.attributes[RunSpanAttribute.source] = sourceName
            span.attributes[RunSpanAttribute.operationId] = operation.operationId
            span.attributes[RunSpanAttribute.operationPath] = "\(operation.method.uppercased()) \(operation.path)"
        case .success(.workflow(let key)):
            span.attributes[RunSpanAttribute.stepKind] = "workflow"
            span.attributes[RunSpanAttribute.calledWorkflow] = key.workflowId
        case .success(.message(let target)):
            span.attributes[RunSpanAttribute.stepKind] = "message"
            span.attributes[RunSpanAttribute.source] = target.sourceName
            span.attributes[RunSpanAttribute.channel] = target.channel.key
        case .failure:
            span.attributes[RunSpanAttribute.stepKind] = "unresolved"
        }
        await InstrumentationContext.withValue(span.context) { await body(&execution) }
        let trace = execution.trace
        if let request = trace.request {
            span.attributes[RunSpanAttribute.method] = request.method
            span.attributes[RunSpanAttribute.url] = redactor.redactURL(request.url)
        }
        if let status = trace.response?.status { span.attributes[RunSpanAttribute.statusCode] = status }
        let passed = trace.criteria.count { $0.passed }
        span.attributes[RunSpanAttribute.criteriaPassed] = passed
        span.attributes[RunSpanAttribute.criteriaFailed] = trace.criteria.count - passed
        span.attributes[RunSpanAttribute.criteria] =
            trace.criteria.isEmpty ? "none" : passed == trace.criteria.count ? "passed" : "failed"
        if execution.succeeded {
            span.attributes[RunSpanAttribute.outcome] = "succeeded"
        } else {
            span.attributes[RunSpanAttribute.outcome] = "failed"
            span.attributes[RunSpanAttribute.failureKind] = execution.failureKind.rawValue
            if let error = trace.transportError {
                var redacted = error
                redacted.message = redactor.redact(error.message)
                span.recordError(redacted)
            }
            span.setStatus(SpanStatus(code: .error, message: redactor.redact(execution.failureMessage)))
        }
        span.end()
    }

    /// The request as it is sent while a tracer records: the current context (the step span)
    /// injected into its headers (W3C `traceparent` for an OpenTelemetry tracer), so any
    /// executor propagates it, and its redacted URL for executors that trace or log it. The
    /// request the run records is the one before this.
    func outgoing(_ request: HTTPRequest) -> HTTPRequest {
        guard isTracing, let tracer else { return request }
        var sent = request.injecting(InstrumentationContext.current ?? .topLevel, through: tracer)
        sent.redactedURL = redactor.redactURL(request.url)
        return sent
    }

    /// A document location without `user:password@` (an http(s) URL may carry one).
    private static func withoutUserInfo(_ location: String) -> String {
        guard let scheme = location.firstRange(of: "://") else { return location }
        let authorityStart = scheme.upperBound
        let authorityEnd = location[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? location.endIndex
        guard let at = location[authorityStart..<authorityEnd].lastIndex(of: "@") else { return location }
        return String(location[..<authorityStart]) + location[location.index(after: at)...]
    }
}
