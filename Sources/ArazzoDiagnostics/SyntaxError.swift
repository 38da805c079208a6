/// A pattern or query (a JSONPath query, an ECMA-262 regular expression) that does not follow its
/// grammar: what is wrong, and where in the text. Callers that know where the text itself stands
/// in a document turn ``offset`` into a column.
public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One line saying what is wrong at ``offset`` and, where possible, what to write instead.
    public let message: String
    /// The 0-based offset, in `Character`s, into the text where the problem is (0 for a problem
    /// with no single place, such as a flag string or a limit the platform engine enforces).
    public let offset: Int

    /// Creates an error.
    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// The message followed by the offset, on one line.
    public var description: String { "\(message) (at offset \(offset))" }
}
