import Foundation
import ArazzoOpenAPI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArazzoDiagnostics
import ArazzoJSON
import ArazzoYAML
import ArazzoModel
import ArazzoAsyncAPI
public import ArazzoExecutor

/// Loads an Arazzo document and, recursively, every source description it names: OpenAPI
/// descriptions (3.0.x/3.1.x and Swagger 2.0, YAML or JSON, with relative-file `$ref`s) and other Arazzo
/// documents (cycle-safe, each read once, cached by absolute URL).
///
/// Relative URLs resolve against the document that names them. `file:` URLs and plain paths are
/// read from disk as ``LoadLimits/files`` allows (by default: anywhere for documents the caller
/// chose, nowhere for documents fetched over the network); `http(s):` URLs are read from a local
/// copy when a ``FileAccess/Mapping`` covers them, otherwise fetched through `fetcher` (without
/// one they are refused).
public struct ArazzoLoader: Sendable {
    private let fetcher: (any StepExecutor)?
    private let limits: LoadLimits
    private let sourceOverrides: [String: String]

    /// Creates a loader; `fetcher` sends the GET requests for http(s) sources.
    /// `sourceOverrides` maps a source description name to the file path or URL to read instead
    /// of its `url` (for remote sources kept locally, or a URL that serves HTML).
    public init(fetcher: (any StepExecutor)? = nil, limits: LoadLimits = .default, sourceOverrides: [String: String] = [:]) {
        self.fetcher = fetcher
        self.limits = limits
        self.sourceOverrides = sourceOverrides.mapValues { value in
            if URLReference.isHTTP(value) { return value }
            let path = URLReference.filePath(value)
            return path.hasPrefix("/") ? URLReference.normalizePath(path)
                : URLReference.normalizePath(FileManager.default.currentDirectoryPath + "/" + path)
        }
    }

    /// Loads the document at `path` (a file path, `file:` URL or http(s) URL).
    public func load(path: String) async throws(LoadFailure) -> LoadedDocument {
        let absolute: String
        if URLReference.isHTTP(path) {
            absolute = path
        } else {
            let filePath = URLReference.filePath(path)
            absolute = filePath.hasPrefix("/")
                ? URLReference.normalizePath(filePath)
                : URLReference.normalizePath(FileManager.default.currentDirectoryPath + "/" + filePath)
        }
        var session = LoadSession(fetcher: fetcher, limits: limits, sourceOverrides: sourceOverrides, entry: absolute)
        let text: String
        switch await session.read(absolute, namedBy: .caller, display: path) {
        case .success(let t): text = t
        case .failure(let failure):
            if let located = failure.located {
                throw LoadFailure(diagnostics: Diagnostics([located.diagnostic]), sourceTexts: [path: located.text])
            }
            throw LoadFailure(diagnostics: Diagnostics([.error("cannot read \(path): \(failure)", code: "document-unreadable")]))
        }
        return try await session.loadEntry(text: text, url: absolute, displayName: path)
    }

    /// Loads a document given as text; `baseURL` (an absolute path or URL) resolves its relative
    /// source URLs and names it in diagnostics. An http(s) `baseURL` that no mapping covers makes
    /// the text a document fetched over the network, which may not name local files unless
    /// ``LoadLimits/files`` allows it.
    public func load(text: String, baseURL: String) async throws(LoadFailure) -> LoadedDocument {
        var session = LoadSession(fetcher: fetcher, limits: limits, sourceOverrides: sourceOverrides, entry: baseURL)
        return try await session.loadEntry(text: text, url: baseURL, displayName: baseURL)
    }

