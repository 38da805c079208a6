import ArazzoDiagnostics
import ArazzoModel

/// The order a whole-document run takes workflows in (decision A18).
enum WorkflowOrder {
    /// Each workflow after the local workflows it `dependsOn` (transitively), otherwise in
    /// document order. Cross-document dependencies are not entries: they run as dependencies.
    static func wholeDocument(_ workflows: [Workflow]) -> [Workflow] {
        let byId = Dictionary(workflows.map { ($0.workflowId, $0) }, uniquingKeysWith: { first, _ in first })
        var done: Set<String> = []
        var visiting: Set<String> = []
        var order: [Workflow] = []
        // Depth-bounded so a hostile chain cannot exhaust the stack; a cycle (an error reported by
        // validation) is cut where it closes.
        func visit(_ workflow: Workflow, depth: Int) {
            guard !done.contains(workflow.workflowId), !visiting.contains(workflow.workflowId), depth < 256 else { return }
            visiting.insert(workflow.workflowId)
            for dependency in workflow.dependsOn {
                if let target = byId[dependency.text] { visit(target, depth: depth + 1) }
            }
            visiting.remove(workflow.workflowId)
            done.insert(workflow.workflowId)
            order.append(workflow)
        }
        for workflow in workflows { visit(workflow, depth: 0) }
        return order
    }
}

extension LoadedDocument {
    /// The entry document's workflow ids in the order a whole-document run takes them: each after
    /// the workflows it `dependsOn`, otherwise in document order (decision A18).
    public var runOrder: [String] {
        WorkflowOrder.wholeDocument(document.workflows).map(\.workflowId)
    }
}
