import Foundation
import ArazzoJSON
import ArazzoJSONSchema
import ArazzoExecutor
import ArazzoOpenAPI
import ArazzoXPath
import OrderedCollections
import Synchronization

/// What the contract checks of one operation step read from its description: the operation,
/// the description's version and URL, and its `$ref` resolver.
///
/// A final class made once per compiled step: the checker was built twice per step (request
/// and response), each time copying the operation and the whole description (a dozen
/// references) into a new closure box for the resolver, and freeing them again.
final class ContractSubject: Sendable {
    let operation: OpenAPIOperation
    let version: String
    let documentURL: String
    let resolve: @Sendable (String) -> JSONValue?

    /// The compiled schemas this operation's checks used, by place and direction: what the
    /// engine's cache (``ContractSchemaCache``) answered for them, kept here so that a check
    /// finds its schema by comparing a few strings instead of hashing the description's URL and
    /// the place under the cache's lock (about 2,400 instructions a step). At most
    /// ``maxCompiledPlaces``; past that the cache is asked as before.
    private let compiled = Mutex<[CompiledPlace]>([])
    private struct CompiledPlace {
        let place: String
        let direction: ContractDirection
        let result: Result<JSONSchema, SchemaError>
    }
    private static let maxCompiledPlaces = 16

    init(document: OpenAPIDocument, operation: OpenAPIOperation) {
        self.operation = operation
        version = document.version
        documentURL = document.url
        resolve = { document.resolveReference($0) }
    }

    /// The compiled schema at `place` for `direction`: the one kept here, else `compile()`'s
    /// answer (the engine's cache), then kept.
    func schema(
        place: String, direction: ContractDirection, compile: () -> Result<JSONSchema, SchemaError>
    ) -> Result<JSONSchema, SchemaError> {
        // By index: `first(where:)` copied each entry it passed (its place and schema) out.
        let known = compiled.withLock { places -> Result<JSONSchema, SchemaError>? in
            for index in places.indices where places[index].direction == direction && places[index].place == place {
                return places[index].result
            }
            return nil
        }
        if let known { return known }
        let result = compile()
        compiled.withLock { places in
            guard places.count < Self.maxCompiledPlaces,
                  !places.contains(where: { $0.direction == direction && $0.place == place }) else { return }
            places.append(CompiledPlace(place: place, direction: direction, result: result))
        }
        return result
    }
}

/// Holds one request or response against the operation it came from (docs/contracts.md).
///
/// Pure: it reads the operation, the description's version and `$ref` resolver, the request as
/// built and the response, and returns findings; compiled schemas come from the engine's cache.
/// Checks at level `off` are skipped entirely.
struct ContractChecker {
    /// The operation and its description, made once per compiled step (``CompiledStep/contractSubject``).
    let subject: ContractSubject
    let cache: ContractSchemaCache
    let policy: ContractPolicy

    var operation: OpenAPIOperation { subject.operation }
    /// The description's `openapi` version (`2.0` for Swagger, converted to the 3.0 shape).
    var version: String { subject.version }
    /// The description's URL, the cache key of its schemas.
    var documentURL: String { subject.documentURL }
    /// Resolves a `$ref` as written in the description.
    var resolve: @Sendable (String) -> JSONValue? { subject.resolve }

    /// At most this many schema findings per body, header or parameter (the rest are counted).
    static let maxFindingsPerValue = 10

    // MARK: - Requests

    /// The request checks: each declared parameter as built (from the values the step gave, and
    /// the headers and cookies as sent), and the body as built.
    func checkRequest(
        headers: HeaderFields, query: [String: JSONValue], path: [String: JSONValue], body: JSONValue?, hasBody: Bool
    ) -> [ContractFinding] {
        var findings: [ContractFinding] = []
        if policy.level(of: .requestParameter) != .off {
            for parameter in operation.parameters {
                findings += checkParameter(parameter, headers: headers, query: query, path: path)
            }
        }
        if policy.level(of: .requestBody) != .off, let requestBody = operation.requestBody {
            findings += checkRequestBody(requestBody, headers: headers, body: body, hasBody: hasBody)
        }
        return findings
    }

    /// Headers OpenAPI says a parameter cannot describe (§4.8.12.1): the client or security owns them.
    private static let ignoredHeaderParameters: Set<String> = ["accept", "content-type", "authorization"]

