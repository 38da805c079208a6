import ArazzoJSON
import ArazzoJSONSchema
import Foundation
import ArazzoTestSupport
import Testing
import OrderedCollections

/// Runs the official JSON-Schema-Test-Suite (`../shared/conformance/json-schema-test-suite`, next to
/// the package root) against the engine: every required test of draft 2020-12 and draft 4, and the
/// `optional/format` tests with format assertion on. `$ref`s to `http://localhost:1234/…` load from
/// the suite's `remotes/` through the resolution hook, as the suite prescribes.
///
/// Skips are listed in `skipped` with a reason each (and in docs/contracts.md); every other test
/// must pass.
struct JSONSchemaTestSuite {
    /// One skipped test group: the file (relative to `tests/`), the group's description, and why.
    struct Skip {
        let file: String
        let group: String
        let reason: String
    }

    static let skipped: [Skip] = [
        // Format assertion (optional/format, run with assertFormat on): formats outside the asserted set.
        Skip(file: "draft2020-12/optional/format/idn-email.json", group: "*", reason: "idn-email is not asserted (annotation only)"),
        Skip(file: "draft2020-12/optional/format/idn-hostname.json", group: "*", reason: "idn-hostname is not asserted (needs IDNA2008 tables)"),
        Skip(file: "draft2020-12/optional/format/iri.json", group: "*", reason: "iri is not asserted (annotation only)"),
        Skip(file: "draft2020-12/optional/format/iri-reference.json", group: "*", reason: "iri-reference is not asserted (annotation only)"),
        Skip(file: "draft2020-12/optional/format/uri-template.json", group: "*", reason: "uri-template is not asserted (annotation only)"),
        Skip(
            file: "draft2020-12/optional/format/hostname.json", group: "validation of A-label (punycode) host names",
            reason: "A-labels (xn--) are checked as LDH labels; Punycode decoding and the IDNA2008 contextual rules are not implemented"),
        Skip(
            file: "draft2020-12/optional/format/ecmascript-regex.json", group: "ECMA 262 lookbehind is valid, including variable width",
            reason: "regular expressions run on ICU, whose lookbehind must have a bounded length"),
    ]

    static var suiteRoot: URL? {
        let root = Repository.rootURL
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/conformance/json-schema-test-suite")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    struct Tally {
        var passed = 0
        var skipped = 0
        var failures: [String] = []
    }

    /// Loads `http://localhost:1234/<path>` from `remotes/<path>`.
    static func remote(_ uri: String, root: URL) -> JSONValue? {
        let prefix = "http://localhost:1234/"
        guard uri.hasPrefix(prefix) else { return nil }
        var path = String(uri.dropFirst(prefix.count))
        if let hash = path.firstIndex(of: "#") { path = String(path[..<hash]) }
        guard let data = try? Data(contentsOf: root.appendingPathComponent("remotes/" + path)) else { return nil }
        return try? JSONValue(parsing: Array(data))
    }

    /// Walks the groups of every `*.json` file in `tests/<folder>`: a group on the skip list is
    /// passed to `skip` with its test count, every other one to `body` with its schema compiled
    /// (or the compile error) and its tests.
    static func forEachGroup(
        folder: String, dialect: JSONSchema.Dialect, assertFormat: Bool,
        skip: (_ count: Int) -> Void,
        _ body: (_ label: String, _ schema: Result<JSONSchema, any Error>, _ tests: [JSONValue]) -> Void
    ) throws {
        guard let root = suiteRoot else { return }
        let dir = root.appendingPathComponent("tests/" + folder)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        var options = JSONSchema.Options()
        options.assertFormat = assertFormat
        for file in files {
            let data = try Data(contentsOf: dir.appendingPathComponent(file))
            guard case .array(let groups) = try JSONValue(parsing: Array(data)) else { continue }
            let relative = folder + "/" + file
            for group in groups {
                guard case .object(let g) = group, case .string(let groupName)? = g["description"],
                    let schemaValue = g["schema"], case .array(let tests)? = g["tests"]
                else { continue }
                if skipped.contains(where: { $0.file == relative && ($0.group == groupName || $0.group == "*") }) {
                    skip(tests.count)
                    continue
                }
                let schema: Result<JSONSchema, any Error>
                do {
                    schema = .success(try JSONSchema(schemaValue, options: options, dialect: dialect) { remote($0, root: root) })
                } catch {
                    schema = .failure(error)
                }
                body("\(relative) / \(groupName)", schema, tests)
            }
        }
    }

    /// Runs every `*.json` file in `tests/<folder>`.
    static func run(folder: String, dialect: JSONSchema.Dialect, assertFormat: Bool = false) throws -> Tally {
        var tally = Tally()
        try forEachGroup(folder: folder, dialect: dialect, assertFormat: assertFormat, skip: { tally.skipped += $0 }) { label, compiled, tests in
            let schema: JSONSchema
            switch compiled {
            case .success(let compiledSchema): schema = compiledSchema
            case .failure(let error):
                tally.failures.append("\(label): does not compile: \(error)")
                return
            }
            for test in tests {
                guard case .object(let t) = test, case .string(let name)? = t["description"],
                    case .bool(let valid)? = t["valid"]
                else { continue }
                let violations = schema.validate(t["data"] ?? .null)
                if violations.isEmpty == valid {
                    tally.passed += 1
                } else {
                    let why = violations.prefix(2).map(\.description).joined(separator: "; ")
                    tally.failures.append("\(label) / \(name): expected \(valid ? "valid" : "invalid")\(why.isEmpty ? "" : " (\(why))")")
                }
            }
        }
        return tally
    }

