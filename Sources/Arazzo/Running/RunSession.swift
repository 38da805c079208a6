import Foundation
import ArazzoJSON
import ArazzoExecutor
import ArazzoExpressions
import ArazzoJSONSchema
import OrderedCollections

/// Input-schema violations, as an error value.
struct InputViolations: Error {
    var all: [SchemaViolation]
}

/// The state of one run: the step counter, deadline, secrets, workflow values seen so far and the
/// bookkeeping of which workflows ran. A run may take several entry workflows in turn
/// (``DocumentRun``): values, secrets, tokens and the workflows that ran are shared by all of them;
/// the step counter and deadline start again with each entry. Used by one task only.
final class RunSession {
    /// A workflow that ran as an entry or a dependency (A18: at most once per run).
    struct Completion {
        var result: RunResult
        /// The workflow that ran it as a dependency; nil for an entry.
        var dependencyOf: String?
    }

    let plan: EnginePlan
    let options: RunOptions
    var events: (@Sendable (RunEvent) -> Void)?
    let security: SecurityApplier
    var redactor: Redactor
    let workflowValues = WorkflowValues()
    var deadline: ContinuousClock.Instant?
    var stepsExecuted = 0
    /// Entries and dependencies that ran. Workflows reached by a step `workflowId`, a `goto` or a
    /// retry side trip are calls, not listed here: they may run any number of times (A18).
    var completed: [WorkflowKey: Completion] = [:]
    var running: Set<WorkflowKey> = []
    /// The steps of each workflow whose latest execution in this run succeeded: what a step
    /// `dependsOn` on another workflow's step asks (decision V10). Any kind of step (HTTP, a
    /// workflow call, a message) is recorded here when it completes.
    var completedSteps: [WorkflowKey: Set<String>] = [:]
    /// The deadline of the innermost step with a `timeout` that calls a workflow (decision V5):
    /// the nested run stops at it like at the run deadline.
    var stepDeadline: StepDeadline?

    /// A workflow step's `timeout`, while its nested run lasts.
    struct StepDeadline {
        var instant: ContinuousClock.Instant
        var stepId: String
        var timeout: Duration
        /// Set when something in the nested run stopped because of this deadline (a step not
        /// started, a delay not waited, a request cut short that then timed out): the step
        /// fails as timed out even if an executor reports the cut before the clock reaches it.
        var passed = false
    }
    /// Whether the last request's timeout was shortened to the step deadline.
    var lastRequestCutByStepDeadline = false

    /// Resolved base URLs per source name (server override or the operation's server).
    var baseURLs: [String: String] = [:]

    init(plan: EnginePlan, options: RunOptions, redactor: Redactor, events: (@Sendable (RunEvent) -> Void)?) {
        self.plan = plan
        self.options = options
        self.events = events
        self.security = SecurityApplier(
            credentials: options.credentials, tokens: TokenCache(), executor: options.executor,
            timeout: options.limits.requestTimeout, maxBytes: options.limits.maxResponseBytes)
        self.redactor = redactor
        self.deadline = options.limits.runDeadline.map { ContinuousClock.now.advanced(by: $0) }
    }

    /// Starts the next entry workflow of the run: its own events, step count and deadline (the
    /// limits guard each entry, as when it runs alone).
    func beginEntry(events: (@Sendable (RunEvent) -> Void)?) {
        self.events = events
        stepsExecuted = 0
        deadline = options.limits.runDeadline.map { ContinuousClock.now.advanced(by: $0) }
    }

    /// The per-request timeout: the configured one, shortened to what is left of the run deadline
    /// and of an enclosing workflow step's timeout.
    func requestTimeout() -> Duration {
        var timeout = options.limits.requestTimeout
        if let deadline {
            let left = ContinuousClock.now.duration(to: deadline)
            if left < timeout { timeout = max(left, .milliseconds(1)) }
        }
        lastRequestCutByStepDeadline = false
        if let instant = stepDeadline?.instant {
            let left = ContinuousClock.now.duration(to: instant)
            if left < timeout {
                timeout = max(left, .milliseconds(1))
                lastRequestCutByStepDeadline = true
            }
        }
        return timeout
    }

