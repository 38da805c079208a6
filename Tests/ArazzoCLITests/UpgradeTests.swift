import ArazzoCLI
import ArazzoJSON
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// Every case under `Fixtures/upgrade/<case>/`: a document and what `arazzo-run upgrade` makes of it
/// (decision UP1).
///
/// ```
/// Fixtures/upgrade/<case>/
///   before.yaml | before.json  # the document (any other files are copied too)
///   upgrade.expected           # what `upgrade before.*` prints (stdout, stderr) and its exit code
///   upgrade.diff               # what `upgrade --diff before.*` prints on stdout
///   after.yaml | after.json    # the upgraded document; absent when the upgrade refuses
/// ```
///
/// For each case: `--diff` and `--check` write nothing; `--check` exits 1 exactly when the text
/// would change; `upgrade` writes `after.*` byte for byte; the result validates with no error the
/// original did not have; a second `upgrade` changes nothing (it is already 1.1). Set
/// `ARAZZO_RECORD_GOLDENS=1` to rewrite the expected files.
@Suite("upgrade goldens (Fixtures/upgrade)")
struct UpgradeGoldenTests {
    static let cases: [String] = {
        let dir = Repository.fixture("upgrade")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: dir + "/" + $0 + "/upgrade.expected") || GoldenFile.recording }.sorted()
    }()


    @Test("diff, check, upgrade, validate, upgrade again", arguments: cases)
    func upgradeCase(_ name: String) async throws {
        let source = Repository.fixture("upgrade/" + name)
        let work = try TemporaryDirectory()
        defer { work.cleanup() }
        let fm = FileManager.default
        for item in try fm.contentsOfDirectory(atPath: source)
        where !item.hasSuffix(".expected") && !item.hasSuffix(".diff") && !item.hasPrefix("after.") {
            try fm.copyItem(atPath: source + "/" + item, toPath: work.file(item))
        }
        let document = fm.fileExists(atPath: work.file("before.yaml")) ? "before.yaml" : "before.json"
        let afterName = document.replacingOccurrences(of: "before", with: "after")
        let settings = CLISettings(workingDirectory: work.path)
        let env = ["NO_COLOR": "1"]
        let original = try String(contentsOfFile: work.file(document), encoding: .utf8)
        let before = await Invocation.run(["validate", "--format", "json", document], environment: env, settings: settings)

        // --diff: the diff on stdout, nothing written.
        let diff = await Invocation.run(["upgrade", "--diff", document], environment: env, settings: settings)
        try GoldenFile.check(source + "/upgrade.diff", diff.stdout)
        #expect(try String(contentsOfFile: work.file(document), encoding: .utf8) == original, "\(name): --diff wrote")

        // --check: exit 1 exactly when something would change, nothing written.
        let check = await Invocation.run(["upgrade", "--check", document], environment: env, settings: settings)
        #expect(try String(contentsOfFile: work.file(document), encoding: .utf8) == original, "\(name): --check wrote")

        // upgrade: the output, then the file.
        let upgrade = await Invocation.run(["upgrade", document], environment: env, settings: settings)
        try GoldenFile.check(source + "/upgrade.expected", upgrade.stdout + upgrade.stderr + "exit \(upgrade.code)\n")
        let upgraded = try String(contentsOfFile: work.file(document), encoding: .utf8)
        if upgrade.code == 0, upgraded != original {
            try GoldenFile.check(source + "/" + afterName, upgraded)
            #expect(check.code == 1, "\(name): --check must fail when an upgrade changes the file\n\(check.stdout)\(check.stderr)")
            #expect(!diff.stdout.isEmpty)
            // No error the original did not have.
            let after = await Invocation.run(["validate", "--format", "json", document], environment: env, settings: settings)
            #expect(errorCount(after.stdout) <= errorCount(before.stdout), "\(name): the upgrade added errors\n\(after.stdout)")
            // Idempotent: a second upgrade changes nothing.
            let again = await Invocation.run(["upgrade", document], environment: env, settings: settings)
            #expect(again.code == 0)
            #expect(again.stdout.contains("already Arazzo 1.1.0; nothing to upgrade"), "\(name): \(again.stdout)")
            #expect(try String(contentsOfFile: work.file(document), encoding: .utf8) == upgraded)
            let recheck = await Invocation.run(["upgrade", "--check", document], environment: env, settings: settings)
            #expect(recheck.code == 0)
        } else {
            // Refused or nothing to do: the file is as it was, and no after file is expected.
            #expect(upgraded == original, "\(name): a refused upgrade wrote")
            #expect(!fm.fileExists(atPath: source + "/" + afterName) || GoldenFile.recording, "\(name): after file for an unchanged document")
            #expect(diff.stdout.isEmpty)
            #expect(check.code == (upgrade.code == 0 ? 0 : upgrade.code), "\(name): --check\n\(check.stdout)\(check.stderr)")
        }
    }

    @Test("there are upgrade cases, YAML and JSON")
    func enough() {
        #expect(Self.cases.count >= 4)
        let dir = Repository.fixture("upgrade")
        #expect(Self.cases.contains { FileManager.default.fileExists(atPath: dir + "/" + $0 + "/before.json") })
    }

    private func errorCount(_ json: String) -> Int {
        guard case .array(let files)? = json.parsedYAML?["files"], case .int(let n)? = files.first?["errors"] else { return Int.max }
        return n
    }

}

