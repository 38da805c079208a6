public import ArazzoJSON
import ArazzoExecutor
import ArazzoDiagnostics
import OrderedCollections

/// A parsed `simple` condition such as `$statusCode == 200 && $response.body#/ok == true`.
///
/// The grammar is the one in docs/expressions.md ("`simple`", decision A4); nothing is ever executed as code:
/// ```text
/// condition  := ws or_expr ws
/// or_expr    := and_expr ( "||" and_expr )*
/// and_expr   := basic ( "&&" basic )*
/// basic      := [ "!" ] "(" or_expr ")" | operand cmp_op operand | [ "!" ] operand
/// operand    := literal | runtime_expression ( "." member | "[" digits "]" )*
/// literal    := true | false | null | JSON number | 'single-quoted' ('' is a quote)
/// ```
/// Precedence: `!` > comparison > `&&` > `||`; `&&` and `||` short-circuit; comparisons do not
/// chain. `!$a == 1` is rejected ("write `!($a == 1)`").
///
/// Semantics (notes §4, adopting 1.1.0):
/// - strings compare case-insensitively; `<`/`>` on strings use the case-folded code-point
///   order. ASCII strings compare byte-wise ignoring case; others are folded by upper- then
///   lower-casing (full Unicode case mappings: `ß` = `SS`, `ς` = `σ` = `Σ`), which matches
///   Unicode case folding except for a few locale-sensitive letters such as Turkish dotted `İ`;
/// - a numeric string compared with a number is converted to a number; a non-numeric string
///   vs a number: `==` false, `!=` true, ordering false;
/// - `null` equals only `null`; any ordering involving `null` is false;
/// - booleans: equality only; objects and arrays: deep equality with these same rules;
/// - an unresolvable runtime expression counts as `null` and is listed in the verdict;
/// - a bare operand passes iff it is the boolean `true`; `!` on a non-boolean is an evaluation
///   error, so the condition fails with that reason.
/// - A26: a whole condition wrapped in one pair of `{…}` (the spec's JSON example) is accepted
///   with a warning in ``warnings``.
public struct SimpleCondition: Sendable, Hashable, CustomStringConvertible {
    /// The condition text as written.
    public let text: String
    let root: ConditionNode
    /// Non-fatal findings made while parsing (A26 braces, bare non-boolean operands).
    public let warnings: [ExpressionIssue]
    /// Every runtime-expression operand with its navigation and the offset of its `$` in
    /// ``text`` (for static checks).
    public let operands: [ConditionOperandReference]

    /// Parses `text`.
    ///
    /// - Throws: ``ExpressionError`` (code `condition-syntax` or `expression-syntax`) with the
    ///   offset of the offending character.
    /// `text` without leading and trailing spaces, tabs and line breaks.
    static func trimmed(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var a = 0, b = scalars.count
        while a < b, ConditionParser.isSpace(scalars[a]) || scalars[a] == "\n" || scalars[a] == "\r" { a += 1 }
        while b > a, ConditionParser.isSpace(scalars[b - 1]) || scalars[b - 1] == "\n" || scalars[b - 1] == "\r" { b -= 1 }
        return String(String.UnicodeScalarView(scalars[a..<b]))
    }

