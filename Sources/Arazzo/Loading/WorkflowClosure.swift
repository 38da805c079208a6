public import ArazzoDiagnostics
import ArazzoModel
import ArazzoYAML

extension LoadedDocument {
    /// The errors among `diagnostics` that stop the entry workflow `workflowId` from running: every
    /// error except those located inside parts of the documents the workflow does not reach.
    ///
    /// A workflow reaches its own steps, the workflows it calls, `dependsOn` or sends a `goto` or
    /// `retry` action to (across documents, transitively), and the components those workflows
    /// name. An action target counts even behind criteria that may never hold: the run must not
    /// start, and send requests, only to stop at a workflow that cannot run. An error inside another workflow,
    /// inside a component none of them names, or inside `info` does not stop it; any other error
    /// does (source descriptions, the document root, OpenAPI descriptions, unlocated problems),
    /// since it may change what the workflow's operations resolve to.
    public func errors(blocking workflowId: String, in diagnostics: Diagnostics) -> [Diagnostic] {
        let errors = diagnostics.errors
        guard !errors.isEmpty else { return [] }
        let map = RegionMap(loaded: self)
        let reached = map.closure(of: WorkflowKey(unitURL: url, workflowId: workflowId), loaded: self)
        return errors.filter { !map.isOutside(reached, $0) }
    }
}

/// Where each workflow, component entry and `info` block of every loaded Arazzo document is.
private struct RegionMap {
    /// One stretch of a file.
    struct Region {
        let file: String
        let start: SourcePosition
        let end: SourcePosition

        func contains(_ location: SourceLocation) -> Bool {
            location.file == file && start <= location.position && location.position < end
        }
    }

    /// A component entry: the unit, `parameters`/`successActions`/`failureActions`/`inputs`, the name.
    struct ComponentKey: Hashable {
        let unitURL: String
        let kind: String
        let name: String
    }

    var workflows: [WorkflowKey: Region] = [:]
    var components: [ComponentKey: Region] = [:]
    var infos: [Region] = []

    init(loaded: LoadedDocument) {
        for unit in loaded.units.values {
            let root = unit.document.root
            let file = unit.document.location.file
            func region(_ node: YAMLNode) -> Region {
                Region(file: file, start: node.location.position, end: node.end)
            }
            // From the key: a missing `info` field is reported at `info:` itself.
            if let info = root.mapping?.first(where: { $0.key == "info" }) {
                infos.append(region(YAMLNode(kind: info.value.kind, location: info.keyLocation, end: info.value.end)))
            }
            // Matched by location: a workflow the decoder dropped has no AST entry, so indices
            // may not line up.
            let byLocation = Dictionary(unit.document.workflows.map { ($0.location, $0.workflowId) }, uniquingKeysWith: { first, _ in first })
            for node in root["workflows"]?.sequence ?? [] {
                if let id = byLocation[node.location] {
                    let key = WorkflowKey(unitURL: unit.url, workflowId: id)
                    if workflows[key] == nil { workflows[key] = region(node) }
                }
            }
            for kind in root["components"]?.mapping ?? [] {
                for entry in kind.value.mapping ?? [] {
                    let node = YAMLNode(kind: entry.value.kind, location: entry.keyLocation, end: entry.value.end)
                    components[ComponentKey(unitURL: unit.url, kind: kind.key, name: entry.key)] = region(node)
                }
            }
        }
    }

    /// The workflows and components `start` reaches.
    func closure(of start: WorkflowKey, loaded: LoadedDocument) -> (workflows: Set<WorkflowKey>, components: Set<ComponentKey>) {
        var seen: Set<WorkflowKey> = [start]
        var used: Set<ComponentKey> = []
        var queue = [start]
        while let key = queue.popLast() {
            guard let unit = loaded.units[key.unitURL], let workflow = unit.document.workflow(key.workflowId) else { continue }
            let resolver = OperationResolver(loaded: loaded, unit: unit)
            for text in unit.document.workflowReferences(of: workflow) {
                if case .success(.workflow(let next)) = resolver.resolveWorkflow(text), seen.insert(next).inserted {
                    queue.append(next)
                }
            }
            if let region = workflows[key], let node = Self.node(at: region, in: unit.document.root) {
                for reference in Self.componentReferences(in: node) {
                    used.insert(ComponentKey(unitURL: unit.url, kind: reference.kind, name: reference.name))
                }
            }
        }
        return (seen, used)
    }

    /// Whether `diagnostic` lies in a part of the documents that `reached` does not include.
    func isOutside(_ reached: (workflows: Set<WorkflowKey>, components: Set<ComponentKey>), _ diagnostic: Diagnostic) -> Bool {
        guard let location = diagnostic.location else { return false }
        if infos.contains(where: { $0.contains(location) }) { return true }
        for (key, region) in workflows where region.contains(location) {
            return !reached.workflows.contains(key)
        }
        for (key, region) in components where region.contains(location) {
            return !reached.components.contains(key)
        }
        return false
    }

    /// The workflow node whose region is `region`.
    static func node(at region: Region, in root: YAMLNode) -> YAMLNode? {
        root["workflows"]?.sequence?.first {
            $0.location.line == region.start.line && $0.location.column == region.start.column
        }
    }

    /// `$components.<kind>.<name>` and `#/components/<kind>/<name>` references anywhere in `node`.
    static func componentReferences(in node: YAMLNode) -> [(kind: String, name: String)] {
        var found: [(String, String)] = []
        node.forEachNode(limit: 200_000) { current in
            guard let text = current.scalar?.text else { return }
            for prefix in ["$components.", "#/components/"] where text.hasPrefix(prefix) {
                let separator: Character = prefix == "#/components/" ? "/" : "."
                let parts = text.dropFirst(prefix.count).split(separator: separator, maxSplits: 1)
                if parts.count == 2 {
                    // `$components.parameters.p.value`-like tails are not component names.
                    let name = prefix == "#/components/" ? parts[1].split(separator: "/").first.map(String.init) ?? "" : String(parts[1])
                    found.append((String(parts[0]), name))
                }
            }
        }
        return found
    }
}

extension ArazzoSpecification {
    /// The workflow references `workflow` makes, as written: its `dependsOn` and the workflows
    /// its steps' `dependsOn` name, its steps' `workflowId`s and the `workflowId` of every success
    /// and failure action (its own defaults and its steps'). Each caller resolves them with its unit's
    /// ``OperationResolver``.
    func workflowReferences(of workflow: Workflow) -> [String] {
        // Workflows named by a step's `dependsOn` run first, as dependencies (decision V10).
        var texts = (workflow.dependsOn + workflow.stepDependencyWorkflows).map(\.text)
        for step in workflow.steps {
            if case .workflowId(let e) = step.target { texts.append(e.text) }
        }
        var targets: [ActionTarget?] = workflow.successActions.map { resolve($0)?.target }
        targets += workflow.failureActions.map { resolve($0)?.target }
        for step in workflow.steps {
            targets += step.onSuccess.map { resolve($0)?.target }
            targets += step.onFailure.map { resolve($0)?.target }
        }
        for case .workflowId(let e)? in targets { texts.append(e.text) }
        return texts
    }
}
