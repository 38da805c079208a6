extension WorkflowGraph {
    /// Only the workflows `workflowIds` names (in the graph's order); edges to the others then
    /// lead to ``Node/external(workflowId:)`` nodes when rendered.
    public func restricted(to workflowIds: some Sequence<String>) -> WorkflowGraph {
        let kept = Set(workflowIds)
        return WorkflowGraph(workflows: workflows.filter { kept.contains($0.workflowId) })
    }

    /// The graph as a standalone SVG picture that needs no layout tool (the HTML run report
    /// embeds it, decision GR5): each workflow's nodes in one column in document order, the
    /// sequence as straight arrows, every other edge as an arc on the right with its label.
    /// Colours as ``mermaid(path:)``. All text is XML-escaped.
    public func svg(path: RunPath? = nil) -> String {
        let layout = GraphLayout(self)
        let states = path?.stepStates() ?? [:]
        let nodeWidth = 300, nodeHeight = 42, pitch = 70, left = 12, top = 12
        var rows: [Node: Int] = [:]
        var order: [Node] = []
        var headings: [(row: Int, text: String)] = []
        for (index, workflow) in workflows.enumerated() {
            if workflows.count > 1 { headings.append((order.count, "workflow " + workflow.workflowId)) }
            for node in layout.nodes(of: index) {
                rows[node] = order.count
                order.append(node)
            }
        }
        for node in layout.externals {
            rows[node] = order.count
            order.append(node)
        }
        func y(_ node: Node) -> Int { top + (rows[node] ?? 0) * pitch + (headings.filter { $0.row <= (rows[node] ?? 0) }.count * 22) }
        var body: [String] = []
        var lane = 0
        // Labels of several loops on one step are stacked, not drawn over each other.
        var loops: [Node: Int] = [:]
        var maxRight = left + nodeWidth
        let right = left + nodeWidth
        for edge in layout.edges {
            guard let fromRow = rows[edge.from], let toRow = rows[edge.to] else { continue }
            let taken = path?.took(edge) ?? false
            var stroke = edge.kind == .dependsOn ? "#8250df" : (edge.onFailure ? "#cf222e" : "#57606a")
            var width = "1.2"
            if taken { stroke = "#1a7f37"; width = "3" }
            let dash = edge.kind == .call ? " stroke-dasharray=\"6 4\"" : (edge.kind == .dependsOn ? " stroke-dasharray=\"2 4\"" : "")
            let marker = taken ? "url(#arrow-taken)" : "url(#arrow)"
            let title = "<title>\(Self.xml(edge.label.isEmpty ? edge.kind.rawValue : edge.label))</title>"
            let y1 = y(edge.from), y2 = y(edge.to)
            if edge.kind == .next, toRow == fromRow + 1 {
                let x = left + nodeWidth / 2
                body.append("<path d=\"M\(x),\(y1 + nodeHeight) L\(x),\(y2 - 2)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(width)\"\(dash) marker-end=\"\(marker)\" class=\"edge edge-\(edge.kind.rawValue)\(taken ? " taken" : "")\">\(title)</path>")
                continue
            }
            lane += 1
            let offset = 18 + lane * 16
            let a = y1 + nodeHeight / 2 + (edge.from == edge.to ? -8 : 0)
            let b = y2 + nodeHeight / 2 + (edge.from == edge.to ? 8 : 0)
            let bend = right + offset
            body.append("<path d=\"M\(right),\(a) C\(bend),\(a) \(bend),\(b) \(right + 2),\(b)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(width)\"\(dash) marker-end=\"\(marker)\" class=\"edge edge-\(edge.kind.rawValue)\(taken ? " taken" : "")\">\(title)</path>")
            if !edge.label.isEmpty {
                let labelX = right + offset * 3 / 4 + 4
                var labelY = (a + b) / 2 + 4
                if edge.from == edge.to {
                    labelY += loops[edge.from, default: 0] * 12
                    loops[edge.from, default: 0] += 1
                }
                body.append("<text x=\"\(labelX)\" y=\"\(labelY)\" class=\"edge-label\" fill=\"\(stroke)\">\(Self.xml(edge.label))</text>")
                maxRight = max(maxRight, labelX + edge.label.count * 6 + 8)
            }
            maxRight = max(maxRight, bend + 8)
        }
        for heading in headings {
            let row = heading.row
            let headingY = top + row * pitch + headings.filter { $0.row < row }.count * 22 + 14
            body.append("<text x=\"\(left)\" y=\"\(headingY)\" class=\"graph-heading\">\(Self.xml(heading.text))</text>")
        }
        for node in order {
            let nodeY = y(node)
            var fill = "#ffffff", stroke = "#57606a", text = "#1f2328", state = "notrun"
            switch node {
            case .start, .succeeded, .failed: fill = "#f6f8fa"; stroke = "#8c959f"
            case .external: fill = "#ddf4ff"; stroke = "#0969da"
            case .step: break
            }
            if path != nil, !node.isExternal {
                switch states[node] {
                case .succeeded?: fill = "#dafbe1"; stroke = "#1a7f37"; state = "succeeded"
                case .retried?: fill = "#fff8c5"; stroke = "#9a6700"; state = "retried"
                case .failed?: fill = "#ffebe9"; stroke = "#cf222e"; state = "failed"
                case nil: if node.isStep { stroke = "#d0d7de"; text = "#8c959f" }
                }
            }
            let rounded = node.isStep || node.isExternal ? 6 : nodeHeight / 2
            let lines = nodeLabel(node).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            body.append("<g class=\"node\" data-node=\"\(Self.xml(layout.id(node)))\" data-state=\"\(state)\"><title>\(Self.xml(lines.joined(separator: "\n")))</title>")
            body.append("<rect x=\"\(left)\" y=\"\(nodeY)\" width=\"\(nodeWidth)\" height=\"\(nodeHeight)\" rx=\"\(rounded)\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"/>")
            let first = Self.clipped(lines.first ?? "", to: 40)
            if lines.count > 1 {
                body.append("<text x=\"\(left + 10)\" y=\"\(nodeY + 17)\" class=\"node-title\" fill=\"\(text)\">\(Self.xml(first))</text>")
                // 11px monospace is about 6.6px a character: 42 of them fit the 300px box with its 10px inset.
                body.append("<text x=\"\(left + 10)\" y=\"\(nodeY + 33)\" class=\"node-detail\" fill=\"\(text)\">\(Self.xml(Self.clipped(lines[1], to: 42)))</text>")
            } else {
                body.append("<text x=\"\(left + nodeWidth / 2)\" y=\"\(nodeY + 26)\" text-anchor=\"middle\" class=\"node-title\" fill=\"\(text)\">\(Self.xml(first))</text>")
            }
            body.append("</g>")
        }
        let height = order.last.map { y($0) + nodeHeight + top } ?? top * 2
        let width = maxRight + 12
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"workflow-graph\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\">"
        svg += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"10\" markerHeight=\"10\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#57606a\"/></marker>"
        svg += "<marker id=\"arrow-taken\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerUnits=\"userSpaceOnUse\" markerWidth=\"12\" markerHeight=\"12\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1a7f37\"/></marker></defs>"
        svg += "<style>.node-title{font:600 12px sans-serif}.node-detail{font:11px monospace}.edge-label{font:10px sans-serif}.graph-heading{font:600 12px sans-serif}</style>"
        return svg + body.joined() + "</svg>"
    }

    private static func clipped(_ text: String, to count: Int) -> String {
        text.count <= count ? text : String(text.prefix(count - 1)) + "…"
    }

    /// Text for SVG/XML content and attribute values.
    static func xml(_ text: String) -> String { Markup.escaped(text) }
}
