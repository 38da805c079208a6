public import OrderedCollections
public import ArazzoJSON
public import ArazzoYAML
public import ArazzoDiagnostics

/// A string field that holds (or may hold) a runtime expression, kept as raw text with its place.
///
/// The model does not parse runtime expressions; the expression layer does, at validation time.
/// Every field the spec types as `{expression}` (criterion `context`, `condition`, Reusable
/// `reference`, `outputs` values) or that names a workflow, operation or step through the
/// `$sourceDescriptions.<name>.<id>` form is an `ExpressionString`, so one walk over the AST finds
/// them all (see ``ArazzoSpecification/expressionFields``).
public struct ExpressionString: Sendable, Hashable, CustomStringConvertible {
    /// The text as written (after YAML unquoting).
    public let text: String
    /// Where the scalar starts (its opening quote for quoted scalars).
    public let location: SourceLocation

    /// The raw text.
    public var description: String { text }

    /// For `$sourceDescriptions.<name>.<rest>`: the source name and everything after the next dot
    /// (an operationId may itself contain dots); nil for any other text.
    public var sourceDescriptionReference: (source: String, name: String)? {
        Self.sourceQualifiedName(text)
    }

    /// `$sourceDescriptions.<source>.<name>` split into the source name (up to the next dot) and
    /// the whole rest (an operationId or workflowId may itself contain dots): the one reader of
    /// source-qualified names. Nil unless the text has that prefix and both parts are non-empty.
    public static func sourceQualifiedName(_ text: some StringProtocol) -> (source: String, name: String)? {
        let prefix = "$sourceDescriptions."
        guard text.hasPrefix(prefix) else { return nil }
        let rest = text.dropFirst(prefix.count)
        guard let dot = rest.firstIndex(of: "."), dot != rest.startIndex else { return nil }
        let name = rest[rest.index(after: dot)...]
        guard !name.isEmpty else { return nil }
        return (String(rest[..<dot]), String(name))
    }
}

/// A value of spec type `Any` (payloads, parameter values, replacement values, JSON Schemas):
/// the located YAML node, so positions inside the value stay available, and its JSON value.
public struct LocatedValue: Sendable, Hashable {
    /// The node as parsed, with locations of every nested value.
    public let node: YAMLNode
    /// The same content as a JSON value (computed once, at decoding).
    public let value: JSONValue

    /// Wraps a node.
    public init(node: YAMLNode) {
        self.node = node
        self.value = node.jsonValue
    }

    /// Where the value starts.
    public var location: SourceLocation { node.location }

    /// The string, when the value is a string scalar (a candidate runtime expression or template).
    public var string: String? {
        if case .string(let s) = value { return s }
        return nil
    }
}

/// The `x-*` specification extensions of one object, in document order, with their places.
public struct Extensions: Sendable, Hashable {
    /// Extension values by field name (`x-…`).
    public let values: JSONObject
    /// Where each extension's value starts, by field name.
    public let locations: [String: SourceLocation]

    /// Creates an extension set.
    public init(values: JSONObject = [:], locations: [String: SourceLocation] = [:]) {
        self.values = values
        self.locations = locations
    }

    /// No extensions.
    public static let none = Extensions()

    /// The value of extension `name`, if present.
    public subscript(name: String) -> JSONValue? { values[name] }

    /// Whether there are none.
    public var isEmpty: Bool { values.isEmpty }
}

/// An entry of a `parameters`, `successActions`/`onSuccess` or `failureActions`/`onFailure` list:
/// either the object written inline or a ``ReusableObject`` that points at a component.
public enum OrReusable<Object: Sendable & Hashable>: Sendable, Hashable {
    /// The object written in place.
    case object(Object)
    /// A `reference: $components.<kind>.<key>` entry (with an optional `value` for parameters).
    case reusable(ReusableObject)

    /// The inline object, if this is one.
    public var object: Object? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The reference, if this is one.
    public var reusable: ReusableObject? {
        if case .reusable(let r) = self { return r }
        return nil
    }
}
