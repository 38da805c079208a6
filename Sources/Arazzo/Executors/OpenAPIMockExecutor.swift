import ArazzoJSON
public import ArazzoOpenAPI
public import ArazzoExecutor
import OrderedCollections

/// A step executor that answers every request from the OpenAPI descriptions of a loaded
/// document, without any network.
///
/// The operation is the one the step resolved (``HTTPRequest/operation``, set by the engine);
/// only a request without it (built by hand) is matched by method, server and path template.
/// The answer is the operation's first 2xx response (else `default`) with its example when the
/// description has one, or else a value synthesised from its schema (every described property,
/// formats, enums, bounds, one array item). Under an XML media type an object example or a
/// synthesised value is written as XML following the schema's `xml` hints (docs/decisions.md, M4).
///
/// Output is deterministic: the same request always gets the same response. Nothing here is
/// specific to any API.
public struct OpenAPIMockExecutor: StepExecutor {
    /// The base URL a request is built on when its description gives no absolute server: the
    /// mock sends nothing, so any base works, and `.invalid` (RFC 2606) can never resolve should
    /// the URL be copied elsewhere.
    public static let placeholderBaseURL = "http://mock.invalid"

    private let documents: [OpenAPIDocument]
    private let byURL: [String: OpenAPIDocument]
    private let log = RequestLog()

    /// Answers from the OpenAPI sources of `document` (its nested Arazzo sources included).
    public init(document: LoadedDocument) {
        self.init(descriptions: document.openAPIDocuments.keys.sorted().compactMap { document.openAPIDocuments[$0] })
    }

    /// Answers from the given OpenAPI descriptions.
    public init(descriptions: [OpenAPIDocument]) {
        self.documents = descriptions
        var byURL: [String: OpenAPIDocument] = [:]
        for description in descriptions where byURL[description.url] == nil { byURL[description.url] = description }
        self.byURL = byURL
    }

    /// Every request received so far, in order.
    public var requests: [HTTPRequest] {
        get async { log.requests }
    }

    /// ``placeholderBaseURL``: sources without an absolute server still run under the mock.
    public var placeholderServerURL: String? { Self.placeholderBaseURL }

