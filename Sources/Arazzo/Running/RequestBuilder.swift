import ArazzoJSON
import ArazzoOpenAPI
import ArazzoExecutor
import ArazzoExpressions
import ArazzoModel
import OrderedCollections

/// A request built for an operation step, with what expressions can read about it.
struct BuiltRequest {
    var request: HTTPRequest
    var exchange: Exchange
    var notes: [String]

    /// Takes the request and notes of `built` (consumed: its fields move, not copied).
    init(_ built: consuming BuiltHTTPRequest, exchange: Exchange) {
        self.exchange = exchange
        notes = built.notes
        request = built.request
    }
}

/// Why a request could not be built (the step fails with kind `request`).
struct RequestBuildFailure: Error {
    var message: String
    var notes: [String] = []
}

extension RunSession {
    /// Builds the HTTP request of an operation step (docs/engine.md, "Running one workflow"; decisions A19–A21): the engine
    /// evaluates each parameter's and the payload's expressions and fetches credentials; the
    /// pure ``RequestBuilding`` (ArazzoOpenAPI) serialises them. The steps interleave so that a
    /// parameter that cannot be sent fails the step before later expressions are evaluated and
    /// before any token is fetched.
    nonisolated(nonsending) func buildRequest(
        step: CompiledStep, target: OperationTarget, context: EvaluationContext
    ) async -> Result<BuiltRequest, RequestBuildFailure> {
        // The operation is read through the target (a reference) at each use: a local copy of
        // it, kept across the awaits below, retained and released each of its fields.
        let sourceName = target.sourceName
        // Server: the per-source override replaces the server URL entirely.
        let base: String
        switch serverBase(sourceName: sourceName, operation: target.operation) {
        case .success(let b): base = b
        case .failure(let f): return .failure(f)
        }
        var builder = RequestBuilding(operation: target.operation, serverBase: base)
        do throws(RequestBuildError) {
            for parameter in step.parameters {
                switch resolveParameter(parameter, operation: target.operation, context: context, notes: &builder.notes) {
                case .failure(let failure): return .failure(failure)
                case .success(nil): continue
                case .success(let resolved?): try builder.add(resolved)
                }
            }
            try builder.finishParameters()
            if let body = step.body, let payloadTemplate = body.payload {
                switch resolveBody(body, payloadTemplate, operation: target.operation, context: context, notes: &builder.notes) {
                case .failure(let failure): return .failure(failure)
                case .success(nil): break
                case .success(let resolved?): try builder.setBody(resolved)
                }
            }
        } catch {
            return .failure(RequestBuildFailure(message: error.message))
        }
        if let failure = await applySecurity(of: target, to: &builder) {
            return .failure(failure)
        }
        let timeout = min(requestTimeout(), step.timeout ?? requestTimeout())
        // Consumed: the builder's fields move into the request (borrowing it copied the request
        // and everything it holds once more per step).
        var built = (consume builder).request(timeout: timeout, maxResponseBytes: options.limits.maxResponseBytes)
        addCookies(to: &built.request, notes: &built.notes)
        let exchange = Exchange(
            url: built.request.url, method: target.operation.method, requestHeaders: built.request.headers,
            query: built.queryValues, path: built.pathValues, requestBody: built.bodyValue)
        return .success(BuiltRequest(built, exchange: exchange))
    }

    /// One parameter of an operation step, evaluated: its value, or why it is left out; nil when
    /// it is not sent at all (an omitted `in: channel` one, noted in `notes`). A value that
    /// cannot be sent fails the step before later parameters are evaluated.
    private func resolveParameter(
        _ parameter: CompiledParameter, operation: OpenAPIOperation, context: EvaluationContext, notes: inout [String]
    ) -> Result<ResolvedParameter?, RequestBuildFailure> {
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
        // `channel` never reaches the builder (checked below); the rest map one to one.
        let resolvedLocation = ResolvedParameter.Location(rawValue: location.rawValue) ?? .query
        let resolved: ResolvedParameter
        if let value = evaluated {
            resolved = ResolvedParameter(
                name: parameter.name, location: resolvedLocation, value: .value(value),
                omittedMembers: (evaluation?.omitted ?? []).map {
                    ResolvedParameter.OmittedMember(path: $0.path, reason: $0.unresolved.reason)
                })
        } else {
            let unresolved = evaluation?.omitted.first?.unresolved
            // An input that was not supplied is optional (required ones are checked before the
            // run starts), so a parameter bound to it is left out, as payload members are
            // (issue 12), unless the operation cannot do without it.
            guard let unresolved, let input = Self.unsuppliedInput(unresolved, inputs: context.inputs) else {
                // Notes §2.6: any other value that resolves to nothing is an error, not an empty parameter.
                return .failure(RequestBuildFailure(message: "parameter '\(parameter.name)' resolved to nothing: \(unresolved?.description ?? "it did not resolve")"))
            }
            if location == .path || declared?.required == true {
                let kind = location == .path ? "path" : "required \(location.rawValue)"
                return .failure(RequestBuildFailure(message: "\(kind) parameter '\(parameter.name)' has no value: input '\(input)' was not supplied"))
            }
            resolved = ResolvedParameter(
                name: parameter.name, location: resolvedLocation,
                value: .omitted(reason: "input \(input) was not supplied"))
        }
        guard location == .channel else { return .success(resolved) }
        // Refused before the run (decision V3); never sent some other way.
        switch resolved.value {
        case .omitted(let reason):
            notes.append("parameter \(parameter.name) (channel) omitted: \(reason)")
            return .success(nil)
        case .value(let value):
            return .failure(RequestBuildFailure(message: value == .null
                ? "parameter '\(parameter.name)' resolved to null"
                : "parameter '\(parameter.name)': `in: channel` is not supported yet"))
        }
    }

