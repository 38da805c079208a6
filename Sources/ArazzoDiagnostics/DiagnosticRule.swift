/// One rule of the validation pipeline: its stable code, how serious breaking it is by default,
/// where the spec states it, and whether its diagnostics carry a fix-it.
///
/// The catalogue (``DiagnosticRule/catalogue``) lists every rule of every layer (YAML, model,
/// expressions, sources and operations); `docs/diagnostics.md` is generated from it.
public struct DiagnosticRule: Sendable, Hashable, Identifiable {
    /// What a rule is about, for grouping in documentation.
    public enum Area: String, Sendable, Hashable, CaseIterable {
        /// Reading the text (YAML/JSON).
        case syntax = "Syntax"
        /// The objects and fields of the document.
        case structure = "Structure"
        /// References between workflows, steps, sources and components.
        case references = "References"
        /// Runtime expressions, templates and criteria.
        case expressions = "Expressions"
        /// Source descriptions and their operations.
        case sources = "Sources and operations"
        /// Run-time contract checks: requests and responses held to their OpenAPI description
        /// (docs/contracts.md). `--contract` sets them all; `--severity` one by one.
        case contract = "Contract checks (run)"
    }

    /// The stable identifier (`unknown-field`); messages may be reworded, codes may not.
    public let code: String
    /// The severity before any policy (`--strict`, `--severity`) applies.
    public let defaultSeverity: Diagnostic.Severity
    /// Where the rule comes from: a spec section, an RFC, or "decision A15" for our own.
    public let reference: String
    /// One line saying what the rule checks.
    public let summary: String
    /// Whether diagnostics of this rule carry a fix-it (`arazzo-run fix` applies it).
    public let hasFixIt: Bool
    /// What the rule is about.
    public let area: Area

    /// The code.
    public var id: String { code }

    /// Creates a rule.
    public init(
        _ code: String, _ defaultSeverity: Diagnostic.Severity, area: Area, reference: String, fixIt: Bool = false,
        _ summary: String
    ) {
        self.code = code
        self.defaultSeverity = defaultSeverity
        self.area = area
        self.reference = reference
        self.hasFixIt = fixIt
        self.summary = summary
    }

    /// The rule with `code`, if the catalogue has it.
    public static func named(_ code: String) -> DiagnosticRule? { byCode[code] }

    private static let byCode: [String: DiagnosticRule] = {
        var map: [String: DiagnosticRule] = [:]
        for rule in catalogue { map[rule.code] = rule }
        return map
    }()
}