    /// `version` selects the runtime-expression grammar of the operands (1.0.1 by default).
    public init(parsing text: String, version: ExpressionVersion = .v1_0) throws(ExpressionError) {
        self.text = text
        let scalars = Array(text.unicodeScalars)
        // A26: `{$statusCode == 401}` as in the spec's JSON Components example.
        var first = 0
        var last = scalars.count - 1
        while first < scalars.count, ConditionParser.isSpace(scalars[first]) { first += 1 }
        while last >= 0, ConditionParser.isSpace(scalars[last]) { last -= 1 }
        if first < last, scalars[first] == "{", scalars[last] == "}" {
            var inner = scalars
            inner[first] = " "
            inner[last] = " "
            var parser = ConditionParser(inner, version: version)
            let root = try parser.parseCondition()
            self.root = root
            self.operands = parser.references
            // One canonical text for every warning of this string: the other rewrites applied to
            // the text with its braces blanked, then the blanks trimmed.
            var others = parser.warnings.withFixes(in: String(String.UnicodeScalarView(inner)))
            let canonical = Self.trimmed(others.first(where: { $0.fix != nil })?.fix?.text
                ?? String(String.UnicodeScalarView(inner)))
            for k in others.indices where others[k].fix != nil { others[k].fix?.text = canonical }
            self.warnings = [ExpressionIssue(
                .warning, "the condition is wrapped in `{…}`; a `simple` condition is written without braces (A26)",
                offset: first, code: "condition-braces", fix: ExpressionFix("remove the braces", text: canonical))] + others
            return
        }
        var parser = ConditionParser(scalars, version: version)
        self.root = try parser.parseCondition()
        self.operands = parser.references
        self.warnings = parser.warnings.withFixes(in: text)
    }

    /// The text.
    public var description: String { text }

    /// Evaluates the condition without building an explanation (the fast path).
    public func test(in context: any ExpressionContext) -> Bool {
        var trace: ConditionTrace? = nil
        do {
            return try root.evaluate(context, &trace)
        } catch {
            return false
        }
    }

    /// Evaluates the condition and explains the outcome, e.g. "`$statusCode == 200` is false:
    /// `$statusCode` was 401".
    public func evaluate(in context: any ExpressionContext) -> ConditionVerdict {
        let outcome = evaluateKeepingOperands(in: context)
        return ConditionVerdict(
            passed: outcome.passed, explanation: outcome.explanation.text, unresolved: outcome.unresolved, error: outcome.failure)
    }

    /// Evaluates the condition, keeping the operand values the explanation names instead of
    /// writing it: the text is written when someone reads it (decision PB1).
    func evaluateKeepingOperands(in context: any ExpressionContext) -> (passed: Bool, explanation: ConditionExplanation, unresolved: [UnresolvedExpression], failure: String?) {
        var trace: ConditionTrace? = ConditionTrace()
        let passed: Bool
        var failure: String? = nil
        do {
            passed = try root.evaluate(context, &trace)
        } catch {
            passed = false
            failure = error.message
        }
        let recorded = trace?.operands ?? []
        var unresolved: [UnresolvedExpression] = []
        for (_, outcome) in recorded {
            if case .failure(let u) = outcome, !unresolved.contains(u) { unresolved.append(u) }
        }
        return (passed, ConditionExplanation(condition: text, passed: passed, failure: failure, operands: recorded), unresolved, failure)
    }
}

/// What a `simple` condition's explanation says, kept as values: the condition, its outcome and
/// each runtime-expression operand with its value, in evaluation order. ``text`` writes it.
struct ConditionExplanation: Sendable {
    let condition: String
    let passed: Bool
    let failure: String?
    let operands: [(String, Result<JSONValue, UnresolvedExpression>)]

    /// "`$statusCode == 200` is false: `$statusCode` was 401", or "`…` failed: …; …".
    var text: String {
        var facts: [String] = []
        for (text, outcome) in operands {
            switch outcome {
            case .success(let v): facts.append("`\(text)` was \(describe(v))")
            case .failure(let u): facts.append("`\(text)` was unresolved (\(u.reason))")
            }
        }
        var explanation: String
        if let failure {
            explanation = "`\(condition)` failed: \(failure)"
            if !facts.isEmpty { explanation += "; " + facts.joined(separator: ", ") }
        } else {
            explanation = "`\(condition)` is \(passed)"
            if !facts.isEmpty { explanation += ": " + facts.joined(separator: ", ") }
        }
        return explanation
    }
}

