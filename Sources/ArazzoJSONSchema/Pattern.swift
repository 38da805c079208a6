import Foundation

/// A compiled `pattern` / `patternProperties` regular expression.
///
/// JSON Schema patterns are ECMA-262 regular expressions with search (not whole-string) semantics.
/// They run on ICU through `NSRegularExpression` after a small rewrite of the differences that most
/// often change results: `\d`, `\w` (and their negations) are ASCII-only in ECMA-262 but Unicode in
/// ICU, and `$` in ECMA-262 matches only at the very end, never before a final newline.
/// `[]` (matches nothing), `[^]` (matches anything) and `\s` (ECMA-262's white space and line
/// terminators; `\S` outside classes) are rewritten too. Known dialect gaps left as they are: `\b`
/// and `\S` inside a class use ICU's definitions, lookbehind must have a bounded length, and no
/// flags (`u`, `i`, …) exist in JSON Schema anyway.
struct Pattern: Sendable {
    let source: String
    let regex: NSRegularExpression
    /// The same pattern for the fast matcher, when it is in that matcher's subset.
    let simple: SimplePattern?

    init?(_ source: String) {
        guard let regex = try? NSRegularExpression(pattern: Pattern.translate(source), options: []) else {
            return nil
        }
        self.source = source
        self.regex = regex
        self.simple = SimplePattern(source)
    }

    /// Whether the pattern matches anywhere in `text`; `nil` when the search was abandoned.
    ///
    /// ICU backtracks, so a pattern like `^(a+)+$` can take exponential time on a near-miss. With
    /// progress reporting on, ICU calls back once per start position it tries and again every few
    /// thousand backtracking steps (measured on this platform); the budget allows every start
    /// position plus about eight million steps of backtracking, then the search stops, so one
    /// hostile pattern cannot hang a run.
    func search(_ text: String) -> Bool? {
        if let simple, let found = simple.search(text) { return found }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        let budget = range.length + 1_000
        var found = false
        var ticks = 0
        var abandoned = false
        regex.enumerateMatches(in: text, options: [.reportProgress], range: range) { result, _, stop in
            if result != nil {
                found = true
                stop.pointee = true
                return
            }
            ticks += 1
            if ticks > budget {
                abandoned = true
                stop.pointee = true
            }
        }
        if found { return true }
        return abandoned ? nil : false
    }

    /// `search`, counting an abandoned search as no match (for `patternProperties`, where the
    /// member then falls to `additionalProperties`).
    func matches(_ text: String) -> Bool {
        search(text) ?? false
    }

    /// Rewrites the ECMA-262 constructs whose ICU meaning differs (see the type's documentation).
    /// ECMA-262's WhiteSpace and LineTerminator code points, the members of `\\s` there (ICU's
    /// `\\s` lacks U+FEFF, for one), written for inside a character class.
    static let ecmaSpace = "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"

    static func translate(_ pattern: String) -> String {
        var out = ""
        var inClass = false
        let scalars = Array(pattern.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let ch = scalars[i]
            i += 1
            switch ch {
            case "\\":
                guard i < scalars.count else { out += "\\"; continue }
                let next = scalars[i]
                i += 1
                switch next {
                case "d": out += inClass ? "0-9" : "[0-9]"
                case "D": out += inClass ? "\\D" : "[^0-9]"
                case "w": out += inClass ? "a-zA-Z0-9_" : "[a-zA-Z0-9_]"
                case "W": out += inClass ? "\\W" : "[^a-zA-Z0-9_]"
                case "s": out += inClass ? Pattern.ecmaSpace : "[" + Pattern.ecmaSpace + "]"
                case "S" where !inClass: out += "[^" + Pattern.ecmaSpace + "]"
                default:
                    out += "\\"
                    out.unicodeScalars.append(next)
                }
            case "[" where !inClass:
                // ECMA-262's `[]` matches nothing and `[^]` any character; ICU reads the `]` as a
                // literal member instead, so both are spelled out.
                if i < scalars.count, scalars[i] == "]" {
                    out += "(?!)"
                    i += 1
                } else if i + 1 < scalars.count, scalars[i] == "^", scalars[i + 1] == "]" {
                    out += "[\\s\\S]"
                    i += 2
                } else {
                    inClass = true
                    out += "["
                }
            case "]" where inClass:
                inClass = false
                out += "]"
            case "$" where !inClass:
                out += "\\z"
            default:
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
