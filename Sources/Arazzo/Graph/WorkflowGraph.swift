import ArazzoModel

/// A picture of the workflows of an Arazzo document: each workflow's steps in order, and every
/// way control can move between them: the sequence, success and failure actions (`goto`,
/// `retry` with its limit, `end`), calls to other workflows and `dependsOn` (docs/reports.md).
///
/// Built from the same compiled plan the engine runs, so the edges are the actions a run can
/// take: a step's own actions first, then the workflow's actions it does not override by name.
/// Render it with ``mermaid(path:)`` or ``dot(path:)``; pass a ``RunPath`` to colour what a run did.
public struct WorkflowGraph: Sendable, Hashable {
    /// The workflows drawn, in document order.
    public let workflows: [Workflow]

    /// One workflow: its steps and the edges that leave them.
    public struct Workflow: Sendable, Hashable {
        /// The `workflowId`.
        public let workflowId: String
        /// The workflow's `summary`, when it has one.
        public let summary: String?
        /// The steps, in document order.
        public let steps: [Step]
        /// Every edge that starts in this workflow (at its start node or at one of its steps).
        public let edges: [Edge]
    }

    /// One step: its id and what it targets, as written.
    public struct Step: Sendable, Hashable {
        /// The `stepId`.
        public let stepId: String
        /// The field naming the target: `operationId`, `operationPath`, `workflowId`, `channelPath`.
        public let field: String
        /// The target as written.
        public let operation: String
    }

    /// A place an edge starts or ends.
    public enum Node: Sendable, Hashable {
        /// Where a workflow starts.
        case start(workflowId: String)
        /// A step of a workflow.
        case step(workflowId: String, stepId: String)
        /// The workflow ended successfully.
        case succeeded(workflowId: String)
        /// The workflow ended by failing (an `end` failure action).
        case failed(workflowId: String)
        /// A workflow that is not drawn (another document's, or one left out by a filter).
        case external(workflowId: String)

        /// The workflow the node belongs to.
        public var workflowId: String {
            switch self {
            case .start(let id), .succeeded(let id), .failed(let id), .external(let id): return id
            case .step(let id, _): return id
            }
        }
    }

    /// What an edge stands for; renderers give each kind its own style.
    public enum EdgeKind: String, Sendable, Hashable, CaseIterable {
        /// On to the following step (or from the start to the first step, or from the last
        /// step to the successful end).
        case next
        /// A `goto` success or failure action to a step of the same workflow.
        case goto
        /// A `retry` failure action: back to the same step (through its target, when it has one).
        case retry
        /// An `end` success or failure action.
        case end
        /// A step that runs another workflow (`workflowId`), or a `goto` to one.
        case call
        /// `dependsOn`: the workflow or step at the tail runs (and succeeds) first.
        case dependsOn
    }

    /// One edge, with the label renderers write on it.
    public struct Edge: Sendable, Hashable {
        /// Where it starts.
        public let from: Node
        /// Where it ends.
        public let to: Node
        /// What it stands for.
        public let kind: EdgeKind
        /// The label: `onSuccess: NAME`, `retry NAME (limit 3)`, `calls`, `dependsOn`, … (empty for `next`).
        public let label: String
        /// The success or failure action's name, when the edge is one.
        public let actionName: String?
        /// Whether the edge is a failure action.
        public let onFailure: Bool
    }
}

extension WorkflowGraph {
    /// The graph of the entry document's workflows (all of them, or only `workflowIds` in that
    /// order). Other documents' workflows an edge reaches are drawn as ``Node/external(workflowId:)``.
    /// Throws ``UnknownWorkflow`` for the first id that is not a workflow of the document.
    public init(_ loaded: LoadedDocument, workflowIds: [String]? = nil) throws(UnknownWorkflow) {
        let plan = EnginePlan(loaded: loaded)
        let ids = workflowIds ?? loaded.workflowIds
        var drawn: [Workflow] = []
        for id in ids {
            let key = WorkflowKey(unitURL: loaded.url, workflowId: id)
            guard let compiled = plan.workflows[key],
                  let written = loaded.document.workflows.first(where: { $0.workflowId == id })
            else { throw UnknownWorkflow(workflowId: id, known: loaded.workflowIds) }
            drawn.append(Self.workflow(compiled, written: written, entryURL: loaded.url))
        }
        workflows = drawn
    }

    /// A workflow id that names no workflow of the document.
    public struct UnknownWorkflow: Error, Sendable, CustomStringConvertible {
        /// The id asked for.
        public let workflowId: String
        /// The document's workflow ids.
        public let known: [String]
        /// `no workflow 'x' in the document (it has: a, b)`.
        public var description: String {
            "no workflow '\(workflowId)' in the document (it has: \(known.joined(separator: ", ")))"
        }
    }

