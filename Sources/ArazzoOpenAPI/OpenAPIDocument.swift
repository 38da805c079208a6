public import ArazzoJSON
public import ArazzoDiagnostics
package import ArazzoYAML
import ArazzoExecutor

public import OrderedCollections

/// An OpenAPI 3.0.x / 3.1.x (or Swagger 2.0) description loaded as a source description: its
/// operations indexed by `operationId` and by JSON-pointer path, with `$ref`s resolved.
///
/// A Swagger 2.0 description is converted to the OpenAPI 3.0 shape when it is loaded
/// (docs/swagger2.md), so every view below reads the same for both; `version` tells them apart.
///
/// The raw tree is kept (as JSON values plus the located YAML nodes for diagnostics); the
/// engine reads the few objects it needs (operations, parameters, request bodies, responses,
/// servers, security) into the small typed views below.
public struct OpenAPIDocument: Sendable {
    /// The absolute file path or URL the description was loaded from.
    public let url: String
    /// The `openapi` version string (`3.0.3`, `3.1.0`, ...), or `2.0` for a Swagger 2.0 description.
    public let version: String
    /// Every operation under `paths`, in document order.
    public let operations: [OpenAPIOperation]
    /// The `components.securitySchemes`, by name (references resolved).
    public let securitySchemes: [String: SecurityScheme]
    /// The document-level `security` requirement (nil when absent).
    public let security: [SecurityRequirement]?
    /// The document-level servers (variables substituted with their defaults).
    public let servers: [String]
    /// Whether any `security` requirement appears (document level or on any operation).
    public var declaresSecurityRequirements: Bool {
        security != nil || operations.contains { $0.security != nil }
    }

    /// The whole document as a JSON value, external `$ref`s rewritten to absolute references
    /// (for Swagger 2.0: the converted tree, which keeps `definitions`, `parameters` and `responses`).
    package let root: JSONValue
    /// The located tree, for pointing diagnostics at operations.
    package let node: YAMLNode?
    /// Other documents reached through relative-file `$ref`s, keyed by absolute URL.
    package let externals: [String: JSONValue]
    let operationIndex: [String: Int]
    let pointerIndex: [String: Int]

    /// Finds an operation by its `operationId` (exact match).
    public func operation(id: String) -> OpenAPIOperation? {
        operationIndex[id].map { operations[$0] }
    }

    /// Finds an operation by the JSON pointer of its Operation Object (`/paths/~1pets/get`).
    public func operation(pointer: String) -> OpenAPIOperation? {
        pointerIndex[pointer].map { operations[$0] }
    }

    /// The value a `$ref` names: `#/...` inside this document, or an absolute `url#/...` in a
    /// document reached through an external reference. Nil when it does not resolve.
    public func resolveReference(_ reference: String) -> JSONValue? {
        let (document, fragment) = URLReference.splitFragment(reference)
        let target: JSONValue?
        if document.isEmpty || document == url {
            target = root
        } else {
            target = externals[document]
        }
        guard let target else { return nil }
        let pointerText = percentDecoded(fragment ?? "")
        guard let pointer = try? JSONPointer(parsing: pointerText) else { return nil }
        return try? pointer.resolve(in: target)
    }

    /// Follows `$ref` chains (bounded) until a value that is not a reference.
    package func dereference(_ value: JSONValue) -> JSONValue {
        Self.dereference(value, resolve: resolveReference)
    }

    /// Follows `$ref` chains with `resolve` until a value that is not a reference, a reference
    /// `resolve` cannot follow, or 32 hops (a cycle stops there, never loops). The mock's schema
    /// sampler uses it for AsyncAPI descriptions too.
    package static func dereference(_ value: JSONValue, resolve: (String) -> JSONValue?) -> JSONValue {
        var current = value
        var hops = 0
        while case .object(let members) = current, case .string(let ref)? = members["$ref"], hops < 32 {
            guard let next = resolve(ref) else { return current }
            current = next
            hops += 1
        }
        return current
    }

    /// The source location of the node at `pointer` (best effort: the deepest node reached).
    package func location(ofPointer tokens: [String]) -> SourceLocation? {
        guard var current = node else { return nil }
        for token in tokens {
            if let next = current[token] {
                current = next
            } else if let index = Int(token), let items = current.sequence, index >= 0, index < items.count {
                current = items[index]
            } else {
                break
            }
        }
        return current.location
    }
}

/// One Operation Object, with what the engine needs to build and check requests.
public struct OpenAPIOperation: Sendable {
    /// The `operationId`, if the operation has one.
    public let operationId: String?
    /// The HTTP method in upper case.
    public let method: String
    /// The path template (`/pets/{petId}`).
    public let path: String
    /// The JSON pointer of the Operation Object (`/paths/~1pets~1{petId}/get`).
    public let pointer: String
    /// Path-item and operation parameters merged (the operation's win by name+in), refs resolved.
    public let parameters: [OpenAPIParameter]
    /// The request body, if declared.
    public let requestBody: OpenAPIRequestBody?
    /// The responses in document order (`200`, `4XX`, `default`, ...).
    public let responses: [OpenAPIResponse]
    /// The operation's own `security` (nil: inherit the document's; empty: no security).
    public let security: [SecurityRequirement]?
    /// The servers in effect: the operation's, else the path item's, else the document's,
    /// variables substituted with defaults, relative URLs resolved against the document URL.
    public let servers: [String]
    /// Where the Operation Object is written, when known.
    public let location: SourceLocation?

