import ArazzoJSON
import ArazzoOpenAPI
import ArazzoDiagnostics
import ArazzoModel

/// What a step's `operationId` / `operationPath` / `workflowId` refers to.
enum ResolvedTarget: Sendable {
    /// An OpenAPI operation of the source `sourceName` (a name in the step's own document).
    case operation(sourceName: String, document: OpenAPIDocument, operation: OpenAPIOperation)
    /// A workflow of a loaded Arazzo document.
    case workflow(WorkflowKey)
    /// A channel of an AsyncAPI source (Arazzo 1.1): an `operationId` of an AsyncAPI operation
    /// or a `channelPath`.
    case message(MessageTarget)
}

/// A workflow in one of the loaded documents.
struct WorkflowKey: Sendable, Hashable, CustomStringConvertible {
    let unitURL: String
    let workflowId: String
    var description: String { workflowId }

    /// Hashes the workflow id alone; equality still compares both. A run looks its workflow up
    /// about six times (plan, completed and running workflows), and hashing the unit's URL (an
    /// absolute path or URL, often a hundred bytes) each time cost more than the rest of the
    /// lookups. Two workflows of one id in different units only share a bucket.
    func hash(into hasher: inout Hasher) {
        hasher.combine(workflowId)
    }
}

/// Why a reference did not resolve: a message and optional notes ("did you mean").
struct ResolutionFailure: Error, Sendable {
    let message: String
    var notes: [String] = []
    /// A case-only mismatch (`PAR` vs `Par`).
    var suggestion: String?
    /// The rule the failure is reported under.
    var code = "unknown-operation"
}

/// A step target written against the letter of the spec whose meaning is still evident (issue 11):
/// the run uses `replacement`'s meaning, and validation reports a warning whose fix-it writes it.
struct Leniency: Sendable {
    /// The rule (`operation-id-unqualified`, `operation-id-source-prefix`, `operation-path-form`).
    let code: String
    /// What was written, the rule it breaks and what the run does instead.
    let message: String
    /// The field's text as the spec would have it.
    let replacement: String
}

/// Resolves operation and workflow references of one Arazzo document against its loaded sources
/// (docs/engine.md, "Loading"; source selection is decision A23).
struct OperationResolver {
    let loaded: LoadedDocument
    let unit: ArazzoUnit

    /// The openapi sources of the unit, in declaration order.
    var openAPISources: [(name: String, document: OpenAPIDocument)] {
        unit.document.sourceDescriptions.compactMap { source in
            guard case .openapi(let url)? = unit.sources[source.name], let doc = loaded.openAPIDocuments[url] else { return nil }
            return (source.name, doc)
        }
    }

    /// What the target refers to, with any departure from the letter of the spec read as meant.
    func resolve(_ target: Step.Target, action: Step.AsyncAction? = nil) -> Result<ResolvedTarget, ResolutionFailure> {
        resolveLeniently(target, action: action).result
    }

    /// What the target refers to, and the warning owed when it was written against the letter of
    /// the spec but has one evident meaning. `action` is the step's (AsyncAPI steps).
    func resolveLeniently(_ target: Step.Target, action: Step.AsyncAction? = nil) -> (result: Result<ResolvedTarget, ResolutionFailure>, leniency: Leniency?) {
        switch target {
        case .operationId(let e):
            if let asyncResult = resolveAsyncOperationId(e.text, action: action) { return (asyncResult, nil) }
            return resolveOperationId(e.text)
        case .operationPath(let e):
            // The 1.1 text's own example writes `operationPath: $sourceDescriptions.<asyncapi>.<id>`:
            // an operationId in the wrong field, whose meaning is evident.
            if e.text.hasPrefix("$sourceDescriptions."), case .success(let target)? = resolveAsyncOperationId(e.text, action: action) {
                return (.success(target), Leniency(
                    code: "operation-path-form",
                    message: "`operationPath` names AsyncAPI operation `\(e.text)` the way `operationId` does (an operationPath is `{$sourceDescriptions.<name>.url}#<pointer>`); it is read as `operationId`",
                    replacement: OperationResolver.renameToOperationId))
            }
            return resolveOperationPath(e.text)
        case .workflowId(let e): return (resolveWorkflow(e.text), nil)
        case .channelPath(let e): return (resolveChannelPath(e.text, action: action), nil)
        }
    }