    /// Answers `request` from its operation's first 2xx response.
    public func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        _ = log.record(request, route: nil)
        let found: (OpenAPIDocument, OpenAPIOperation)?
        if let reference = request.operation, let document = byURL[reference.document],
           let operation = document.operation(pointer: reference.pointer) {
            found = (document, operation)
        } else if Self.isTokenRequest(request) {
            return Self.tokenResponse
        } else {
            found = match(method: request.method, url: request.url)
        }
        guard let (document, operation) = found else {
            let path = InMemoryExecutor.path(of: request.url)
            return HTTPResponse(
                status: 404, headers: ["Content-Type": "application/json"],
                body: JSONValue.object(["error": .string("no operation in the descriptions matches \(request.method) \(path)")]).jsonBytes())
        }
        return Self.response(for: operation, in: document)
    }

    /// Whether a request without an operation is the engine's OAuth 2.0 client-credentials token
    /// request (a security scheme's `tokenUrl` is not an operation, and the step needs a token).
    static func isTokenRequest(_ request: HTTPRequest) -> Bool {
        guard request.operation == nil, request.method == "POST", let body = request.body,
              let type = request.headers["Content-Type"], RequestBodyEncoder.kind(of: type) == .form
        else { return false }
        return String(decoding: body, as: UTF8.self).split(separator: "&").contains("grant_type=client_credentials")
    }

    /// A token response (RFC 6749 §5.1) with a fixed, recognisably fake token.
    static var tokenResponse: HTTPResponse {
        let body: JSONValue = ["access_token": "mock-access-token", "token_type": "Bearer", "expires_in": 3600]
        return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: body.jsonBytes())
    }

    /// The answer for an operation: status, headers and body.
    static func response(for operation: OpenAPIOperation, in document: OpenAPIDocument) -> HTTPResponse {
        let chosen = operation.responses.first { $0.status.hasPrefix("2") }
            ?? operation.responses.first { $0.status == "default" }
        guard let chosen else { return HTTPResponse(status: 200) }
        // `2XX` and `default` have no number of their own; 200 is what a server would send.
        let status = Int(chosen.status) ?? 200
        let headers = responseHeaders(chosen, in: document)
        let media = chosen.content.first { RequestBodyEncoder.kind(of: $0.mediaType) == .json } ?? chosen.content.first
        guard let media else { return HTTPResponse(status: status, headers: headers) }
        // A range (`application/*`, `*/*`) is no Content-Type; the body below is JSON then.
        let kind = media.mediaType.contains("*") ? .json : RequestBodyEncoder.kind(of: media.mediaType)
        let contentType = media.mediaType.contains("*") ? "application/json" : media.mediaType
        let sampled: Bool
        let value: JSONValue
        if let example = media.example {
            value = example
            sampled = false
        } else if let schema = media.schema {
            var sampler = SchemaSampler(document: document)
            value = sampler.sample(schema, name: nil, depth: 0)
            sampled = true
        } else {
            value = .object([:])
            sampled = true
        }
        let body: [UInt8]
        switch (kind, value) {
        case (.json, _):
            body = value.jsonBytes()
        case (.xml, .string(let text)) where !sampled:
            // An example written as XML text is the answer as the author wrote it.
            body = Array(text.utf8)
        case (.xml, _):
            var writer = XMLSampleWriter(document: document)
            body = Array(writer.write(value, schema: media.schema).utf8)
        case (_, .string(let text)):
            body = Array(text.utf8)
        case (.form, .object):
            body = (try? RequestBodyEncoder.encode(value, contentType: contentType).bytes) ?? value.jsonBytes()
        case (_, .int), (_, .double), (_, .bool):
            body = Array(ParameterSerialization.text(value).utf8)
        default:
            body = value.jsonBytes()
        }
        var all = headers
        all.set(name: "Content-Type", value: contentType)
        return HTTPResponse(status: status, headers: all, body: body)
    }

    /// The response's declared headers, by name, each from its example or a schema sample
    /// (simple style: array items and object members joined with commas). `Content-Type` is
    /// the media type's, never a declared header.
    static func responseHeaders(_ response: OpenAPIResponse, in document: OpenAPIDocument) -> HeaderFields {
        var headers = HeaderFields()
        for name in response.headers.keys.sorted() where !HeaderFields.namesMatch(name, "content-type") {
            guard case .object(let header) = document.dereference(response.headers[name] ?? .null) else { continue }
            var value = header["example"] ?? header["examples"]?.objectValue?.values.first.map { document.dereference($0)["value"] ?? .null }
            // A Swagger 2.0 header is its own schema (`type`, `format`, ...).
            let ownSchema: JSONValue? = header["type"] != nil ? .object(header) : nil
            if value == nil || value == .null, let schema = header["schema"] ?? ownSchema {
                var sampler = SchemaSampler(document: document)
                value = sampler.sample(schema, name: name, depth: 0)
            }
            guard let value, value != .null else { continue }
            headers.append(name: name, value: headerText(value))
        }
        return headers
    }

    private static func headerText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .array(let items): return items.map(headerText).joined(separator: ",")
        case .object(let members): return members.map { $0.key + "," + headerText($0.value) }.joined(separator: ",")
        default: return ParameterSerialization.text(value)
        }
    }

    // MARK: - Matching a request without an operation reference

    /// The operation a hand-built request most likely targets: same method, a path template
    /// (its query part, like `?uploads`, required in the request's query) that matches the end
    /// of the URL's path; preferring an operation whose server URL the request starts with, then
    /// more literal segments, then fewer unmatched leading segments.
    private func match(method: String, url: String) -> (OpenAPIDocument, OpenAPIOperation)? {
        let path = InMemoryExecutor.path(of: url)
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let queryNames = Self.queryNames(of: url)
        var best: (OpenAPIDocument, OpenAPIOperation, [Int])?
        for document in documents {
            for operation in document.operations where operation.method == method {
                let (templatePath, templateQuery) = Self.splitQuery(operation.path)
                let template = templatePath.split(separator: "/", omittingEmptySubsequences: true)
                guard template.count <= segments.count else { continue }
                guard templateQuery.allSatisfy(queryNames.contains) else { continue }
                var literal = 0
                var ok = true
                for (t, s) in zip(template, segments.suffix(template.count)) {
                    guard let count = Self.literalMatch(template: t, segment: s) else { ok = false; break }
                    literal += count
                }
                guard ok else { continue }
                let onServer = operation.servers.contains { server in
                    URLReference.scheme(of: server) != nil && url.hasPrefix(server.hasSuffix("/") ? String(server.dropLast()) : server)
                }
                let score = [onServer ? 1 : 0, literal, templateQuery.count, template.count - segments.count]
                if best.map({ $0.2.lexicographicallyPrecedes(score) }) ?? true {
                    best = (document, operation, score)
                }
            }
        }
        return best.map { ($0.0, $0.1) }
    }

    /// How many literal characters a path segment matches (`key:{key}` against `key:abc` is 4),
    /// or nil when it does not match. A segment may hold several `{name}` templates.
    static func literalMatch(template: Substring, segment: Substring) -> Int? {
        var pieces: [Substring] = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            pieces.append(rest[..<open])
            rest = rest[rest.index(after: close)...]
        }
        pieces.append(rest)
        if pieces.count == 1 { return template == segment ? template.count : nil }
        // Literal pieces in order: the first a prefix, the last a suffix, the others inside.
        var remaining = segment[...]
        guard let first = pieces.first, remaining.hasPrefix(first) else { return nil }
        remaining = remaining.dropFirst(first.count)
        guard let last = pieces.last, remaining.hasSuffix(last) else { return nil }
        remaining = remaining.dropLast(last.count)
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let range = remaining.firstRange(of: piece) else { return nil }
            remaining = remaining[range.upperBound...]
        }
        return pieces.reduce(0) { $0 + $1.count }
    }

    /// A path key split at `?` (`/{Bucket}?uploads` → `/{Bucket}`, `[uploads]`).
    static func splitQuery(_ key: String) -> (path: String, query: [String]) {
        guard let mark = key.firstIndex(of: "?") else { return (key, []) }
        let names = key[key.index(after: mark)...].split(separator: "&").map { String($0.split(separator: "=", maxSplits: 1).first ?? "") }
        return (String(key[..<mark]), names.filter { !$0.isEmpty })
    }

    /// The names in a URL's query string, percent-decoded.
    static func queryNames(of url: String) -> Set<String> {
        guard let mark = url.firstIndex(of: "?") else { return [] }
        var query = url[url.index(after: mark)...]
        if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
        return Set(query.split(separator: "&").map { percentDecoded(String($0.split(separator: "=", maxSplits: 1).first ?? "")) })
    }
}

