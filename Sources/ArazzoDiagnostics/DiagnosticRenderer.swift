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

    /// The source line with a caret under the column; nil when the text or line is unknown.
    func snippet(at location: SourceLocation) -> String? {
        guard let text = sources[location.file], location.line >= 1 else { return nil }
        var lineNumber = 1
        var found: Substring?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if lineNumber == location.line {
                found = line
                break
            }
            lineNumber += 1
        }
        guard var line = found else { return nil }
        if line.hasSuffix("\r") { line = line.dropLast() }
        let gutter = String(location.line)
        let pad = String(repeating: " ", count: gutter.count)
        // Tabs before the caret are copied so the caret lines up under the character.
        let lead = line.unicodeScalars.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        return " \(gutter) | \(line)\n \(pad) | \(lead)^"
    }
}
