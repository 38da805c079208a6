import ArazzoDiagnostics
import ArazzoYAML

/// Unknown keys (issue 11): the letter of the spec allows only fixed fields and `x-` extensions,
/// but real documents carry typos and stray keys whose intent is evident. They are warnings; a
/// case-only difference is read as the field it spells, any other near miss is ignored (and a
/// REQUIRED field left missing by it is then an error that names the typo).
extension DecodingContext {
    mutating func unknownField(
        _ pair: YAMLNode.Pair, objectName: String, path: String, known: [String], written: Set<String>,
        pairs: inout [String: YAMLNode.Pair], misspelt: inout [String: String]
    ) {
        let pointer = path + "/" + JSONPointerText.escape(pair.key)
        var message = "unknown field `\(pair.key)` in \(objectName)"
        if newerFields[objectName]?.contains(pair.key) == true {
            // The field says the author meant 1.1 (decision V2): a warning, since the 1.0 reading
            // (field ignored) still has a meaning, with the fix-it that declares 1.1.
            message += " is ignored; `\(pair.key)` is an Arazzo 1.1 field, and this document is 1.0.x: declare `arazzo: 1.1.0` to use it"
            let fix = declare11.map { [$0] } ?? []
            warning(.unknownField, message, at: pair.keyLocation, path: pointer, range: pair.keyRange, fixIts: fix)
            return
        }
        guard let near = suggest(pair.key, among: known) else {
            message += " is ignored; allowed fields are \(listing(known)), or `x-` extensions"
            warning(.unknownField, message, at: pair.keyLocation, path: pointer, range: pair.keyRange)
            return
        }
        // Renaming onto a field that is also written would make a duplicate key; then the stray
        // key is only ignored. Likewise when an earlier near miss already claimed the field.
        let taken = written.contains(near) || pairs[near] != nil || misspelt[near] != nil
        let rename = taken ? [] : [Self.renameKey(pair, to: near)]
        if near.lowercased() == pair.key.lowercased(), !taken {
            // `operationID`, `SuccessCriteria`: field names are case-sensitive, but nothing else
            // could be meant, so the run reads it as that field.
            pairs[near] = pair
            message += " is read as `\(near)` (field names are case-sensitive); rename it"
        } else {
            if !taken { misspelt[near] = pair.key }
            message += " is ignored; did you mean `\(near)`?"
            if near == "successCriteria" {
                message += " Without `successCriteria` the step succeeds on any response, even an error status"
            }
        }
        warning(.unknownField, message, at: pair.keyLocation, path: pointer, range: pair.keyRange, fixIts: rename)
    }

    /// The fix-it that renames `pair`'s key, keeping it quoted when it was (JSON keys are).
    static func renameKey(_ pair: YAMLNode.Pair, to name: String) -> FixIt {
        let range = pair.keyRange
        let plainWidth = pair.key.unicodeScalars.count
        let isPlain = range.start.line == range.end.line && range.end.column - range.start.column == plainWidth
        return .replace(range, with: isPlain ? name : "\"\(name)\"", "rename `\(pair.key)` to `\(name)`")
    }

    /// A root `$schema` key (editors add it for JSON Schema validation): not an Arazzo field, so it
    /// is ignored. The fix-it deletes the whole entry: from its key to the next key, which takes
    /// the line(s) in block YAML and the separating comma in JSON or flow style; the last entry is
    /// deleted from the end of the previous value instead, taking the comma before it.
    mutating func schemaKey(_ pair: YAMLNode.Pair, in entries: [YAMLNode.Pair]) {
        let deletion = Self.entryDeletion(pair, in: entries)
        warning(
            .schemaKey,
            "`$schema` is not a field of an Arazzo Specification Object and is ignored (only fixed fields and `x-` extensions are allowed at the root); remove it",
            at: pair.keyLocation, path: "/" + JSONPointerText.escape(pair.key), range: pair.range,
            fixIts: [FixIt("remove the `$schema` entry", edits: [TextEdit(range: deletion, replacement: "")])])
    }

    /// The text to delete to remove `pair` from the mapping `entries`: from its key to the next
    /// key, which takes the line(s) in block YAML and the separating comma in JSON or flow style;
    /// the last entry is deleted from the end of the previous value instead, taking the comma
    /// before it.
    static func entryDeletion(_ pair: YAMLNode.Pair, in entries: [YAMLNode.Pair]) -> SourceRange {
        var deletion = pair.range
        if let index = entries.firstIndex(where: { $0.key == pair.key && $0.keyLocation == pair.keyLocation }) {
            if index + 1 < entries.count {
                deletion = SourceRange(from: pair.keyLocation, to: entries[index + 1].keyRange.start)
            } else if index > 0 {
                let previousEnd = entries[index - 1].value.end
                // A block value ends where the next token starts (this key); then only the
                // entry itself goes, and the line break before it stays.
                if previousEnd < pair.keyRange.start {
                    deletion = SourceRange(file: pair.keyLocation.file, start: previousEnd, end: pair.value.end)
                }
            }
        }
        return deletion
    }
}
