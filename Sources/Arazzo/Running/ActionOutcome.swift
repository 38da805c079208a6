import ArazzoJSON
import ArazzoExecutor

/// What the run does after a step attempt, as its success or failure actions decide
/// (``RunSession/decide(after:of:state:)``). The run loop applies it in one place
/// (``RunSession/runWorkflow(_:inputs:depth:)``), so the goto bookkeeping, the loop guard, the
/// retry delay and the deadlines are each handled once.
enum ActionOutcome {
    /// On to the following step.
    case next
    /// A `goto` to the step at this index of the workflow: a fresh first attempt.
    case jump(toStep: Int)
    /// A `goto` to a workflow (A17): it runs with these inputs and the current workflow ends with
    /// its outcome and outputs.
    case transfer(to: WorkflowKey, inputs: JSONValue)
    /// The workflow ends here, successfully (an `end` success action).
    case end
    /// The step runs again after a side trip and a delay (a `retry` failure action).
    case retry(RetryPlan)
    /// The workflow fails for this reason.
    case fail(FailureReason)
}

/// A retry the run is about to make: what runs first, and how long to wait.
struct RetryPlan {
    /// What a retry action runs before the step is retried ("the reference is executed and the
    /// context is returned").
    enum SideTrip {
        /// Nothing: the step is simply retried.
        case none
        /// The step at this index, once, its actions not followed.
        case step(Int)
        /// The workflow, with these inputs (V11).
        case workflow(WorkflowKey, inputs: JSONValue)
        /// A target that cannot be reached: the workflow fails once the attempt is recorded.
        case invalid(String)
    }

    /// The action's name, for notes and messages.
    var actionName: String
    var sideTrip: SideTrip
    /// `retryAfter` or `Retry-After`, whichever is larger, capped to ``RunLimits/maxRetryDelay``.
    var delay: Duration
}

/// Where one workflow execution is: its result so far, the values its steps produced, the step
/// to run next and the retry budgets of the current step.
struct WorkflowState {
    let workflow: CompiledWorkflow
    /// The workflow's prepared inputs.
    let inputs: JSONValue
    /// How deep it is nested (0 for an entry).
    let depth: Int
    var result: RunResult
    var stepOutputs: [String: JSONObject] = [:]
    /// Steps whose latest execution succeeded (what a local `dependsOn` asks, V10).
    var succeeded: Set<String> = []
    /// The index of the step to run next.
    var pc = 0
    /// The attempt number of that step.
    var attempt = 1
    /// Retries spent per retry action during the current step execution (A15).
    var budgets: [String: Int] = [:]

    /// Moves to a first attempt of the step at `index` (`next` or a `goto`).
    mutating func move(to index: Int) {
        pc = index
        attempt = 1
        budgets = [:]
    }
}

extension RunSession {
    /// Chooses the action a step attempt leads to and writes it on the attempt's trace
    /// (`action`, `actionName`, and notes: a capped delay, inputs left out).
    ///
    /// Success: the first success action whose criteria pass, else `next`. Failure: the first
    /// failure action whose criteria pass (A15), else `fail`. A retry stays that action while it
    /// matches: once its `retryLimit` is spent the step fails ("before failing the overall
    /// step"), and no later action runs. Budgets are per action for the whole step execution, so
    /// a different failure in between (another action selected) does not renew them.
    func decide(after execution: inout StepExecution, of step: CompiledStep, state: WorkflowState) -> ActionOutcome {
        let actions = execution.succeeded ? step.onSuccess : step.onFailure
        let chosen = actions.first { action in action.criteria.allSatisfy { $0.test(in: execution.context) } }
        execution.trace.actionName = chosen?.name
        let outcome: ActionOutcome
        switch (execution.succeeded, chosen) {
        case (true, nil):
            outcome = .next
        case (true, let action?):
            outcome = successOutcome(action, execution: &execution, state: state)
        case (false, let action?):
            outcome = failureOutcome(action, of: step, execution: &execution, state: state)
        case (false, nil):
            outcome = .fail(FailureReason(stepId: step.stepId, message: execution.failureMessage, kind: execution.failureKind))
        }
        execution.trace.action = traceAction(outcome, in: state)
        return outcome
    }

