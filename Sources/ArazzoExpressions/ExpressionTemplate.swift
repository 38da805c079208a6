public import ArazzoJSON
import ArazzoDiagnostics
import OrderedCollections

/// A string with embedded runtime expressions, such as `Bearer {$steps.login.outputs.token}` or
/// `{$sourceDescriptions.petstore.url}#/paths/~1pets/get`.
///
/// Rules (notes §2.15 item 8, 1.1.0 embedding rules):
/// - Only `{$` starts an embedded expression; it ends at the next `}`. Other braces are literal
///   text, so JSON and XML templates need no escaping.
/// - Rendering always yields a string: strings are inserted as they are, other scalars in their
///   JSON form, objects and arrays as compact JSON (1.1.0).
/// - A whole-value bare expression (`$inputs.x`, no braces) is not a template: use
///   ``RuntimeExpression`` or ``ValueTemplate`` to keep its JSON type.
public struct ExpressionTemplate: Sendable, Hashable, CustomStringConvertible {
    /// One piece of a template.
    public enum Part: Sendable, Hashable {
        /// Literal text.
        case literal(String)
        /// An embedded expression; `offset` is the Unicode-scalar offset of its `$` in the
        /// template text.
        case expression(RuntimeExpression, offset: Int)
    }

    /// The template text as written.
    public let text: String
    /// The literal and expression pieces, in order.
    public let parts: [Part]

    /// Parses `text`.
    ///
    /// - Throws: ``ExpressionError`` for a malformed embedded expression, an unclosed `{$…`, or
    ///   a brace inside an embedded expression.
    ///
    /// `version` selects the runtime-expression grammar of the embedded expressions (1.0.1 by
    /// default).
    public init(parsing text: String, version: ExpressionVersion = .v1_0) throws(ExpressionError) {
        self.text = text
        let s = Array(text.unicodeScalars)
        var parts: [Part] = []
        var literalStart = 0
        var i = 0
        var unknownRoots: [(offset: Int, root: String)] = []
        while i < s.count {
            if s[i] == "{", i + 1 < s.count, s[i + 1] == "$",
                let root = RuntimeExpression.unknownRoot(Substring(makeString(s, i + 1, min(s.count, i + 64))).unicodeScalars, version: version)
            {
                // `{$uuid}`: no runtime expression starts like that, so the braces are text (and
                // the caller warns that it is sent as written).
                unknownRoots.append((i + 1, root))
                i += 1
            } else if s[i] == "{", i + 1 < s.count, s[i + 1] == "$" {
                var parser = ExpressionParser(s, mode: .embedded, at: i + 1, version: version)
                let expression = try parser.parse()
                guard parser.i < s.count else {
                    throw ExpressionError("`{` at offset \(i) is never closed: expected `}` after `\(expression.text)`", offset: parser.i)
                }
                guard s[parser.i] == "}" else {
                    throw ExpressionError(
                        "unexpected \(ExpressionParser.quoted(s[parser.i])) in an embedded expression; expected `}` after `\(expression.text)`",
                        offset: parser.i)
                }
                if literalStart < i { parts.append(.literal(makeString(s, literalStart, i))) }
                parts.append(.expression(expression, offset: i + 1))
                i = parser.i + 1
                literalStart = i
            } else {
                i += 1
            }
        }
        if literalStart < s.count { parts.append(.literal(makeString(s, literalStart, s.count))) }
        self.parts = parts
        self.unknownRootOffsets = unknownRoots.map(\.offset)
        self.unknownRoots = unknownRoots.map(\.root)
        self.version = version
    }

    /// The grammar the template was parsed with.
    let version: ExpressionVersion

    /// Offsets of `$` in `{$name…}` whose `$name` is no runtime-expression root (kept as text).
    let unknownRootOffsets: [Int]
    /// Those roots' names, in the same order.
    let unknownRoots: [String]

    /// Warnings for `{$name…}` kept as text because `$name` is no runtime-expression root.
    public var unknownRootIssues: [ExpressionIssue] {
        zip(unknownRootOffsets, unknownRoots).map { offset, root in
            ValueTemplate.unknownRootIssue(root, offset: offset, version: version)
        }
    }

    /// Whether `text` contains an embedded expression start (`{$`); cheaper than parsing.
    public static func containsEmbeddedExpression(_ text: String) -> Bool {
        var previousWasBrace = false
        for byte in text.utf8 {
            if previousWasBrace && byte == UInt8(ascii: "$") { return true }
            previousWasBrace = byte == UInt8(ascii: "{")
        }
        return false
    }

