/// A construct of an XPath expression that XPath 1.0 (what libxml2 evaluates) does not have, or
/// reads differently from the later version the document asked for.
///
/// libxml2 rejects most 2.0/3.x syntax with a bare "invalid expression"; this names the construct
/// and the version that introduced it, so the author knows whether to rewrite it in XPath 1.0.
/// A few constructs are valid XPath 1.0 but mean something else under 2.0+ (a relational
/// comparison with a string literal compares numbers in 1.0, strings in 2.0+): evaluating them
/// with libxml2 would give a wrong answer, so they are reported too (``isSemanticDifference``).
package struct XPathVersionFeature: Sendable, Hashable, CustomStringConvertible {
    /// What the construct is, e.g. "the function `matches()`" or "a `for` expression".
    package var construct: String
    /// The XPath version that introduced it: "2.0", "3.0" or "3.1".
    package var version: String
    /// The 0-based Unicode-scalar offset of the construct in the expression.
    package var offset: Int
    /// Whether the expression is valid XPath 1.0 but means something else in ``version``.
    package var isSemanticDifference: Bool

    /// Creates a finding.
    package init(construct: String, version: String, offset: Int, isSemanticDifference: Bool = false) {
        self.construct = construct
        self.version = version
        self.offset = offset
        self.isSemanticDifference = isSemanticDifference
    }

    /// One line naming the construct and the version it needs.
    package var description: String {
        if isSemanticDifference {
            return "\(construct) at offset \(offset) means something else in XPath \(version) than in XPath 1.0"
        }
        return "\(construct) at offset \(offset) needs XPath \(version); this engine evaluates XPath 1.0 (libxml2)"
    }
}

extension XPath {
    /// Every construct of `expression` that needs XPath 2.0 or later, in order of appearance.
    ///
    /// A lexical scan, not a full parser: it recognises the later constructs by their tokens
    /// (keywords in operator position, functions outside the 1.0 library, `||`, `!`, `=>`,
    /// commas outside a function call, `(: … :)` comments, `''` escapes, exponents, …) and leaves
    /// every real syntax error to libxml2. Valid XPath 1.0 is never reported, except the
    /// semantic differences when `laterSemantics` is true (pass it when the document asked for
    /// XPath 2.0 or later: then a 1.0 evaluation of those would be a wrong answer).
    package static func laterVersionFeatures(in expression: String, laterSemantics: Bool = true) -> [XPathVersionFeature] {
        var scanner = XPathVersionScanner(Array(expression.unicodeScalars))
        return scanner.scan(laterSemantics: laterSemantics)
    }

    /// The first construct of `expression` that XPath 1.0 cannot evaluate faithfully under the
    /// Arazzo XPath `version` (`xpath-10`, `xpath-20`, `xpath-30`, `xpath-31`; `nil` is XPath
    /// 1.0), as an error naming it (``XPathError/Kind/unsupportedVersion`` under a later
    /// version, ``XPathError/Kind/invalidExpression`` under XPath 1.0); `nil` when there is none.
    package static func versionFeatureProblem(_ expression: String, version: String?) -> XPathError? {
        let later = version != nil && version != "xpath-10"
        guard let first = laterVersionFeatures(in: expression, laterSemantics: later).first else { return nil }
        let declared = version.map { "`\($0)`" } ?? "XPath 1.0"
        let message: String
        if first.isSemanticDifference {
            message = "\(first.construct) (offset \(first.offset)) means something else in XPath \(first.version) (the version \(declared) asks for) than in XPath 1.0, the only version this engine evaluates; rewrite it so both agree (e.g. with `number()`, `string()` or `boolean()`), or declare `version: xpath-10`"
        } else if later {
            message = "\(first.construct) (offset \(first.offset)) needs XPath \(first.version); this engine evaluates only the XPath 1.0 subset of \(declared) (libxml2): rewrite it in XPath 1.0"
        } else {
            message = "\(first.construct) (offset \(first.offset)) is XPath \(first.version), not XPath 1.0 (the version \(declared) declares): rewrite it in XPath 1.0"
        }
        // Declared as XPath 1.0, a later construct is simply invalid; otherwise the version asked
        // for is only partly supported.
        return XPathError(kind: later ? .unsupportedVersion : .invalidExpression, message: message, offset: first.offset)
    }

