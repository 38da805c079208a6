public import ArazzoJSON
import OrderedCollections

/// The contract checks: each request and response of an OpenAPI step held against the operation
/// it came from (docs/contracts.md). The raw values are the codes `--severity` and reports use.
public enum ContractCheck: String, Sendable, Hashable, Codable, CaseIterable {
    /// The response status is declared (exact code, `2XX`-style range, or `default`).
    case status = "contract-status"
    /// The response `Content-Type` is among the declared media types of the matched response.
    case contentType = "contract-content-type"
    /// The response body is valid against the schema of its media type.
    case body = "contract-body"
    /// Required response headers are present, and declared ones valid against their schemas.
    case header = "contract-header"
    /// Each parameter as built is valid against its schema; required parameters are present.
    case requestParameter = "contract-request-parameter"
    /// The request body as built is valid against its schema; a required body is present.
    case requestBody = "contract-request-body"

    /// Whether the check runs before the request is sent (a failure there stops the request).
    public var isRequestCheck: Bool { self == .requestParameter || self == .requestBody }
}

/// How a contract check is treated: not run, reported, or failing the step.
public enum ContractLevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// The check does not run.
    case off
    /// Findings are reported; the run's outcome does not change.
    case warn
    /// A finding fails the step (a request finding also stops the request from being sent).
    case error
}

/// Which contract checks run, and at which level: one mode for every check, and per-check
/// overrides (`--contract warn --severity contract-status=error`).
public struct ContractPolicy: Sendable, Hashable {
    /// The level of every check without an override. The library's default is `warn`, like the
    /// CLI's: findings are reported and nothing else changes.
    public var mode: ContractLevel
    /// Levels per check that win over ``mode``.
    public var overrides: [ContractCheck: ContractLevel]

    /// A policy with one mode and optional overrides.
    public init(mode: ContractLevel = .warn, overrides: [ContractCheck: ContractLevel] = [:]) {
        self.mode = mode
        self.overrides = overrides
    }

    /// The level `check` runs at.
    public func level(of check: ContractCheck) -> ContractLevel { overrides[check] ?? mode }

    /// Whether any check runs at all (when none does, nothing is compiled or parsed for them).
    public var isEnabled: Bool { ContractCheck.allCases.contains { level(of: $0) != .off } }
}

/// One way a request or response departs from its OpenAPI description.
///
/// Lengths are bounded (the instance text is cut with `…`), and secrets known to the run are
/// redacted before the finding is recorded, as for the rest of a step's trace.
public struct ContractFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How serious a finding is: the level its check ran at.
    public enum Severity: String, Sendable, Hashable, Codable {
        /// Reported only.
        case warning
        /// Failed the step (or stopped its request).
        case error
    }

    /// Which check found it.
    public var check: ContractCheck
    /// The level its check ran at.
    public var severity: Severity
    /// One line saying what is wrong, e.g. `required property 'id' is missing`.
    public var message: String
    /// Where: a JSON Pointer into the body (`/items/2/price`; empty for the whole body), or the
    /// header or parameter name for header and parameter checks; empty for status and content type.
    public var pointer: String
    /// The schema keyword that failed (`type`, `required`, …), when a schema decided.
    public var keyword: String?
    /// What the description allows, in short (`200, 4XX`, `application/json`, `string`).
    public var expected: String?
    /// What the request or response had, in short (truncated with `…`).
    public var found: String?

    /// Creates a finding; texts longer than the bounds are cut with `…`.
    public init(
        check: ContractCheck, severity: Severity, message: String, pointer: String = "", keyword: String? = nil,
        expected: String? = nil, found: String? = nil
    ) {
        self.check = check
        self.severity = severity
        self.message = Self.bounded(message, 300)
        self.pointer = Self.bounded(pointer, 200)
        self.keyword = keyword
        self.expected = expected.map { Self.bounded($0, 120) }
        self.found = found.map { Self.bounded($0, 120) }
    }

    /// `check at pointer: message`, e.g. `contract-body at /id: expected integer, found string "x"`.
    public var description: String {
        check.rawValue + (pointer.isEmpty ? "" : " at \(pointer)") + ": " + message
    }

    /// The finding as a JSON object (the `contract` entries of `--json` and HAR's `_contract`).
    public var jsonValue: JSONValue {
        var object: JSONObject = [
            "check": .string(check.rawValue), "severity": .string(severity.rawValue), "message": .string(message),
            "pointer": .string(pointer),
        ]
        if let keyword { object["keyword"] = .string(keyword) }
        if let expected { object["expected"] = .string(expected) }
        if let found { object["found"] = .string(found) }
        return .object(object)
    }

    /// `text` cut to at most `limit` characters, ending with `…` when cut.
    static func bounded(_ text: String, _ limit: Int) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}
