// Only where Swift Testing is (test builds; see ConformanceCase.swift for why it may be missing).
#if canImport(Testing)
import Foundation
public import Testing

/// Whole-file golden comparisons for Swift Testing: the actual text must equal the file exactly.
///
/// With `ARAZZO_RECORD_GOLDENS=1` in the environment the golden is rewritten with the actual text
/// instead (review the diff before committing); a missing golden is then created. Failures are
/// recorded at the caller's source location.
///
/// ```swift
/// @Test func report() throws {
///     try GoldenFile.check("Tests/Goldens/report.txt", render(report))
/// }
/// ```
public enum GoldenFile {
    /// The environment variable that switches to record mode.
    public static let recordVariable = "ARAZZO_RECORD_GOLDENS"

    /// Whether this run rewrites goldens rather than checking them (`ARAZZO_RECORD_GOLDENS=1`;
    /// the older name `ARAZZO_UPDATE_GOLDENS=1` is honoured too).
    public static var recording: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment[recordVariable] == "1" || environment["ARAZZO_UPDATE_GOLDENS"] == "1"
    }

    /// Checks `actual` against the golden file at `path`, or writes it in record mode.
    ///
    /// A missing or different golden records an issue naming the file; the issue shows the actual
    /// text, and a copy is written under the temporary directory (`arazzo-goldens/`) for review.
    public static func check(
        _ path: String, _ actual: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        if recording {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try? String(contentsOfFile: path, encoding: .utf8)
        if expected == actual { return }
        let copy = keepActual(actual, for: path)
        guard let expected else {
            let message = "missing golden \(path); record it with \(recordVariable)=1 (actual output in \(copy)):\n\(actual)"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            return
        }
        let message = "golden \(path) differs at line \(firstDifferentLine(expected, actual)); rerun with "
            + "\(recordVariable)=1 to accept (actual output in \(copy)):\n\(actual)"
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }

    /// Writes the actual text next to where reviewers look, returning its path.
    private static func keepActual(_ actual: String, for path: String) -> String {
        let directory = NSTemporaryDirectory() + "arazzo-goldens"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let copy = directory + "/" + (path as NSString).lastPathComponent
        try? actual.write(toFile: copy, atomically: true, encoding: .utf8)
        return copy
    }

    /// The 1-based number of the first line where the texts differ.
    static func firstDifferentLine(_ expected: String, _ actual: String) -> Int {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<min(a.count, b.count) where a[index] != b[index] { return index + 1 }
        return min(a.count, b.count) + 1
    }
}
#endif
