public import ArazzoExecutor
import ArazzoDiagnostics
public import ArazzoJSON
import ArazzoYAML
import Foundation
// Swift Testing is there for test builds only: a release build with a statically linked runtime
// (scripts/build-release.sh, for arazzo-bench) has no Testing module, and the loopback servers the
// benchmarks use link this module; there, the case model is built without its test-name hook.
#if canImport(Testing)
public import Testing
#endif

/// One conformance case: a folder holding `case.yaml`, an Arazzo document and the descriptions it
/// names, decoded completely (an unknown or mistyped key is a located ``ConformanceCaseError``).
///
/// The format is `docs/conformance.md`. Every runner reads cases through this type and judges them
/// with ``ConformanceCase/Expectation/problems(_:)``, so a case means the same thing whichever path
/// runs it (the CLI in process over a loopback server, or the engine API over a
/// ``ScriptedExecutor``).
public struct ConformanceCase: Sendable {
    /// Which command the case runs.
    public enum Command: String, Sendable, Hashable {
        /// `arazzo-run run` (the default).
        case run
        /// `arazzo-run validate`.
        case validate
    }

    /// The WebSocket peer a case talks to (`websocket:`).
    public enum Peer: Sendable, Hashable {
        /// `websocket: true`: the repository's `scripts/peers/ws_peer.py`.
        case standard
        /// `websocket: {script: peer.py}`: a script of the case folder (relative path).
        case script(String)
    }

    /// The folder name, which is the case's id.
    public var id: String
    /// The case folder's absolute path.
    public var folder: String
    /// One line saying what the case shows.
    public var title: String
    /// The spec clause the case checks.
    public var spec: String
    /// The decision of `docs/decisions.md` the case pins, if any.
    public var decision: String?
    /// The command (`run` unless `command:` says otherwise).
    public var command: Command
    /// The entry document, relative to the folder (`arazzo.yaml` unless `document:` says otherwise).
    public var document: String
    /// Extra command-line arguments, in order.
    public var arguments: [String]
    /// The run's environment (nothing else is inherited).
    public var environment: [String: String]
    /// The workflow inputs, when the case gives them.
    public var inputs: JSONValue?
    /// Why the implementation is known to fail the case (`knownIssue:`), if it is.
    public var knownIssue: String?
    /// The WebSocket peer the case needs, if any.
    public var webSocketPeer: Peer?
    /// The HTTP exchanges the server expects, in order.
    public var exchanges: [CaseExchange]
    /// What the run must show.
    public var expect: Expectation