    /// Why waiting `delay` from now is not possible, when it would pass the run deadline or an
    /// enclosing workflow step's timeout.
    func delayPassesDeadline(_ delay: Duration, stepId: String) -> FailureReason? {
        let end = ContinuousClock.now.advanced(by: delay)
        if let deadline, end > deadline {
            return FailureReason(stepId: stepId, message: "the retry delay of \(Self.format(delay)) would pass the run deadline", kind: "deadline")
        }
        if let current = stepDeadline, end > current.instant {
            stepDeadline?.passed = true
            return FailureReason(
                stepId: stepId, message: "the retry delay of \(Self.format(delay)) would pass \(current.reason)", kind: "timeout")
        }
        return nil
    }

    // MARK: - Inputs

    /// Applies defaults and validates `inputs` against the workflow's schema; registers secret
    /// (`format: password`) values for redaction.
    func prepareInputs(_ workflow: CompiledWorkflow, _ inputs: JSONValue) -> Result<JSONValue, InputViolations> {
        if let error = workflow.inputsSchemaError {
            return .failure(InputViolations(all: [SchemaViolation(instancePath: "", keyword: "$schema", message: "the workflow's inputs schema cannot be used: \(error)")]))
        }
        guard let schema = workflow.inputsSchema else { return .success(inputs) }
        let prepared = options.applyInputDefaults ? schema.applyingDefaults(to: inputs) : inputs
        let violations = schema.validate(prepared)
        if schema.hasSecrets {
            redactor.add(schema.secretValues(in: prepared).compactMap { value in
                switch value {
                case .string(let s): return s
                case .int, .double: return value.jsonText()
                default: return nil
                }
            })
        }
        return violations.isEmpty ? .success(prepared) : .failure(InputViolations(all: violations))
    }

    /// The inputs a dependency or `goto`ed workflow receives from the current input set (A17/A18):
    /// the members its schema declares, or everything when it declares none.
    func forwardedInputs(_ inputs: JSONValue, to workflow: CompiledWorkflow) -> JSONValue {
        guard case .object(let members) = inputs,
              let properties = workflow.inputsSchema?.source["properties"]?.objectValue else { return inputs }
        var out = JSONObject()
        for (key, value) in members where properties[key] != nil { out[key] = value }
        return .object(out)
    }

    // MARK: - Guards

    /// Why the run must stop before executing another step, if it must.
    func guardFailure(stepId: String) -> FailureReason? {
        if Task.isCancelled {
            return FailureReason(stepId: stepId, message: "the run was cancelled", kind: "cancelled")
        }
        if let deadline, ContinuousClock.now >= deadline {
            return FailureReason(stepId: stepId, message: "the run deadline passed before this step", kind: "deadline")
        }
        if let stepDeadline, ContinuousClock.now >= stepDeadline.instant {
            self.stepDeadline?.passed = true
            return FailureReason(stepId: stepId, message: "\(stepDeadline.reason) passed before this step", kind: "timeout")
        }
        if stepsExecuted >= options.limits.maxSteps {
            return FailureReason(stepId: stepId, limit: LimitReached(.maxSteps, value: options.limits.maxSteps))
        }
        return nil
    }

    func emit(_ event: RunEvent) {
        events?(event)
    }