    private func checkParameter(
        _ parameter: OpenAPIParameter, headers: HeaderFields, query: [String: JSONValue], path: [String: JSONValue]
    ) -> [ContractFinding] {
        let value: JSONValue?
        // Headers and cookies are compared as sent (text read back in `simple` style); path and
        // query values as the step gave them, read as they travel.
        var sentText: String?
        switch parameter.location {
        case .path: value = path[parameter.name]
        case .query: value = query[parameter.name]
        case .header:
            guard !Self.ignoredHeaderParameters.contains(HeaderFields.canonicalName(parameter.name)) else { return [] }
            sentText = headers[parameter.name]
            value = sentText.map { .string($0) }
        case .cookie:
            sentText = Self.cookie(named: parameter.name, in: headers["Cookie"])
            value = sentText.map { .string($0) }
        }
        let label = "\(parameter.location.rawValue) parameter '\(parameter.name)'"
        guard let value else {
            guard parameter.required else { return [] }
            return [finding(.requestParameter, "required \(label) is missing", pointer: parameter.name, expected: "present", found: "absent")]
        }
        guard let schema = parameter.schema else { return [] }
        // A value with a `content` media type is checked as the JSON it is; a plain one as the
        // text it becomes on the wire, read back the way the schema's types read it.
        let instance: JSONValue
        if parameter.contentType != nil {
            instance = sentText.flatMap { try? JSONValue(parsing: $0) } ?? value
        } else if let sentText {
            instance = headerValue(sentText, schema: schema)
        } else {
            instance = wireValue(value, schema: schema, depth: 0)
        }
        let place = operation.pointer + "/parameters/" + parameter.location.rawValue + "/" + parameter.name
        return validate(instance, schema: schema, place: place, direction: .request, check: .requestParameter,
                        subject: label, pointerPrefix: parameter.name)
    }

    private func checkRequestBody(
        _ requestBody: OpenAPIRequestBody, headers: HeaderFields, body: JSONValue?, hasBody: Bool
    ) -> [ContractFinding] {
        guard hasBody else {
            guard requestBody.required else { return [] }
            return [finding(.requestBody, "the operation requires a request body and the step sends none", expected: "a body", found: "none")]
        }
        guard !requestBody.content.isEmpty else { return [] }
        let contentType = headers["Content-Type"] ?? ""
        guard let media = OpenAPIMediaType.bestMatch(contentType, in: requestBody.content) else {
            return [finding(.requestBody, "Content-Type '\(contentType)' is not among the request body's media types",
                            expected: requestBody.content.map(\.mediaType).joined(separator: ", "), found: contentType)]
        }
        guard let schema = media.schema, let body else { return [] }
        let instance: JSONValue
        var findings: [ContractFinding] = []
        switch Self.bodyKind(contentType) {
        case .json: instance = body
        case .form: instance = wireValue(body, schema: schema, depth: 0)
        case .text: instance = body
        case .xml:
            // An XML payload is XML text (a string); anything else was refused by the encoder.
            guard case .string(let text) = body else { return [] }
            switch readXML(Array(text.utf8), schema: schema, check: .requestBody, subject: "the request body") {
            case .failure(let finding): return [finding]
            case .success(let read):
                instance = read.value
                findings += read.findings
            }
        case .other: return []
        }
        let place = schemaPlace(schema, fallback: operation.pointer + "/requestBody/" + media.mediaType)
        // Joined only when the XML reading found something: a copy of the array per check else.
        guard findings.isEmpty else {
            return findings + validate(instance, schema: schema, place: place, direction: .request, check: .requestBody, subject: "the request body")
        }
        return validate(instance, schema: schema, place: place, direction: .request, check: .requestBody, subject: "the request body")
    }

    // MARK: - Responses

