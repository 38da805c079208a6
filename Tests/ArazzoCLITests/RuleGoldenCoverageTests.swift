import Arazzo
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing
import ArazzoDiagnostics

/// Every catalogued rule is triggered by at least one document under `Fixtures/` (the golden
/// sets), or is listed in ``withoutGolden`` with what pins it instead.
@Suite("Rule coverage by golden documents")
struct RuleGoldenCoverageTests {
    /// Rules no golden document triggers yet, each with what pins it today. The list only
    /// shrinks: a rule that gains a golden must leave it (the second expectation fails).
    static let withoutGolden: [String: String] = [
        "document-unreadable": "CLI tests of a missing file (the input is the absence of a document)",
        "source-file-not-allowed": "HostileSourceTests and FileAccessCLITests (golden loads run in a sandbox that allows their own folder)",
        "swagger-host": "SwaggerTests",
        "swagger-body": "SwaggerTests",
        "swagger-parameter": "SwaggerTests",
        "swagger-form-data": "SwaggerTests",
        "swagger-security": "SwaggerTests",
        "secret-outputs-marker": "SecretOutputTests (x-arazzo-secret-outputs)",
        "ambiguous-dotted-name": "ExpressionScopeTests (decision A2)",
        "outputs-unavailable": "ExpressionScopeTests",
        "template-unbalanced-brace": "ExpressionScopeTests",
        "criterion-type": "no golden and no dedicated test yet",
        "unsupported-jsonpath-version": "no golden and no dedicated test yet (Goessner now runs; other versions are refused by the model first)",
        // Run-time checks: no document triggers them; the contract-… conformance cases do.
        "contract-status": "conformance cases contract-status-…",
        "contract-content-type": "conformance cases contract-content-type-…",
        "contract-body": "conformance cases contract-body-…",
        "contract-header": "conformance cases contract-header-…",
        "contract-request-parameter": "ContractTests (request parameters)",
        "contract-request-body": "conformance cases contract-request-body-…",
    ]

    static let folders = ["invalid", "valid", "fixits", "realworld", "oai-examples"]

    @Test("each catalogued code is triggered by a golden document, or listed as still without one")
    func coverage() async throws {
        var seen: Set<String> = []
        for folder in Self.folders {
            let root = Repository.fixture(folder)
            let files = FileManager.default.enumerator(atPath: root)?.allObjects.compactMap { $0 as? String } ?? []
            for file in files.sorted() where Self.isDocument(file) {
                let path = root + "/" + file
                // A sandbox of the golden folder: hostile documents name files outside it.
                let loader = ArazzoLoader(limits: LoadLimits(files: .sandbox([root])))
                do {
                    let loaded = try await loader.load(path: path)
                    seen.formUnion(loaded.validate().compactMap(\.code))
                } catch {
                    seen.formUnion(error.diagnostics.compactMap(\.code))
                }
            }
        }
        let catalogued = Set(DiagnosticRule.catalogue.map(\.code))
        let uncovered = catalogued.subtracting(seen).subtracting(Self.withoutGolden.keys).sorted()
        #expect(uncovered.isEmpty, "catalogued rules no golden document triggers: \(uncovered)")
        let nowCovered = Set(Self.withoutGolden.keys).intersection(seen).sorted()
        #expect(nowCovered.isEmpty, "these now have a golden document; drop them from withoutGolden: \(nowCovered)")
    }

    /// Arazzo documents, not the OpenAPI descriptions, sources or expected outputs next to them.
    static func isDocument(_ file: String) -> Bool {
        let name = (file as NSString).lastPathComponent
        guard ["yaml", "yml", "json", "bin"].contains((name as NSString).pathExtension) else { return false }
        if name.hasPrefix("after.") || name.hasSuffix(".openapi.yaml") || name.hasPrefix("openapi") || name == "petstore.yaml" || name == "store.yaml" { return false }
        return !file.contains("sources/") && !file.contains("specs/") && !file.contains("apis/")
    }
}