    /// Reads `folder/case.yaml` with `placeholders` filled in (placeholders never span lines, so
    /// error locations are those of the file as written).
    public init(folder: String, placeholders: Placeholders = .unfilled) throws(ConformanceCaseError) {
        let file = folder + "/case.yaml"
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ConformanceCaseError(file: file, line: 1, column: 1, message: "cannot read case.yaml: \(error.localizedDescription)")
        }
        let root: YAMLNode
        do {
            root = try YAMLParser.parse(placeholders.apply(text), file: file)
        } catch {
            throw ConformanceCaseError(
                file: file, line: error.location?.line ?? 1, column: error.location?.column ?? 1,
                message: "case.yaml is not valid YAML: \(error.message)")
        }
        let reader = CaseReader(file: file)
        let top = try reader.mapping(root, "the case", keys: [
            "title", "spec", "decision", "command", "document", "args", "env", "inputs", "knownIssue", "websocket",
            "exchanges", "expect",
        ])
        id = (folder as NSString).lastPathComponent
        self.folder = folder
        title = try reader.requiredString(top, "title", in: root)
        spec = try reader.requiredString(top, "spec", in: root)
        decision = try top["decision"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "decision") }
        if let node = top["command"] {
            let name = try reader.string(node, "command")
            guard let command = Command(rawValue: name) else {
                throw reader.error(node, "command must be run or validate, not '\(name)'")
            }
            self.command = command
        } else {
            command = .run
        }
        document = try top["document"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "document") } ?? "arazzo.yaml"
        arguments = try top["args"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.strings(node, "args") } ?? []
        var environment: [String: String] = [:]
        if let node = top["env"] {
            for pair in try reader.pairs(node, "env") {
                environment[pair.key] = pair.value.jsonValue.stringValue ?? pair.value.jsonValue.jsonText()
            }
        }
        self.environment = environment
        inputs = top["inputs"]?.jsonValue
        knownIssue = try top["knownIssue"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "knownIssue") }
        switch top["websocket"] {
        case nil: webSocketPeer = nil
        case let node? where node.scalar != nil:
            guard case .bool(let on) = node.jsonValue else { throw reader.error(node, "websocket must be true, false or {script: FILE}") }
            webSocketPeer = on ? .standard : nil
        case let node?:
            let fields = try reader.mapping(node, "websocket", keys: ["script"])
            webSocketPeer = .script(try reader.requiredString(fields, "script", in: node))
        }
        exchanges = try (top["exchanges"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.sequence(node, "exchanges") } ?? []).map { (node: YAMLNode) throws(ConformanceCaseError) in
            try CaseExchange(reader: reader, node: node)
        }
        guard let expectNode = top["expect"] else { throw reader.error(root, "the case has no 'expect' block") }
        expect = try Expectation(reader: reader, node: expectNode)
        if exchanges.contains(where: { $0.fault != nil }) && exchanges.count != 1 {
            throw reader.error(root, "a case with a fault has only that exchange")
        }
    }

    /// The exchanges as a script for ``ScriptedExecutor`` or `ScriptedServer` (ordered).
    public var script: ExchangeScript {
        ExchangeScript(ordered: true, exchanges: exchanges.map(\.scripted))
    }

    /// Checks the body substrings (`body: {contains: …}`) against the requests the server received.
    public func bodyProblems(received: [ReceivedRequest]) -> [String] {
        var problems: [String] = []
        for (index, exchange) in exchanges.enumerated() {
            guard let needle = exchange.request.bodyContains else { continue }
            let body = index < received.count ? (received[index].bodyText ?? "") : ""
            if !body.contains(needle) {
                problems.append("request \(index + 1) body lacks \(needle.debugDescription); got \(body.debugDescription)")
            }
        }
        return problems
    }
}

/// A `case.yaml` that does not follow the format of `docs/conformance.md`, with where.
public struct ConformanceCaseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `case.yaml` path.
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column.
    public var column: Int
    /// One line saying what to fix.
    public var message: String

    /// `file:line:column: message`.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

// MARK: - Placeholders and folders

extension ConformanceCase {
    /// The values the runner fills into `@@…@@` placeholders of every file of a case.
    public struct Placeholders: Sendable, Hashable {
        /// `@@BASE_URL@@`: the scripted server, `http://host:port`.
        public var baseURL: String
        /// `@@REFUSED_URL@@`: an address where connections are refused.
        public var refusedURL: String
        /// `@@WS_HOST@@` (and `@@WS_URL@@` as `ws://` plus it): the WebSocket peer's `host:port`.
        public var webSocketHost: String

        /// Placeholders with these values.
        public init(baseURL: String, refusedURL: String, webSocketHost: String = "127.0.0.1:9") {
            self.baseURL = baseURL
            self.refusedURL = refusedURL
            self.webSocketHost = webSocketHost
        }

        /// Leaves the placeholders as written (for listing and reading metadata).
        public static let unfilled = Placeholders(baseURL: "@@BASE_URL@@", refusedURL: "@@REFUSED_URL@@", webSocketHost: "")

        /// `@@HOST@@`: the scripted server's `host:port` (a Swagger 2.0 `host`).
        public var host: String {
            guard let scheme = baseURL.range(of: "://") else { return baseURL }
            return String(baseURL[scheme.upperBound...])
        }

