import ArazzoJSON
public import ArazzoExecutor

/// A step executor that answers every request from the OpenAPI descriptions of a loaded
/// document, without any network: the operation is found by method and path, and the first 2xx
/// response is returned with its example when the description has one, or else a value
/// synthesised from its schema (required properties, formats, enums, bounds, one array item).
///
/// Output is deterministic: the same request always gets the same response. Nothing here is
/// specific to any API.
public struct OpenAPIMockExecutor: StepExecutor {
    private let documents: [OpenAPIDocument]
    private let log = RequestLog()

    /// Answers from the OpenAPI sources of `document` (its nested Arazzo sources included).
    public init(document: LoadedDocument) {
        self.documents = document.openAPIDocuments.keys.sorted().compactMap { document.openAPIDocuments[$0] }
    }

    /// Answers from the given OpenAPI descriptions.
    public init(descriptions: [OpenAPIDocument]) {
        self.documents = descriptions
    }

    /// Every request received so far, in order.
    public var requests: [HTTPRequest] {
        get async { log.requests }
    }

    /// Finds the operation for `request` and answers with its first 2xx response.
    public func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        _ = log.record(request, route: nil)
        let path = InMemoryExecutor.path(of: request.url)
        guard let (document, operation) = match(method: request.method, path: path) else {
            return HTTPResponse(
                status: 404, headers: ["Content-Type": "application/json"],
                body: JSONValue.object(["error": .string("no operation in the descriptions matches \(request.method) \(path)")]).jsonBytes())
        }
        let chosen = operation.responses.first { $0.status.hasPrefix("2") }
            ?? operation.responses.first { $0.status == "default" }
        guard let chosen else { return HTTPResponse(status: 200) }
        let status = Int(chosen.status) ?? (chosen.status.uppercased() == "2XX" ? 200 : 200)
        let media = chosen.content.first { RequestBodyEncoder.kind(of: $0.mediaType) == .json } ?? chosen.content.first
        guard let media else { return HTTPResponse(status: status) }
        let value: JSONValue
        if let example = media.example {
            value = example
        } else if let schema = media.schema {
            var sampler = SchemaSampler(document: document)
            value = sampler.sample(schema, name: nil, depth: 0)
        } else {
            value = .object([:])
        }
        let body: [UInt8]
        switch (RequestBodyEncoder.kind(of: media.mediaType), value) {
        case (.json, _): body = value.jsonBytes()
        case (_, .string(let text)): body = Array(text.utf8)
        default: body = value.jsonBytes()
        }
        return HTTPResponse(status: status, headers: ["Content-Type": media.mediaType], body: body)
    }

    /// The operation whose path template matches the end of `path` (servers may add a prefix),
    /// preferring templates with more literal segments.
    private func match(method: String, path: String) -> (OpenAPIDocument, OpenAPIOperation)? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var best: (OpenAPIDocument, OpenAPIOperation, Int)?
        for document in documents {
            for operation in document.operations where operation.method == method {
                let template = operation.path.split(separator: "/", omittingEmptySubsequences: true)
                guard template.count <= segments.count else { continue }
                let tail = segments.suffix(template.count)
                var literal = 0
                var ok = true
                for (t, s) in zip(template, tail) {
                    if t.hasPrefix("{") && t.hasSuffix("}") { continue }
                    if t != s { ok = false; break }
                    literal += 1
                }
                guard ok else { continue }
                let score = literal * 1000 - (segments.count - template.count)
                if best.map({ score > $0.2 }) ?? true { best = (document, operation, score) }
            }
        }
        return best.map { ($0.0, $0.1) }
    }
}

/// Synthesises a deterministic instance of a JSON Schema (OpenAPI 3.0 or 3.1 dialect).
struct SchemaSampler {
    let document: OpenAPIDocument
    private var budget = 10_000

    init(document: OpenAPIDocument) {
        self.document = document
    }

    mutating func sample(_ schema: JSONValue, name: String?, depth: Int) -> JSONValue {
        budget -= 1
        guard depth < 12, budget > 0 else { return .null }
        let schema = document.dereference(schema)
        guard case .object(let s) = schema else { return schema == .bool(false) ? .null : .object([:]) }
        if let example = s["example"] { return example }
        if case .array(let examples)? = s["examples"], let first = examples.first { return first }
        if let constant = s["const"] { return constant }
        if case .array(let values)? = s["enum"], let first = values.first { return first }
        if let value = s["default"] { return value }
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
            if let properties = s["properties"], case .object(let own) = sample(.object(["type": "object", "properties": properties, "required": s["required"] ?? .array([])]), name: name, depth: depth + 1) {
                for (k, v) in own { merged[k] = v }
            }
            return merged.isEmpty ? (other ?? .object([:])) : .object(merged)
        }
        for key in ["oneOf", "anyOf"] {
            if case .array(let choices)? = s[key], let first = choices.first(where: { document.dereference($0)["type"] != .string("null") }) ?? choices.first {
                return sample(first, name: name, depth: depth + 1)
            }
        }
        var type = s["type"]?.stringValue
        if case .array(let types)? = s["type"] {
            type = types.compactMap(\.stringValue).first { $0 != "null" } ?? "null"
        }
        if type == nil {
            if s["properties"] != nil || s["additionalProperties"] != nil { type = "object" }
            else if s["items"] != nil { type = "array" }
        }
        switch type {
        case "object"?:
            var out = JSONObject()
            let properties = s["properties"]?.objectValue ?? [:]
            let required = Set(s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            for (key, propertySchema) in properties where required.isEmpty || required.contains(key) {
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
