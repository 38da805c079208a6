import ArazzoJSON
import ArazzoExpressions

/// A request payload written in the document as JSON text (a templated string under a JSON media
/// type, notes §2.13 item 3): rendered so that a quoted object or array placeholder embeds its
/// value (issue 12), then checked to be JSON before anything is sent.
enum JSONPayloadText {
    /// What the step sends and what `$request.body` reads.
    struct Rendered {
        /// The text sent (the author's formatting kept).
        var text: String
        /// The text parsed.
        var value: JSONValue
        /// What the run should tell the user (placeholders embedded without their quotes).
        var notes: [String]
    }

    /// Renders `template` with ``ExpressionTemplate/renderJSON(in:)`` and parses the result.
    ///
    /// - Returns: the rendered payload; `.failure(.unresolved)` when an expression did not
    ///   resolve (the caller decides whether the payload is omitted); `.failure(.invalid)` with a
    ///   message naming the member and the placeholder when the text is not JSON.
    static func render(_ template: ExpressionTemplate, in context: any ExpressionContext) -> Result<Rendered, Problem> {
        let rendering: ExpressionTemplate.JSONRendering
        switch template.renderJSON(in: context) {
        case .success(let r): rendering = r
        case .failure(let unresolved): return .failure(.unresolved(unresolved))
        }
        var notes: [String] = []
        for placeholder in rendering.unquoted {
            let text = "{\(placeholder.expression.text)}"
            notes.append("payload: \(text) is \(describe(placeholder, in: rendering)) written between quotes (\"\(text)\"); embedded as JSON, not as a string (drop the quotes in the document)")
        }
        return parse(rendering.text, insertions: rendering.insertions).map { Rendered(text: rendering.text, value: $0, notes: notes) }
    }

    /// Why ``render(_:in:)`` produced no payload.
    enum Problem: Error {
        /// An embedded expression did not resolve.
        case unresolved(UnresolvedExpression)
        /// The rendered text is not JSON; one line naming where and why.
        case invalid(String)
    }

    /// "an object" or "an array", from what was inserted for the placeholder.
    private static func describe(_ placeholder: ExpressionTemplate.QuotedPlaceholder, in rendering: ExpressionTemplate.JSONRendering) -> String {
        let inserted = rendering.insertions.first { $0.expression == placeholder.expression }
        guard let inserted else { return "an object or array" }
        let first = rendering.text.utf8.dropFirst(inserted.bytes.lowerBound).first
        return first == UInt8(ascii: "[") ? "an array" : "an object"
    }

    /// Parses JSON text written in the document; the failure names the member being read where
    /// the parser stopped and, when it stopped inside or just after an inserted value, the
    /// placeholder that inserted it.
    static func parse(_ text: String, insertions: [ExpressionTemplate.JSONRendering.Insertion]) -> Result<JSONValue, Problem> {
        do {
            return .success(try JSONValue(parsing: text))
        } catch {
            var place = "line \(error.line) column \(error.column): \(error.message)"
            if let member = memberPointer(at: error.offset, in: text) { place = "payload member \(member), " + place }
            // The parser stops at the first character it cannot take, which for a value that broke
            // the quoting is inside the value or right after it.
            if let culprit = insertions.last(where: { $0.bytes.lowerBound <= error.offset && error.offset <= $0.bytes.upperBound }) {
                return .failure(.invalid(
                    "the payload is not valid JSON once {\(culprit.expression.text)} is inserted as text (\(place)); write the template so that the value is JSON where it lands (an object or array placeholder stands alone, without quotes or text around it)"))
            }
            return .failure(.invalid("the payload is not valid JSON (\(place)); correct the JSON text of the payload"))
        }
    }

    /// The JSON pointer of the member or element being read at UTF-8 `offset` of `text`, found by
    /// a tolerant scan (the text is not JSON, so it cannot be parsed); nil at the top level.
    static func memberPointer(at offset: Int, in text: String) -> String? {
        enum Container { case object(key: String?), array(index: Int) }
        var stack: [Container] = []
        var lastString: String?
        let bytes = Array(text.utf8)
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                var j = i + 1
                var raw: [UInt8] = []
                while j < bytes.count, bytes[j] != UInt8(ascii: "\"") {
                    if bytes[j] == UInt8(ascii: "\\"), j + 1 < bytes.count { raw.append(bytes[j + 1]); j += 2; continue }
                    raw.append(bytes[j])
                    j += 1
                }
                lastString = String(decoding: raw, as: UTF8.self)
                i = j + 1
                continue
            case UInt8(ascii: "{"): stack.append(.object(key: nil))
            case UInt8(ascii: "["): stack.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if !stack.isEmpty { stack.removeLast() }
            case UInt8(ascii: ":"):
                if case .object? = stack.last { stack[stack.count - 1] = .object(key: lastString) }
            case UInt8(ascii: ","):
                switch stack.last {
                case .object?: stack[stack.count - 1] = .object(key: nil)
                case .array(let index)?: stack[stack.count - 1] = .array(index: index + 1)
                case nil: break
                }
            default: break
            }
            lastString = byte == UInt8(ascii: ":") ? nil : lastString
            i += 1
        }
        var tokens: [String] = []
        for container in stack {
            switch container {
            case .object(let key?): tokens.append(key)
            case .object(nil): return tokens.isEmpty ? nil : JSONPointer(tokens: tokens).description
            case .array(let index): tokens.append(String(index))
            }
        }
        return tokens.isEmpty ? nil : JSONPointer(tokens: tokens).description
    }
}