    func resolveOperationId(_ text: String) -> (result: Result<ResolvedTarget, ResolutionFailure>, leniency: Leniency?) {
        if text.hasPrefix("$sourceDescriptions.") { return (resolveQualifiedOperationId(text), nil) }
        let sources = openAPISources
        var matches: [(String, OpenAPIDocument, OpenAPIOperation)] = []
        for (name, document) in sources {
            if let operation = document.operation(id: text) { matches.append((name, document, operation)) }
        }
        if matches.count == 1, let (name, document, operation) = matches.first {
            let resolved = ResolvedTarget.operation(sourceName: name, document: document, operation: operation)
            guard sources.count > 1 else { return (.success(resolved), nil) }
            // The spec: with several sources an operationId MUST be qualified. Found in exactly
            // one, the meaning is still evident.
            let qualified = "$sourceDescriptions.\(name).\(text)"
            return (.success(resolved), Leniency(
                code: "operation-id-unqualified",
                message: "with \(sources.count) OpenAPI sources the spec requires a qualified operationId (`$sourceDescriptions.<name>.<operationId>`); `\(text)` exists only in source `\(name)`, so that operation is used",
                replacement: qualified))
        }
        if matches.count > 1 {
            let names = matches.map { "`\($0.0)`" }.joined(separator: ", ")
            return (.failure(ResolutionFailure(
                message: "operationId `\(text)` exists in several source descriptions (\(names)); write `$sourceDescriptions.<name>.\(text)` to choose one",
                notes: matches.map { "$sourceDescriptions.\($0.0).\(text)" }, code: "ambiguous-operation-id")), nil)
        }
        // `shopAPI.getProduct`: a source name, a dot and an operationId of that source (the
        // whole text is no operationId anywhere, checked above).
        if let dot = text.firstIndex(of: ".") {
            let sourceName = String(text[..<dot])
            let operationId = String(text[text.index(after: dot)...])
            if let (_, document) = sources.first(where: { $0.name == sourceName }),
                let operation = document.operation(id: operationId)
            {
                let qualified = "$sourceDescriptions.\(sourceName).\(operationId)"
                return (.success(.operation(sourceName: sourceName, document: document, operation: operation)), Leniency(
                    code: "operation-id-source-prefix",
                    message: "`\(text)` is no operationId, but `\(sourceName)` is a source description with an operation `\(operationId)`; the spec writes it `\(qualified)`, and that operation is used",
                    replacement: qualified))
            }
        }
        return (.failure(missingOperation(text, in: sources)), nil)
    }

    private func resolveQualifiedOperationId(_ text: String) -> Result<ResolvedTarget, ResolutionFailure> {
        if text.hasPrefix("$sourceDescriptions.") {
            guard let (sourceName, operationId) = ExpressionString.sourceQualifiedName(text) else {
                return .failure(ResolutionFailure(message: "'\(text)' must have the form $sourceDescriptions.<name>.<operationId>"))
            }
            switch sourceBinding(sourceName) {
            case .failure(let f): return .failure(f)
            case .success(.arazzo):
                return .failure(ResolutionFailure(message: "source description '\(sourceName)' is an Arazzo document; an operationId must name an openapi source (use workflowId for workflows)"))
            case .success(.unavailable):
                return .failure(ResolutionFailure(message: "source description '\(sourceName)' could not be loaded"))
            case .success(.asyncapi):
                return .failure(ResolutionFailure(message: "source description '\(sourceName)' is an AsyncAPI description"))
            case .success(.openapi(let url)):
                guard let document = loaded.openAPIDocuments[url] else {
                    return .failure(ResolutionFailure(message: "source description '\(sourceName)' could not be loaded"))
                }
                if let operation = document.operation(id: operationId) {
                    return .success(.operation(sourceName: sourceName, document: document, operation: operation))
                }
                return .failure(missingOperation(operationId, in: [(sourceName, document)], qualified: true))
            }
        }
        return .failure(ResolutionFailure(message: "'\(text)' must have the form $sourceDescriptions.<name>.<operationId>"))
    }