        /// `text` with every placeholder replaced.
        public func apply(_ text: String) -> String {
            if self == .unfilled || !text.contains("@@") { return text }
            return text.replacingOccurrences(of: "@@BASE_URL@@", with: baseURL)
                .replacingOccurrences(of: "@@REFUSED_URL@@", with: refusedURL)
                .replacingOccurrences(of: "@@HOST@@", with: host)
                .replacingOccurrences(of: "@@WS_URL@@", with: "ws://" + webSocketHost)
                .replacingOccurrences(of: "@@WS_HOST@@", with: webSocketHost)
        }
    }

    /// A case folder, before its `case.yaml` is read: the argument of a parameterised test, named
    /// by the case id so each case is reported (and fails) on its own.
    public struct Folder: Sendable, Hashable, CustomStringConvertible {
        /// The case id (the folder name).
        public var id: String
        /// The folder's absolute path.
        public var path: String

        /// A folder.
        public init(path: String) {
            self.path = path
            id = (path as NSString).lastPathComponent
        }

        /// The case id.
        public var description: String { id }

        /// Reads the case with `placeholders` filled in.
        public func load(placeholders: Placeholders = .unfilled) throws(ConformanceCaseError) -> ConformanceCase {
            try ConformanceCase(folder: path, placeholders: placeholders)
        }

        /// Copies the case into `directory/case/` and the suite's shared folders (those whose name
        /// starts with `_`, such as `_shared/`) beside it, filling placeholders in every file, so a
        /// document naming `../_shared/x.yaml` reads the shared copy. Returns the case's copy. (The
        /// copy is not named after the case, so paths in reports do not contain the case id.)
        public func copy(into directory: String, placeholders: Placeholders) throws -> String {
            let suite = (path as NSString).deletingLastPathComponent
            let names = try FileManager.default.contentsOfDirectory(atPath: suite)
            for name in names where name.hasPrefix("_") {
                try Self.copyTree(from: suite + "/" + name, to: directory + "/" + name, transform: placeholders.apply)
            }
            let target = directory + "/case"
            try Self.copyTree(from: path, to: target, transform: placeholders.apply)
            return target
        }

        private static func copyTree(from source: String, to destination: String, transform: (String) -> String) throws {
            let manager = FileManager.default
            try manager.createDirectory(atPath: destination, withIntermediateDirectories: true)
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
                    try Data(transform(String(decoding: data, as: UTF8.self)).utf8).write(to: URL(fileURLWithPath: to))
                }
            }
        }
    }

    /// The environment variable that limits a conformance run to some cases: a comma-separated
    /// list of case ids, each exact or a prefix ending in `*` (`ARAZZO_CASE=a15-*,cli-mock-basic`).
    public static let selectionVariable = "ARAZZO_CASE"

    /// Every case folder under `root` (folders holding a `case.yaml`), sorted by id, limited to
    /// the selection in `ARAZZO_CASE` when it is set.
    public static func folders(in root: String) -> [Folder] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let selection = ProcessInfo.processInfo.environment[selectionVariable].map { text in
            text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return names.sorted().compactMap { name in
            guard FileManager.default.fileExists(atPath: root + "/" + name + "/case.yaml") else { return nil }
            if let selection, !selection.contains(where: { Self.selects($0, name) }) { return nil }
            return Folder(path: root + "/" + name)
        }
    }

    private static func selects(_ pattern: String, _ id: String) -> Bool {
        pattern.hasSuffix("*") ? id.hasPrefix(pattern.dropLast()) : id == pattern
    }
}

// MARK: - Exchanges

extension ConformanceCase {
    /// One scripted exchange of a case.
    public struct CaseExchange: Sendable, Hashable {
        /// What the request must look like.
        public var request: Request
        /// What the server answers.
        public var response: Response
        /// Instead of a response, the connection fails this way.
        public var fault: Fault?

        /// The connection failures a case can script.
        public enum Fault: String, Sendable, Hashable {
            /// The connection is reset in the middle of the body.
            case reset
            /// The connection is closed without a response.
            case close
        }

        /// The expected request of an exchange: the script's checks plus a body substring, which
        /// the script format cannot express and is checked after the run.
        public struct Request: Sendable, Hashable {
            /// What the script checks (method, path, query, headers, a JSON or exact text body).
            public var expected: ExpectedRequest
            /// The body must contain this text (checked after the run).
            public var bodyContains: String?
        }

