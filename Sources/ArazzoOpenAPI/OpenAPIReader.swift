package import ArazzoJSON
package import ArazzoDiagnostics
package import ArazzoYAML
import ArazzoExecutor
import OrderedCollections

/// Builds an ``OpenAPIDocument`` from a parsed tree (a Swagger 2.0 tree is first rewritten into
/// the 3.0 shape by ``SwaggerConversion``). Problems that make operations unusable are
/// reported as diagnostics located in the OpenAPI file; the rest of the document stays usable.
package enum OpenAPIReader {
    package static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Reads the document. `externals` holds the documents reached through relative `$ref`s,
    /// already rewritten by ``absolutizingReferences(_:base:isEntry:)``.
    package static func read(
        root rawRoot: JSONValue, node: YAMLNode?, url: String, externals: [String: JSONValue]
    ) -> (OpenAPIDocument, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var root = externals.isEmpty && !hasExternalReferences(rawRoot)
            ? rawRoot : absolutizingReferences(rawRoot, base: url, isEntry: true)
        var version: String
        switch root["openapi"] {
        case .string(let s)?: version = s
        case let value?: version = value.jsonText()
        case nil: version = ""
        }
        if root["openapi"] != nil, root["swagger"] != nil {
            diagnostics.append(.error(
                "the description declares both 'openapi' and 'swagger'; keep 'openapi' for OpenAPI 3 or 'swagger: \"2.0\"' for Swagger 2.0",
                at: node?["swagger"]?.location ?? node?.location, code: "openapi-version"))
        }
        if SwaggerConversion.isSwagger(root) {
            // Swagger 2.0 is rewritten into the 3.0 shape once; everything below reads that.
            let converted = SwaggerConversion.convert(root: root, node: node, url: url, externals: externals)
            diagnostics.append(contentsOf: converted.diagnostics)
            root = converted.root ?? .object([:])
            version = "2.0"
        } else if version.isEmpty {
            diagnostics.append(.error(
                "this source is not an OpenAPI description (no 'openapi' field); swift-arazzo reads OpenAPI 3.0.x/3.1.x and Swagger 2.0",
                at: node?.location, code: "openapi-version"))
        } else if !(version.hasPrefix("3.0") || version.hasPrefix("3.1")) {
            diagnostics.append(.warning(
                "OpenAPI \(version) is not 3.0.x or 3.1.x; reading it as 3.1", at: node?["openapi"]?.location,
                code: "openapi-version"))
        }

        // A skeleton document so the dereferencing helpers work while we read.
        var document = OpenAPIDocument(
            url: url, version: version, operations: [], securitySchemes: [:], security: nil, servers: [],
            root: root, node: node, externals: externals, operationIndex: [:], pointerIndex: [:])

        let documentServers = serverURLs(root["servers"], document: document)
        var operations: [OpenAPIOperation] = []
        var operationIndex: [String: Int] = [:]
        var pointerIndex: [String: Int] = [:]

        if case .object(let paths)? = root["paths"] {
            for (path, rawItem) in paths {
                let item = document.dereference(rawItem)
                guard case .object(let itemMembers) = item else { continue }
                let pathParameters = parameters(itemMembers["parameters"], document: document)
                let pathServers = serverURLs(itemMembers["servers"], document: document)
                for method in methods {
                    guard let rawOperation = itemMembers[method] else { continue }
                    let operation = document.dereference(rawOperation)
                    guard case .object(let op) = operation else { continue }
                    let pointerTokens = ["paths", path, method]
                    let pointer = JSONPointer(tokens: pointerTokens).description
                    var merged = pathParameters
                    for parameter in parameters(op["parameters"], document: document) {
                        merged.removeAll { $0.name == parameter.name && $0.location == parameter.location }
                        merged.append(parameter)
                    }
                    let opServers = serverURLs(op["servers"], document: document)
                    let effectiveServers = !opServers.isEmpty ? opServers : !pathServers.isEmpty ? pathServers : documentServers
                    let operationId = op["operationId"]?.stringValue
                    let built = OpenAPIOperation(
                        operationId: operationId,
                        method: method.uppercased(),
                        path: path,
                        pointer: pointer,
                        parameters: merged,
                        requestBody: requestBody(op["requestBody"], document: document),
                        responses: responses(op["responses"], document: document),
                        security: securityRequirements(op["security"]),
                        servers: effectiveServers,
                        location: document.location(ofPointer: pointerTokens))
                    let index = operations.count
                    operations.append(built)
                    pointerIndex[pointer] = index
                    if let operationId {
                        if operationIndex[operationId] != nil {
                            diagnostics.append(.warning(
                                "operationId '\(operationId)' is used by more than one operation; the first one is used",
                                at: document.location(ofPointer: pointerTokens + ["operationId"]),
                                code: "openapi-duplicate-operation-id"))
                        } else {
                            operationIndex[operationId] = index
                        }
                    }
                }
            }
        }

        var schemes: [String: SecurityScheme] = [:]
        if case .object(let rawSchemes)? = root["components"]?["securitySchemes"] {
            for (name, rawScheme) in rawSchemes {
                schemes[name] = securityScheme(name: name, document.dereference(rawScheme))
            }
        }

        document = OpenAPIDocument(
            url: url, version: version, operations: operations, securitySchemes: schemes,
            security: securityRequirements(root["security"]), servers: documentServers,
            root: root, node: node, externals: externals, operationIndex: operationIndex, pointerIndex: pointerIndex)
        return (document, diagnostics)
    }

    // MARK: - Pieces

    private static func parameters(_ value: JSONValue?, document: OpenAPIDocument) -> [OpenAPIParameter] {
        guard case .array(let items)? = value else { return [] }
        var result: [OpenAPIParameter] = []
        for raw in items {
            guard case .object(let p) = document.dereference(raw),
                  let name = p["name"]?.stringValue,
                  let locationText = p["in"]?.stringValue,
                  let location = ParameterSerialization.Location(rawValue: locationText)
            else { continue }
            // OAS: header parameters named Accept, Content-Type or Authorization "SHALL be ignored"
            // (the media type and security objects own them).
            if location == .header, ["accept", "content-type", "authorization"].contains(HeaderFields.canonicalName(name)) { continue }
            let style = p["style"]?.stringValue.flatMap(ParameterSerialization.Style.init(rawValue:))
            let serialization = ParameterSerialization(
                location: location, style: style, explode: p["explode"]?.boolValue,
                allowReserved: p["allowReserved"]?.boolValue ?? false)
            var contentType: String?
            var schema = p["schema"]
            if case .object(let content)? = p["content"], let first = content.elements.first {
                contentType = first.key
                schema = first.value["schema"]
            }
            result.append(OpenAPIParameter(
                name: name, location: location,
                required: location == .path || (p["required"]?.boolValue ?? false),
                serialization: serialization, schema: schema, contentType: contentType))
        }
        return result
    }

    private static func requestBody(_ value: JSONValue?, document: OpenAPIDocument) -> OpenAPIRequestBody? {
        guard let value, case .object(let body) = document.dereference(value) else { return nil }
        return OpenAPIRequestBody(
            required: body["required"]?.boolValue ?? false,
            content: mediaTypes(body["content"], document: document))
    }

    private static func responses(_ value: JSONValue?, document: OpenAPIDocument) -> [OpenAPIResponse] {
        guard case .object(let members)? = value else { return [] }
        var result: [OpenAPIResponse] = []
        for (status, raw) in members where !status.hasPrefix("x-") {
            guard case .object(let response) = document.dereference(raw) else { continue }
            var headers: [String: JSONValue] = [:]
            if case .object(let h)? = response["headers"] {
                for (name, header) in h { headers[name] = document.dereference(header) }
            }
            result.append(OpenAPIResponse(
                status: status, content: mediaTypes(response["content"], document: document), headers: headers))
        }
        return result
    }

    private static func mediaTypes(_ value: JSONValue?, document: OpenAPIDocument) -> [OpenAPIMediaType] {
        guard case .object(let content)? = value else { return [] }
        var result: [OpenAPIMediaType] = []
        for (mediaType, raw) in content {
            guard case .object(let media) = document.dereference(raw) else {
                result.append(OpenAPIMediaType(mediaType: mediaType, schema: nil, example: nil, encoding: [:]))
                continue
            }
            var example = media["example"]
            if example == nil, case .object(let examples)? = media["examples"], let first = examples.values.first {
                example = document.dereference(first)["value"]
            }
            result.append(OpenAPIMediaType(
                mediaType: mediaType, schema: media["schema"], example: example,
                encoding: media["encoding"]?.objectValue ?? [:]))
        }
        return result
    }

    private static func securityRequirements(_ value: JSONValue?) -> [SecurityRequirement]? {
        guard case .array(let items)? = value else { return nil }
        return items.compactMap { item -> SecurityRequirement? in
            guard case .object(let members) = item else { return nil }
            return SecurityRequirement(schemes: members.map { name, scopes in
                SecurityRequirement.Scheme(name: name, scopes: scopes.arrayValue?.compactMap(\.stringValue) ?? [])
            })
        }
    }

    private static func securityScheme(name: String, _ value: JSONValue) -> SecurityScheme {
        let type = value["type"]?.stringValue ?? ""
        switch type {
        case "http":
            return SecurityScheme(name: name, kind: .http(scheme: (value["scheme"]?.stringValue ?? "").lowercased()))
        case "apiKey":
            let location = value["in"]?.stringValue.flatMap(ParameterSerialization.Location.init(rawValue:)) ?? .header
            return SecurityScheme(name: name, kind: .apiKey(name: value["name"]?.stringValue ?? name, location: location))
        case "oauth2":
            let flow = value["flows"]?["clientCredentials"]
            let scopes = flow?["scopes"]?.objectValue.map { Array($0.keys) } ?? []
            var flows: [String: SecurityScheme.OAuthFlow] = [:]
            for (flowName, flowValue) in value["flows"]?.objectValue ?? [:] {
                flows[flowName] = SecurityScheme.OAuthFlow(
                    authorizationURL: flowValue["authorizationUrl"]?.stringValue, tokenURL: flowValue["tokenUrl"]?.stringValue,
                    refreshURL: flowValue["refreshUrl"]?.stringValue,
                    scopes: flowValue["scopes"]?.objectValue.map { Array($0.keys) } ?? [])
            }
            return SecurityScheme(name: name, kind: .oauth2(tokenURL: flow?["tokenUrl"]?.stringValue, scopes: scopes), flows: flows)
        case "openIdConnect":
            guard let url = value["openIdConnectUrl"]?.stringValue else { return SecurityScheme(name: name, kind: .unsupported(type: type)) }
            return SecurityScheme(name: name, kind: .openIdConnect(url: url))
        default:
            return SecurityScheme(name: name, kind: .unsupported(type: type))
        }
    }

    /// Server URLs with variables replaced by their defaults; relative URLs resolved against the
    /// document URL when it is an http(s) URL (a file-loaded document keeps them relative, and
    /// the run asks for a server override).
    private static func serverURLs(_ value: JSONValue?, document: OpenAPIDocument) -> [String] {
        guard case .array(let servers)? = value else { return [] }
        return servers.compactMap { server -> String? in
            guard var url = server["url"]?.stringValue else { return nil }
            if case .object(let variables)? = server["variables"] {
                for (name, variable) in variables {
                    let replacement = variable["default"].map(ParameterSerialization.text) ?? ""
                    url = url.replacing("{\(name)}", with: replacement)
                }
            }
            if URLReference.scheme(of: url) == nil, URLReference.isHTTP(document.url) {
                url = URLReference.resolve(url, against: document.url)
            }
            return url
        }
    }

    // MARK: - External references

    /// The absolute document URLs of every relative-file `$ref` in `value`, except those inside
    /// `x-` extensions (``isExtension(_:in:)``): an extension is for tools that know it, so a
    /// broken or hostile `$ref` there neither fails the load nor makes the loader read a file.
    package static func externalDocuments(in value: JSONValue, base: String) -> Set<String> {
        var found: Set<String> = []
        // Each value with the key it is the value of (nil for array items and the root).
        var stack: [(value: JSONValue, key: String?)] = [(value, nil)]
        var visited = 0
        while let (current, key) = stack.popLast(), visited < 5_000_000 {
            visited += 1
            switch current {
            case .object(let members):
                if case .string(let ref)? = members["$ref"] {
                    let document = URLReference.splitFragment(ref).document
                    if !document.isEmpty {
                        found.insert(URLReference.resolve(document, against: base))
                    }
                }
                for (name, member) in members where !isExtension(name, in: key) {
                    stack.append((member, name))
                }
            case .array(let items):
                stack.append(contentsOf: items.map { ($0, nil) })
            default:
                break
            }
        }
        return found
    }

    /// Whether the member `name` of an object that is the value of `parentKey` is a specification
    /// extension. Maps keyed by names the author picks (`properties`, `components.headers`, …)
    /// may hold an `x-request-id` that is not an extension, so there an `x-` name is an ordinary
    /// entry; erring that way only follows a `$ref` more, as before extensions were skipped.
    package static func isExtension(_ name: String, in parentKey: String?) -> Bool {
        guard name.hasPrefix("x-") else { return false }
        return !namedEntryMaps.contains(parentKey ?? "")
    }

    /// Keys whose value is a map from author-chosen names to objects (OpenAPI 3.x, JSON Schema).
    package static let namedEntryMaps: Set<String> = [
        "properties", "patternProperties", "dependentSchemas", "$defs", "definitions",
        "schemas", "parameters", "examples", "requestBodies", "headers", "securitySchemes",
        "links", "callbacks", "pathItems", "webhooks", "encoding",
    ]

    /// Rewrites every `$ref` so it is either `#…` (into the entry document) or `absoluteURL#…`
    /// (into a loaded external document): one resolver then serves every document.
    package static func absolutizingReferences(_ value: JSONValue, base: String, isEntry: Bool, depth: Int = 0) -> JSONValue {
        guard depth < 256 else { return value }
        switch value {
        case .object(var members):
            if case .string(let ref)? = members["$ref"] {
                let (document, fragment) = URLReference.splitFragment(ref)
                if document.isEmpty {
                    if !isEntry { members["$ref"] = .string(base + "#" + (fragment ?? "")) }
                } else {
                    let absolute = URLReference.resolve(document, against: base)
                    members["$ref"] = .string(absolute + "#" + (fragment ?? ""))
                }
            }
            for (key, member) in members where key != "$ref" {
                switch member {
                case .object, .array:
                    members[key] = absolutizingReferences(member, base: base, isEntry: isEntry, depth: depth + 1)
                default:
                    break
                }
            }
            return .object(members)
        case .array(let items):
            return .array(items.map { absolutizingReferences($0, base: base, isEntry: isEntry, depth: depth + 1) })
        default:
            return value
        }
    }

    /// Whether `value` contains any `$ref` pointing outside its own document.
    package static func hasExternalReferences(_ value: JSONValue) -> Bool {
        !externalDocuments(in: value, base: "/").isEmpty
    }
}
