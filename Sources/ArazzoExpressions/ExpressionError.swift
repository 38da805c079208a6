public import ArazzoDiagnostics

/// A malformed runtime expression, template or `simple` condition, found while parsing.
///
/// `offset` counts Unicode scalars from the start of the parsed string (0-based), the same unit
/// as ``SourceLocation/column``, so a caller that knows where the string's first character sits
/// in the file gets the exact column with `location.advanced(byColumns: offset)`.
public struct ExpressionError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// One line saying what is wrong and, where possible, what to write instead.
    public var message: String
    /// The 0-based Unicode-scalar offset of the offending character in the parsed text.
    public var offset: Int
    /// A stable identifier for tests and tools (e.g. `expression-syntax`, `condition-syntax`).
    public var code: String
    /// The whole parsed string corrected, when the mistake has one evident correction.
    public var fix: ExpressionFix?

    /// Creates an error.
    public init(_ message: String, offset: Int, code: String = "expression-syntax") {
        self.message = message
        self.offset = offset
        self.code = code
    }

    /// `offset N: message`.
    public var description: String { "offset \(offset): \(message)" }

    /// The error as an ``ExpressionIssue`` of severity error.
    public var issue: ExpressionIssue {
        ExpressionIssue(.error, message, offset: offset, code: code, fix: fix)
    }
}

/// One problem found by a static check or by compiling a criterion: a diagnostic that is located
/// by an offset inside the checked string instead of a file position.
///
/// The caller knows where the string sits in the document and turns the issue into a located
/// ``Diagnostic`` with ``diagnostic(at:path:)`` or ``diagnostic(in:startingAt:path:)``.
public struct ExpressionIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Which field of a Criterion Object an issue belongs to, so the caller can point at the
    /// right scalar. Plain expression, template and condition checks use ``checked``.
    public enum Field: String, Sendable, Hashable, Codable {
        /// The string handed to the check (or the criterion's `condition`).
        case checked
        /// A criterion's `context`.
        case context
        /// A criterion's `type`.
        case type
        /// A criterion's (expression type object's) `version`.
        case version
    }

    /// How serious the issue is.
    public var severity: Diagnostic.Severity
    /// One line saying what is wrong and what to do about it.
    public var message: String
    /// The 0-based Unicode-scalar offset of the offending character in the checked string.
    public var offset: Int
    /// A stable rule identifier (e.g. `unknown-step`, `undeclared-output`).
    public var code: String
    /// The field the offset refers to.
    public var field: Field
    /// Further hints.
    public var notes: [String]
    /// The canonical text for the whole checked string, when the problem has one evident meaning
    /// (a fix-it: the caller turns it into an edit of the scalar the string was written in).
    public var fix: ExpressionFix?
    /// The replacement of one expression inside the checked string; the check that knows the
    /// whole string turns every rewrite of that string into ``fix`` (see ``withFixes(in:)``).
    var rewrite: Rewrite?

    enum CodingKeys: String, CodingKey {
        case severity, message, offset, code, field, notes, fix
    }

    /// Creates an issue.
    public init(
        _ severity: Diagnostic.Severity, _ message: String, offset: Int, code: String,
        field: Field = .checked, notes: [String] = [], fix: ExpressionFix? = nil
    ) {
        self.severity = severity
        self.message = message
        self.offset = offset
        self.code = code
        self.field = field
        self.notes = notes
        self.fix = fix
    }

    /// `severity at offset N: message`.
    public var description: String { "\(severity.rawValue) at offset \(offset): \(message)" }

    /// A diagnostic at `location` moved right by ``offset`` columns; pass the location of the
    /// string's first character (for a single-line plain or quoted scalar, the column after the
    /// opening quote).
    public func diagnostic(at location: SourceLocation?, path: String? = nil) -> Diagnostic {
        Diagnostic(
            severity, message, at: location?.advanced(byColumns: offset), path: path, code: code, notes: notes)
    }

    /// A diagnostic located inside multi-line `text` (e.g. a block scalar's content) whose first
    /// character is at `start`: lines after the first restart at column `continuationColumn`.
    public func diagnostic(
        in text: String, startingAt start: SourceLocation, continuationColumn: Int = 1, path: String? = nil
    ) -> Diagnostic {
        var line = start.line
        var column = start.column
        var index = 0
        for scalar in text.unicodeScalars {
            if index == offset { break }
            if scalar == "\n" {
                line += 1
                column = continuationColumn
            } else {
                column += 1
            }
            index += 1
        }
        return Diagnostic(
            severity, message, at: SourceLocation(file: start.file, line: line, column: column), path: path,
            code: code, notes: notes)
    }
}

/// One expression of a checked string to be written differently: `length` scalars from `offset`.
struct Rewrite: Sendable, Hashable {
    var offset: Int
    var length: Int
    var text: String
}

extension Array where Element == ExpressionIssue {
    /// The issues with every rewrite applied to `text` at once: each issue that carries a rewrite
    /// gets the whole canonical string as its fix, so fixing any of them fixes all (identical
    /// edits of one scalar are applied once).
    func withFixes(in text: String) -> [ExpressionIssue] {
        let rewrites = compactMap(\.rewrite)
        guard !rewrites.isEmpty else { return self }
        let s = [Unicode.Scalar](text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        // Of two rewrites of one expression the later (more complete) one wins.
        var chosen: [Int: Rewrite] = [:]
        for r in rewrites where r.offset >= 0 && r.offset + r.length <= s.count { chosen[r.offset] = r }
        for r in chosen.values.sorted(by: { $0.offset < $1.offset }) where r.offset >= i {
            out.append(contentsOf: s[i..<r.offset])
            out.append(contentsOf: r.text.unicodeScalars)
            i = r.offset + r.length
        }
        out.append(contentsOf: s[i...])
        let whole = String(out)
        return map { issue in
            guard let rewrite = issue.rewrite else { return issue }
            var fixed = issue
            // The rewrite stays, so a caller that adds more issues of the same string recomputes.
            fixed.fix = ExpressionFix("write `\(rewrite.text)`", text: whole)
            return fixed
        }
    }
}

/// The canonical form of a checked string whose problem has one evident meaning: what the run
/// uses, and what `fix` writes in its place.
public struct ExpressionFix: Sendable, Hashable, Codable {
    /// What the change does ("write `$response.body#/id`").
    public var message: String
    /// The whole string as it should be written.
    public var text: String

    /// Creates a fix.
    public init(_ message: String, text: String) {
        self.message = message
        self.text = text
    }
}