/// The Stytch reference workflow upgraded to 1.1 runs as the 1.0 original does.
@Suite("upgrade: Stytch round trip")
struct UpgradeStytchRoundTripTests {
    @Test("the upgraded Stytch workflow gives the original's outputs and step statuses on --mock",
          .enabled(if: Repository.hasShared))
    func roundTrip() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanup() }
        // The workflow names ../openapi/stytch-b2b-openapi.yml: rebuild that layout in a scratch
        // directory (the third-party description is never copied into the repository).
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory.file("arazzo"), withIntermediateDirectories: true)
        try manager.createDirectory(atPath: directory.file("openapi"), withIntermediateDirectories: true)
        let workflow = Repository.shared + "/fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml"
        try manager.copyItem(atPath: workflow, toPath: directory.file("arazzo/original.yml"))
        try manager.copyItem(atPath: workflow, toPath: directory.file("arazzo/upgraded.yml"))
        try manager.copyItem(atPath: Repository.sharedStytchOpenAPI, toPath: directory.file("openapi/stytch-b2b-openapi.yml"))
        let inputs = Repository.fixture("stytch/inputs.example.yaml")
        let settings = CLISettings(workingDirectory: directory.path)

        let upgrade = await Invocation.run(["upgrade", "arazzo/upgraded.yml"], environment: ["NO_COLOR": "1"], settings: settings)
        #expect(upgrade.code == 0, "\(upgrade.stdout)\(upgrade.stderr)")
        let upgradedText = try String(contentsOfFile: directory.file("arazzo/upgraded.yml"), encoding: .utf8)
        #expect(upgradedText.hasPrefix("arazzo: 1.1.0\n"))

        var reports: [JSONValue] = []
        for name in ["original", "upgraded"] {
            let result = await Invocation.run(
                ["run", "arazzo/\(name).yml", "--inputs", inputs, "--mock", "--json", "\(name).json"],
                environment: ["NO_COLOR": "1"], settings: settings)
            #expect(result.code == 0, "\(name): \(result.stdout)\(result.stderr)")
            let text = try String(contentsOfFile: directory.file("\(name).json"), encoding: .utf8)
            reports.append(try #require(text.parsedYAML))
        }
        let summaries = reports.map(Self.summary)
        #expect(summaries[0] == summaries[1], "original vs upgraded:\n\(summaries[0])\n\(summaries[1])")
        #expect(summaries[0].contains { $0.contains("sessionToken") }, "the outputs are compared: \(summaries[0])")
    }

    /// Per workflow: its outcome and outputs, and per step its id, attempt and status.
    static func summary(_ report: JSONValue) -> [String] {
        guard case .array(let workflows)? = report["workflows"] else { return [] }
        var lines: [String] = []
        for workflow in workflows {
            let id = workflow["workflowId"]?.jsonText() ?? "?"
            lines.append("\(id) outcome=\(workflow["outcome"]?.jsonText() ?? "?") outputs=\(workflow["outputs"]?.jsonText(.init(sortedKeys: true)) ?? "?")")
            guard case .array(let steps)? = workflow["steps"] else { continue }
            for step in steps {
                lines.append("  \(step["stepId"]?.jsonText() ?? "?") attempt=\(step["attempt"]?.jsonText() ?? "?") succeeded=\(step["succeeded"]?.jsonText() ?? "?") status=\(step["response"]?["status"]?.jsonText() ?? "-") action=\(step["action"]?.jsonText() ?? "?")")
            }
        }
        return lines
    }
}

/// `Fixtures/valid/1.1/`: our own 1.1 examples validate through the whole pipeline (sources
/// loaded, expressions and operations checked) with no error; the only warnings allowed are the
/// 1.1 features the engine does not execute yet (decision V3).
@Suite("Arazzo 1.1 examples validate")
struct Arazzo11ExampleTests {
    static let examples: [String] = {
        let dir = Repository.fixture("valid/1.1")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { ["yaml", "yml", "json"].contains(($0 as NSString).pathExtension) }.sorted()
    }()

    /// Warnings a document shows on purpose, by file: `plain-http.yaml` exercises a Goessner
    /// query and an `operationPath` where an `operationId` exists.
    static let deliberateWarnings: [String: Set<String>] = ["plain-http.yaml": ["jsonpath-goessner", "prefer-operation-id"]]