/// Synthesises a deterministic instance of a JSON Schema (OpenAPI 3.0 or 3.1 dialect) for a
/// response: every property that describes a value (an example, default, enum, const, type or
/// sub-schema), required or not, except `writeOnly` ones, which a server does not return.
///
/// Bounds: required members are filled to depth 12, optional ones to depth 8; at most 10 000
/// values in all; a `$ref` met again inside its own expansion is a cycle, so an optional member
/// reached through it is left out and a required one gets an empty object or array.
struct SchemaSampler {
    /// Follows one `$ref` of the schemas' document (OpenAPI, or an AsyncAPI description under
    /// `--mock`); nil when it points nowhere.
    let resolveReference: @Sendable (String) -> JSONValue?
    private var budget = 10_000
    /// The `$ref`s being expanded on the current path, innermost last.
    private var expanding: [String] = []

    static let maxDepth = 12
    static let maxOptionalDepth = 8

    init(document: OpenAPIDocument) {
        self.resolveReference = { document.resolveReference($0) }
    }

    /// A sampler over schemas whose `$ref`s `resolve` follows.
    init(resolve: @escaping @Sendable (String) -> JSONValue?) {
        self.resolveReference = resolve
    }

    private func dereference(_ value: JSONValue) -> JSONValue {
        OpenAPIDocument.dereference(value, resolve: resolveReference)
    }

