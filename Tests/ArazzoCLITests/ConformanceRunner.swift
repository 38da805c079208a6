import Arazzo
import ArazzoCLI
import ArazzoJSON
import ArazzoTestServer
import ArazzoTestSupport
import Foundation
import OrderedCollections

/// Runs one `Fixtures/conformance/<case>/` folder through the real CLI code path (the
/// AsyncHTTPClient executor against a loopback `ScriptedServer`) and lists every way the result
/// differs from the case's `expect` block. The format is documented in `docs/conformance.md`.
struct ConformanceCase: Sendable, CustomStringConvertible {
    let name: String
    let folder: String

    var description: String { name }

    /// Why the implementation is known to fail this case (`knownIssue:` in `case.yaml`), if it is.
    var knownIssue: String? {
        guard let text = try? String(contentsOfFile: folder + "/case.yaml", encoding: .utf8) else { return nil }
        return text.parsedYAML?["knownIssue"]?.stringValue
    }

    /// Every case folder, sorted by name.
    static func all() -> [ConformanceCase] {
        let root = Repository.fixture("conformance")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted().compactMap { name in
            let folder = root + "/" + name
            guard FileManager.default.fileExists(atPath: folder + "/case.yaml") else { return nil }
            return ConformanceCase(name: name, folder: folder)
        }
    }