    /// Loads the source descriptions of a document built in code (see the public initialisers of
    /// ``ArazzoSpecification`` and its objects); `baseURL` (an absolute path or URL) resolves its
    /// relative source URLs. The document's semantic problems (``ArazzoValidator``) and every
    /// loading problem are in ``LoadedDocument/diagnostics``; ``LoadedDocument/validate(policy:)``
    /// adds the expression and operation checks. Nothing throws: there is no text to be unreadable.
    public func load(document: ArazzoSpecification, baseURL: String) async -> LoadedDocument {
        var session = LoadSession(fetcher: fetcher, limits: limits, sourceOverrides: sourceOverrides, entry: baseURL)
        return await session.loadEntry(document: document, url: baseURL)
    }
}

/// The state of one load: caches by absolute URL, and every diagnostic found.
private struct LoadSession {
    let fetcher: (any StepExecutor)?
    let limits: LoadLimits
    var texts: [String: String] = [:]
    var displayNames: [String: String] = [:]
    var units: [String: ArazzoUnit] = [:]
    var inProgress: Set<String> = []
    var openAPI: [String: OpenAPIDocument] = [:]
    var openAPIFailures: [String: String] = [:]
    var asyncAPI: [String: AsyncAPISource] = [:]
    var diagnostics: [Diagnostic] = []
    var documentsRead = 0
    /// Arazzo documents loaded so far by identity: each `$self` (resolved against the document's
    /// retrieval URI) to the URL the document was loaded from (1.1 "identity-based references").
    var identities: [String: String] = [:]
    let sourceOverrides: [String: String]
    /// Which local files may be read.
    let files: FileGate
    /// Who chose the entry document.
    let entryOrigin: FileGate.Origin

    init(fetcher: (any StepExecutor)?, limits: LoadLimits, sourceOverrides: [String: String], entry: String) {
        self.fetcher = fetcher
        self.limits = limits
        self.sourceOverrides = sourceOverrides
        files = FileGate(
            access: limits.files, entry: entry,
            overrides: sourceOverrides.values.filter { !URLReference.isHTTP($0) }.sorted())
        entryOrigin = files.origin(of: entry, namedBy: .caller)
    }

    /// Keeps `text` for rendering diagnostics (named `displayName`) and parses it.
    mutating func keepAndParse(_ text: String, url: String, displayName: String) throws(Diagnostic) -> YAMLNode {
        texts[url] = text
        displayNames[url] = displayName
        return try YAMLParser.parse(text, file: displayName)
    }

    mutating func loadEntry(text: String, url: String, displayName: String) async throws(LoadFailure) -> LoadedDocument {
        let root: YAMLNode
        do {
            root = try keepAndParse(text, url: url, displayName: displayName)
        } catch {
            throw LoadFailure(diagnostics: Diagnostics([error]), sourceTexts: sourceTexts)
        }
        // Errors do not stop loading: the lenient AST (a bad field is absent, a bad object is
        // dropped) still names sources, operations and expressions worth checking, and one
        // root-level mistake should not hide every other problem. Only a tree with no AST at all
        // (not a mapping, an unsupported version) ends here.
        guard let document = Self.decodeLeniently(root, file: displayName, into: &diagnostics) else {
            throw LoadFailure(diagnostics: Diagnostics(Diagnostics(diagnostics).sorted), sourceTexts: sourceTexts)
        }
        await registerEntry(document, url: url, displayName: displayName)
        let all = Diagnostics(Diagnostics(diagnostics).sorted)
        return LoadedDocument(
            document: document, url: url, sourceTexts: sourceTexts, diagnostics: all,
            openAPIDocuments: openAPI, asyncAPIDocuments: asyncAPI, units: units)
    }

    mutating func loadEntry(document: ArazzoSpecification, url: String) async -> LoadedDocument {
        diagnostics.append(contentsOf: ArazzoValidator.validate(document))
        displayNames[url] = document.location.file
        await registerEntry(document, url: url, displayName: document.location.file)
        return LoadedDocument(
            document: document, url: url, sourceTexts: sourceTexts, diagnostics: Diagnostics(Diagnostics(diagnostics).sorted),
            openAPIDocuments: openAPI, asyncAPIDocuments: asyncAPI, units: units)
    }