    /// The embedded expressions with their offsets in ``text``.
    public var expressions: [(expression: RuntimeExpression, offset: Int)] {
        parts.compactMap {
            if case .expression(let e, let offset) = $0 { return (e, offset) }
            return nil
        }
    }

    /// Whether the template has no embedded expression.
    public var isLiteral: Bool { expressions.isEmpty }

    /// The offset of the first `}` with no `{` before it, or of a `{` never closed, counting only
    /// literal text (notes §2.13 item 4: the spec's malformed form-data example). `nil` when
    /// braces balance.
    public var unbalancedBraceOffset: Int? {
        var open: [Int] = []
        var offset = 0
        for part in parts {
            switch part {
            case .literal(let l):
                for c in l.unicodeScalars {
                    if c == "{" { open.append(offset) }
                    if c == "}" {
                        if open.isEmpty { return offset }
                        open.removeLast()
                    }
                    offset += 1
                }
            case .expression(let e, _):
                offset += e.text.unicodeScalars.count + 2
            }
        }
        return open.first
    }

    /// Renders the template: embedded values are converted with ``embeddedText(_:)``.
    ///
    /// - Returns: the string, or the first embedded expression that did not resolve.
    public func render(in context: any ExpressionContext) -> Result<String, UnresolvedExpression> {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let l): out += l
            case .expression(let e, _):
                switch e.evaluate(in: context) {
                case .success(let value): out += Self.embeddedText(value)
                case .failure(let failure): return .failure(failure)
                }
            }
        }
        return .success(out)
    }

    /// How a value is written into text: a string as is, `null`/booleans/numbers in JSON form,
    /// objects and arrays as compact JSON (Arazzo 1.1.0 "embedded-value conversion").
    public static func embeddedText(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return value.jsonText()
    }

    /// The text.
    public var description: String { text }
}

/// A JSON value whose string leaves may be runtime expressions or templates: a request body
/// `payload`, a Parameter or Payload Replacement `value` (`Any | {expression}` fields).
///
/// Compile once, evaluate per run. A string leaf is:
/// - a runtime expression (type preserved) iff the whole string parses as one (A20);
/// - a template iff it contains `{$…}` and parses as a template (result is a string);
/// - otherwise literal. A string that looks like an expression (`$inputs…`) but does not parse
///   stays literal and is reported in ``issues`` as a warning.
public struct ValueTemplate: Sendable, Hashable {
    indirect enum Node: Sendable, Hashable {
        case literal(JSONValue)
        case expression(RuntimeExpression)
        case template(ExpressionTemplate)
        case array([Node])
        case object([(String, Node)])
        /// A value the caller supplies at evaluation (a payload Selector Object, decision S6):
        /// the index into the values given to ``ValueTemplate/evaluate(in:slots:)``.
        case slot(Int)

        static func == (lhs: Node, rhs: Node) -> Bool {
            switch (lhs, rhs) {
            case let (.literal(a), .literal(b)): return a == b
            case let (.expression(a), .expression(b)): return a == b
            case let (.template(a), .template(b)): return a == b
            case let (.array(a), .array(b)): return a == b
            case let (.slot(a), .slot(b)): return a == b
            case let (.object(a), .object(b)):
                return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            default: return false
            }
        }

        func hash(into hasher: inout Hasher) {
            switch self {
            case .literal(let v): hasher.combine(0); hasher.combine(v)
            case .expression(let e): hasher.combine(1); hasher.combine(e)
            case .template(let t): hasher.combine(2); hasher.combine(t)
            case .array(let a): hasher.combine(3); hasher.combine(a)
            case .slot(let i): hasher.combine(5); hasher.combine(i)
            case .object(let o):
                hasher.combine(4)
                for (k, v) in o { hasher.combine(k); hasher.combine(v) }
            }
        }
    }

    /// A compile-time finding at a JSON pointer inside the value.
    public struct Issue: Sendable, Hashable {
        /// The JSON pointer of the string leaf (`""` for the value itself).
        public var path: String
        /// The problem, offset inside that string.
        public var issue: ExpressionIssue
    }

    /// A member or element left out because its expression did not resolve.
    public struct Omission: Sendable, Hashable, Codable {
        /// The JSON pointer of the omitted member in the payload (`""` for the whole value).
        public var path: String
        /// Why it did not resolve.
        public var unresolved: UnresolvedExpression
    }

    /// The outcome of ``evaluate(in:)``.
    public struct Evaluation: Sendable, Hashable {
        /// The evaluated value; `nil` if the value itself is an expression that did not resolve.
        public var value: JSONValue?
        /// Members and elements left out, in document order.
        public var omitted: [Omission]
    }

