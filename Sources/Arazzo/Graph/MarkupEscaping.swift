/// The one escaper of text placed in XML or HTML: the graph's SVG, the HTML run report and the
/// JUnit report all write through it, so a step id or a response body can never open markup in any
/// of them (decision GR6).
package enum Markup {
    /// `text` safe as element content and as a quoted attribute value in XML 1.0 and HTML: `& < > " '`
    /// as references; tab, line feed and carriage return kept; every other control character, DEL
    /// and the non-characters U+FFFE/U+FFFF (which XML forbids even as references) as U+FFFD.
    package static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0xFFFE...0xFFFF).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
