extension WorkflowGraph {
    /// The graph as a Mermaid flowchart: one subgraph per workflow, control flow as solid edges,
    /// calls as dotted ones, `dependsOn` as dotted edges drawn thin (decision GR1). With a
    /// `path`, the steps that ran are coloured by how they ended and the edges taken are drawn
    /// thick (decision GR3). Labels are escaped as Mermaid entity codes (decision GR2).
    public func mermaid(path: RunPath? = nil) -> String {
        let layout = GraphLayout(self)
        var lines = ["flowchart TB"]
        for (index, workflow) in workflows.enumerated() {
            lines.append("  subgraph w\(index + 1)[\"\(Self.mermaidText("workflow " + workflow.workflowId))\"]")
            lines.append("    direction TB")
            for node in layout.nodes(of: index) {
                lines.append("    " + mermaidNode(node, id: layout.id(node)))
            }
            lines.append("  end")
        }
        for node in layout.externals {
            lines.append("  " + mermaidNode(node, id: layout.id(node)))
        }
        let edges = layout.edges
        for edge in edges {
            let arrow = edge.kind == .call || edge.kind == .dependsOn ? "-.->" : "-->"
            let label = edge.label.isEmpty ? "" : "|\"\(Self.mermaidText(edge.label))\"|"
            lines.append("  \(layout.id(edge.from)) \(arrow)\(label) \(layout.id(edge.to))")
        }
        lines.append("  classDef step fill:#ffffff,stroke:#57606a")
        lines.append("  classDef terminal fill:#f6f8fa,stroke:#8c959f")
        lines.append("  classDef external fill:#ddf4ff,stroke:#0969da")
        // One class per node: a node the run reached has its state's class instead of its kind's.
        let states = path?.stepStates() ?? [:]
        let plain = layout.allNodes.filter { states[$0] == nil }
        var classes: [(String, [String])] = [
            ("step", plain.filter { $0.isStep && path == nil }.map(layout.id)),
            ("terminal", plain.filter { !$0.isStep && !$0.isExternal }.map(layout.id)),
            ("external", layout.externals.map(layout.id)),
        ]
        if path != nil {
            lines.append("  classDef succeeded fill:#dafbe1,stroke:#1a7f37,stroke-width:2px")
            lines.append("  classDef retried fill:#fff8c5,stroke:#9a6700,stroke-width:2px")
            lines.append("  classDef failed fill:#ffebe9,stroke:#cf222e,stroke-width:2px")
            lines.append("  classDef notrun fill:#f6f8fa,stroke:#d0d7de,color:#8c959f")
            let drawn = layout.allNodes.filter { !$0.isExternal }
            for state in [RunPath.StepState.succeeded, .retried, .failed] {
                classes.append((state.rawValue, drawn.filter { states[$0] == state }.map(layout.id)))
            }
            classes.append(("notrun", plain.filter(\.isStep).map(layout.id)))
        }
        for (name, ids) in classes where !ids.isEmpty {
            lines.append("  class \(ids.joined(separator: ",")) \(name)")
        }
        let dependencies = edges.indices.filter { edges[$0].kind == .dependsOn }
        if !dependencies.isEmpty {
            lines.append("  linkStyle \(dependencies.map(String.init).joined(separator: ",")) stroke:#8250df,stroke-dasharray:2 4")
        }
        if let path {
            let taken = edges.indices.filter { path.took(edges[$0]) }
            if !taken.isEmpty {
                lines.append("  linkStyle \(taken.map(String.init).joined(separator: ",")) stroke:#1a7f37,stroke-width:3px")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The graph as Graphviz DOT: one cluster per workflow, the same edges and colours as
    /// ``mermaid(path:)``. Labels are DOT quoted strings (decision GR2).
    public func dot(path: RunPath? = nil) -> String {
        let layout = GraphLayout(self)
        let states = path?.stepStates() ?? [:]
        var lines = [
            "digraph arazzo {",
            "  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=12];",
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#57606a\", fontname=\"Helvetica\", fontsize=11];",
            "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#57606a\"];",
        ]
        func attributes(_ node: Node) -> String {
            var shape: String?
            var fill: String?
            var color: String?
            var extra: [String] = []
            switch node {
            case .start, .succeeded, .failed: (shape, fill, color) = ("oval", "#f6f8fa", "#8c959f")
            case .external: (shape, fill, color) = ("component", "#ddf4ff", "#0969da")
            case .step: break
            }
            if path != nil, !node.isExternal {
                switch states[node] {
                case .succeeded?: (fill, color, extra) = ("#dafbe1", "#1a7f37", ["penwidth=2"])
                case .retried?: (fill, color, extra) = ("#fff8c5", "#9a6700", ["penwidth=2"])
                case .failed?: (fill, color, extra) = ("#ffebe9", "#cf222e", ["penwidth=2"])
                case nil: if node.isStep { (fill, color, extra) = ("#f6f8fa", "#d0d7de", ["fontcolor=\"#8c959f\""]) }
                }
            }
            var attributes: [String] = ["label=" + Self.dotString(nodeLabel(node))]
            if let shape { attributes.append("shape=\(shape)") }
            if let fill { attributes.append("fillcolor=\"\(fill)\"") }
            if let color { attributes.append("color=\"\(color)\"") }
            return (attributes + extra).joined(separator: ", ")
        }
        for (index, workflow) in workflows.enumerated() {
            lines.append("  subgraph cluster_w\(index + 1) {")
            lines.append("    label=\(Self.dotString("workflow " + workflow.workflowId));")
            lines.append("    color=\"#d0d7de\";")
            for node in layout.nodes(of: index) {
                lines.append("    \(layout.id(node)) [\(attributes(node))];")
            }
            lines.append("  }")
        }
        for node in layout.externals {
            lines.append("  \(layout.id(node)) [\(attributes(node))];")
        }
        for edge in layout.edges {
            var attributes: [String] = []
            if !edge.label.isEmpty { attributes.append("label=" + Self.dotString(edge.label)) }
            switch edge.kind {
            case .call: attributes.append("style=dashed")
            case .dependsOn: attributes.append("style=dotted, color=\"#8250df\", arrowhead=empty")
            case .next, .goto, .retry, .end: break
            }
            if edge.onFailure, edge.kind != .dependsOn { attributes.append("fontcolor=\"#cf222e\"") }
            if let path, path.took(edge) { attributes.append("color=\"#1a7f37\", penwidth=3") }
            let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
            lines.append("  \(layout.id(edge.from)) -> \(layout.id(edge.to))\(suffix);")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A node's label: a step's id and target, a terminal's role, an external workflow's id.
    func nodeLabel(_ node: Node) -> String {
        switch node {
        case .start: return "start"
        case .succeeded: return "succeeded"
        case .failed: return "failed"
        case .external(let id): return "workflow " + id
        case .step(let workflowId, let stepId):
            let step = workflows.first { $0.workflowId == workflowId }?.steps.first { $0.stepId == stepId }
            return step.map { "\($0.stepId)\n\($0.field): \($0.operation)" } ?? stepId
        }
    }

    private func mermaidNode(_ node: Node, id: String) -> String {
        let text = nodeLabel(node).split(separator: "\n", omittingEmptySubsequences: false)
            .map { Self.mermaidText(String($0)) }.joined(separator: "<br/>")
        switch node {
        case .start, .succeeded, .failed: return "\(id)([\"\(text)\"])"
        case .external: return "\(id)[[\"\(text)\"]]"
        case .step: return "\(id)[\"\(text)\"]"
        }
    }

    /// Text for inside a Mermaid quoted label: every character that could end the string (`"`,
    /// `|` in an edge label), start an entity (`#`, `&`), markup (`<`, `>`) or a Markdown string
    /// (a backtick) as a decimal entity code (`#34;`); control characters as spaces (decision GR2).
    static func mermaidText(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "#", "<", ">", "&", "`", "|":
                out += "#\(scalar.value);"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A DOT quoted string: backslashes and quotes escaped, line breaks as `\n` (centred lines),
    /// other control characters as spaces (decision GR2).
    static func dotString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

extension WorkflowGraph.Node {
    var isExternal: Bool {
        if case .external = self { return true }
        return false
    }
}

/// Node ids and the nodes each workflow draws, shared by the renderers: `w1_start`, `w1_s2`,
/// `w1_ok`, `w1_fail`, `x1` for a workflow not drawn. Ids are made here, never from user text, so
/// no id needs escaping.
struct GraphLayout {
    private(set) var ids: [WorkflowGraph.Node: String] = [:]
    private var perWorkflow: [[WorkflowGraph.Node]] = []
    private(set) var externals: [WorkflowGraph.Node] = []
    /// Every edge, with references to workflows not drawn rewritten as external nodes.
    private(set) var edges: [WorkflowGraph.Edge] = []

    init(_ graph: WorkflowGraph) {
        let drawn = Set(graph.workflows.map(\.workflowId))
        func resolved(_ node: WorkflowGraph.Node) -> WorkflowGraph.Node {
            drawn.contains(node.workflowId) ? node : .external(workflowId: node.workflowId)
        }
        for workflow in graph.workflows {
            for edge in workflow.edges {
                edges.append(WorkflowGraph.Edge(
                    from: resolved(edge.from), to: resolved(edge.to), kind: edge.kind, label: edge.label,
                    actionName: edge.actionName, onFailure: edge.onFailure))
            }
        }
        let used = Set(edges.flatMap { [$0.from, $0.to] })
        for (index, workflow) in graph.workflows.enumerated() {
            let id = workflow.workflowId
            let prefix = "w\(index + 1)"
            var nodes: [WorkflowGraph.Node] = [.start(workflowId: id)]
            ids[.start(workflowId: id)] = prefix + "_start"
            for (stepIndex, step) in workflow.steps.enumerated() {
                let node = WorkflowGraph.Node.step(workflowId: id, stepId: step.stepId)
                // A duplicate step id (an invalid document) is drawn once.
                guard ids[node] == nil else { continue }
                ids[node] = "\(prefix)_s\(stepIndex + 1)"
                nodes.append(node)
            }
            nodes.append(.succeeded(workflowId: id))
            ids[.succeeded(workflowId: id)] = prefix + "_ok"
            if used.contains(.failed(workflowId: id)) {
                nodes.append(.failed(workflowId: id))
                ids[.failed(workflowId: id)] = prefix + "_fail"
            }
            perWorkflow.append(nodes)
        }
        for edge in edges {
            for node in [edge.from, edge.to] where ids[node] == nil {
                if case .external = node {
                    externals.append(node)
                    ids[node] = "x\(externals.count)"
                }
            }
        }
        // A step reference that names no drawn step (cannot happen for a valid document) is
        // left out rather than drawn as an undeclared node.
        edges = edges.filter { ids[$0.from] != nil && ids[$0.to] != nil }
    }

    func nodes(of workflowIndex: Int) -> [WorkflowGraph.Node] { perWorkflow[workflowIndex] }
    var allNodes: [WorkflowGraph.Node] { perWorkflow.flatMap { $0 } + externals }
    func id(_ node: WorkflowGraph.Node) -> String { ids[node] ?? "missing" }
}