    let root: Node
    /// Compile-time findings (malformed templates, strings that look like broken expressions).
    public let issues: [Issue]
    /// Whether the value contains no expression at all (evaluation returns it unchanged).
    public let isConstant: Bool

    /// The value as written.
    public let original: JSONValue

    /// The string at JSON pointer `path` of ``original``, if there is one there.
    func string(at path: String) -> String? {
        guard let pointer = try? JSONPointer(parsing: path), case .string(let s)? = try? pointer.resolve(in: original) else {
            return nil
        }
        return s
    }

    /// Compiles `value`; never fails (broken expressions stay literal and are listed in
    /// ``issues``). Nesting deeper than 512 levels is kept literal.
    /// `version` selects the runtime-expression grammar (1.0.1 by default).
    public init(_ value: JSONValue, version: ExpressionVersion = .v1_0) {
        self.init(value, version: version, slots: [])
    }

    /// Compiles `value` with the members at the JSON pointers `slots` left to the caller: they are
    /// not compiled (nor checked), and ``evaluate(in:slots:)`` puts the caller's values there, in
    /// the order of `slots`. Used for the Selector Objects of a 1.1 payload (decision S6).
    public init(_ value: JSONValue, version: ExpressionVersion = .v1_0, slots: [String]) {
        var issues: [Issue] = []
        var constant = true
        var slotIndex: [String: Int] = [:]
        for (i, path) in slots.enumerated() where slotIndex[path] == nil { slotIndex[path] = i }
        self.root = Self.compile(
            value, path: "", depth: 0, version: version, slots: slotIndex, issues: &issues, constant: &constant)
        self.issues = issues
        self.isConstant = constant
        self.original = value
    }

    /// The warning for a `$name` that is no runtime-expression root: the text is sent as written.
    static func unknownRootIssue(_ root: String, offset: Int, version: ExpressionVersion = .v1_0) -> ExpressionIssue {
        let extra = version == .v1_1 ? ", `$message.`, `$self`" : ""
        return ExpressionIssue(
            .warning,
            "`$\(root)` is not a runtime expression (Arazzo §4.7 roots are `$url`, `$method`, `$statusCode`, `$request.`, `$response.`, `$inputs.`, `$outputs.`, `$steps.`, `$workflows.`, `$sourceDescriptions.`, `$components.`\(extra)); it is sent as literal text",
            offset: offset, code: "unknown-expression-root")
    }

    static func compile(
        _ value: JSONValue, path: String, depth: Int, version: ExpressionVersion, slots: [String: Int] = [:],
        issues: inout [Issue], constant: inout Bool
    ) -> Node {
        guard depth < 512 else { return .literal(value) }
        if !slots.isEmpty, let index = slots[path] {
            constant = false
            return .slot(index)
        }
        switch value {
        case .string(let s):
            if RuntimeExpression.looksLikeExpression(s) {
                do {
                    let e = try RuntimeExpression(parsing: s, version: version)
                    constant = false
                    return .expression(e)
                } catch {
                    if !ExpressionTemplate.containsEmbeddedExpression(s) {
                        if let root = RuntimeExpression.unknownRoot(Substring(s).unicodeScalars, version: version) {
                            issues.append(Issue(path: path, issue: unknownRootIssue(root, offset: 0, version: version)))
                            return .literal(value)
                        }
                        guard RuntimeExpression.looksLikeKnownExpression(s, version: version) else { return .literal(value) }
                        issues.append(Issue(path: path, issue: ExpressionIssue(
                            .warning, "this string looks like a runtime expression but is used as literal text: \(error.message)",
                            offset: error.offset, code: "literal-looks-like-expression")))
                        return .literal(value)
                    }
                }
            }
            if ExpressionTemplate.containsEmbeddedExpression(s) {
                do {
                    let t = try ExpressionTemplate(parsing: s, version: version)
                    issues += t.unknownRootIssues.map { Issue(path: path, issue: $0) }
                    if t.isLiteral { return .literal(value) }
                    constant = false
                    return .template(t)
                } catch {
                    issues.append(Issue(path: path, issue: error.issue))
                    return .literal(value)
                }
            }
            return .literal(value)
        case .array(let elements):
            var nodes: [Node] = []
            nodes.reserveCapacity(elements.count)
            var allLiteral = true
            for (i, element) in elements.enumerated() {
                let node = compile(element, path: path + "/\(i)", depth: depth + 1, version: version, slots: slots, issues: &issues, constant: &constant)
                if case .literal = node {} else { allLiteral = false }
                nodes.append(node)
            }
            return allLiteral ? .literal(value) : .array(nodes)
        case .object(let members):
            var nodes: [(String, Node)] = []
            nodes.reserveCapacity(members.count)
            var allLiteral = true
            for (key, member) in members {
                let node = compile(
                    member, path: path + "/" + escapePointerToken(key), depth: depth + 1, version: version, slots: slots,
                    issues: &issues, constant: &constant)
                if case .literal = node {} else { allLiteral = false }
                nodes.append((key, node))
            }
            return allLiteral ? .literal(value) : .object(nodes)
        default:
            return .literal(value)
        }
    }

