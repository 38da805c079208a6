import ArazzoCLI
import ArazzoJSON
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// Documents written in the styles real projects use (a provider's `arazzo/` + `openapi/` folders,
/// a generated catalogue, another runner's test suite), under `Fixtures/realworld/<project>/`.
///
/// Each one's meaning is clear, so `validate` with no flags must accept it; after `fix`,
/// `validate --strict` may only report what has no fix-it.
@Suite("Real-world styles (Fixtures/realworld: validate with no flags, fix, validate --strict)")
struct RealWorldCorpusTests {
    static let documents: [String] = {
        let root = Repository.rootURL.appendingPathComponent("Fixtures/realworld").path
        let all = FileManager.default.enumerator(atPath: root)?.allObjects.compactMap { $0 as? String } ?? []
        return all.filter { $0.hasSuffix(".arazzo.yaml") || $0.hasSuffix(".arazzo.json") }.sorted()
    }()

    @Test("there are documents in every style")
    func enough() {
        #expect(Self.documents.count >= 5)
    }

    @Test("validate accepts it with no flags; fix leaves only what has no fix-it", arguments: documents)
    func document(_ relative: String) async throws {
        let project = String(relative.prefix { $0 != "/" })
        let work = try TemporaryDirectory()
        defer { work.cleanup() }
        let source = Repository.fixture("realworld/" + project)
        try FileManager.default.copyItem(atPath: source, toPath: work.file(project))
        let settings = CLISettings(workingDirectory: work.path)
        let env = ["NO_COLOR": "1"]

        let validate = await Invocation.run(["validate", relative], environment: env, settings: settings)
        #expect(validate.code == 0, "\(relative)\n\(validate.stdout)\(validate.stderr)")

        let fix = await Invocation.run(["fix", relative], environment: env, settings: settings)
        #expect(fix.code == 0, "\(relative): fix\n\(fix.stdout)\(fix.stderr)")

        let strict = await Invocation.run(["validate", "--strict", "--format", "json", relative], environment: env, settings: settings)
        guard case .array(let files)? = strict.stdout.parsedYAML?["files"], case .array(let diagnostics)? = files.first?["diagnostics"] else {
            Issue.record("\(relative): no JSON report\n\(strict.stdout)\(strict.stderr)")
            return
        }
        for diagnostic in diagnostics {
            #expect(diagnostic["fixIts"] == nil, "\(relative): a fix-it is left after fix: \(diagnostic)")
        }
    }
}