    /// Registers the entry document and, unless ``LoadLimits/loadsSources`` is false, loads its
    /// sources; without them every source is left unbound, and validate says so once.
    mutating func registerEntry(_ document: ArazzoSpecification, url: String, displayName: String) async {
        if limits.loadsSources {
            await loadUnit(document, url: url, displayName: displayName, origin: entryOrigin, depth: 0)
        } else {
            units[url] = ArazzoUnit(
                url: url, displayName: displayName, document: document,
                sources: Dictionary(document.sourceDescriptions.map { ($0.name, .unavailable) }, uniquingKeysWith: { first, _ in first }),
                sourcesSkipped: true)
        }
    }

    /// The structural and semantic passes of ``ArazzoDocumentReader`` without its all-or-nothing
    /// rule: the AST is kept whenever the decoder could build one, whatever it reported.
    static func decodeLeniently(_ root: YAMLNode, file: String, into diagnostics: inout [Diagnostic]) -> ArazzoSpecification? {
        let (document, structural) = ArazzoDocumentReader.decode(root, file: file)
        diagnostics.append(contentsOf: structural)
        guard let document else { return nil }
        diagnostics.append(contentsOf: ArazzoValidator.validate(document))
        return document
    }

    var sourceTexts: [String: String] {
        var out: [String: String] = [:]
        for (url, text) in texts { out[displayNames[url] ?? url] = text }
        return out
    }

    /// Registers an Arazzo document and loads its sources (depth-first, cycle-safe); `origin` says
    /// who chose the document, which bounds the local files its sources may name.
    mutating func loadUnit(
        _ document: ArazzoSpecification, url: String, displayName: String, origin: FileGate.Origin, depth: Int
    ) async {
        inProgress.insert(url)
        var unit = ArazzoUnit(url: url, displayName: displayName, document: document, sources: [:])
        units[url] = unit
        // Arazzo 1.1: `$self` (itself resolved against the retrieval URI) is the base URI of the
        // document's relative references, and the identity other documents may name it by.
        let base = Self.baseURI(of: document, retrievedFrom: url)
        if document.selfURI != nil, identities[base] == nil { identities[base] = url }
        for source in document.sourceDescriptions {
            let node = document.root["sourceDescriptions"]?.sequence?.first { $0.location == source.location }
            let binding = await loadSource(source, node: node, referrer: base, referrerOrigin: origin, depth: depth)
            unit.sources[source.name] = binding
            units[url] = unit
        }
        inProgress.remove(url)
    }

    /// The base URI of a document's relative references: its `$self` resolved against the URI it
    /// was retrieved from, or that URI when it has no `$self` (Arazzo 1.1 "Establishing the Base
    /// URI"). A 1.0 document has no `$self` in the model, so its base is where it was read from.
    static func baseURI(of document: ArazzoSpecification, retrievedFrom url: String) -> String {
        guard let selfURI = document.selfURI, !selfURI.isEmpty else { return url }
        return URLReference.resolve(selfURI, against: url)
    }

    /// The warning for a source description without `type`, with the fix-it that writes the type
    /// the document turned out to have.
    static func sniffed(_ source: SourceDescription, as type: String, node: YAMLNode?) -> Diagnostic {
        let fixIts = node?.insertingFirstEntry(key: "type", value: type).map { [FixIt("add `type: \(type)`", edits: [$0])] } ?? []
        let kind = type == "arazzo" ? "Arazzo" : type == "asyncapi" ? "AsyncAPI" : "OpenAPI"
        return .warning(
            "source description '\(source.name)' has no type; the document is \(kind), so it is read as \(type) (add type: \(type))",
            at: source.location, code: "source-type-sniffed", range: node?.range, fixIts: fixIts)
    }