    /// Runs the case; an empty list means it passed.
    func run() async -> [String] {
        var problems: [String] = []
        guard let text = try? String(contentsOfFile: folder + "/case.yaml", encoding: .utf8),
              case .object(let rawCase)? = text.parsedYAML
        else { return ["case.yaml cannot be read or is not a mapping"] }

        let exchanges = rawCase["exchanges"]?.arrayValue ?? []
        let faultName = exchanges.first?["fault"]?.stringValue
        let refusedURL: String
        do {
            refusedURL = "http://127.0.0.1:\(try await FaultServer.closedPort())"
        } catch {
            return ["cannot find a closed port: \(error)"]
        }

        // The loopback server: a scripted replay, or a faulty peer for transport-failure cases.
        let scripted = ScriptedServer(script: ExchangeScript(exchanges: []))
        let faulty: FaultServer? = faultName.map { name in
            FaultServer(fault: name == "reset" ? .resetMidBody() : .closeWithoutResponse)
        }
        let baseURL: String
        do {
            if let faulty {
                baseURL = "http://127.0.0.1:\(try await faulty.start())"
            } else {
                baseURL = "http://127.0.0.1:\(try await scripted.start())"
            }
        } catch {
            return ["cannot start the loopback server: \(error)"]
        }
        defer {
            let s = scripted
            let f = faulty
            Task { await s.stop(); await f?.stop() }
        }
        // A real WebSocket peer for AsyncAPI cases (`websocket:`): scripts/peers/ws_peer.py, or a
        // script of the case folder. CI installs it, so a missing one fails the case.
        var peer: PythonPeer?
        if let setting = rawCase["websocket"], setting != .bool(false) {
            let script = setting["script"]?.stringValue.map { folder + "/" + $0 } ?? ConformancePeer.defaultScript
            do {
                peer = try await ConformancePeer.start(script: script)
            } catch {
                return ["\(error)"]
            }
        }
        defer { peer?.stop() }
        let wsHost = peer.map { "127.0.0.1:\($0.port)" } ?? "127.0.0.1:9"
        // Swagger 2.0 descriptions name their server as host + basePath + schemes, not as a URL.
        let host = String(baseURL.dropFirst("http://".count))
        func substitute(_ text: String) -> String {
            text.replacingOccurrences(of: "@@BASE_URL@@", with: baseURL)
                .replacingOccurrences(of: "@@REFUSED_URL@@", with: refusedURL)
                .replacingOccurrences(of: "@@HOST@@", with: host)
                .replacingOccurrences(of: "@@WS_URL@@", with: "ws://" + wsHost)
                .replacingOccurrences(of: "@@WS_HOST@@", with: wsHost)
        }
        // Re-read the case with placeholders filled in.
        guard case .object(let testCase)? = substitute(text).parsedYAML else { return ["case.yaml does not parse after substitution"] }

        var postChecks: [(index: Int, contains: String)] = []
        if faulty == nil {
            var scriptExchanges: [JSONValue] = []
            for (index, exchange) in (testCase["exchanges"]?.arrayValue ?? []).enumerated() {
                let (script, contains) = Self.scriptExchange(exchange)
                scriptExchanges.append(script)
                if let contains { postChecks.append((index, contains)) }
            }
            do {
                scripted.load(try ExchangeScript(jsonValue: ["ordered": true, "exchanges": .array(scriptExchanges)]))
            } catch {
                return ["the exchanges do not form a valid script: \(error)"]
            }
        }

        // A private copy of the case folder, placeholders filled in.
        let work: TemporaryDirectory
        do {
            work = try TemporaryDirectory()
            try Self.copy(from: folder, to: work.path, transform: substitute)
        } catch {
            return ["cannot copy the case: \(error)"]
        }
        defer { work.cleanup() }

        // The command line.
        let command = testCase["command"]?.stringValue ?? "run"
        let document = testCase["document"]?.stringValue ?? "arazzo.yaml"
        var arguments = [command, document]
        let reportPath = work.file("report.json")
        if command == "validate" { arguments += ["--format", "json"] }
        if command == "run" {
            arguments += ["--json", reportPath]
            if let inputs = testCase["inputs"] {
                let inputsPath = work.file("case-inputs.json")
                _ = FileManager.default.createFile(atPath: inputsPath, contents: Data(inputs.jsonBytes()))
                arguments += ["--inputs", inputsPath]
            }
        }
        arguments += (testCase["args"]?.arrayValue ?? []).compactMap(\.stringValue)
        var environment: [String: String] = ["NO_COLOR": "1"]
        for (key, value) in testCase["env"]?.objectValue ?? [:] { environment[key] = value.stringValue ?? value.jsonText() }

        let clock = ImmediateClock()
        let invocation = await Invocation.run(
            arguments, environment: environment, settings: CLISettings(clock: clock, workingDirectory: work.path))
        let expect = testCase["expect"]?.objectValue ?? [:]

        // Exit code.
        if let wanted = expect["exit"] {
            let allowed = wanted.arrayValue?.compactMap(\.intValue) ?? [wanted.intValue ?? -1]
            if !allowed.contains(Int(invocation.code)) {
                problems.append("exit code \(invocation.code), expected \(allowed.map(String.init).joined(separator: " or "))")
            }
        }
        for needle in (expect["stdout"]?.arrayValue ?? []).compactMap(\.stringValue) where !invocation.stdout.contains(needle) {
            problems.append("stdout lacks \(needle.debugDescription)")
        }
        for needle in (expect["stderr"]?.arrayValue ?? []).compactMap(\.stringValue) where !invocation.stderr.contains(needle) {
            problems.append("stderr lacks \(needle.debugDescription)")
        }

        // Diagnostics (validate --format json).
        if let wanted = expect["diagnostics"]?.arrayValue {
            let reported = invocation.stdout.parsedYAML?["files"]?[0]?["diagnostics"]?.arrayValue ?? []
            for diagnostic in wanted {
                let severity = diagnostic["severity"]?.stringValue
                let line = diagnostic["line"]?.intValue
                let contains = diagnostic["contains"]?.stringValue?.lowercased()
                let found = reported.contains { candidate in
                    (severity == nil || candidate["severity"]?.stringValue == severity)
                        && (line == nil || candidate["line"]?.intValue == line)
                        && (contains == nil || (candidate["message"]?.stringValue?.lowercased().contains(contains!) ?? false)
                            || (candidate["notes"]?.arrayValue ?? []).contains { $0.stringValue?.lowercased().contains(contains!) ?? false })
                }
                if !found {
                    let summary = reported.map { "\($0["severity"]?.stringValue ?? "?") \($0["line"]?.intValue ?? 0): \($0["message"]?.stringValue ?? "")" }
                    problems.append("no diagnostic like \(diagnostic.jsonText()); got \(summary.isEmpty ? "none" : summary.joined(separator: " | "))")
                }
            }
        }

        // Workflow results from the JSON report.
        let reportText = (try? String(contentsOfFile: reportPath, encoding: .utf8)) ?? ""
        if let wantedWorkflows = expect["workflows"]?.objectValue {
            var byId: [String: JSONValue] = [:]
            func collect(_ results: [JSONValue]) {
                for result in results {
                    if let id = result["workflowId"]?.stringValue { byId[id] = result }
                    collect(result["workflows"]?.arrayValue ?? [])
                }
            }
            let report = reportText.parsedYAML
            // Top-level runs win over nested copies of the same workflow.
            collect(report?["workflows"]?.arrayValue ?? [])
            for result in report?["workflows"]?.arrayValue ?? [] {
                if let id = result["workflowId"]?.stringValue { byId[id] = result }
            }
            for (id, wanted) in wantedWorkflows {
                guard let actual = byId[id] else {
                    problems.append("workflow \(id) has no result in the report")
                    continue
                }
                problems += Self.compare(workflow: id, wanted: wanted, actual: actual)
            }
        }

        // Retry delays requested from the clock (zero delays are not counted).
        if let wanted = expect["sleeps"]?.arrayValue {
            let slept = clock.slept.map { Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }.filter { $0 > 0 }
            let expected = wanted.compactMap { $0.numberValue?.doubleValue }
            if slept.count != expected.count || zip(slept, expected).contains(where: { abs($0 - $1) > 1e-6 }) {
                problems.append("retry delays \(slept), expected \(expected)")
            }
        }

        // Secrets.
        for secret in (expect["reportExcludes"]?.arrayValue ?? []).compactMap(\.stringValue) {
            if reportText.contains(secret) { problems.append("the JSON report contains the secret \(secret.prefix(3))…") }
            if invocation.stdout.contains(secret) || invocation.stderr.contains(secret) {
                problems.append("the console output contains the secret \(secret.prefix(3))…")
            }
        }

        // The server side: every scripted exchange used, nothing unexpected.
        if faulty == nil {
            problems += scripted.problems.map { "server: " + $0 }
            let received = scripted.receivedRequests
            for check in postChecks {
                let body = check.index < received.count ? (received[check.index].bodyText ?? "") : ""
                if !body.contains(check.contains) {
                    problems.append("request \(check.index + 1) body lacks \(check.contains.debugDescription); got \(body.debugDescription)")
                }
            }
        }
        if !problems.isEmpty {
            problems.append("command: arazzo-run \(arguments.joined(separator: " "))")
            if !invocation.stderr.isEmpty { problems.append("stderr: " + invocation.stderr.prefix(1500)) }
            problems.append("stdout: " + invocation.stdout.prefix(1500))
        }
        return problems
    }