    /// Records a finished attempt: secrets removed, appended, announced.
    func record(_ trace: StepTrace, into result: inout RunResult) {
        var redacted = trace
        // Nothing secret is known yet (no credentials, password inputs or secret outputs so far):
        // only credential headers a document wrote itself can need hiding, so the value scan of
        // bodies, outputs and messages is skipped — it cost about a tenth of a step.
        if redactor.isEmpty {
            if let request = trace.request { redacted.request?.headers = redactor.redact(request.headers) }
            if let response = trace.response { redacted.response?.headers = redactor.redact(response.headers) }
        } else {
            redacted.request = trace.request.map { redactor.redact($0) }
            redacted.response = trace.response.map { redactor.redact($0) }
            redacted.outputs = redactor.redact(trace.outputs)
            if var message = trace.message {
                // A message is redacted as an HTTP body is: every secret value, wherever it is.
                if var carried = message.message {
                    carried.headers = carried.headers.mapValues { redactor.redact($0) }
                    switch carried.payload {
                    case .json(let value): carried.payload = .json(redactor.redact(value))
                    case .text(let text): carried.payload = .text(redactor.redact(text))
                    case .binary(let bytes): carried.payload = .binary(redactor.redact(bytes))
                    }
                    message.message = carried
                }
                message.correlationId = message.correlationId.map { redactor.redact($0) }
                if var error = message.error {
                    error.message = redactor.redact(error.message)
                    message.error = error
                }
                redacted.message = message
            }
            redacted.notes = trace.notes.map { redactor.redact($0) }
            redacted.criteria = trace.criteria.map { verdict in
                var v = verdict
                v.explanation = redactor.redact(verdict.explanation)
                return v
            }
            if var error = trace.transportError {
                error.message = redactor.redact(error.message)
                redacted.transportError = error
            }
            redacted.contract = trace.contract.map { finding in
                var f = finding
                f.message = redactor.redact(finding.message)
                f.expected = finding.expected.map { redactor.redact($0) }
                f.found = finding.found.map { redactor.redact($0) }
                return f
            }
        }
        result.steps.append(redacted)
        emit(.stepFinished(redacted))
    }

    // MARK: - Workflows