    mutating func loadSource(
        _ source: SourceDescription, node: YAMLNode? = nil, referrer: String, referrerOrigin: FileGate.Origin, depth: Int
    ) async -> SourceBinding {
        let location = source.locations["url"] ?? source.location
        let override = sourceOverrides[source.name]
        let absolute = override
            ?? URLReference.splitFragment(URLReference.resolve(source.url, against: referrer)).document
        // An override is the caller's choice; otherwise the naming document's.
        let namer: FileGate.Origin = override != nil ? .caller : referrerOrigin
        let origin = files.origin(of: absolute, namedBy: namer)
        // Checked before the caches too: a file another document was allowed to load is not
        // thereby allowed for this one.
        let isLocal = URLReference.scheme(of: absolute).map { $0 == "file" } ?? true
        if isLocal, let refusal = files.refusal(for: URLReference.filePath(absolute), origin: namer) {
            diagnostics.append(.error(
                "cannot load source description '\(source.name)' from \(source.url): \(refusal)",
                at: location, code: "source-file-not-allowed",
                notes: absolute == source.url ? [] : ["resolved to \(absolute)"]))
            return .unavailable
        }
        // Identity before location: a URL that an already loaded Arazzo document declares as its
        // `$self` names that document, wherever it was read from (Arazzo 1.1 §"Resolving
        // Relative References"); no request is made for it.
        let byIdentity = override == nil ? identities[absolute].flatMap { units[$0] } : nil
        if let unit = byIdentity ?? units[absolute] {
            if source.type == .openapi {
                let what = byIdentity == nil ? "an Arazzo document" : "the `$self` of the Arazzo document \(unit.displayName)"
                diagnostics.append(.error(
                    "source description '\(source.name)' is declared as openapi, but \(source.url) is \(what)",
                    at: location, code: "source-type"))
                // Unbound, as when the mismatch is found on first read: the steps that use it
                // are not reported again.
                return .unavailable
            }
            return .arazzo(url: unit.url)
        }
        if openAPI[absolute] != nil {
            if source.type == .arazzo {
                diagnostics.append(.error(
                    "source description '\(source.name)' is declared as arazzo, but \(source.url) is an OpenAPI description",
                    at: location, code: "source-type"))
                return .unavailable
            }
            return .openapi(url: absolute)
        }
        if asyncAPI[absolute] != nil {
            if source.type != nil, source.type != .asyncapi {
                diagnostics.append(.error(
                    "source description '\(source.name)' is declared as \(source.type?.rawValue ?? ""), but \(source.url) is an AsyncAPI description; write `type: asyncapi`",
                    at: location, code: "source-type"))
                return .unavailable
            }
            return .asyncapi(url: absolute)
        }
        if let failure = openAPIFailures[absolute] {
            diagnostics.append(.error("cannot load source description '\(source.name)' from \(source.url): \(failure)", at: location, code: "source-unavailable"))
            return .unavailable
        }
        guard depth < 16 else {
            diagnostics.append(.error("source description '\(source.name)' is nested more than 16 documents deep", at: location, code: "source-unavailable"))
            return .unavailable
        }
        let text: String
        switch await read(absolute, namedBy: namer) {
        case .success(let t): text = t
        case .failure(let message):
            // A refusal depends on who named the file, so it is not remembered for others.
            if !message.isPolicyRefusal { openAPIFailures[absolute] = message.description }
            var notes = absolute == source.url ? [] : ["resolved to \(absolute)"]
            if let located = message.located { notes.append(located.diagnostic.description) }
            diagnostics.append(.error(
                "cannot load source description '\(source.name)' from \(source.url): \(message)",
                at: location, code: message.isPolicyRefusal ? "source-file-not-allowed" : "source-unavailable",
                notes: notes))
            return .unavailable
        }
        let display = absolute
        let root: YAMLNode
        do {
            root = try keepAndParse(text, url: absolute, displayName: display)
        } catch {
            openAPIFailures[absolute] = "it is not valid YAML or JSON"
            diagnostics.append(.error(
                "cannot load source description '\(source.name)' from \(source.url): it is not valid YAML or JSON",
                at: location, code: "source-unparsable", notes: [error.description]))
            return .unavailable
        }
        let isArazzo = root["arazzo"] != nil
        // `swaggerVersion` marks Swagger 1.x, read as openapi so the reader can say it is unsupported.
        let isOpenAPI = root["openapi"] != nil || root["swagger"] != nil || root["swaggerVersion"] != nil
        let isAsyncAPI = root["asyncapi"] != nil && !isArazzo && !isOpenAPI
        if isAsyncAPI, let declared = source.type, declared != .asyncapi {
            diagnostics.append(.error(
                "source description '\(source.name)' is declared as \(declared.rawValue), but \(source.url) is an AsyncAPI description; write `type: asyncapi`",
                at: location, code: "source-type"))
            return .unavailable
        }
        if source.type == .asyncapi, isArazzo || isOpenAPI {
            diagnostics.append(.error(
                "source description '\(source.name)' is declared as asyncapi, but \(source.url) is \(isArazzo ? "an Arazzo document" : "an OpenAPI description")",
                at: location, code: "source-type"))
            return .unavailable
        }
        let kind: SourceDescription.SourceType
        switch (source.type, isArazzo, isOpenAPI) {
        case (.openapi?, true, false):
            diagnostics.append(.error("source description '\(source.name)' is declared as openapi, but \(source.url) is an Arazzo document", at: location, code: "source-type"))
            return .unavailable
        case (.arazzo?, false, true):
            diagnostics.append(.error("source description '\(source.name)' is declared as arazzo, but \(source.url) is an OpenAPI description", at: location, code: "source-type"))
            return .unavailable
        case (let declared?, _, _):
            kind = declared
        case (nil, true, _):
            kind = .arazzo
            diagnostics.append(Self.sniffed(source, as: "arazzo", node: node))
        case (nil, false, true):
            kind = .openapi
            diagnostics.append(Self.sniffed(source, as: "openapi", node: node))
        case (nil, false, false) where isAsyncAPI:
            kind = .asyncapi
            diagnostics.append(Self.sniffed(source, as: "asyncapi", node: node))
        case (nil, false, false):
            diagnostics.append(.error("source description '\(source.name)': \(source.url) is neither an OpenAPI description nor an Arazzo document", at: location, code: "source-type"))
            return .unavailable
        }
        switch kind {
        case .asyncapi:
            // Read with the same file rules as OpenAPI (above); every `$ref` of an AsyncAPI
            // description is local, so nothing else is read.
            do {
                let document = try AsyncAPILoader.load(root: root, file: display)
                asyncAPI[absolute] = AsyncAPISource(index: AsyncAPIIndex(document), root: root.jsonValue)
                return .asyncapi(url: absolute)
            } catch {
                diagnostics.append(contentsOf: error.diagnostics)
                openAPIFailures[absolute] = "it is not a usable AsyncAPI description"
                diagnostics.append(.error(
                    "source description '\(source.name)': \(source.url) is not a usable AsyncAPI description",
                    at: location, code: "source-invalid"))
                return .unavailable
            }
        case .arazzo:
            // As for the entry document, an Arazzo source with errors is still loaded and checked:
            // its problems are reported where they are, and `run` refuses only the workflows
            // that reach them.
            guard let document = Self.decodeLeniently(root, file: display, into: &diagnostics) else {
                diagnostics.append(.error("source description '\(source.name)': \(source.url) is not a usable Arazzo document", at: location, code: "source-invalid"))
                return .unavailable
            }
            await loadUnit(document, url: absolute, displayName: display, origin: origin, depth: depth + 1)
            return .arazzo(url: absolute)
        case .openapi:
            let rootValue = root.jsonValue
            let (externals, refusals) = await loadExternals(of: rootValue, node: root, base: absolute, origin: origin)
            if let first = refusals.first {
                // A `$ref` out of the allowed trees makes the description unusable: reading it
                // partially would hide operations the workflow may need.
                openAPIFailures[absolute] = "its $ref target \(first.message)"
                for refusal in refusals {
                    diagnostics.append(.error(
                        "cannot load source description '\(source.name)' from \(source.url): its $ref target \(refusal.message)",
                        at: location, code: "source-file-not-allowed",
                        notes: refusal.at.map { ["the $ref is at \($0)"] } ?? []))
                }
                return .unavailable
            }
            let (document, problems) = OpenAPIReader.read(root: rootValue, node: root, url: absolute, externals: externals)
            diagnostics.append(contentsOf: problems)
            if problems.contains(where: { $0.severity == .error }) {
                diagnostics.append(.error("source description '\(source.name)': \(source.url) is not a usable OpenAPI description", at: location, code: "source-invalid"))
                return .unavailable
            }
            openAPI[absolute] = document
            return .openapi(url: absolute)
        }
    }

