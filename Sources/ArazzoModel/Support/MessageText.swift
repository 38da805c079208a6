/// Document text quoted in a message (between backticks) is cut to this many characters, so a
/// hostile document with a megabyte id or key still gets a readable one-line message.
let maximumQuotedCharacters = 80

/// `message` with every backtick-quoted run longer than ``maximumQuotedCharacters`` cut to its
/// start and `…`. Unquoted parts stay whole (a `dependsOn` cycle lists every workflow on it).
func clippedMessage(_ message: String) -> String {
    // Messages are built from short texts unless they quote the document; most need no work.
    guard message.utf8.count > maximumQuotedCharacters else { return message }
    var out = String.UnicodeScalarView()
    var inside = false
    var run = 0
    for scalar in message.unicodeScalars {
        if scalar == "`" {
            inside.toggle()
            run = 0
        } else if inside {
            run += 1
            if run > maximumQuotedCharacters {
                if run == maximumQuotedCharacters + 1 { out.append("…") }
                continue
            }
        }
        out.append(scalar)
    }
    return String(out)
}
