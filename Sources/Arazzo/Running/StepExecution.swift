import Foundation
import ArazzoJSON
import ArazzoExecutor
import ArazzoExpressions

/// One attempt of one step, before an action is chosen.
struct StepExecution {
    var trace: StepTrace
    var succeeded: Bool
    /// The outputs that resolved (not redacted: later steps read them).
    var outputs: JSONObject
    /// What action criteria are evaluated against.
    var context: EvaluationContext
    var failureKind: String = ""
    var failureMessage: String = ""
    /// The response's `Retry-After`, when present and valid.
    var retryAfterHeader: Duration?
    /// The run of the called workflow, for workflow steps.
    var child: RunResult?
}

extension RunSession {
    func executeStep(
        _ step: CompiledStep, workflow: CompiledWorkflow, inputs: JSONValue, stepOutputs: [String: JSONObject],
        depth: Int, attempt: Int
    ) async -> StepExecution {
        let started = ContinuousClock.now
        var context = EvaluationContext(
            exchange: nil, inputsValue: inputs, outputsValue: nil, steps: stepOutputs,
            workflowValues: workflowValues, sourceURLs: workflow.sourceURLs)
        var execution = StepExecution(
            trace: StepTrace(stepId: step.stepId, operation: step.operationText, attempt: attempt),
            succeeded: false, outputs: [:], context: context)

        switch step.target {
        case .failure(let failure):
            execution.failureKind = "operation"
            execution.failureMessage = failure.message
            execution.trace.notes.append(failure.message)
        case .success(.workflow(let key)):
            await executeWorkflowStep(step, key: key, context: &context, execution: &execution, depth: depth)
        case .success(.message(let target)):
            await executeMessageStep(step, target: target, context: &context, execution: &execution)
        case .success(.operation(let sourceName, let document, let operation)):
            await executeOperationStep(
                step, sourceName: sourceName, document: document, operation: operation, context: &context,
                execution: &execution)
        }
        execution.context = context
        execution.trace.duration = started.duration(to: ContinuousClock.now)
        markSecretOutputs(of: step, in: workflow, outputs: execution.outputs)
        return execution
    }

    /// Registers the values of the step's secret outputs for redaction, before the step's own
    /// trace is recorded (its response body carries the value too).
    private func markSecretOutputs(of step: CompiledStep, in workflow: CompiledWorkflow, outputs: JSONObject) {
        guard !outputs.isEmpty, !(step.secretOutputNames.isEmpty && options.secretOutputs.isEmpty) else { return }
        for (name, value) in outputs
        where step.secretOutputNames.contains(name)
            || options.secretOutputs.contains(workflowId: workflow.workflowId, stepId: step.stepId, outputName: name) {
            redactor.add(secretValue: value)
        }
    }

    private func executeOperationStep(
        _ step: CompiledStep, sourceName: String, document: OpenAPIDocument, operation: OpenAPIOperation,
        context: inout EvaluationContext, execution: inout StepExecution
    ) async {
        let built: BuiltRequest
        switch await buildRequest(step: step, sourceName: sourceName, document: document, operation: operation, context: context) {
        case .failure(let failure):
            execution.failureKind = "request"
            execution.failureMessage = "the request could not be built: \(failure.message)"
            execution.trace.notes.append(contentsOf: failure.notes)
            execution.trace.notes.append(execution.failureMessage)
            return
        case .success(let b):
            built = b
        }
        // Which operation this is, for an executor that answers from the descriptions: a URL
        // alone can match operations of several sources, or none (`/{Bucket}?uploads`).
        var request = built.request
        request.operation = OperationReference(document: document.url, pointer: operation.pointer)
        execution.trace.request = request
        execution.trace.notes.append(contentsOf: built.notes)
        context.exchange = built.exchange

        if options.dryRun {
            execution.succeeded = true
            execution.trace.succeeded = true
            execution.trace.notes.append("dry run: request not sent")
            return
        }

        let response: HTTPResponse
        do {
            response = try await options.executor.execute(request)
        } catch {
            // A12: a transport error is a step failure; $statusCode and $response.* stay
            // unresolved, and onFailure runs as for any failure.
            var error = error
            if Task.isCancelled { error = TransportError(.cancelled, "the run was cancelled") }
            execution.trace.transportError = error
            execution.failureKind = "transport"
            execution.failureMessage = "no response: \(error.description)"
            evaluateCriteriaAndOutputs(step, context: context, execution: &execution, hasResponse: false)
            return
        }
        if response.body.count > options.limits.maxResponseBytes {
            let error = TransportError(.bodyTooLarge, "the response body has \(response.body.count) bytes, more than the \(options.limits.maxResponseBytes) allowed")
            execution.trace.transportError = error
            execution.failureKind = "transport"
            execution.failureMessage = "no usable response: \(error.description)"
            return
        }
        built.exchange.response = response
        execution.trace.response = response
        execution.retryAfterHeader = response.headers["Retry-After"].flatMap(Self.parseRetryAfter)
        evaluateCriteriaAndOutputs(step, context: context, execution: &execution, hasResponse: true)
    }

