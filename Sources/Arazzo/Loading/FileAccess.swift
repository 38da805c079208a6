import Foundation
import ArazzoJSON
import ArazzoOpenAPI
import ArazzoExecutor

/// Which local files a load may read besides the entry document, decided by who chose each
/// document (docs/security.md, "Which files may be read").
///
/// A document names local files through `file:` and relative source description URLs and through
/// relative `$ref`s in its OpenAPI descriptions. The rules:
///
/// - A document the caller chose — a local entry document, a file given in
///   `ArazzoLoader(sourceOverrides:)`, a local copy served by a ``Mapping`` — and the local files
///   it names may read local files **anywhere**, like a program reads the files its own
///   configuration names. Only regular files are read: devices, FIFOs, directories, kernel
///   pseudo-files (`/proc`, `/sys`) and files above ``LoadLimits/maxDocumentBytes`` are refused.
/// - A document **fetched over the network** (an http(s) entry document or source description)
///   may not read local files at all, as a web page may not read `file:` URLs, unless the caller
///   grants it: ``allowsAnyFile``, or a directory tree in ``roots``. A local file read under such
///   a grant is treated like the network document that named it.
/// - A non-empty ``sandbox`` confines every local read, whoever chose the document, to its
///   directory trees; only the entry document and the files the caller named are exempt. Use it
///   for a local document you did not write.
/// - ``mappings`` serve http(s) URLs from local directories instead of the network (offline CI);
///   what a mapping serves counts as chosen by the caller.
///
/// Paths are compared after resolving `.`, `..` and every symbolic link (``FilePolicy``), both
/// before a file is opened and, on Linux, for the descriptor actually opened, so `../x` and a
/// symlink pointing out of a tree are both outside it.
public struct FileAccess: Sendable, Hashable {
    /// Documents fetched over the network may read any local file (the sandbox, when set, still
    /// applies). Off by default.
    public var allowsAnyFile: Bool
    /// Directory trees that documents fetched over the network may read local files from:
    /// absolute paths, or paths relative to the current directory. Documents the caller chose
    /// need no roots.
    public var roots: [String]
    /// When not empty, every local file except the entry document and the files the caller named
    /// (source overrides, mapped copies) must lie in one of these directory trees: absolute
    /// paths, or paths relative to the current directory. The entry document's own directory is
    /// not included unless it is listed.
    public var sandbox: [String]
    /// Local copies of remote documents: an http(s) URL that starts with a mapping's prefix is
    /// read from its directory. The longest matching prefix wins.
    public var mappings: [Mapping]

    /// Serves every http(s) URL that starts with ``urlPrefix`` from ``directory``: the rest of the
    /// URL's path (percent-decoded, without query) is the file's path below the directory.
    ///
    /// A prefix matches only at a path boundary: `https://h/specs` matches `https://h/specs/a.yaml`
    /// but not `https://h/specs2/a.yaml`. A URL whose rest would leave the directory (`..`, a
    /// symlink out of it) is refused.
    public struct Mapping: Sendable, Hashable {
        /// The start of the URLs served locally, e.g. `https://specs.example.com/v1/`.
        public var urlPrefix: String
        /// The directory holding the copies (absolute, or relative to the current directory).
        public var directory: String

        /// A mapping from `urlPrefix` to `directory`.
        public init(urlPrefix: String, directory: String) {
            self.urlPrefix = urlPrefix
            self.directory = directory
        }
    }

    /// A policy; every part defaults to off.
    public init(allowsAnyFile: Bool = false, roots: [String] = [], sandbox: [String] = [], mappings: [Mapping] = []) {
        self.allowsAnyFile = allowsAnyFile
        self.roots = roots
        self.sandbox = sandbox
        self.mappings = mappings
    }

    /// The default: documents the caller chose read local files anywhere, documents fetched over
    /// the network read none.
    public static let `default` = FileAccess()

    /// Documents fetched over the network may read any local file too.
    public static let anyFile = FileAccess(allowsAnyFile: true)

    /// Every local file besides the entry document must lie under one of `directories`: the policy
    /// for a local document you did not write.
    public static func sandbox(_ directories: [String]) -> FileAccess {
        FileAccess(sandbox: directories)
    }
}

/// ``FileAccess`` applied to one load: the resolved trees, the mappings, the files the caller named.
struct FileGate {
    /// Who chose a document, which decides the local files it may name.
    enum Origin: Sendable {
        /// The caller: a local entry document, a source override, a mapped copy, or a local file
        /// one of those named.
        case caller
        /// A server: a document fetched over http(s), or a local file read because one named it.
        case network
    }

    /// A mapping with its directory resolved once.
    struct ResolvedMapping {
        let mapping: FileAccess.Mapping
        let tree: FilePolicy
    }

    /// Where a mapped URL is read from.
    struct MappedFile {
        /// The absolute local path.
        let path: String
        /// The mapping's directory tree: the opened file must lie in it.
        let tree: FilePolicy
        /// "PREFIX → DIR", for messages.
        let mappingDescription: String
    }