    /// `qualified`: the reference was written `$sourceDescriptions.<name>.<id>`, so a suggestion
    /// keeps that form.
    private func missingOperation(
        _ operationId: String, in sources: [(name: String, document: OpenAPIDocument)], qualified written: Bool = false
    ) -> ResolutionFailure {
        let lowered = operationId.lowercased()
        for (name, document) in sources {
            for operation in document.operations {
                if let id = operation.operationId, id.lowercased() == lowered {
                    let qualified = sources.count > 1 || written ? "$sourceDescriptions.\(name).\(id)" : id
                    return ResolutionFailure(
                        message: "no operation '\(operationId)' in source description '\(name)'; operationIds are case-sensitive: did you mean '\(id)'?",
                        suggestion: qualified)
                }
            }
        }
        let near = suggestions(operationId, among: sources.flatMap { $0.document.operations.compactMap(\.operationId) })
        let names = sources.map { "'\($0.name)'" }.joined(separator: ", ")
        var failure = ResolutionFailure(
            message: sources.isEmpty
                ? "no operation '\(operationId)': the document has no loaded openapi source description"
                : "no operation '\(operationId)' in source description\(sources.count == 1 ? "" : "s") \(names)")
        if !near.isEmpty {
            // Only a note: an edit-distance guess is not an evident meaning, so it gets no fix-it.
            failure.notes = ["did you mean " + near.map { "'\($0)'" }.joined(separator: " or ") + "?"]
        }
        return failure
    }

    func resolveOperationPath(_ text: String) -> (result: Result<ResolvedTarget, ResolutionFailure>, leniency: Leniency?) {
        // `api#/paths/…`: a source name where the spec embeds `{$sourceDescriptions.api.url}`.
        if !text.hasPrefix("{"), let hash = text.firstIndex(of: "#"), unit.sources[String(text[..<hash])] != nil {
            let canonical = "{$sourceDescriptions.\(text[..<hash]).url}" + text[hash...]
            let (result, inner) = resolveOperationPath(canonical)
            guard case .success = result else { return (result, nil) }
            var message = "`operationPath` names source `\(text[..<hash])` directly; the spec writes `{$sourceDescriptions.\(text[..<hash]).url}#<pointer>`, and that is how it is read"
            if let inner { message += "; also, " + inner.message }
            return (result, Leniency(code: "operation-path-form", message: message, replacement: inner?.replacement ?? canonical))
        }
        let prefix = "{$sourceDescriptions."
        guard text.hasPrefix(prefix), let close = text.firstIndex(of: "}") else {
            return (.failure(ResolutionFailure(message: "operationPath must start with {$sourceDescriptions.<name>.url}, followed by #<json-pointer>")), nil)
        }
        let inner = text[text.index(text.startIndex, offsetBy: prefix.count)..<close]
        guard inner.hasSuffix(".url") else {
            return (.failure(ResolutionFailure(message: "operationPath must embed {$sourceDescriptions.<name>.url}; found {\(inner.dropFirst(0))}")), nil)
        }
        let sourceName = String(inner.dropLast(4))
        let rest = text[text.index(after: close)...]
        guard rest.hasPrefix("#") else {
            return (.failure(ResolutionFailure(message: "operationPath must continue with '#' and a JSON pointer such as #/paths/~1pets/get")), nil)
        }
        let fragment = percentDecoded(String(rest.dropFirst()))
        let pointer: JSONPointer
        do {
            pointer = try JSONPointer(parsing: fragment)
        } catch {
            return (.failure(ResolutionFailure(message: "the operationPath fragment '\(fragment)' is not a JSON pointer: \(error.message)")), nil)
        }
        let document: OpenAPIDocument
        switch sourceBinding(sourceName) {
        case .failure(let f): return (.failure(f), nil)
        case .success(.openapi(let url)):
            guard let d = loaded.openAPIDocuments[url] else {
                return (.failure(ResolutionFailure(message: "source description '\(sourceName)' could not be loaded")), nil)
            }
            document = d
        case .success(.arazzo):
            return (.failure(ResolutionFailure(message: "source description '\(sourceName)' is an Arazzo document; operationPath needs an openapi source")), nil)
        case .success(.unavailable):
            return (.failure(ResolutionFailure(message: "source description '\(sourceName)' could not be loaded")), nil)
        case .success(.asyncapi):
            return (.failure(ResolutionFailure(message: "source description '\(sourceName)' is an AsyncAPI description; operationPath needs an openapi source (AsyncAPI steps use operationId or channelPath)")), nil)
        }
        let tokens = pointer.tokens
        guard tokens.first == "paths" else {
            return (.failure(ResolutionFailure(message: "operationPath must point under /paths (webhooks have no server to call); got '\(pointer)'")), nil)
        }
        if tokens.count == 3, let operation = document.operation(pointer: pointer.description) {
            return (.success(.operation(sourceName: sourceName, document: document, operation: operation)), nil)
        }
        if tokens.count == 2 {
            let operations = document.operations.filter { $0.path == tokens[1] }
            if operations.count == 1, let operation = operations.first {
                // A Path Item with one operation: nothing else can be meant.
                let method = operation.method.lowercased()
                let full = text.hasSuffix("/") ? text + method : text + "/" + method
                return (.success(.operation(sourceName: sourceName, document: document, operation: operation)), Leniency(
                    code: "operation-path-form",
                    message: "`operationPath` points at the path item `\(tokens[1])`, not at an operation; it has only `\(method)`, so that operation is used",
                    replacement: full))
            }
            if operations.count > 1 {
                let methods = operations.map { $0.method.lowercased() }
                return (.failure(ResolutionFailure(
                    message: "`operationPath` points at the path item `\(tokens[1])`, which has several operations (\(methods.map { "`\($0)`" }.joined(separator: ", "))); append the method",
                    notes: methods.map { "\(text)/\($0)" }, code: "operation-path")), nil)
            }
        }
        if tokens.count >= 2, !document.operations.contains(where: { $0.path == tokens[1] }) {
            let near = suggestions(tokens[1], among: document.operations.map(\.path))
            return (.failure(ResolutionFailure(
                message: "source description '\(sourceName)' has no path '\(tokens[1])'",
                notes: near.map { "did you mean '\($0)'?" })), nil)
        }
        return (.failure(ResolutionFailure(message: "operationPath '\(pointer)' does not name an operation in source description '\(sourceName)'")), nil)
    }

