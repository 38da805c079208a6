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
            for dependency in workflow.dependsOn + workflow.stepDependencyWorkflows {
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

/// `$workflows.<id>.…` read by a workflow that `<id>` has not run before (decision A18): it is
/// not a dependency of the reader (directly or transitively), not called by it (a step
/// `workflowId`, a `goto` or `retry` action, transitively), and does not come before it in a
/// whole-document run. The read is then unresolved in every run, so the run would fail or leave the
/// value out; `dependsOn` is what the reader needs.
enum WorkflowOrderChecks {
    static func readsBeforeRun(in loaded: LoadedDocument, locator: ScalarLocator) -> [Diagnostic] {
        // Only a document with several workflows can read another's values.
        let units = loaded.units.values.filter { $0.document.workflows.count > 1 }.sorted(by: { $0.url < $1.url })
        guard !units.isEmpty else { return [] }
        let reach = Reach(loaded: loaded)
        var out: [Diagnostic] = []
        for unit in units {
            out.append(contentsOf: readsBeforeRun(in: unit, reach: reach, locator: locator))
        }
        return out
    }

    private static func readsBeforeRun(in unit: ArazzoUnit, reach: Reach, locator: ScalarLocator) -> [Diagnostic] {
        let document = unit.document

        // What has run, or may run, by the time each entry's steps read values: itself, what it
        // reaches, and every earlier entry of a whole-document run with what that one reaches.
        var available: [String: Set<WorkflowKey>] = [:]
        var earlier: Set<WorkflowKey> = []
        for workflow in WorkflowOrder.wholeDocument(document.workflows) {
            let key = WorkflowKey(unitURL: unit.url, workflowId: workflow.workflowId)
            let reached = reach.closure(of: key)
            available[workflow.workflowId] = earlier.union(reached)
            earlier.formUnion(reached)
        }

        let local = Set(document.workflows.map(\.workflowId))
        var out: [Diagnostic] = []
        var reported: Set<SourceLocation> = []
        for site in document.expressionSites {
            guard let reader = site.workflowId, let seen = available[reader], Self.holdsValues(site.role) else { continue }
            for read in Self.workflowReads(in: site.text) where local.contains(read.workflowId) && read.workflowId != reader {
                // `$workflows.<id>` names a workflow of the reader's own document.
                guard !seen.contains(WorkflowKey(unitURL: unit.url, workflowId: read.workflowId)) else { continue }
                let location = locator.locate(offset: read.offset, in: site.text, scalarAt: site.location)
                guard reported.insert(location).inserted else { continue }
                out.append(.warning(
                    "`$workflows.\(read.workflowId)` is read before workflow `\(read.workflowId)` runs: `\(reader)` does not depend on it and a whole-document run takes `\(reader)` first; add `dependsOn: [\(read.workflowId)]` to workflow `\(reader)`",
                    at: location, code: "workflow-read-before-run",
                    notes: ["another workflow's inputs and outputs exist only once it has run in the same run: as a dependency, a workflow this one calls, or one before it in a whole-document run"]))
            }
        }
        return out
    }

    /// Sites whose text is evaluated against the run (not references naming a workflow or operation).
    private static func holdsValues(_ role: ExpressionSite.Role) -> Bool {
        switch role {
        case .operationId, .operationPath, .workflowReference, .componentReference: return false
        default: return true
        }
    }

    /// Every `$workflows.<id>.inputs|outputs` in `text`, with the offset of its `$` in Unicode
    /// scalars. A malformed one is left to the expression checks.
    static func workflowReads(in text: String) -> [(workflowId: String, offset: Int)] {
        let scalars = Array(text.unicodeScalars)
        let prefix = Array("$workflows.".unicodeScalars)
        var reads: [(String, Int)] = []
        var i = 0
        while i + prefix.count <= scalars.count {
            guard scalars[i] == "$", Array(scalars[i..<(i + prefix.count)]) == prefix else {
                i += 1
                continue
            }
            let start = i
            var j = i + prefix.count
            var id = String.UnicodeScalarView()
            while j < scalars.count, !Self.endsName(scalars[j]) {
                id.append(scalars[j])
                j += 1
            }
            i = j
            guard !id.isEmpty, j < scalars.count, scalars[j] == "." else { continue }
            let rest = String(String.UnicodeScalarView(scalars[(j + 1)...].prefix(8)))
            guard rest.hasPrefix("inputs.") || rest.hasPrefix("outputs.") else { continue }
            reads.append((String(id), start))
        }
        return reads
    }

    private static func endsName(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case ".", "#", "{", "}", "(", ")", "[", "]", "=", "!", "<", ">", "&", "|", "'", "\"", ",": return true
        default: return c.properties.isWhitespace
        }
    }
}

/// Which workflows a workflow's run can run before or while its steps read values: its
/// `dependsOn` closure and the workflows it calls from steps and actions, transitively, across
/// documents.
private struct Reach {
    /// Direct edges, computed once per workflow.
    private var edges: [WorkflowKey: [WorkflowKey]] = [:]

    init(loaded: LoadedDocument) {
        var edges: [WorkflowKey: [WorkflowKey]] = [:]
        for unit in loaded.units.values {
            let resolver = OperationResolver(loaded: loaded, unit: unit)
            let document = unit.document
            for workflow in document.workflows {
                let texts = document.workflowReferences(of: workflow)
                let key = WorkflowKey(unitURL: unit.url, workflowId: workflow.workflowId)
                var next: [WorkflowKey] = []
                for text in texts {
                    if case .success(.workflow(let target)) = resolver.resolveWorkflow(text) { next.append(target) }
                }
                if edges[key] == nil { edges[key] = next }
            }
        }
        self.edges = edges
    }

    /// `start` and everything it reaches.
    func closure(of start: WorkflowKey) -> Set<WorkflowKey> {
        var seen: Set<WorkflowKey> = [start]
        var queue = [start]
        while let key = queue.popLast() {
            for next in edges[key] ?? [] where seen.insert(next).inserted { queue.append(next) }
        }
        return seen
    }
}