    mutating func sample(_ schema: JSONValue, name: String?, depth: Int) -> JSONValue {
        budget -= 1
        guard depth < Self.maxDepth, budget > 0 else { return .null }
        let (resolved, refs, cycle) = follow(schema)
        guard case .object(let s) = resolved else { return resolved == .bool(false) ? .null : .object([:]) }
        if let example = s["example"] { return example }
        if case .array(let examples)? = s["examples"], let first = examples.first { return first }
        if let constant = s["const"] { return constant }
        if case .array(let values)? = s["enum"], let first = values.first { return first }
        if let value = s["default"] { return value }
        if cycle {
            // Expanding the schema again would repeat the enclosing value forever: a structure
            // ends empty here; a plain scalar type cannot recurse and is sampled as usual.
            switch Self.type(of: s) {
            case "array"?: return .array([])
            case "string"?, "integer"?, "number"?, "boolean"?, "null"?:
                if s["allOf"] == nil && s["oneOf"] == nil && s["anyOf"] == nil { break }
                return .object([:])
            default: return .object([:])
            }
        }
        expanding.append(contentsOf: refs)
        defer { expanding.removeLast(refs.count) }
        if case .array(let all)? = s["allOf"] {
            var merged = JSONObject()
            var other: JSONValue?
            for part in all {
                let value = sample(part, name: name, depth: depth + 1)
                if case .object(let members) = value {
                    for (k, v) in members { merged[k] = v }
                } else {
                    other = value
                }
            }
            if let properties = s["properties"],
               case .object(let own) = sample(.object(["type": "object", "properties": properties, "required": s["required"] ?? .array([])]), name: name, depth: depth + 1) {
                for (k, v) in own { merged[k] = v }
            }
            return merged.isEmpty ? (other ?? .object([:])) : .object(merged)
        }
        for key in ["oneOf", "anyOf"] {
            if case .array(let choices)? = s[key], let first = choices.first(where: { dereference($0)["type"] != .string("null") }) ?? choices.first {
                return sample(first, name: name, depth: depth + 1)
            }
        }
        switch Self.type(of: s) {
        case "object"?:
            var out = JSONObject()
            let properties = s["properties"]?.objectValue ?? [:]
            let required = Set(s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            for (key, propertySchema) in properties {
                if !required.contains(key) {
                    guard depth + 1 < Self.maxOptionalDepth, budget > 0, describesValue(propertySchema),
                          !reentersCycle(propertySchema)
                    else { continue }
                }
                out[key] = sample(propertySchema, name: key, depth: depth + 1)
            }
            // Required names without a property schema still get a value.
            for key in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where out[key] == nil {
                out[key] = .string(key)
            }
            return .object(out)
        case "array"?:
            let count = max(1, min(s["minItems"]?.intValue ?? 1, 3))
            let item = s["items"].map { sample($0, name: name, depth: depth + 1) } ?? .string("item")
            return .array(Array(repeating: item, count: count))
        case "integer"?:
            return .int(Int(numberSample(s)))
        case "number"?:
            return .double(numberSample(s))
        case "boolean"?:
            return .bool(true)
        case "null"?:
            return .null
        default:
            return stringSample(s, name: name)
        }
    }

    /// Follows a `$ref` chain (bounded): the target, the references crossed, and whether one of
    /// them is already being expanded (a cycle).
    private func follow(_ schema: JSONValue) -> (JSONValue, [String], Bool) {
        var current = schema
        var refs: [String] = []
        var cycle = false
        while case .object(let members) = current, case .string(let ref)? = members["$ref"], refs.count < 32 {
            if expanding.contains(ref) || refs.contains(ref) { cycle = true }
            guard let next = resolveReference(ref) else { break }
            refs.append(ref)
            current = next
        }
        return (current, refs, cycle)
    }

    /// Whether an optional property would be filled: its schema says something about its value,
    /// and it is not `writeOnly`.
    private func describesValue(_ schema: JSONValue) -> Bool {
        guard case .object(let s) = follow(schema).0 else { return false }
        if s["writeOnly"] == .bool(true) { return false }
        return ["example", "examples", "default", "enum", "const", "type", "properties", "items", "allOf", "oneOf", "anyOf"]
            .contains { s[$0] != nil }
    }

    /// Whether an optional property's schema (or its array items' schema) leads back into a
    /// `$ref` being expanded.
    private func reentersCycle(_ schema: JSONValue) -> Bool {
        let (resolved, _, cycle) = follow(schema)
        if cycle { return true }
        if let items = resolved["items"], follow(items).2 { return true }
        return false
    }

    /// The schema's type: `type` (the first non-null one of a list), else implied by
    /// `properties` or `items`.
    static func type(of s: JSONObject) -> String? {
        if case .array(let types)? = s["type"] {
            return types.compactMap(\.stringValue).first { $0 != "null" } ?? "null"
        }
        if let type = s["type"]?.stringValue { return type }
        if s["properties"] != nil || s["additionalProperties"] != nil { return "object" }
        if s["items"] != nil { return "array" }
        return nil
    }

    private func numberSample(_ s: JSONObject) -> Double {
        var value = 0.0
        if let minimum = s["minimum"]?.numberValue?.doubleValue { value = max(value, minimum) }
        if let exclusive = s["exclusiveMinimum"]?.numberValue?.doubleValue { value = max(value, exclusive + 1) }
        if s["exclusiveMinimum"] == .bool(true), let minimum = s["minimum"]?.numberValue?.doubleValue { value = max(value, minimum + 1) }
        if let maximum = s["maximum"]?.numberValue?.doubleValue { value = min(value, maximum) }
        if let exclusive = s["exclusiveMaximum"]?.numberValue?.doubleValue { value = min(value, exclusive - 1) }
        if let multiple = s["multipleOf"]?.numberValue?.doubleValue, multiple > 0 {
            value = (value / multiple).rounded(.up) * multiple
        }
        return value
    }

    private func stringSample(_ s: JSONObject, name: String?) -> JSONValue {
        var text: String
        switch s["format"]?.stringValue {
        case "uuid"?: text = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        case "date-time"?: text = "2024-01-01T00:00:00Z"
        case "date"?: text = "2024-01-01"
        case "time"?: text = "00:00:00Z"
        case "email"?: text = "user@example.com"
        case "uri"?, "url"?: text = "https://example.com/"
        case "hostname"?: text = "example.com"
        case "ipv4"?: text = "192.0.2.1"
        case "ipv6"?: text = "2001:db8::1"
        case "byte"?: text = "c3RyaW5n"
        case "password"?: text = "password"
        default: text = name ?? "string"
        }
        if let minLength = s["minLength"]?.intValue, text.count < minLength {
            text += String(repeating: "x", count: min(minLength - text.count, 10_000))
        }
        if let maxLength = s["maxLength"]?.intValue, maxLength >= 0, text.count > maxLength {
            text = String(text.prefix(maxLength))
        }
        return .string(text)
    }
}

/// Writes a JSON value (an example or a synthesised sample) as an XML document, following the
/// OpenAPI XML Object of the schema where it is simple to: `name` renames an element,
/// `attribute` makes a scalar property an attribute, `wrapped` puts an array's items inside an
/// element, `prefix` and `namespace` qualify a name.
///
/// The root element is named by the schema's `xml.name`, else the component its `$ref` names,
/// else `root` (an array at the root is wrapped in one element, `items` when nothing names it).
/// Values without a schema use their member names. Names that are not XML names have their
/// other characters replaced by `_`.
struct XMLSampleWriter {
    let document: OpenAPIDocument
    /// Elements left to write: a size bound for big examples.
    private var budget = 10_000

