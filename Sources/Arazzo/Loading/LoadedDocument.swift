public import ArazzoDiagnostics
public import ArazzoModel

/// An Arazzo document with every source description it needs, loaded and indexed.
public struct LoadedDocument: Sendable {
    /// The entry document's AST.
    public let document: ArazzoSpecification
    /// The absolute file path or URL of the entry document.
    public let url: String
    /// File → text of every document read (entry, Arazzo and OpenAPI sources), keyed by the file
    /// name diagnostics use, for ``DiagnosticRenderer`` snippets.
    public let sourceTexts: [String: String]
    /// Warnings found while loading (a document with errors is not loaded: ``LoadFailure``).
    public var diagnostics: Diagnostics
    /// Every OpenAPI description loaded, keyed by absolute URL.
    public let openAPIDocuments: [String: OpenAPIDocument]

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

    /// The workflow ids of the entry document, in order.
    public var workflowIds: [String] { document.workflows.map(\.workflowId) }
}

/// One loaded Arazzo document and what its source description names are bound to.
struct ArazzoUnit: Sendable {
    let url: String
    let displayName: String
    let document: ArazzoSpecification
    var sources: [String: SourceBinding]
}

/// What a source description name resolved to.
enum SourceBinding: Sendable, Hashable {
    case openapi(url: String)
    case arazzo(url: String)
    case unavailable
}

/// Loading stopped: the entry document or a source description could not be read, parsed or
/// decoded. Every problem found is listed, each located where possible.
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

    /// Creates limits.
    public init(
        maxDocumentBytes: Int = 64 << 20, maxDocuments: Int = 256, fetchTimeout: Duration = .seconds(30),
        files: FileAccess = .default
    ) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDocuments = maxDocuments
        self.fetchTimeout = fetchTimeout
        self.files = files
    }

    /// 64 MiB per document, 256 documents, 30 s per fetch, ``FileAccess/default``.
    public static let `default` = LoadLimits()
}