    /// The trace's action for an outcome. A failure by an `end` failure action reads `end`; a
    /// retry whose target is invalid reads as a retry, and fails once recorded.
    private func traceAction(_ outcome: ActionOutcome, in state: WorkflowState) -> StepAction {
        switch outcome {
        case .next: return .next
        case .jump(let index): return .gotoStep(state.workflow.steps[index].stepId)
        case .transfer(let key, _): return .gotoWorkflow(key.workflowId)
        case .end: return .end
        case .retry(let plan): return .retry(after: plan.delay)
        case .fail(let reason): return reason.kind == .endAction ? .end : .fail
        }
    }

    private func successOutcome(_ action: CompiledAction, execution: inout StepExecution, state: WorkflowState) -> ActionOutcome {
        if action.kind == .end { return .end }
        return gotoOutcome(action, role: "success", withoutTarget: .next, execution: &execution, state: state)
    }

    private func failureOutcome(
        _ action: CompiledAction, of step: CompiledStep, execution: inout StepExecution, state: WorkflowState
    ) -> ActionOutcome {
        switch action.kind {
        case .end:
            // A16: an `end` chosen from the failure actions fails the workflow.
            return .fail(FailureReason(
                stepId: step.stepId, message: "ended by failure action '\(action.name)': \(execution.failureMessage)", kind: .endAction))
        case .goto:
            let noTarget = FailureReason(stepId: step.stepId, message: "failure action '\(action.name)' is a goto without a target", kind: .action)
            return gotoOutcome(action, role: "failure", withoutTarget: .fail(noTarget), execution: &execution, state: state)
        case .retry:
            return retryOutcome(action, of: step, execution: &execution, state: state)
        }
    }

    /// Where a `goto` (or a success action of type goto) leads; `role` (`success`, `failure`)
    /// names the action in messages.
    private func gotoOutcome(
        _ action: CompiledAction, role: String, withoutTarget: ActionOutcome, execution: inout StepExecution, state: WorkflowState
    ) -> ActionOutcome {
        switch action.destination {
        case .step(let index)?:
            return .jump(toStep: index)
        case .workflow(let key)?:
            return transferOutcome(action, to: key, role: role, execution: &execution, state: state)
        case .invalid(let message)?:
            return .fail(FailureReason(stepId: execution.trace.stepId, message: "\(role) action '\(action.name)': \(message)", kind: .action))
        case nil:
            return withoutTarget
        }
    }

    /// A `goto` workflow: the target's inputs are evaluated now, against this attempt.
    private func transferOutcome(
        _ action: CompiledAction, to key: WorkflowKey, role: String, execution: inout StepExecution, state: WorkflowState
    ) -> ActionOutcome {
        switch actionInputs(action, to: key, inputs: state.inputs, context: execution.context, notes: &execution.trace.notes) {
        case .success(let inputs):
            return .transfer(to: key, inputs: inputs)
        case .failure(let failure):
            return .fail(FailureReason(stepId: execution.trace.stepId, message: "\(role) action '\(action.name)': \(failure.message)", kind: .action))
        }
    }