    /// Runs a workflow whose inputs are already prepared.
    func runWorkflow(_ workflow: CompiledWorkflow, inputs: JSONValue, depth: Int) async -> RunResult {
        let started = ContinuousClock.now
        emit(.workflowStarted(workflow.workflowId))
        var result = RunResult(workflowId: workflow.workflowId, outcome: .succeeded)
        workflowValues.inputs[workflow.workflowId] = inputs
        running.insert(workflow.key)
        defer { running.remove(workflow.key) }

        if depth > options.limits.maxDepth {
            result.outcome = .failed(FailureReason(stepId: nil, limit: LimitReached(.maxDepth, value: options.limits.maxDepth)))
            return finish(result, started: started)
        }

        // A18: dependencies first, each once per run (one that ran earlier, as an entry or as
        // another workflow's dependency, is not run again).
        for dependency in workflow.dependsOn {
            // A workflow named only by a step's `dependsOn` that is running now (it called this
            // one) is no cycle: the steps it completed are already recorded (V10).
            if case .success(let key) = dependency, workflow.stepDependencyKeys.contains(key), running.contains(key) { continue }
            switch dependency {
            case .failure(let f):
                result.outcome = .failed(FailureReason(stepId: nil, message: "dependsOn: \(f.message)", kind: "dependency"))
                return finish(result, started: started)
            case .success(let key):
                if let earlier = completed[key] {
                    if !earlier.result.succeeded {
                        result.outcome = .failed(FailureReason(stepId: nil, message: "dependency '\(key.workflowId)' failed earlier in this run", kind: "dependency"))
                        return finish(result, started: started)
                    }
                    continue
                }
                if running.contains(key) {
                    result.outcome = .failed(FailureReason(stepId: nil, message: "dependsOn cycle through '\(key.workflowId)'", kind: "dependency"))
                    return finish(result, started: started)
                }
                guard let target = plan.workflows[key] else { continue }
                let child = await runChild(target, inputs: forwardedInputs(inputs, to: target), depth: depth + 1)
                result.workflows.append(child)
                completed[key] = Completion(result: child, dependencyOf: workflow.workflowId)
                if !child.succeeded {
                    result.outcome = .failed(FailureReason(
                        stepId: nil, message: "dependency '\(key.workflowId)' failed: \(Self.reason(child))", kind: "dependency"))
                    return finish(result, started: started)
                }
            }
        }

        // AsyncAPI receive channels listen from here on, so no reply is lost (decision AS1).
        await subscribeReceiveChannels(of: workflow, inputs: inputs)

        var stepOutputs: [String: JSONObject] = [:]
        var succeeded: Set<String> = []
        var pc = 0
        var attempt = 1
        var budgets: [String: Int] = [:]

        loop: while pc < workflow.steps.count {
            let step = workflow.steps[pc]
            if let failure = guardFailure(stepId: step.stepId) {
                result.outcome = .failed(failure)
                break loop
            }
            stepsExecuted += 1
            emit(.stepStarted(stepId: step.stepId, attempt: attempt))
            var execution = await executeStep(step, workflow: workflow, inputs: inputs, stepOutputs: stepOutputs, succeeded: succeeded, depth: depth, attempt: attempt)
            stepOutputs[step.stepId] = execution.outputs
            noteCompletion(of: step.stepId, in: workflow.key, succeeded: execution.succeeded, into: &succeeded)
            execution.context.steps = stepOutputs
            if let child = execution.child { result.workflows.append(child) }

            if execution.succeeded {
                let action = step.onSuccess.first { action in action.criteria.allSatisfy { $0.test(in: execution.context) } }
                execution.trace.actionName = action?.name
                guard let action else {
                    execution.trace.action = "next"
                    record(execution.trace, into: &result)
                    pc += 1
                    attempt = 1
                    budgets = [:]
                    continue
                }
                switch (action.kind, action.destination) {
                case (.end, _):
                    execution.trace.action = "end"
                    record(execution.trace, into: &result)
                    break loop
                case (_, .step(let index)?):
                    execution.trace.action = "goto step \(workflow.steps[index].stepId)"
                    record(execution.trace, into: &result)
                    pc = index
                    attempt = 1
                    budgets = [:]
                case (_, .workflow(let key)?):
                    switch actionInputs(action, to: key, inputs: inputs, context: execution.context, notes: &execution.trace.notes) {
                    case .success(let childInputs):
                        execution.trace.action = "goto workflow \(key.workflowId)"
                        record(execution.trace, into: &result)
                        return await transfer(to: key, from: result, inputs: childInputs, depth: depth, started: started)
                    case .failure(let failure):
                        execution.trace.action = "fail"
                        record(execution.trace, into: &result)
                        result.outcome = .failed(FailureReason(stepId: step.stepId, message: "success action '\(action.name)': \(failure.message)", kind: "action"))
                        break loop
                    }
                case (_, .invalid(let message)?):
                    execution.trace.action = "fail"
                    record(execution.trace, into: &result)
                    result.outcome = .failed(FailureReason(stepId: step.stepId, message: "success action '\(action.name)': \(message)", kind: "action"))
                    break loop
                default:
                    execution.trace.action = "next"
                    record(execution.trace, into: &result)
                    pc += 1
                    attempt = 1
                    budgets = [:]
                }
                continue
            }

            // Failure: the first failure action whose criteria pass against this attempt is the
            // one executed (A15). A retry stays that action while it matches: once its retryLimit
            // is spent the step fails ("before failing the overall step"), and no later action
            // runs. Budgets are per action for the whole step execution, so a different failure
            // in between (another action selected) does not renew them.
            let chosen = step.onFailure.first { action in action.criteria.allSatisfy { $0.test(in: execution.context) } }
            execution.trace.actionName = chosen?.name
            guard let action = chosen else {
                execution.trace.action = "fail"
                record(execution.trace, into: &result)
                result.outcome = .failed(FailureReason(stepId: step.stepId, message: execution.failureMessage, kind: execution.failureKind))
                break loop
            }
            if action.kind == .retry, budgets[action.name, default: 0] >= action.retryLimit {
                execution.trace.action = "fail"
                record(execution.trace, into: &result)
                let spent = action.retryLimit == 0
                    ? "retry action '\(action.name)' allows no retries (retryLimit: 0)"
                    : "retry action '\(action.name)' used its \(action.retryLimit) \(action.retryLimit == 1 ? "retry" : "retries")"
                result.outcome = .failed(FailureReason(
                    stepId: step.stepId, message: "\(execution.failureMessage); \(spent)", kind: "retries-exhausted"))
                break loop
            }
            switch action.kind {
            case .end:
                // A16: an `end` chosen from the failure actions fails the workflow.
                execution.trace.action = "end"
                record(execution.trace, into: &result)
                result.outcome = .failed(FailureReason(
                    stepId: step.stepId, message: "ended by failure action '\(action.name)': \(execution.failureMessage)", kind: "end-action"))
                break loop
            case .goto:
                switch action.destination {
                case .step(let index)?:
                    execution.trace.action = "goto step \(workflow.steps[index].stepId)"
                    record(execution.trace, into: &result)
                    pc = index
                    attempt = 1
                    budgets = [:]
                case .workflow(let key)?:
                    switch actionInputs(action, to: key, inputs: inputs, context: execution.context, notes: &execution.trace.notes) {
                    case .success(let childInputs):
                        execution.trace.action = "goto workflow \(key.workflowId)"
                        record(execution.trace, into: &result)
                        return await transfer(to: key, from: result, inputs: childInputs, depth: depth, started: started)
                    case .failure(let failure):
                        execution.trace.action = "fail"
                        record(execution.trace, into: &result)
                        result.outcome = .failed(FailureReason(stepId: step.stepId, message: "failure action '\(action.name)': \(failure.message)", kind: "action"))
                        break loop
                    }
                case .invalid(let message)?:
                    execution.trace.action = "fail"
                    record(execution.trace, into: &result)
                    result.outcome = .failed(FailureReason(stepId: step.stepId, message: "failure action '\(action.name)': \(message)", kind: "action"))
                    break loop
                case nil:
                    execution.trace.action = "fail"
                    record(execution.trace, into: &result)
                    result.outcome = .failed(FailureReason(stepId: step.stepId, message: "failure action '\(action.name)' is a goto without a target", kind: "action"))
                    break loop
                }
            case .retry:
                budgets[action.name, default: 0] += 1
                var delay = Self.duration(seconds: action.retryAfter ?? 0)
                var delayNote: String?
                if let header = execution.retryAfterHeader, header > delay {
                    delay = header
                    delayNote = "Retry-After asked for \(Self.format(header))"
                }
                if delay > options.limits.maxRetryDelay {
                    delayNote = "retry delay \(Self.format(delay)) capped to \(Self.format(options.limits.maxRetryDelay))"
                    delay = options.limits.maxRetryDelay
                }
                if let delayNote { execution.trace.notes.append(delayNote) }
                // A side trip to a workflow gets the action's parameters, evaluated now, against
                // this attempt (V11).
                var sideInputs: Result<JSONValue, WorkflowInputsFailure>?
                if case .workflow(let key)? = action.destination {
                    sideInputs = actionInputs(action, to: key, inputs: inputs, context: execution.context, notes: &execution.trace.notes)
                }
                execution.trace.action = "retry after \(Self.format(delay))"
                if case .failure? = sideInputs { execution.trace.action = "fail" }
                record(execution.trace, into: &result)
                switch action.destination {
                case .step(let index)?:
                    // "The reference is executed and the context is returned": run that step
                    // once (its actions are not followed), then retry.
                    let side = workflow.steps[index]
                    if let failure = guardFailure(stepId: side.stepId) {
                        result.outcome = .failed(failure)
                        break loop
                    }
                    stepsExecuted += 1
                    emit(.stepStarted(stepId: side.stepId, attempt: 1))
                    var sideExecution = await executeStep(side, workflow: workflow, inputs: inputs, stepOutputs: stepOutputs, succeeded: succeeded, depth: depth, attempt: 1)
                    stepOutputs[side.stepId] = sideExecution.outputs
                    noteCompletion(of: side.stepId, in: workflow.key, succeeded: sideExecution.succeeded, into: &succeeded)
                    if let child = sideExecution.child { result.workflows.append(child) }
                    sideExecution.trace.action = ""
                    sideExecution.trace.notes.append("run by retry action '\(action.name)' of step \(step.stepId); control returns to it")
                    record(sideExecution.trace, into: &result)
                case .workflow(let key)?:
                    switch sideInputs {
                    case .failure(let failure)?:
                        result.outcome = .failed(FailureReason(stepId: step.stepId, message: "retry action '\(action.name)': \(failure.message)", kind: "action"))
                        break loop
                    case .success(let childInputs)?:
                        if let target = plan.workflows[key] {
                            let child = await runChild(target, inputs: childInputs, depth: depth + 1)
                            result.workflows.append(child)
                        }
                    case nil:
                        break
                    }
                case .invalid(let message)?:
                    result.outcome = .failed(FailureReason(stepId: step.stepId, message: "retry action '\(action.name)': \(message)", kind: "action"))
                    break loop
                case nil:
                    break
                }
                if delay > .zero {
                    if let failure = delayPassesDeadline(delay, stepId: step.stepId) {
                        result.outcome = .failed(failure)
                        break loop
                    }
                    do {
                        try await options.clock.sleep(for: delay)
                    } catch {
                        result.outcome = .failed(FailureReason(stepId: step.stepId, message: "the run was cancelled while waiting to retry", kind: "cancelled"))
                        break loop
                    }
                }
                attempt += 1
            }
        }

        let context = EvaluationContext(
            exchange: nil, inputsValue: inputs, outputsValue: nil, steps: stepOutputs,
            workflowValues: workflowValues, sourceURLs: workflow.sourceURLs, selfURI: workflow.selfURI)
        let (outputs, warnings) = evaluateOutputs(workflow.outputs, context: context, ranSteps: Set(stepOutputs.keys), warn: result.succeeded)
        result.outputs = outputs
        result.warnings.append(contentsOf: warnings)
        return finish(result, started: started)
    }