    /// The declared parameter for a name and location (header names compare case-insensitively).
    public func parameter(named name: String, in location: ParameterSerialization.Location) -> OpenAPIParameter? {
        if location == .header {
            return parameters.first { $0.location == .header && HeaderFields.namesMatch($0.name, name) }
        }
        return parameters.first { $0.location == location && $0.name == name }
    }

    /// A short label for messages: the operationId, else `METHOD path`.
    public var label: String { operationId ?? "\(method) \(path)" }
}

/// One Parameter Object of an operation.
public struct OpenAPIParameter: Sendable, Hashable {
    /// The name (case-sensitive except for headers).
    public let name: String
    /// The location (`in`).
    public let location: ParameterSerialization.Location
    /// Whether the parameter is required (path parameters always are).
    public let required: Bool
    /// How values are serialized (defaults per location applied).
    public let serialization: ParameterSerialization
    /// The schema, if given (refs inside it are left for the resolver).
    public let schema: JSONValue?
    /// The media type when the parameter uses `content` instead of `schema`.
    public let contentType: String?
}

/// A Request Body Object.
public struct OpenAPIRequestBody: Sendable, Hashable {
    /// Whether the operation requires a body.
    public let required: Bool
    /// The media types in document order.
    public let content: [OpenAPIMediaType]
}

/// A Response Object.
public struct OpenAPIResponse: Sendable, Hashable {
    /// The status key as written (`200`, `2XX`, `default`).
    public let status: String
    /// The media types in document order.
    public let content: [OpenAPIMediaType]
    /// The declared header names.
    public let headers: [String: JSONValue]
}

/// A Media Type Object.
public struct OpenAPIMediaType: Sendable, Hashable {
    /// The media type or range (`application/json`).
    public let mediaType: String
    /// The schema, if any.
    public let schema: JSONValue?
    /// `example`, or the first of `examples` (its `value`), if given.
    public let example: JSONValue?
    /// The `encoding` map (property name → Encoding Object), used for form bodies.
    public let encoding: JSONObject
}

/// A Security Scheme Object.
public struct SecurityScheme: Sendable, Hashable {
    /// The scheme kinds the engine understands.
    public enum Kind: Sendable, Hashable {
        /// `type: http` with `scheme` (`basic`, `bearer`, ...).
        case http(scheme: String)
        /// `type: apiKey`: a key in a header, query parameter or cookie.
        case apiKey(name: String, location: ParameterSerialization.Location)
        /// `type: oauth2`; the client-credentials token URL when that flow is declared.
        case oauth2(tokenURL: String?, scopes: [String])
        /// `openIdConnect`: the discovery document's URL (`openIdConnectUrl`).
        case openIdConnect(url: String)
        /// `mutualTLS` or anything else: not applied by the engine.
        case unsupported(type: String)
    }

    /// One flow of an `oauth2` scheme (`flows.authorizationCode`, …).
    public struct OAuthFlow: Sendable, Hashable {
        /// `authorizationUrl` (authorizationCode and implicit flows).
        public var authorizationURL: String?
        /// `tokenUrl` (every flow but implicit).
        public var tokenURL: String?
        /// `refreshUrl`, when it differs from the token URL.
        public var refreshURL: String?
        /// The scope names the flow declares.
        public var scopes: [String]

        /// Creates a flow.
        public init(authorizationURL: String? = nil, tokenURL: String? = nil, refreshURL: String? = nil, scopes: [String] = []) {
            self.authorizationURL = authorizationURL
            self.tokenURL = tokenURL
            self.refreshURL = refreshURL
            self.scopes = scopes
        }
    }

    /// The scheme's name in `components.securitySchemes`.
    public let name: String
    /// What kind of scheme.
    public let kind: Kind
    /// For `type: oauth2`: every declared flow by its name (`clientCredentials`,
    /// `authorizationCode`, `implicit`, `password`); empty otherwise.
    public var flows: [String: OAuthFlow] = [:]

    /// Creates a scheme.
    public init(name: String, kind: Kind, flows: [String: OAuthFlow] = [:]) {
        self.name = name
        self.kind = kind
        self.flows = flows
    }
}

/// One alternative of a `security` list: every named scheme must be satisfied.
public struct SecurityRequirement: Sendable, Hashable {
    /// Scheme name → required scopes, in document order.
    public let schemes: [Scheme]

    /// One scheme of a requirement.
    public struct Scheme: Sendable, Hashable {
        /// The scheme name.
        public let name: String
        /// Scopes (for oauth2).
        public let scopes: [String]
    }
}