    /// The XPath 1.0 core function library (XPath 1.0 §4), plus the node-type tests that look
    /// like calls.
    static let version1Functions: Set<String> = [
        "last", "position", "count", "id", "local-name", "namespace-uri", "name", "string", "concat",
        "starts-with", "contains", "substring-before", "substring-after", "substring", "string-length",
        "normalize-space", "translate", "boolean", "not", "true", "false", "lang", "number", "sum",
        "floor", "ceiling", "round",
        "node", "text", "comment", "processing-instruction",
    ]

    /// Functions added after XPath 1.0 (XPath and XQuery Functions and Operators 2.0, 3.0, 3.1),
    /// with the version that added them.
    static let laterFunctionVersions: [String: String] = version2Functions.reduce(into: [

        "head": "3.0", "tail": "3.0", "has-children": "3.0", "innermost": "3.0", "outermost": "3.0",
        "path": "3.0", "format-integer": "3.0", "analyze-string": "3.0", "environment-variable": "3.0",
        "available-environment-variables": "3.0", "unparsed-text": "3.0", "serialize": "3.0",
        "parse-xml": "3.0", "function-lookup": "3.0", "function-name": "3.0", "function-arity": "3.0",
        "for-each": "3.0", "filter": "3.0", "fold-left": "3.0", "fold-right": "3.0", "for-each-pair": "3.0",
        "generate-id": "3.0", "uri-collection": "3.0", "parse-xml-fragment": "3.0", "math:pi": "3.0",
        "parse-json": "3.1", "json-doc": "3.1", "json-to-xml": "3.1", "xml-to-json": "3.1", "sort": "3.1",
        "random-number-generator": "3.1", "apply": "3.1", "contains-token": "3.1", "parse-ietf-date": "3.1",
        "collation-key": "3.1", "load-xquery-module": "3.1", "transform": "3.1",
        "format-date": "3.0", "format-dateTime": "3.0", "format-time": "3.0", "format-number": "3.0",
        "unparsed-text-lines": "3.0", "unparsed-text-available": "3.0", "element-with-id": "3.0",
    ]) { table, name in table[name] = "2.0" }

    /// The functions XPath 2.0 added to the library.
    static let version2Functions: [String] = [
        "abs", "adjust-dateTime-to-timezone", "adjust-date-to-timezone", "adjust-time-to-timezone", "avg",
        "base-uri", "codepoint-equal", "codepoints-to-string", "collection", "compare", "current-date",
        "current-dateTime", "current-time", "data", "dateTime", "day-from-date", "day-from-dateTime",
        "days-from-duration", "deep-equal", "default-collation", "distinct-values", "doc", "doc-available",
        "document-uri", "empty", "encode-for-uri", "ends-with", "error", "escape-html-uri", "exactly-one",
        "exists", "hours-from-dateTime", "hours-from-duration", "hours-from-time", "implicit-timezone",
        "index-of", "in-scope-prefixes", "insert-before", "iri-to-uri", "local-name-from-QName",
        "lower-case", "matches", "max", "min", "minutes-from-dateTime", "minutes-from-duration",
        "minutes-from-time", "month-from-date", "month-from-dateTime", "months-from-duration",
        "namespace-uri-for-prefix", "namespace-uri-from-QName", "nilled", "node-name", "normalize-unicode",
        "one-or-more", "prefix-from-QName", "QName", "remove", "replace", "resolve-QName", "resolve-uri",
        "reverse", "root", "round-half-to-even", "seconds-from-dateTime", "seconds-from-duration",
        "seconds-from-time", "static-base-uri", "string-join", "string-to-codepoints", "subsequence",
        "timezone-from-date", "timezone-from-dateTime", "timezone-from-time", "tokenize", "trace",
        "unordered", "upper-case", "year-from-date", "year-from-dateTime", "years-from-duration",
        "zero-or-one",
    ]

    /// Kind tests XPath 2.0 added (they look like function calls).
    static let laterKindTests: Set<String> = [
        "element", "attribute", "schema-element", "schema-attribute", "document-node", "item",
        "empty-sequence",
    ]
}

/// The lexical scan behind ``XPath/laterVersionFeatures(in:laterSemantics:)``.
struct XPathVersionScanner {
    enum Token: Equatable {
        case name(String)  // NCName or QName (prefix:local), or `*`-free name test
        case variable
        case string(containsDoubledQuote: Bool)
        case number(hasExponent: Bool)
        case symbol(String)
    }