    private let allowsAnyFile: Bool
    private let grants: [FilePolicy]
    private let sandbox: [FilePolicy]
    private let mappings: [ResolvedMapping]
    /// Absolute paths the caller named (entry document, source overrides): never refused.
    private var trusted: Set<String> = []

    /// Kernel pseudo-file systems: regular files in name only (`/proc/self/environ` holds the
    /// credentials of `ARAZZO_AUTH_*`, `/proc/self/mem` fails to read), never documents.
    private static let pseudoFileSystems = [FilePolicy(root: "/proc"), FilePolicy(root: "/sys")]

    /// `entry` is the entry document's absolute path or URL (nil: none known);
    /// `overrides` the absolute paths of local source overrides.
    init(access: FileAccess, entry: String?, overrides: [String]) {
        allowsAnyFile = access.allowsAnyFile
        grants = access.roots.map { FilePolicy(root: $0) }
        sandbox = access.sandbox.map { FilePolicy(root: $0) }
        // Longest prefix first, so the first match is the most specific.
        mappings = access.mappings
            .sorted { $0.urlPrefix.count > $1.urlPrefix.count }
            .map { ResolvedMapping(mapping: $0, tree: FilePolicy(root: $0.directory)) }
        if let entry, !URLReference.isHTTP(entry) {
            trusted.insert(URLReference.filePath(entry))
        }
        trusted.formUnion(overrides)
    }

    /// Who chose the document at `url`, when a document chosen by `namer` names it: a remote URL
    /// is the network's choice unless a mapping serves it; a local file inherits its namer's.
    func origin(of url: String, namedBy namer: Origin) -> Origin {
        guard URLReference.isHTTP(url) else { return namer }
        return mappings.contains { Self.match(url, prefix: $0.mapping.urlPrefix) != nil } ? .caller : .network
    }

    /// Whether `path` is read without a policy check (named by the caller).
    func isExempt(_ path: String) -> Bool {
        trusted.contains(path)
    }

    /// Why the local file at `path` (absolute, already percent-decoded), named by a document that
    /// `origin` chose, may not be read, in one line that says what to allow; nil when it may.
    func refusal(for path: String, origin: Origin) -> String? {
        if isExempt(path) { return nil }
        if origin == .network, !allowsAnyFile, !grants.contains(where: { Self.allows($0, path) }) {
            let allowed = grants.isEmpty ? "" : " (allowed: \(grants.map(\.root).joined(separator: ", ")))"
            return "\(path) is a local file named by a document fetched over the network, which may read local files only from directories allowed for it\(allowed); allow its directory to read it"
        }
        if !sandbox.isEmpty, !sandbox.contains(where: { Self.allows($0, path) }) {
            return "\(path) is outside the sandbox \(sandbox.map(\.root).joined(separator: ", ")); allow its directory to read it"
        }
        return nil
    }

    /// Whether `path` lies in `/proc` or `/sys` (checked for every file the caller did not name).
    func isPseudoFile(_ path: String) -> Bool {
        !isExempt(path) && Self.pseudoFileSystems.contains { Self.allows($0, path) }
    }

    /// The local copy of the http(s) `url` when a mapping covers it: `.success` with where to read
    /// it, `.failure` with a one-line reason when its path would leave the mapped directory; nil
    /// when no mapping covers it.
    func mappedFile(for url: String) -> Result<MappedFile, ReadFailure>? {
        for resolved in mappings {
            guard let rest = Self.match(url, prefix: resolved.mapping.urlPrefix) else { continue }
            let description = "\(resolved.mapping.urlPrefix) → \(resolved.mapping.directory)"
            var relative = Substring(rest)
            if let query = relative.firstIndex(where: { $0 == "?" }) { relative = relative[..<query] }
            while relative.hasPrefix("/") { relative = relative.dropFirst() }
            let decoded = percentDecoded(String(relative))
            let path = resolved.tree.root == "/" ? "/" + decoded : resolved.tree.root + "/" + decoded
            guard !decoded.contains("\0"), Self.allows(resolved.tree, path) else {
                return .failure(ReadFailure(
                    "\(url) would be read from \(path), outside the directory of its local copies (\(description))",
                    isPolicyRefusal: true))
            }
            return .success(MappedFile(path: path, tree: resolved.tree, mappingDescription: description))
        }
        return nil
    }

    /// The part of `url` after `prefix` when the prefix matches at a path boundary.
    private static func match(_ url: String, prefix: String) -> Substring? {
        guard !prefix.isEmpty, url.hasPrefix(prefix) else { return nil }
        let rest = url.dropFirst(prefix.count)
        guard prefix.hasSuffix("/") || rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?") else { return nil }
        return rest
    }

    /// ``FilePolicy/allows(path:)`` for a path that is already percent-decoded.
    static func allows(_ policy: FilePolicy, _ path: String) -> Bool {
        // FilePolicy percent-decodes its argument; a literal `%` is escaped so that the checked
        // path and the opened path stay the same.
        policy.allows(path: path.replacingOccurrences(of: "%", with: "%25"))
    }
}
