public import ArazzoDiagnostics
public import ArazzoOpenAPI
public import ArazzoModel
public import ArazzoAsyncAPI
public import ArazzoJSON

/// An Arazzo document with every source description it needs, loaded and indexed.
public struct LoadedDocument: Sendable {
    /// The entry document's AST.
    public let document: ArazzoSpecification
    /// The absolute file path or URL of the entry document.
    public let url: String
    /// File → text of every document read (entry, Arazzo and OpenAPI sources), keyed by the file
    /// name diagnostics use, for ``DiagnosticRenderer`` snippets.
    public let sourceTexts: [String: String]
    /// Every problem found while loading, errors included: a document with errors is still
    /// loaded (only text with no usable tree is a ``LoadFailure``). ``validate(policy:)`` adds the
    /// expression and operation checks; ``WorkflowEngine`` refuses the workflows an error reaches.
    public var diagnostics: Diagnostics
    /// Every OpenAPI description loaded, keyed by absolute URL.
    public let openAPIDocuments: [String: OpenAPIDocument]
    /// Every AsyncAPI description loaded (Arazzo 1.1 `type: asyncapi`), keyed by absolute URL.
    public let asyncAPIDocuments: [String: AsyncAPISource]

    /// Every Arazzo document loaded (the entry one included), keyed by absolute URL.
    let units: [String: ArazzoUnit]

    /// The entry document's unit.
    var entry: ArazzoUnit {
        // The loader always registers the entry unit under `url`.
        units[url] ?? ArazzoUnit(url: url, displayName: url, document: document, sources: [:])
    }

    /// The OpenAPI description bound to the entry document's source description `name`.
    public func openAPIDocument(source name: String) -> OpenAPIDocument? {
        guard case .openapi(let url)? = entry.sources[name] else { return nil }
        return openAPIDocuments[url]
    }

    /// The AsyncAPI description bound to the entry document's source description `name`.
    public func asyncAPIDocument(source name: String) -> AsyncAPISource? {
        guard case .asyncapi(let url)? = entry.sources[name] else { return nil }
        return asyncAPIDocuments[url]
    }

    /// The workflow ids of the entry document, in order.
    public var workflowIds: [String] { document.workflows.map(\.workflowId) }

    /// The source description names of every Arazzo document loaded, each with its type as
    /// loaded (a source that could not be loaded keeps its declared type, `openapi` by default):
    /// the names a server override may target. A name that is an OpenAPI source in any
    /// document counts as `openapi`.
    public var sourceDescriptionTypes: [String: SourceDescription.SourceType] {
        var types: [String: SourceDescription.SourceType] = [:]
        for unit in units.values {
            for source in unit.document.sourceDescriptions {
                let type: SourceDescription.SourceType
                switch unit.sources[source.name] {
                case .openapi?: type = .openapi
                case .arazzo?: type = .arazzo
                case .asyncapi?: type = .asyncapi
                case .unavailable?, nil: type = source.type ?? .openapi
                }
                if types[source.name] != .openapi { types[source.name] = type }
            }
        }
        return types
    }
}

/// One loaded Arazzo document and what its source description names are bound to.
struct ArazzoUnit: Sendable {
    let url: String
    let displayName: String
    let document: ArazzoSpecification
    var sources: [String: SourceBinding]
    /// The sources were deliberately not loaded (``LoadLimits/loadsSources`` is false): an
    /// unbound source is then not a problem, and operations are not checked.
    var sourcesSkipped = false
}

/// What a source description name resolved to.
enum SourceBinding: Sendable, Hashable {
    case openapi(url: String)
    case arazzo(url: String)
    case asyncapi(url: String)
    case unavailable
}

/// Loading stopped: the entry document could not be read or parsed, or is not an Arazzo 1.0.x
/// mapping (a document that decodes, even with errors, loads; its errors are in
/// ``LoadedDocument/diagnostics``). Every problem found is listed, each located where possible.
public struct LoadFailure: Error, Sendable, CustomStringConvertible {
    /// The problems, errors and warnings, in location order.
    public var diagnostics: Diagnostics
    /// File → text of the documents that were read, for rendering snippets.
    public var sourceTexts: [String: String]

    /// Creates a failure.
    public init(diagnostics: Diagnostics, sourceTexts: [String: String] = [:]) {
        self.diagnostics = diagnostics
        self.sourceTexts = sourceTexts
    }

    /// The first error, compiler style.
    public var description: String {
        diagnostics.errors.first?.description ?? "the document could not be loaded"
    }
}

/// Bounds on what loading may read.
public struct LoadLimits: Sendable, Hashable {
    /// The largest document (entry or source) read, in bytes.
    public var maxDocumentBytes: Int
    /// The most documents (Arazzo, OpenAPI and `$ref`ed files together) one load may read.
    public var maxDocuments: Int
    /// How long fetching one http(s) document may take.
    public var fetchTimeout: Duration
    /// Which local files may be read, and which remote documents are read from local copies
    /// (``FileAccess``); by default documents the caller chose read any local file and documents
    /// fetched over the network read none.
    public var files: FileAccess
    /// Whether source descriptions are loaded (default true). False checks the document alone
    /// (structure, expressions, internal references) without reading or fetching anything else,
    /// for editors and pre-commit hooks; operations are then not checked, and the document
    /// cannot be run.
    public var loadsSources: Bool

    /// Creates limits.
    public init(
        maxDocumentBytes: Int = 64 << 20, maxDocuments: Int = 256, fetchTimeout: Duration = .seconds(30),
        files: FileAccess = .default, loadsSources: Bool = true
    ) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDocuments = maxDocuments
        self.fetchTimeout = fetchTimeout
        self.files = files
        self.loadsSources = loadsSources
    }

    /// 64 MiB per document, 256 documents, 30 s per fetch, ``FileAccess/default``.
    public static let `default` = LoadLimits()
}

/// A loaded AsyncAPI description: its index (operations, channels, endpoints) and the tree it was
/// read from, which message schemas' inner `$ref`s point into (the `--mock` sampler follows them).
public struct AsyncAPISource: Sendable {
    /// Lookups over the description.
    public let index: AsyncAPIIndex
    /// The description as JSON, for resolving `#/…` references inside message schemas.
    public let root: JSONValue

    /// Wraps a loaded description.
    public init(index: AsyncAPIIndex, root: JSONValue) {
        self.index = index
        self.root = root
    }
}
