import Arazzo
import ArazzoTesting
import ArazzoTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `WorkflowGraph` (docs/reports.md, decisions GR1–GR3): the edges a document's workflows have,
/// their Mermaid and DOT text pinned as goldens, labels escaped so no text can break the syntax,
/// and the Mermaid text read back by a strict parser of the subset.
@Suite("Workflow graphs")
struct WorkflowGraphTests {
    static let flows = Repository.fixture("graph/flows.arazzo.yaml")

    static func load(_ path: String) async throws -> LoadedDocument {
        try await ArazzoLoader().load(path: path)
    }

    static func load(text: String) async throws -> LoadedDocument {
        let directory = try TemporaryDirectory()
        try Repository.text("Fixtures/graph/things.openapi.yaml").write(toFile: directory.file("things.openapi.yaml"), atomically: true, encoding: .utf8)
        return try await ArazzoLoader().load(text: text, baseURL: directory.file("doc.arazzo.yaml"))
    }

    @Test("The fixture's edges: sequence, goto, retry with its limit and side trip, end, calls, dependsOn")
    func edges() async throws {
        let graph = try WorkflowGraph(try await Self.load(Self.flows))
        #expect(graph.workflows.map(\.workflowId) == ["prepare", "main", "sub", "flaky"])
        let main = try #require(graph.workflows.first { $0.workflowId == "main" })
        func has(_ kind: WorkflowGraph.EdgeKind, _ from: WorkflowGraph.Node, _ to: WorkflowGraph.Node, _ label: String) -> Bool {
            main.edges.contains { $0.kind == kind && $0.from == from && $0.to == to && $0.label == label }
        }
        let create = WorkflowGraph.Node.step(workflowId: "main", stepId: "create")
        let poll = WorkflowGraph.Node.step(workflowId: "main", stepId: "poll")
        let audit = WorkflowGraph.Node.step(workflowId: "main", stepId: "audit")
        let cleanup = WorkflowGraph.Node.step(workflowId: "main", stepId: "cleanup")
        #expect(has(.dependsOn, .start(workflowId: "prepare"), .start(workflowId: "main"), "dependsOn"))
        #expect(has(.next, create, poll, ""))
        #expect(has(.retry, create, create, "onFailure: retry again \"soon\" | <later> (limit 3, after 1s)"))
        #expect(has(.goto, poll, poll, "onSuccess: goto notYet (if criteria)"))
        #expect(has(.end, poll, .succeeded(workflowId: "main"), "onSuccess: end done (if criteria)"))
        #expect(has(.end, poll, .failed(workflowId: "main"), "onFailure: end giveUp"))
        #expect(has(.retry, poll, poll, "onFailure: retry cleanUpFirst (limit 2) (if criteria) via cleanup"))
        #expect(has(.goto, poll, cleanup, "retry cleanUpFirst: runs first"))
        #expect(has(.call, audit, .start(workflowId: "sub"), "calls"))
        #expect(has(.call, cleanup, .start(workflowId: "sub"), "onSuccess: goto toSub"))
        #expect(has(.next, cleanup, .succeeded(workflowId: "main"), ""))
    }

    @Test("Golden Mermaid and DOT text of the fixture, whole and restricted to one workflow")
    func goldens() async throws {
        let graph = try WorkflowGraph(try await Self.load(Self.flows))
        try GoldenFile.check(Repository.fixture("graph/flows.mermaid.expected"), graph.mermaid())
        try GoldenFile.check(Repository.fixture("graph/flows.dot.expected"), graph.dot())
        let one = try WorkflowGraph(try await Self.load(Self.flows), workflowIds: ["main"])
        // The workflows `main` reaches but that are not drawn become external nodes.
        try GoldenFile.check(Repository.fixture("graph/flows-main.mermaid.expected"), one.mermaid())
        #expect(one.mermaid() == graph.restricted(to: ["main"]).mermaid())
    }

    @Test("An unknown workflow id is refused by name")
    func unknownWorkflow() async throws {
        let loaded = try await Self.load(Self.flows)
        #expect(throws: WorkflowGraph.UnknownWorkflow.self) { try WorkflowGraph(loaded, workflowIds: ["nope"]) }
        do {
            _ = try WorkflowGraph(loaded, workflowIds: ["nope"])
        } catch {
            #expect(error.description == "no workflow 'nope' in the document (it has: prepare, main, sub, flaky)")
        }
    }

    /// A document whose free text (summary, action names, operation paths) holds every character
    /// that could break Mermaid, DOT or SVG syntax.
    static let hostile = """
        arazzo: 1.0.1
        info: {title: hostile, version: 1.0.0}
        sourceDescriptions:
          - {name: things, url: ./things.openapi.yaml, type: openapi}
        workflows:
          - workflowId: w
            summary: "x\\"] --> y[\\"z </script><img src=x onerror=alert(1)>"
            steps:
              - stepId: a
                operationPath: '{$sourceDescriptions.things.url}#/paths/~1things/post'
                onFailure:
                  - name: "q\\"uote |pipe| #35; <b>&amp; `tick` ]] ;\\nnew line \\\\ back"
                    type: retry
                    retryLimit: 2
              - stepId: b
                operationId: ping
        """