/// The outcome of a `simple` condition.
public struct ConditionVerdict: Sendable, Hashable, Codable {
    /// Whether the condition passed.
    public var passed: Bool
    /// Why, naming the values of the runtime expressions that were evaluated.
    public var explanation: String
    /// Operands that did not resolve (they counted as `null`).
    public var unresolved: [UnresolvedExpression]
    /// The evaluation error that made the condition fail, if any (e.g. `!` on a string).
    public var error: String?
}

/// A runtime expression used as a condition operand, for static checks.
public struct ConditionOperandReference: Sendable, Hashable {
    /// The expression.
    public var expression: RuntimeExpression
    /// `.member`/`[index]` steps written after it.
    public var navigation: [Navigation]
    /// The offset of the expression's `$` in the condition text.
    public var offset: Int
}

/// How a value is shown in explanations: strings single-quoted, others as compact JSON, long
/// values shortened.
func describe(_ value: JSONValue) -> String {
    var text: String
    if case .string(let s) = value {
        text = "'" + s.replacingQuotes() + "'"
    } else {
        text = value.jsonText()
    }
    if text.unicodeScalars.count > 80 {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text.unicodeScalars.prefix(77))
        text = String(view) + "…"
    }
    return text
}

extension String {
    fileprivate func replacingQuotes() -> String {
        guard utf8.contains(UInt8(ascii: "'")) else { return self }
        var out = ""
        for c in self {
            if c == "'" { out += "''" } else { out.append(c) }
        }
        return out
    }
}

/// Operand values recorded for explanations.
struct ConditionTrace {
    var operands: [(String, Result<JSONValue, UnresolvedExpression>)] = []
}

/// An evaluation error: the condition fails with this message.
struct ConditionEvaluationError: Error {
    let message: String
}

/// Comparison operators.
enum ComparisonOperator: String, Sendable, Hashable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

/// One operand: a literal or a runtime expression with navigation.
struct ConditionOperand: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case literal(JSONValue)
        case expression(RuntimeExpression, [Navigation])
    }
    let kind: Kind
    /// The operand as written, for explanations.
    let text: String
    /// A bare word read as a string (`== done`): valid only as a comparison operand.
    var isBareWord = false

    init(kind: Kind, text: String, isBareWord: Bool = false) {
        self.kind = kind
        self.text = text
        self.isBareWord = isBareWord
    }

    func value(_ context: any ExpressionContext, _ trace: inout ConditionTrace?) -> JSONValue {
        switch kind {
        case .literal(let v): return v
        case .expression(let e, let navigation):
            let result = e.evaluate(in: context, navigation: navigation)
            if trace != nil {
                trace?.operands.append((text, result))
            }
            switch result {
            case .success(let v): return v
            case .failure: return .null
            }
        }
    }
}

/// The condition syntax tree.
indirect enum ConditionNode: Sendable, Hashable {
    // Flat lists, so a long `a || b || …` chain does not nest (evaluation depth stays bounded
    // by the parenthesis limit).
    case or([ConditionNode])
    case and([ConditionNode])
    case not(ConditionNode)
    case compare(ConditionOperand, ComparisonOperator, ConditionOperand)
    case test(ConditionOperand, negated: Bool)

    func evaluate(_ context: any ExpressionContext, _ trace: inout ConditionTrace?) throws(ConditionEvaluationError) -> Bool {
        switch self {
        case let .or(terms):
            for term in terms where try term.evaluate(context, &trace) { return true }
            return false
        case let .and(terms):
            for term in terms where try !term.evaluate(context, &trace) { return false }
            return true
        case let .not(a):
            return try !a.evaluate(context, &trace)
        case let .compare(l, op, r):
            let a = l.value(context, &trace)
            let b = r.value(context, &trace)
            return ConditionSemantics.compare(a, op, b)
        case let .test(operand, negated):
            let v = operand.value(context, &trace)
            if negated {
                guard case .bool(let b) = v else {
                    throw ConditionEvaluationError(message: "`!` needs a boolean, but `\(operand.text)` was \(v.isNull ? "null" : "\(describe(v)) (\(v.typeName))")")
                }
                return !b
            }
            return v == .bool(true)
        }
    }
}

