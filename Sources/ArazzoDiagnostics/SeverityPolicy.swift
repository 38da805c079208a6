/// Which severity each rule gets: the rule's own, raised by ``strict``, or set per code.
///
/// Applied once, after every layer has reported (``apply(to:)``), so the checks themselves never
/// look at it. `--strict` and `--severity CODE=error|warn|off` build one.
public struct SeverityPolicy: Sendable, Hashable {
    /// What a per-rule setting asks for.
    public enum Level: String, Sendable, Hashable, CaseIterable {
        /// Report as an error.
        case error
        /// Report as a warning.
        case warn
        /// Do not report.
        case off
    }

    /// Every warning becomes an error (a setting for the rule wins over this).
    public var strict: Bool
    /// Settings per rule code.
    public private(set) var levels: [String: Level]

    /// A policy; `levels` are checked with ``setting(_:to:)``'s rules.
    public init(strict: Bool = false) {
        self.strict = strict
        self.levels = [:]
    }

    /// The default: every rule at its own severity.
    public static let standard = SeverityPolicy()

    /// Why a setting cannot be made, in one line.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong and what to do.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// Sets `code` to `level`. A code the catalogue does not list is refused with a did-you-mean,
    /// and so is lowering a rule whose default is error: those mark documents that have no
    /// meaning, so no run could use them.
    public mutating func setting(_ code: String, to level: Level) throws(Refusal) {
        guard let rule = DiagnosticRule.named(code) else {
            let codes = DiagnosticRule.catalogue.map(\.code)
            let hint = suggest(code, among: codes).map { "; did you mean `\($0)`?" } ?? "; docs/diagnostics.md lists them (DiagnosticRule.catalogue)"
            throw Refusal(message: "no rule has the code `\(code)`\(hint)")
        }
        if rule.defaultSeverity == .error, level != .error {
            throw Refusal(message: "`\(code)` is an error because the document has no single meaning there; it cannot be lowered (fix the document instead)")
        }
        levels[code] = level
    }

    /// Parses `CODE=error|warn|off` (the `--severity` argument) and sets it.
    public mutating func setting(_ assignment: String) throws(Refusal) {
        guard let eq = assignment.firstIndex(of: "=") else {
            throw Refusal(message: "`\(assignment)`: write CODE=error, CODE=warn or CODE=off")
        }
        let code = String(assignment[..<eq])
        let value = String(assignment[assignment.index(after: eq)...]).lowercased()
        let level: Level
        switch value {
        case "error": level = .error
        case "warn", "warning": level = .warn
        case "off", "ignore", "none": level = .off
        default: throw Refusal(message: "`\(assignment)`: the level must be error, warn or off")
        }
        try setting(code, to: level)
    }

    /// The severity `diagnostic` gets, or nil when it is switched off.
    public func severity(of diagnostic: Diagnostic) -> Diagnostic.Severity? {
        if let code = diagnostic.code, let level = levels[code] {
            switch level {
            case .error: return .error
            case .warn: return diagnostic.severity == .error ? .error : .warning
            case .off: return diagnostic.severity == .error ? .error : nil
            }
        }
        if strict, diagnostic.severity == .warning { return .error }
        return diagnostic.severity
    }

    /// `diagnostics` with this policy applied: severities changed, switched-off ones removed.
    public func apply(to diagnostics: Diagnostics) -> Diagnostics {
        guard strict || !levels.isEmpty else { return diagnostics }
        var out: [Diagnostic] = []
        for var d in diagnostics {
            guard let severity = severity(of: d) else { continue }
            d.severity = severity
            out.append(d)
        }
        return Diagnostics(out)
    }
}