    @Test("validate: no errors, and only the warnings a document shows on purpose", arguments: examples)
    func validates(_ name: String) async throws {
        let result = await Invocation.run(
            ["validate", "--format", "json", Repository.fixture("valid/1.1/" + name)], environment: ["NO_COLOR": "1"])
        guard case .array(let files)? = result.stdout.parsedYAML?["files"], let file = files.first,
            case .array(let diagnostics)? = file["diagnostics"]
        else {
            Issue.record("\(name): no JSON report\n\(result.stdout)\(result.stderr)")
            return
        }
        let check = {
            for diagnostic in diagnostics {
                guard case .string(let code)? = diagnostic["code"] else { continue }
                let allowed = diagnostic["severity"] == .string("warning")
                    && Self.deliberateWarnings[name, default: []].contains(code)
                #expect(allowed, "\(name): \(diagnostic.jsonText())")
            }
            #expect(result.code == 0, "\(name): \(result.stdout)")
        }
        check()
    }

    @Test("there are several 1.1 examples")
    func enough() {
        #expect(Self.examples.count >= 5)
    }
}

/// Line endings and a byte-order mark survive an upgrade.
@Suite("upgrade keeps the bytes it does not change")
struct UpgradeBytesTests {
    @Test("CRLF line endings and a BOM are kept; the removed entry takes its CRLF with it")
    func crlfAndBOM() async throws {
        let work = try TemporaryDirectory()
        defer { work.cleanup() }
        try FileManager.default.copyItem(atPath: Repository.fixture("upgrade/yaml-comments/petstore.yaml"), toPath: work.file("petstore.yaml"))
        let lines = [
            "arazzo: \"1.0.1\"", "info:", "  title: CRLF", "  version: 1.0.0", "sourceDescriptions:",
            "  - name: pets", "    url: ./petstore.yaml", "    type: openapi", "workflows:", "  - workflowId: w",
            "    steps:", "      - stepId: a", "        operationId: findPets", "        successCriteria: []", "",
        ]
        let original = "\u{FEFF}" + lines.joined(separator: "\r\n")
        try original.write(toFile: work.file("doc.yaml"), atomically: true, encoding: .utf8)
        let result = await Invocation.run(["upgrade", "doc.yaml"], environment: ["NO_COLOR": "1"], settings: CLISettings(workingDirectory: work.path))
        #expect(result.code == 0, "\(result.stdout)\(result.stderr)")
        // Compared as bytes: reading as a String may drop the byte-order mark.
        let upgraded = try Data(contentsOf: URL(fileURLWithPath: work.file("doc.yaml")))
        var expectedLines = lines
        expectedLines[0] = "arazzo: \"1.1.0\""
        expectedLines.remove(at: 13)
        #expect(upgraded == Data(("\u{FEFF}" + expectedLines.joined(separator: "\r\n")).utf8))
    }
}

/// `fix` and `upgrade` read the files they rewrite the same way: the byte-order mark kept, and a
/// file that cannot be read named with the reason.
@Suite("fix and upgrade read files alike")
struct EditableFileTests {
    @Test("fix keeps a byte-order mark, as upgrade does")
    func fixKeepsBOM() async throws {
        let work = try TemporaryDirectory()
        defer { work.cleanup() }
        try FileManager.default.copyItem(atPath: Repository.fixture("upgrade/yaml-comments/petstore.yaml"), toPath: work.file("petstore.yaml"))
        let lines = [
            "arazzo: 1.0.1", "info:", "  title: BOM", "  version: 1.0.0", "sourceDescriptions:",
            "  - name: pets", "    url: ./petstore.yaml", "    type: openapi", "workflows:", "  - workflowId: w",
            "    steps:", "      - stepId: a", "        operationId: findpets", "",
        ]
        try Data(("\u{FEFF}" + lines.joined(separator: "\n")).utf8).write(to: URL(fileURLWithPath: work.file("doc.yaml")))
        let result = await Invocation.run(["fix", "doc.yaml"], environment: ["NO_COLOR": "1"], settings: CLISettings(workingDirectory: work.path))
        #expect(result.stdout.contains("applied 1 fix-it"), "\(result.stdout)\(result.stderr)")
        var expected = lines
        expected[12] = "        operationId: findPets"
        let fixed = try Data(contentsOf: URL(fileURLWithPath: work.file("doc.yaml")))
        #expect(fixed == Data(("\u{FEFF}" + expected.joined(separator: "\n")).utf8))
    }

    @Test("a missing file and a directory are named with the reason (exit 2)", arguments: ["fix", "upgrade"])
    func unreadable(_ command: String) async throws {
        let work = try TemporaryDirectory()
        defer { work.cleanup() }
        try FileManager.default.createDirectory(atPath: work.file("dir"), withIntermediateDirectories: true)
        let missing = await Invocation.run([command, "nothere.yaml"], settings: CLISettings(workingDirectory: work.path))
        #expect(missing.code == 2)
        #expect(missing.stderr == "error: cannot read nothere.yaml: no such file\n")
        let directory = await Invocation.run([command, "dir"], settings: CLISettings(workingDirectory: work.path))
        #expect(directory.code == 2)
        #expect(directory.stderr == "error: cannot read dir: it is a directory; name the Arazzo document in it\n")
    }
}
