extension ExpressionTemplate {
    /// A runtime expression written inside other text without the `{}` that embed it
    /// (`Bearer $steps.login.outputs.token`): Arazzo §4.7 embeds expressions in strings only "by
    /// surrounding the expression with `{}` curly braces", so the run sends such text as written.
    public struct UnbracedExpression: Sendable, Hashable {
        /// The expression as it parses.
        public var expression: RuntimeExpression
        /// The Unicode-scalar offset of its `$` in the text.
        public var offset: Int
        /// Its length in Unicode scalars.
        public var length: Int
    }

    /// Punctuation that ends a sentence or a list rather than an expression name (`name` is
    /// `*CHAR` in the ABNF, so the parser alone would keep it).
    private static let trailingPunctuation: Set<Unicode.Scalar> = [",", ";", ":", "!", "?", ".", ")", "]", "}", "\"", "'"]

    /// The expressions in `text` that follow other text and are not inside `{$…}`: a `$` after a
    /// space or punctuation (not `{`, `\`, `$`, a letter or a digit) that starts a known root, up
    /// to the next whitespace, without trailing punctuation, parsing as a whole runtime expression.
    /// A `$` at the very start is not included: the whole string is then either an expression or
    /// reported as a literal that looks like one.
    public static func unbracedExpressions(in text: String) -> [UnbracedExpression] {
        guard text.unicodeScalars.dropFirst().contains("$") else { return [] }
        let s = Array(text.unicodeScalars)
        var out: [UnbracedExpression] = []
        var i = 1
        while i < s.count {
            defer { i += 1 }
            guard s[i] == "$" else { continue }
            let previous = s[i - 1]
            if previous == "{" || previous == "\\" || previous == "$" || previous.properties.isAlphabetic || ("0"..."9").contains(previous) {
                continue
            }
            var end = i
            while end < s.count, !s[end].properties.isWhitespace { end += 1 }
            while end > i + 1, trailingPunctuation.contains(s[end - 1]) { end -= 1 }
            let candidate = String(String.UnicodeScalarView(s[i..<end]))
            guard RuntimeExpression.looksLikeKnownExpression(candidate),
                  let expression = try? RuntimeExpression(parsing: candidate) else { continue }
            out.append(UnbracedExpression(expression: expression, offset: i, length: end - i))
            i = end - 1
        }
        return out
    }

    /// `text` with each of `found` wrapped in `{}` (what the author meant to write).
    public static func bracing(_ found: [UnbracedExpression], in text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var cursor = 0
        for item in found.sorted(by: { $0.offset < $1.offset }) where item.offset >= cursor && item.offset + item.length <= s.count {
            out.append(contentsOf: s[cursor..<item.offset])
            out.append("{")
            out.append(contentsOf: s[item.offset..<(item.offset + item.length)])
            out.append("}")
            cursor = item.offset + item.length
        }
        out.append(contentsOf: s[cursor...])
        return String(out)
    }
}
