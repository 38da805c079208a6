public import ArazzoDiagnostics
import ArazzoJSON

extension YAMLNode {
    /// The edit that replaces this scalar with one whose text is `newText`, written so that it
    /// stays a string and is valid YAML (and JSON, for a double-quoted scalar) where it stands.
    ///
    /// The original style is kept where it can hold the new text: a plain scalar stays plain when
    /// the new text reads back as the same string, otherwise it becomes single-quoted; quoted
    /// scalars keep their quotes; a block scalar becomes a double-quoted one (its line break is
    /// kept, so the next entry stays on its own line). Only the scalar's own characters change.
    public func replacingScalar(with newText: String) -> TextEdit {
        Self.scalarEdit(range: range, style: scalar?.style ?? .plain, newText: newText)
    }

    /// The edit that rewrites the scalar written with `style` over `range` so that its text is
    /// `newText` (see ``replacingScalar(with:)``); for callers that kept a scalar's range and style
    /// but not the node.
    public static func scalarEdit(range: SourceRange, style: ScalarStyle, newText: String) -> TextEdit {
        var written: String
        switch style {
        case .plain:
            written = isPlainSafe(newText) ? newText : singleQuoted(newText)
        case .singleQuoted:
            written = singleQuoted(newText)
        case .doubleQuoted:
            written = doubleQuoted(newText)
        case .literal, .folded:
            written = doubleQuoted(newText)
            // A block scalar ends at the start of the next line; the break it consumed is put back.
            if range.end.column == 1, range.end.line > range.start.line { written += "\n" }
        }
        return TextEdit(range: range, replacement: written)
    }

    /// `'text'` with inner quotes doubled.
    static func singleQuoted(_ text: String) -> String {
        if text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) { return doubleQuoted(text) }
        var out = "'"
        for character in text {
            out.append(character)
            if character == "'" { out.append("'") }
        }
        return out + "'"
    }

    /// `"text"` with JSON escapes: a JSON string literal is also a valid YAML double-quoted scalar.
    static func doubleQuoted(_ text: String) -> String {
        JSONValue.string(text).jsonText()
    }

    /// Whether `text` written plain reads back as the same string in any context (block or flow):
    /// no indicator at the start, no `: `, ` #`, flow indicators or breaks inside, and not a
    /// value the core schema would type (`true`, `null`, `12`, `1e3`).
    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) || first == " " || last == " " || last == ":" {
            // `-x`, `?x` and `:x` are plain-safe in block context, but not everywhere.
            return false
        }
        for scalar in text.unicodeScalars where scalar.value < 0x20 || ",[]{}".unicodeScalars.contains(scalar) {
            return false
        }
        // `: ` would start a mapping and ` #` a comment.
        let scalars = Array(text.unicodeScalars)
        for i in 0..<(scalars.count - 1) {
            if (scalars[i] == ":" && scalars[i + 1] == " ") || (scalars[i] == " " && scalars[i + 1] == "#") { return false }
        }
        if case .string = CoreSchema.resolve(text) { return true }
        return false
    }
}

extension YAMLNode {
    /// The edit that adds `key: value` (a string) as this mapping's first entry, written the way
    /// the mapping is: on a line of its own at the entries' indentation for a block mapping, right
    /// after `{` for a flow mapping, and with double-quoted key and value when the mapping's keys are
    /// quoted (JSON). Nil for anything but a non-empty mapping.
    public func insertingFirstEntry(key: String, value: String) -> TextEdit? {
        guard let first = mapping?.first else { return nil }
        let keyWidth = first.keyEnd.column - first.keyLocation.column
        let quotedKeys = first.keyEnd.line == first.keyLocation.line && keyWidth == first.key.unicodeScalars.count + 2
        let entry = quotedKeys
            ? Self.doubleQuoted(key) + ": " + Self.doubleQuoted(value)
            : key + ": " + (Self.isPlainSafe(value) ? value : Self.singleQuoted(value))
        if first.keyLocation == location {
            // Block mapping: the mapping starts at its first key.
            let indent = String(repeating: " ", count: max(0, location.column - 1))
            return TextEdit(range: SourceRange(at: location), replacement: entry + "\n" + indent)
        }
        // Flow mapping: the mapping starts at `{`.
        return TextEdit(range: SourceRange(at: location.advanced(byColumns: 1)), replacement: entry + ", ")
    }
}