    /// Compares one workflow's expected outcome, failing step, outputs and step sequence.
    static func compare(workflow id: String, wanted: JSONValue, actual: JSONValue) -> [String] {
        var problems: [String] = []
        if let outcome = wanted["outcome"]?.stringValue, actual["outcome"]?.stringValue != outcome {
            problems.append("\(id): outcome \(actual["outcome"]?.stringValue ?? "none"), expected \(outcome)"
                + (actual["failure"].map { " (\($0["message"]?.stringValue ?? ""))" } ?? ""))
        }
        if let step = wanted["failedStep"]?.stringValue, actual["failure"]?["stepId"]?.stringValue != step {
            problems.append("\(id): failed at \(actual["failure"]?["stepId"]?.stringValue ?? "no step"), expected \(step)")
        }
        if let kind = wanted["failureKind"]?.stringValue, actual["failure"]?["kind"]?.stringValue != kind {
            problems.append("\(id): failure kind \(actual["failure"]?["kind"]?.stringValue ?? "none"), expected \(kind)")
        }
        if let outputs = wanted["outputs"], actual["outputs"] != outputs {
            problems.append("\(id): outputs \(actual["outputs"]?.jsonText() ?? "none"), expected \(outputs.jsonText())")
        }
        if let steps = wanted["steps"]?.arrayValue {
            let actualSteps = (actual["steps"]?.arrayValue ?? []).map(describe)
            let expected = steps.compactMap(\.stringValue)
            var same = actualSteps.count == expected.count
            if same {
                for (got, want) in zip(actualSteps, expected) where !matches(got, want) { same = false }
            }
            if !same {
                problems.append("\(id): steps [\(actualSteps.joined(separator: ", "))], expected [\(expected.joined(separator: ", "))]")
            }
        }
        return problems
    }