    /// Loads every document reachable through relative-file `$ref`s (breadth-first, each once)
    /// from the description at `base`, which `origin` chose; `refusals` lists the local targets
    /// the file policy refuses (not read), each with where its `$ref` is written. `$ref`s inside
    /// `x-` extensions are not followed (``OpenAPIReader/externalDocuments(in:base:)``).
    mutating func loadExternals(
        of root: JSONValue, node rootNode: YAMLNode, base: String, origin: FileGate.Origin
    ) async -> (externals: [String: JSONValue], refusals: [(message: String, at: SourceLocation?)]) {
        var externals: [String: JSONValue] = [:]
        var refusals: [(message: String, at: SourceLocation?)] = []
        var queue = Array(OpenAPIReader.externalDocuments(in: root, base: base).subtracting([base])).sorted()
        var seen: Set<String> = Set(queue).union([base])
        // The document (URL, tree, and who chose it) that first named each queued target, to
        // apply the file policy and locate refusals.
        var referrers: [String: (base: String, node: YAMLNode, origin: FileGate.Origin)] = [:]
        for target in queue { referrers[target] = (base, rootNode, origin) }
        while let next = queue.first {
            queue.removeFirst()
            let namer = referrers[next]?.origin ?? origin
            let outcome = await read(next, namedBy: namer)
            if case .failure(let failure) = outcome, failure.isPolicyRefusal {
                let at = referrers[next].flatMap { Self.referenceLocation(in: $0.node, base: $0.base, target: next) }
                refusals.append((failure.message, at))
                continue
            }
            guard case .success(let text) = outcome,
                  let node = try? YAMLParser.parse(text, file: next) else {
                let reason = if case .failure(let failure) = outcome { " (\(failure.message))" } else { "" }
                // Located at the `$ref` that names the document, like a policy refusal.
                let at = referrers[next].flatMap { Self.referenceLocation(in: $0.node, base: $0.base, target: next) }
                diagnostics.append(.warning(
                    "the $ref target document \(next) cannot be read\(reason); references into it stay unresolved",
                    at: at, code: "openapi-ref-unavailable"))
                continue
            }
            let value = node.jsonValue
            externals[next] = OpenAPIReader.absolutizingReferences(value, base: next, isEntry: false)
            for more in OpenAPIReader.externalDocuments(in: value, base: next).sorted() where !seen.contains(more) {
                seen.insert(more)
                queue.append(more)
                referrers[more] = (next, node, files.origin(of: next, namedBy: namer))
            }
        }
        return (externals, refusals)
    }

