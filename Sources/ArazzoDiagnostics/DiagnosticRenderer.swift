/// Renders diagnostics for people (compiler style, with the source line and a caret) or for
/// tools (one JSON object per diagnostic).
public struct DiagnosticRenderer: Sendable {
    /// Whether to colour severities with ANSI escapes (only on a terminal).
    public var colored: Bool
    /// The text of each file by path, for the source-line snippets; files not here get no snippet.
    public var sources: [String: String]

    /// Creates a renderer.
    public init(colored: Bool = false, sources: [String: String] = [:]) {
        self.colored = colored
        self.sources = sources
    }

    /// Renders one diagnostic:
    ///
    /// ```
    /// doc.yaml:12:7: error: unknown field `operationID`; did you mean `operationId`?
    ///    12 |     operationID: getPet
    ///       |     ^
    /// ```
    public func render(_ diagnostic: Diagnostic) -> String {
        var out = ""
        if let location = diagnostic.location { out += "\(location): " }
        out += paint(diagnostic.severity)
        out += ": " + diagnostic.message
        if let location = diagnostic.location, let snippet = snippet(at: location) {
            out += "\n" + snippet
        }
        for note in diagnostic.notes {
            out += "\n" + (colored ? "\u{1B}[1;36mnote\u{1B}[0m" : "note") + ": " + note
        }
        for fixIt in diagnostic.fixIts {
            out += "\n" + (colored ? "\u{1B}[1;32mfix-it\u{1B}[0m" : "fix-it") + ": " + fixIt.message
        }
        return out
    }

    /// Renders several diagnostics, one block each, separated by newlines.
    public func render(_ diagnostics: some Sequence<Diagnostic>) -> String {
        diagnostics.map(render).joined(separator: "\n")
    }

    private func paint(_ severity: Diagnostic.Severity) -> String {
        guard colored else { return severity.rawValue }
        switch severity {
        case .error: return "\u{1B}[1;31merror\u{1B}[0m"
        case .warning: return "\u{1B}[1;33mwarning\u{1B}[0m"
        case .note: return "\u{1B}[1;36mnote\u{1B}[0m"
        }
    }

    /// The widest source line a snippet shows, in Unicode scalars; longer lines are cut to a
    /// window around the caret with `…` on the cut sides (a 40 KB line would otherwise be printed
    /// whole under every message on it).
    static let snippetWidth = 120

    /// The source line with a caret under the column; nil when the text or line is unknown.
    func snippet(at location: SourceLocation) -> String? {
        guard let text = sources[location.file], location.line >= 1,
              let line = Self.line(location.line, of: text)
        else { return nil }
        let scalars = Array(line.unicodeScalars)
        let caret = max(0, min(location.column - 1, scalars.count))
        var start = 0
        var end = scalars.count
        if scalars.count > Self.snippetWidth {
            start = max(0, min(caret - Self.snippetWidth / 2, scalars.count - Self.snippetWidth))
            end = start + Self.snippetWidth
        }
        var shown = String.UnicodeScalarView()
        shown.append(contentsOf: scalars[start..<end])
        let gutter = String(location.line)
        let pad = String(repeating: " ", count: gutter.count)
        // Tabs before the caret are copied so the caret lines up under the character.
        let lead = (start > 0 ? " " : "") + scalars[start..<caret].map { $0 == "\t" ? "\t" : " " }.joined()
        let body = (start > 0 ? "…" : "") + String(shown) + (end < scalars.count ? "…" : "")
        return " \(gutter) | \(body)\n \(pad) | \(lead)^"
    }

    /// Line `number` (1-based) of `text`, without its break. Breaks are LF, CRLF and a lone CR,
    /// as in YAML (whose line numbers the locations use), so files written on Windows or classic
    /// Mac OS get their snippets too.
    static func line(_ number: Int, of text: String) -> Substring? {
        let utf8 = text.utf8
        var current = 1
        var lineStart = utf8.startIndex
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                if current == number { return text[lineStart..<index] }
                var next = utf8.index(after: index)
                if byte == UInt8(ascii: "\r"), next != utf8.endIndex, utf8[next] == UInt8(ascii: "\n") {
                    next = utf8.index(after: next)
                }
                current += 1
                lineStart = next
                index = next
            } else {
                index = utf8.index(after: index)
            }
        }
        return current == number ? text[lineStart..<utf8.endIndex] : nil
    }
}
