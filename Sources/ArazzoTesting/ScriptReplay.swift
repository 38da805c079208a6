import ArazzoExecutor
import ArazzoJSON
import Foundation
import OrderedCollections

/// A request that did not match the script.
public struct ScriptMismatch: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Index of the request among those received (``ScriptReplay/received``).
    public var requestIndex: Int
    /// Index of the exchange it was compared with, or `nil` when none was left.
    public var exchangeIndex: Int?
    /// `METHOD target` of the request.
    public var request: String
    /// One line naming the first field that differed.
    public var explanation: String

    /// Creates a mismatch record.
    public init(requestIndex: Int, exchangeIndex: Int?, request: String, explanation: String) {
        self.requestIndex = requestIndex
        self.exchangeIndex = exchangeIndex
        self.request = request
        self.explanation = explanation
    }

    /// `request #N METHOD target (exchange #M): explanation`.
    public var description: String {
        let against = exchangeIndex.map { " (exchange #\($0))" } ?? ""
        return "request #\(requestIndex) \(request)\(against): \(explanation)"
    }
}

/// One replay of an ``ExchangeScript``: which exchanges were used, every request received and every
/// mismatch. The loopback `ScriptedServer` (ArazzoTestServer) and the in-memory
/// ``ScriptedExecutor`` both answer through it, so a script means the same thing to either.
public struct ScriptReplay: Sendable {
    /// The script being replayed.
    public private(set) var script: ExchangeScript
    /// How often each exchange has answered.
    private var uses: [Int]
    /// Every request received so far, in arrival order.
    public private(set) var received: [ReceivedRequest] = []
    /// Every request that did not match the script.
    public private(set) var mismatches: [ScriptMismatch] = []

    /// A replay of `script` that has seen nothing yet.
    public init(script: ExchangeScript) {
        self.script = script
        uses = Array(repeating: 0, count: script.exchanges.count)
    }

    /// Indices of exchanges that were not used as many times as scripted.
    public var unusedExchanges: [Int] {
        script.exchanges.indices.filter { uses[$0] < script.exchanges[$0].times }
    }

    /// Every way the traffic differed from the script, one line each; empty when it matched exactly.
    public var problems: [String] {
        var lines = mismatches.map(\.description)
        for index in unusedExchanges {
            let expected = script.exchanges[index].request
            lines.append(
                "exchange #\(index) \(expected.method) \(expected.path) was expected "
                    + "\(script.exchanges[index].times)× but received \(uses[index])×")
        }
        return lines
    }

    /// Records `request` and returns the scripted response when it matches the next exchange (in
    /// an unordered script: any unused one), or status 599 with the mismatch recorded.
    public mutating func answer(_ request: ReceivedRequest) -> ServerResponse {
        let requestIndex = received.count
        received.append(request)
        let exchanges = script.exchanges
        let open = exchanges.indices.filter { uses[$0] < exchanges[$0].times }
        var compared: Int?
        var explanation = "no exchange left: the script's \(exchanges.count) exchange(s) are all used"
        if script.ordered {
            if let next = open.first {
                compared = next
                if let difference = Self.difference(exchanges[next].request, request) {
                    explanation = difference
                } else {
                    uses[next] += 1
                    return exchanges[next].response.serverResponse()
                }
            }
        } else {
            for index in open where Self.difference(exchanges[index].request, request) == nil {
                uses[index] += 1
                return exchanges[index].response.serverResponse()
            }
            let closest =
                open.first {
                    exchanges[$0].request.method == request.method && exchanges[$0].request.path == request.path
                } ?? open.first
            if let closest {
                compared = closest
                explanation = Self.difference(exchanges[closest].request, request) ?? explanation
            }
        }
        let mismatch = ScriptMismatch(
            requestIndex: requestIndex, exchangeIndex: compared, request: "\(request.method) \(request.target)",
            explanation: explanation)
        mismatches.append(mismatch)
        let body: JSONValue = ["error": "unexpected request", "explanation": .string(mismatch.description)]
        return ServerResponse(
            status: 599, headers: [HTTPHeaderField(name: "Content-Type", value: "application/json")],
            body: body.jsonBytes())
    }

