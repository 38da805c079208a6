import Arazzo
import Testing

/// Issue 11: step targets written against the letter of the spec whose meaning is evident are
/// warnings with a fix-it (and the run uses that meaning); the ambiguous ones are errors.
@Suite("Lenient operation references (issue 11)")
struct LenientOperationTests {
    static let shop = """
        openapi: 3.0.3
        info: {title: shop, version: '1'}
        paths:
          /products/{id}:
            get: {operationId: getProduct, responses: {'200': {description: ok}}}
          /status:
            get: {operationId: getStatus, responses: {'200': {description: ok}}}
          /items:
            get: {operationId: listItems, responses: {'200': {description: ok}}}
            post: {operationId: addItem, responses: {'200': {description: ok}}}
        """
    static let pets = """
        openapi: 3.0.3
        info: {title: pets, version: '1'}
        paths:
          /pets:
            get: {operationId: findPets, responses: {'200': {description: ok}}}
          /status:
            get: {operationId: getStatus, responses: {'200': {description: ok}}}
        """

    static func document(_ target: String) -> String {
        """
        arazzo: 1.0.1
        info: {title: t, version: v}
        sourceDescriptions:
          - {name: shopAPI, url: shop.yaml, type: openapi}
          - {name: petAPI, url: pets.yaml, type: openapi}
        workflows:
          - workflowId: w
            steps:
              - stepId: s
                \(target)
        """
    }

    /// The one diagnostic of `target`, ignoring `prefer-operation-id` and `missing-parameter` (the
    /// steps here give no parameters; only how the target resolves is under test).
    static func diagnostic(_ target: String) async throws -> Diagnostic? {
        let loaded = try await load(document(target), sources: ["shop.yaml": shop, "pets.yaml": pets])
        let all = loaded.validate().all.filter { $0.code != "prefer-operation-id" && $0.code != "missing-parameter" }
        #expect(all.count == 1, "\(all)")
        return all.first
    }

    static func fix(_ d: Diagnostic?) -> String? { d?.fixIts.first?.edits.first?.replacement }

    @Test("a bare operationId found in exactly one of several sources: warning, fix-it qualifies it")
    func unqualified() async throws {
        let d = try await Self.diagnostic("operationId: findPets")
        #expect(d?.code == "operation-id-unqualified")
        #expect(d?.severity == .warning)
        #expect(Self.fix(d) == "$sourceDescriptions.petAPI.findPets")
    }

    @Test("a bare operationId found in several sources is ambiguous-operation-id, listing them")
    func ambiguous() async throws {
        let d = try await Self.diagnostic("operationId: getStatus")
        #expect(d?.code == "ambiguous-operation-id")
        #expect(d?.severity == .error)
        #expect(d?.message.contains("`shopAPI`, `petAPI`") == true)
    }

    @Test("`source.operationId` is read as $sourceDescriptions.source.operationId (not prefixed again)")
    func sourcePrefix() async throws {
        let d = try await Self.diagnostic("operationId: shopAPI.getProduct")
        #expect(d?.code == "operation-id-source-prefix")
        #expect(d?.severity == .warning)
        #expect(Self.fix(d) == "$sourceDescriptions.shopAPI.getProduct")
    }

    @Test("operationPath `name#/pointer` reads as {$sourceDescriptions.name.url}#/pointer")
    func pathForm() async throws {
        let d = try await Self.diagnostic("operationPath: 'petAPI#/paths/~1pets/get'")
        #expect(d?.code == "operation-path-form")
        #expect(Self.fix(d) == "'{$sourceDescriptions.petAPI.url}#/paths/~1pets/get'")
    }

    @Test("an operationPath to a Path Item with one operation means it; with several it is an error")
    func pathItem() async throws {
        let one = try await Self.diagnostic("operationPath: '{$sourceDescriptions.petAPI.url}#/paths/~1pets'")
        #expect(one?.code == "operation-path-form")
        #expect(Self.fix(one) == "'{$sourceDescriptions.petAPI.url}#/paths/~1pets/get'")
        let both = try await Self.diagnostic("operationPath: 'shopAPI#/paths/~1status'")
        #expect(Self.fix(both) == "'{$sourceDescriptions.shopAPI.url}#/paths/~1status/get'")
        let several = try await Self.diagnostic("operationPath: '{$sourceDescriptions.shopAPI.url}#/paths/~1items'")
        #expect(several?.severity == .error)
        #expect(several?.code == "operation-path")
        #expect(several?.message.contains("`get`, `post`") == true)
    }
}