    /// Where in `node` (the document at `base`) a `$ref` names the document `target`; the search
    /// is bounded like ``OpenAPIReader/externalDocuments(in:base:)``, since aliases may have
    /// expanded the tree.
    static func referenceLocation(in node: YAMLNode, base: String, target: String) -> SourceLocation? {
        var stack: [(node: YAMLNode, key: String?)] = [(node, nil)]
        var visited = 0
        var found: SourceLocation?
        while let (current, key) = stack.popLast(), visited < 5_000_000 {
            visited += 1
            if let pairs = current.mapping {
                for pair in pairs {
                    if pair.key == "$ref", let text = pair.value.scalar?.text {
                        let document = URLReference.splitFragment(text).document
                        if !document.isEmpty, URLReference.resolve(document, against: base) == target,
                           found.map({ pair.value.location < $0 }) ?? true {
                            found = pair.value.location
                        }
                    }
                    // Extensions were not followed, so a refusal is never located in one.
                    if !OpenAPIReader.isExtension(pair.key, in: key) {
                        stack.append((pair.value, pair.key))
                    }
                }
            } else if let items = current.sequence {
                stack.append(contentsOf: items.map { ($0, nil) })
            }
        }
        return found
    }

    /// Reads a document from disk, from a mapped local copy, or over http(s), within the limits.
    /// `namer` chose the document that names `url` (the file policy depends on it); `display`
    /// names the document in a located encoding error (default: its path or URL).
    mutating func read(_ url: String, namedBy namer: FileGate.Origin, display: String? = nil) async -> Result<String, ReadFailure> {
        if let scheme = URLReference.scheme(of: url), !["http", "https", "file"].contains(scheme) {
            return .failure(ReadFailure("the URL scheme \(scheme) is not supported (use http, https or file, or a relative path)"))
        }
        let isHTTP = URLReference.isHTTP(url)
        let mapped = isHTTP ? files.mappedFile(for: url) : nil
        if case .failure(let failure)? = mapped { return .failure(failure) }
        if !isHTTP, let refusal = files.refusal(for: URLReference.filePath(url), origin: namer) {
            // Checked before anything touches the file: not even its existence is probed.
            return .failure(ReadFailure(refusal, isPolicyRefusal: true))
        }
        documentsRead += 1
        guard documentsRead <= limits.maxDocuments else {
            return .failure(ReadFailure("more than \(limits.maxDocuments) documents would be read; raise LoadLimits.maxDocuments"))
        }
        if case .success(let copy)? = mapped {
            // The caller chose the mapping's directory: the copy must stay inside it, and nothing
            // else is asked of it.
            return readFile(
                copy.path, display: display ?? url,
                missing: "there is no local copy: \(url) is read from \(copy.path) (mapping \(copy.mappingDescription)), which does not exist",
                recheck: { opened in
                    FileGate.allows(copy.tree, opened) ? nil : ReadFailure(
                        "\(url) is read from \(opened), outside the directory of its local copies (\(copy.mappingDescription))",
                        isPolicyRefusal: true)
                })
        }
        if isHTTP {
            guard let fetcher else {
                return .failure(ReadFailure("http(s) sources need a fetcher (ArazzoLoader(fetcher:)) or a local copy"))
            }
            let request = HTTPRequest(
                method: "GET", url: url,
                headers: ["Accept": "application/vnd.oai.workflows+yaml, application/yaml, application/json;q=0.9, */*;q=0.5"],
                timeout: limits.fetchTimeout, maxResponseBytes: limits.maxDocumentBytes)
            do {
                let response = try await fetcher.execute(request)
                guard (200..<300).contains(response.status) else {
                    return .failure(ReadFailure("GET answered \(response.status)"))
                }
                return Self.decodeText(response.body, display: display ?? url)
            } catch {
                return .failure(ReadFailure(error.description))
            }
        }
        let path = URLReference.filePath(url)
        if files.isPseudoFile(path) {
            return .failure(ReadFailure(Self.pseudoFileRefusal))
        }
        let files = self.files
        return readFile(path, display: display ?? path, missing: "no such file", recheck: { opened in
            if files.isExempt(path) { return nil }
            if files.isPseudoFile(opened) { return ReadFailure(Self.pseudoFileRefusal) }
            return files.refusal(for: opened, origin: namer).map { ReadFailure($0, isPolicyRefusal: true) }
        })
    }