    init(document: OpenAPIDocument) {
        self.document = document
    }

    /// The XML text of `value` as the document element.
    mutating func write(_ value: JSONValue, schema: JSONValue?) -> String {
        let (resolved, component) = resolve(schema)
        let xml = resolved?["xml"]?.objectValue ?? [:]
        if case .array(let items) = value {
            let (itemSchema, itemComponent) = resolve(resolved?["items"])
            let itemXML = itemSchema?["xml"]?.objectValue ?? [:]
            let wrapper = xml["name"]?.stringValue ?? component ?? "items"
            let itemName = itemXML["name"]?.stringValue ?? itemComponent ?? "item"
            var inner = ""
            for item in items { inner += element(itemName, item, schema: itemSchema, xml: itemXML, depth: 1) }
            return open(wrapper, xml: xml, attributes: "") + inner + close(wrapper, xml: xml)
        }
        return element(xml["name"]?.stringValue ?? component ?? "root", value, schema: resolved, xml: xml, depth: 0)
    }

    /// One element named `name` holding `value`.
    private mutating func element(_ name: String, _ value: JSONValue, schema: JSONObject?, xml: JSONObject, depth: Int) -> String {
        budget -= 1
        guard budget > 0, depth < 32 else { return "" }
        switch value {
        case .object(let members):
            let properties = schema.map { propertySchemas($0) } ?? [:]
            var attributes = ""
            var children = ""
            for (key, member) in members {
                let (memberSchema, _) = resolve(properties[key])
                let memberXML = memberSchema?["xml"]?.objectValue ?? [:]
                let memberName = memberXML["name"]?.stringValue ?? key
                if memberXML["attribute"] == .bool(true), Self.isScalar(member) {
                    attributes += " \(Self.qualified(memberName, memberXML))=\"\(Self.escape(Self.text(member), quotes: true))\""
                } else if case .array(let items) = member {
                    let (itemSchema, _) = resolve(memberSchema?["items"])
                    let itemXML = itemSchema?["xml"]?.objectValue ?? [:]
                    let itemName = itemXML["name"]?.stringValue ?? memberName
                    var inner = ""
                    for item in items { inner += element(itemName, item, schema: itemSchema, xml: itemXML, depth: depth + 2) }
                    if memberXML["wrapped"] == .bool(true) {
                        children += open(memberName, xml: memberXML, attributes: "") + inner + close(memberName, xml: memberXML)
                    } else {
                        children += inner
                    }
                } else {
                    children += element(memberName, member, schema: memberSchema, xml: memberXML, depth: depth + 1)
                }
            }
            if children.isEmpty { return "<" + Self.qualified(name, xml) + namespace(xml) + attributes + "/>" }
            return open(name, xml: xml, attributes: attributes) + children + close(name, xml: xml)
        case .array(let items):
            // An array inside an array has no member name of its own: its items repeat `name`.
            var inner = ""
            for item in items { inner += element(name, item, schema: nil, xml: [:], depth: depth + 1) }
            return open(name, xml: xml, attributes: "") + inner + close(name, xml: xml)
        case .null:
            return "<" + Self.qualified(name, xml) + namespace(xml) + "/>"
        default:
            let text = Self.text(value)
            if text.isEmpty { return "<" + Self.qualified(name, xml) + namespace(xml) + "/>" }
            return open(name, xml: xml, attributes: "") + Self.escape(text, quotes: false) + close(name, xml: xml)
        }
    }

