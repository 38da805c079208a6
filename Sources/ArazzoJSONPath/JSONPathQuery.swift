public import ArazzoDiagnostics
public import ArazzoJSON

/// A compiled RFC 9535 JSONPath query, such as `$.store.book[?@.price < 10].title`.
///
/// Compile once with ``init(_:)`` and evaluate as often as needed: evaluation never re-parses the
/// text, and regular expressions given as literals to `match`/`search` are compiled once here.
public struct JSONPathQuery: Sendable, Hashable, CustomStringConvertible {
    /// The query text as given.
    public let text: String
    let ast: QueryAST

    /// Parses and type-checks `text` as an RFC 9535 JSONPath query.
    ///
    /// - Throws: ``JSONPathError`` naming the offending position when the text is not a well-formed
    ///   and well-typed query.
    public init(_ text: String) throws(JSONPathError) {
        var parser = JSONPathParser(text)
        self.ast = try parser.parseRootQuery()
        self.text = text
    }

    /// Whether the query can select at most one node (only name and index selectors in child
    /// segments), as RFC 9535 §2.3.5.1 defines a singular query.
    public var isSingular: Bool { ast.isSingular }

    /// The nodes the query selects from `root`, in RFC 9535 order, each with its normalized path.
    public func select(_ root: JSONValue) -> [JSONPathNode] {
        let evaluator = JSONPathEvaluator(root: root)
        return evaluator.evaluate(ast, current: root, trackPaths: true).map {
            JSONPathNode(value: $0.value, path: NormalizedPath.render($0.path))
        }
    }

    /// The values the query selects from `root`, in RFC 9535 order (cheaper than ``select(_:)``
    /// because no paths are built).
    public func values(_ root: JSONValue) -> [JSONValue] {
        let evaluator = JSONPathEvaluator(root: root)
        return evaluator.evaluate(ast, current: root, trackPaths: false).map(\.value)
    }

    /// Where the nodes the query selects from `root` are, as RFC 6901 JSON Pointers, in RFC 9535
    /// order (for writing at those places, e.g. an Arazzo 1.1 payload replacement target).
    public func selectPointers(_ root: JSONValue) -> [JSONPointer] {
        let evaluator = JSONPathEvaluator(root: root)
        return evaluator.evaluate(ast, current: root, trackPaths: true).map { JSONPointer(tokens: NormalizedPath.tokens($0.path)) }
    }

    /// The query text.
    public var description: String { text }

    /// Queries are equal when their texts are equal.
    public static func == (lhs: JSONPathQuery, rhs: JSONPathQuery) -> Bool { lhs.text == rhs.text }

    /// Hashes the query text.
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

/// One node selected by a JSONPath query: its value and where it is in the document.
public struct JSONPathNode: Sendable, Hashable {
    /// The selected value.
    public let value: JSONValue
    /// The normalized path of the node (RFC 9535 §2.7), for example `$['store']['book'][0]`.
    public let path: String
}

/// Why a JSONPath query text could not be compiled: the message and the character offset of the
/// problem in the query.
public typealias JSONPathError = SyntaxError
