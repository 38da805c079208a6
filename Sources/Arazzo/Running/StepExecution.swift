import Foundation
import ArazzoJSON
import ArazzoExecutor
import ArazzoExpressions
import ArazzoOpenAPI
import OrderedCollections

/// One attempt of one step, before an action is chosen.
struct StepExecution {
    var trace: StepTrace
    var succeeded: Bool
    /// The outputs that resolved (not redacted: later steps read them).
    var outputs: JSONObject
    /// What action criteria are evaluated against.
    var context: EvaluationContext
    var failureKind: FailureReason.Kind = .criteria
    var failureMessage: String = ""
    /// The response's `Retry-After`, when present and valid.
    var retryAfterHeader: Duration?
    /// The run of the called workflow, for workflow steps.
    var child: RunResult?

    /// The trace, moved out (to be recorded) of the execution, which ends here: reading `trace`
    /// and dropping the execution later retained and released every reference the trace holds.
    consuming func takeTrace() -> StepTrace {
        // The execution is consumed: its trace moves out and the rest is dropped. Swapping an
        // empty trace in copied one (a dozen empty collections retained) per step.
        trace
    }
}

extension RunSession {
    /// A new attempt of `step` in the workflow execution `state`, before it runs: its trace and
    /// the context its expressions read (the workflow's inputs and the step outputs so far).
    func newExecution(of step: CompiledStep, attempt: Int, state: WorkflowState) -> StepExecution {
        let context = EvaluationContext(
            exchange: nil, inputsValue: state.inputs, outputsValue: nil, steps: state.stepOutputs,
            workflowValues: workflowValues, sourceURLs: state.workflow.sourceURLs, selfURI: state.workflow.selfURI)
        return StepExecution(
            trace: StepTrace(stepId: step.stepId, operation: step.operationText, attempt: attempt),
            succeeded: false, outputs: [:], context: context)
    }

    /// Runs the attempt `execution` (from ``newExecution(of:attempt:state:)``) of `step`, filling
    /// it in. It is the caller's variable, passed along: an attempt returned through the async
    /// calls was copied whole (a few dozen references) at each return.
    nonisolated(nonsending) func executeStep(
        _ step: CompiledStep, workflow: CompiledWorkflow, succeeded: Set<String>, depth: Int,
        into execution: inout StepExecution
    ) async {
        let started = clock.now
        // The context is a reference: the execution holds the one the attempt fills in.
        var context = execution.context

        if let unmet = unmetPrerequisite(of: step, in: workflow, succeeded: succeeded, ran: context.steps) {
            // V10: the step does not start; it fails, and its onFailure actions apply.
            execution.failureKind = .dependency
            execution.failureMessage = unmet
            execution.trace.notes.append(unmet)
            execution.trace.duration = clock.now - started
            execution.context = context
            return
        }
        if let target = step.operationTarget {
            await executeOperationStep(step, target: target, context: &context, execution: &execution)
        } else {
            await executeOtherStep(step, context: &context, execution: &execution, depth: depth)
        }
        execution.context = context
        execution.trace.duration = clock.now - started
        markSecretOutputs(of: step, in: workflow, outputs: execution.outputs)
    }

    /// A step that is not an operation step (``CompiledStep/operationTarget`` is nil): a workflow
    /// or message step, or one whose target did not resolve.
    nonisolated(nonsending) private func executeOtherStep(
        _ step: CompiledStep, context: inout EvaluationContext, execution: inout StepExecution, depth: Int
    ) async {
        switch step.target {
        case .failure(let failure):
            execution.failureKind = .operation
            execution.failureMessage = failure.message
            execution.trace.notes.append(failure.message)
        case .success(.workflow(let key)):
            await executeWorkflowStep(step, key: key, context: &context, execution: &execution, depth: depth)
        case .success(.message(let target)):
            await executeMessageStep(step, target: target, context: &context, execution: &execution)
        case .success(.operation(let sourceName, let document, let operation)):
            await executeOperationStep(
                step, target: OperationTarget(sourceName: sourceName, document: document, operation: operation),
                context: &context, execution: &execution)
        }
    }