    /// A `goto workflowId` (A17): the target runs with `inputs` (``actionInputs(_:to:inputs:context:notes:)``),
    /// and the current workflow ends with the target's outcome and outputs.
    private func transfer(to key: WorkflowKey, from current: RunResult, inputs: JSONValue, depth: Int, started: ContinuousClock.Instant) async -> RunResult {
        var result = current
        guard let target = plan.workflows[key] else {
            result.outcome = .failed(FailureReason(stepId: nil, message: "no workflow '\(key.workflowId)'", kind: "action"))
            return finish(result, started: started)
        }
        let child = await runChild(target, inputs: inputs, depth: depth + 1)
        result.workflows.append(child)
        result.outcome = child.outcome
        result.outputs = child.outputs
        return finish(result, started: started)
    }

    /// The inputs the workflow an action goes to (`goto`) or runs (`retry`) receives: with action
    /// `parameters` (1.1, decision V11), those, evaluated now against the step's context as a
    /// workflow step's parameters are; without them the current input set (A17).
    func actionInputs(
        _ action: CompiledAction, to key: WorkflowKey, inputs: JSONValue, context: EvaluationContext, notes: inout [String]
    ) -> Result<JSONValue, WorkflowInputsFailure> {
        guard !action.parameters.isEmpty else {
            return .success(plan.workflows[key].map { forwardedInputs(inputs, to: $0) } ?? inputs)
        }
        return workflowInputs(action.parameters, for: key.workflowId, context: context, notes: &notes)
            .map { .object($0) }
            .mapError { WorkflowInputsFailure(message: $0.message) }
    }

