public import ArazzoJSON

// A payload written as JSON text with `{$…}` placeholders (notes §2.13 item 3) is rendered as
// text, so what the placeholders insert decides whether the result is JSON at all. The OAI bnpl
// example writes `"customer": "{$inputs.customer}"` for an object input: rendered as text that is
// `"customer": "{"firstName":…}"`, which no JSON parser reads. The intent (embed the value) is
// evident, so the JSON rendering below drops the quotes around such a placeholder (issue 12).

extension ExpressionTemplate {
    /// An embedded expression that is the whole content of a JSON string in the template text:
    /// `"{$inputs.customer}"`.
    public struct QuotedPlaceholder: Sendable, Hashable {
        /// The embedded expression.
        public var expression: RuntimeExpression
        /// The Unicode-scalar offset of the `$` in the template text.
        public var offset: Int
        /// The offset of the opening `"` (just before the `{`).
        public var openingQuote: Int
        /// The offset of the closing `"` (just after the `}`).
        public var closingQuote: Int
        /// The index of the expression in ``ExpressionTemplate/parts``.
        let partIndex: Int
    }

    /// The embedded expressions written between a pair of JSON string quotes with nothing else
    /// inside them, in order. Whether such a placeholder is a mistake depends on its value: a
    /// string belongs there, an object or an array does not.
    public var quotedPlaceholders: [QuotedPlaceholder] {
        var out: [QuotedPlaceholder] = []
        guard parts.count >= 3 else { return out }
        var scalars: [Unicode.Scalar]?
        for index in 1..<(parts.count - 1) {
            guard case .expression(let expression, let offset) = parts[index],
                  case .literal(let before) = parts[index - 1], case .literal(let after) = parts[index + 1],
                  before.unicodeScalars.last == "\"", after.unicodeScalars.first == "\""
            else { continue }
            // `\"` before the placeholder is an escaped quote inside a longer string, not an opening one.
            let beforeScalars = before.unicodeScalars
            if beforeScalars.count >= 2, beforeScalars[beforeScalars.index(beforeScalars.endIndex, offsetBy: -2)] == "\\" { continue }
            if scalars == nil { scalars = Array(text.unicodeScalars) }
            guard let all = scalars, let close = Self.closingBrace(in: all, after: offset) else { continue }
            out.append(QuotedPlaceholder(
                expression: expression, offset: offset, openingQuote: offset - 2, closingQuote: close + 1, partIndex: index))
        }
        return out
    }

    /// The offset of the `}` that ends the embedded expression whose `$` is at `offset` (an
    /// embedded expression holds no brace, so it is the first one).
    static func closingBrace(in scalars: [Unicode.Scalar], after offset: Int) -> Int? {
        var i = offset
        while i < scalars.count {
            if scalars[i] == "}" { return i }
            i += 1
        }
        return nil
    }

    /// The outcome of ``renderJSON(in:)``.
    public struct JSONRendering: Sendable, Hashable {
        /// Where one embedded value landed in the rendered text.
        public struct Insertion: Sendable, Hashable {
            /// The expression whose value this is.
            public var expression: RuntimeExpression
            /// The UTF-8 byte range of the value in ``JSONRendering/text`` (the unit of
            /// `JSONParseError.offset`).
            public var bytes: Range<Int>
        }

        /// The rendered text.
        public var text: String
        /// The quoted placeholders whose value was an object or an array, embedded as JSON without
        /// the quotes around them.
        public var unquoted: [QuotedPlaceholder]
        /// Every embedded value, in order.
        public var insertions: [Insertion]
    }

    /// Renders the template as JSON text: like ``render(in:)``, except that a quoted placeholder
    /// (``quotedPlaceholders``) whose value is an object or an array is embedded as JSON in place
    /// of the quoted string (`"{$inputs.customer}"` → `{"firstName":"Ada"}`), the evident meaning
    /// of a template that would otherwise not be JSON. Strings and other scalars are inserted as
    /// ``render(in:)`` inserts them, so `"{$inputs.id}"` stays a string.
    ///
    /// - Returns: the text and what was embedded where, or the first expression that did not resolve.
    public func renderJSON(in context: any ExpressionContext) -> Result<JSONRendering, UnresolvedExpression> {
        let quoted = quotedPlaceholders
        var out = ""
        var length = 0
        var unquoted: [QuotedPlaceholder] = []
        var insertions: [JSONRendering.Insertion] = []
        var dropLeadingQuote = false
        for (index, part) in parts.enumerated() {
            switch part {
            case .literal(var literal):
                if dropLeadingQuote {
                    literal.unicodeScalars.removeFirst()
                    dropLeadingQuote = false
                }
                out += literal
                length += literal.utf8.count
            case .expression(let expression, _):
                let value: JSONValue
                switch expression.evaluate(in: context) {
                case .success(let v): value = v
                case .failure(let failure): return .failure(failure)
                }
                let structured: Bool
                switch value {
                case .object, .array: structured = true
                default: structured = false
                }
                if structured, let placeholder = quoted.first(where: { $0.partIndex == index }) {
                    // The literal before ends with the opening quote (checked when the placeholder
                    // was found); the literal after starts with the closing one.
                    out.unicodeScalars.removeLast()
                    length -= 1
                    dropLeadingQuote = true
                    unquoted.append(placeholder)
                }
                let inserted = Self.embeddedText(value)
                let count = inserted.utf8.count
                out += inserted
                insertions.append(JSONRendering.Insertion(expression: expression, bytes: length..<(length + count)))
                length += count
            }
        }
        return .success(JSONRendering(text: out, unquoted: unquoted, insertions: insertions))
    }
}

extension ValueTemplate {
    /// The template, when the whole value is one string with embedded expressions (a templated
    /// payload such as JSON or XML text); nil for a structured value, a whole-value expression
    /// or a literal.
    public var wholeTemplate: ExpressionTemplate? {
        if case .template(let template) = root { return template }
        return nil
    }
}
