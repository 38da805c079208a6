import ArazzoCLI
import ArazzoJSON
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// Every case under `Fixtures/fixits/<case>/`: a document that bends a rule where its meaning is
/// evident, what `validate` says about it, and what `fix` makes of it.
///
/// ```
/// Fixtures/fixits/<case>/
///   before.yaml        # the document as people write it (any other files are copied too)
///   validate.expected  # `arazzo-run validate before.yaml`, paths relative to the case folder
///   after.yaml         # the document after `arazzo-run fix before.yaml`
/// ```
///
/// For each case the test checks that: the document validates without errors (the run uses its
/// evident meaning), the warnings match the golden text, `fix` turns it into `after.yaml` byte
/// for byte, a second `fix` changes nothing, and `validate --strict` on the result leaves only
/// diagnostics that have no fix-it. Set `ARAZZO_RECORD_GOLDENS=1` to rewrite the expected files.
@Suite("Fix-it goldens (Fixtures/fixits: validate, fix, fix again, validate --strict)")
struct FixItGoldenTests {
    static let cases: [String] = {
        let dir = Repository.fixture("fixits")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { name in
            FileManager.default.fileExists(atPath: dir + "/" + name + "/before.yaml")
                || FileManager.default.fileExists(atPath: dir + "/" + name + "/before.json")
        }.sorted()
    }()


    @Test("validate, fix, fix again, validate --strict", arguments: cases)
    func fixCase(_ name: String) async throws {
        let source = Repository.fixture("fixits/" + name)
        let work = try TemporaryDirectory()
        defer { work.cleanup() }
        let fm = FileManager.default
        for item in try fm.contentsOfDirectory(atPath: source) where !item.hasSuffix(".expected") && !item.hasPrefix("after.") {
            try fm.copyItem(atPath: source + "/" + item, toPath: work.file(item))
        }
        let document = fm.fileExists(atPath: work.file("before.yaml")) ? "before.yaml" : "before.json"
        let afterName = document.replacingOccurrences(of: "before", with: "after")
        let settings = CLISettings(workingDirectory: work.path)
        let env = ["NO_COLOR": "1"]

        // 1. validate: warnings only, pinned as text.
        let validate = await Invocation.run(["validate", document], environment: env, settings: settings)
        #expect(validate.code == 0, "\(name): the document's meaning is evident, so it must validate\n\(validate.stdout)\(validate.stderr)")
        try GoldenFile.check(source + "/validate.expected", validate.stdout)

        // 2. fix → after.
        let fix = await Invocation.run(["fix", document], environment: env, settings: settings)
        #expect(fix.code == 0, "\(name): fix\n\(fix.stdout)\(fix.stderr)")
        let fixed = try String(contentsOfFile: work.file(document), encoding: .utf8)
        try GoldenFile.check(source + "/" + afterName, fixed)
        #expect(fix.stdout.contains("applied"), "\(name): fix applied nothing\n\(fix.stdout)")

        // 3. a second fix changes nothing.
        let again = await Invocation.run(["fix", document], environment: env, settings: settings)
        #expect(again.stdout.contains("nothing to fix"), "\(name): second fix\n\(again.stdout)")
        #expect(try String(contentsOfFile: work.file(document), encoding: .utf8) == fixed)

        // 4. validate --strict: what is left has no fix-it.
        let strict = await Invocation.run(["validate", "--strict", "--format", "json", document], environment: env, settings: settings)
        let report = strict.stdout.parsedYAML
        if case .array(let files)? = report?["files"], case .array(let diagnostics)? = files.first?["diagnostics"] {
            for diagnostic in diagnostics {
                #expect(diagnostic["fixIts"] == nil, "\(name): a fix-it is left after fix: \(diagnostic)")
            }
        } else {
            Issue.record("\(name): no JSON report\n\(strict.stdout)\(strict.stderr)")
        }
    }

    @Test("there are fix-it cases")
    func enough() {
        #expect(Self.cases.count >= 1)
    }

}

/// `docs/diagnostics.md` lists exactly the catalogue.
@Suite("Rule catalogue documentation")
struct RuleDocumentationTests {
    @Test("docs/diagnostics.md holds `arazzo-run rules --format markdown` between its markers")
    func docsInStep() async throws {
        let rules = await Invocation.run(["rules", "--format", "markdown"])
        #expect(rules.code == 0)
        let path = Repository.root + "/docs/diagnostics.md"
        let page = try String(contentsOfFile: path, encoding: .utf8)
        let begin = "<!-- rules:begin -->\n", end = "<!-- rules:end -->"
        guard let b = page.range(of: begin), let e = page.range(of: end) else {
            Issue.record("docs/diagnostics.md lacks the rules markers")
            return
        }
        let current = String(page[b.upperBound..<e.lowerBound])
        if GoldenFile.recording {
            try (String(page[..<b.upperBound]) + rules.stdout + String(page[e.lowerBound...])).write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(current == rules.stdout, "run: ARAZZO_RECORD_GOLDENS=1 swift test --filter RuleDocumentationTests")
    }
}

/// Every code the sources emit is in the catalogue (and so in docs/diagnostics.md).
@Suite("Rule catalogue coverage")
struct RuleCoverageTests {
    @Test("every `code: \"…\"` literal in Sources/ names a catalogued rule")
    func everyEmittedCodeIsCatalogued() throws {
        let root = Repository.rootURL
        let sources = root.appendingPathComponent("Sources")
        let enumerator = FileManager.default.enumerator(atPath: sources.path)
        let skipped: Set<String> = ["ArazzoTestServer", "arazzo-bench"]
        var missing: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".swift"), let module = relative.split(separator: "/").first,
                  !skipped.contains(String(module)) else { continue }
            let text = try String(contentsOfFile: sources.path + "/" + relative, encoding: .utf8)
            for match in text.matches(of: /code: "([a-z0-9]+(?:-[a-z0-9]+)+)"/) {
                let code = String(match.output.1)
                if DiagnosticRuleLookup.isCatalogued(code) == false { missing.append("\(relative): \(code)") }
            }
            // ArazzoRule cases: `case name = "code"`.
            if relative.hasSuffix("ArazzoRule.swift") {
                for match in text.matches(of: /case [a-zA-Z]+ = "([a-z0-9-]+)"/) where !DiagnosticRuleLookup.isCatalogued(String(match.output.1)) {
                    missing.append("ArazzoRule: \(match.output.1)")
                }
            }
        }
        #expect(missing.isEmpty, "codes missing from DiagnosticRule.catalogue: \(missing)")
    }
}