    /// Why `step` cannot start yet: a step it `dependsOn` has not completed successfully in this
    /// run (decision V10). Only the run's record of completed steps is asked, so every kind of
    /// step counts once it completes.
    private func unmetPrerequisite(
        of step: CompiledStep, in workflow: CompiledWorkflow, succeeded: Set<String>, ran: [String: JSONObject]
    ) -> String? {
        for prerequisite in step.dependsOn {
            switch prerequisite {
            case .local(let id):
                guard !succeeded.contains(id) else { continue }
                return ran[id] == nil
                    ? "dependsOn: step '\(id)' has not run yet in this workflow (steps run in list order)"
                    : "dependsOn: step '\(id)' did not complete successfully"
            case .other(let key, let id):
                guard completedSteps[key]?.contains(id) != true else { continue }
                let ran = completed[key] != nil || running.contains(key) || workflowValues.inputs[key.workflowId] != nil
                return ran
                    ? "dependsOn: step '\(id)' of workflow '\(key.workflowId)' did not complete successfully in this run"
                    : "dependsOn: workflow '\(key.workflowId)' has not run in this run, so its step '\(id)' has not completed"
            case .invalid(let message):
                return message
            }
        }
        return nil
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

    /// An operation step's attempt. The target is passed as the reference it is: its document
    /// and operation, read out as arguments of the async calls below, were copied (a dozen
    /// references each) for every call.
    nonisolated(nonsending) private func executeOperationStep(
        _ step: CompiledStep, target: OperationTarget, context: inout EvaluationContext, execution: inout StepExecution
    ) async {
        var built: BuiltRequest
        switch await buildRequest(step: step, target: target, context: context) {
        case .failure(let failure):
            execution.failureKind = .request
            execution.failureMessage = "the request could not be built: \(failure.message)"
            execution.trace.notes.append(contentsOf: failure.notes)
            execution.trace.notes.append(execution.failureMessage)
            return
        case .success(let b):
            built = b
        }
        // Which operation this is, for an executor that answers from the descriptions: a URL
        // alone can match operations of several sources, or none (`/{Bucket}?uploads`).
        built.request.operation = OperationReference(
            document: target.document.url, pointer: target.operation.pointer, sourceName: target.sourceName)
        // The trace keeps one copy; the one built is sent (a local copy of it was a third).
        execution.trace.request = built.request
        execution.trace.notes.append(contentsOf: built.notes)
        context.exchange = built.exchange
        if requestViolatesContract(built, of: step, document: target.document, operation: target.operation, execution: &execution) {
            return
        }

        if options.dryRun {
            execution.succeeded = true
            execution.trace.succeeded = true
            execution.trace.notes.append("dry run: request not sent")
            return
        }

        let response: HTTPResponse
        do {
            // Without a tracer the request goes as it is: `outgoing` returned a copy of it.
            if isTracing {
                response = try await options.executor.execute(outgoing(built.request))
            } else {
                response = try await options.executor.execute(built.request)
            }
        } catch {
            // A12: a transport error is a step failure; $statusCode and $response.* stay
            // unresolved, and onFailure runs as for any failure.
            var error = error
            if Task.isCancelled { error = TransportError(.cancelled, "the run was cancelled") }
            if error.kind == .timeout, lastRequestCutByStepDeadline { stepDeadline?.passed = true }
            execution.trace.transportError = error
            execution.failureKind = .transport
            execution.failureMessage = "no response: \(error.description)"
            evaluateCriteriaAndOutputs(step, context: context, execution: &execution, hasResponse: false)
            return
        }
        storeCookies(of: response, for: built.request, notes: &execution.trace.notes)
        if response.body.count > options.limits.maxResponseBytes {
            let error = TransportError(.bodyTooLarge, "the response body has \(response.body.count) bytes, more than the \(options.limits.maxResponseBytes) allowed")
            execution.trace.transportError = error
            execution.failureKind = .transport
            execution.failureMessage = "no usable response: \(error.description)"
            return
        }
        built.exchange.response = response
        execution.trace.response = response
        // Only a retry action reads it: a step without one does not look the header up.
        if step.onFailure.contains(where: { $0.kind == .retry }) {
            execution.retryAfterHeader = response.headers["Retry-After"].flatMap(Self.parseRetryAfter)
        }
        checkResponseContract(
            built.exchange, method: built.request.method, of: step, document: target.document, operation: target.operation,
            execution: &execution)
        evaluateCriteriaAndOutputs(step, context: context, execution: &execution, hasResponse: true)
        applyContractErrors(&execution)
    }

    nonisolated(nonsending) private func executeWorkflowStep(
        _ step: CompiledStep, key: WorkflowKey, context: inout EvaluationContext, execution: inout StepExecution, depth: Int
    ) async {
        guard let target = plan.workflows[key] else {
            execution.failureKind = .operation
            execution.failureMessage = "no workflow '\(key.workflowId)'"
            return
        }
        let childInputs: JSONObject
        switch workflowInputs(step.parameters, for: key.workflowId, context: context, notes: &execution.trace.notes) {
        case .success(let inputs):
            childInputs = inputs
        case .failure(let failure):
            execution.failureKind = .request
            execution.failureMessage = failure.message
            return
        }
        // V5: a `timeout` bounds the whole nested run. It stops there as at the run deadline
        // (no further step starts, a request in flight is cut at it, a retry delay that would
        // pass it is not waited); an enclosing step's shorter timeout still applies.
        let enclosing = stepDeadline
        var own: StepDeadline?
        if let timeout = step.timeout {
            let deadline = StepDeadline(instant: clock.now + timeout, stepId: step.stepId, timeout: timeout)
            // The earlier deadline governs; when an enclosing one comes first, this step's
            // failure is the enclosing step's timeout.
            if enclosing.map({ $0.instant > deadline.instant }) ?? true {
                stepDeadline = deadline
                own = deadline
            }
        }
        let child = await runChild(target, inputs: .object(childInputs), depth: depth + 1)
        var timedOut: StepDeadline?
        if let own {
            if !child.succeeded, stepDeadline?.passed == true || clock.now >= own.instant { timedOut = own }
            stepDeadline = enclosing
        }
        execution.child = child
        // A13: inside a workflow step, $outputs are the called workflow's outputs.
        context.outputsValue = child.outputs
        if let timedOut {
            let message = "workflow '\(key.workflowId)' did not finish within \(timedOut.reason)"
            execution.trace.transportError = TransportError(.timeout, message)
            execution.failureKind = .timeout
            execution.failureMessage = message
            evaluateCriteriaAndOutputs(step, context: context, execution: &execution, hasResponse: false)
        } else if child.succeeded {
            evaluateCriteriaAndOutputs(step, context: context, execution: &execution, hasResponse: true)
        } else {
            execution.failureKind = .workflow
            execution.failureMessage = "workflow '\(key.workflowId)' failed: \(Self.reason(child))"
            evaluateCriteriaAndOutputs(step, context: context, execution: &execution, hasResponse: false)
        }
    }

    /// The inputs of a workflow called with `parameters` (a step's, or an action's, V11): each
    /// value evaluated against `context`, by name. A value bound to an input that was not supplied
    /// is left out with a note (the called workflow's schema decides whether it may be); any
    /// other value that does not resolve is a failure.
    func workflowInputs(
        _ parameters: [CompiledParameter], for workflowId: String, context: EvaluationContext, notes: inout [String]
    ) -> Result<JSONObject, WorkflowInputsFailure> {
        var inputs = JSONObject()
        for parameter in parameters {
            if let selection = parameter.selection {
                // A Selector Object that selects nothing gives the input no value: the step
                // fails, as for any parameter value that does not resolve (decision V7).
                switch selection.evaluate(in: context) {
                case .success(let value): inputs[parameter.name] = value
                case .failure(let failure):
                    return .failure(WorkflowInputsFailure(message: "parameter '\(parameter.name)' has no value: \(failure.message)"))
                }
                continue
            }
            let evaluation = parameter.value.evaluate(in: context)
            if let value = evaluation.value {
                inputs[parameter.name] = value
            } else if let unresolved = evaluation.omitted.first?.unresolved {
                if unresolved.expression.hasPrefix("$inputs.") {
                    notes.append("input \(parameter.name) of workflow \(workflowId) omitted: \(unresolved.expression) was not supplied")
                } else {
                    return .failure(WorkflowInputsFailure(message: "parameter '\(parameter.name)' has no value: \(unresolved.description)"))
                }
            }
        }
        return .success(inputs)
    }

    /// Success criteria (all must pass; none means success once a response arrived, A11), then
    /// outputs (computed on failure too, for debugging and onFailure criteria).
    func evaluateCriteriaAndOutputs(_ step: CompiledStep, context: EvaluationContext, execution: inout StepExecution, hasResponse: Bool) {
        // Boxed once: each call taking `any ExpressionContext` boxed the context anew (a heap
        // copy of it per criterion and per output).
        let scope: any ExpressionContext = context
        if hasResponse {
            var passed = true
            var firstFailure: CriterionVerdict?
            if execution.trace.criteria.isEmpty { execution.trace.criteria.reserveCapacity(step.criteria.count) }
            // By index: iterating copied each compiled criterion out of the step.
            for index in step.criteria.indices {
                let verdict = step.criteria[index].evaluate(in: scope)
                execution.trace.criteria.append(verdict)
                if !verdict.passed {
                    passed = false
                    if firstFailure == nil { firstFailure = verdict }
                }
            }
            execution.succeeded = passed
            if let firstFailure {
                execution.failureKind = .criteria
                execution.failureMessage = "success criterion not met: \(firstFailure.explanation)"
            }
        }
        execution.trace.succeeded = execution.succeeded
        // Room for every output at once: grown one by one, the keys' and values' storage was
        // reallocated at the first, second and third output.
        if execution.outputs.isEmpty { execution.outputs.reserveCapacity(step.outputs.count) }
        for output in step.outputs {
            if let selection = output.selection {
                // An output whose selector selects nothing is left out, like an output expression
                // that does not resolve (decision V7).
                switch selection.evaluate(in: context) {
                case .success(let value): execution.outputs[output.name] = value
                case .failure(let failure):
                    if execution.succeeded { execution.trace.notes.append("output \(output.name) unresolved: \(failure.message)") }
                }
                continue
            }
            switch output.expression {
            case .success(let expression):
                switch expression.evaluate(in: scope) {
                case .success(let value): execution.outputs[output.name] = value
                case .failure(let unresolved):
                    if execution.succeeded { execution.trace.notes.append("output \(output.name) unresolved: \(unresolved.reason)") }
                }
            case .failure(let error):
                if let template = output.template, case .success(let text) = template.render(in: scope) {
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