    /// Every runtime expression in the value with the JSON pointer of its string and its offset in
    /// that string (for static checks).
    public var expressions: [(path: String, expression: RuntimeExpression, offset: Int)] {
        var out: [(String, RuntimeExpression, Int)] = []
        func walk(_ node: Node, _ path: String) {
            switch node {
            case .literal, .slot: break
            case .expression(let e): out.append((path, e, 0))
            case .template(let t): for (e, o) in t.expressions { out.append((path, e, o)) }
            case .array(let a): for (i, n) in a.enumerated() { walk(n, path + "/\(i)") }
            case .object(let o): for (k, n) in o { walk(n, path + "/" + escapePointerToken(k)) }
            }
        }
        walk(root, "")
        return out
    }

    /// Evaluates every expression and template. A member or element whose expression (or
    /// template) does not resolve is left out and listed in ``Evaluation/omitted`` (issue 4: a
    /// payload member referring to an input that was not supplied is omitted).
    public func evaluate(in context: any ExpressionContext) -> Evaluation {
        evaluate(in: context, slots: [])
    }

    /// ``evaluate(in:)`` with `slots[i]` put where the `i`th slot given to
    /// ``init(_:version:slots:)`` is (`null` where none is given).
    public func evaluate(in context: any ExpressionContext, slots: [JSONValue]) -> Evaluation {
        if case .literal(let v) = root { return Evaluation(value: v, omitted: []) }
        var unresolved: [Unresolved] = []
        let value = Self.evaluate(root, context: context, slots: slots, unresolved: &unresolved)
        return Evaluation(value: value, omitted: unresolved.map { u in
            Omission(path: JSONPointer(tokens: u.reversedPath.reversed()).description, unresolved: u.expression)
        })
    }

    /// A member or element left out while evaluating, its place written from the innermost token
    /// out: each container adds its own token as the evaluation returns through it, so no path
    /// is kept while nothing is left out (keeping one cost an allocation per payload per run).
    struct Unresolved {
        var reversedPath: [String]
        let expression: UnresolvedExpression
    }

    static func evaluate(
        _ node: Node, context: any ExpressionContext, slots: [JSONValue], unresolved: inout [Unresolved]
    ) -> JSONValue? {
        switch node {
        case .literal(let v): return v
        case .slot(let i): return slots.indices.contains(i) ? slots[i] : .null
        case .expression(let e):
            switch e.evaluate(in: context) {
            case .success(let v): return v
            case .failure(let f):
                unresolved.append(Unresolved(reversedPath: [], expression: f))
                return nil
            }
        case .template(let t):
            switch t.render(in: context) {
            case .success(let s): return .string(s)
            case .failure(let f):
                unresolved.append(Unresolved(reversedPath: [], expression: f))
                return nil
            }
        case .array(let nodes):
            var out: [JSONValue] = []
            out.reserveCapacity(nodes.count)
            for (i, n) in nodes.enumerated() {
                let before = unresolved.count
                if let v = evaluate(n, context: context, slots: slots, unresolved: &unresolved) { out.append(v) }
                for j in before..<unresolved.count { unresolved[j].reversedPath.append(String(i)) }
            }
            return .array(out)
        case .object(let members):
            // Keys and values side by side, then one object over them: the template's keys are
            // already unique (they come from one mapping), so no key is looked up as it is added.
            var keys: ContiguousArray<String> = []
            var values: ContiguousArray<JSONValue> = []
            keys.reserveCapacity(members.count)
            values.reserveCapacity(members.count)
            for (k, n) in members {
                let before = unresolved.count
                if let v = evaluate(n, context: context, slots: slots, unresolved: &unresolved) {
                    keys.append(k)
                    values.append(v)
                }
                for j in before..<unresolved.count { unresolved[j].reversedPath.append(k) }
            }
            return .object(JSONObject(uncheckedUniqueKeys: keys, values: values))
        }
    }
}