/// The comparison rules of notes §4.
public enum ConditionSemantics {
    /// Applies a comparison operator (`==`, `!=`, `<`, `<=`, `>`, `>=`) with the `simple`-condition
    /// rules; `nil` for an unknown operator.
    public static func compare(_ a: JSONValue, _ op: String, _ b: JSONValue) -> Bool? {
        guard let op = ComparisonOperator(rawValue: op) else { return nil }
        return compare(a, op, b)
    }

    static func compare(_ a: JSONValue, _ op: ComparisonOperator, _ b: JSONValue) -> Bool {
        switch op {
        case .equal: return equal(a, b, depth: 0)
        case .notEqual: return !equal(a, b, depth: 0)
        case .less: return order(a, b) == .some(-1)
        case .lessOrEqual: if let o = order(a, b) { return o <= 0 } else { return false }
        case .greater: return order(a, b) == .some(1)
        case .greaterOrEqual: if let o = order(a, b) { return o >= 0 } else { return false }
        }
    }

    /// Loose equality: case-insensitive strings, numeric-string coercion, `null` equals only
    /// `null`, deep equality for objects and arrays (with these same rules).
    public static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool { equal(a, b, depth: 0) }

    static func equal(_ a: JSONValue, _ b: JSONValue, depth: Int) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case let (.string(x), .string(y)): return foldedEqual(x, y)
        case let (.bool(x), .bool(y)): return x == y
        case let (.string(s), _):
            guard let n = b.numberValue, let m = numericString(s) else { return false }
            return m == n
        case let (_, .string(s)):
            guard let n = a.numberValue, let m = numericString(s) else { return false }
            return n == m
        case let (.array(x), .array(y)):
            guard x.count == y.count, depth < 256 else { return false }
            for (p, q) in zip(x, y) where !equal(p, q, depth: depth + 1) { return false }
            return true
        case let (.object(x), .object(y)):
            guard x.count == y.count, depth < 256 else { return false }
            for (key, p) in x {
                guard let q = y[key], equal(p, q, depth: depth + 1) else { return false }
            }
            return true
        default:
            guard let n = a.numberValue, let m = b.numberValue else { return false }
            return n == m
        }
    }

    /// -1, 0 or 1 when the values are ordered; `nil` when ordering does not apply.
    static func order(_ a: JSONValue, _ b: JSONValue) -> Int? {
        let x: NumberValue
        let y: NumberValue
        switch (a, b) {
        case let (.string(p), .string(q)):
            return foldedOrder(p, q)
        case let (.string(s), _):
            guard let n = b.numberValue, let m = numericString(s) else { return nil }
            x = m
            y = n
        case let (_, .string(s)):
            guard let n = a.numberValue, let m = numericString(s) else { return nil }
            x = n
            y = m
        default:
            guard let n = a.numberValue, let m = b.numberValue else { return nil }
            x = n
            y = m
        }
        if x.doubleValue.isNaN || y.doubleValue.isNaN { return nil }
        return x < y ? -1 : (x == y ? 0 : 1)
    }

    static func isASCII(_ s: String) -> Bool { s.utf8.allSatisfy { $0 < 0x80 } }

    /// Case folding: upper-casing then lower-casing maps `ß`/`SS`, `ς`/`σ`/`Σ` and ASCII alike.
    static func fold(_ s: String) -> String { s.uppercased().lowercased() }

    static func foldedEqual(_ x: String, _ y: String) -> Bool {
        // ASCII text: the header-name comparison is exactly ASCII case folding, without allocating.
        if isASCII(x) && isASCII(y) { return HeaderFields.namesMatch(x, y) }
        return fold(x) == fold(y)
    }

    static func foldedOrder(_ x: String, _ y: String) -> Int {
        let p: String
        let q: String
        if isASCII(x) && isASCII(y) {
            p = x.lowercased()
            q = y.lowercased()
        } else {
            p = fold(x)
            q = fold(y)
        }
        var i = p.unicodeScalars.makeIterator()
        var j = q.unicodeScalars.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case let (c?, d?):
                if c.value < d.value { return -1 }
                if c.value > d.value { return 1 }
            }
        }
    }

    /// A string that is exactly a JSON number (optional leading `-`), as a number.
    public static func numericString(_ s: String) -> NumberValue? {
        let bytes = Array(s.utf8)
        guard let (number, end) = scanNumber(bytes, 0), end == bytes.count else { return nil }
        return number
    }

    /// Scans a JSON number at `start`; returns it and the end index.
    static func scanNumber(_ b: [UInt8], _ start: Int) -> (NumberValue, Int)? {
        var i = start
        func digit(_ k: Int) -> Bool { k < b.count && b[k] >= 48 && b[k] <= 57 }
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { return nil }
        if b[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while digit(i) { i += 1 }
        }
        var integral = true
        if i < b.count, b[i] == UInt8(ascii: ".") {
            guard digit(i + 1) else { return nil }
            i += 1
            integral = false
            while digit(i) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            var k = i + 1
            if k < b.count, b[k] == UInt8(ascii: "+") || b[k] == UInt8(ascii: "-") { k += 1 }
            guard digit(k) else { return nil }
            integral = false
            i = k
            while digit(i) { i += 1 }
        }
        let text = String(decoding: b[start..<i], as: UTF8.self)
        if integral, let n = Int(text) { return (.int(n), i) }
        guard let d = Double(text) else { return nil }
        return (.double(d), i)
    }
}