    @Test("Labels with quotes, pipes, #, markup, backticks, newlines and backslashes stay labels in Mermaid")
    func mermaidEscaping() async throws {
        let graph = try WorkflowGraph(try await Self.load(text: Self.hostile))
        let text = graph.mermaid()
        let chart = try MermaidFlowchart(parsing: text)
        let labels = chart.edges.compactMap(\.label)
        #expect(labels.contains("onFailure: retry q\"uote |pipe| #35; <b>&amp; `tick` ]] ; new line \\ back (limit 2)"))
        #expect(chart.nodes.values.contains("a\noperationPath: {$sourceDescriptions.things.url}#/paths/~1things/post"))
        #expect(!text.contains("<b>") && !text.contains("<img"))
        // With a path, too.
        let path = RunPath(runs: [.init(workflowId: "w", succeeded: false, steps: [.init(stepId: "a", succeeded: false, action: .fail)])])
        #expect(throws: Never.self) { try MermaidFlowchart(parsing: graph.mermaid(path: path)) }
    }

    @Test("Labels are DOT quoted strings: quotes and backslashes escaped, newlines as \\n")
    func dotEscaping() async throws {
        let graph = try WorkflowGraph(try await Self.load(text: Self.hostile))
        let text = graph.dot()
        #expect(text.contains(#"label="onFailure: retry q\"uote |pipe| #35; <b>&amp; `tick` ]] ;\nnew line \\ back (limit 2)""#))
        #expect(text.contains(#"label="a\noperationPath: {$sourceDescriptions.things.url}#/paths/~1things/post""#))
        // Every quote inside a label is escaped: the unescaped quotes pair up on each line.
        for line in text.split(separator: "\n") {
            let unescaped = line.replacingOccurrences(of: "\\\\", with: "").replacingOccurrences(of: "\\\"", with: "")
            #expect(unescaped.filter { $0 == "\"" }.count % 2 == 0, "\(line)")
        }
    }

    @Test("The SVG escapes every text and is well-formed XML")
    func svgEscaping() async throws {
        let graph = try WorkflowGraph(try await Self.load(text: Self.hostile))
        let svg = graph.svg()
        #expect(!svg.contains("<b>") && !svg.contains("<img"))
        #expect(svg.contains("q&quot;uote |pipe| #35; &lt;b&gt;&amp;amp;"))
        let document = try XMLDocument(xmlString: svg)
        #expect(document.rootElement()?.name == "svg")
    }

    @Test("The strict Mermaid reader refuses the malformed outputs a renderer could plausibly produce", arguments: [
        ("missing header", "  a[\"x\"]\n"),
        ("raw quote in a label", "flowchart TB\n  a[\"say \"hi\"\"]\n"),
        ("raw pipe in an edge label", "flowchart TB\n  a[\"x\"]\n  b[\"y\"]\n  a -->|\"p|q\"| b\n"),
        ("stray #", "flowchart TB\n  a[\"C# code\"]\n"),
        ("raw markup", "flowchart TB\n  a[\"<img src=x>\"]\n"),
        ("unquoted label", "flowchart TB\n  a[x]\n"),
        ("unclosed subgraph", "flowchart TB\n  subgraph w1[\"w\"]\n  a[\"x\"]\n"),
        ("extra end", "flowchart TB\n  a[\"x\"]\n  end\n"),
        ("reserved id", "flowchart TB\n  end[\"x\"]\n"),
        ("edge to an undeclared node", "flowchart TB\n  a[\"x\"]\n  a --> b\n"),
        ("node declared twice", "flowchart TB\n  a[\"x\"]\n  a[\"y\"]\n"),
        ("class of an undeclared node", "flowchart TB\n  a[\"x\"]\n  classDef ok fill:#fff\n  class a,b ok\n"),
        ("undefined class", "flowchart TB\n  a[\"x\"]\n  class a ok\n"),
        ("linkStyle out of range", "flowchart TB\n  a[\"x\"]\n  b[\"y\"]\n  a --> b\n  linkStyle 1 stroke:#000\n"),
        ("newline inside a label", "flowchart TB\n  a[\"x\ny\"]\n"),
    ])
    func parserRefuses(name: String, text: String) {
        #expect(throws: MermaidFlowchart.Failure.self, "\(name)") { try MermaidFlowchart(parsing: text) }
    }

    @Test("Every graph of the valid fixtures reads back through the strict Mermaid reader")
    func fixturesParse() async throws {
        var paths = [Self.flows, Repository.fixture("stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml")]
        // Every conformance case's Arazzo documents: gotos, retries, nested and dependent workflows.
        let cases = (try? FileManager.default.contentsOfDirectory(atPath: Repository.fixture("conformance"))) ?? []
        for name in cases.sorted() {
            let single = Repository.fixture("conformance/\(name)/arazzo.yaml")
            if FileManager.default.fileExists(atPath: single) { paths.append(single) }
            let folder = "conformance/\(name)/arazzo"
            for file in Repository.files(in: "Fixtures/" + folder, extensions: ["yaml", "yml", "json"]) {
                paths.append(Repository.fixture(folder + "/" + file))
            }
        }
        var checked = 0
        for path in paths {
            guard let loaded = try? await Self.load(path), !loaded.diagnostics.hasErrors, let graph = try? WorkflowGraph(loaded) else { continue }
            do {
                let chart = try MermaidFlowchart(parsing: graph.mermaid())
                #expect(chart.nodes.count >= graph.workflows.count * 2, "\(path)")
                checked += 1
            } catch {
                Issue.record("\(path): \(error)\n\(graph.mermaid())")
            }
        }
        #expect(checked >= 100, "only \(checked) documents drew")
    }
}
