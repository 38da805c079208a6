/// Appends `['name']`, the name escaped as in an RFC 9535 normalized path (§2.7): `'` and `\`
/// backslash-escaped, `\b \f \n \r \t` as such, other control characters as `\u00XX`. The one
/// writer of a bracketed member name, for JSONPath node paths and JSON Schema instance paths.
package func appendBracketedName(_ name: String, to out: inout String) {
    out += "['"
    for scalar in name.unicodeScalars {
        switch scalar {
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "'": out += "\\'"
        case "\\": out += "\\\\"
        default:
            if scalar.value < 0x20 {
                let h = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    out += "']"
}
