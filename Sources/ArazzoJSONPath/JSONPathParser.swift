import ArazzoDiagnostics
import ArazzoJSON

/// A hand-written recursive-descent parser for the RFC 9535 ABNF (§2.1–2.4), with the
/// well-typedness rules of §2.4.3 checked as the tree is built.
struct JSONPathParser {
    /// Nesting deeper than this (parentheses, `!`, filters, function calls) is rejected so that
    /// hostile queries cannot exhaust the stack of the parser or the evaluator.
    static let maxDepth = 128

    private let scalars: [Unicode.Scalar]
    private var pos = 0
    private var depth = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    // MARK: - Entry point

    mutating func parseRootQuery() throws(JSONPathError) -> QueryAST {
        guard let first = peek() else {
            throw error("the query is empty; expected '$'", at: 0)
        }
        if isBlank(first) {
            throw error("whitespace is not allowed before '$'", at: 0)
        }
        guard first == "$" else {
            throw error("a JSONPath query must start with '$', found \(describe(first))", at: 0)
        }
        pos += 1
        let segments = try parseSegments()
        if let c = peek() {
            if isBlank(c) {
                throw error("whitespace is not allowed at the end of the query", at: pos)
            }
            throw error("unexpected \(describe(c)); expected '.', '..' or '[' to start a segment", at: pos)
        }
        return QueryAST(isRoot: true, segments: segments)
    }

    /// Parses `text` as a whole RFC 9535 `logical-expr` (the inside of a filter), blanks allowed
    /// around it, for conditions written as a comparison instead of a query.
    mutating func parseStandaloneLogical() throws(JSONPathError) -> LogicalExpr {
        skipBlanks()
        let start = pos
        guard peek() != nil else {
            throw error("the expression is empty", at: 0)
        }
        let logical = try toLogical(try parseLogicalOr(), at: start)
        skipBlanks()
        if let c = peek() {
            throw error("unexpected \(describe(c)) after the expression; expected '&&', '||' or the end", at: pos)
        }
        return logical
    }

    // MARK: - Segments and selectors

    private mutating func parseSegments() throws(JSONPathError) -> [SegmentAST] {
        var segments: [SegmentAST] = []
        while true {
            let save = pos
            skipBlanks()
            guard let c = peek() else { pos = save; break }
            if c == "[" {
                segments.append(SegmentAST(isDescendant: false, selectors: try parseBracketed()))
            } else if c == "." {
                if peek(1) == "." {
                    pos += 2
                    if peek() == "[" {
                        segments.append(SegmentAST(isDescendant: true, selectors: try parseBracketed()))
                    } else if peek() == "*" {
                        pos += 1
                        segments.append(SegmentAST(isDescendant: true, selectors: [.wildcard]))
                    } else if let n = peek(), isNameFirst(n) {
                        segments.append(SegmentAST(isDescendant: true, selectors: [.name(parseShorthandName())]))
                    } else {
                        throw error("expected a member name, '*' or '[' after '..', found \(describeNext())", at: pos)
                    }
                } else {
                    pos += 1
                    if peek() == "*" {
                        pos += 1
                        segments.append(SegmentAST(isDescendant: false, selectors: [.wildcard]))
                    } else if let n = peek(), isNameFirst(n) {
                        segments.append(SegmentAST(isDescendant: false, selectors: [.name(parseShorthandName())]))
                    } else {
                        throw error("expected a member name or '*' after '.', found \(describeNext())", at: pos)
                    }
                }
            } else {
                pos = save
                break
            }
        }
        return segments
    }

    private mutating func parseShorthandName() -> String {
        var name = String.UnicodeScalarView()
        while let c = peek(), isNameFirst(c) || isDigit(c) {
            name.append(c)
            pos += 1
        }
        return String(name)
    }