    /// Every test of `tests/<folder>` that `run` runs (skips left out), with its compiled schema.
    static func forEachCase(
        folder: String, dialect: JSONSchema.Dialect, assertFormat: Bool = false,
        _ body: (_ label: String, _ schema: JSONSchema, _ data: JSONValue) -> Void
    ) throws {
        try forEachGroup(folder: folder, dialect: dialect, assertFormat: assertFormat, skip: { _ in }) { label, compiled, tests in
            guard case .success(let schema) = compiled else { return }
            for test in tests {
                guard case .object(let t) = test, case .string(let name)? = t["description"] else { continue }
                body("\(label) / \(name)", schema, t["data"] ?? .null)
            }
        }
    }

    /// The verdict-only pass (decision PA1) against the full evaluator on every case of the suite,
    /// valid and invalid: `isValid` is the checker's verdict alone, `violations` the evaluator alone,
    /// and `validate` (checker, then evaluator when needed) must return exactly what the evaluator
    /// returns.
    @Test(arguments: [
        ("draft2020-12", JSONSchema.Dialect.draft2020_12, false), ("draft4", .draft4, false),
        ("draft2020-12/optional/format", .draft2020_12, true), ("draft4/optional/format", .draft4, true),
    ])
    func verdictPassAgreesWithTheEvaluator(folder: String, dialect: JSONSchema.Dialect, assertFormat: Bool) throws {
        try #require(Self.suiteRoot != nil, "the test suite is expected at ../shared/conformance/json-schema-test-suite")
        var compared = 0
        var valid = 0
        var disagreements: [String] = []
        try Self.forEachCase(folder: folder, dialect: dialect, assertFormat: assertFormat) { label, schema, data in
            let full = schema.violations(data)
            compared += 1
            if full.isEmpty { valid += 1 }
            if schema.isValid(data) != full.isEmpty {
                disagreements.append("\(label): verdict \(schema.isValid(data)), evaluator found \(full.count) violations")
            }
            if schema.validate(data) != full {
                disagreements.append("\(label): validate differs from the evaluator")
            }
            // The same pass on the instance's text, read in place on its tape (decision TP3), must
            // give the tree's verdict and, through `validate`, the evaluator's violations.
            let text = data.jsonBytes()
            guard let tape = try? JSONTape(parsing: text), let reparsed = try? JSONValue(parsing: text) else {
                disagreements.append("\(label): the instance's text does not parse")
                return
            }
            let treeFull = schema.violations(reparsed)
            if (schema.verdictIsValid(tape.root) ?? false) != schema.isValid(reparsed) {
                disagreements.append("\(label): the tape's verdict differs from the tree's")
            }
            if schema.validate(tape.root) != treeFull {
                disagreements.append("\(label): validate on the tape differs from the evaluator")
            }
        }
        #expect(compared > 100)
        // Both verdicts occur, so the agreement is not the trivial one.
        #expect(valid > 0 && valid < compared)
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, first: \(disagreements.prefix(5).joined(separator: "\n"))")
    }

    static func report(_ label: String, _ tally: Tally) {
        print("JSON-Schema-Test-Suite \(label): \(tally.passed) passed, \(tally.failures.count) failed, \(tally.skipped) skipped")
        for failure in tally.failures { print("  FAIL \(failure)") }
    }

    @Test(arguments: [("draft2020-12", JSONSchema.Dialect.draft2020_12), ("draft4", .draft4)])
    func requiredTests(folder: String, dialect: JSONSchema.Dialect) throws {
        try #require(Self.suiteRoot != nil, "the test suite is expected at ../shared/conformance/json-schema-test-suite")
        let tally = try Self.run(folder: folder, dialect: dialect)
        Self.report(folder, tally)
        #expect(tally.passed > 0)
        #expect(tally.failures.isEmpty, "\(tally.failures.count) failures, first: \(tally.failures.prefix(5).joined(separator: "\n"))")
    }

    @Test(arguments: [("draft2020-12", JSONSchema.Dialect.draft2020_12), ("draft4", .draft4)])
    func formatAssertionTests(folder: String, dialect: JSONSchema.Dialect) throws {
        try #require(Self.suiteRoot != nil, "the test suite is expected at ../shared/conformance/json-schema-test-suite")
        let tally = try Self.run(folder: folder + "/optional/format", dialect: dialect, assertFormat: true)
        Self.report(folder + " optional/format (assertFormat)", tally)
        #expect(tally.passed > 0)
        #expect(tally.failures.isEmpty, "\(tally.failures.count) failures, first: \(tally.failures.prefix(5).joined(separator: "\n"))")
    }
}