    let s: [Unicode.Scalar]
    var i = 0
    var tokens: [(token: Token, offset: Int)] = []
    var findings: [XPathVersionFeature] = []

    init(_ scalars: [Unicode.Scalar]) { s = scalars }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c.value >= 65 && c.value <= 90) || (c.value >= 97 && c.value <= 122) || c.value >= 0xC0
    }

    static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        isNameStart(c) || c == "-" || c == "." || (c.value >= 48 && c.value <= 57) || c == "\u{B7}"
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 48 && c.value <= 57 }

    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    mutating func note(_ construct: String, _ version: String, at offset: Int, semantic: Bool = false) {
        findings.append(XPathVersionFeature(construct: construct, version: version, offset: offset, isSemanticDifference: semantic))
    }

    /// Splits the text into tokens; comments and doubled-quote escapes are noted as it goes.
    mutating func tokenize() {
        while let c = peek() {
            let start = i
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                i += 1
            } else if c == "(" && peek(1) == ":" {
                note("a comment `(: … :)`", "2.0", at: start)
                // Skip the (possibly nested) comment so its text is not scanned.
                var depth = 0
                while let d = peek() {
                    if d == "(" && peek(1) == ":" { depth += 1; i += 2; continue }
                    if d == ":" && peek(1) == ")" { depth -= 1; i += 2; if depth == 0 { break }; continue }
                    i += 1
                }
            } else if c == "'" || c == "\"" {
                i += 1
                var doubled = false
                while let d = peek() {
                    i += 1
                    if d == c {
                        // XPath 2.0 escapes a quote by doubling it; in 1.0 that is two literals.
                        if peek() == c { doubled = true; i += 1; continue }
                        break
                    }
                }
                if doubled { note("a doubled quote inside a string literal (an escaped quote)", "2.0", at: start) }
                tokens.append((.string(containsDoubledQuote: doubled), start))
            } else if Self.isDigit(c) || (c == "." && peek(1).map(Self.isDigit) == true) {
                while let d = peek(), Self.isDigit(d) || d == "." { i += 1 }
                var exponent = false
                if let e = peek(), e == "e" || e == "E" {
                    let after = peek(1)
                    if let a = after, Self.isDigit(a) || ((a == "+" || a == "-") && peek(2).map(Self.isDigit) == true) {
                        exponent = true
                        i += 2
                        while let d = peek(), Self.isDigit(d) { i += 1 }
                    }
                }
                // No finding for an exponent: libxml2 reads `1e3` as 1000, as XPath 2.0 does.
                tokens.append((.number(hasExponent: exponent), start))
            } else if c == "$" {
                i += 1
                while let d = peek(), Self.isNameChar(d) || d == ":" { i += 1 }
                tokens.append((.variable, start))
            } else if Self.isNameStart(c) {
                while let d = peek(), Self.isNameChar(d) { i += 1 }
                // A QName `prefix:local` (but not the axis separator `::`).
                if peek() == ":", peek(1) != ":", let n = peek(1), Self.isNameStart(n) || n == "*" {
                    i += 1
                    if peek() == "*" { i += 1 } else { while let d = peek(), Self.isNameChar(d) { i += 1 } }
                }
                tokens.append((.name(String(String.UnicodeScalarView(s[start..<i]))), start))
            } else {
                let two = peek(1).map { String(Character(c)) + String(Character($0)) } ?? ""
                let symbols2 = ["!=", "<=", ">=", "::", "//", "..", "||", "=>", "<<", ">>", ":="]
                if symbols2.contains(two) {
                    i += 2
                    tokens.append((.symbol(two), start))
                } else {
                    i += 1
                    tokens.append((.symbol(String(Character(c))), start))
                }
            }
        }
    }

    /// Whether tokens `k+1…k+3` are `true()` or `false()`.
    func isBooleanCall(after k: Int) -> Bool {
        guard k + 3 < tokens.count, case .name(let n) = tokens[k + 1].token, n == "true" || n == "false",
              case .symbol("(") = tokens[k + 2].token, case .symbol(")") = tokens[k + 3].token else { return false }
        return true
    }

    /// Whether tokens `k-3…k-1` are `true()` or `false()`.
    func isBooleanCall(before k: Int) -> Bool {
        guard k >= 3, case .name(let n) = tokens[k - 3].token, n == "true" || n == "false",
              case .symbol("(") = tokens[k - 2].token, case .symbol(")") = tokens[k - 1].token else { return false }
        return true
    }

    /// Functions whose result is a boolean, so comparing it with `true()` reads the same in 1.0 and 2.0+.
    static let booleanFunctions: Set<String> = ["boolean", "not", "true", "false", "contains", "starts-with", "lang"]

    /// Whether the operand ending just before the operator at `k` is a call to a boolean function.
    func leftOperandIsBoolean(_ k: Int) -> Bool {
        guard k >= 1, case .symbol(")") = tokens[k - 1].token else { return false }
        var depth = 0
        var j = k - 1
        while j >= 0 {
            if case .symbol(let sym) = tokens[j].token {
                if sym == ")" { depth += 1 }
                if sym == "(" {
                    depth -= 1
                    if depth == 0 { break }
                }
            }
            j -= 1
        }
        guard j >= 1, case .name(let n) = tokens[j - 1].token else { return false }
        return Self.booleanFunctions.contains(n)
    }

    /// Whether the operand starting just after the operator at `k` is a call to a boolean function.
    func rightOperandIsBoolean(_ k: Int) -> Bool {
        guard k + 2 < tokens.count, case .name(let n) = tokens[k + 1].token, case .symbol("(") = tokens[k + 2].token else { return false }
        return Self.booleanFunctions.contains(n)
    }

    /// Whether the number literal at `offset` is zero (`0`, `0.0`, `.0`, `00`).
    func numberIsZero(at offset: Int) -> Bool {
        var k = offset
        var sawDigit = false
        while k < s.count, Self.isDigit(s[k]) || s[k] == "." {
            if Self.isDigit(s[k]) {
                if s[k] != "0" { return false }
                sawDigit = true
            }
            k += 1
        }
        return sawDigit
    }

    /// For each token, whether it stands in operator position (XPath 1.0 §3.7: there is a
    /// preceding token and it ends an operand, i.e. it is not `@`, `::`, `(`, `[`, `,` or an
    /// operator). Computed in one forward pass so no input can make it recurse deeply.
    func operatorPositions() -> [Bool] {
        var result = [Bool](repeating: false, count: tokens.count)
        for k in tokens.indices.dropFirst() {
            let previousIsOperator = result[k - 1]
            switch tokens[k - 1].token {
            case .symbol(let sym):
                // `*` after an operand is multiplication, otherwise a name test (an operand).
                result[k] = [")", "]", ".", ".."].contains(sym) || (sym == "*" && !previousIsOperator)
            case .name:
                // A name in operator position is an operator (`and`, `div`, `eq`…): an operand follows.
                result[k] = !previousIsOperator
            case .variable, .string, .number:
                result[k] = true
            }
        }
        return result
    }

    mutating func scan(laterSemantics: Bool) -> [XPathVersionFeature] {
        tokenize()
        let operatorPosition = operatorPositions()
        // The innermost open bracket: `true` for a function call's `(`, which makes `,` an
        // argument separator; `false` for a grouping `(` or a predicate `[`.
        var brackets: [Bool] = []
        for k in tokens.indices {
            let (token, offset) = tokens[k]
            let next = k + 1 < tokens.count ? tokens[k + 1].token : nil
            let previous = k > 0 ? tokens[k - 1].token : nil
            switch token {
            case .symbol(let sym):
                switch sym {
                case "(":
                    if case .name = previous, !operatorPosition[k - 1] {
                        brackets.append(true)
                    } else {
                        brackets.append(false)
                    }
                case "[": brackets.append(false)
                case ")", "]": if !brackets.isEmpty { brackets.removeLast() }
                case ",":
                    if brackets.last != true { note("a sequence built with `,`", "2.0", at: offset) }
                case "||": note("the string concatenation operator `||`", "3.0", at: offset)
                case "=>": note("the arrow operator `=>`", "3.1", at: offset)
                case "<<", ">>": note("the node comparison `\(sym)`", "2.0", at: offset)
                case ":=": note("`:=` (a `let` binding)", "3.0", at: offset)
                case "!": note("the simple map operator `!`", "3.0", at: offset)
                case "{", "}": note("curly braces (a map, array or inline function body)", "3.0", at: offset)
                case "#": note("a named function reference `name#arity`", "3.0", at: offset)
                case "?": note("the lookup operator `?`", "3.1", at: offset)
                case "<", ">", "<=", ">=":
                    guard laterSemantics else { break }
                    let stringOperand: Bool = {
                        if case .string = previous { return true }
                        if case .string = next { return true }
                        return false
                    }()
                    if stringOperand {
                        note("the comparison `\(sym)` with a string literal (XPath 1.0 compares numbers, 2.0+ compares strings)", "2.0", at: offset, semantic: true)
                    }
                case "=", "!=":
                    guard laterSemantics else { break }
                    if (isBooleanCall(after: k) && !leftOperandIsBoolean(k)) || (isBooleanCall(before: k) && !rightOperandIsBoolean(k)) {
                        note("the comparison `\(sym)` with `true()`/`false()` (XPath 1.0 compares the other side's boolean value, 2.0+ casts its text to a boolean)", "2.0", at: offset, semantic: true)
                    } else if case .string = previous, case .number = next {
                        note("the comparison `\(sym)` of a string literal with a number (XPath 1.0 converts the string, 2.0+ raises a type error)", "2.0", at: offset, semantic: true)
                    } else if case .number = previous, case .string = next {
                        note("the comparison `\(sym)` of a number with a string literal (XPath 1.0 converts the string, 2.0+ raises a type error)", "2.0", at: offset, semantic: true)
                    }
                default: break
                }
            case .name(let name):
                if operatorPosition[k] {
                    switch name {
                    case "div", "mod":
                        if laterSemantics, k + 1 < tokens.count, case .number = tokens[k + 1].token, numberIsZero(at: tokens[k + 1].offset) {
                            note("`\(name)` by the literal zero (Infinity or NaN in XPath 1.0, an error in 2.0+ for integers and decimals)", "2.0", at: offset, semantic: true)
                        }
                    case "and", "or": break
                    case "eq", "ne", "lt", "le", "gt", "ge": note("the value comparison `\(name)`", "2.0", at: offset)
                    case "is": note("the node comparison `is`", "2.0", at: offset)
                    case "to": note("the range expression `to`", "2.0", at: offset)
                    case "idiv": note("the integer division `idiv`", "2.0", at: offset)
                    case "union", "intersect", "except": note("the set operator `\(name)`", "2.0", at: offset)
                    case "instance": note("an `instance of` expression", "2.0", at: offset)
                    case "treat": note("a `treat as` expression", "2.0", at: offset)
                    case "castable": note("a `castable as` expression", "2.0", at: offset)
                    case "cast": note("a `cast as` expression", "2.0", at: offset)
                    case "otherwise": note("the `otherwise` operator", "4.0", at: offset)
                    default: break
                    }
                    continue
                }
                if case .variable = next {
                    switch name {
                    case "for": note("a `for` expression", "2.0", at: offset); continue
                    case "some", "every": note("a quantified `\(name)` expression", "2.0", at: offset); continue
                    case "let": note("a `let` expression", "3.0", at: offset); continue
                    default: break
                    }
                }
                guard case .symbol("(") = next else {
                    if name.hasPrefix("map:") || name.hasPrefix("array:") {
                        note("the `\(name)` function", "3.1", at: offset)
                    }
                    if (name == "map" || name == "array"), case .symbol("{") = next {
                        note("a `\(name) { … }` constructor", "3.1", at: offset)
                    }
                    continue
                }
                if name == "if" {
                    note("an `if (…) then … else …` expression", "2.0", at: offset)
                } else if name == "function" {
                    note("an inline function `function(…) { … }`", "3.0", at: offset)
                } else if XPath.laterKindTests.contains(name) {
                    note("the kind test `\(name)()`", "2.0", at: offset)
                } else if let colon = name.firstIndex(of: ":") {
                    let prefix = String(name[..<colon])
                    switch prefix {
                    case "xs": note("the typed constructor `\(name)()`", "2.0", at: offset)
                    case "fn": note("the `fn:` namespace (`\(name)()`)", "2.0", at: offset)
                    case "math": note("the function `\(name)()`", "3.0", at: offset)
                    case "map", "array": note("the function `\(name)()`", "3.1", at: offset)
                    default: break  // an extension function: libxml2 says whether it knows it
                    }
                } else if !XPath.version1Functions.contains(name), let version = XPath.laterFunctionVersions[name] {
                    // Other unknown names are typos or extensions: libxml2's "unregistered function" says so.
                    note("the function `\(name)()`", version, at: offset)
                }
            case .variable, .string, .number:
                break
            }
        }
        return findings
    }
}