    private func open(_ name: String, xml: JSONObject, attributes: String) -> String {
        "<" + Self.qualified(name, xml) + namespace(xml) + attributes + ">"
    }

    private func close(_ name: String, xml: JSONObject) -> String {
        "</" + Self.qualified(name, xml) + ">"
    }

    /// The `xmlns` declaration an XML Object with a `namespace` asks for.
    private func namespace(_ xml: JSONObject) -> String {
        guard let uri = xml["namespace"]?.stringValue else { return "" }
        let prefix = xml["prefix"]?.stringValue.map { ":" + Self.name($0) } ?? ""
        return " xmlns\(prefix)=\"\(Self.escape(uri, quotes: true))\""
    }

    /// A schema with `$ref`s followed, and the name of the last component reference crossed.
    private func resolve(_ schema: JSONValue?) -> (JSONObject?, String?) {
        guard var current = schema else { return (nil, nil) }
        var component: String?
        var hops = 0
        while case .object(let members) = current, case .string(let ref)? = members["$ref"], hops < 32 {
            guard let next = document.resolveReference(ref) else { break }
            component = ref.split(separator: "/").last.map { percentDecoded(String($0)) }
            current = next
            hops += 1
        }
        return (current.objectValue, component)
    }

    /// The property schemas of an object schema, `allOf` parts merged (the schema's own win).
    private func propertySchemas(_ schema: JSONObject) -> JSONObject {
        var out = JSONObject()
        for part in schema["allOf"]?.arrayValue ?? [] {
            if let resolved = resolve(part).0 {
                for (k, v) in propertySchemas(resolved) { out[k] = v }
            }
        }
        for (k, v) in schema["properties"]?.objectValue ?? [:] { out[k] = v }
        return out
    }

    private static func isScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .array: return false
        default: return true
        }
    }

    /// A scalar as element or attribute text (null is empty).
    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .null: return ""
        default: return ParameterSerialization.text(value)
        }
    }

    /// `prefix:name` when the XML Object gives a prefix.
    private static func qualified(_ name: String, _ xml: JSONObject) -> String {
        let local = Self.name(name)
        guard let prefix = xml["prefix"]?.stringValue, !prefix.isEmpty else { return local }
        return Self.name(prefix) + ":" + local
    }

    /// `text` made into an XML name: letters, digits, `_`, `-` and `.`, not starting with a
    /// digit, `-` or `.`.
    static func name(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let allowed = scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-" || scalar == "."
            out.unicodeScalars.append(allowed ? scalar : "_")
        }
        if let first = out.unicodeScalars.first, !(first.properties.isAlphabetic || first == "_") { out = "_" + out }
        return out.isEmpty ? "_" : out
    }

    /// Escapes text for element content or a double-quoted attribute.
    static func escape(_ text: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

extension JSONValue {
    /// The integer value of an integral number.
    var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d == d.rounded() && abs(d) < 9e15: return Int(d)
        default: return nil
        }
    }
}