/// The recursive-descent parser of notes §4, over Unicode scalars.
struct ConditionParser {
    let s: [Unicode.Scalar]
    var i = 0
    var references: [ConditionOperandReference] = []
    var warnings: [ExpressionIssue] = []
    /// Bounds nesting of `(` so hostile input cannot exhaust the stack.
    var depth = 0
    static let maximumDepth = 128

    /// The runtime-expression grammar of the operands.
    let version: ExpressionVersion

    init(_ scalars: [Unicode.Scalar], version: ExpressionVersion = .v1_0) {
        self.s = scalars
        self.version = version
    }

    static func isSpace(_ c: Unicode.Scalar) -> Bool { ExpressionParser.isConditionSpace(c) }

    var atEnd: Bool { i >= s.count }

    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    mutating func skipSpace() {
        while i < s.count, Self.isSpace(s[i]) { i += 1 }
    }

    func text(_ from: Int, _ to: Int) -> String { makeString(s, from, to) }

    func error(_ message: String, at offset: Int) -> ExpressionError {
        ExpressionError(message, offset: offset, code: "condition-syntax")
    }

    mutating func parseCondition() throws(ExpressionError) -> ConditionNode {
        skipSpace()
        if atEnd { throw error("the condition is empty", at: i) }
        let node = try parseOr()
        skipSpace()
        if !atEnd {
            if comparisonAhead() != nil {
                throw error("comparisons do not chain; combine them with `&&`", at: i)
            }
            if s[i] == ")" { throw error("unbalanced `)`", at: i) }
            throw error("unexpected \(ExpressionParser.quoted(s[i])); expected `&&`, `||` or the end of the condition", at: i)
        }
        return node
    }

    mutating func parseOr() throws(ExpressionError) -> ConditionNode {
        var terms = [try parseAnd()]
        while true {
            skipSpace()
            guard peek() == "|", peek(1) == "|" else {
                if peek() == "|" { throw error("use `||` for a logical or", at: i) }
                return terms.count == 1 ? terms[0] : .or(terms)
            }
            i += 2
            terms.append(try parseAnd())
        }
    }