        /// The scripted response of an exchange.
        public struct Response: Sendable, Hashable {
            /// The status (default 200).
            public var status: Int = 200
            /// Header fields, in order.
            public var headers: [HTTPHeaderField] = []
            /// A JSON body.
            public var json: JSONValue?
            /// A text body.
            public var text: String?
            /// The Content-Type of a text body.
            public var contentType: String?
            /// Seconds before answering.
            public var delay: Double?
        }

        init(reader: CaseReader, node: YAMLNode) throws(ConformanceCaseError) {
            let fields = try reader.mapping(node, "an exchange", keys: ["request", "response", "fault"])
            guard let requestNode = fields["request"] else { throw reader.error(node, "an exchange needs a 'request'") }
            let r = try reader.mapping(requestNode, "request", keys: [
                "method", "path", "query", "rawQuery", "headers", "absentHeaders", "body",
            ])
            var expected = ExpectedRequest(
                method: try reader.requiredString(r, "method", in: requestNode),
                path: try reader.requiredString(r, "path", in: requestNode),
                query: try r["query"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.fields(node, "query") },
                rawQuery: try r["rawQuery"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "rawQuery") },
                headers: try r["headers"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.fields(node, "headers") },
                absentHeaders: try r["absentHeaders"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.strings(node, "absentHeaders") })
            var bodyContains: String?
            if let body = r["body"] {
                let b = try reader.mapping(body, "body", keys: ["json", "text", "contains"])
                guard b.count == 1 else { throw reader.error(body, "a request body has exactly one of json, text, contains") }
                expected.json = b["json"]?.jsonValue
                expected.body = try b["text"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "text") }
                bodyContains = try b["contains"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "contains") }
            }
            request = Request(expected: expected, bodyContains: bodyContains)
            response = Response()
            if let responseNode = fields["response"] {
                let s = try reader.mapping(responseNode, "response", keys: ["status", "headers", "json", "text", "contentType", "delay"])
                if let status = s["status"] { response.status = try reader.int(status, "status") }
                if let headers = s["headers"] { response.headers = try reader.fields(headers, "headers") }
                response.json = s["json"]?.jsonValue
                response.text = try s["text"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "text") }
                response.contentType = try s["contentType"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.string(node, "contentType") }
                response.delay = try s["delay"].map { (node: YAMLNode) throws(ConformanceCaseError) in try reader.number(node, "delay") }
            }
            if let faultNode = fields["fault"] {
                let name = try reader.string(faultNode, "fault")
                guard let fault = Fault(rawValue: name) else { throw reader.error(faultNode, "fault must be reset or close, not '\(name)'") }
                self.fault = fault
            }
        }

        /// The exchange in the script format both the loopback server and the in-memory executor
        /// replay.
        public var scripted: Exchange {
            var headers = response.headers
            if let type = response.contentType { headers.append(HTTPHeaderField(name: "Content-Type", value: type)) }
            var answer = ScriptedResponse(
                status: response.status, headers: headers, json: response.json, body: response.text,
                delayMilliseconds: response.delay.map { Int(($0 * 1000).rounded()) })
            switch fault {
            case .reset?: answer.fault = .resetMidBody
            case .close?: answer.fault = .closeConnection
            case nil: break
            }
            return Exchange(request: request.expected, response: answer)
        }
    }
}

// MARK: - Reading YAML with locations

/// Reads `case.yaml` nodes, turning every shape error into a located ``ConformanceCaseError``.
struct CaseReader {
    let file: String

    func error(_ node: YAMLNode, _ message: String) -> ConformanceCaseError {
        ConformanceCaseError(file: file, line: node.location.line, column: node.location.column, message: message)
    }

