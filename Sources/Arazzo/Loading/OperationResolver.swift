import ArazzoJSON
import ArazzoDiagnostics
import ArazzoModel

/// What a step's `operationId` / `operationPath` / `workflowId` refers to.
enum ResolvedTarget: Sendable {
    /// An OpenAPI operation of the source `sourceName` (a name in the step's own document).
    case operation(sourceName: String, document: OpenAPIDocument, operation: OpenAPIOperation)
    /// A workflow of a loaded Arazzo document.
    case workflow(WorkflowKey)
}

/// A workflow in one of the loaded documents.
struct WorkflowKey: Sendable, Hashable, CustomStringConvertible {
    let unitURL: String
    let workflowId: String
    var description: String { workflowId }
}

/// Why a reference did not resolve: a message and optional notes ("did you mean").
struct ResolutionFailure: Error, Sendable {
    let message: String
    var notes: [String] = []
    /// A case-only mismatch (`PAR` vs `Par`).
    var suggestion: String?
}

/// Resolves operation and workflow references of one Arazzo document against its loaded sources
/// (interpreter notes §2.5 "Operation resolution").
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

    func resolve(_ target: Step.Target) -> Result<ResolvedTarget, ResolutionFailure> {
        switch target {
        case .operationId(let e): return resolveOperationId(e.text)
        case .operationPath(let e): return resolveOperationPath(e.text)
        case .workflowId(let e): return resolveWorkflow(e.text)
        }
    }

    func resolveOperationId(_ text: String) -> Result<ResolvedTarget, ResolutionFailure> {
        if text.hasPrefix("$sourceDescriptions.") {
            guard let (sourceName, operationId) = Self.splitQualified(text) else {
                return .failure(ResolutionFailure(message: "'\(text)' must have the form $sourceDescriptions.<name>.<operationId>"))
            }
            switch sourceBinding(sourceName) {
            case .failure(let f): return .failure(f)
            case .success(.arazzo):
                return .failure(ResolutionFailure(message: "source description '\(sourceName)' is an Arazzo document; an operationId must name an openapi source (use workflowId for workflows)"))
            case .success(.unavailable):
                return .failure(ResolutionFailure(message: "source description '\(sourceName)' could not be loaded"))
            case .success(.openapi(let url)):
                guard let document = loaded.openAPIDocuments[url] else {
                    return .failure(ResolutionFailure(message: "source description '\(sourceName)' could not be loaded"))
                }
                if let operation = document.operation(id: operationId) {
                    return .success(.operation(sourceName: sourceName, document: document, operation: operation))
                }
                return .failure(missingOperation(operationId, in: [(sourceName, document)]))
            }
        }
        let sources = openAPISources
        var matches: [(String, OpenAPIDocument, OpenAPIOperation)] = []
        for (name, document) in sources {
            if let operation = document.operation(id: text) { matches.append((name, document, operation)) }
        }
        if matches.count == 1, let (name, document, operation) = matches.first {
            return .success(.operation(sourceName: name, document: document, operation: operation))
        }
        if matches.count > 1 {
            return .failure(ResolutionFailure(
                message: "operationId '\(text)' exists in several source descriptions: \(matches.map { "'\($0.0)'" }.joined(separator: ", "))",
                notes: matches.map { "use $sourceDescriptions.\($0.0).\(text)" }))
        }
        return .failure(missingOperation(text, in: sources))
    }

    private func missingOperation(_ operationId: String, in sources: [(name: String, document: OpenAPIDocument)]) -> ResolutionFailure {
        let lowered = operationId.lowercased()
        for (name, document) in sources {
            for operation in document.operations {
                if let id = operation.operationId, id.lowercased() == lowered {
                    let qualified = sources.count > 1 ? "$sourceDescriptions.\(name).\(id)" : id
                    return ResolutionFailure(
                        message: "no operation '\(operationId)' in source description '\(name)'; operationIds are case-sensitive: did you mean '\(id)'?",
                        suggestion: qualified)
                }
            }
        }
        var candidates: [(String, Int)] = []
        for (_, document) in sources {
            for operation in document.operations {
                guard let id = operation.operationId else { continue }
                let distance = Self.editDistance(lowered, id.lowercased())
                if distance <= max(2, id.count / 4) { candidates.append((id, distance)) }
            }
        }
        let near = candidates.sorted { $0.1 < $1.1 }.prefix(3).map(\.0)
        let names = sources.map { "'\($0.name)'" }.joined(separator: ", ")
        var failure = ResolutionFailure(
            message: sources.isEmpty
                ? "no operation '\(operationId)': the document has no loaded openapi source description"
                : "no operation '\(operationId)' in source description\(sources.count == 1 ? "" : "s") \(names)")
        if let first = near.first {
            failure.notes = ["did you mean " + near.map { "'\($0)'" }.joined(separator: " or ") + "?"]
            failure.suggestion = first
        }
        return failure
    }

    func resolveOperationPath(_ text: String) -> Result<ResolvedTarget, ResolutionFailure> {
        let prefix = "{$sourceDescriptions."
        guard text.hasPrefix(prefix), let close = text.firstIndex(of: "}") else {
            return .failure(ResolutionFailure(message: "operationPath must start with {$sourceDescriptions.<name>.url}, followed by #<json-pointer>"))
        }
        let inner = text[text.index(text.startIndex, offsetBy: prefix.count)..<close]
        guard inner.hasSuffix(".url") else {
            return .failure(ResolutionFailure(message: "operationPath must embed {$sourceDescriptions.<name>.url}; found {\(inner.dropFirst(0))}"))
        }
        let sourceName = String(inner.dropLast(4))
        let rest = text[text.index(after: close)...]
        guard rest.hasPrefix("#") else {
            return .failure(ResolutionFailure(message: "operationPath must continue with '#' and a JSON pointer such as #/paths/~1pets/get"))
        }
        let fragment = URLReference.percentDecode(String(rest.dropFirst()))
        let pointer: JSONPointer
        do {
            pointer = try JSONPointer(parsing: fragment)
        } catch {
            return .failure(ResolutionFailure(message: "the operationPath fragment '\(fragment)' is not a JSON pointer: \(error.message)"))
        }
        let document: OpenAPIDocument
        switch sourceBinding(sourceName) {
        case .failure(let f): return .failure(f)
        case .success(.openapi(let url)):
            guard let d = loaded.openAPIDocuments[url] else {
                return .failure(ResolutionFailure(message: "source description '\(sourceName)' could not be loaded"))
            }
            document = d
        case .success(.arazzo):
            return .failure(ResolutionFailure(message: "source description '\(sourceName)' is an Arazzo document; operationPath needs an openapi source"))
        case .success(.unavailable):
            return .failure(ResolutionFailure(message: "source description '\(sourceName)' could not be loaded"))
        }
        let tokens = pointer.tokens
        guard tokens.first == "paths" else {
            return .failure(ResolutionFailure(message: "operationPath must point under /paths (webhooks have no server to call); got '\(pointer)'"))
        }
        if tokens.count == 3, let operation = document.operation(pointer: pointer.description) {
            return .success(.operation(sourceName: sourceName, document: document, operation: operation))
        }
        if tokens.count == 2 {
            let methods = document.operations.filter { $0.path == tokens[1] }.map { $0.method.lowercased() }
            if !methods.isEmpty {
                return .failure(ResolutionFailure(
                    message: "operationPath points at the path item '\(tokens[1])', not at an operation; add the method",
                    notes: methods.map { "for example \(text)/\($0)" }))
            }
        }
        if tokens.count >= 2, !document.operations.contains(where: { $0.path == tokens[1] }) {
            let near = document.operations.map(\.path).filter { Self.editDistance($0, tokens[1]) <= 3 }
            return .failure(ResolutionFailure(
                message: "source description '\(sourceName)' has no path '\(tokens[1])'",
                notes: near.prefix(3).map { "did you mean '\($0)'?" }))
        }
        return .failure(ResolutionFailure(message: "operationPath '\(pointer)' does not name an operation in source description '\(sourceName)'"))
    }

    func resolveWorkflow(_ text: String) -> Result<ResolvedTarget, ResolutionFailure> {
        if text.hasPrefix("$sourceDescriptions.") {
            guard let (sourceName, workflowId) = Self.splitQualified(text) else {
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
            case .success(.unavailable):
                return .failure(ResolutionFailure(message: "source description '\(sourceName)' could not be loaded"))
            }
        }
        guard unit.document.workflow(text) != nil else {
            let ids = unit.document.workflows.map(\.workflowId)
            let near = ids.filter { $0.lowercased() == text.lowercased() || Self.editDistance($0, text) <= 2 }
            return .failure(ResolutionFailure(
                message: "no workflow '\(text)' in this document",
                notes: near.isEmpty ? [] : ["did you mean '\(near[0])'?"]))
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

    /// `$sourceDescriptions.<name>.<rest>`: the name up to the next dot, the whole rest as the id.
    static func splitQualified(_ text: String) -> (String, String)? {
        let rest = text.dropFirst("$sourceDescriptions.".count)
        guard let dot = rest.firstIndex(of: ".") else { return nil }
        let name = String(rest[..<dot])
        let id = String(rest[rest.index(after: dot)...])
        guard !name.isEmpty, !id.isEmpty else { return nil }
        return (name, id)
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        ArazzoDiagnostics.editDistance(Array(a.unicodeScalars.prefix(128)), Array(b.unicodeScalars.prefix(128)))
    }
}