    /// Records that a step of `workflow` completed, or did not (its latest execution counts).
    private func noteCompletion(of stepId: String, in workflow: WorkflowKey, succeeded ok: Bool, into local: inout Set<String>) {
        if ok {
            local.insert(stepId)
            completedSteps[workflow, default: []].insert(stepId)
        } else {
            local.remove(stepId)
            completedSteps[workflow]?.remove(stepId)
        }
    }

    /// Runs a workflow reached from another (dependency, goto, retry side trip, workflow step):
    /// its inputs are prepared here, and a violation fails it.
    func runChild(_ workflow: CompiledWorkflow, inputs: JSONValue, depth: Int) async -> RunResult {
        switch prepareInputs(workflow, inputs) {
        case .success(let prepared):
            return await runWorkflow(workflow, inputs: prepared, depth: depth)
        case .failure(let violations):
            let result = RunResult(
                workflowId: workflow.workflowId,
                outcome: .failed(FailureReason(
                    stepId: nil,
                    message: "its inputs do not match its inputs schema: "
                        + redactor.redact(violations.all.map { $0.description }.joined(separator: "; ")),
                    kind: "inputs")))
            emit(.workflowStarted(workflow.workflowId))
            emit(.workflowFinished(result))
            return result
        }
    }

    private func finish(_ result: RunResult, started: ContinuousClock.Instant) -> RunResult {
        var done = result
        if !redactor.isEmpty {
            done.outputs = redactor.redact(result.outputs)
            done.warnings = result.warnings.map { redactor.redact($0) }
            if case .failed(var reason) = done.outcome {
                reason.message = redactor.redact(reason.message)
                done.outcome = .failed(reason)
            }
        }
        done.duration = started.duration(to: ContinuousClock.now)
        workflowValues.outputs[result.workflowId] = result.outputs
        emit(.workflowFinished(done))
        return done
    }

