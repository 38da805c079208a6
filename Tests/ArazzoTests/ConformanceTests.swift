import Foundation
import Testing
import Arazzo
import ArazzoYAML
import OrderedCollections

/// Runs the engine-level cases of `Fixtures/conformance` (those that do not exercise the CLI)
/// directly through the public API: scripted exchanges on an in-memory executor, credentials,
/// overrides and limits from the case's arguments, and the expected outcome, step summaries,
/// outputs, sleeps and validation diagnostics. The case names start with the decision they pin
/// (A11–A27).
@Suite("Conformance cases through the engine API")
struct ConformanceTests {
    static let root = repositoryRoot() + "/Fixtures/conformance"
    static let base = "http://conformance.test"

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { name in
            guard !name.hasPrefix("cli-"), !name.contains("environment"),
                  let text = try? String(contentsOfFile: root + "/" + name + "/case.yaml", encoding: .utf8) else { return false }
            // Cases with a real WebSocket peer run through the CLI runner (ArazzoCLITests), which
            // starts the peer; the engine's own transports are covered by the rest.
            return !text.contains("\nwebsocket:")
        }.sorted()
    }

    @Test("conformance case", arguments: cases)
    func conformance(_ name: String) async throws {
        try await run(name)
    }

    func run(_ name: String) async throws {
        let dir = Self.root + "/" + name
        let spec = try YAMLParser.parse(String(contentsOfFile: dir + "/case.yaml", encoding: .utf8), file: "case.yaml").jsonValue
        let args = spec["args"]?.arrayValue?.compactMap(\.stringValue) ?? []

        // The case's documents, with the server placeholders filled in.
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: dir)
        while let file = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard file != "case.yaml", FileManager.default.fileExists(atPath: dir + "/" + file, isDirectory: &isDirectory),
                  !isDirectory.boolValue else { continue }
            files[file] = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
                .replacingOccurrences(of: "@@BASE_URL@@", with: Self.base)
                .replacingOccurrences(of: "@@REFUSED_URL@@", with: "http://refused.test")
                .replacingOccurrences(of: "@@HOST@@", with: String(Self.base.dropFirst("http://".count)))
        }
        let temp = try writeFiles(files)
        let entry = temp + "/" + (spec["document"]?.stringValue ?? "arazzo.yaml")
        let expect = Self.substituted(spec["expect"] ?? .object([:]))
        let expectedExit: Int
        switch expect["exit"] {
        case .array(let codes)?: expectedExit = codes.isEmpty ? 0 : 1
        case let code?: expectedExit = code.numberValue.map { Int($0.doubleValue) } ?? 0
        case nil: expectedExit = 0
        }

        // One script for the whole case: a source the loader fetches over http (a `$self` base)
        // is an exchange like the run's.
        let executor = ScriptedExchanges(Self.substituted(spec["exchanges"] ?? .array([])).arrayValue ?? [], timeout: nil)
        let document: LoadedDocument
        do {
            // The file policy flags a case passes (directories relative to the case).
            var limits = LoadLimits()
            for (index, arg) in args.enumerated() where index + 1 < args.count {
                if arg == "--allow-file-root" { limits.files.roots.append(temp + "/" + args[index + 1]) }
                if arg == "--sandbox" { limits.files.sandbox.append(temp + "/" + args[index + 1]) }
                if arg == "--map", let equals = args[index + 1].lastIndex(of: "=") {
                    let mapping = args[index + 1]
                    limits.files.mappings.append(FileAccess.Mapping(
                        urlPrefix: String(mapping[..<equals]), directory: temp + "/" + String(mapping[mapping.index(after: equals)...])))
                }
            }
            if args.contains("--allow-files") { limits.files.allowsAnyFile = true }
            document = try await ArazzoLoader(fetcher: executor, limits: limits).load(path: entry)
        } catch {
            #expect(expectedExit != 0, "\(name): unexpected load failure: \(error.diagnostics.map(\.description))")
            checkDiagnostics(expect, Array(error.diagnostics), name)
            return
        }
        if spec["command"]?.stringValue == "validate" {
            let diagnostics = document.validate()
            #expect(diagnostics.hasErrors == (expectedExit == 1), "\(name): \(diagnostics.map(\.description))")
            checkDiagnostics(expect, Array(diagnostics), name)
            return
        }
        let validation = document.validate()
        if validation.hasErrors {
            #expect(expectedExit != 0, "\(name): unexpected validation errors: \(validation.errors.map(\.description))")
            checkDiagnostics(expect, Array(validation), name)
            return
        }

        // Arguments the engine API covers.
        var options = RunOptions(executor: executor)
        let clock = ImmediateClock()
        options.clock = clock
        // No --workflow runs the whole document, as the CLI does (one run, A18).
        var workflowIds: [String] = []
        var inputs = spec["inputs"]?.objectValue ?? [:]
        var index = 0
        var timeout: Double?
        var mock = false
        while index < args.count {
            let flag = args[index]
            let value = index + 1 < args.count ? args[index + 1] : ""
            index += 2
            switch flag {
            case "--workflow": workflowIds.append(value)
            case "--input":
                let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { inputs[parts[0]] = (try? JSONValue(parsing: parts[1])) ?? .string(parts[1]) }
            case "--timeout":
                timeout = Double(value)
                options.limits.requestTimeout = .milliseconds(Int((Double(value) ?? 30) * 1000))
            case "--max-steps": options.limits.maxSteps = Int(value) ?? 1000
            case "--contract": options.contract.mode = ContractLevel(rawValue: value) ?? .warn
            case "--server":
                let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { options.serverOverrides[parts[0]] = parts[1].replacingOccurrences(of: "@@BASE_URL@@", with: Self.base) }
            case "--auth":
                let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let credential = Self.credential(parts[1]) else {
                    #expect(expectedExit != 0, "\(name): bad --auth \(value)")
                    return
                }
                if document.document.sourceDescriptions.contains(where: { $0.name == parts[0] }) {
                    options.credentials.bind(credential, toSource: parts[0])
                } else {
                    options.credentials.bind(credential, toScheme: parts[0])
                }
            case "--dry-run":
                options.dryRun = true
                index -= 1
            case "--allow-file-root", "--sandbox", "--map": break  // applied when loading, above
            case "--allow-files", "-v", "--verbose": index -= 1  // -v only changes what the console shows
            case "--mock":
                mock = true
                index -= 1
            default:
                Issue.record("\(name): unsupported argument \(flag)")
                return
            }
        }
        options.executor = mock
            ? OpenAPIMockExecutor(document: document)
            : ScriptedExchanges(executor.exchanges, timeout: timeout, counter: executor.counter)
        // As the CLI: under --mock every protocol is the in-memory mock; otherwise no transport
        // (these cases have no peer), so AsyncAPI steps fail with noTransport.
        if mock { options.messageTransports = MessageTransports(fallback: AsyncAPIMockTransport()) }

        let entries = await WorkflowEngine(document: document, options: options)
            .runAll(workflowIds.isEmpty ? nil : workflowIds, inputs: .object(inputs), diagnostics: validation)
        var results: [RunResult] = []
        for entry in entries {
            switch entry {
            case .ran(let result): results.append(result)
            case .alreadyRan: break
            case .refused(let id, let error):
                #expect(expectedExit != 0, "\(name): unexpected run failure of \(id): \(error)")
                return
            }
        }
        #expect(results.allSatisfy(\.succeeded) == (expectedExit == 0), "\(name): \(results.map(\.outcome))")

        if case .array(let sleeps)? = expect["sleeps"] {
            #expect(clock.slept.map(\.secondsValue) == sleeps.compactMap { $0.numberValue?.doubleValue }, "\(name): sleeps")
        }
        for excluded in expect["reportExcludes"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            let report = String(decoding: try JSONEncoder().encode(results), as: UTF8.self)
            #expect(!report.contains(excluded), "\(name): the result contains \(excluded)")
        }
        guard case .object(let expectedWorkflows)? = expect["workflows"] else { return }
        for (id, expectation) in expectedWorkflows {
            // A top-level run wins over a nested copy of the same workflow.
            guard let run = results.first(where: { $0.workflowId == id }) ?? results.lazy.compactMap({ Self.find(id, in: $0) }).first else {
                Issue.record("\(name): workflow \(id) did not run")
                continue
            }
            if let outcome = expectation["outcome"]?.stringValue {
                #expect((run.succeeded ? "succeeded" : "failed") == outcome, "\(name): \(id) outcome \(run.outcome)")
            }
            if let failedStep = expectation["failedStep"]?.stringValue {
                #expect(failure(run)?.stepId == failedStep, "\(name): \(id) failed step \(run.outcome)")
            }
            if case .array(let steps)? = expectation["steps"] {
                let actual = run.steps.map(Self.summary)
                #expect(actual == steps.compactMap(\.stringValue), "\(name): \(id) steps")
            }
            if case .object(let outputs)? = expectation["outputs"] {
                for (key, value) in outputs {
                    #expect(run.outputs[key] == value, "\(name): \(id) output \(key) = \(run.outputs[key].map(\.description) ?? "missing")")
                }
            }
        }
    }

    /// The expectation with the server placeholder filled in.
    static func substituted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s): return .string(s.replacingOccurrences(of: "@@BASE_URL@@", with: base))
        case .array(let items): return .array(items.map(substituted))
        case .object(let members):
            var out = JSONObject()
            for (k, v) in members { out[k] = substituted(v) }
            return .object(out)
        default: return value
        }
    }

    func checkDiagnostics(_ expect: JSONValue, _ diagnostics: [Diagnostic], _ name: String) {
        for expected in expect["diagnostics"]?.arrayValue ?? [] {
            let matched = diagnostics.contains { d in
                if let severity = expected["severity"]?.stringValue, d.severity.rawValue != severity { return false }
                if let line = expected["line"]?.numberValue.map({ Int($0.doubleValue) }), d.location?.line != line { return false }
                if let text = expected["contains"]?.stringValue, !(d.message + d.notes.joined()).contains(text) { return false }
                return true
            }
            #expect(matched, "\(name): expected \(expected) among \(diagnostics.map(\.description))")
        }
    }

    /// `stepId status|transport-kind|- action` as the cases write it.
    static func summary(_ trace: StepTrace) -> String {
        var middle = trace.response.map { String($0.status) } ?? trace.transportError?.kind.rawValue ?? "-"
        if let message = trace.message {
            middle = message.error?.kind.rawValue ?? (message.message == nil ? "-" : message.action == "send" ? "sent" : "received")
        }
        let action = trace.action.hasPrefix("retry") ? "retry" : trace.action
        return action.isEmpty ? "\(trace.stepId) \(middle)" : "\(trace.stepId) \(middle) \(action)"
    }

    static func find(_ workflowId: String, in result: RunResult) -> RunResult? {
        if result.workflowId == workflowId { return result }
        for child in result.workflows {
            if let found = find(workflowId, in: child) { return found }
        }
        return nil
    }

    /// `basic:user:pass`, `bearer:token`, `apikey:value`, `oauth2:id:secret[:scope,scope]`.
    static func credential(_ text: String) -> Credential? {
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "basic" where parts.count >= 3: return .basic(username: parts[1], password: parts[2...].joined(separator: ":"))
        case "bearer" where parts.count >= 2: return .bearer(token: parts[1...].joined(separator: ":"))
        case "apikey" where parts.count >= 2: return .apiKey(value: parts[1...].joined(separator: ":"))
        case "oauth2" where parts.count >= 3:
            return .oauth2ClientCredentials(clientId: parts[1], clientSecret: parts[2], scopes: parts.count > 3 ? parts[3].split(separator: ",").map(String.init) : [])
        default: return nil
        }
    }
}