    /// Why a file under /proc or /sys is not read.
    static let pseudoFileRefusal = "it is a kernel pseudo-file (under /proc or /sys), not a document"

    /// Reads the regular file at `path` (absolute, decoded). `missing` is the message when it does
    /// not exist; `recheck` judges the real path of the descriptor actually opened (nil: allowed).
    /// Kernel pseudo-files are left to the caller's checks: the mapped copies a caller names are
    /// not judged by them.
    func readFile(
        _ path: String, display: String, missing: String, recheck: (String) -> ReadFailure?
    ) -> Result<String, ReadFailure> {
        // Devices, FIFOs and directories are refused before they are opened (opening one can
        // block or have effects of its own); symlinks are followed, as the policy check did.
        var named = stat()
        guard stat(path, &named) == 0 else {
            return .failure(ReadFailure(missing))
        }
        guard named.st_mode & S_IFMT == S_IFREG else {
            return .failure(ReadFailure("it is not a regular file"))
        }
        if named.st_size > limits.maxDocumentBytes {
            return .failure(ReadFailure("it is larger than \(limits.maxDocumentBytes) bytes"))
        }
        // The checks above name a path; what is opened is an inode. Between the two the path may
        // be swapped for a symlink, a FIFO or a device, so the opened file is checked again by its
        // descriptor: a regular file (O_NONBLOCK: opening a FIFO does not wait for a writer), and
        // at a real path the policy allows.
        let descriptor = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .failure(ReadFailure("it cannot be opened"))
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            return .failure(ReadFailure("it is not a regular file"))
        }
        if let opened = Self.openedPath(descriptor), opened != path, let refusal = recheck(opened) {
            return .failure(refusal)
        }
        let data = (try? handle.read(upToCount: limits.maxDocumentBytes + 1)) ?? Data()
        guard data.count <= limits.maxDocumentBytes else {
            return .failure(ReadFailure("it is larger than \(limits.maxDocumentBytes) bytes"))
        }
        return Self.decodeText(Array(data), display: display)
    }

    /// The path the kernel has for an open file (Linux: `/proc/self/fd/N`), or nil where it
    /// cannot tell. A file deleted since it was opened reads as `PATH (deleted)`, which no policy
    /// allows, so it is refused.
    static func openedPath(_ descriptor: Int32) -> String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        return nil
        #endif
    }

    /// UTF-8 text (a byte order mark is the YAML layer's business), or UTF-16 with a byte order
    /// mark, as YAML allows and `ArazzoDocumentReader` reads. Anything else fails located at the
    /// first offending byte, found by the YAML layer's own reader so the CLI and the model report
    /// the same line:column.
    static func decodeText(_ bytes: [UInt8], display: String) -> Result<String, ReadFailure> {
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF),
           let text = String(data: Data(bytes), encoding: .utf16) {
            return .success(text)
        }
        do {
            _ = try YAMLParser.parse(bytes: bytes, file: display)
        } catch {
            return .failure(ReadFailure(
                "it is not UTF-8 or UTF-16 text",
                located: (error, String(decoding: bytes, as: UTF8.self))))
        }
        return .failure(ReadFailure("it is not UTF-8 or UTF-16 text"))
    }
}

/// Why a document could not be read (one line).
struct ReadFailure: Error, Sendable, CustomStringConvertible {
    let message: String
    /// The file policy (``FileAccess``) refuses the file (it was not read).
    let isPolicyRefusal: Bool
    /// Where in the document the problem is (the first byte that is not UTF-8 or UTF-16 text),
    /// with the document decoded leniently for the caret snippet.
    let located: (diagnostic: Diagnostic, text: String)?
    init(_ message: String, isPolicyRefusal: Bool = false, located: (diagnostic: Diagnostic, text: String)? = nil) {
        self.message = message
        self.isPolicyRefusal = isPolicyRefusal
        self.located = located
    }
    var description: String { message }
}