    mutating func parseAnd() throws(ExpressionError) -> ConditionNode {
        var terms = [try parseBasic()]
        while true {
            skipSpace()
            guard peek() == "&", peek(1) == "&" else {
                if peek() == "&" { throw error("use `&&` for a logical and", at: i) }
                return terms.count == 1 ? terms[0] : .and(terms)
            }
            i += 2
            terms.append(try parseBasic())
        }
    }

    /// The comparison operator at the cursor (after spaces are skipped by the caller).
    func comparisonAhead() -> ComparisonOperator? {
        switch (peek(), peek(1)) {
        case ("=", "="): return .equal
        case ("!", "="): return .notEqual
        case ("<", "="): return .lessOrEqual
        case (">", "="): return .greaterOrEqual
        case ("<", _): return .less
        case (">", _): return .greater
        default: return nil
        }
    }

    mutating func parseBasic() throws(ExpressionError) -> ConditionNode {
        skipSpace()
        guard let c = peek() else { throw error("expected an operand or `(` at the end of the condition", at: i) }
        if c == "!" && peek(1) != "=" {
            let bang = i
            i += 1
            skipSpace()
            if peek() == "!" { throw error("`!` cannot be repeated; remove both or write `!(…)`", at: i) }
            if peek() == "(" {
                let group = try parseGroup()
                skipSpace()
                if comparisonAhead() != nil {
                    throw error("a parenthesized group cannot be compared; compare inside the parentheses", at: i)
                }
                return .not(group)
            }
            let operandStart = i
            let operand = try parseOperand()
            if operand.isBareWord {
                throw error("unexpected `\(operand.text)`: strings are single-quoted ('\(operand.text)') and runtime expressions start with `$`", at: operandStart)
            }
            skipSpace()
            if let op = comparisonAhead() {
                let opStart = i
                i += op.rawValue.unicodeScalars.count
                skipSpace()
                let rightStart = i
                _ = try? parseOperand()
                let whole = text(operandStart, opStart).trimmingTrailingSpace() + " \(op.rawValue) " + text(rightStart, i)
                throw error("`!` applies to a single operand or a parenthesized group; write `!(\(whole))`", at: bang)
            }
            return .test(operand, negated: true)
        }
        if c == "(" {
            let group = try parseGroup()
            skipSpace()
            if comparisonAhead() != nil {
                throw error("a parenthesized group cannot be compared; compare inside the parentheses", at: i)
            }
            return group
        }
        let leftStart = i
        let left = try parseOperand()
        skipSpace()
        guard let op = comparisonAhead() else {
            if peek() == "=" {
                throw error("use `==` to compare", at: i)
            }
            if left.isBareWord {
                throw error("unexpected `\(left.text)`: strings are single-quoted ('\(left.text)') and runtime expressions start with `$`", at: leftStart)
            }
            noteBareOperand(left, at: leftStart)
            return .test(left, negated: false)
        }
        i += op.rawValue.unicodeScalars.count
        skipSpace()
        if atEnd { throw error("expected an operand after `\(op.rawValue)`", at: i) }
        let right = try parseOperand()
        skipSpace()
        if comparisonAhead() != nil {
            throw error("comparisons do not chain; combine them with `&&` (e.g. `a < b && b < c`)", at: i)
        }
        return .compare(left, op, right)
    }

    /// Warns about a string literal written with double quotes or none, with the rewrite to
    /// `'…'` (Arazzo §4.6.11: "Strings MUST use single quotes (') around the string").
    mutating func noteLiteralQuotes(_ value: String, from: Int, to: Int, written: String) {
        var quoted = "'"
        for c in value.unicodeScalars {
            if c == "'" { quoted += "''" } else { quoted.unicodeScalars.append(c) }
        }
        quoted += "'"
        var issue = ExpressionIssue(
            .warning,
            "\(written) is read as the string \(quoted); the spec says \"Strings MUST use single quotes (') around the string\" (Arazzo §4.6.11)",
            offset: from, code: "condition-literal-quotes")
        issue.rewrite = Rewrite(offset: from, length: to - from, text: quoted)
        warnings.append(issue)
    }

