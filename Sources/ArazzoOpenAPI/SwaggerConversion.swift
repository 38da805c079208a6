import ArazzoJSON
import ArazzoDiagnostics
import ArazzoYAML
import Foundation
import OrderedCollections

/// Rewrites a Swagger 2.0 description into the OpenAPI 3.0 shape ``OpenAPIReader`` reads, so the
/// request builder, security applier and mock executor serve both versions unchanged.
///
/// What is converted (docs/swagger2.md):
/// - `host` / `basePath` / `schemes` → `servers` (and an operation's own `schemes` → its servers);
/// - non-body parameters → parameters with a `schema`, `collectionFormat` → `style` / `explode`;
/// - `in: body` → `requestBody`; `in: formData` → a form or multipart `requestBody` (per `consumes`);
/// - responses' `schema` / `examples` → `content` per `produces`; response headers → header schemas;
/// - `securityDefinitions` → `components.securitySchemes`.
///
/// Operation pointers (`/paths/~1pets/get`) are the same in both shapes, so operation paths and
/// source locations keep working against the original tree. `definitions`, `parameters` and
/// `responses` stay at the top level, so `#/definitions/...` references inside schemas resolve.
/// Every problem is located in the original document.
enum SwaggerConversion {
    /// The OpenAPI 3 fields that have no place in a Swagger 2.0 document, by where they appear,
    /// with what Swagger 2.0 uses instead.
    private static let documentOnly: [(String, String)] = [
        ("servers", "use host, basePath and schemes"),
        ("components", "use definitions, parameters, responses and securityDefinitions"),
        ("webhooks", "Swagger 2.0 has no webhooks"),
        ("jsonSchemaDialect", "Swagger 2.0 schemas are a fixed JSON Schema subset"),
    ]
    private static let operationOnly: [(String, String)] = [
        ("requestBody", "declare the body as a parameter with in: body (or in: formData fields)"),
        ("servers", "use schemes on the operation, or host/basePath on the document"),
        ("callbacks", "Swagger 2.0 has no callbacks"),
    ]
    private static let parameterOnly: [(String, String)] = [
        ("style", "use collectionFormat (csv, ssv, tsv, pipes, multi)"),
        ("explode", "use collectionFormat: multi for repeated values"),
        ("content", "use type (non-body) or schema (in: body)"),
        ("allowReserved", "Swagger 2.0 always percent-encodes"),
    ]
    private static let responseOnly: [(String, String)] = [
        ("content", "use schema and examples, with the media types from produces"),
        ("links", "Swagger 2.0 has no links"),
    ]
    /// The schema keywords a Swagger 2.0 non-body parameter (or Items / Header object) shares
    /// with JSON Schema; they move into the 3.0 `schema` as they are.
    private static let schemaKeywords = [
        "format", "default", "enum", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf",
    ]

    /// Whether `root` should be read as Swagger (it names a `swagger` or `swaggerVersion` field and
    /// no `openapi` field).
    static func isSwagger(_ root: JSONValue) -> Bool {
        root["openapi"] == nil && (root["swagger"] != nil || root["swaggerVersion"] != nil)
    }

    /// Converts the document. `root` already has its external `$ref`s absolutized; `externals`
    /// are the documents they reach. Returns nil as the root when the document cannot be read
    /// as Swagger 2.0 at all (an unsupported version); the diagnostics then say why.
    static func convert(
        root: JSONValue, node: YAMLNode?, url: String, externals: [String: JSONValue]
    ) -> (root: JSONValue?, diagnostics: [Diagnostic]) {
        var converter = Converter(root: root, node: node, url: url, externals: externals)
        let converted = converter.run()
        return (converted, converter.diagnostics)
    }

    /// One conversion: the source tree, its lookup, and the problems found.
    private struct Converter {
        let root: JSONValue
        let node: YAMLNode?
        let url: String
        /// Resolves `$ref`s in the Swagger tree (the entry document and its external documents).
        let lookup: OpenAPIDocument
        var diagnostics: [Diagnostic] = []