    private func retryOutcome(
        _ action: CompiledAction, of step: CompiledStep, execution: inout StepExecution, state: WorkflowState
    ) -> ActionOutcome {
        if state.budgets[action.name, default: 0] >= action.retryLimit {
            let spent = action.retryLimit == 0
                ? "retry action '\(action.name)' allows no retries (retryLimit: 0)"
                : "retry action '\(action.name)' used its \(action.retryLimit) \(action.retryLimit == 1 ? "retry" : "retries")"
            return .fail(FailureReason(stepId: step.stepId, message: "\(execution.failureMessage); \(spent)", kind: .retriesExhausted))
        }
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
        let sideTrip: RetryPlan.SideTrip
        switch action.destination {
        case .step(let index)?:
            sideTrip = .step(index)
        case .workflow(let key)?:
            // A side trip to a workflow gets the action's parameters, evaluated now, against
            // this attempt (V11).
            switch actionInputs(action, to: key, inputs: state.inputs, context: execution.context, notes: &execution.trace.notes) {
            case .success(let inputs):
                sideTrip = .workflow(key, inputs: inputs)
            case .failure(let failure):
                return .fail(FailureReason(stepId: step.stepId, message: "retry action '\(action.name)': \(failure.message)", kind: .action))
            }
        case .invalid(let message)?:
            sideTrip = .invalid(message)
        case nil:
            sideTrip = .none
        }
        return .retry(RetryPlan(actionName: action.name, sideTrip: sideTrip, delay: delay))
    }

    /// Carries out a retry once the failed attempt is recorded: the budget, the side trip, the
    /// delay. Returns why the workflow fails instead, if it does; the caller then retries.
    nonisolated(nonsending) func prepareRetry(_ retry: RetryPlan, of step: CompiledStep, state: inout WorkflowState) async -> FailureReason? {
        state.budgets[retry.actionName, default: 0] += 1
        switch retry.sideTrip {
        case .none:
            break
        case .step(let index):
            // "The reference is executed and the context is returned": run that step once (its
            // actions are not followed), then retry.
            let side = state.workflow.steps[index]
            if let failure = guardFailure(stepId: side.stepId) { return failure }
            var execution = newExecution(of: side, attempt: 1, state: state)
            await perform(side, state: &state, into: &execution)
            execution.trace.action = .sideStep
            execution.trace.notes.append("run by retry action '\(retry.actionName)' of step \(step.stepId); control returns to it")
            record(execution.takeTrace(), into: &state.result)  // a rare side trip: copied
        case .workflow(let key, let inputs):
            if let target = plan.workflows[key] {
                state.result.workflows.append(await runChild(target, inputs: inputs, depth: state.depth + 1))
            }
        case .invalid(let message):
            return FailureReason(stepId: step.stepId, message: "retry action '\(retry.actionName)': \(message)", kind: .action)
        }
        guard retry.delay > .zero else { return nil }
        if let failure = delayPassesDeadline(retry.delay, stepId: step.stepId) { return failure }
        do {
            try await options.clock.sleep(for: retry.delay)
        } catch {
            return FailureReason(stepId: step.stepId, message: "the run was cancelled while waiting to retry", kind: .cancelled)
        }
        return nil
    }

    /// Executes one attempt of `step` and keeps what later steps read: its outputs, whether it
    /// completed, the run of a workflow it called. Counts toward ``RunLimits/maxSteps``.
    ///
    /// The attempt is the caller's variable (``newExecution(of:attempt:state:)``), filled in
    /// here: returned through the async calls, it was copied whole at each return.
    nonisolated(nonsending) func perform(_ step: CompiledStep, state: inout WorkflowState, into execution: inout StepExecution) async {
        let workflow = state.workflow
        let attempt = execution.trace.attempt
        stepsExecuted += 1
        observation.stepStarted(stepId: step.stepId, attempt: attempt)
        let succeeded = state.succeeded
        let depth = state.depth
        await traced(step, of: workflow, attempt: attempt, &execution) { execution in
            await executeStep(step, workflow: workflow, succeeded: succeeded, depth: depth, into: &execution)
        }
        // The attempt's context is the dictionary's other holder: it lets go first, so the
        // insert does not copy the whole dictionary (the caller hands it the new one after).
        execution.context.steps = [:]
        state.stepOutputs[step.stepId] = execution.outputs
        noteCompletion(of: step.stepId, in: workflow.key, succeeded: execution.succeeded, into: &state.succeeded)
        if let child = execution.child { state.result.workflows.append(child) }
    }
}
