import ArazzoJSON
import ArazzoOpenAPI
import ArazzoExecutor
import ArazzoExpressions
import ArazzoModel

/// A request built for an operation step, with what expressions can read about it.
struct BuiltRequest {
    var request: HTTPRequest
    var exchange: Exchange
    var notes: [String]
}

/// Why a request could not be built (the step fails with kind `request`).
struct RequestBuildFailure: Error {
    var message: String
    var notes: [String] = []
}

/// Headers an Arazzo parameter may not set: framing and routing belong to the client.
private let forbiddenHeaders: Set<String> = ["host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer"]

extension RunSession {
    /// Builds the HTTP request of an operation step (interpreter notes §3 4.1): server, path,
    /// query, headers, cookies, body and security.
    /// A pre-formatted query string made safe for a URL: characters a query may hold (RFC 3986
    /// `query`, and `%` so that an already encoded text stays as written) are kept, anything else
    /// is percent-encoded as UTF-8.
    static func queryStringText(_ text: String) -> String {
        let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?%".utf8)
        var out = ""
        for byte in text.utf8 {
            if kept.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += (byte < 16 ? "%0" : "%") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    func buildRequest(
        step: CompiledStep, sourceName: String, document: OpenAPIDocument, operation: OpenAPIOperation,
        context: EvaluationContext
    ) async -> Result<BuiltRequest, RequestBuildFailure> {
        var notes: [String] = []

        // Server: the per-source override replaces the server URL entirely.
        let base: String
        switch serverBase(sourceName: sourceName, operation: operation) {
        case .success(let b): base = b
        case .failure(let f): return .failure(f)
        }

        var pathText = operation.path
        var queryPieces: [String] = []
        var headers = HeaderFields()
        var cookiePieces: [String] = []
        var queryValues: [String: JSONValue] = [:]
        var pathValues: [String: JSONValue] = [:]

        for parameter in step.parameters {
            guard let location = parameter.location else {
                return .failure(RequestBuildFailure(message: "parameter '\(parameter.name)' has no `in`; operation steps need path, query, header or cookie"))
            }
            let serializationLocation = ParameterSerialization.Location(rawValue: location.rawValue) ?? .query
            let declared = operation.parameter(named: parameter.name, in: serializationLocation)
            let evaluation: ValueTemplate.Evaluation?
            let evaluated: JSONValue?
            if let selection = parameter.selection {
                // A Selector Object that selects nothing is never an empty or omitted parameter:
                // the step fails, naming the selector and why (decision V7).
                switch selection.evaluate(in: context) {
                case .success(let selected):
                    evaluation = nil
                    evaluated = selected
                case .failure(let failure):
                    return .failure(RequestBuildFailure(message: "parameter '\(parameter.name)' has no value: \(failure.message)"))
                }
            } else {
                evaluation = parameter.value.evaluate(in: context)
                evaluated = evaluation?.value
            }
            guard let value = evaluated else {
                let unresolved = evaluation?.omitted.first?.unresolved
                // An input that was not supplied is optional (required ones are checked before the
                // run starts), so a parameter bound to it is left out, as payload members are
                // (issue 12), unless the operation cannot do without it.
                if let unresolved, let input = Self.unsuppliedInput(unresolved, inputs: context.inputs) {
                    if location == .path || declared?.required == true {
                        let kind = location == .path ? "path" : "required \(location.rawValue)"
                        return .failure(RequestBuildFailure(message: "\(kind) parameter '\(parameter.name)' has no value: input '\(input)' was not supplied"))
                    }
                    notes.append("parameter \(parameter.name) (\(location.rawValue)) omitted: input \(input) was not supplied")
                    continue
                }
                // Notes §2.6: any other value that resolves to nothing is an error, not an empty parameter.
                return .failure(RequestBuildFailure(message: "parameter '\(parameter.name)' resolved to nothing: \(unresolved?.description ?? "it did not resolve")"))
            }
            for omission in evaluation?.omitted ?? [] {
                notes.append("parameter \(parameter.name): member \(omission.path) omitted: \(omission.unresolved.reason)")
            }
            // A querystring parameter is the whole query; OpenAPI 3.0/3.1 have no such location.
            if declared == nil, location != .querystring {
                notes.append("parameter \(parameter.name) (\(location.rawValue)) is not declared by operation \(operation.label); sent with the default style")
            }
            if value == .null {
                return .failure(RequestBuildFailure(message: "parameter '\(parameter.name)' resolved to null"))
            }
            let serialization = declared?.serialization ?? ParameterSerialization(location: serializationLocation)
            do {
                switch location {
                case .path:
                    let text = try serialization.pathValue(name: parameter.name, value: value)
                    let placeholder = "{\(parameter.name)}"
                    guard pathText.contains(placeholder) else {
                        return .failure(RequestBuildFailure(message: "path parameter '\(parameter.name)' has no {\(parameter.name)} in the path \(operation.path)"))
                    }
                    pathText = pathText.replacing(placeholder, with: text)
                    pathValues[parameter.name] = value
                case .query:
                    if let contentType = declared?.contentType, RequestBodyEncoder.kind(of: contentType) == .json {
                        queryPieces.append(PercentEncoding.encode(parameter.name) + "=" + PercentEncoding.encode(value.jsonText()))
                    } else {
                        queryPieces.append(contentsOf: try serialization.queryPairs(name: parameter.name, value: value))
                    }
                    queryValues[parameter.name] = value
                case .header:
                    if forbiddenHeaders.contains(parameter.name.lowercased()) {
                        notes.append("header parameter \(parameter.name) not sent: the HTTP client owns that header")
                        continue
                    }
                    headers.set(name: parameter.name, value: try serialization.headerValue(name: parameter.name, value: value))
                case .cookie:
                    cookiePieces.append(contentsOf: try serialization.cookiePairs(name: parameter.name, value: value))
                case .querystring:
                    // The whole query string from one value (Arazzo 1.1, decision V6).
                    switch value {
                    case .string(let text):
                        let query = Self.queryStringText(text.hasPrefix("?") ? String(text.dropFirst()) : text)
                        if !query.isEmpty { queryPieces.append(query) }
                    case .object(let members):
                        do {
                            let query = try RequestBodyEncoder.formEncode(members, encoding: [:])
                            if !query.isEmpty { queryPieces.append(query) }
                        } catch {
                            return .failure(RequestBuildFailure(message: "querystring parameter '\(parameter.name)': \(error.message)"))
                        }
                    default:
                        return .failure(RequestBuildFailure(message: "querystring parameter '\(parameter.name)' must be a string (the whole query, e.g. 'a=1&b=2') or an object, got \(value.typeName)"))
                    }
                    queryValues[parameter.name] = value
                case .channel:
                    // Refused before the run (decision V3); never sent some other way.
                    return .failure(RequestBuildFailure(message: "parameter '\(parameter.name)': `in: channel` is not supported yet"))
                }
            } catch {
                return .failure(RequestBuildFailure(message: error.message))
            }
        }
        if pathText.utf8.contains(UInt8(ascii: "{")), let missing = Self.firstTemplateVariable(in: pathText) {
            return .failure(RequestBuildFailure(message: "path parameter '\(missing)' of \(operation.path) has no value; add a parameter with in: path"))
        }

        // Body.
        var bodyBytes: [UInt8]?
        var requestBodyValue: JSONValue?
        if let body = step.body, let payloadTemplate = body.payload {
            // A payload that did not resolve because an input was not supplied is left out (issue
            // 4); anything else that did not resolve fails the step.
            func omitOrFail(_ path: String, _ unresolved: UnresolvedExpression) -> RequestBuildFailure? {
                if unresolved.expression.hasPrefix("$inputs.") {
                    notes.append("payload member \(path.isEmpty ? "(whole payload)" : path) omitted: input \(unresolved.expression.dropFirst(8)) not supplied")
                    return nil
                }
                return RequestBuildFailure(message: "payload \(path.isEmpty ? "value" : "member " + path): \(unresolved.description)")
            }
            var chosenContentType = body.contentType
            var payloadValue: JSONValue?
            // The payload written as JSON text, once rendered and parsed.
            var jsonText: JSONPayloadText.Rendered?
            if let template = payloadTemplate.wholeTemplate {
                // A template renders to a string whatever its values hold, so the media type is
                // known before it is rendered, and JSON text is rendered the JSON way.
                let contentType = body.contentType ?? Self.contentType(for: operation, payload: .string(""), notes: &notes)
                chosenContentType = contentType
                if RequestBodyEncoder.kind(of: contentType) == .json {
                    switch JSONPayloadText.render(template, in: context) {
                    case .success(let rendered):
                        jsonText = rendered
                        notes.append(contentsOf: rendered.notes)
                        payloadValue = .string(rendered.text)
                    case .failure(.unresolved(let unresolved)):
                        if let failure = omitOrFail("", unresolved) { return .failure(failure) }
                    case .failure(.invalid(let message)):
                        return .failure(RequestBuildFailure(message: message))
                    }
                } else {
                    switch template.render(in: context) {
                    case .success(let text): payloadValue = .string(text)
                    case .failure(let unresolved):
                        if let failure = omitOrFail("", unresolved) { return .failure(failure) }
                    }
                }
            } else {
                let evaluation: ValueTemplate.Evaluation
                switch body.evaluatePayload(payloadTemplate, in: context) {
                case .success(let evaluated): evaluation = evaluated
                case .failure(let failure): return .failure(failure)
                }
                for omission in evaluation.omitted {
                    if let failure = omitOrFail(omission.path, omission.unresolved) { return .failure(failure) }
                }
                payloadValue = evaluation.value
            }
            if var payload = payloadValue {
                let contentType = chosenContentType ?? Self.contentType(for: operation, payload: payload, notes: &notes)
                let kind = RequestBodyEncoder.kind(of: contentType)
                if kind == .json, jsonText == nil, payloadTemplate.isConstant, case .string(let text) = payload {
                    // JSON text written without placeholders is checked the same way before it is sent.
                    switch JSONPayloadText.parse(text, insertions: []) {
                    case .success(let value): jsonText = JSONPayloadText.Rendered(text: text, value: value, notes: [])
                    case .failure(.invalid(let message)): return .failure(RequestBuildFailure(message: message))
                    case .failure(.unresolved(let unresolved)): return .failure(RequestBuildFailure(message: unresolved.description))
                    }
                }
                if !body.replacements.isEmpty, kind == .xml {
                    // A21: under an XML content type the targets are XPath expressions.
                    guard case .string(var xml) = payload else {
                        return .failure(RequestBuildFailure(message: "an XML payload must be a string (XML text) for XPath replacements"))
                    }
                    for replacement in body.replacements {
                        let value: JSONValue
                        switch Self.replacementValue(replacement, in: context) {
                        case .success(let v): value = v
                        case .failure(let failure): return .failure(failure)
                        }
                        if let kind = replacement.targetSelector?.kind, kind != .xpath {
                            return .failure(RequestBuildFailure(message: "replacement target \(replacement.target): targetSelectorType \(kind.rawValue) cannot address an XML payload; use xpath"))
                        }
                        switch XMLReplacement.replacing(in: xml, target: replacement.target, with: ExpressionTemplate.embeddedText(value)) {
                        case .success(let updated): xml = updated
                        case .failure(let failure): return .failure(RequestBuildFailure(message: failure.message))
                        }
                    }
                    payload = .string(xml)
                } else if !body.replacements.isEmpty {
                    // A payload written as text is parsed the way its media type reads it, so that
                    // JSON Pointer targets name its members (A21; form fields since issue 12).
                    if case .string(let text) = payload {
                        switch kind {
                        case .json:
                            if let parsed = jsonText?.value {
                                payload = parsed
                            } else if let parsed = try? JSONValue(parsing: text) {
                                payload = parsed
                            } else {
                                return .failure(RequestBuildFailure(message: "the payload is a string that is not valid JSON, so replacements cannot be applied to it"))
                            }
                        case .form:
                            payload = .object(RequestBodyEncoder.formFields(parsing: text))
                        default:
                            break
                        }
                    }
                    switch Self.applyJSONReplacements(body.replacements, to: payload, in: context) {
                    case .success(let replaced): payload = replaced
                    case .failure(let failure): return .failure(failure)
                    }
                }
                let encodingMap = operation.requestBody?.content.first { $0.mediaType == contentType }?.encoding
                do {
                    let encoded = try RequestBodyEncoder.encode(payload, contentType: contentType, encoding: encodingMap)
                    bodyBytes = encoded.bytes
                    headers.set(name: "Content-Type", value: encoded.contentType)
                    if kind == .json, case .string(let text) = payload {
                        requestBodyValue = jsonText?.value ?? (try? JSONValue(parsing: text)) ?? payload
                    } else {
                        requestBodyValue = payload
                    }
                } catch {
                    return .failure(RequestBuildFailure(message: error.message))
                }
            }
        }

        // Security.
        let applied = await security.apply(operation: operation, document: document, sourceName: sourceName)
        if let failure = applied.failure { return .failure(RequestBuildFailure(message: failure)) }
        notes.append(contentsOf: applied.notes)
        redactor.add(applied.secrets)
        for name in applied.secretHeaders { redactor.addSecretHeader(name) }
        for (name, value) in applied.headers {
            // A header the step sets itself (e.g. `Authorization: Bearer {$steps.login.outputs.token}`)
            // is more specific than a credential bound to the whole source.
            if headers[name] != nil {
                notes.append("header \(name) comes from the step's parameters; the bound credential was not applied to it")
                continue
            }
            headers.set(name: name, value: value)
        }
        queryPieces.append(contentsOf: applied.queryPairs)
        cookiePieces.append(contentsOf: applied.cookiePairs)
        if !cookiePieces.isEmpty {
            headers.set(name: "Cookie", value: cookiePieces.joined(separator: "; "))
        }

        var url = base + pathText
        if !queryPieces.isEmpty {
            url += (url.contains("?") ? "&" : "?") + queryPieces.joined(separator: "&")
        }
        let request = HTTPRequest(
            method: operation.method, url: url, headers: headers, body: bodyBytes,
            timeout: min(requestTimeout(), step.timeout ?? requestTimeout()), maxResponseBytes: options.limits.maxResponseBytes)
        let exchange = Exchange(
            url: url, method: operation.method, requestHeaders: headers, query: queryValues, path: pathValues,
            requestBody: requestBodyValue)
        return .success(BuiltRequest(request: request, exchange: exchange, notes: notes))
    }

    /// The base URL for an operation of `sourceName`, without a trailing slash.
    func serverBase(sourceName: String, operation: OpenAPIOperation) -> Result<String, RequestBuildFailure> {
        let override = options.serverOverrides[sourceName]
        // Overrides are cached by source name, description servers by their own text.
        let key = override == nil ? (operation.servers.first ?? "") : "\u{1}" + sourceName
        if let cached = baseURLs[key] { return .success(cached) }
        var base: String
        if let override {
            base = override
        } else if let server = operation.servers.first {
            base = server
        } else if let placeholder = options.executor.placeholderServerURL {
            base = placeholder  // OpenAPI's default server is `/`; this executor sends nothing
        } else {
            return .failure(RequestBuildFailure(message: "source description '\(sourceName)' declares no servers; give a server override for it (e.g. \(sourceName)=http://127.0.0.1:8080)"))
        }
        if URLReference.scheme(of: base) == nil, let placeholder = options.executor.placeholderServerURL {
            base = URLReference.resolve(base, against: placeholder + "/")
        }
        if URLReference.scheme(of: base) == nil {
            return .failure(RequestBuildFailure(message: "the server URL '\(base)' of source description '\(sourceName)' is relative and the description was not loaded over http; give a server override for '\(sourceName)'"))
        }
        while base.hasSuffix("/") { base.removeLast() }
        baseURLs[key] = base
        return .success(base)
    }

    /// The request body's content type when the step gives none (notes §2.13): the operation's
    /// `application/json` if declared, else its first media type, else inferred from the payload.
    static func contentType(for operation: OpenAPIOperation, payload: JSONValue, notes: inout [String]) -> String {
        let declared = operation.requestBody?.content.map(\.mediaType) ?? []
        if let json = declared.first(where: { RequestBodyEncoder.kind(of: $0) == .json }) {
            if declared.count > 1 { notes.append("request body sent as \(json), the first JSON media type the operation declares") }
            return json
        }
        if let first = declared.first {
            if declared.count > 1 { notes.append("request body sent as \(first), the first media type the operation declares") }
            return first
        }
        if case .string = payload {
            notes.append("the operation declares no request body media type; sent as text/plain")
            return "text/plain"
        }
        notes.append("the operation declares no request body media type; sent as application/json")
        return "application/json"
    }

    /// Applies payload replacements to a JSON (or form) payload: each target is a JSON Pointer by
    /// default (A21); with `targetSelectorType: jsonpath` every node the query selects is replaced,
    /// and none selected fails (V8). HTTP request bodies and AsyncAPI messages share it.
    static func applyJSONReplacements(
        _ replacements: [CompiledReplacement], to payload: JSONValue, in context: EvaluationContext
    ) -> Result<JSONValue, RequestBuildFailure> {
        var payload = payload
        for replacement in replacements {
            let value: JSONValue
            switch replacementValue(replacement, in: context) {
            case .success(let v): value = v
            case .failure(let failure): return .failure(failure)
            }
            var targets = [replacement.target]
            if let selector = replacement.targetSelector {
                switch selector.targetPointers(in: payload) {
                case .success(let pointers): targets = pointers.map(\.description)
                case .failure(let failure):
                    return .failure(RequestBuildFailure(message: "replacement target \(replacement.target): \(failure.reason)"))
                }
            }
            for target in targets {
                do {
                    payload = try RequestBodyEncoder.replacing(in: payload, target: target, with: value)
                } catch {
                    return .failure(RequestBuildFailure(message: error.message))
                }
            }
        }
        return .success(payload)
    }

    /// A replacement's value: its Selector Object's selection (1.1) or its value evaluated; either
    /// that yields nothing fails the step (A21, decision V7).
    static func replacementValue(_ replacement: CompiledReplacement, in context: EvaluationContext) -> Result<JSONValue, RequestBuildFailure> {
        if let selection = replacement.selection {
            return selection.evaluate(in: context).mapError {
                RequestBuildFailure(message: "replacement for \(replacement.target): \($0.message)")
            }
        }
        let evaluation = replacement.value.evaluate(in: context)
        guard let value = evaluation.value else {
            let reason = evaluation.omitted.first?.unresolved.description ?? "it did not resolve"
            return .failure(RequestBuildFailure(message: "replacement for \(replacement.target): \(reason)"))
        }
        return .success(value)
    }

    /// The input an unresolved expression reads when that input was not supplied at all (`$inputs.q`
    /// with no `q`); nil for anything else, such as a pointer into an input that was supplied.
    static func unsuppliedInput(_ unresolved: UnresolvedExpression, inputs: JSONValue?) -> String? {
        guard let expression = try? RuntimeExpression(parsing: unresolved.expression),
              case .inputs(let name) = expression.source else { return nil }
        let supplied = inputs?.objectValue ?? [:]
        // A dotted name whose head was supplied is navigation into that input (A2).
        let suppliedHead = supplied.keys.contains { key in
            key == name || name.hasPrefix(key + ".") || name.hasPrefix(key + "[")
        }
        return suppliedHead ? nil : name
    }

    /// The first `{name}` left in a path after substitution.
    static func firstTemplateVariable(in path: String) -> String? {
        guard let open = path.firstIndex(of: "{") else { return nil }
        let rest = path[path.index(after: open)...]
        guard let close = rest.firstIndex(of: "}") else { return nil }
        return String(rest[..<close])
    }
}