    /// The response checks: status, then (for the matched response) headers, content type and body.
    ///
    /// `parsedBody` is the body as the run already parsed it for `$response.body` (JSON media types),
    /// so a JSON body is parsed once per response; nil to parse it here. `bodyTape` is the body's
    /// JSON index when the run has one: the schema's verdict is then read on it, and a tree is
    /// built only for a body that breaks the schema (decision TP3).
    func checkResponse(
        method: String, response: HTTPResponse, parsedBody: JSONValue? = nil, bodyTape: JSONTape? = nil
    ) -> [ContractFinding] {
        // An operation that declares no responses says nothing to hold a response to (decision CT1).
        guard !operation.responses.isEmpty else { return [] }
        guard let matched = OpenAPIResponse.matching(status: response.status, in: operation.responses) else {
            guard policy.level(of: .status) != .off else { return [] }
            return [finding(.status, "status \(response.status) is not declared for \(operation.label)",
                            expected: operation.responses.map(\.status).joined(separator: ", "), found: String(response.status))]
        }
        var findings: [ContractFinding] = []
        if policy.level(of: .header) != .off, !matched.headers.isEmpty {
            findings += checkHeaders(matched, response: response)
        }
        // HEAD answers describe the GET's body without sending one; 204 and 304 have none (decision CT2).
        guard method != "HEAD", response.status != 204, response.status != 304, !matched.content.isEmpty else {
            return findings
        }
        let checkContentType = policy.level(of: .contentType) != .off
        let checkBody = policy.level(of: .body) != .off
        guard checkContentType || checkBody else { return findings }
        // Written only for a finding: joining the media types cost every conforming response.
        var declared: String { matched.content.map(\.mediaType).joined(separator: ", ") }
        guard !response.body.isEmpty else {
            if checkBody {
                findings.append(finding(.body, "the response has no body; status \(matched.status) declares \(declared)",
                                        expected: declared, found: "no body"))
            }
            return findings
        }
        let media: OpenAPIMediaType
        // Read once: each header look-up compares names case-insensitively.
        let contentType = response.headers["Content-Type"]
        if let contentType {
            guard let found = OpenAPIMediaType.bestMatch(contentType, in: matched.content) else {
                if checkContentType {
                    findings.append(finding(.contentType, "Content-Type '\(contentType)' is not declared for status \(matched.status)",
                                            expected: declared, found: contentType))
                }
                return findings
            }
            media = found
        } else {
            if checkContentType {
                findings.append(finding(.contentType, "the response has a body but no Content-Type header", expected: declared, found: "none"))
            }
            // With one declared media type, that is what the body is held to.
            guard matched.content.count == 1, let only = matched.content.first else { return findings }
            media = only
        }
        guard checkBody, let schema = media.schema else { return findings }
        let actualType = contentType ?? media.mediaType
        let instance: JSONValue
        switch Self.bodyKind(actualType) {
        case .json:
            if let bodyTape {
                let place = schemaPlace(schema, fallback: operation.pointer + "/responses/" + matched.status + "/" + media.mediaType)
                let violations = validate(
                    bodyTape.root.value, tape: bodyTape.root, schema: schema, place: place, direction: .response,
                    check: .body, subject: "the body")
                // Appended only when there are some: an append of nothing still cost a call.
                if !violations.isEmpty { findings += violations }
                return findings
            }
            // A string may be the run's fallback for text that is not JSON: parse it here then.
            if let parsedBody, parsedBody.stringValue == nil {
                instance = parsedBody
            } else {
                do {
                    instance = try JSONValue(parsing: response.body)
                } catch {
                    findings.append(finding(.body, "the body is not valid JSON: \(error.message)", expected: "JSON", found: Self.preview(response.body)))
                    return findings
                }
            }
        case .form:
            let text = String(decoding: response.body, as: UTF8.self)
            instance = wireValue(.object(RequestBodyEncoder.formFields(parsing: text)), schema: schema, depth: 0)
        case .text:
            instance = .string(String(decoding: response.body, as: UTF8.self))
        case .xml:
            switch readXML(response.body, schema: schema, check: .body, subject: "the body") {
            case .failure(let finding):
                findings.append(finding)
                return findings
            case .success(let read):
                instance = read.value
                findings += read.findings
            }
        case .other:
            // Binary, multipart and other media types are not checked against their schema (docs/contracts.md).
            return findings
        }
        let place = schemaPlace(schema, fallback: operation.pointer + "/responses/" + matched.status + "/" + media.mediaType)
        findings += validate(instance, schema: schema, place: place, direction: .response, check: .body, subject: "the body")
        return findings
    }

    private func checkHeaders(_ matched: OpenAPIResponse, response: HTTPResponse) -> [ContractFinding] {
        var findings: [ContractFinding] = []
        for name in matched.headers.keys.sorted() {
            // OpenAPI: a `Content-Type` response header definition is ignored (content covers it).
            guard !HeaderFields.namesMatch(name, "content-type"), case .object(let header)? = matched.headers[name] else { continue }
            guard let text = response.headers[name] else {
                if header["required"] == .bool(true) {
                    findings.append(finding(.header, "required header '\(name)' is missing", pointer: name, expected: "present", found: "absent"))
                }
                continue
            }
            guard let schema = header["schema"] ?? Self.contentSchema(header["content"]) else { continue }
            let instance = header["schema"] != nil ? headerValue(text, schema: schema) : ((try? JSONValue(parsing: text)) ?? .string(text))
            let place = operation.pointer + "/responses/" + matched.status + "/headers/" + name
            findings += validate(instance, schema: schema, place: place, direction: .response, check: .header,
                                 subject: "header '\(name)'", pointerPrefix: name)
        }
        return findings
    }

    // MARK: - Matching

    enum BodyKind { case json, form, text, xml, other }

