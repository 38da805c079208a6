#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Foundation

/// A document `fix` and `upgrade` rewrite in place: its text without a byte-order mark (libyaml
/// does not count one as a column) and whether it had one, so the write puts it back.
struct EditableFile {
    /// The text as decoded, byte-order mark removed.
    var text: String
    /// Whether the file began with a UTF-8 byte-order mark.
    var hasByteOrderMark: Bool

    /// `text` as the file holds it: the byte-order mark first when the file had one.
    func original(_ text: String) -> String { (hasByteOrderMark ? "\u{FEFF}" : "") + text }

    /// Reads `path`, or prints why it cannot (no such file, a directory, not UTF-8) naming `file`
    /// as the user wrote it, and returns nil. The mark is looked for in the bytes: decoding may
    /// drop it silently.
    static func read(_ file: String, at path: String, context: CLIContext) -> EditableFile? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            context.stderr.line("error: cannot read \(file): no such file")
            return nil
        }
        guard !isDirectory.boolValue else {
            context.stderr.line("error: cannot read \(file): it is a directory; name the Arazzo document in it")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            context.stderr.line("error: cannot read \(file): permission denied or not a regular file")
            return nil
        }
        let bom = data.starts(with: [0xEF, 0xBB, 0xBF])
        guard let text = String(data: bom ? data.dropFirst(3) : data, encoding: .utf8) else {
            context.stderr.line("error: cannot read \(file): it is not UTF-8 text")
            return nil
        }
        return EditableFile(text: text, hasByteOrderMark: bom)
    }
}
#endif
