import ArazzoTestSupport
import ArazzoDiagnostics
import ArazzoModel
import Testing

/// Every document under `Fixtures/invalid/` with its rendered diagnostics pinned in
/// `<name>.expected` (the exact `DiagnosticRenderer` output, paths relative to the repo root).
@Suite("Invalid documents (golden diagnostics)")
struct InvalidFixtureTests {
    static let fixtures = Repository.files(in: "Fixtures/invalid", extensions: ["yaml", "yml", "json"])

    @Test("there are at least 40 invalid fixtures")
    func enoughFixtures() {
        #expect(Self.fixtures.count >= 40)
    }

    @Test("diagnostics match the golden text", arguments: fixtures)
    func golden(_ name: String) throws {
        let path = "Fixtures/invalid/\(name)"
        let (result, rendered) = try renderedDiagnostics(of: path)
        #expect(!result.diagnostics.all.isEmpty, "an invalid fixture must produce diagnostics")
        // Fixtures named `warning-*` pin warnings on otherwise valid documents.
        if name.hasPrefix("warning-") {
            #expect(!result.diagnostics.hasErrors)
            #expect(result.document != nil)
        } else {
            #expect(result.diagnostics.hasErrors)
            #expect(result.document == nil)
        }
        for diagnostic in result.diagnostics {
            #expect(diagnostic.code != nil, "every diagnostic has a rule code: \(diagnostic)")
            #expect(diagnostic.location != nil, "every diagnostic is located: \(diagnostic)")
            #expect(!diagnostic.message.contains("\n"), "messages are one line: \(diagnostic)")
        }
        try checkGolden(fixture: path, actual: rendered)
    }
}