    /// Evaluates `outputs`; those that do not resolve are left out (A24) with a warning when
    /// `warn` (an output of a step that never ran is named as such).
    func evaluateOutputs(_ outputs: [CompiledOutput], context: EvaluationContext, ranSteps: Set<String>?, warn: Bool) -> (JSONObject, [String]) {
        var values = JSONObject()
        var warnings: [String] = []
        for output in outputs {
            if let selection = output.selection {
                switch selection.evaluate(in: context) {
                case .success(let value): values[output.name] = value
                case .failure(let failure):
                    if warn { warnings.append("output '\(output.name)' omitted: \(failure.message)") }
                }
                continue
            }
            switch output.expression {
            case .success(let expression):
                switch expression.evaluate(in: context) {
                case .success(let value): values[output.name] = value
                case .failure(let unresolved):
                    guard warn else { continue }
                    if case .stepOutput(let stepId, _) = expression.source, let ranSteps, !ranSteps.contains(stepId) {
                        warnings.append("output '\(output.name)' omitted: step '\(stepId)' never ran")
                    } else {
                        warnings.append("output '\(output.name)' omitted: \(unresolved.description)")
                    }
                }
            case .failure(let error):
                if let template = output.template, case .success(let text) = template.render(in: context) {
                    values[output.name] = .string(text)
                } else if warn {
                    warnings.append("output '\(output.name)' omitted: `\(output.text)` is not a runtime expression (\(error.message))")
                }
            }
        }
        return (values, warnings)
    }

    static func reason(_ result: RunResult) -> String {
        if case .failed(let reason) = result.outcome { return reason.description }
        return "succeeded"
    }

    static func duration(seconds: Double) -> Duration {
        guard seconds.isFinite, seconds > 0 else { return .zero }
        return .milliseconds(Int64(min(seconds, 1e9) * 1000))
    }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return "\((seconds * 1000).rounded() / 1000)s"
    }
}

/// Why a step's or an action's parameters could not become a called workflow's inputs.
struct WorkflowInputsFailure: Error {
    var message: String
}

extension RunSession.StepDeadline {
    /// "the timeout of step 'X' (500ms)".
    var reason: String { "the timeout of step '\(stepId)' (\(RunSession.format(timeout)))" }
}
