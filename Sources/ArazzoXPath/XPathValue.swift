/// The result of an XPath 1.0 expression.
public enum XPathValue: Sendable, Hashable {
    /// A node-set, as the string-values of its nodes in document order.
    case nodeSet([String])
    /// A boolean, e.g. from `boolean(…)` or a comparison.
    case boolean(Bool)
    /// A number (IEEE double, NaN included), e.g. from `count(…)`.
    case number(Double)
    /// A string, e.g. from `string(…)` or `concat(…)`.
    case string(String)

    /// The value converted by XPath 1.0's `boolean()` rules: a node-set is true when non-empty, a
    /// number when neither zero nor NaN, a string when non-empty.
    public var effectiveBooleanValue: Bool {
        switch self {
        case .nodeSet(let nodes): return !nodes.isEmpty
        case .boolean(let value): return value
        case .number(let value): return value != 0 && !value.isNaN
        case .string(let value): return !value.isEmpty
        }
    }
}

/// Why an XPath expression could not be compiled or evaluated.
public struct XPathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure, for callers that react differently to each.
    public enum Kind: String, Sendable {
        /// The XML text is not well-formed (or declares entities, which are refused).
        case malformedXML
        /// The expression is not valid XPath 1.0, or fails while being evaluated.
        case invalidExpression
        /// The expression uses a namespace prefix that is neither declared on the document
        /// element nor passed by the caller.
        case unknownPrefix
        /// The XML text is empty or only whitespace.
        case emptyDocument
        /// The requested XPath version is unknown, or the expression needs more than XPath 1.0.
        case unsupportedVersion
    }

    /// The class of failure.
    public let kind: Kind
    /// One line saying what went wrong, with libxml2's own wording and position where it has one.
    public let message: String

    /// The 0-based Unicode-scalar offset in the expression of what the error is about, when
    /// known (the version check knows it; libxml2's own errors are located in ``message``).
    public let offset: Int?

    /// Creates an error value.
    public init(kind: Kind, message: String, offset: Int? = nil) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    /// `kind: message`.
    public var description: String { "\(kind.rawValue): \(message)" }
}
