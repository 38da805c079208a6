import ArazzoJSON
import ArazzoJSONPath
import Foundation
import ArazzoTestSupport
import Testing

/// One case of the JSONPath Compliance Test Suite (`Fixtures/jsonpath-cts/cts.json`).
struct ComplianceCase: Sendable, CustomTestStringConvertible {
    let name: String
    let selector: String
    let document: JSONValue?
    let invalid: Bool
    /// The allowed outcomes: one `(values, paths?)` pair, or several when member order may vary.
    let outcomes: [(values: [JSONValue], paths: [String]?)]

    var testDescription: String { name }

    static func load() -> [ComplianceCase] {
        let root = Repository.rootURL
        guard let data = try? Data(contentsOf: root.appendingPathComponent("Fixtures/jsonpath-cts/cts.json")),
            let suite = try? FixtureJSONReader.parse(data),
            case .array(let tests)? = suite["tests"]
        else { return [] }
        return tests.map { test in
            let name = test["name"]?.stringValue ?? "?"
            let selector = test["selector"]?.stringValue ?? ""
            let invalid = test["invalid_selector"]?.boolValue ?? false
            var outcomes: [(values: [JSONValue], paths: [String]?)] = []
            func paths(_ v: JSONValue?) -> [String]? { v?.arrayValue?.compactMap(\.stringValue) }
            if let result = test["result"]?.arrayValue {
                outcomes.append((result, paths(test["result_paths"])))
            } else if let results = test["results"]?.arrayValue {
                let allPaths = test["results_paths"]?.arrayValue
                for (i, result) in results.enumerated() {
                    outcomes.append((result.arrayValue ?? [], paths(allPaths?[i])))
                }
            }
            return ComplianceCase(
                name: name, selector: selector, document: test["document"], invalid: invalid, outcomes: outcomes)
        }
    }
}

@Suite("JSONPath Compliance Test Suite")
struct ComplianceTests {
    static let cases = ComplianceCase.load()

    @Test("cts.json is present and complete")
    func suiteLoaded() {
        #expect(Self.cases.count == 703)
    }

    @Test("CTS case", arguments: cases)
    func complianceCase(_ test: ComplianceCase) {
        if test.invalid {
            #expect(throws: JSONPathError.self, "\(test.selector) must be rejected") {
                _ = try JSONPathQuery(test.selector)
            }
            return
        }
        let query: JSONPathQuery
        do {
            query = try JSONPathQuery(test.selector)
        } catch {
            Issue.record("\(test.selector) failed to compile: \(error)")
            return
        }
        let document = test.document ?? .null
        let nodes = query.select(document)
        let values = nodes.map(\.value)
        let paths = nodes.map(\.path)
        let matched = test.outcomes.contains { outcome in
            outcome.values == values && (outcome.paths.map { $0 == paths } ?? true)
        }
        #expect(matched, "\(test.selector): got \(values) at \(paths); expected one of \(test.outcomes.map { "\($0.values) at \($0.paths ?? [])" })")
        #expect(query.values(document) == values, "values(_:) must agree with select(_:)")
    }
}
