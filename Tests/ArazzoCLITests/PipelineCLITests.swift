import Arazzo
import ArazzoCLI
import ArazzoJSON
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// `validate` and the library agree, `validate --no-sources`, and `run` with errors elsewhere.
@Suite("Validation pipeline through the CLI")
struct PipelineCLITests {
    /// Every document of the golden sets.
    static let documents: [String] = {
        var found: [String] = []
        for folder in ["invalid", "valid", "invalid/pipeline"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: Repository.fixture(folder))) ?? []
            for name in names.sorted() where ["yaml", "yml", "json"].contains((name as NSString).pathExtension) {
                found.append(folder + "/" + name)
            }
        }
        return found
    }()

    /// What both sides report, in a comparable form.
    struct Row: Hashable, CustomStringConvertible {
        let severity: String
        let code: String
        let line: Int
        let column: Int
        let message: String
        var description: String { "\(line):\(column) \(severity) [\(code)] \(message)" }
    }

    @Test("LoadedDocument.validate() and arazzo-run validate report exactly the same diagnostics")
    func sameDiagnostics() async throws {
        #expect(Self.documents.count > 60)
        for document in Self.documents {
            let path = Repository.fixture(document)
            var library: [Row] = []
            do {
                let loaded = try await ArazzoLoader().load(path: path)
                library = loaded.validate().sorted.map(Self.row)
            } catch {
                if error.diagnostics.contains(where: { $0.code == "document-unreadable" }) { continue }
                library = SeverityPolicy.standard.apply(to: error.diagnostics).deduplicated.sorted.map(Self.row)
            }
            let result = await Invocation.run(["validate", "--format", "json", path], environment: ["NO_COLOR": "1"])
            let json = try JSONValue(parsing: result.stdout)
            guard case .array(let files)? = json["files"], case .array(let items)? = files.first?["diagnostics"] else {
                Issue.record("\(document): no diagnostics array in \(result.stdout.prefix(300))")
                continue
            }
            let cli = items.map { item in
                Row(
                    severity: item["severity"]?.stringValue ?? "", code: item["code"]?.stringValue ?? "",
                    line: Self.int(item["line"]), column: Self.int(item["column"]),
                    message: item["message"]?.stringValue ?? "")
            }
            #expect(cli == library, "\(document)")
        }
    }

    static func int(_ value: JSONValue?) -> Int {
        if case .int(let i)? = value { return i }
        return 0
    }

    static func row(_ diagnostic: Diagnostic) -> Row {
        Row(
            severity: diagnostic.severity.rawValue, code: diagnostic.code ?? "",
            line: diagnostic.location?.line ?? 0, column: diagnostic.location?.column ?? 0, message: diagnostic.message)
    }

    @Test("validate --no-sources: no source is read, operations are unchecked, one note says so")
    func noSources() async {
        let path = Repository.fixture("invalid/pipeline/all-problems-at-once.yaml")
        let result = await Invocation.run(["validate", "--no-sources", path], environment: ["NO_COLOR": "1"])
        #expect(result.code == 1)
        #expect(!result.stdout.contains("getItme"))
        #expect(result.stdout.components(separatedBy: "source descriptions were not loaded").count == 2)
        let withSources = await Invocation.run(["validate", path], environment: ["NO_COLOR": "1"])
        #expect(withSources.stdout.contains("getItme"))
    }

    @Test("run --workflow runs a clean workflow of a document with errors, and says what it ignored")
    func runCleanWorkflow() async {
        let path = Repository.fixture("invalid/pipeline/all-problems-at-once.yaml")
        let clean = await Invocation.run(["run", "--mock", "--workflow", "clean", path], environment: ["NO_COLOR": "1"])
        #expect(clean.code == 0, "\(clean.stdout)\n\(clean.stderr)")
        #expect(clean.stderr.contains("warning: ignoring"))
        #expect(clean.stderr.contains("[missing-field]"))
        let broken = await Invocation.run(["run", "--mock", "--workflow", "broken", path], environment: ["NO_COLOR": "1"])
        #expect(broken.code == 2)
        let all = await Invocation.run(["run", "--mock", path], environment: ["NO_COLOR": "1"])
        #expect(all.code == 2)
    }
}