    /// Fetches the credentials the operation's security asks for (a token request may go out)
    /// and adds them to the request; their values become secrets of the run.
    nonisolated(nonsending) private func applySecurity(of target: OperationTarget, to builder: inout RequestBuilding) async -> RequestBuildFailure? {
        let applied = await security.apply(to: target)
        // Secrets first: a failed token request's message may quote what it received.
        redactor.add(applied.secrets)
        if let failure = applied.failure { return RequestBuildFailure(message: failure) }
        for header in applied.headers { redactor.addSecretHeader(header.name) }
        builder.apply(SecurityValues(
            headers: applied.headers,
            queryPairs: applied.queryPairs, cookiePairs: applied.cookiePairs, notes: applied.notes))
        return nil
    }

    /// Evaluates a step's payload and applies its replacements: the final payload and the media
    /// type it goes as, or nil when it is left out because an input was not supplied (issue 4).
    private func resolveBody(
        _ body: CompiledBody, _ payloadTemplate: ValueTemplate, operation: OpenAPIOperation, context: EvaluationContext,
        notes: inout [String]
    ) -> Result<ResolvedBody?, RequestBuildFailure> {
        // A payload that did not resolve because an input was not supplied is left out (issue
        // 4); anything else that did not resolve fails the step.
        func omitOrFail(_ path: String, _ unresolved: UnresolvedExpression, notes: inout [String]) -> RequestBuildFailure? {
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
            let contentType = body.contentType ?? operation.requestContentType(for: .string(""), notes: &notes)
            chosenContentType = contentType
            if RequestBodyEncoder.kind(of: contentType) == .json {
                switch JSONPayloadText.render(template, in: context) {
                case .success(let rendered):
                    jsonText = rendered
                    notes.append(contentsOf: rendered.notes)
                    payloadValue = .string(rendered.text)
                case .failure(.unresolved(let unresolved)):
                    if let failure = omitOrFail("", unresolved, notes: &notes) { return .failure(failure) }
                case .failure(.invalid(let message)):
                    return .failure(RequestBuildFailure(message: message))
                }
            } else {
                switch template.render(in: context) {
                case .success(let text): payloadValue = .string(text)
                case .failure(let unresolved):
                    if let failure = omitOrFail("", unresolved, notes: &notes) { return .failure(failure) }
                }
            }
        } else {
            let evaluation: ValueTemplate.Evaluation
            switch body.evaluatePayload(payloadTemplate, in: context) {
            case .success(let evaluated): evaluation = evaluated
            case .failure(let failure): return .failure(failure)
            }
            for omission in evaluation.omitted {
                if let failure = omitOrFail(omission.path, omission.unresolved, notes: &notes) { return .failure(failure) }
            }
            payloadValue = evaluation.value
        }
        guard var payload = payloadValue else { return .success(nil) }
        let contentType = chosenContentType ?? operation.requestContentType(for: payload, notes: &notes)
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
        return .success(ResolvedBody(payload: payload, contentType: contentType, parsedJSON: jsonText?.value))
    }

    /// The base URL for an operation of `sourceName`, without a trailing slash.
    func serverBase(sourceName: String, operation: OpenAPIOperation) -> Result<String, RequestBuildFailure> {
        // Overrides are cached by source name, description servers by their own text.
        if let cached = overrideBaseURLs[sourceName] { return .success(cached) }
        let override = options.serverOverrides[sourceName]
        let key = operation.servers.first ?? ""
        if override == nil, let cached = baseURLs[key] { return .success(cached) }
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
        switch Self.absoluteBase(base, placeholder: options.executor.placeholderServerURL) {
        case .success(let absolute): base = absolute
        case .failure(let relative):
            return .failure(RequestBuildFailure(message: "the server URL '\(relative.text)' of source description '\(sourceName)' is relative and the description was not loaded over http; give a server override for '\(sourceName)'"))
        }
        if override == nil { baseURLs[key] = base } else { overrideBaseURLs[sourceName] = base }
        return .success(base)
    }

    /// A server URL that stays relative (no placeholder server to resolve it against).
    struct RelativeServerURL: Error {
        var text: String
    }

    /// `base` resolved against the executor's placeholder server when it is relative, without
    /// trailing slashes.
    static func absoluteBase(_ base: String, placeholder: String?) -> Result<String, RelativeServerURL> {
        var base = base
        if URLReference.scheme(of: base) == nil, let placeholder {
            base = URLReference.resolve(base, against: placeholder + "/")
        }
        if URLReference.scheme(of: base) == nil { return .failure(RelativeServerURL(text: base)) }
        while base.hasSuffix("/") { base.removeLast() }
        return .success(base)
    }

    /// The base URLs of the server overrides that are usable as given, by source name: written
    /// once per engine (a run's first request of each source resolved its override again).
    static func overrideBases(_ options: RunOptions) -> [String: String] {
        var bases: [String: String] = [:]
        for (sourceName, override) in options.serverOverrides {
            if case .success(let base) = absoluteBase(override, placeholder: options.executor.placeholderServerURL) {
                bases[sourceName] = base
            }
        }
        return bases
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
}
