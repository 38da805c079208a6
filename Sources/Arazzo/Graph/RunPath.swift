/// What a recorded run did, in the terms of a ``WorkflowGraph``: which steps ran and how they
/// ended, and which edges the run took. Built from run results (``init(results:)``) or from
/// anything else that records the steps in order (a JSON run report, ``init(runs:)``).
public struct RunPath: Sendable, Hashable {
    /// One execution of one workflow.
    public struct Run: Sendable, Hashable {
        /// The workflow that ran.
        public var workflowId: String
        /// Whether it succeeded.
        public var succeeded: Bool
        /// Every step attempt, in execution order.
        public var steps: [Visit]
        /// The workflows it caused to run (dependencies, workflow steps, `goto` workflows).
        public var runs: [Run]

        /// Creates a run.
        public init(workflowId: String, succeeded: Bool, steps: [Visit], runs: [Run] = []) {
            self.workflowId = workflowId
            self.succeeded = succeeded
            self.steps = steps
            self.runs = runs
        }
    }

    /// One step attempt.
    public struct Visit: Sendable, Hashable {
        /// The step.
        public var stepId: String
        /// Whether the attempt succeeded.
        public var succeeded: Bool
        /// What the run did after it.
        public var action: StepAction
        /// The success or failure action chosen, when one was.
        public var actionName: String?

        /// Creates a visit.
        public init(stepId: String, succeeded: Bool, action: StepAction, actionName: String? = nil) {
            self.stepId = stepId
            self.succeeded = succeeded
            self.action = action
            self.actionName = actionName
        }
    }

    /// How a step fared in the run.
    public enum StepState: String, Sendable, Hashable {
        /// Its last attempt succeeded on the first try.
        case succeeded
        /// It failed at least once and then succeeded.
        case retried
        /// Its last attempt failed.
        case failed
    }

    /// The runs, entries first.
    public let runs: [Run]

    /// A path from runs.
    public init(runs: [Run]) {
        self.runs = runs
    }

    /// The path of run results, nested runs included.
    public init(results: [RunResult]) {
        func run(_ result: RunResult) -> Run {
            Run(
                workflowId: result.workflowId, succeeded: result.succeeded,
                steps: result.steps.map { Visit(stepId: $0.stepId, succeeded: $0.succeeded, action: $0.action, actionName: $0.actionName) },
                runs: result.workflows.map(run))
        }
        self.init(runs: results.map(run))
    }

    /// Every run, nested ones included, depth first.
    var allRuns: [Run] {
        func flatten(_ run: Run) -> [Run] { [run] + run.runs.flatMap(flatten) }
        return runs.flatMap(flatten)
    }

    /// The state of each step that ran (keyed by workflow and step id), and the nodes reached.
    func stepStates() -> [WorkflowGraph.Node: StepState] {
        var states: [WorkflowGraph.Node: StepState] = [:]
        for run in allRuns {
            var failedOnce: Set<String> = []
            for visit in run.steps {
                let node = WorkflowGraph.Node.step(workflowId: run.workflowId, stepId: visit.stepId)
                if visit.succeeded {
                    states[node] = failedOnce.contains(visit.stepId) ? .retried : .succeeded
                } else {
                    failedOnce.insert(visit.stepId)
                    states[node] = .failed
                }
            }
            if !run.steps.isEmpty || run.succeeded {
                states[.start(workflowId: run.workflowId)] = .succeeded
            }
            if run.succeeded {
                states[.succeeded(workflowId: run.workflowId)] = .succeeded
            } else if run.steps.last?.action == .end {
                states[.failed(workflowId: run.workflowId)] = .failed
            }
        }
        return states
    }

    /// Whether the run took `edge`: a step attempt followed by the action the edge stands for,
    /// to the step that ran next (decision GR3).
    func took(_ edge: WorkflowGraph.Edge) -> Bool {
        for run in allRuns where run.workflowId == edge.from.workflowId || edge.kind == .dependsOn {
            if took(edge, in: run) { return true }
        }
        return false
    }

    private func took(_ edge: WorkflowGraph.Edge, in run: Run) -> Bool {
        let id = run.workflowId
        // Side steps (run by a retry action) are not moves of their own.
        let moves = run.steps.filter { $0.action != .sideStep }
        switch (edge.kind, edge.from) {
        case (.dependsOn, _):
            guard edge.to.workflowId == id else { return false }
            let ranBefore = run.runs.contains { $0.workflowId == edge.from.workflowId }
            if case .start = edge.to { return ranBefore }
            return ranBefore || edge.from.workflowId == id && moves.contains { edge.from == .step(workflowId: id, stepId: $0.stepId) }
        case (.next, .start):
            guard let first = moves.first else { return run.succeeded && edge.to == .succeeded(workflowId: id) }
            return edge.to == .step(workflowId: id, stepId: first.stepId)
        default:
            break
        }
        for (index, visit) in moves.enumerated() where edge.from == .step(workflowId: id, stepId: visit.stepId) {
            let following = index + 1 < moves.count ? moves[index + 1] : nil
            switch (edge.kind, visit.action) {
            case (.next, .next):
                if let following {
                    if edge.to == .step(workflowId: id, stepId: following.stepId) { return true }
                } else if run.succeeded, edge.to == .succeeded(workflowId: id) {
                    return true
                }
            case (.goto, .gotoStep(let target)):
                if edge.actionName == visit.actionName, edge.to == .step(workflowId: id, stepId: target) { return true }
            case (.call, .gotoWorkflow(let target)):
                if edge.actionName == visit.actionName, edge.to.workflowId == target { return true }
            case (.retry, .retry):
                if edge.actionName == visit.actionName { return true }
            case (.goto, .retry), (.call, .retry):
                // The side trip of the retry action that was taken.
                if edge.actionName == visit.actionName, edge.label.hasPrefix("retry ") { return true }
            case (.end, .end):
                if edge.actionName == visit.actionName { return true }
            case (.call, _):
                // A workflow step: it ran the workflow the edge reaches.
                if edge.actionName == nil, run.runs.contains(where: { $0.workflowId == edge.to.workflowId }) { return true }
            default:
                break
            }
        }
        return false
    }
}
