import Arazzo
import ArazzoTesting
import ArazzoTestSupport
import Foundation
import Testing

/// `arazzo-run graph`, `run --html` and `report html` through the real CLI code path, checked
/// by the real peers: Graphviz's `dot` must accept every DOT graph without a warning, and
/// headless Chromium must render the HTML report with its script run. Both are required
/// (scripts/test.sh installs them): a missing one fails these tests, it never skips them.
@Suite("Graphs and the HTML report", .serialized)
struct GraphReportCLITests {
    static let flows = Repository.fixture("graph/flows.arazzo.yaml")
    static let stytch = Repository.fixture("stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml")
    static let stytchInputs = Repository.fixture("stytch/inputs.example.yaml")

    /// A peer program: found on PATH or in /usr/bin, else the test fails saying how to get it.
    static func tool(_ names: [String], package: String) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            for name in names where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        throw PythonPeer.Failure(message: "\(names.joined(separator: " or ")) is not installed (Debian package \(package)); scripts/test.sh installs it")
    }

    /// Runs a program to its end; its exit code, stdout and stderr.
    static func run(_ executable: String, _ arguments: [String], input: String? = nil) async throws -> (code: Int32, stdout: String, stderr: String) {
        try await ChildProcess.run(executable, arguments, input: input)
    }

    /// `dot -Tsvg` of `text`: exit 0, an SVG, and nothing on stderr (no warning either).
    static func expectDotAccepts(_ text: String, _ what: String) async throws {
        let dot = try tool(["dot"], package: "graphviz")
        let result = try await run(dot, ["-Tsvg"], input: text)
        #expect(result.code == 0, "\(what): dot exited \(result.code): \(result.stderr)\n\(text)")
        #expect(result.stderr.isEmpty, "\(what): dot warned: \(result.stderr)\n\(text)")
        #expect(result.stdout.contains("<svg"), "\(what)")
    }

    @Test("dot -Tsvg accepts every graph without a warning: fixtures, hostile labels, run paths")
    func dotAccepts() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let flowsRun = await Invocation.run([Self.flows, "--mock", "--json", directory.file("flows.json")])
        #expect(flowsRun.code == 1, "\(flowsRun.stderr)")  // `flaky` fails by design
        for (file, run) in [(Self.flows, directory.file("flows.json")), (Self.stytch, nil)] {
            let plain = await Invocation.run(["graph", file, "--format", "dot"])
            #expect(plain.code == 0, "\(plain.stderr)")
            try await Self.expectDotAccepts(plain.stdout, file)
            if let run {
                let coloured = await Invocation.run(["graph", file, "--format", "dot", "--run", run])
                #expect(coloured.code == 0, "\(coloured.stderr)")
                #expect(coloured.stdout.contains("penwidth=3"))
                try await Self.expectDotAccepts(coloured.stdout, file + " --run")
            }
        }
        try Repository.text("Fixtures/graph/things.openapi.yaml").write(toFile: directory.file("things.openapi.yaml"), atomically: true, encoding: .utf8)
        try Self.hostileDocument.write(toFile: directory.file("hostile.arazzo.yaml"), atomically: true, encoding: .utf8)
        let hostile = await Invocation.run(["graph", directory.file("hostile.arazzo.yaml"), "--format", "dot"])
        #expect(hostile.code == 0, "\(hostile.stderr)")
        try await Self.expectDotAccepts(hostile.stdout, "hostile labels")
    }

    static let hostileDocument = """
        arazzo: 1.0.1
        info: {title: "hostile </title><script>alert(1)</script>", version: 1.0.0}
        sourceDescriptions:
          - {name: things, url: ./things.openapi.yaml, type: openapi}
        workflows:
          - workflowId: w
            summary: "</script><img src=x onerror=alert(1)>"
            steps:
              - stepId: a
                operationPath: '{$sourceDescriptions.things.url}#/paths/~1things/post'
                successCriteria:
                  - condition: $response.body#/note == '<img src=x onerror=alert(2)>'
                onFailure:
                  - name: "q\\"uote |pipe| \\\\N \\\\l <b>\\nline"
                    type: end
        """

    @Test("graph --run colours the recorded path (golden), --workflow draws one, errors are one line")
    func graphCommand() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        _ = await Invocation.run([Self.flows, "--mock", "--json", directory.file("flows.json")])
        let coloured = await Invocation.run(["graph", Self.flows, "--run", directory.file("flows.json")])
        #expect(coloured.code == 0, "\(coloured.stderr)")
        try GoldenFile.check(Repository.fixture("graph/flows-run.mermaid.expected"), coloured.stdout)
        _ = try MermaidFlowchart(parsing: coloured.stdout)
        let one = await Invocation.run(["graph", Self.flows, "--workflow", "flaky", "--output", directory.file("g.mmd")])
        #expect(one.code == 0 && one.stdout.isEmpty, "\(one.stderr)")
        let written = try String(contentsOfFile: directory.file("g.mmd"), encoding: .utf8)
        #expect(written.contains("workflow flaky") && !written.contains("workflow main"))
        let unknown = await Invocation.run(["graph", Self.flows, "--workflow", "nope"])
        #expect(unknown.code == 2)
        #expect(unknown.stderr == "error: --workflow nope: no workflow 'nope' in the document (it has: prepare, main, sub, flaky)\n")
        let notJSON = await Invocation.run(["graph", Self.flows, "--run", Self.flows])
        #expect(notJSON.code == 2)
        #expect(notJSON.stderr.hasPrefix(Self.flows + ":1:1: error: not JSON"), "\(notJSON.stderr)")
    }

    @Test("run --html escapes every text: no markup or script from the document or a response body gets in")
    func htmlEscaping() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        try Repository.text("Fixtures/graph/things.openapi.yaml").write(toFile: directory.file("things.openapi.yaml"), atomically: true, encoding: .utf8)
        try Self.hostileDocument.write(toFile: directory.file("hostile.arazzo.yaml"), atomically: true, encoding: .utf8)
        let run = await Invocation.run([directory.file("hostile.arazzo.yaml"), "--mock", "--html", directory.file("r.html")])
        #expect(run.code == 1, "\(run.stderr)\n\(run.stdout)")
        let html = try String(contentsOfFile: directory.file("r.html"), encoding: .utf8)
        // The mock's response body holds `</script><img src=x onerror=alert(1)>` (things.openapi.yaml).
        #expect(html.contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>"))
        #expect(html.components(separatedBy: "<script").count == 2)  // the page's own, once
        #expect(html.components(separatedBy: "</script>").count == 2)
        #expect(html.contains("<title>arazzo-run report: hostile &lt;/title&gt;&lt;script&gt;"))
        // No network: nothing is fetched from anywhere.
        for reference in ["src=\"http", "href=\"http", "url(http", "@import", "src=\"//", "<link"] {
            #expect(!html.contains(reference), "\(reference)")
        }
    }

    @Test("report html renders merged shard reports: every workflow of every shard, one page")
    func reportHTMLOfShards() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        for shard in ["1/2", "2/2"] {
            let name = "shard\(shard.prefix(1)).json"
            _ = await Invocation.run(["run", Self.flows, Self.stytch, "--mock", "--inputs", Self.stytchInputs, "--shard", shard, "--json", directory.file(name)])
        }
        let page = await Invocation.run(["report", "html", directory.file("shard1.json"), directory.file("shard2.json"), "-o", directory.file("all.html")])
        #expect(page.code == 0, "\(page.stderr)")
        let html = try String(contentsOfFile: directory.file("all.html"), encoding: .utf8)
        for id in ["prepare", "main", "sub", "flaky", "totp-enrollment"] {
            #expect(html.contains("data-workflow=\"\(id)\""), "\(id)")
        }
        #expect(html.contains("class=\"workflow-graph\""))
        let load = await Invocation.run(["report", "html", Self.flows, "-o", directory.file("x.html")])
        #expect(load.code == 2)
    }

    /// Headless Chromium's DOM of `page` after its script ran; a screenshot beside it.
    static func renderedDOM(_ page: String, screenshot: String) async throws -> String {
        let chromium = try tool(["chromium-headless-shell", "chromium", "chromium-browser"], package: "chromium-headless-shell")
        var flags = ["--headless", "--disable-gpu", "--allow-file-access-from-files", "--virtual-time-budget=5000"]
        if getuid() == 0 { flags.append("--no-sandbox") }  // Chromium refuses to sandbox as root
        let dom = try await run(chromium, flags + ["--dump-dom", "file://" + page])
        #expect(dom.code == 0, "chromium --dump-dom exited \(dom.code): \(dom.stderr)")
        let shot = try await run(chromium, flags + ["--screenshot=" + screenshot, "--window-size=1280,2400", "file://" + page])
        #expect(shot.code == 0 && FileManager.default.fileExists(atPath: screenshot), "no screenshot: \(shot.stderr)")
        print("HTML report screenshot: \(screenshot)")
        return dom.stdout
    }

    /// Where screenshots go: under .build (not committed), for people to look at.
    static func screenshotPath(_ name: String) throws -> String {
        let directory = Repository.root + "/.build/report-screenshots"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/" + name
    }

    @Test("Chromium renders the report: every step id, status and failure reason in the DOM after the script ran")
    func chromiumRendersFailures() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let json = directory.file("flows.json"), page = directory.file("flows.html")
        let run = await Invocation.run([Self.flows, "--mock", "--json", json, "--html", page])
        #expect(run.code == 1)
        let dom = try await Self.renderedDOM(page, screenshot: try Self.screenshotPath("flows.png"))
        // The script ran: it marks the body and writes its count of what the page holds.
        #expect(dom.contains("data-rendered=\"yes\""))
        let report = try #require(try JSONValue(parsing: String(contentsOfFile: json, encoding: .utf8)).objectValue)
        var steps: [JSONObject] = []
        var failures: [String] = []
        var workflowRuns = 0
        func collect(_ workflow: JSONObject) {
            workflowRuns += 1
            steps += (workflow["steps"]?.arrayValue ?? []).compactMap(\.objectValue)
            if let message = workflow["failure"]?.objectValue?["message"]?.stringValue { failures.append(message) }
            for nested in (workflow["workflows"]?.arrayValue ?? []).compactMap(\.objectValue) { collect(nested) }
        }
        for workflow in (report["workflows"]?.arrayValue ?? []).compactMap(\.objectValue) { collect(workflow) }
        let failed = steps.filter { $0["succeeded"]?.boolValue == false }.count
        #expect(dom.contains("Checked in the browser: \(workflowRuns) workflow runs, \(steps.count) step attempts, \(failed) failed."))
        #expect(failed == 2 && failures.count == 1)
        for step in steps {
            let id = step["stepId"]?.stringValue ?? ""
            let status = step["succeeded"]?.boolValue == true ? "succeeded" : "failed"
            #expect(dom.contains("data-step=\"\(id)\" data-status=\"\(status)\""), "\(id) \(status)")
        }
        for failure in failures {
            #expect(dom.contains(HTMLText.escape(failure)), "\(failure)")
        }
        // Failures are expanded, passed steps folded.
        #expect(dom.contains("<details class=\"step\" open=\"\" data-step=\"fetch\" data-status=\"failed\">"))
        #expect(dom.contains("<details class=\"step\" data-step=\"create\" data-status=\"succeeded\">"))
    }

    @Test("Chromium renders the Stytch mock run's report with a canary credential: redacted as in the HAR, nowhere in the DOM")
    func chromiumStytchCanary() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        let canary = "canary-html-secret-51d0c3e9"
        let page = directory.file("stytch.html"), har = directory.file("stytch.har")
        let run = await Invocation.run([
            Self.stytch, "--mock", "--inputs", Self.stytchInputs, "--auth", "stytchB2bApi=basic:canary-project-77:\(canary)",
            "--html", page, "--har", har,
        ])
        #expect(run.code == 0, "\(run.stderr)\n\(run.stdout)")
        let dom = try await Self.renderedDOM(page, screenshot: try Self.screenshotPath("stytch.png"))
        #expect(dom.contains("data-rendered=\"yes\""))
        for id in ["createTotp", "authenticateTotp", "totp-enrollment"] { #expect(dom.contains(id)) }
        // The Authorization header is there, masked exactly as the HAR masks it.
        let harText = try String(contentsOfFile: har, encoding: .utf8)
        #expect(harText.contains("\"[REDACTED]\""))
        #expect(dom.contains("<th>Authorization</th><td>[REDACTED]</td>"))
        let basic = Data("canary-project-77:\(canary)".utf8).base64EncodedString()
        for form in [canary, basic, String(canary.prefix(14))] {
            #expect(!dom.contains(form), "\(form)")
            #expect(!((try? String(contentsOfFile: page, encoding: .utf8)) ?? "").contains(form), "\(form)")
        }
    }
}

/// Text as a serialised DOM writes it in element content (Chromium's `--dump-dom`).
enum HTMLText {
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
