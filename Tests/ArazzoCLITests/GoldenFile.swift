import Foundation
import Testing

/// Whole-file goldens of the CLI tests (fix-its, upgrades): compared exactly, rewritten instead when
/// `ARAZZO_UPDATE_GOLDENS=1` (review the diff before committing).
enum GoldenFile {
    /// Whether this run rewrites goldens rather than checking them.
    static var updating: Bool { ProcessInfo.processInfo.environment["ARAZZO_UPDATE_GOLDENS"] == "1" }

    /// Checks `actual` against the golden at `path` (or writes it when updating).
    static func check(_ path: String, _ actual: String) throws {
        if updating {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            Issue.record("missing golden \(path); actual:\n\(actual)")
            return
        }
        #expect(expected == actual, "golden \(path) differs:\n\(actual)")
    }
}