    private mutating func parseBracketed() throws(JSONPathError) -> [SelectorAST] {
        pos += 1  // "["
        var selectors: [SelectorAST] = []
        skipBlanks()
        while true {
            selectors.append(try parseSelector())
            skipBlanks()
            guard let c = peek() else {
                throw error("unterminated bracketed selection; expected ',' or ']'", at: pos)
            }
            if c == "]" {
                pos += 1
                return selectors
            }
            guard c == "," else {
                let offsetBeforeOperator = pos
                if c == "=" && peek(1) != "=" {
                    throw error("'=' is not a JSONPath operator; compare with '=='", at: pos)
                }
                if parseComparisonOperator() != nil {
                    pos = offsetBeforeOperator
                    throw error("comparisons cannot be chained; join them with '&&' or '||'", at: pos)
                }
                throw error("unexpected \(describe(c)) in bracketed selection; expected ',' or ']'", at: pos)
            }
            pos += 1
            skipBlanks()
        }
    }

    private mutating func parseSelector() throws(JSONPathError) -> SelectorAST {
        guard let c = peek() else {
            throw error("unexpected end of query; expected a selector", at: pos)
        }
        switch c {
        case "'", "\"":
            return .name(try parseStringLiteral())
        case "*":
            pos += 1
            return .wildcard
        case "?":
            let start = pos
            pos += 1
            try enter(at: start)
            defer { depth -= 1 }
            skipBlanks()
            let exprStart = pos
            let expr = try parseLogicalOr()
            return .filter(try toLogical(expr, at: exprStart))
        case "-", ":", "0"..."9":
            let start = try parseOptionalInteger(what: "index")
            let save = pos
            skipBlanks()
            guard peek() == ":" else {
                pos = save
                guard let index = start else {
                    throw error("expected an index or a slice", at: pos)
                }
                return .index(index)
            }
            pos += 1
            skipBlanks()
            let end = try parseOptionalInteger(what: "slice end")
            skipBlanks()
            var step: Int? = nil
            if peek() == ":" {
                pos += 1
                skipBlanks()
                step = try parseOptionalInteger(what: "slice step")
            }
            return .slice(start: start, end: end, step: step)
        default:
            throw error(
                "unexpected \(describe(c)); expected a selector: a quoted name, '*', an index, a slice or a '?' filter",
                at: pos)
        }
    }

    /// Parses an RFC 9535 `int` if one starts here: no leading zeros, no `-0`, within the I-JSON
    /// range ±(2^53−1).
    private mutating func parseOptionalInteger(what: String) throws(JSONPathError) -> Int? {
        guard let c = peek(), c == "-" || isDigit(c) else { return nil }
        let start = pos
        var negative = false
        if c == "-" {
            negative = true
            pos += 1
            guard let d = peek(), isDigit(d) else {
                throw error("expected a digit after '-' in the \(what)", at: pos)
            }
        }
        let digitsStart = pos
        var magnitude = 0
        var tooLarge = false
        while let d = peek(), isDigit(d) {
            if magnitude > Self.maxSafeInteger { tooLarge = true } else {
                magnitude = magnitude * 10 + Int(d.value - 48)
            }
            pos += 1
        }
        let digitCount = pos - digitsStart
        if scalars[digitsStart] == "0" {
            if digitCount > 1 {
                throw error("leading zeros are not allowed in the \(what)", at: start)
            }
            if negative {
                throw error("'-0' is not allowed as the \(what); write 0", at: start)
            }
        }
        if tooLarge || magnitude > Self.maxSafeInteger {
            throw error("the \(what) is outside the range -(2^53-1) to 2^53-1", at: start)
        }
        return negative ? -magnitude : magnitude
    }

    static let maxSafeInteger = 9_007_199_254_740_991

    // MARK: - String literals