/// Answers requests with the case's exchanges, in order, checking each request against the
/// expected method, path, query, headers and body.
struct ScriptedExchanges: StepExecutor {
    let exchanges: [JSONValue]
    let timeout: Double?
    let counter: Counter

    /// `counter` continues the script of another instance (the loader's fetches come first).
    init(_ exchanges: [JSONValue], timeout: Double?, counter: Counter = Counter()) {
        self.exchanges = exchanges
        self.timeout = timeout
        self.counter = counter
    }

    func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        if request.url.hasPrefix("http://refused.test") { throw TransportError(.connectionRefused, "connection refused") }
        let index = await counter.next()
        guard index < exchanges.count else {
            Issue.record("unexpected request #\(index + 1): \(request.method) \(request.url)")
            return HTTPResponse(status: 599)
        }
        let exchange = exchanges[index]
        let expected = exchange["request"] ?? .object([:])
        let (path, query) = Self.split(request.url)
        if let method = expected["method"]?.stringValue { #expect(request.method == method, "request #\(index + 1) method") }
        if let expectedPath = expected["path"]?.stringValue { #expect(path == expectedPath, "request #\(index + 1) path of \(request.url)") }
        if case .object(let q)? = expected["query"] {
            for (key, value) in q {
                let values = query.filter { $0.0 == key }.map(\.1)
                switch value {
                case .array(let items): #expect(values == items.map(Self.text), "request #\(index + 1) query \(key) in \(request.url)")
                default: #expect(values == [Self.text(value)], "request #\(index + 1) query \(key) in \(request.url)")
                }
            }
        }
        if case .object(let h)? = expected["headers"] {
            for (key, value) in h {
                #expect(request.headers[key] == Self.text(value), "request #\(index + 1) header \(key)")
            }
        }
        for name in expected["absentHeaders"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            #expect(request.headers[name] == nil, "request #\(index + 1) must not carry \(name)")
        }
        let sent = request.body.map { String(decoding: $0, as: UTF8.self) }
        if let json = expected["json"] ?? expected["body"]?["json"] {
            #expect(request.body.flatMap { try? JSONValue(parsing: $0) } == json, "request #\(index + 1) JSON body \(sent ?? "none")")
        }
        if let body = expected["body"]?.stringValue ?? expected["body"]?["text"]?.stringValue {
            #expect(sent == body, "request #\(index + 1) body")
        }
        if let part = expected["body"]?["contains"]?.stringValue {
            #expect(sent?.contains(part) == true, "request #\(index + 1) body \(sent ?? "none") contains \(part)")
        }
        if let type = expected["contentType"]?.stringValue {
            #expect(request.headers["Content-Type"]?.hasPrefix(type) == true, "request #\(index + 1) content type")
        }
        if exchange["fault"]?.stringValue == "reset" { throw TransportError(.connectionReset, "connection reset by peer") }
        let response = exchange["response"] ?? .object([:])
        // The request's own timeout counts too: a 1.1 step `timeout` shortens it (decision V5).
        let parts = request.timeout.components
        let requestLimit = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        if let delay = response["delay"]?.numberValue?.doubleValue, delay > min(timeout ?? requestLimit, requestLimit) {
            throw TransportError(.timeout, "no response within \(min(timeout ?? requestLimit, requestLimit))s")
        }
        var headers = HeaderFields()
        if case .array(let pairs)? = response["headers"] {
            for pair in pairs {
                if let name = pair[0]?.stringValue, let value = pair[1] { headers.append(name: name, value: Self.text(value)) }
            }
        }
        if case .object(let h)? = response["headers"] {
            for (key, value) in h {
                if case .array(let items) = value {
                    for item in items { headers.append(name: key, value: Self.text(item)) }
                } else {
                    headers.append(name: key, value: Self.text(value))
                }
            }
        }
        // `contentType` as docs/conformance.md describes it (and as the CLI runner reads it).
        if let type = response["contentType"]?.stringValue { headers.append(name: "Content-Type", value: type) }
        var body: [UInt8] = []
        if let json = response["json"] {
            body = json.jsonBytes()
            if headers["Content-Type"] == nil { headers.append(name: "Content-Type", value: "application/json") }
        } else if let text = response["text"]?.stringValue ?? response["body"]?.stringValue {
            body = Array(text.utf8)
        }
        let status = response["status"]?.numberValue.map { Int($0.doubleValue) } ?? 200
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    static func text(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return value.jsonText()
    }

    /// The raw path and the decoded query pairs of a URL.
    static func split(_ url: String) -> (String, [(String, String)]) {
        var rest = Substring(url)
        if let range = rest.range(of: "://") {
            rest = rest[range.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        let parts = rest.split(separator: "?", maxSplits: 1).map(String.init)
        let query = (parts.count > 1 ? parts[1] : "").split(separator: "&").map { pair -> (String, String) in
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            return (kv.first ?? "", kv.count > 1 ? kv[1] : "")
        }
        return (parts.first ?? "/", query)
    }
}

actor Counter {
    private var value = 0
    func next() -> Int {
        defer { value += 1 }
        return value
    }
}

extension Duration {
    var secondsValue: Double {
        let (s, a) = components
        return Double(s) + Double(a) / 1e18
    }
}
