import Foundation
import ArazzoJSON
import ArazzoExecutor
import ArazzoExpressions
import ArazzoJSONSchema
import OrderedCollections
import Tracing

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
    /// Where starts and finishes are reported: events, observers, the log (one place, so the
    /// run loop has one call per start and finish).
    let observation: RunObservation
    let security: SecurityApplier
    var redactor: Redactor
    let workflowValues = WorkflowValues()
    /// The run's time, read from the injected clock (``RunOptions/clock``): deadlines, timeouts and
    /// durations are all measured on it, so a test clock decides them without real waiting.
    let clock: RunClock
    var deadline: RunClock.Instant?
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
        var instant: RunClock.Instant
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
    /// Resolved base URLs of the sources with a server override, by source name.
    var overrideBaseURLs: [String: String] = [:]
    /// The tracer the run's spans go to (RunTracing.swift), read when the run starts; nil when
    /// none records.
    var tracer: (any Tracer)? {
        readTracer()
        return activeTracer
    }
    /// Whether a tracer records: what the per-step hooks test first, without copying the
    /// tracer out (a lazy optional existential was copied at every read).
    var isTracing: Bool {
        readTracer()
        return tracing
    }
    private var tracerRead = false
    /// Whether ``activeTracer`` is set, kept apart: testing the optional existential copied and
    /// destroyed it at every read.
    private var tracing = false
    private var activeTracer: (any Tracer)?
    private func readTracer() {
        guard !tracerRead else { return }
        activeTracer = Self.activeTracer()
        tracing = activeTracer != nil
        tracerRead = true
    }

    init(
        plan: EnginePlan, options: consuming RunOptions, redactor: Redactor, basicAuthorizations: BasicAuthorizations = BasicAuthorizations(),
        events: (@Sendable (RunEvent) -> Void)?
    ) {
        self.plan = plan
        // Moved in, then read from here on: reading the parameter after storing it kept both
        // alive, and the options (a few dozen references) were copied once more per run.
        self.options = options
        let observation = RunObservation(observers: self.options.observers, logger: self.options.logger)
        observation.setHandler(events)
        self.observation = observation
        let clock = RunClock(self.options.clock)
        self.security = SecurityApplier(
            credentials: self.options.credentials, tokens: TokenCache(clock: clock, oauth: self.options.oauth),
            executor: self.options.executor, timeout: self.options.limits.requestTimeout,
            maxBytes: self.options.limits.maxResponseBytes, basicAuthorizations: basicAuthorizations)
        self.redactor = redactor
        self.clock = clock
        self.deadline = self.options.limits.runDeadline.map { clock.now + $0 }
    }

    /// Starts the next entry workflow of the run: its own events, step count and deadline (the
    /// limits guard each entry, as when it runs alone).
    func beginEntry(events: (@Sendable (RunEvent) -> Void)?) {
        observation.setHandler(events)
        stepsExecuted = 0
        deadline = options.limits.runDeadline.map { clock.now + $0 }
    }

    /// The per-request timeout: the configured one, shortened to what is left of the run deadline
    /// and of an enclosing workflow step's timeout.
    func requestTimeout() -> Duration {
        var timeout = options.limits.requestTimeout
        if let deadline {
            let left = deadline - clock.now
            if left < timeout { timeout = max(left, .milliseconds(1)) }
        }
        lastRequestCutByStepDeadline = false
        if let instant = stepDeadline?.instant {
            let left = instant - clock.now
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
        let end = clock.now + delay
        if let deadline, end > deadline {
            return FailureReason(stepId: stepId, message: "the retry delay of \(Self.format(delay)) would pass the run deadline", kind: .deadline)
        }
        if let current = stepDeadline, end > current.instant {
            stepDeadline?.passed = true
            return FailureReason(
                stepId: stepId, message: "the retry delay of \(Self.format(delay)) would pass \(current.reason)", kind: .timeout)
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
        guard case .object(let members) = inputs, let declared = workflow.declaredInputNames else { return inputs }
        return .object(members.filter { declared.contains($0.key) })
    }

    // MARK: - Guards

    /// Why the run must stop before executing another step, if it must.
    func guardFailure(stepId: String) -> FailureReason? {
        if Task.isCancelled {
            return FailureReason(stepId: stepId, message: "the run was cancelled", kind: .cancelled)
        }
        if let deadline, clock.now >= deadline {
            return FailureReason(stepId: stepId, message: "the run deadline passed before this step", kind: .deadline)
        }
        if let stepDeadline, clock.now >= stepDeadline.instant {
            self.stepDeadline?.passed = true
            return FailureReason(stepId: stepId, message: "\(stepDeadline.reason) passed before this step", kind: .timeout)
        }
        if stepsExecuted >= options.limits.maxSteps {
            return FailureReason(stepId: stepId, limit: LimitReached(.maxSteps, value: options.limits.maxSteps))
        }
        return nil
    }

    /// Records a finished attempt: secrets removed, announced, appended.
    ///
    /// The trace is taken, not copied (``StepExecution/takeTrace()``): a copy retained and
    /// released each of its dozen references twice per step.
    func record(_ trace: consuming StepTrace, into result: inout RunResult) {
        // Read once: each read of the session's property copied the redactor.
        let redactor = self.redactor
        // Nothing secret is known yet (no credentials, password inputs or secret outputs so far):
        // only credential headers a document wrote itself can need hiding, so the value scan of
        // bodies, outputs and messages is skipped — it cost about a tenth of a step.
        if redactor.isEmpty {
            if let request = trace.request { trace.request?.headers = redactor.redact(request.headers) }
            if let response = trace.response { trace.response?.headers = redactor.redact(response.headers) }
        } else {
            // The request, response, outputs and criteria explanations are redacted when read
            // (decision PB1): the scan of both bodies was most of recording a step, and most
            // traces are never read.
            trace.redactOnRead(with: redactor)
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
                trace.message = message
            }
            trace.notes = trace.notes.map { redactor.redact($0) }
            if var error = trace.transportError {
                error.message = redactor.redact(error.message)
                trace.transportError = error
            }
            trace.contract = trace.contract.map { finding in
                var f = finding
                f.message = redactor.redact(finding.message)
                f.expected = finding.expected.map { redactor.redact($0) }
                f.found = finding.found.map { redactor.redact($0) }
                return f
            }
        }
        // Announced before it is appended (the result is the caller's local, so nothing can
        // tell the order), so the trace is moved into the result, not copied.
        observation.stepFinished(trace)
        result.steps.append(consume trace)
    }

    // MARK: - Workflows

    /// Runs a workflow whose inputs are already prepared, in its span (RunTracing.swift).
    nonisolated(nonsending) func runWorkflow(_ workflow: CompiledWorkflow, inputs: JSONValue, depth: Int) async -> RunResult {
        await traced(workflow, depth: depth) { await runWorkflowSteps(workflow, inputs: inputs, depth: depth) }
    }

    /// Runs a workflow whose inputs are already prepared: its dependencies, then its steps, one
    /// attempt at a time, each followed by the action it leads to (``decide(after:of:state:)``).
    nonisolated(nonsending) private func runWorkflowSteps(_ workflow: CompiledWorkflow, inputs: JSONValue, depth: Int) async -> RunResult {
        let started = clock.now
        let observed = observation.workflowStarted(workflow.workflowId)
        var state = WorkflowState(
            workflow: workflow, inputs: inputs, depth: depth, result: RunResult(workflowId: workflow.workflowId, outcome: .succeeded))
        // One trace per step at least: room for them at once, not regrown at the second.
        state.result.steps.reserveCapacity(workflow.steps.count)
        state.stepOutputs.reserveCapacity(workflow.steps.count)
        workflowValues.inputs[workflow.workflowId] = inputs
        running.insert(workflow.key)
        defer { running.remove(workflow.key) }

        if depth > options.limits.maxDepth {
            state.result.outcome = .failed(FailureReason(stepId: nil, limit: LimitReached(.maxDepth, value: options.limits.maxDepth)))
            return finish(state.result, started: started, observed: observed)
        }
        if let failure = await runDependencies(of: workflow, inputs: inputs, depth: depth, into: &state.result) {
            state.result.outcome = .failed(failure)
            return finish(state.result, started: started, observed: observed)
        }
        // AsyncAPI receive channels listen from here on, so no reply is lost (decision AS1).
        await subscribeReceiveChannels(of: workflow, inputs: inputs)

        loop: while state.pc < workflow.steps.count {
            let step = workflow.steps[state.pc]
            if let failure = guardFailure(stepId: step.stepId) {
                state.result.outcome = .failed(failure)
                break loop
            }
            var execution = newExecution(of: step, attempt: state.attempt, state: state)
            await perform(step, state: &state, into: &execution)
            execution.context.steps = state.stepOutputs
            let outcome = decide(after: &execution, of: step, state: state)
            record((consume execution).takeTrace(), into: &state.result)
            switch outcome {
            case .next:
                state.move(to: state.pc + 1)
            case .jump(let index):
                state.move(to: index)
            case .end:
                break loop
            case .fail(let reason):
                state.result.outcome = .failed(reason)
                break loop
            case .transfer(let key, let childInputs):
                return await transfer(to: key, from: state.result, inputs: childInputs, depth: depth, started: started, observed: observed)
            case .retry(let retry):
                if let failure = await prepareRetry(retry, of: step, state: &state) {
                    state.result.outcome = .failed(failure)
                    break loop
                }
                state.attempt += 1
            }
        }

        let context = EvaluationContext(
            exchange: nil, inputsValue: inputs, outputsValue: nil, steps: state.stepOutputs,
            workflowValues: workflowValues, sourceURLs: workflow.sourceURLs, selfURI: workflow.selfURI)
        let (outputs, warnings) = evaluateOutputs(
            workflow.outputs, context: context, ranSteps: state.stepOutputs, warn: state.result.succeeded)
        state.result.outputs = outputs
        state.result.warnings.append(contentsOf: warnings)
        return finish(state.result, started: started, observed: observed)
    }

    /// Runs the workflows `workflow` depends on that have not run yet (A18: each once per run;
    /// one that ran earlier, as an entry or as another workflow's dependency, is not run again),
    /// adding their results to `result`. Returns why `workflow` cannot run, if it cannot.
    nonisolated(nonsending) private func runDependencies(
        of workflow: CompiledWorkflow, inputs: JSONValue, depth: Int, into result: inout RunResult
    ) async -> FailureReason? {
        for dependency in workflow.dependsOn {
            // A workflow named only by a step's `dependsOn` that is running now (it called this
            // one) is no cycle: the steps it completed are already recorded (V10).
            if case .success(let key) = dependency, workflow.stepDependencyKeys.contains(key), running.contains(key) { continue }
            switch dependency {
            case .failure(let f):
                return FailureReason(stepId: nil, message: "dependsOn: \(f.message)", kind: .dependency)
            case .success(let key):
                if let earlier = completed[key] {
                    if earlier.result.succeeded { continue }
                    return FailureReason(stepId: nil, message: "dependency '\(key.workflowId)' failed earlier in this run", kind: .dependency)
                }
                if running.contains(key) {
                    return FailureReason(stepId: nil, message: "dependsOn cycle through '\(key.workflowId)'", kind: .dependency)
                }
                guard let target = plan.workflows[key] else { continue }
                let child = await runChild(target, inputs: forwardedInputs(inputs, to: target), depth: depth + 1)
                result.workflows.append(child)
                completed[key] = Completion(result: child, dependencyOf: workflow.workflowId)
                if !child.succeeded {
                    return FailureReason(
                        stepId: nil, message: "dependency '\(key.workflowId)' failed: \(Self.reason(child))", kind: .dependency)
                }
            }
        }
        return nil
    }

    /// A `goto workflowId` (A17): the target runs with `inputs` (``actionInputs(_:to:inputs:context:notes:)``),
    /// and the current workflow ends with the target's outcome and outputs.
    nonisolated(nonsending) private func transfer(
        to key: WorkflowKey, from current: RunResult, inputs: JSONValue, depth: Int, started: RunClock.Instant,
        observed: RunEventContext
    ) async -> RunResult {
        var result = current
        guard let target = plan.workflows[key] else {
            result.outcome = .failed(FailureReason(stepId: nil, message: "no workflow '\(key.workflowId)'", kind: .action))
            return finish(result, started: started, observed: observed)
        }
        let child = await runChild(target, inputs: inputs, depth: depth + 1)
        result.workflows.append(child)
        result.outcome = child.outcome
        result.outputs = child.outputs
        return finish(result, started: started, observed: observed)
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
    func noteCompletion(of stepId: String, in workflow: WorkflowKey, succeeded ok: Bool, into local: inout Set<String>) {
        // Only `dependsOn` reads these: a document without one keeps no record (hashing the
        // workflow's key and the step id was a step's bookkeeping).
        guard plan.hasStepDependencies else { return }
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
    nonisolated(nonsending) func runChild(_ workflow: CompiledWorkflow, inputs: JSONValue, depth: Int) async -> RunResult {
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
                    kind: .inputs)))
            // Announced as a run that started and failed at once, so observers see the pair.
            observation.workflowFinished(result, context: observation.workflowStarted(workflow.workflowId))
            return result
        }
    }

    /// The result, finished in place (consumed: a copy of it, its traces included, was made and
    /// dropped per workflow run).
    private func finish(_ result: consuming RunResult, started: RunClock.Instant, observed: RunEventContext) -> RunResult {
        // Later expressions (`$workflows.<id>.outputs`) read the outputs as they are, unredacted.
        workflowValues.outputs[result.workflowId] = result.outputs
        if !redactor.isEmpty {
            result.outputs = redactor.redact(result.outputs)
            result.warnings = result.warnings.map { redactor.redact($0) }
            if case .failed(var reason) = result.outcome {
                reason.message = redactor.redact(reason.message)
                result.outcome = .failed(reason)
            }
        }
        result.duration = clock.now - started
        observation.workflowFinished(result, context: observed)
        return result
    }

    /// Evaluates `outputs`; those that do not resolve are left out (A24) with a warning when
    /// `warn` (an output of a step that never ran is named as such: `ranSteps` holds the outputs
    /// of the steps that ran, read only then, so no set of their names is built per run).
    func evaluateOutputs(_ outputs: [CompiledOutput], context: EvaluationContext, ranSteps: [String: JSONObject]?, warn: Bool) -> (JSONObject, [String]) {
        var values = JSONObject()
        values.reserveCapacity(outputs.count)  // not regrown output by output
        var warnings: [String] = []
        let scope: any ExpressionContext = context  // boxed once, not per output
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
                switch expression.evaluate(in: scope) {
                case .success(let value): values[output.name] = value
                case .failure(let unresolved):
                    guard warn else { continue }
                    if case .stepOutput(let stepId, _) = expression.source, let ranSteps, ranSteps[stepId] == nil {
                        warnings.append("output '\(output.name)' omitted: step '\(stepId)' never ran")
                    } else {
                        warnings.append("output '\(output.name)' omitted: \(unresolved.description)")
                    }
                }
            case .failure(let error):
                if let template = output.template, case .success(let text) = template.render(in: scope) {
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

/// The injected clock (``RunOptions/clock``) as the run reads it. The clock is an existential
/// whose instants cannot be stored or compared without knowing its type, so the run keeps time as
/// the duration since it first read the clock; every engine time read goes through here.
struct RunClock: Sendable {
    /// A point of the run's time: how long after the clock was first read.
    typealias Instant = Duration

    private let elapsed: @Sendable () -> Duration

    init(_ clock: some Clock<Duration>) {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
    }

    /// The current point of the run's time.
    var now: Instant { elapsed() }
}
