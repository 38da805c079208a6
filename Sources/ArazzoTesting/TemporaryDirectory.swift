import Foundation

/// A fresh directory under the system's temporary directory for one test's files.
public struct TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates a new, empty directory whose name starts with `prefix`.
    public init(prefix: String = "arazzo-tests-") throws {
        path = NSTemporaryDirectory() + prefix + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The absolute path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `files` (relative path → text) into the directory, creating folders as needed.
    public func write(_ files: [String: String]) throws {
        for (relative, text) in files {
            let target = file(relative)
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: target, atomically: true, encoding: .utf8)
        }
    }

    /// Removes the directory and everything in it.
    public func cleanup() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Finds the root of the package a test file belongs to: the nearest directory above `file` that
/// holds `Package.swift` (and `marker`, when given, such as `Fixtures`).
public enum PackageRoot {
    /// The package root above `file` (pass `#filePath`), or `nil` when there is none.
    public static func of(_ file: String, containing marker: String? = nil) -> String? {
        var url = URL(fileURLWithPath: file).deletingLastPathComponent()
        let manager = FileManager.default
        while url.path != "/" && !url.path.isEmpty {
            if manager.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
                marker.map({ manager.fileExists(atPath: url.appendingPathComponent($0).path) }) ?? true
            {
                return url.path
            }
            url.deleteLastPathComponent()
        }
        return nil
    }
}
