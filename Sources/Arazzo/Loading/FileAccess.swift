import Foundation
import ArazzoExecutor

/// Which local files a load may read besides the entry document: the policy behind
/// `--allow-file-root DIR` and `--allow-files` (docs/security.md).
///
/// A document names local files through `file:` and relative source description URLs and through
/// relative `$ref`s in its OpenAPI descriptions. By default only files inside the **entry
/// document's directory tree** may be read; ``roots`` adds further trees and ``allowsAnyFile``
/// lifts the check. Paths are compared after resolving `.`, `..` and every symbolic link
/// (``FilePolicy``), so `../x` and a symlink pointing out of the tree are both outside.
///
/// Files the caller names itself are never checked: the entry document, and the files given in
/// `ArazzoLoader(sourceOverrides:)` (whose directories also become readable trees, for their
/// relative `$ref`s). A remote (http) entry document has no directory, so without ``roots`` it may
/// not name local files at all.
public struct FileAccess: Sendable, Hashable {
    /// Every local file may be read (`--allow-files`); only non-regular files (devices, FIFOs,
    /// directories) and files above ``LoadLimits/maxDocumentBytes`` are still refused.
    public var allowsAnyFile: Bool
    /// Directory trees readable in addition to the entry document's own (`--allow-file-root`):
    /// absolute paths, or paths relative to the current directory.
    public var roots: [String]

    /// A policy: the entry document's directory tree, plus `roots`, or every file.
    public init(allowsAnyFile: Bool = false, roots: [String] = []) {
        self.allowsAnyFile = allowsAnyFile
        self.roots = roots
    }

    /// Only the entry document's directory tree (the default).
    public static let documentDirectory = FileAccess()

    /// Every local file (`--allow-files`).
    public static let anyFile = FileAccess(allowsAnyFile: true)

    /// The entry document's directory tree and the trees under `roots` (`--allow-file-root`).
    public static func documentDirectory(plus roots: [String]) -> FileAccess {
        FileAccess(roots: roots)
    }
}

/// ``FileAccess`` applied to one load: the resolved trees and the files the caller named.
struct FileGate {
    private let allowsAnyFile: Bool
    /// The entry document's directory first (when it is a file), then the extra roots.
    private var policies: [FilePolicy] = []
    private var documentRoot: String?
    /// Absolute paths the caller named (entry document, source overrides): never refused.
    private var trusted: Set<String> = []

    /// `entry` is the entry document's absolute path or URL (nil: none known);
    /// `overrides` the absolute paths of local source overrides.
    init(access: FileAccess, entry: String?, overrides: [String]) {
        allowsAnyFile = access.allowsAnyFile
        if let entry, !URLReference.isHTTP(entry) {
            let path = URLReference.filePath(entry)
            let policy = FilePolicy(documentPath: path)
            policies.append(policy)
            documentRoot = policy.root
            trusted.insert(path)
        }
        for root in access.roots {
            policies.append(FilePolicy(root: root))
        }
        for path in overrides {
            trusted.insert(path)
            policies.append(FilePolicy(documentPath: path))
        }
    }

    /// Whether `path` is read without a policy check (every file allowed, or named by the caller).
    func isExempt(_ path: String) -> Bool {
        allowsAnyFile || trusted.contains(path)
    }

    /// Why the local file at `path` (absolute, already percent-decoded) may not be read, in one
    /// line that says how to allow it; nil when it may.
    func refusal(for path: String) -> String? {
        if isExempt(path) { return nil }
        // FilePolicy percent-decodes its argument; `path` is decoded already, so a literal `%`
        // is escaped to keep the checked path and the opened path the same.
        let escaped = path.replacingOccurrences(of: "%", with: "%25")
        if policies.contains(where: { $0.allows(path: escaped) }) { return nil }
        let howTo = "pass --allow-file-root DIR to allow a directory tree, or --allow-files to allow every file"
        let roots = policies.map(\.root)
        if roots.isEmpty {
            return "\(path) is a local file and the entry document is not; \(howTo)"
        }
        if roots.count == 1, let documentRoot {
            return "\(path) is outside the entry document's directory \(documentRoot); \(howTo)"
        }
        return "\(path) is outside the allowed directories \(roots.joined(separator: ", ")); \(howTo)"
    }
}