    /// How a body of `mediaType` is read for validation.
    static func bodyKind(_ mediaType: String) -> BodyKind {
        if mediaType == "application/json" { return .json }
        let e = OpenAPIMediaType.essence(mediaType)
        if e.subtype == "json" || e.subtype.hasSuffix("+json") { return .json }
        if e.type == "application", e.subtype == "x-www-form-urlencoded" { return .form }
        if (e.type == "application" || e.type == "text"), e.subtype == "xml" { return .xml }
        if e.subtype.hasSuffix("+xml") { return .xml }
        if e.type == "text", e.subtype != "html" { return .text }
        return .other
    }

    /// An XML body read for validation, or the finding that says why it could not be.
    enum XMLRead {
        case success((value: JSONValue, findings: [ContractFinding]))
        case failure(ContractFinding)
    }

    /// An XML body read against its schema (decision CT7): the value to validate and a root-name
    /// finding, or the finding for a body that is not well-formed XML.
    private func readXML(
        _ bytes: [UInt8], schema: JSONValue, check: ContractCheck, subject: String
    ) -> XMLRead {
        switch XPath.parseTree(bytes) {
        case .failure(let error):
            return .failure(finding(check, "\(subject) is not valid XML: \(error.message)", expected: "XML", found: Self.preview(bytes)))
        case .success(let root):
            let read = XMLBodyReader(checker: self).read(root, schema: schema)
            var findings: [ContractFinding] = []
            if let mismatch = read.mismatch {
                findings.append(finding(check, "the root element is <\(mismatch.found)>; the schema names it <\(mismatch.expected)>",
                                        keyword: "xml.name", expected: mismatch.expected, found: mismatch.found))
            }
            return .success((read.value, findings))
        }
    }

    private static func contentSchema(_ content: JSONValue?) -> JSONValue? {
        guard case .object(let media)? = content, let first = media.values.first else { return nil }
        return first.objectValue?["schema"]
    }

