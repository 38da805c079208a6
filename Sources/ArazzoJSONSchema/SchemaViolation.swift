/// One way an instance fails its schema.
///
/// `instancePath` is a JSONPath-like location: `$` is the instance itself, `.name` a member whose name
/// is an identifier (`[A-Za-z_][A-Za-z0-9_]*`), `['other name']` any other member (with `'` and `\`
/// escaped by `\`), and `[3]` an array element. A missing `required` property is reported at the path
/// the property would have (`$.code`), because that is what a user has to supply.
public struct SchemaViolation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where in the instance the problem is, e.g. `$.user.age` or `$.tags[2]`.
    public let instancePath: String
    /// The JSON Schema keyword that failed (`type`, `required`, `oneOf`, …); `false` for a `false`
    /// schema, and `maxEvaluationDepth` or `maxEvaluationSteps` when validation hit a limit in
    /// `JSONSchema.Options` and stopped (the value is then not known to be valid).
    public let keyword: String
    /// One line saying what is wrong and what was expected, without the path
    /// (e.g. `expected string, found integer 123`).
    public let message: String

    /// Creates a violation.
    public init(instancePath: String, keyword: String, message: String) {
        self.instancePath = instancePath
        self.keyword = keyword
        self.message = message
    }

    /// `path: message`, e.g. `$.code: expected string, found integer 123`.
    public var description: String { "\(instancePath): \(message)" }
}

/// Why a schema could not be compiled: a keyword with a malformed value, an invalid `pattern`, or a
/// `$ref` that does not resolve.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One line naming the problem and what to write instead.
    public let message: String
    /// Where in the schema the problem is: `#` plus a JSON pointer (`#/properties/age/minimum`); for
    /// schemas reached through the resolution hook, the `$ref` string plus a pointer inside it.
    public let schemaPath: String

    /// Creates a schema error.
    public init(message: String, schemaPath: String) {
        self.message = message
        self.schemaPath = schemaPath
    }

    /// `schemaPath: message`.
    public var description: String { "\(schemaPath): \(message)" }
}
