import ArazzoTesting
import Foundation
import Testing

/// Each conformance case is its own test case, named by its id. Run one alone with
/// `ARAZZO_CASE=<id> swift test --disable-xctest --filter ConformanceTests` (docs/conformance.md).
/// Serialized: every case starts loopback servers and runs the CLI with real timeouts, which a
/// machine running hundreds at once would turn into spurious timeouts.
@Suite("Conformance suite (Fixtures/conformance through the CLI, AsyncHTTPClient and a scripted loopback server)", .serialized)
struct ConformanceTests {
    @Test("the suite holds at least 80 cases", .enabled(if: ProcessInfo.processInfo.environment[ConformanceCase.selectionVariable] == nil))
    func suiteSize() {
        #expect(CLIConformanceRunner.folders.count >= 80)
    }

    @Test("conformance case", arguments: CLIConformanceRunner.folders)
    func conformance(_ folder: ConformanceCase.Folder) async throws {
        let testCase = try folder.load()
        let problems = try await CLIConformanceRunner.run(folder)
        let comment = Comment(rawValue: "\(folder.id):\n  " + problems.joined(separator: "\n  "))
        if let reason = testCase.knownIssue {
            // A case the implementation is known to miss: reported as a known issue, and flagged
            // as soon as it starts passing (so the marker gets removed).
            withKnownIssue(Comment(rawValue: reason)) {
                if !problems.isEmpty { Issue.record(comment) }
            }
        } else if !problems.isEmpty {
            Issue.record(comment)
        }
    }
}