    /// The first way `request` differs from `expected`, as one line, or `nil` when it matches.
    public static func difference(_ expected: ExpectedRequest, _ request: ReceivedRequest) -> String? {
        if expected.method != request.method {
            return "method: expected \(expected.method), got \(request.method)"
        }
        if expected.path != request.path {
            return "path: expected \(expected.path), got \(request.path)"
        }
        if let rawQuery = expected.rawQuery, rawQuery != (request.rawQuery ?? "") {
            return "query: expected \"\(rawQuery)\", got \"\(request.rawQuery ?? "")\""
        }
        if let query = expected.query {
            let got = request.queryItems
            if let difference = queryDifference(expected: query, got: got) { return difference }
        }
        for field in expected.headers ?? [] {
            let name = field.name.lowercased()
            let values = request.headers.filter { HeaderFields.namesMatch($0.name, field.name) }.map(\.value)
            if values.isEmpty {
                return "header '\(name)': expected \(shown(field.value, header: name)), but it is missing"
            }
            if !values.contains(field.value) && values.joined(separator: ", ") != field.value {
                if isSensitive(name) {
                    return "header '\(name)': value differs from the expected one (not shown: credential)"
                }
                return "header '\(name)': expected \(quoted(field.value)), got \(quoted(values.joined(separator: ", ")))"
            }
        }
        for name in expected.absentHeaders ?? [] where request.header(name) != nil {
            return "header '\(name.lowercased())' must be absent but was sent"
        }
        if let json = expected.json {
            guard let text = request.bodyText, !request.body.isEmpty else {
                return "json body: expected \(clipped(json.jsonText())), got an empty or non-UTF-8 body"
            }
            guard let got = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
                return "json body: expected JSON, got \(quoted(clipped(text)))"
            }
            if let difference = jsonDifference(expected: json, got: got, at: "") {
                return "json body at \(difference)"
            }
        }
        if let body = expected.body {
            let got = request.bodyText ?? "<\(request.body.count) non-UTF-8 bytes>"
            if got != body {
                return "body: expected \(quoted(clipped(body))), got \(quoted(clipped(got)))"
            }
        }
        return nil
    }

    private static func queryDifference(expected: [HTTPHeaderField], got: [HTTPHeaderField]) -> String? {
        let expectedNames = Set(expected.map(\.name))
        let gotNames = Set(got.map(\.name))
        for name in expected.map(\.name) where !gotNames.contains(name) {
            return "query item '\(name)' is missing"
        }
        for name in got.map(\.name) where !expectedNames.contains(name) {
            return "query item '\(name)' was not expected"
        }
        for name in expected.map(\.name) {
            let want = expected.filter { $0.name == name }.map(\.value)
            let have = got.filter { $0.name == name }.map(\.value)
            if want != have {
                return "query item '\(name)': expected \(want.map(quoted).joined(separator: ", ")), "
                    + "got \(have.map(quoted).joined(separator: ", "))"
            }
        }
        return nil
    }

    /// The JSON pointer of the first difference and what differs there.
    private static func jsonDifference(expected: JSONValue, got: JSONValue, at pointer: String) -> String? {
        let here = pointer.isEmpty ? "/" : pointer
        switch (expected, got) {
        case (.object(let want), .object(let have)):
            for (key, value) in want {
                let child = pointer + "/" + escapePointer(key)
                guard let other = have[key] else { return "\(child): member is missing" }
                if let difference = jsonDifference(expected: value, got: other, at: child) { return difference }
            }
            for key in have.keys where want[key] == nil {
                return "\(pointer)/\(escapePointer(key)): member was not expected"
            }
            return nil
        case (.array(let want), .array(let have)):
            if want.count != have.count {
                return "\(here): expected \(want.count) element(s), got \(have.count)"
            }
            for (index, (a, b)) in zip(want, have).enumerated() {
                if let difference = jsonDifference(expected: a, got: b, at: "\(pointer)/\(index)") { return difference }
            }
            return nil
        default:
            if expected == got { return nil }
            return "\(here): expected \(clipped(expected.jsonText())), got \(clipped(got.jsonText()))"
        }
    }

    private static func escapePointer(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    private static func isSensitive(_ lowercasedName: String) -> Bool {
        ["authorization", "proxy-authorization", "cookie", "set-cookie"].contains(lowercasedName)
            || ["token", "key", "secret", "auth", "password"].contains { lowercasedName.contains($0) }
    }

    private static func shown(_ value: String, header: String) -> String {
        isSensitive(header) ? "a value (not shown: credential)" : quoted(value)
    }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }

    private static func clipped(_ text: String) -> String {
        let single = text.replacingOccurrences(of: "\n", with: "\\n")
        return single.count > 80 ? String(single.prefix(77)) + "..." : single
    }
}