    private static func workflow(_ compiled: CompiledWorkflow, written: ArazzoModel.Workflow, entryURL: String) -> Workflow {
        let id = compiled.workflowId
        // A workflow of another document keeps its id; the graph names it as an external node.
        func node(_ key: WorkflowKey) -> Node {
            key.unitURL == entryURL ? .start(workflowId: key.workflowId) : .external(workflowId: key.workflowId)
        }
        var edges: [Edge] = []
        for dependency in compiled.dependsOn {
            guard case .success(let key) = dependency else { continue }
            edges.append(Edge(from: node(key), to: .start(workflowId: id), kind: .dependsOn, label: "dependsOn", actionName: nil, onFailure: false))
        }
        let steps = compiled.steps
        if let first = steps.first {
            edges.append(Edge(from: .start(workflowId: id), to: .step(workflowId: id, stepId: first.stepId), kind: .next, label: "", actionName: nil, onFailure: false))
        } else {
            edges.append(Edge(from: .start(workflowId: id), to: .succeeded(workflowId: id), kind: .next, label: "", actionName: nil, onFailure: false))
        }
        for (index, step) in steps.enumerated() {
            let here = Node.step(workflowId: id, stepId: step.stepId)
            for prerequisite in step.dependsOn {
                switch prerequisite {
                case .local(let stepId):
                    edges.append(Edge(from: .step(workflowId: id, stepId: stepId), to: here, kind: .dependsOn, label: "dependsOn", actionName: nil, onFailure: false))
                case .other(let key, let stepId):
                    let from: Node = key.unitURL == entryURL ? .step(workflowId: key.workflowId, stepId: stepId) : .external(workflowId: key.workflowId)
                    edges.append(Edge(from: from, to: here, kind: .dependsOn, label: "dependsOn", actionName: nil, onFailure: false))
                case .invalid:
                    break
                }
            }
            if case .success(.workflow(let key)) = step.target {
                edges.append(Edge(from: here, to: node(key), kind: .call, label: "calls", actionName: nil, onFailure: false))
            }
            // Without a success action that moves elsewhere, success goes on to the next step.
            let following: Node = index + 1 < steps.count
                ? .step(workflowId: id, stepId: steps[index + 1].stepId) : .succeeded(workflowId: id)
            edges.append(Edge(from: here, to: following, kind: .next, label: "", actionName: nil, onFailure: false))
            for action in step.onSuccess {
                edges += actionEdges(action, from: here, failure: false, workflow: compiled, node: node)
            }
            for action in step.onFailure {
                edges += actionEdges(action, from: here, failure: true, workflow: compiled, node: node)
            }
        }
        let graphSteps = zip(steps, written.steps).map { compiledStep, writtenStep in
            Step(stepId: compiledStep.stepId, field: writtenStep.target.fieldName, operation: compiledStep.operationText)
        }
        return Workflow(workflowId: id, summary: written.summary, steps: graphSteps, edges: edges)
    }

    private static func actionEdges(
        _ action: CompiledAction, from: Node, failure: Bool, workflow: CompiledWorkflow, node: (WorkflowKey) -> Node
    ) -> [Edge] {
        let id = workflow.workflowId
        let role = failure ? "onFailure" : "onSuccess"
        let conditional = action.criteria.isEmpty ? "" : " (if criteria)"
        var target: Node?
        var via = ""
        switch action.destination {
        case .step(let index)?:
            target = .step(workflowId: id, stepId: workflow.steps[index].stepId)
            via = workflow.steps[index].stepId
        case .workflow(let key)?:
            target = node(key)
            via = "workflow " + key.workflowId
        case .invalid?, nil:
            target = nil
        }
        switch action.kind {
        case .end:
            let to: Node = failure ? .failed(workflowId: id) : .succeeded(workflowId: id)
            return [Edge(from: from, to: to, kind: .end, label: "\(role): end \(action.name)\(conditional)", actionName: action.name, onFailure: failure)]
        case .goto:
            guard let target else { return [] }
            let kind: EdgeKind = if case .step = target { .goto } else { .call }
            return [Edge(from: from, to: target, kind: kind, label: "\(role): goto \(action.name)\(conditional)", actionName: action.name, onFailure: failure)]
        case .retry:
            let limit = "limit \(action.retryLimit)"
            let delay = action.retryAfter.map { ", after \(RunSession.format(RunSession.duration(seconds: $0)))" } ?? ""
            var label = "\(role): retry \(action.name) (\(limit)\(delay))\(conditional)"
            if !via.isEmpty { label += " via \(via)" }
            var edges = [Edge(from: from, to: from, kind: .retry, label: label, actionName: action.name, onFailure: failure)]
            // The side trip a retry takes first: its target runs, then control comes back.
            if let target, target != from {
                edges.append(Edge(from: from, to: target, kind: target.isStep ? .goto : .call, label: "retry \(action.name): runs first", actionName: action.name, onFailure: failure))
            }
            return edges
        }
    }
}

extension WorkflowGraph.Node {
    var isStep: Bool {
        if case .step = self { return true }
        return false
    }
}