    /// Warns about a bare operand that can never be the boolean `true` (notes §4).
    mutating func noteBareOperand(_ operand: ConditionOperand, at offset: Int) {
        let message = "a bare operand passes only when it is the boolean `true`; compare it explicitly (e.g. `\(operand.text) == …`)"
        switch operand.kind {
        case .literal(let v):
            if case .bool = v { return }
            warnings.append(ExpressionIssue(.warning, message, offset: offset, code: "condition-bare-operand"))
        case .expression(let e, let navigation):
            guard navigation.isEmpty else { return }
            switch e.source {
            case .url, .method, .statusCode, .requestHeader, .responseHeader:
                warnings.append(ExpressionIssue(.warning, message, offset: offset, code: "condition-bare-operand"))
            default: return
            }
        }
    }

    mutating func parseGroup() throws(ExpressionError) -> ConditionNode {
        let open = i
        depth += 1
        if depth > Self.maximumDepth {
            throw error("parentheses are nested more than \(Self.maximumDepth) levels deep", at: i)
        }
        i += 1
        skipSpace()
        if peek() == ")" { throw error("empty parentheses", at: i) }
        let inner = try parseOr()
        skipSpace()
        guard peek() == ")" else {
            if atEnd { throw error("`(` at offset \(open) is never closed; expected `)`", at: i) }
            if comparisonAhead() != nil {
                throw error("comparisons do not chain; combine them with `&&`", at: i)
            }
            throw error("unexpected \(ExpressionParser.quoted(s[i])); expected `)` to close the `(` at offset \(open)", at: i)
        }
        i += 1
        depth -= 1
        return inner
    }

    /// After an operand: whitespace, `)`, an operator or the end.
    func operandEnds() -> Bool {
        guard let c = peek() else { return true }
        switch c {
        case " ", "\t", "\n", "\r", ")", "=", "!", "<", ">", "&", "|": return true
        default: return false
        }
    }

