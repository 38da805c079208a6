import ArazzoDiagnostics
import ArazzoYAML
import ArazzoJSON

/// RFC 3986 `URI-reference` syntax for `$self` and source description `url` (both schemas:
/// `format: uri-reference`).
extension DecodingContext {
    /// Warns when the string value of `key` holds characters a URI reference cannot hold (a
    /// space, `"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`, `}`, a control or non-ASCII character, a
    /// `%` not followed by two hex digits). The intent is evident, so it is a warning whose fix-it
    /// percent-encodes them (UTF-8), which is what a URI reader does with them anyway.
    mutating func checkURIReference(_ f: ObjectFields, _ key: String) {
        guard let pair = f.pairs[key], let scalar = pair.value.scalar, case .string(let text) = scalar.value else { return }
        let encoded = Self.percentEncodedURIReference(text)
        guard encoded != text else { return }
        let bad = text.unicodeScalars.first { !Self.isURIScalar($0) } ?? "%"
        let shown = bad == " " ? "a space" : "`\(bad.escaped(asASCII: true))`"
        var fixIts: [FixIt] = []
        if text.contains("\\") {
            // A Windows path (`specs\api.yaml`): encoding `\` would name another file; the
            // separator of a URI reference is `/`, which is for the author to write.
            warning(
                .uriReference,
                "`\(key)` must be a URI reference (RFC 3986), and `\\` is not allowed in one; write the path with `/` separators",
                at: pair.value.location, path: f.childPath(key), range: pair.value.range)
            return
        }
        switch scalar.style {
        case .plain, .singleQuoted, .doubleQuoted:
            // Quoted as written; a plain value that would start with `%` (a YAML directive sign)
            // gets single quotes.
            let quote = scalar.style == .doubleQuoted ? "\"" : scalar.style == .singleQuoted || encoded.hasPrefix("%") ? "'" : ""
            fixIts = [.replace(pair.value.range, with: quote + encoded + quote, "write `\(encoded)`")]
        default:
            break
        }
        warning(
            .uriReference,
            "`\(key)` must be a URI reference (RFC 3986), and \(shown) is not allowed in one; percent-encode it: `\(encoded)`",
            at: pair.value.location, path: f.childPath(key), range: pair.value.range, fixIts: fixIts)
    }

    /// Whether `s` may appear as itself in a URI reference (`%` is checked with what follows it).
    static func isURIScalar(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return "-._~:/?#[]@!$&'()*+,;=%".unicodeScalars.contains(s)
        }
    }

    /// `text` with every character a URI reference cannot hold percent-encoded (UTF-8 bytes), and
    /// every `%` not starting a `%XX` escape written `%25`.
    static func percentEncodedURIReference(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = ""
        for (i, s) in scalars.enumerated() {
            if s == "%" {
                let hex = { (k: Int) in k < scalars.count && scalars[k].properties.isASCIIHexDigit }
                out += hex(i + 1) && hex(i + 2) ? "%" : "%25"
            } else if isURIScalar(s) {
                out.unicodeScalars.append(s)
            } else {
                for byte in String(s).utf8 { out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2) }
            }
        }
        return out
    }
}

extension String {
    /// The text padded with leading zeros to `width`.
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
