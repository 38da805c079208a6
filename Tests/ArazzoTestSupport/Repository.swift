import ArazzoTesting
public import Foundation

/// Paths of this repository's files, for tests in any target: the root (the directory holding
/// `Package.swift` and `Fixtures/`), fixtures, and the shared third-party material next to it.
public enum Repository {
    /// The repository root as a URL (the current directory if none is found above this file).
    public static let rootURL: URL = URL(
        fileURLWithPath: PackageRoot.of(#filePath, containing: "Fixtures") ?? FileManager.default.currentDirectoryPath)

    /// The repository root's path.
    public static var root: String { rootURL.path }

    /// The path of `Fixtures/<relative>`.
    public static func fixture(_ relative: String) -> String { root + "/Fixtures/" + relative }

    /// A repository-relative path as a URL.
    public static func url(_ relative: String) -> URL { rootURL.appendingPathComponent(relative) }

    /// The text of a repository file.
    public static func text(_ relative: String) throws -> String {
        try String(contentsOf: url(relative), encoding: .utf8)
    }

    /// File names in a repository folder with one of the extensions, sorted.
    public static func files(in folder: String, extensions: Set<String>) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(folder).path)) ?? []
        return names.filter { extensions.contains(($0 as NSString).pathExtension) }.sorted()
    }

    /// The shared third-party material next to the repository (`../shared`), absent in CI.
    public static let shared: String = {
        let sibling = rootURL.deletingLastPathComponent().appendingPathComponent("shared").path
        if FileManager.default.fileExists(atPath: sibling) { return sibling }
        return "/work/shared"
    }()

    /// Stytch's published B2B description in the shared material.
    public static var sharedStytchOpenAPI: String { shared + "/fixtures/stytch/openapi/stytch-b2b-openapi.yml" }

    /// Whether the shared material is there.
    public static var hasShared: Bool { FileManager.default.fileExists(atPath: sharedStytchOpenAPI) }
}