        init(root: JSONValue, node: YAMLNode?, url: String, externals: [String: JSONValue]) {
            self.root = root
            self.node = node
            self.url = url
            lookup = OpenAPIDocument(
                url: url, version: "2.0", operations: [], securitySchemes: [:], security: nil, servers: [],
                root: root, node: node, externals: externals, operationIndex: [:], pointerIndex: [:])
        }

        // MARK: Document

        mutating func run() -> JSONValue? {
            guard checkVersion() else { return nil }
            for (field, instead) in SwaggerConversion.documentOnly where root[field] != nil {
                misplaced(field, at: [field], instead: instead)
            }
            let consumes = root["consumes"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let produces = root["produces"]?.arrayValue?.compactMap(\.stringValue) ?? []

            var out = JSONObject()
            out["swagger"] = "2.0"
            if let info = root["info"] { out["info"] = info }
            let servers = serverList(schemes: root["schemes"], tokens: ["schemes"])
            out["servers"] = .array(servers.map { .object(["url": .string($0)]) })

            var paths = JSONObject()
            if case .object(let rawPaths)? = root["paths"] {
                for (path, rawItem) in rawPaths where !path.hasPrefix("x-") {
                    let (item, itemTokens) = resolve(rawItem, tokens: ["paths", path])
                    guard case .object(let members) = item else { continue }
                    if members["servers"] != nil {
                        misplaced("servers", at: itemTokens.map { $0 + ["servers"] }, instead: "use schemes on the operations")
                    }
                    var convertedItem = JSONObject()
                    for method in OpenAPIReader.methods {
                        guard let rawOperation = members[method] else { continue }
                        let (operation, operationTokens) = resolve(rawOperation, tokens: itemTokens.map { $0 + [method] })
                        guard case .object(let op) = operation else { continue }
                        convertedItem[method] = .object(convertOperation(
                            op, tokens: operationTokens, pathParameters: members["parameters"],
                            pathParameterTokens: itemTokens.map { $0 + ["parameters"] },
                            consumes: consumes, produces: produces))
                    }
                    paths[path] = .object(convertedItem)
                }
            }
            out["paths"] = .object(paths)

            var components = JSONObject()
            if case .object(let definitions)? = root["securityDefinitions"] {
                var schemes = JSONObject()
                for (name, raw) in definitions {
                    let (definition, tokens) = resolve(raw, tokens: ["securityDefinitions", name])
                    if let scheme = convertSecurityDefinition(definition, name: name, tokens: tokens) {
                        schemes[name] = .object(scheme)
                    }
                }
                components["securitySchemes"] = .object(schemes)
            }
            if let definitions = root["definitions"] { components["schemas"] = definitions }
            out["components"] = .object(components)
            if let security = root["security"] { out["security"] = security }
            // Kept where Swagger references point (`#/definitions/Pet` inside schemas).
            for key in ["definitions", "parameters", "responses"] {
                if let value = root[key] { out[key] = value }
            }
            return .object(out)
        }

        /// Accepts `swagger: "2.0"` (and the YAML number 2.0 an unquoted `2.0` reads as).
        mutating func checkVersion() -> Bool {
            let supported = "swift-arazzo reads Swagger 2.0 and OpenAPI 3.0.x/3.1.x descriptions"
            guard let value = root["swagger"] else {
                let version = root["swaggerVersion"].map(ParameterSerialization.text) ?? "1.x"
                diagnostics.append(.error(
                    "Swagger \(version) is not supported; \(supported) (convert it to Swagger 2.0 or OpenAPI 3)",
                    at: location(["swaggerVersion"]), code: "openapi-version"))
                return false
            }
            switch value {
            case .string("2.0"), .double(2.0), .int(2):
                return true
            default:
                diagnostics.append(.error(
                    "Swagger \(ParameterSerialization.text(value)) is not supported; \(supported) (write swagger: \"2.0\")",
                    at: location(["swagger"]), code: "openapi-version"))
                return false
            }
        }

        // MARK: Servers

        /// `scheme://host basePath` for each scheme, in the order written. Without `host` the
        /// description's own host is used when it was fetched over http(s); otherwise the server
        /// stays relative (the run then asks for a server override), as a relative OpenAPI 3 server does.
        mutating func serverList(schemes rawSchemes: JSONValue?, tokens: [String]) -> [String] {
            var basePath = root["basePath"]?.stringValue ?? ""
            if !basePath.isEmpty, !basePath.hasPrefix("/") {
                diagnostics.append(.warning(
                    "basePath '\(basePath)' does not start with '/'; read as '/\(basePath)'",
                    at: location(["basePath"]), code: "swagger-base-path"))
                basePath = "/" + basePath
            }
            while basePath.hasSuffix("/") { basePath.removeLast() }
            var host = root["host"]?.stringValue
            if let written = host, written.contains("/") || written.contains("://") {
                diagnostics.append(.error(
                    "host '\(written)' must be a host name with an optional port (no scheme, no path); put the path in basePath and the scheme in schemes",
                    at: location(["host"]), code: "swagger-host"))
                host = nil
            }
            let documentScheme = URLReference.isHTTP(url) ? URLReference.scheme(of: url) : nil
            if host == nil, documentScheme != nil { host = Self.authority(of: url) }
            var schemes: [String] = []
            for (index, scheme) in (rawSchemes?.arrayValue ?? []).enumerated() {
                guard let text = scheme.stringValue?.lowercased(), ["http", "https", "ws", "wss"].contains(text) else {
                    diagnostics.append(.warning(
                        "scheme \(scheme.jsonText()) is not one of http, https, ws, wss; ignored",
                        at: location(tokens + [String(index)]), code: "swagger-scheme"))
                    continue
                }
                // Only http(s) can be called; ws/wss are listed by some descriptions next to them.
                if text == "http" || text == "https" { schemes.append(text) }
            }
            if schemes.isEmpty { schemes = [documentScheme ?? "https"] }
            guard let host else { return [basePath.isEmpty ? "/" : basePath] }
            return schemes.map { "\($0)://\(host)\(basePath)" }
        }

        /// The `host[:port]` of an http(s) URL.
        static func authority(of url: String) -> String? {
            guard let start = url.range(of: "://")?.upperBound else { return nil }
            let rest = url[start...]
            let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            let authority = rest[..<end]
            // Credentials in a URL are not part of the server.
            let host = authority.split(separator: "@").last.map(String.init) ?? ""
            return host.isEmpty ? nil : host
        }

        // MARK: Operations

        mutating func convertOperation(
            _ op: JSONObject, tokens: [String]?, pathParameters: JSONValue?, pathParameterTokens: [String]?,
            consumes documentConsumes: [String], produces documentProduces: [String]
        ) -> JSONObject {
            for (field, instead) in SwaggerConversion.operationOnly where op[field] != nil {
                misplaced(field, at: tokens.map { $0 + [field] }, instead: instead)
            }
            let consumes = op["consumes"]?.arrayValue?.compactMap(\.stringValue) ?? documentConsumes
            let produces = op["produces"]?.arrayValue?.compactMap(\.stringValue) ?? documentProduces

            var out = JSONObject()
            for (key, value) in op {
                switch key {
                case "operationId", "summary", "description", "tags", "deprecated", "security", "externalDocs":
                    out[key] = value
                default:
                    if key.hasPrefix("x-") { out[key] = value }
                }
            }
            if let schemes = op["schemes"] {
                out["servers"] = .array(serverList(schemes: schemes, tokens: (tokens ?? []) + ["schemes"])
                    .map { .object(["url": .string($0)]) })
            }

            // Path-item parameters, then the operation's (which win by name and location).
            var merged: [(parameter: JSONObject, tokens: [String]?)] = []
            for (list, listTokens) in [(pathParameters, pathParameterTokens), (op["parameters"], tokens.map { $0 + ["parameters"] })] {
                for (index, raw) in (list?.arrayValue ?? []).enumerated() {
                    let (value, parameterTokens) = resolve(raw, tokens: listTokens.map { $0 + [String(index)] })
                    guard case .object(let parameter) = value else { continue }
                    merged.removeAll { $0.parameter["name"] == parameter["name"] && $0.parameter["in"] == parameter["in"] }
                    merged.append((parameter, parameterTokens))
                }
            }

            var parameters: [JSONValue] = []
            var body: (parameter: JSONObject, tokens: [String]?)?
            var formFields: [(parameter: JSONObject, tokens: [String]?)] = []
            for entry in merged {
                let place = entry.parameter["in"]?.stringValue ?? ""
                switch place {
                case "body":
                    if body != nil {
                        diagnostics.append(.error(
                            "an operation may have only one in: body parameter; merge them into one schema",
                            at: location(entry.tokens), code: "swagger-body"))
                    }
                    body = entry
                case "formData":
                    formFields.append(entry)
                default:
                    if let converted = convertParameter(entry.parameter, tokens: entry.tokens) {
                        parameters.append(.object(converted))
                    }
                }
            }
            if !parameters.isEmpty { out["parameters"] = .array(parameters) }
            if let body, !formFields.isEmpty {
                diagnostics.append(.error(
                    "an operation cannot have both an in: body parameter and in: formData parameters; keep one",
                    at: location(body.tokens), code: "swagger-body"))
            }
            if let body {
                out["requestBody"] = .object(bodyRequest(body.parameter, tokens: body.tokens, consumes: consumes))
            } else if !formFields.isEmpty {
                out["requestBody"] = .object(formRequest(formFields, operationTokens: tokens, consumes: consumes))
            }

            var responses = JSONObject()
            if case .object(let rawResponses)? = op["responses"] {
                for (status, raw) in rawResponses {
                    if status.hasPrefix("x-") { responses[status] = raw; continue }
                    let (value, responseTokens) = resolve(raw, tokens: tokens.map { $0 + ["responses", status] })
                    guard case .object(let response) = value else { continue }
                    responses[status] = .object(convertResponse(response, tokens: responseTokens, produces: produces))
                }
            }
            out["responses"] = .object(responses)
            return out
        }

        // MARK: Parameters

        /// A path, query or header parameter in the 3.0 shape; nil (with a diagnostic) when it
        /// cannot be one.
        mutating func convertParameter(_ p: JSONObject, tokens: [String]?) -> JSONObject? {
            let name = p["name"]?.stringValue ?? ""
            let place = p["in"]?.stringValue ?? ""
            guard ["path", "query", "header"].contains(place) else {
                let hint = place == "cookie"
                    ? "in: cookie is OpenAPI 3 only; Swagger 2.0 has path, query, header, body and formData"
                    : "parameter '\(name)' has in: '\(place)'; Swagger 2.0 has path, query, header, body and formData"
                diagnostics.append(.error(hint, at: location(tokens.map { $0 + ["in"] }) ?? location(tokens), code: "swagger-parameter"))
                return nil
            }
            for (field, instead) in SwaggerConversion.parameterOnly where p[field] != nil {
                misplaced(field, at: tokens.map { $0 + [field] }, instead: instead)
            }
            if p["schema"] != nil {
                diagnostics.append(.error(
                    "parameter '\(name)' (in: \(place)) has a schema; in Swagger 2.0 only in: body takes a schema, others use type, format and items",
                    at: location(tokens.map { $0 + ["schema"] }), code: "swagger-parameter"))
            }
            var out: JSONObject = ["name": .string(name), "in": .string(place)]
            out["required"] = .bool(place == "path" || (p["required"]?.boolValue ?? false))
            for key in ["description", "allowEmptyValue", "deprecated"] { if let v = p[key] { out[key] = v } }
            out["schema"] = .object(Self.schema(ofSimple: p))
            if p["type"]?.stringValue == "array" {
                let (style, explode) = collectionFormat(p, location: place, tokens: tokens)
                out["style"] = .string(style)
                out["explode"] = .bool(explode)
            }
            return out
        }

        /// The 3.0 style and explode for an array parameter's `collectionFormat` (default csv).
        /// Formats with no 3.0 equivalent for the location are sent comma-separated, with a warning.
        mutating func collectionFormat(_ p: JSONObject, location place: String, tokens: [String]?) -> (String, Bool) {
            let format = p["collectionFormat"]?.stringValue ?? "csv"
            let name = p["name"]?.stringValue ?? ""
            let csv = place == "query" || place == "formData" ? ("form", false) : ("simple", false)
            switch (format, place) {
            case ("csv", _): return csv
            case ("multi", "query"), ("multi", "formData"): return ("form", true)
            case ("ssv", "query"): return ("spaceDelimited", false)
            case ("pipes", "query"): return ("pipeDelimited", false)
            case ("ssv", _), ("tsv", _), ("pipes", _), ("multi", _):
                diagnostics.append(.warning(
                    "collectionFormat \(format) on \(place) parameter '\(name)' has no equivalent the engine sends; its arrays are sent comma-separated (csv)",
                    at: location(tokens.map { $0 + ["collectionFormat"] }), code: "swagger-collection-format"))
                return csv
            default:
                diagnostics.append(.warning(
                    "collectionFormat '\(format)' of parameter '\(name)' is not csv, ssv, tsv, pipes or multi; read as csv",
                    at: location(tokens.map { $0 + ["collectionFormat"] }), code: "swagger-collection-format"))
                return csv
            }
        }

        /// The JSON Schema of a non-body parameter, Items object or Header object.
        static func schema(ofSimple p: JSONObject, depth: Int = 0) -> JSONObject {
            var schema = JSONObject()
            if let type = p["type"] {
                if type == "file" {
                    // A file upload is a binary string in OpenAPI 3 terms.
                    schema["type"] = "string"
                    schema["format"] = "binary"
                } else {
                    schema["type"] = type
                }
            }
            for key in SwaggerConversion.schemaKeywords where schema[key] == nil {
                if let value = p[key] { schema[key] = value }
            }
            if case .object(let items)? = p["items"], depth < 16 {
                schema["items"] = .object(Self.schema(ofSimple: items, depth: depth + 1))
            }
            return schema
        }

        // MARK: Bodies

        /// `in: body` → a request body with the parameter's schema under every `consumes` type
        /// (application/json when the description names none).
        mutating func bodyRequest(_ p: JSONObject, tokens: [String]?, consumes: [String]) -> JSONObject {
            if p["schema"] == nil {
                diagnostics.append(.error(
                    "the in: body parameter '\(p["name"]?.stringValue ?? "")' has no schema; Swagger 2.0 requires one",
                    at: location(tokens), code: "swagger-body"))
            }
            let types = consumes.isEmpty ? ["application/json"] : consumes
            var content = JSONObject()
            for type in types {
                var media = JSONObject()
                if let schema = p["schema"] { media["schema"] = Self.fileFree(schema) }
                content[type] = .object(media)
            }
            var out: JSONObject = ["required": .bool(p["required"]?.boolValue ?? false), "content": .object(content)]
            if let description = p["description"] { out["description"] = description }
            return out
        }

        /// `in: formData` fields → one object schema (a property per field) under the form media
        /// types `consumes` names; without one, multipart when a field is a file, else urlencoded.
        mutating func formRequest(
            _ fields: [(parameter: JSONObject, tokens: [String]?)], operationTokens: [String]?, consumes: [String]
        ) -> JSONObject {
            var properties = JSONObject()
            var required: [JSONValue] = []
            var encoding = JSONObject()
            var hasFile = false
            for (p, tokens) in fields {
                let name = p["name"]?.stringValue ?? ""
                for (field, instead) in SwaggerConversion.parameterOnly where p[field] != nil {
                    misplaced(field, at: tokens.map { $0 + [field] }, instead: instead)
                }
                var schema = Self.schema(ofSimple: p)
                if let description = p["description"] { schema["description"] = description }
                properties[name] = .object(schema)
                if p["required"]?.boolValue == true { required.append(.string(name)) }
                if p["type"]?.stringValue == "file" { hasFile = true }
                if p["type"]?.stringValue == "array" {
                    let (style, explode) = collectionFormat(p, location: "formData", tokens: tokens)
                    encoding[name] = ["style": .string(style), "explode": .bool(explode)]
                }
            }
            var types = consumes.filter {
                let kind = RequestBodyEncoder.kind(of: $0)
                return kind == .form || kind == .multipart
            }
            if types.isEmpty {
                if !consumes.isEmpty {
                    diagnostics.append(.warning(
                        "formData parameters need consumes application/x-www-form-urlencoded or multipart/form-data; sending \(hasFile ? "multipart/form-data" : "application/x-www-form-urlencoded")",
                        at: location(operationTokens), code: "swagger-form-data"))
                }
                types = [hasFile ? "multipart/form-data" : "application/x-www-form-urlencoded"]
            }
            var schema: JSONObject = ["type": "object", "properties": .object(properties)]
            if !required.isEmpty { schema["required"] = .array(required) }
            var content = JSONObject()
            for type in types {
                var media: JSONObject = ["schema": .object(schema)]
                if !encoding.isEmpty { media["encoding"] = .object(encoding) }
                content[type] = .object(media)
            }
            return ["required": .bool(!required.isEmpty), "content": .object(content)]
        }

        // MARK: Responses

        /// A response in the 3.0 shape: its schema under every `produces` type (application/json
        /// when the description names none), each with its `examples` entry; media types that
        /// only `examples` names are added after them.
        mutating func convertResponse(_ r: JSONObject, tokens: [String]?, produces: [String]) -> JSONObject {
            for (field, instead) in SwaggerConversion.responseOnly where r[field] != nil {
                misplaced(field, at: tokens.map { $0 + [field] }, instead: instead)
            }
            var out = JSONObject()
            out["description"] = r["description"] ?? ""
            let examples = r["examples"]?.objectValue ?? [:]
            var content = JSONObject()
            if let schema = r["schema"] {
                for type in produces.isEmpty ? ["application/json"] : produces {
                    var media: JSONObject = ["schema": Self.fileFree(schema)]
                    if let example = examples[type] { media["example"] = example }
                    content[type] = .object(media)
                }
            }
            for (type, example) in examples where content[type] == nil {
                content[type] = .object(["example": example])
            }
            if !content.isEmpty { out["content"] = .object(content) }
            if case .object(let headers)? = r["headers"] {
                var converted = JSONObject()
                for (name, header) in headers {
                    var h: JSONObject = ["schema": .object(Self.schema(ofSimple: header.objectValue ?? [:]))]
                    if let description = header["description"] { h["description"] = description }
                    converted[name] = .object(h)
                }
                out["headers"] = .object(converted)
            }
            return out
        }

        /// A schema whose top-level `type: file` (Swagger's binary body) reads as a binary string.
        static func fileFree(_ schema: JSONValue) -> JSONValue {
            guard case .object(var members) = schema, members["type"] == "file" else { return schema }
            members["type"] = "string"
            members["format"] = "binary"
            return .object(members)
        }

        // MARK: Security

        /// A Security Definitions entry as a 3.0 Security Scheme: basic → http basic; apiKey as
        /// it is (header or query); oauth2 with its one flow under the 3.0 flow name
        /// (application → clientCredentials, accessCode → authorizationCode).
        mutating func convertSecurityDefinition(_ value: JSONValue, name: String, tokens: [String]?) -> JSONObject? {
            let type = value["type"]?.stringValue ?? ""
            var out = JSONObject()
            if let description = value["description"] { out["description"] = description }
            switch type {
            case "basic":
                out["type"] = "http"
                out["scheme"] = "basic"
            case "apiKey":
                let place = value["in"]?.stringValue ?? ""
                guard place == "header" || place == "query" else {
                    diagnostics.append(.error(
                        "security definition '\(name)' has in: '\(place)'; a Swagger 2.0 apiKey goes in header or query",
                        at: location(tokens.map { $0 + ["in"] }) ?? location(tokens), code: "swagger-security"))
                    return nil
                }
                out["type"] = "apiKey"
                out["in"] = .string(place)
                out["name"] = value["name"] ?? .string(name)
            case "oauth2":
                let flows = ["implicit": "implicit", "password": "password", "application": "clientCredentials", "accessCode": "authorizationCode"]
                let flow = value["flow"]?.stringValue ?? ""
                guard let flowName = flows[flow] else {
                    diagnostics.append(.error(
                        "security definition '\(name)' has oauth2 flow '\(flow)'; Swagger 2.0 flows are implicit, password, application and accessCode",
                        at: location(tokens.map { $0 + ["flow"] }) ?? location(tokens), code: "swagger-security"))
                    return nil
                }
                var converted: JSONObject = ["scopes": value["scopes"] ?? .object([:])]
                for key in ["authorizationUrl", "tokenUrl"] { if let v = value[key] { converted[key] = v } }
                out["type"] = "oauth2"
                out["flows"] = .object([flowName: .object(converted)])
            default:
                let hint = type == "http" || type == "openIdConnect" || type == "mutualTLS"
                    ? "type '\(type)' is OpenAPI 3 only" : "type '\(type)' is unknown"
                diagnostics.append(.error(
                    "security definition '\(name)': \(hint); Swagger 2.0 types are basic, apiKey and oauth2",
                    at: location(tokens.map { $0 + ["type"] }) ?? location(tokens), code: "swagger-security"))
                return nil
            }
            return out
        }

        // MARK: Helpers

        /// Follows `$ref`s; the tokens are the target's pointer in the entry document (for
        /// locating problems), nil once a reference leaves it.
        func resolve(_ value: JSONValue, tokens: [String]?) -> (JSONValue, [String]?) {
            var current = value
            var currentTokens = tokens
            var hops = 0
            while case .object(let members) = current, case .string(let ref)? = members["$ref"], hops < 32 {
                guard let next = lookup.resolveReference(ref) else { return (current, currentTokens) }
                let (document, fragment) = URLReference.splitFragment(ref)
                if document.isEmpty || document == url,
                   let pointer = try? JSONPointer(parsing: percentDecoded(fragment ?? "")) {
                    currentTokens = pointer.tokens
                } else {
                    currentTokens = nil
                }
                current = next
                hops += 1
            }
            return (current, currentTokens)
        }

        /// Where the node at `tokens` is written in the original document: for a mapping
        /// member, its key (so a message points at the field it is about); otherwise the deepest
        /// node reached. Nodes outside the entry document (nil tokens) fall back to its start.
        func location(_ tokens: [String]?) -> SourceLocation? {
            guard var current = node else { return nil }
            guard let tokens else { return current.location }
            for (position, token) in tokens.enumerated() {
                if let pair = current.pair(token) {
                    if position == tokens.count - 1 { return pair.keyLocation }
                    current = pair.value
                } else if let index = Int(token), let items = current.sequence, index >= 0, index < items.count {
                    current = items[index]
                } else {
                    break
                }
            }
            return current.location
        }

        mutating func misplaced(_ field: String, at tokens: [String]?, instead: String) {
            diagnostics.append(.error(
                "'\(field)' is an OpenAPI 3 field, not Swagger 2.0: \(instead)",
                at: location(tokens), code: "swagger-openapi3-field"))
        }
    }
}