    /// The value of `name` in a `Cookie` header.
    static func cookie(named name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            guard let eq = trimmed.firstIndex(of: "=") else { continue }
            if trimmed[..<eq] == name { return String(trimmed[trimmed.index(after: eq)...]) }
        }
        return nil
    }

    // MARK: - Values on the wire

    /// The schema behind a chain of `$ref`s (bounded as the description index bounds it), nil when
    /// the chain breaks or does not end.
    func dereferenced(_ schema: JSONValue?) -> JSONObject? {
        guard let schema, case .object(let members) = OpenAPIDocument.dereference(schema, resolve: resolve),
              members["$ref"]?.stringValue == nil else { return nil }
        return members
    }

    func typeNames(_ schema: JSONObject?) -> [String] {
        switch schema?["type"] {
        case .string(let name)?: return [name]
        case .array(let names)?: return names.compactMap(\.stringValue)
        default: return []
        }
    }

    /// `value` as it reads after a trip over the wire as text: scalars become the text they are
    /// sent as, read back as the schema's type when the text is one (`"7"` for an `integer` is 7,
    /// 7 for a `string` is `"7"`); arrays and objects element by element.
    func wireValue(_ value: JSONValue, schema: JSONValue?, depth: Int) -> JSONValue {
        guard depth < 32 else { return value }
        let resolved = dereferenced(schema)
        switch value {
        case .array(let items):
            return .array(items.map { wireValue($0, schema: resolved?["items"], depth: depth + 1) })
        case .object(let members):
            let properties = resolved?["properties"]?.objectValue
            var out = JSONObject()
            for (name, member) in members {
                out[name] = wireValue(member, schema: properties?[name] ?? resolved?["additionalProperties"], depth: depth + 1)
            }
            return .object(out)
        case .string(let text):
            return typed(text, resolved)
        case .int, .double, .bool:
            let text = value.jsonText()
            return typeNames(resolved).contains("string") ? .string(text) : value
        case .null:
            return value
        }
    }

    /// `text` read as the schema's scalar type when it is one, else the string itself.
    private func typed(_ text: String, _ schema: JSONObject?) -> JSONValue {
        let types = typeNames(schema)
        if types.contains("integer"), let int = Int(text) { return .int(int) }
        if types.contains("number") {
            if let int = Int(text) { return .int(int) }
            if let double = Double(text), double.isFinite { return .double(double) }
        }
        if types.contains("boolean"), text == "true" || text == "false" { return .bool(text == "true") }
        if types.contains("array") {
            let items = schema?["items"]
            return .array(text.split(separator: ",", omittingEmptySubsequences: false).map {
                typed(String($0), dereferenced(items))
            })
        }
        return .string(text)
    }

    /// A header value after `simple`-style deserialisation (OpenAPI §4.8.12.4): a comma list for
    /// arrays, `k,v,…` or `k=v,…` pairs for objects, the scalar otherwise.
    func headerValue(_ text: String, schema: JSONValue) -> JSONValue {
        let resolved = dereferenced(schema)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if typeNames(resolved).contains("object") {
            let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            var members = JSONObject()
            let properties = resolved?["properties"]?.objectValue
            if parts.allSatisfy({ $0.contains("=") }) {
                for part in parts {
                    let pair = part.split(separator: "=", maxSplits: 1)
                    let name = String(pair[0])
                    members[name] = typed(pair.count > 1 ? String(pair[1]) : "", dereferenced(properties?[name]))
                }
            } else {
                var index = 0
                while index + 1 < parts.count {
                    members[parts[index]] = typed(parts[index + 1], dereferenced(properties?[parts[index]]))
                    index += 2
                }
            }
            return .object(members)
        }
        if typeNames(resolved).contains("array") {
            return .array(trimmed.split(separator: ",", omittingEmptySubsequences: false).map {
                typed($0.trimmingCharacters(in: .whitespaces), dereferenced(resolved?["items"]))
            })
        }
        return typed(trimmed, resolved)
    }

    // MARK: - Validation

    /// Where a schema lives, as its cache key: a lone `$ref` is keyed by its target, so every
    /// operation that references one schema shares its compiled form.
    /// The fallback is built only when it is the key: joining it for every check cost two
    /// allocations per body (docs/performance.md).
    private func schemaPlace(_ schema: JSONValue, fallback: @autoclosure () -> String) -> String {
        if case .object(let members) = schema, members.count == 1, case .string(let reference)? = members["$ref"] {
            return reference
        }
        return fallback()
    }

    private func validate(
        _ instance: @autoclosure () -> JSONValue, tape: JSONTape.Node? = nil, schema: JSONValue, place: String, direction: ContractDirection, check: ContractCheck,
        subject: String, pointerPrefix: String = ""
    ) -> [ContractFinding] {
        let compiled = self.subject.schema(place: place, direction: direction) {
            cache.schema(schema, place: place, document: documentURL, version: version, direction: direction, resolve: resolve)
        }
        switch compiled {
        case .failure(let error):
            return [finding(check, "\(subject) was not checked: the description's schema cannot be compiled (\(error.message))",
                            pointer: pointerPrefix, keyword: "schema")]
        case .success(let jsonSchema):
            let violations = tape.map { jsonSchema.validate($0) } ?? jsonSchema.validate(instance())
            guard !violations.isEmpty else { return [] }
            // Only a body that breaks the schema is read whole, for the values the findings show.
            let instance = instance()
            var findings: [ContractFinding] = []
            for violation in violations.prefix(Self.maxFindingsPerValue) {
                let pointer = violation.instancePointer
                var message = violation.message
                var expected: String?
                var found: String?
                if violation.keyword == "false" {
                    message = direction == .request
                        ? "the property must not be sent: the description marks it readOnly (or forbids it)"
                        : "the property must not be returned: the description marks it writeOnly (or forbids it)"
                    found = "present"
                } else if let range = message.range(of: ", found ") , message.hasPrefix("expected ") {
                    expected = String(message[message.index(message.startIndex, offsetBy: 9)..<range.lowerBound])
                    found = String(message[range.upperBound...])
                } else if violation.keyword != "required", let value = Self.value(at: pointer, in: instance) {
                    found = value.jsonText()
                }
                let where_ = pointerPrefix.isEmpty ? pointer : pointerPrefix + pointer
                findings.append(finding(check, message, pointer: where_, keyword: violation.keyword, expected: expected, found: found))
            }
            if violations.count > Self.maxFindingsPerValue {
                findings.append(finding(check, "\(violations.count - Self.maxFindingsPerValue) more violations in \(subject) not listed",
                                        pointer: pointerPrefix))
            }
            return findings
        }
    }

    func finding(
        _ check: ContractCheck, _ message: String, pointer: String = "", keyword: String? = nil, expected: String? = nil,
        found: String? = nil
    ) -> ContractFinding {
        ContractFinding(
            check: check, severity: policy.level(of: check) == .error ? .error : .warning, message: message,
            pointer: pointer, keyword: keyword, expected: expected, found: found)
    }

    private static func value(at pointer: String, in instance: JSONValue) -> JSONValue? {
        guard let parsed = try? JSONPointer(parsing: pointer) else { return nil }
        return try? parsed.resolve(in: instance)
    }

    private static func preview(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(160), as: UTF8.self)
    }

}
