import Foundation

/// I-Regexp (RFC 9485): validates a pattern against the RFC's ABNF and translates it into an
/// equivalent ICU pattern for `NSRegularExpression`.
///
/// Every literal character is written as `\x{…}` so that ICU-only syntax (`&&` in classes,
/// POSIX classes, `\d`, `(?i)`, possessive quantifiers…) can never leak through: anything the
/// I-Regexp grammar does not allow is rejected before ICU sees it.
enum IRegexp {
    /// Groups nested deeper than this are rejected, bounding the translator's recursion.
    static let maxDepth = 128

    /// Compiles `pattern`; `wholeString` anchors it at both ends (the `match` function), otherwise
    /// it may match any substring (the `search` function). `nil` when the pattern is not a valid
    /// I-Regexp.
    static func compile(_ pattern: String, wholeString: Bool) -> NSRegularExpression? {
        guard let translated = translate(pattern) else { return nil }
        // The group also gives the empty pattern a form ICU accepts.
        let icu = wholeString ? "\\A(?:" + translated + ")\\z" : "(?:" + translated + ")"
        return try? NSRegularExpression(pattern: icu, options: [])
    }

    /// How long one match or search may run before it is abandoned.
    static let timeBudget: Duration = .milliseconds(500)

    /// Whether `regex` finds a match in `subject`.
    ///
    /// ICU backtracks, so a pattern such as `(a*)*b` can take exponential time. ICU calls the
    /// progress block at each start position it tries and every few thousand backtracking steps,
    /// so a tick count cannot tell a long honest scan from a hostile pattern; a wall-clock budget
    /// can. Past it the attempt is abandoned and counts as no match, so one hostile pattern cannot
    /// hang a run, while a match anywhere in a long string is still found.
    static func matches(_ regex: NSRegularExpression, _ subject: String) -> Bool {
        let length = subject.utf16.count
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeBudget)
        var found = false
        regex.enumerateMatches(in: subject, options: [.reportProgress], range: NSRange(location: 0, length: length)) {
            result, _, stop in
            if result != nil {
                found = true
                stop.pointee = true
                return
            }
            if clock.now > deadline { stop.pointee = true }
        }
        return found
    }

    /// The ICU form of an I-Regexp, or `nil` when `pattern` is not valid I-Regexp.
    static func translate(_ pattern: String) -> String? {
        var translator = Translator(Array(pattern.unicodeScalars))
        guard let out = translator.regexp(), translator.atEnd else { return nil }
        return out
    }

    private struct Translator {
        let s: [Unicode.Scalar]
        var pos = 0
        var depth = 0

        init(_ s: [Unicode.Scalar]) { self.s = s }

        var atEnd: Bool { pos >= s.count }

        func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
            pos + ahead < s.count ? s[pos + ahead] : nil
        }

        // i-regexp = branch *( "|" branch )
        mutating func regexp() -> String? {
            var out = ""
            guard let first = branch() else { return nil }
            out += first
            while peek() == "|" {
                pos += 1
                guard let next = branch() else { return nil }
                out += "|" + next
            }
            return out
        }

        // branch = *piece
        mutating func branch() -> String? {
            var out = ""
            while let c = peek(), c != "|", c != ")" {
                guard let p = piece() else { return nil }
                out += p
            }
            return out
        }

        // piece = atom [ quantifier ]
        mutating func piece() -> String? {
            guard var out = atom() else { return nil }
            guard let c = peek() else { return out }
            switch c {
            case "*", "+", "?":
                pos += 1
                out.unicodeScalars.append(c)
            case "{":
                guard let q = rangeQuantifier() else { return nil }
                out += q
            default:
                break
            }
            return out
        }

        // range-quantifier = "{" QuantExact [ "," [ QuantExact ] ] "}"
        mutating func rangeQuantifier() -> String? {
            pos += 1
            guard let low = digits() else { return nil }
            var out = "{" + String(low)
            if peek() == "," {
                pos += 1
                out += ","
                if let high = digits() {
                    guard low <= high else { return nil }
                    out += String(high)
                }
            }
            guard peek() == "}" else { return nil }
            pos += 1
            return out + "}"
        }

        mutating func digits() -> Int? {
            var value = 0
            var count = 0
            while let c = peek(), c.value >= 0x30, c.value <= 0x39 {
                // Counts beyond ICU's limit make the pattern invalid rather than overflowing.
                if value > 100_000_000 { return nil }
                value = value * 10 + Int(c.value - 0x30)
                count += 1
                pos += 1
            }
            return count > 0 ? value : nil
        }

        // atom = NormalChar / charClass / ( "(" i-regexp ")" )
        mutating func atom() -> String? {
            guard let c = peek() else { return nil }
            switch c {
            case "(":
                depth += 1
                guard depth <= IRegexp.maxDepth else { return nil }
                pos += 1
                guard let inner = regexp(), peek() == ")" else { return nil }
                pos += 1
                depth -= 1
                return "(?:" + inner + ")"
            case ".":
                pos += 1
                // I-Regexp's dot excludes only LF and CR; ICU's would also exclude U+0085, U+2028…
                return "[^\\n\\r]"
            case "[":
                return charClassExpr()
            case "\\":
                return escape()
            case "^":
                // The grammar admits '^' and '$' as plain characters, but the compliance suite
                // (and every mainstream engine I-Regexp maps onto) treats them as anchors.
                pos += 1
                return "\\A"
            case "$":
                pos += 1
                return "\\z"
            default:
                guard isNormalChar(c) else { return nil }
                pos += 1
                return literal(c)
            }
        }

        func isNormalChar(_ c: Unicode.Scalar) -> Bool {
            switch c {
            case "(", ")", "*", "+", ".", "?", "[", "\\", "]", "{", "|", "}": return false
            default: return true
            }
        }

        /// `\` escapes: SingleCharEsc, `\p{…}` and `\P{…}`.
        mutating func escape() -> String? {
            pos += 1
            guard let e = peek() else { return nil }
            pos += 1
            switch e {
            case "n": return "\\n"
            case "r": return "\\r"
            case "t": return "\\t"
            case "(", ")", "*", "+", "-", ".", "?", "[", "\\", "]", "^", "{", "|", "}":
                return literal(e)
            case "p", "P":
                guard peek() == "{" else { return nil }
                pos += 1
                var name = ""
                while let c = peek(), c != "}" {
                    name.unicodeScalars.append(c)
                    pos += 1
                    if name.count > 2 { return nil }
                }
                guard peek() == "}", Self.categories.contains(name) else { return nil }
                pos += 1
                return "\\" + String(e) + "{" + name + "}"
            default:
                return nil
            }
        }

        static let categories: Set<String> = [
            "L", "Ll", "Lm", "Lo", "Lt", "Lu",
            "M", "Mc", "Me", "Mn",
            "N", "Nd", "Nl", "No",
            "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps",
            "Z", "Zl", "Zp", "Zs",
            "S", "Sc", "Sk", "Sm", "So",
            "C", "Cc", "Cf", "Cn", "Co",
        ]

        // charClassExpr = "[" [ "^" ] ( "-" / CCE1 ) *CCE1 [ "-" ] "]"
        mutating func charClassExpr() -> String? {
            pos += 1
            var out = "["
            if peek() == "^" {
                pos += 1
                out += "^"
            }
            var first = true
            while true {
                guard let c = peek() else { return nil }
                if c == "]" {
                    guard !first else { return nil }
                    pos += 1
                    return out + "]"
                }
                if c == "-" {
                    if first || peek(1) == "]" {
                        pos += 1
                        out += literal("-")
                        first = false
                        continue
                    }
                    return nil
                }
                first = false
                if c == "\\", let e = peek(1), e == "p" || e == "P" {
                    guard let category = escape() else { return nil }
                    out += category
                    continue
                }
                guard let low = classChar() else { return nil }
                if peek() == "-", let after = peek(1), after != "]" {
                    pos += 1
                    guard let high = classChar(), low.scalar.value <= high.scalar.value else { return nil }
                    out += low.text + "-" + high.text
                } else {
                    out += low.text
                }
            }
        }

        /// CCchar: a literal class character or a SingleCharEsc.
        mutating func classChar() -> (scalar: Unicode.Scalar, text: String)? {
            guard let c = peek() else { return nil }
            switch c {
            case "-", "[", "]":
                return nil
            case "\\":
                pos += 1
                guard let e = peek() else { return nil }
                pos += 1
                switch e {
                case "n": return ("\n", "\\n")
                case "r": return ("\r", "\\r")
                case "t": return ("\t", "\\t")
                case "(", ")", "*", "+", "-", ".", "?", "[", "\\", "]", "^", "{", "|", "}":
                    return (e, literal(e))
                default:
                    return nil
                }
            default:
                pos += 1
                return (c, literal(c))
            }
        }

        func literal(_ c: Unicode.Scalar) -> String {
            let v = c.value
            if (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) {
                return String(Character(c))
            }
            return "\\x{" + String(v, radix: 16) + "}"
        }
    }
}
