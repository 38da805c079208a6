import Arazzo
import ArazzoCLI
import ArazzoJSON
import ArazzoTestServer
import ArazzoTestSupport
import ArazzoTesting
import Foundation
import OrderedCollections

/// Runs one `Fixtures/conformance/<case>/` folder through the real CLI code path (the
/// AsyncHTTPClient executor against a loopback `ScriptedServer`) and lists every way the result
/// differs from the case's `expect` block, judged by ``ConformanceCase/Expectation/problems(_:)``
/// (the rules of `docs/conformance.md`, shared with the engine-API runner).
enum CLIConformanceRunner {
    /// Every case folder of the repository (or those `ARAZZO_CASE` selects).
    static let folders = ConformanceCase.folders(in: Repository.fixture("conformance"))

    /// Runs the case; an empty list means it passed.
    static func run(_ folder: ConformanceCase.Folder) async throws -> [String] {
        let raw = try folder.load()
        let refusedURL = "http://127.0.0.1:\(try await FaultServer.closedPort())"

        // The loopback server: a scripted replay, or a faulty peer for transport-failure cases.
        let fault = raw.exchanges.first?.fault
        let scripted = ScriptedServer(script: ExchangeScript(exchanges: []))
        let faulty: FaultServer? = fault.map { FaultServer(fault: $0 == .reset ? .resetMidBody() : .closeWithoutResponse) }
        let port: Int
        if let faulty { port = try await faulty.start() } else { port = try await scripted.start() }
        let baseURL = "http://127.0.0.1:\(port)"
        defer {
            let s = scripted
            let f = faulty
            Task { await s.stop(); await f?.stop() }
        }
        // A real WebSocket peer for AsyncAPI cases (`websocket:`): scripts/peers/ws_peer.py, or a
        // script of the case folder. CI installs it, so a missing one fails the case.
        var peer: PythonPeer?
        switch raw.webSocketPeer {
        case .standard?: peer = try await ConformancePeer.start(script: ConformancePeer.defaultScript)
        case .script(let script)?: peer = try await ConformancePeer.start(script: folder.path + "/" + script)
        case nil: break
        }
        defer { peer?.stop() }
        let placeholders = ConformanceCase.Placeholders(
            baseURL: baseURL, refusedURL: refusedURL, webSocketHost: peer.map { "127.0.0.1:\($0.port)" } ?? "127.0.0.1:9")
        let testCase = try folder.load(placeholders: placeholders)
        if faulty == nil { scripted.load(testCase.script) }

        // A private copy of the case folder (and the shared descriptions beside it), placeholders filled in.
        let work = try TemporaryDirectory(prefix: "arazzo-cli-tests-")
        defer { work.cleanup() }
        let caseDirectory = try folder.copy(into: work.path, placeholders: placeholders)

        // The command line.
        var arguments = [testCase.command.rawValue, testCase.document]
        let reportPath = work.file("report.json")
        if testCase.command == .validate { arguments += ["--format", "json"] }
        if testCase.command == .run {
            arguments += ["--json", reportPath]
            if let inputs = testCase.inputs {
                let inputsPath = work.file("case-inputs.json")
                _ = FileManager.default.createFile(atPath: inputsPath, contents: Data(inputs.jsonBytes()))
                arguments += ["--inputs", inputsPath]
            }
        }
        arguments += testCase.arguments
        var environment = testCase.environment
        environment["NO_COLOR"] = environment["NO_COLOR"] ?? "1"

        let clock = ImmediateClock()
        let invocation = await Invocation.run(
            arguments, environment: environment, settings: CLISettings(clock: clock, workingDirectory: caseDirectory))
        let reportText = (try? String(contentsOfFile: reportPath, encoding: .utf8)) ?? ""
        let report = reportText.parsedYAML
        let diagnostics = (invocation.stdout.parsedYAML?["files"]?[0]?["diagnostics"]?.arrayValue ?? []).map { value in
            ConformanceCase.ObservedDiagnostic(
                severity: value["severity"]?.stringValue ?? "", line: value["line"]?.intValue,
                message: value["message"]?.stringValue ?? "", notes: (value["notes"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
        let observation = ConformanceCase.Observation(
            exit: .code(Int(invocation.code)), stdout: invocation.stdout, stderr: invocation.stderr,
            diagnostics: diagnostics, workflows: (report?["workflows"]?.arrayValue ?? []).map(observed),
            sleeps: clock.slept, report: reportText)

        var problems = testCase.expect.problems(observation)
        // The server side: every scripted exchange used, nothing unexpected.
        if faulty == nil {
            problems += scripted.problems.map { "server: " + $0 }
            problems += testCase.bodyProblems(received: scripted.receivedRequests)
        }
        if !problems.isEmpty {
            problems.append("command: arazzo-run \(arguments.joined(separator: " "))")
            if !invocation.stderr.isEmpty { problems.append("stderr: " + invocation.stderr.prefix(1500)) }
            problems.append("stdout: " + invocation.stdout.prefix(1500))
        }
        return problems
    }

    /// One workflow of the `--json` report in the case's terms.
    static func observed(_ result: JSONValue) -> ConformanceCase.ObservedWorkflow {
        ConformanceCase.ObservedWorkflow(
            workflowId: result["workflowId"]?.stringValue ?? "", outcome: result["outcome"]?.stringValue ?? "none",
            failedStep: result["failure"]?["stepId"]?.stringValue, failureKind: result["failure"]?["kind"]?.stringValue,
            failureMessage: result["failure"]?["message"]?.stringValue, outputs: result["outputs"] ?? .null,
            steps: (result["steps"]?.arrayValue ?? []).map(describe),
            workflows: (result["workflows"]?.arrayValue ?? []).map(observed))
    }

    /// `stepId status action` for a step of the report (`-` when there is no response).
    static func describe(_ step: JSONValue) -> String {
        var status = "-"
        if let code = step["response"]?["status"]?.intValue { status = String(code) }
        if let kind = step["transportError"]?["kind"]?.stringValue { status = kind }
        // An AsyncAPI step: `sent`, `received`, or the message error's kind (`timeout`, …).
        if let message = step["message"] {
            if let kind = message["error"]?["kind"]?.stringValue {
                status = kind
            } else if message["payload"] != nil || message["payloadText"] != nil || message["payloadBase64"] != nil {
                status = message["action"]?.stringValue == "send" ? "sent" : "received"
            }
        }
        return ConformanceCase.ObservedWorkflow.stepLine(
            stepId: step["stepId"]?.stringValue ?? "?", status: status, action: step["action"]?.stringValue ?? "")
    }
}

extension JSONValue {
    /// The value as an `Int` when it is an integer.
    var intValue: Int? {
        if case .int(let value) = self { return value }
        if case .double(let value) = self, value == value.rounded() { return Int(value) }
        return nil
    }
}

/// The WebSocket peer of a `websocket:` case: `scripts/peers/ws_peer.py`, or a script of the
/// case folder, on Python's `websockets` (``PythonPeer``).
enum ConformancePeer {
    static let defaultScript = PythonPeer.root + "/scripts/peers/ws_peer.py"

    /// Starts `script`; CI installs the virtualenv, so a missing one fails the case rather than
    /// skipping it.
    static func start(script: String) async throws -> PythonPeer {
        guard PythonPeer.available else {
            throw PythonPeer.Failure(message: "no WebSocket peer: \(PythonPeer.python) is missing; run scripts/setup-peers.sh (CI installs it, so this case fails rather than skips)")
        }
        return try await PythonPeer.start([script])
    }
}