    mutating func parseOperand() throws(ExpressionError) -> ConditionOperand {
        let start = i
        guard let c = peek() else { throw error("expected an operand", at: i) }
        switch c {
        case "$":
            var parser = ExpressionParser(s, mode: .condition, at: i, version: version)
            let expression = try parser.parse()
            i = parser.i
            var navigation: [Navigation] = []
            while let n = peek(), n == "." || n == "[" {
                if n == "." {
                    i += 1
                    let memberStart = i
                    while let m = peek(), m.isASCIILetter || m.isASCIIDigit || m == "_" || m == "-" {
                        i += 1
                    }
                    if memberStart == i {
                        throw error("expected a member name after `.`", at: i)
                    }
                    navigation.append(.member(text(memberStart, i)))
                } else {
                    i += 1
                    let digitsStart = i
                    while let d = peek(), ("0"..."9").contains(d) { i += 1 }
                    guard digitsStart < i, let index = Int(text(digitsStart, i)) else {
                        throw error("expected a 0-based index inside `[]`", at: i)
                    }
                    guard peek() == "]" else { throw error("expected `]` after the index", at: i) }
                    i += 1
                    navigation.append(.index(index))
                }
            }
            if !operandEnds() {
                throw error("unexpected \(ExpressionParser.quoted(s[i])) after `\(text(start, i))`", at: i)
            }
            references.append(ConditionOperandReference(expression: expression, navigation: navigation, offset: start))
            return ConditionOperand(kind: .expression(expression, navigation), text: text(start, i))
        case "'":
            i += 1
            var value = String.UnicodeScalarView()
            while true {
                guard let q = peek() else {
                    throw error("unterminated string: the `'` at offset \(start) is never closed (write `''` for a quote inside)", at: start)
                }
                if q == "'" {
                    if peek(1) == "'" {
                        value.append("'")
                        i += 2
                        continue
                    }
                    i += 1
                    break
                }
                value.append(q)
                i += 1
            }
            if !operandEnds() {
                throw error("unexpected \(ExpressionParser.quoted(s[i])) after a string literal", at: i)
            }
            return ConditionOperand(kind: .literal(.string(String(value))), text: text(start, i))
        case "\"":
            // `== "done"`: the spec's literals are single-quoted, but a double-quoted word has one
            // evident meaning, the same string.
            i += 1
            let contentStart = i
            while let q = peek(), q != "\"" { i += 1 }
            guard peek() == "\"" else {
                throw error("string literals use single quotes: write 'text' (the `\"` at offset \(start) is never closed)", at: start)
            }
            let value = text(contentStart, i)
            i += 1
            if !operandEnds() {
                throw error("unexpected \(ExpressionParser.quoted(s[i])) after a string literal", at: i)
            }
            noteLiteralQuotes(value, from: start, to: i, written: "a double-quoted string")
            return ConditionOperand(kind: .literal(.string(value)), text: text(start, i))
        case "-", "0"..."9":
            var end = i
            while end < s.count, s[end].isASCII, !operandEndsAt(end) { end += 1 }
            let bytes = Array(text(i, end).utf8)
            guard let (number, used) = ConditionSemantics.scanNumber(bytes, 0), used == bytes.count else {
                throw error("`\(text(i, end))` is not a number (JSON number syntax, e.g. 200, -1.5, 1e3)", at: i)
            }
            i = end
            if !operandEnds() {
                throw error("unexpected \(ExpressionParser.quoted(s[i])) after a number", at: i)
            }
            let value: JSONValue
            switch number {
            case .int(let n): value = .int(n)
            case .double(let d): value = .double(d)
            }
            return ConditionOperand(kind: .literal(value), text: text(start, i))
        default:
            if c.isASCIILetter {
                while let w = peek(), w.isASCIILetter || w.isASCIIDigit || w == "_" || w == "-" || w == "." { i += 1 }
                let word = text(start, i)
                let value: JSONValue
                switch word {
                case "true": value = .bool(true)
                case "false": value = .bool(false)
                case "null": value = .null
                default:
                    if ["true", "false", "null"].contains(word.lowercased()) {
                        throw error("literals are lower-case: write `\(word.lowercased())`", at: start)
                    }
                    if !operandEnds() {
                        throw error("unexpected `\(word)`: strings are single-quoted ('\(word)') and runtime expressions start with `$`", at: start)
                    }
                    // A bare word compared with something (`$response.body#/status == done`) can
                    // only mean the string; parseBasic rejects it where nothing is compared.
                    noteLiteralQuotes(word, from: start, to: i, written: "a bare word")
                    return ConditionOperand(kind: .literal(.string(word)), text: word, isBareWord: true)
                }
                if !operandEnds() {
                    throw error("unexpected \(ExpressionParser.quoted(s[i])) after `\(word)`", at: i)
                }
                return ConditionOperand(kind: .literal(value), text: word)
            }
            if c == "{" {
                throw error("unexpected `{`: runtime expressions in `simple` conditions are written without braces", at: i)
            }
            throw error("expected an operand (a runtime expression, a number, a 'string', true, false or null) but found \(ExpressionParser.quoted(c))", at: i)
        }
    }

    func operandEndsAt(_ k: Int) -> Bool {
        switch s[k] {
        case " ", "\t", "\n", "\r", ")", "=", "!", "<", ">", "&", "|": return true
        default: return false
        }
    }
}

extension String {
    fileprivate func trimmingTrailingSpace() -> String {
        var scalars = Array(unicodeScalars)
        while let last = scalars.last, ExpressionParser.isConditionSpace(last) { scalars.removeLast() }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
