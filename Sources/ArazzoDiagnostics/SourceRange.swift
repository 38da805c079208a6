/// A line and column inside a file, without the file: the end of a ``SourceRange``.
///
/// Lines and columns are 1-based; columns count Unicode scalars, like ``SourceLocation``.
public struct SourcePosition: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The 1-based line.
    public var line: Int
    /// The 1-based column, in Unicode scalars.
    public var column: Int

    /// Creates a position.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }

    /// Orders by line, then column.
    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// A stretch of one file: from ``start`` (inclusive) to ``end`` (exclusive).
///
/// Ranges come from the parsed tree (libyaml's start and end marks), never from re-splitting the
/// text, so a fix-it edits exactly the bytes a node was written with.
public struct SourceRange: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file path or URL as the user named it.
    public var file: String
    /// The first character.
    public var start: SourcePosition
    /// Just past the last character.
    public var end: SourcePosition

    /// Creates a range; `end` before `start` is clamped to an empty range at `start`.
    public init(file: String, start: SourcePosition, end: SourcePosition) {
        self.file = file
        self.start = start
        self.end = end < start ? start : end
    }

    /// An empty range at `location` (an insertion point).
    public init(at location: SourceLocation) {
        self.init(file: location.file, start: location.position, end: location.position)
    }

    /// The range from `location` to `end` in the same file.
    public init(from location: SourceLocation, to end: SourcePosition) {
        self.init(file: location.file, start: location.position, end: end)
    }

    /// Where the range starts, as a location.
    public var startLocation: SourceLocation { SourceLocation(file: file, line: start.line, column: start.column) }

    /// Whether the range covers no character.
    public var isEmpty: Bool { start == end }

    /// `file:line:column-line:column`.
    public var description: String { "\(file):\(start)-\(end)" }
}

/// One change to a file's text: replace what ``range`` covers with ``replacement``.
public struct TextEdit: Sendable, Hashable, Codable {
    /// What to replace (empty: insert at its start).
    public var range: SourceRange
    /// The new text (empty: delete).
    public var replacement: String

    /// Creates an edit.
    public init(range: SourceRange, replacement: String) {
        self.range = range
        self.replacement = replacement
    }
}

/// A change that makes a diagnostic go away while keeping the document's evident meaning: what a
/// `fix` applies and what an editor offers.
public struct FixIt: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the change does, in a few words ("replace with `$response.body#/id`").
    public var message: String
    /// The edits, all in the diagnostic's file; they never overlap.
    public var edits: [TextEdit]

    /// Creates a fix-it.
    public init(_ message: String, edits: [TextEdit]) {
        self.message = message
        self.edits = edits
    }

    /// A fix-it of one edit.
    public static func replace(_ range: SourceRange, with replacement: String, _ message: String) -> FixIt {
        FixIt(message, edits: [TextEdit(range: range, replacement: replacement)])
    }

    /// The message.
    public var description: String { message }
}
