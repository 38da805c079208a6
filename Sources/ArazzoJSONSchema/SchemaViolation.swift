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
    /// (e.g. `expected string, found integer 123`). Instance text in it is shortened (long
    /// strings and containers end in `…`), so a message stays readable whatever the value.
    public let message: String
    /// The same location as `instancePath` as an RFC 6901 JSON Pointer into the instance, e.g.
    /// `/items/3/price`; empty for the instance itself.
    public let instancePointer: String
    /// The keyword location: the JSON Pointer of the failing keyword along the path evaluation
    /// took, through `$ref`s (e.g. `/properties/items/items/$ref/properties/price/type`); empty
    /// when not known (a violation created without one).
    public let schemaPath: String

    /// Creates a violation; without `instancePointer` and `schemaPath` only ``instancePath`` locates it.
    public init(
        instancePath: String, keyword: String, message: String, instancePointer: String = "", schemaPath: String = ""
    ) {
        self.instancePath = instancePath
        self.keyword = keyword
        self.message = message
        self.instancePointer = instancePointer
        self.schemaPath = schemaPath
    }

    private enum CodingKeys: String, CodingKey {
        case instancePath, keyword, message, instancePointer, schemaPath
    }

    /// Decodes a violation; `instancePointer` and `schemaPath` may be absent (the older form).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        instancePath = try container.decode(String.self, forKey: .instancePath)
        keyword = try container.decode(String.self, forKey: .keyword)
        message = try container.decode(String.self, forKey: .message)
        instancePointer = try container.decodeIfPresent(String.self, forKey: .instancePointer) ?? ""
        schemaPath = try container.decodeIfPresent(String.self, forKey: .schemaPath) ?? ""
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

    /// `schemaPath: message`.
    public var description: String { "\(schemaPath): \(message)" }
}
