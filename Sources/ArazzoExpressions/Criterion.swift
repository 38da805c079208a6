import ArazzoDiagnostics
import ArazzoJSON
import ArazzoJSONPath
import ArazzoRegex
import ArazzoXPath

/// A Criterion Object compiled once: its `simple` condition parsed, its regex or JSONPath
/// compiled, its XPath checked, its `context` parsed. Evaluate it as often as needed.
///
/// Construction never fails: problems are listed in ``issues`` (with the field they belong to
/// and an offset inside it), and an invalid criterion always evaluates to a failing verdict that
/// names the problem (1.1.0 "Evaluation Errors").
///
/// Decisions:
/// - A5: `context` is not required for `simple` (it is parsed, then ignored).
/// - A6: `regex` is ECMA-262 with search semantics; the context becomes text as follows: a
///   string as is, numbers and booleans in JSON form, objects and arrays as compact JSON;
///   `null` or unresolved fails.
/// - A7: `jsonpath` passes iff the RFC 9535 node list is non-empty; a `null` or unresolved
///   context fails. `xpath` is XPath 1.0 (libxml2): `xpath-10` fully; the default (3.1),
///   `xpath-20`, `xpath-30` (and `xpath-31`) accept expressions that are valid XPath 1.0 and
///   report everything else as unsupported. The effective boolean value decides; the context
///   must be XML text (a string).
/// - A9: `draft-goessner-dispatch-jsonpath-00` is evaluated with RFC 9535; a `jsonpath-goessner`
///   warning names each construct of the query whose meaning differs between the two dialects.
/// - A28: a `jsonpath` condition written as a comparison (`$.status == 'done'`) is evaluated as
///   an RFC 9535 filter expression on the context (`jsonpath-comparison` warning, with a fix-it
///   to an equivalent query where one exists).
/// - A10: `type` and `version` come from the Criterion Expression Type Object when it is used.
/// - 1.1.0: in `regex`, `jsonpath` and `xpath` conditions, `{$…}` expressions are substituted
///   as text before evaluation (the condition is then compiled at each evaluation).
public struct CompiledCriterion: Sendable {
    /// The condition language.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Literals, operators and runtime expressions (the default).
        case simple
        /// An ECMA-262 regular expression searched in the context.
        case regex
        /// An RFC 9535 JSONPath query applied to the context.
        case jsonpath
        /// An XPath expression applied to the XML context.
        case xpath
    }

    enum Compiled {
        case engine(Engine)
        case issue(ExpressionIssue)
    }

    enum Engine: Sendable {
        case simple(SimpleCondition)
        case regex(ECMARegex)
        case jsonpath(JSONPathQuery)
        /// A `jsonpath` condition written as a filter comparison, tested on the context (A28).
        case jsonpathFilter(JSONPathFilterExpression)
        case xpath(String)
        case templated(ExpressionTemplate)
        case invalid(String)
    }

    /// The `condition` text.
    public var condition: String { storage.fields.condition }
    /// The `context` text, if given.
    public var contextText: String? { storage.fields.contextText }
    /// The condition language (``Kind/simple`` when the type was missing or invalid).
    public var kind: Kind { storage.fields.kind }
    /// The expression-type version, if given.
    public var version: String? { storage.fields.version }
    /// The document's edition (runtime-expression grammar).
    public var arazzoVersion: ExpressionVersion { storage.fields.arazzoVersion }
    /// Everything found while compiling; errors make the criterion always fail.
    public var issues: [ExpressionIssue] { storage.fields.issues }
    /// The parsed `context`, if given and valid.
    public var context: RuntimeExpression? { storage.fields.context }
    var engine: Engine { storage.fields.engine }

    /// The compiled fields, shared by every copy: a step's criteria are read out of its plan at
    /// every evaluation, and a copy of the fields retained and released each of their references.
    private struct Fields: Sendable {
        let condition: String
        let contextText: String?
        let kind: Kind
        let version: String?
        let arazzoVersion: ExpressionVersion
        let issues: [ExpressionIssue]
        let context: RuntimeExpression?
        let engine: Engine
    }

    private let storage: SharedFields<Fields>

    /// Whether the criterion compiled without errors.
    public var isValid: Bool { !issues.contains { $0.severity == .error } }

    /// The parsed `simple` condition, when the kind is `simple` and it parsed.
    public var simpleCondition: SimpleCondition? {
        if case .simple(let c) = engine { return c }
        return nil
    }

    /// The `{$…}` template of a `regex`, `jsonpath` or `xpath` condition that embeds expressions.
    public var conditionTemplate: ExpressionTemplate? {
        if case .templated(let t) = engine { return t }
        return nil
    }

    /// The accepted `version` values per kind.
    public static let jsonPathVersions = ["rfc9535"]
    /// The accepted XPath `version` values (all evaluated by the XPath 1.0 engine).
    public static let xpathVersions = ["xpath-10", "xpath-20", "xpath-30", "xpath-31"]
    /// The JSONPath version the spec lists, evaluated with RFC 9535 (A9).
    public static let goessnerVersion = "draft-goessner-dispatch-jsonpath-00"

    /// Compiles a Criterion Object.
    ///
    /// - Parameters:
    ///   - condition: the `condition` string.
    ///   - context: the `context` string, if present.
    ///   - type: the `type` string, or the Criterion Expression Type Object's `type`; `nil` means
    ///     `simple`.
    ///   - version: the Criterion Expression Type Object's `version`, if present.
    ///   - arazzoVersion: the document's edition, which decides the runtime-expression grammar of
    ///     `context`, of a `simple` condition and of `{$…}` in the other kinds (1.0.1 by default).
    ///     The pass/fail rules are the same for both editions: the normative rules of 1.1.0 are
    ///     the ones A4/A7 already apply to 1.0 (decision S5).
    public init(
        condition: String, context: String? = nil, type: String? = nil, version: String? = nil,
        arazzoVersion: ExpressionVersion = .v1_0
    ) {
        var issues: [ExpressionIssue] = []

        // type
        var kind = Kind.simple
        if let type {
            if let k = Kind(rawValue: type) {
                kind = k
            } else if type == "jsonpointer", arazzoVersion == .v1_1 {
                // 1.1 lists `jsonpointer` among expression types, but Condition Evaluation defines
                // pass/fail only for simple, regex, jsonpath and xpath.
                issues.append(ExpressionIssue(
                    .error,
                    "a criterion cannot be a `jsonpointer` (Arazzo 1.1 defines pass/fail only for `simple`, `regex`, `jsonpath` and `xpath`); to require that a value exists, write a `jsonpath` condition such as `$.a.b`",
                    offset: 0, code: "criterion-type", field: .type))
            } else {
                var message = "unknown criterion type `\(type)`"
                if let s = suggest(type, among: Kind.allCases.map(\.rawValue)) {
                    message += "; did you mean `\(s)`?"
                } else {
                    message += " (expected `simple`, `regex`, `jsonpath` or `xpath`)"
                }
                issues.append(ExpressionIssue(.error, message, offset: 0, code: "criterion-type", field: .type))
            }
        }

        // context
        var parsedContext: RuntimeExpression? = nil
        if let context {
            do {
                parsedContext = try RuntimeExpression(parsing: context, version: arazzoVersion)
            } catch {
                var issue = error.issue
                issue.field = .context
                issues.append(issue)
            }
        } else if kind != .simple, issues.isEmpty {
            issues.append(ExpressionIssue(
                .error, "a `\(kind.rawValue)` criterion needs a `context` (e.g. `context: $response.body`)", offset: 0,
                code: "criterion-context-missing", field: .type))
        }

        // version
        var versionError: String? = nil
        if let version {
            switch kind {
            case .simple, .regex:
                versionError = "`version` applies only to `jsonpath` and `xpath` criteria"
                issues.append(ExpressionIssue(.error, versionError ?? "", offset: 0, code: "criterion-version", field: .version))
            case .jsonpath:
                if version != Self.goessnerVersion, !Self.jsonPathVersions.contains(version) {
                    versionError = "unknown JSONPath version `\(version)` (expected `\(Self.goessnerVersion)`, or omit `version` for RFC 9535)"
                    issues.append(ExpressionIssue(.error, versionError ?? "", offset: 0, code: "criterion-version", field: .version))
                }
            case .xpath:
                if !Self.xpathVersions.contains(version) {
                    var message = "unknown XPath version `\(version)`"
                    if let s = suggest(version, among: Self.xpathVersions) { message += "; did you mean `\(s)`?" } else {
                        message += " (expected `xpath-10`, `xpath-20` or `xpath-30`)"
                    }
                    versionError = message
                    issues.append(ExpressionIssue(.error, message, offset: 0, code: "criterion-version", field: .version))
                }
            }
        }

        // condition (not compiled when the type or version is unusable: it would only add noise)
        var engine: Engine
        let typeUnusable = issues.contains { $0.field == .type && $0.code == "criterion-type" }
        switch kind {
        case _ where typeUnusable || versionError != nil:
            engine = .invalid(issues.first?.message ?? "invalid criterion")
        case .simple:
            do {
                let parsed = try SimpleCondition(parsing: condition, version: arazzoVersion)
                issues.append(contentsOf: parsed.warnings)
                engine = .simple(parsed)
            } catch {
                issues.append(error.issue)
                engine = .invalid(error.message)
            }
        case .regex, .jsonpath, .xpath:
            if ExpressionTemplate.containsEmbeddedExpression(condition),
                let template = try? ExpressionTemplate(parsing: condition, version: arazzoVersion), !template.isLiteral
            {
                engine = .templated(template)
            } else {
                var warnings: [ExpressionIssue] = []
                switch Self.compile(kind, condition, version: version, arazzoVersion: arazzoVersion, warnings: &warnings) {
                case .engine(let e):
                    engine = e
                    issues += warnings
                case .issue(let issue):
                    issues.append(issue)
                    engine = .invalid(issue.message)
                }
            }
        }
        if let versionError {
            engine = .invalid(versionError)
        } else if let first = issues.first(where: { $0.severity == .error }) {
            engine = .invalid(first.message)
        }
        storage = SharedFields(Fields(
            condition: condition, contextText: context, kind: kind, version: version, arazzoVersion: arazzoVersion,
            issues: issues, context: parsedContext, engine: engine))
    }

    /// `(?i)`, `(?ms)`, … at the very start of a pattern: the distinct flags among `i`, `m`, `s`
    /// and the length of the group in scalars; nil when the pattern does not start that way.
    static func leadingInlineFlags(_ text: String) -> (String, Int)? {
        let s = Array(text.unicodeScalars.prefix(8))
        guard s.count >= 4, s[0] == "(", s[1] == "?" else { return nil }
        var flags = ""
        var i = 2
        while i < s.count, s[i] == "i" || s[i] == "m" || s[i] == "s" {
            if !flags.unicodeScalars.contains(s[i]) { flags.unicodeScalars.append(s[i]) }
            i += 1
        }
        guard !flags.isEmpty, i < s.count, s[i] == ")" else { return nil }
        return (flags, i + 1)
    }

    /// Compiles a regex, JSONPath or XPath condition text.
    static func compile(
        _ kind: Kind, _ text: String, version: String?, arazzoVersion: ExpressionVersion = .v1_0,
        warnings: inout [ExpressionIssue]
    ) -> Compiled {
        switch kind {
        case .simple:
            do {
                return .engine(.simple(try SimpleCondition(parsing: text, version: arazzoVersion)))
            } catch {
                return .issue(error.issue)
            }
        case .regex:
            var pattern = text
            var flags = ""
            var shift = 0
            if let (inline, length) = Self.leadingInlineFlags(text) {
                // `(?i)^ok$` (PCRE, Java, Python): ECMA-262 has no flags inside a pattern, and a
                // criterion has no field for them, but the meaning is evident: run with them.
                flags = inline
                pattern = String(text.unicodeScalars.dropFirst(length))
                shift = length
                warnings.append(ExpressionIssue(
                    .warning,
                    "`(?\(inline))` is an inline flag group, which ECMA-262 patterns (the regex dialect, A6) do not have; it is applied as the ECMA flag\(inline.count == 1 ? "" : "s") `\(inline)` to the rest of the pattern (no fix-it: ECMA-262 has no syntax that sets flags for a whole pattern, and a Criterion Object has no flags field)",
                    offset: 0, code: "regex-inline-flags"))
            }
            do {
                return .engine(.regex(try ECMARegex(pattern, flags: flags)))
            } catch {
                return .issue(ExpressionIssue(
                    .error, "invalid regular expression: \(error.message)", offset: shift + scalarOffset(pattern, characterOffset: error.offset),
                    code: "regex-syntax"))
            }
        case .jsonpath:
            let queryError: JSONPathError
            do {
                let query = try JSONPathQuery(text)
                if version == goessnerVersion {
                    // A9: the draft's only definition is Goessner's JavaScript implementation; RFC
                    // 9535 agrees with it except where these constructs appear.
                    for difference in query.goessnerDifferences {
                        warnings.append(ExpressionIssue(
                            .warning,
                            "`\(goessnerVersion)` is evaluated with RFC 9535 (A9), and this query uses \(difference)",
                            offset: 0, code: "jsonpath-goessner"))
                    }
                }
                return .engine(.jsonpath(query))
            } catch {
                queryError = error
            }
            if let filter = try? JSONPathFilterExpression(text), !filter.isBareQuery {
                warnings.append(comparisonWarning(filter))
                return .engine(.jsonpathFilter(filter))
            }
            // A condition that reads as a comparison but has a mistake: the filter parser's
            // message is about the actual mistake, not about trailing whitespace.
            if Self.looksLikeComparison(text) {
                do {
                    _ = try JSONPathFilterExpression(text)
                } catch {
                    return .issue(ExpressionIssue(
                        .error, "invalid JSONPath condition (read as a filter comparison on the context): \(error.message)",
                        offset: scalarOffset(text, characterOffset: error.offset), code: "jsonpath-syntax"))
                }
            }
            var notes: [String] = []
            if version == goessnerVersion, text.contains("[(") {
                notes.append("`[(…)]` script expressions exist only in Goessner's JavaScript implementation; RFC 9535 has none (write `[-1]` for `[(@.length-1)]`)")
            }
            return .issue(ExpressionIssue(
                .error, "invalid JSONPath query: \(queryError.message)", offset: scalarOffset(text, characterOffset: queryError.offset),
                code: "jsonpath-syntax", notes: notes))
        case .xpath:
            // The default (no version) is XPath 3.1 in Arazzo; libxml2 evaluates its 1.0 subset.
            if let problem = XPath.validate(text, version: version ?? "xpath-31") {
                if let offset = problem.offset {
                    // A construct of a later XPath, named and located by the version check.
                    return .issue(ExpressionIssue(.error, problem.message, offset: offset, code: "xpath-syntax"))
                }
                let message =
                    version == "xpath-10"
                    ? "invalid XPath 1.0 expression: \(problem.message)"
                    : "unsupported XPath (this engine evaluates XPath 1.0 via libxml2): \(problem.message)"
                return .issue(ExpressionIssue(.error, message, offset: 0, code: "xpath-syntax"))
            }
            return .engine(.xpath(text))
        }
    }

    /// The `jsonpath-comparison` warning, with the equivalent query as fix-it when one exists.
    static func comparisonWarning(_ filter: JSONPathFilterExpression) -> ExpressionIssue {
        let rule = "an Arazzo `jsonpath` condition is an RFC 9535 query that passes when it selects at least one node"
        if let query = filter.equivalentQuery {
            return ExpressionIssue(
                .warning,
                "this `jsonpath` condition is a comparison, not a query (\(rule)); it is evaluated as an RFC 9535 filter expression on the context, with `$` as the context; `\(query)` is the query that passes exactly when it holds",
                offset: 0, code: "jsonpath-comparison", fix: ExpressionFix("write `\(query)`", text: query))
        }
        return ExpressionIssue(
            .warning,
            "this `jsonpath` condition is a comparison, not a query (\(rule)); it is evaluated as an RFC 9535 filter expression on the context, with `$` as the context (no fix-it: it can hold on a context without members or elements, where no query but `$` selects anything, and `$` always does)",
            offset: 0, code: "jsonpath-comparison")
    }

    /// Whether a condition that is not a query reads as a filter comparison: it starts with `!`
    /// or `(`, or a comparison or logical operator follows its first part.
    static func looksLikeComparison(_ text: String) -> Bool {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix("!") || trimmed.hasPrefix("(") { return true }
        return ["==", "!=", "<", ">", "&&", "||"].contains { text.contains($0) }
    }

    /// Converts a `Character` offset (the unit of the regex and JSONPath errors) to scalars.
    static func scalarOffset(_ text: String, characterOffset: Int) -> Int {
        var scalars = 0
        for (index, character) in text.enumerated() {
            if index >= characterOffset { break }
            scalars += character.unicodeScalars.count
        }
        return scalars
    }

    /// Evaluates the criterion without an explanation (the fast path).
    public func test(in context: any ExpressionContext) -> Bool {
        if case .simple(let c) = engine { return c.test(in: context) }
        return evaluate(in: context).passed
    }

    /// Evaluates the criterion. Never throws: any error makes it fail with the reason in the
    /// verdict.
    public func evaluate(in context: any ExpressionContext) -> CriterionVerdict {
        // The common case first, as the switch below answers it: a simple condition has no
        // substitution, so neither the engine nor the condition is copied into variables.
        if case .simple(let c) = engine {
            let v = c.evaluateKeepingOperands(in: context)
            return CriterionVerdict(
                passed: v.passed, explanationSource: .condition(v.explanation), unresolved: v.unresolved, error: v.failure,
                kind: kind, condition: condition)
        }
        var engine = self.engine
        var resolvedCondition = condition
        if case .templated(let template) = engine {
            switch template.render(in: context) {
            case .failure(let u):
                return verdict(false, "the condition embeds `\(u.expression)`, which is unresolved (\(u.reason))", unresolved: [u], error: u.description)
            case .success(let text):
                resolvedCondition = text
                var ignored: [ExpressionIssue] = []
                switch Self.compile(kind, text, version: version, arazzoVersion: arazzoVersion, warnings: &ignored) {
                case .engine(let e): engine = e
                case .issue(let issue):
                    return verdict(false, "the condition `\(text)` (after substitution) is invalid: \(issue.message)", error: issue.message)
                }
            }
        }
        switch engine {
        case .invalid(let message):
            return verdict(false, "the criterion is invalid: \(message)", error: message)
        case .simple(let c):
            // The explanation is written when read (decision PB1): a passing step's is read only
            // by reports, observers and logs.
            let v = c.evaluateKeepingOperands(in: context)
            return CriterionVerdict(
                passed: v.passed, explanationSource: .condition(v.explanation), unresolved: v.unresolved, error: v.failure,
                kind: kind, condition: condition)
        case .templated:
            return verdict(false, "the condition could not be compiled", error: "the condition could not be compiled")
        case .regex(let regex):
            switch contextValue(context) {
            case .failure(let f): return f.verdict
            case .success(let value):
                let subject: String
                switch value {
                case .string(let s): subject = s
                default: subject = value.jsonText()
                }
                let passed = regex.test(subject)
                let shown = describe(value)
                return verdict(passed, "`\(contextText ?? "")` (\(shown)) \(passed ? "matches" : "does not match") /\(resolvedCondition)/")
            }
        case .jsonpath(let query):
            switch contextValue(context) {
            case .failure(let f): return f.verdict
            case .success(let value):
                let count = query.select(value).count
                return verdict(
                    count > 0,
                    "`\(resolvedCondition)` selected \(count) node\(count == 1 ? "" : "s") from `\(contextText ?? "")`")
            }
        case .jsonpathFilter(let filter):
            switch contextValue(context) {
            case .failure(let f): return f.verdict
            case .success(let value):
                let passed = filter.test(value)
                return verdict(
                    passed, "`\(resolvedCondition)` (a filter comparison on `\(contextText ?? "")`) is \(passed)")
            }
        case .xpath(let expression):
            switch contextValue(context) {
            case .failure(let f): return f.verdict
            case .success(let value):
                guard case .string(let xml) = value else {
                    let message = "an xpath criterion needs XML text as its context, but `\(contextText ?? "")` is \(value.typeName == "object" || value.typeName == "array" ? "parsed JSON (\(value.typeName))" : "a \(value.typeName)")"
                    return verdict(false, message, error: message)
                }
                switch XPath.evaluate(expression, xml: Array(xml.utf8), version: version ?? "xpath-31") {
                case .failure(let problem):
                    return verdict(false, "XPath `\(resolvedCondition)` failed: \(problem.message)", error: problem.message)
                case .success(let result):
                    let passed = result.effectiveBooleanValue
                    return verdict(passed, "XPath `\(resolvedCondition)` on `\(contextText ?? "")` has effective boolean value \(passed)")
                }
            }
        }
    }

    func verdict(_ passed: Bool, _ explanation: String, unresolved: [UnresolvedExpression] = [], error: String? = nil) -> CriterionVerdict {
        CriterionVerdict(passed: passed, explanation: explanation, unresolved: unresolved, error: error, kind: kind, condition: condition)
    }

    /// The context value, or the failing verdict for a missing, unresolved or `null` context.
    func contextValue(_ context: any ExpressionContext) -> Result<JSONValue, CriterionVerdictFailure> {
        guard let expression = self.context else {
            return .failure(CriterionVerdictFailure(verdict: verdict(false, "no context", error: "no context")))
        }
        switch expression.evaluate(in: context) {
        case .failure(let u):
            return .failure(CriterionVerdictFailure(verdict: verdict(
                false, "the context `\(expression.text)` is unresolved (\(u.reason))", unresolved: [u], error: u.description)))
        case .success(.null):
            let message = "the context `\(expression.text)` is null"
            return .failure(CriterionVerdictFailure(verdict: verdict(false, message, error: message)))
        case .success(let value):
            return .success(value)
        }
    }
}

