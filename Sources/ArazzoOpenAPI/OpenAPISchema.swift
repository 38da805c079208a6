public import ArazzoJSON

/// Which line of the OpenAPI specification a description belongs to, and so which JSON Schema
/// dialect its schemas are written in.
public enum OpenAPIVersion: Sendable, Hashable {
    /// Swagger 2.0, converted to the 3.0 shape on load (docs/swagger2.md); its schemas are the
    /// Swagger subset of JSON Schema draft 4, read like 3.0's.
    case swagger2
    /// OpenAPI 3.0.x: an extended subset of JSON Schema draft 4/5 (`nullable`, boolean
    /// `exclusiveMinimum`, no `type` arrays).
    case openAPI30
    /// OpenAPI 3.1.x: JSON Schema 2020-12. Descriptions declaring another 3.x or later version
    /// are read as 3.1 (the loader warns).
    case openAPI31
}

/// A schema taken from a description together with what compiling it needs: the description
/// that its `$ref`s resolve in (external documents included) and the description's version.
///
/// Every `$ref` in a loaded description is either `#…` (into the entry document) or an absolute
/// `url#…` (into a document loaded with it), so ``resolveReference(_:)`` alone resolves any
/// reference the schema holds, at any depth; it fits `JSONSchema(_:resolveRef:)` as is.
public struct OpenAPISchema: Sendable {
    /// The schema as written (references not expanded).
    public let schema: JSONValue
    /// The description the schema belongs to.
    public let document: OpenAPIDocument
    /// The description's version, which decides the schema dialect.
    public var version: OpenAPIVersion { document.openAPIVersion }

    /// Wraps a schema of `document`.
    public init(schema: JSONValue, document: OpenAPIDocument) {
        self.schema = schema
        self.document = document
    }

    /// The value a `$ref` of the schema names; nil when it does not resolve.
    public func resolveReference(_ reference: String) -> JSONValue? {
        document.resolveReference(reference)
    }
}

extension OpenAPIDocument {
    /// The version line of the description (``version`` holds the text as written).
    public var openAPIVersion: OpenAPIVersion {
        if version == "2.0" { return .swagger2 }
        if version.hasPrefix("3.0") { return .openAPI30 }
        return .openAPI31
    }

    /// A parameter's schema (from `schema`, or from its `content` media type), nil when it has none.
    public func schema(of parameter: OpenAPIParameter) -> OpenAPISchema? {
        parameter.schema.map { OpenAPISchema(schema: $0, document: self) }
    }

    /// A media type's schema (of a request body or a response), nil when it has none.
    public func schema(of mediaType: OpenAPIMediaType) -> OpenAPISchema? {
        mediaType.schema.map { OpenAPISchema(schema: $0, document: self) }
    }

    /// The schema of the request body of `operation` for `mediaType` (the most specific declared
    /// media type it falls under, parameters and case aside), nil when the operation declares no
    /// such body or it has no schema.
    public func requestBodySchema(of operation: OpenAPIOperation, mediaType: String) -> OpenAPISchema? {
        operation.requestBody.flatMap { OpenAPIMediaType.bestMatch(mediaType, in: $0.content) }.flatMap(schema(of:))
    }

    /// The schema of the response of `operation` with the status key `status` as written
    /// (`200`, `2XX`, `default`) for `mediaType`, nil when there is none.
    public func responseSchema(of operation: OpenAPIOperation, status: String, mediaType: String) -> OpenAPISchema? {
        operation.responses.first { $0.status == status }
            .flatMap { OpenAPIMediaType.bestMatch(mediaType, in: $0.content) }
            .flatMap(schema(of:))
    }
}