    /// Parses a single- or double-quoted string literal (RFC 9535 §2.3.1.1) at `pos`.
    private mutating func parseStringLiteral() throws(JSONPathError) -> String {
        let quote = scalars[pos]
        let openAt = pos
        pos += 1
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek() else {
                throw error("unterminated string literal; expected a closing \(quote == "'" ? "\"'\"" : "'\"'")", at: openAt)
            }
            if c == quote {
                pos += 1
                return String(out)
            }
            if c == "\\" {
                let escapeAt = pos
                pos += 1
                guard let e = peek() else {
                    throw error("unterminated escape sequence in string literal", at: escapeAt)
                }
                pos += 1
                switch e {
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "/": out.append("/")
                case "\\": out.append("\\")
                case "u": out.append(try parseUnicodeEscape(escapeAt: escapeAt))
                default:
                    if e == quote {
                        out.append(e)
                    } else {
                        throw error(
                            "invalid escape '\\\(e)' in string literal; expected one of \\b \\f \\n \\r \\t \\/ \\\\ \\\(quote) \\uXXXX",
                            at: escapeAt)
                    }
                }
                continue
            }
            if c.value < 0x20 {
                throw error(
                    "control character U+\(hex4(c.value)) must be escaped in a string literal (e.g. \\u\(hex4(c.value)))",
                    at: pos)
            }
            out.append(c)
            pos += 1
        }
    }

    /// Parses the `XXXX` of `\uXXXX` (after the `u`), joining a surrogate pair written as two
    /// escapes.
    private mutating func parseUnicodeEscape(escapeAt: Int) throws(JSONPathError) -> Unicode.Scalar {
        let first = try parseHex4(escapeAt: escapeAt)
        if (0xDC00...0xDFFF).contains(first) {
            throw error("lone low surrogate \\u\(hex4(first)) in string literal; it must follow a high surrogate", at: escapeAt)
        }
        if (0xD800...0xDBFF).contains(first) {
            guard peek() == "\\", peek(1) == "u" else {
                throw error(
                    "high surrogate \\u\(hex4(first)) must be followed by a low surrogate escape \\uDC00-\\uDFFF", at: escapeAt)
            }
            let lowAt = pos
            pos += 2
            let second = try parseHex4(escapeAt: lowAt)
            guard (0xDC00...0xDFFF).contains(second) else {
                throw error(
                    "high surrogate \\u\(hex4(first)) must be followed by a low surrogate escape \\uDC00-\\uDFFF", at: lowAt)
            }
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            guard let scalar = Unicode.Scalar(combined) else {
                throw error("invalid surrogate pair in string literal", at: escapeAt)
            }
            return scalar
        }
        guard let scalar = Unicode.Scalar(first) else {
            throw error("invalid code point \\u\(hex4(first)) in string literal", at: escapeAt)
        }
        return scalar
    }

    private mutating func parseHex4(escapeAt: Int) throws(JSONPathError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let c = peek(), let digit = hexValue(c) else {
                throw error("expected four hexadecimal digits after '\\u'", at: escapeAt)
            }
            value = value * 16 + digit
            pos += 1
        }
        return value
    }

    // MARK: - Filter expressions

    /// An expression before it is known where it is used: a bare literal, query or function call
    /// only becomes a logical test when it stands alone in a filter.
    private enum Expr {
        case logical(LogicalExpr)
        case literal(JSONValue)
        case query(QueryAST)
        case function(FunctionCall)
    }

    private mutating func parseLogicalOr() throws(JSONPathError) -> Expr {
        try parseChain(of: "|", joined: LogicalExpr.or) { parser throws(JSONPathError) in try parser.parseLogicalAnd() }
    }

    private mutating func parseLogicalAnd() throws(JSONPathError) -> Expr {
        try parseChain(of: "&", joined: LogicalExpr.and) { parser throws(JSONPathError) in try parser.parseBasic() }
    }

    /// `operand (OP OP operand)*` for `||` and `&&`: a single operand stays what it is (it may yet
    /// be a comparison's side); several become logical tests joined by `joined`.
    private mutating func parseChain(
        of symbol: Unicode.Scalar, joined: ([LogicalExpr]) -> LogicalExpr,
        operand: (inout Self) throws(JSONPathError) -> Expr
    ) throws(JSONPathError) -> Expr {
        let firstStart = pos
        let first = try operand(&self)
        var terms: [LogicalExpr] = []
        while true {
            let save = pos
            skipBlanks()
            guard peek() == symbol, peek(1) == symbol else {
                pos = save
                break
            }
            if terms.isEmpty { terms.append(try toLogical(first, at: firstStart)) }
            pos += 2
            skipBlanks()
            let start = pos
            terms.append(try toLogical(try operand(&self), at: start))
        }
        return terms.isEmpty ? first : .logical(joined(terms))
    }

    private mutating func parseBasic() throws(JSONPathError) -> Expr {
        guard let c = peek() else {
            throw error("unexpected end of query; expected a filter expression", at: pos)
        }
        if c == "!" {
            let notAt = pos
            pos += 1
            try enter(at: notAt)
            defer { depth -= 1 }
            skipBlanks()
            if peek() == "(" {
                return .logical(.not(try parseParenthesized()))
            }
            let operandAt = pos
            let operand = try parseOperand()
            switch operand {
            case .query, .function:
                return .logical(.not(try toLogical(operand, at: operandAt)))
            default:
                throw error("'!' must be followed by '(', a query or a function call", at: operandAt)
            }
        }
        if c == "(" {
            return .logical(try parseParenthesized())
        }
        let lhsAt = pos
        let lhs = try parseOperand()
        let save = pos
        skipBlanks()
        guard let op = parseComparisonOperator() else {
            pos = save
            return lhs
        }
        let left = try toComparable(lhs, at: lhsAt, side: "left")
        skipBlanks()
        let rhsAt = pos
        guard peek() != nil else {
            throw error("expected a value to compare with after the comparison operator", at: pos)
        }
        let rhs = try parseOperand()
        let right = try toComparable(rhs, at: rhsAt, side: "right")
        return .logical(.comparison(left, op, right))
    }

    private mutating func parseParenthesized() throws(JSONPathError) -> LogicalExpr {
        let openAt = pos
        try enter(at: openAt)
        defer { depth -= 1 }
        pos += 1  // "("
        skipBlanks()
        let innerAt = pos
        let inner = try toLogical(try parseLogicalOr(), at: innerAt)
        skipBlanks()
        guard peek() == ")" else {
            throw error("expected ')' to close the '(' at offset \(characterOffset(openAt)), found \(describeNext())", at: pos)
        }
        pos += 1
        return inner
    }

    private mutating func parseComparisonOperator() -> ComparisonOp? {
        switch (peek(), peek(1)) {
        case ("=", "="): pos += 2; return .equal
        case ("!", "="): pos += 2; return .notEqual
        case ("<", "="): pos += 2; return .lessOrEqual
        case (">", "="): pos += 2; return .greaterOrEqual
        case ("<", _): pos += 1; return .less
        case (">", _): pos += 1; return .greater
        default: return nil
        }
    }

    /// Parses a literal, an `@`/`$` query or a function call.
    private mutating func parseOperand() throws(JSONPathError) -> Expr {
        guard let c = peek() else {
            throw error("unexpected end of query; expected a literal, a query or a function call", at: pos)
        }
        switch c {
        case "@", "$":
            pos += 1
            return .query(QueryAST(isRoot: c == "$", segments: try parseSegments()))
        case "'", "\"":
            return .literal(.string(try parseStringLiteral()))
        case "-", "0"..."9":
            return .literal(try parseNumber())
        default:
            if matchKeyword("true") { return .literal(.bool(true)) }
            if matchKeyword("false") { return .literal(.bool(false)) }
            if matchKeyword("null") { return .literal(.null) }
            if c.value >= 0x61 && c.value <= 0x7A {
                return .function(try parseFunctionCall())
            }
            throw error(
                "unexpected \(describe(c)); expected a literal, a query starting with '@' or '$', or a function call",
                at: pos)
        }
    }

    private mutating func matchKeyword(_ word: String) -> Bool {
        var i = pos
        for w in word.unicodeScalars {
            guard i < scalars.count, scalars[i] == w else { return false }
            i += 1
        }
        if i < scalars.count, isFunctionNameChar(scalars[i]) { return false }
        pos = i
        return true
    }

    /// Parses a JSON-like number literal (RFC 9535 `number`): `-0` is allowed here, leading zeros
    /// are not.
    private mutating func parseNumber() throws(JSONPathError) -> JSONValue {
        let start = pos
        if peek() == "-" { pos += 1 }
        guard let first = peek(), isDigit(first) else {
            throw error("expected a digit in the number literal", at: pos)
        }
        pos += 1
        if first == "0", let next = peek(), isDigit(next) {
            throw error("leading zeros are not allowed in a number literal", at: start)
        }
        while let d = peek(), isDigit(d) { pos += 1 }
        var isInteger = true
        if peek() == "." {
            isInteger = false
            pos += 1
            guard let d = peek(), isDigit(d) else {
                throw error("expected a digit after '.' in the number literal", at: pos)
            }
            while let d = peek(), isDigit(d) { pos += 1 }
        }
        if peek() == "e" || peek() == "E" {
            isInteger = false
            pos += 1
            if peek() == "+" || peek() == "-" { pos += 1 }
            guard let d = peek(), isDigit(d) else {
                throw error("expected a digit in the exponent of the number literal", at: pos)
            }
            while let d = peek(), isDigit(d) { pos += 1 }
        }
        let text = String(String.UnicodeScalarView(scalars[start..<pos]))
        if isInteger, text != "-0", let i = Int(text) { return .int(i) }
        guard let d = Double(text) else {
            throw error("invalid number literal '\(text)'", at: start)
        }
        return .double(d)
    }

    private mutating func parseFunctionCall() throws(JSONPathError) -> FunctionCall {
        let nameAt = pos
        var name = String.UnicodeScalarView()
        while let c = peek(), isFunctionNameChar(c) {
            name.append(c)
            pos += 1
        }
        let nameText = String(name)
        guard peek() == "(" else {
            if peek().map(isBlank) == true {
                throw error("no whitespace is allowed between the function name '\(nameText)' and '('", at: pos)
            }
            throw error(
                "unexpected '\(nameText)'; expected a literal (true, false, null, a number or a string), a query or a function call",
                at: nameAt)
        }
        guard let kind = FunctionKind(rawValue: nameText) else {
            throw error(
                "unknown function '\(nameText)'; expected one of length, count, match, search, value", at: nameAt)
        }
        try enter(at: nameAt)
        defer { depth -= 1 }
        pos += 1  // "("
        skipBlanks()
        var raw: [(Expr, Int)] = []
        if peek() == ")" {
            pos += 1
        } else {
            while true {
                let argAt = pos
                raw.append((try parseLogicalOr(), argAt))
                skipBlanks()
                if peek() == "," {
                    pos += 1
                    skipBlanks()
                    continue
                }
                if peek() == ")" {
                    pos += 1
                    break
                }
                throw error(
                    "expected ',' or ')' in the arguments of \(nameText)(), found \(describeNext())", at: pos)
            }
        }
        let parameters = kind.parameters
        guard raw.count == parameters.count else {
            let plural = parameters.count == 1 ? "argument" : "arguments"
            throw error(
                "\(nameText)() takes \(parameters.count) \(plural), but \(raw.count) \(raw.count == 1 ? "was" : "were") given",
                at: nameAt)
        }
        var arguments: [FunctionArgument] = []
        for (index, ((expr, argAt), type)) in zip(raw, parameters).enumerated() {
            arguments.append(try convertArgument(expr, to: type, at: argAt, function: nameText, index: index + 1))
        }
        var regex = PrecompiledRegex.none
        if kind == .match || kind == .search, case .literal(let pattern) = arguments[1] {
            if case .string(let p) = pattern, let compiled = IRegexp.compile(p, wholeString: kind == .match) {
                regex = .compiled(compiled)
            } else {
                regex = .invalid
            }
        }
        return FunctionCall(kind: kind, arguments: arguments, regex: regex)
    }

    private func convertArgument(
        _ expr: Expr, to type: FunctionType, at offset: Int, function: String, index: Int
    ) throws(JSONPathError) -> FunctionArgument {
        let which = "argument \(index) of \(function)()"
        switch type {
        case .value:
            switch expr {
            case .literal(let v): return .literal(v)
            case .query(let q):
                guard q.isSingular else {
                    throw error(
                        "\(which) must be a value, but the query is not singular (use only names and indices, no wildcards, slices, filters or '..')",
                        at: offset)
                }
                return .singularQuery(q)
            case .function(let call):
                guard call.kind.result == .value else {
                    throw error(
                        "\(which) must be a value, but \(call.kind.rawValue)() returns \(call.kind.result.article)",
                        at: offset)
                }
                return .function(call)
            case .logical:
                throw error("\(which) must be a value, not a logical expression", at: offset)
            }
        case .nodes:
            switch expr {
            case .query(let q): return .nodes(q)
            case .function(let call) where call.kind.result == .nodes: return .function(call)
            case .function(let call):
                throw error(
                    "\(which) must be a query (a node list), but \(call.kind.rawValue)() returns \(call.kind.result.article)",
                    at: offset)
            case .literal:
                throw error("\(which) must be a query (a node list), not a literal", at: offset)
            case .logical:
                throw error("\(which) must be a query (a node list), not a logical expression", at: offset)
            }
        case .logical:
            switch expr {
            case .logical(let l): return .logical(l)
            case .query(let q): return .logical(.exists(q))
            case .function(let call) where call.kind.result != .value: return .logical(.function(call))
            case .function(let call):
                throw error(
                    "\(which) must be a logical expression, but \(call.kind.rawValue)() returns \(call.kind.result.article)",
                    at: offset)
            case .literal:
                throw error("\(which) must be a logical expression, not a literal", at: offset)
            }
        }
    }

    private func toLogical(_ expr: Expr, at offset: Int) throws(JSONPathError) -> LogicalExpr {
        switch expr {
        case .logical(let l): return l
        case .query(let q): return .exists(q)
        case .function(let call):
            guard call.kind.result != .value else {
                throw error(
                    "\(call.kind.rawValue)() returns a value, which cannot be used as a test; compare it, e.g. \(call.kind.rawValue)(...) > 0",
                    at: offset)
            }
            return .function(call)
        case .literal:
            throw error("a literal cannot be used as a test on its own; compare it with '==', '!=', '<', '<=', '>' or '>='", at: offset)
        }
    }

    private func toComparable(_ expr: Expr, at offset: Int, side: String) throws(JSONPathError) -> ComparableAST {
        switch expr {
        case .literal(let v): return .literal(v)
        case .query(let q):
            guard q.isSingular else {
                throw error(
                    "the \(side) side of a comparison must be a singular query (only names and indices, no wildcards, slices, filters or '..')",
                    at: offset)
            }
            return .query(q)
        case .function(let call):
            guard call.kind.result == .value else {
                throw error(
                    "\(call.kind.rawValue)() returns \(call.kind.result.article) and cannot be compared", at: offset)
            }
            return .function(call)
        case .logical:
            throw error("a logical expression cannot be compared", at: offset)
        }
    }

    // MARK: - Helpers

    private mutating func enter(at offset: Int) throws(JSONPathError) {
        depth += 1
        if depth > Self.maxDepth {
            throw error("the query nests more than \(Self.maxDepth) levels deep", at: offset)
        }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        let i = pos + ahead
        return i < scalars.count ? scalars[i] : nil
    }

    private mutating func skipBlanks() {
        while let c = peek(), isBlank(c) { pos += 1 }
    }

    private func isBlank(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r"
    }

    private func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    private func isNameFirst(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F || (v >= 0x80 && v <= 0xD7FF)
            || (v >= 0xE000 && v <= 0x10FFFF)
    }

    private func isFunctionNameChar(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return (v >= 0x61 && v <= 0x7A) || v == 0x5F || (v >= 0x30 && v <= 0x39)
    }

    private func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: return c.value - 0x30
        case 0x41...0x46: return c.value - 0x41 + 10
        case 0x61...0x66: return c.value - 0x61 + 10
        default: return nil
        }
    }

    private func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }

    private func describe(_ c: Unicode.Scalar) -> String {
        if c.value < 0x20 || c.value == 0x7F { return "U+\(hex4(c.value))" }
        return c == "'" ? "\"'\"" : "'\(Character(c))'"
    }

    private func describeNext() -> String {
        peek().map(describe) ?? "the end of the query"
    }

    /// Converts a scalar index into the `Character` offset the public error reports.
    private func characterOffset(_ scalarIndex: Int) -> Int {
        let end = min(max(scalarIndex, 0), scalars.count)
        return String(String.UnicodeScalarView(scalars[0..<end])).count
    }

    private func error(_ message: String, at scalarIndex: Int) -> JSONPathError {
        JSONPathError(message: message, offset: characterOffset(scalarIndex))
    }
}