/// A verdict carried through `Result` (internal plumbing).
struct CriterionVerdictFailure: Error {
    let verdict: CriterionVerdict
}

/// The outcome of one criterion: pass or fail, and why (for traces and reports).
public struct CriterionVerdict: Sendable, Hashable, Codable {
    /// Whether the criterion passed.
    public var passed: Bool
    /// A one-line reason naming the values involved, e.g. "`$statusCode == 200` is false:
    /// `$statusCode` was 401".
    public var explanation: String {
        get { explanationSource.text }
        set { explanationSource = .text(newValue) }
    }
    /// The explanation, as text or as the values it is written from (decision PB1).
    var explanationSource: Explanation
    /// Runtime expressions that did not resolve.
    public var unresolved: [UnresolvedExpression]
    /// The evaluation error that made the criterion fail, if any (invalid criterion, bad
    /// context, XPath failure, `!` on a non-boolean, …).
    public var error: String?
    /// The condition language.
    public var kind: CompiledCriterion.Kind
    /// The condition text.
    public var condition: String

    /// An explanation not yet written: a `simple` condition's operands, or an explanation to
    /// pass through a text transformation (the run's redaction) when it is written.
    indirect enum Explanation: Sendable {
        case text(String)
        case condition(ConditionExplanation)
        case transformed(Explanation, @Sendable (String) -> String)

        var text: String {
            switch self {
            case .text(let text): return text
            case .condition(let explanation): return explanation.text
            case .transformed(let inner, let transform): return transform(inner.text)
            }
        }
    }