    /// A mapping's entries, rejecting keys outside `keys`.
    func mapping(_ node: YAMLNode, _ what: String, keys: [String]) throws(ConformanceCaseError) -> [String: YAMLNode] {
        guard let pairs = node.mapping else { throw error(node, "\(what) must be a mapping, not a \(node.kindName)") }
        var result: [String: YAMLNode] = [:]
        for pair in pairs {
            guard keys.contains(pair.key) else {
                throw ConformanceCaseError(
                    file: file, line: pair.keyLocation.line, column: pair.keyLocation.column,
                    message: "unknown key '\(pair.key)' in \(what); expected one of \(keys.joined(separator: ", "))")
            }
            result[pair.key] = pair.value
        }
        return result
    }

    func pairs(_ node: YAMLNode, _ what: String) throws(ConformanceCaseError) -> [YAMLNode.Pair] {
        guard let pairs = node.mapping else { throw error(node, "\(what) must be a mapping, not a \(node.kindName)") }
        return pairs
    }

    func sequence(_ node: YAMLNode, _ what: String) throws(ConformanceCaseError) -> [YAMLNode] {
        guard let items = node.sequence else { throw error(node, "\(what) must be a list, not a \(node.kindName)") }
        return items
    }

    /// A scalar as text (`'4'` and `4` both read as "4").
    func string(_ node: YAMLNode, _ what: String) throws(ConformanceCaseError) -> String {
        guard let scalar = node.scalar else { throw error(node, "\(what) must be a string, not a \(node.kindName)") }
        return scalar.value.stringValue ?? scalar.value.jsonText()
    }

    func requiredString(_ fields: [String: YAMLNode], _ key: String, in node: YAMLNode) throws(ConformanceCaseError) -> String {
        guard let value = fields[key] else { throw error(node, "missing '\(key)'") }
        return try string(value, key)
    }

    func strings(_ node: YAMLNode, _ what: String) throws(ConformanceCaseError) -> [String] {
        var result: [String] = []
        for item in try sequence(node, what) { result.append(try string(item, "an item of \(what)")) }
        return result
    }

    func int(_ node: YAMLNode, _ what: String) throws(ConformanceCaseError) -> Int {
        guard case .int(let value) = node.jsonValue else { throw error(node, "\(what) must be an integer") }
        return value
    }

    func number(_ node: YAMLNode, _ what: String) throws(ConformanceCaseError) -> Double {
        switch node.jsonValue {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: throw error(node, "\(what) must be a number")
        }
    }

    /// Name/value fields written as a map (a list value repeats the name, in order) or as a list of
    /// `[name, value]` pairs or `{name, value}` objects.
    func fields(_ node: YAMLNode, _ what: String) throws(ConformanceCaseError) -> [HTTPHeaderField] {
        var result: [HTTPHeaderField] = []
        if let pairs = node.mapping {
            for pair in pairs {
                if let items = pair.value.sequence {
                    for item in items { result.append(HTTPHeaderField(name: pair.key, value: try text(item, what))) }
                } else {
                    result.append(HTTPHeaderField(name: pair.key, value: try text(pair.value, what)))
                }
            }
            return result
        }
        for item in try sequence(node, what) {
            if let pair = item.sequence, pair.count == 2 {
                result.append(HTTPHeaderField(name: try string(pair[0], "a name in \(what)"), value: try text(pair[1], what)))
            } else if item.mapping != nil {
                let entry = try mapping(item, "an item of \(what)", keys: ["name", "value"])
                result.append(HTTPHeaderField(
                    name: try requiredString(entry, "name", in: item), value: try requiredString(entry, "value", in: item)))
            } else {
                throw error(item, "an item of \(what) must be a [name, value] pair or {name, value}")
            }
        }
        return result
    }

    /// A field value: a scalar's text (null is empty), anything else as JSON text.
    private func text(_ node: YAMLNode, _ what: String) throws(ConformanceCaseError) -> String {
        guard let scalar = node.scalar else { return node.jsonValue.jsonText() }
        if case .null = scalar.value { return "" }
        return scalar.value.stringValue ?? scalar.value.jsonText()
    }
}

#if canImport(Testing)
extension ConformanceCase.Folder: CustomTestStringConvertible {
    /// The case id, as Swift Testing names the argument.
    public var testDescription: String { id }
}
#endif