    private func executeWorkflowStep(
        _ step: CompiledStep, key: WorkflowKey, context: inout EvaluationContext, execution: inout StepExecution, depth: Int
    ) async {
        guard let target = plan.workflows[key] else {
            execution.failureKind = "operation"
            execution.failureMessage = "no workflow '\(key.workflowId)'"
            return
        }
        // Parameters become the called workflow's inputs, by name.
        var childInputs = JSONObject()
        for parameter in step.parameters {
            let evaluation = parameter.value.evaluate(in: context)
            if let value = evaluation.value {
                childInputs[parameter.name] = value
            } else if let unresolved = evaluation.omitted.first?.unresolved {
                if unresolved.expression.hasPrefix("$inputs.") {
                    execution.trace.notes.append("input \(parameter.name) of workflow \(key.workflowId) omitted: \(unresolved.expression) was not supplied")
                } else {
                    execution.failureKind = "request"
                    execution.failureMessage = "parameter '\(parameter.name)' has no value: \(unresolved.description)"
                    return
                }
            }
        }
        let child = await runChild(target, inputs: .object(childInputs), depth: depth + 1)
        execution.child = child
        // A13: inside a workflow step, $outputs are the called workflow's outputs.
        context.outputsValue = child.outputs
        if child.succeeded {
            evaluateCriteriaAndOutputs(step, context: context, execution: &execution, hasResponse: true)
        } else {
            execution.failureKind = "workflow"
            execution.failureMessage = "workflow '\(key.workflowId)' failed: \(Self.reason(child))"
            evaluateCriteriaAndOutputs(step, context: context, execution: &execution, hasResponse: false)
        }
    }

    /// Success criteria (all must pass; none means success once a response arrived, A11), then
    /// outputs (computed on failure too, for debugging and onFailure criteria).
    func evaluateCriteriaAndOutputs(_ step: CompiledStep, context: EvaluationContext, execution: inout StepExecution, hasResponse: Bool) {
        if hasResponse {
            var passed = true
            var firstFailure: CriterionVerdict?
            for criterion in step.criteria {
                let verdict = criterion.evaluate(in: context)
                execution.trace.criteria.append(verdict)
                if !verdict.passed {
                    passed = false
                    if firstFailure == nil { firstFailure = verdict }
                }
            }
            execution.succeeded = passed
            if let firstFailure {
                execution.failureKind = "criteria"
                execution.failureMessage = "success criterion not met: \(firstFailure.explanation)"
            }
        }
        execution.trace.succeeded = execution.succeeded
        for output in step.outputs {
            switch output.expression {
            case .success(let expression):
                switch expression.evaluate(in: context) {
                case .success(let value): execution.outputs[output.name] = value
                case .failure(let unresolved):
                    if execution.succeeded { execution.trace.notes.append("output \(output.name) unresolved: \(unresolved.reason)") }
                }
            case .failure(let error):
                if let template = output.template, case .success(let text) = template.render(in: context) {
                    execution.outputs[output.name] = .string(text)
                } else {
                    execution.trace.notes.append("output \(output.name) is not a runtime expression: \(error.message)")
                }
            }
        }
        execution.trace.outputs = execution.outputs
    }

    /// `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
    static func parseRetryAfter(_ value: String) -> Duration? {
        let trimmed = value.trimming(" \t")
        if let seconds = Int(trimmed), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        let seconds = date.timeIntervalSinceNow
        return seconds > 0 ? .milliseconds(Int64(seconds * 1000)) : .zero
    }
}