    /// `stepId status action` for a step of the report (`-` when there is no response).
    static func describe(_ step: JSONValue) -> String {
        let id = step["stepId"]?.stringValue ?? "?"
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
        var action = step["action"]?.stringValue ?? ""
        if action.hasPrefix("retry") { action = "retry" }
        return [id, status, action].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// An expected step line matches when its given fields (id, status, then action) match.
    static func matches(_ actual: String, _ expected: String) -> Bool {
        let want = expected.split(separator: " ").map(String.init)
        let got = actual.split(separator: " ").map(String.init)
        guard want.count >= 2, got.count >= 2 else { return actual == expected }
        if want[0] != got[0] || want[1] != got[1] { return false }
        if want.count == 2 { return true }
        return want[2...].joined(separator: " ") == got[2...].joined(separator: " ")
    }

    /// The case's exchange in `ScriptedServer`'s format, plus a body substring checked afterwards.
    static func scriptExchange(_ exchange: JSONValue) -> (JSONValue, String?) {
        var request: JSONObject = [:]
        var contains: String?
        if case .object(let given)? = exchange["request"] {
            for key in ["method", "path", "query", "rawQuery", "headers", "absentHeaders"] {
                if let value = given[key] { request[key] = value }
            }
            if let body = given["body"] {
                if let json = body["json"] { request["json"] = json }
                if let text = body["text"] { request["body"] = text }
                if let needle = body["contains"]?.stringValue { contains = needle }
            }
        }
        var response: JSONObject = [:]
        if case .object(let given)? = exchange["response"] {
            response["status"] = given["status"] ?? 200
            var headers: [JSONValue] = []
            switch given["headers"] {
            case .object(let map)?:
                for (name, value) in map { headers.append(["name": .string(name), "value": value]) }
            case .array(let pairs)?:
                for pair in pairs {
                    if let items = pair.arrayValue, items.count == 2 {
                        headers.append(["name": items[0], "value": items[1]])
                    } else {
                        headers.append(pair)
                    }
                }
            default: break
            }
            if let type = given["contentType"] { headers.append(["name": "Content-Type", "value": type]) }
            response["headers"] = .array(headers)
            if let json = given["json"] { response["json"] = json }
            if let text = given["text"] { response["body"] = text }
            if let delay = given["delay"]?.numberValue?.doubleValue {
                response["delayMilliseconds"] = .int(Int(delay * 1000))
            }
        }
        return (["request": .object(request), "response": .object(response)], contains)
    }

    /// Copies a folder tree, passing every file's text through `transform`.
    static func copy(from source: String, to destination: String, transform: (String) -> String) throws {
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: source) else { return }
        while let relative = enumerator.nextObject() as? String {
            let from = source + "/" + relative
            let to = destination + "/" + relative
            var isDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: from, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try manager.createDirectory(atPath: to, withIntermediateDirectories: true)
            } else {
                let data = try Data(contentsOf: URL(fileURLWithPath: from))
                let text = String(decoding: data, as: UTF8.self)
                try Data(transform(text).utf8).write(to: URL(fileURLWithPath: to))
            }
        }
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