    func resolveWorkflow(_ text: String) -> Result<ResolvedTarget, ResolutionFailure> {
        if text.hasPrefix("$sourceDescriptions.") {
            guard let (sourceName, workflowId) = ExpressionString.sourceQualifiedName(text) else {
                return .failure(ResolutionFailure(message: "'\(text)' must have the form $sourceDescriptions.<name>.<workflowId>"))
            }
            switch sourceBinding(sourceName) {
            case .failure(let f): return .failure(f)
            case .success(.arazzo(let url)):
                guard let other = loaded.units[url] else {
                    return .failure(ResolutionFailure(message: "source description '\(sourceName)' could not be loaded"))
                }
                guard other.document.workflow(workflowId) != nil else {
                    let ids = other.document.workflows.map(\.workflowId)
                    return .failure(ResolutionFailure(
                        message: "no workflow '\(workflowId)' in Arazzo source description '\(sourceName)'",
                        notes: ids.isEmpty ? [] : ["its workflows are " + ids.map { "'\($0)'" }.joined(separator: ", ")]))
                }
                return .success(.workflow(WorkflowKey(unitURL: url, workflowId: workflowId)))
            case .success(.openapi):
                return .failure(ResolutionFailure(message: "source description '\(sourceName)' is an OpenAPI description; a workflowId must name an arazzo source"))
            case .success(.asyncapi):
                return .failure(ResolutionFailure(message: "source description '\(sourceName)' is an AsyncAPI description; a workflowId must name an arazzo source"))
            case .success(.unavailable):
                return .failure(ResolutionFailure(message: "source description '\(sourceName)' could not be loaded"))
            }
        }
        guard unit.document.workflow(text) != nil else {
            let ids = unit.document.workflows.map(\.workflowId)
            return .failure(ResolutionFailure(
                message: "no workflow '\(text)' in this document",
                notes: suggest(text, among: ids).map { ["did you mean '\($0)'?"] } ?? []))
        }
        return .success(.workflow(WorkflowKey(unitURL: unit.url, workflowId: text)))
    }

    private func sourceBinding(_ name: String) -> Result<SourceBinding, ResolutionFailure> {
        if let binding = unit.sources[name] { return .success(binding) }
        let names = unit.document.sourceDescriptions.map(\.name)
        return .failure(ResolutionFailure(
            message: "no source description named '\(name)'",
            notes: names.isEmpty ? [] : ["the sources are " + names.map { "'\($0)'" }.joined(separator: ", ")]))
    }

    /// A ``Leniency/replacement`` meaning "rename the field to `operationId`, keep the value".
    static let renameToOperationId = "\u{0}operationId"

}