    /// Creates a verdict.
    public init(
        passed: Bool, explanation: String, unresolved: [UnresolvedExpression] = [], error: String? = nil,
        kind: CompiledCriterion.Kind, condition: String
    ) {
        self.init(passed: passed, explanationSource: .text(explanation), unresolved: unresolved, error: error, kind: kind, condition: condition)
    }

    init(
        passed: Bool, explanationSource: Explanation, unresolved: [UnresolvedExpression], error: String?,
        kind: CompiledCriterion.Kind, condition: String
    ) {
        self.passed = passed
        self.explanationSource = explanationSource
        self.unresolved = unresolved
        self.error = error
        self.kind = kind
        self.condition = condition
    }

    /// Passes the explanation through `transform` when it is read, not now: the run redacts
    /// every verdict it records, and most are never read (decision PB1). The text read is the
    /// same as `explanation = transform(explanation)` would give.
    package mutating func transformExplanation(_ transform: @escaping @Sendable (String) -> String) {
        explanationSource = .transformed(explanationSource, transform)
    }

    // Equality, hashing and coding are those of the written explanation, as when it was a
    // stored string.

    /// Whether two verdicts agree in every field, the explanation compared as written text.
    public static func == (lhs: CriterionVerdict, rhs: CriterionVerdict) -> Bool {
        lhs.passed == rhs.passed && lhs.unresolved == rhs.unresolved && lhs.error == rhs.error && lhs.kind == rhs.kind
            && lhs.condition == rhs.condition && lhs.explanation == rhs.explanation
    }

    /// Hashes every field, the explanation as written text.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(passed)
        hasher.combine(explanation)
        hasher.combine(unresolved)
        hasher.combine(error)
        hasher.combine(kind)
        hasher.combine(condition)
    }

    private enum CodingKeys: String, CodingKey {
        case passed, explanation, unresolved, error, kind, condition
    }

    /// Decodes a verdict (the explanation as text).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            passed: try container.decode(Bool.self, forKey: .passed),
            explanation: try container.decode(String.self, forKey: .explanation),
            unresolved: try container.decode([UnresolvedExpression].self, forKey: .unresolved),
            error: try container.decodeIfPresent(String.self, forKey: .error),
            kind: try container.decode(CompiledCriterion.Kind.self, forKey: .kind),
            condition: try container.decode(String.self, forKey: .condition))
    }

    /// Encodes the verdict with its explanation written out, under the keys it always had.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(passed, forKey: .passed)
        try container.encode(explanation, forKey: .explanation)
        try container.encode(unresolved, forKey: .unresolved)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(kind, forKey: .kind)
        try container.encode(condition, forKey: .condition)
    }
}
