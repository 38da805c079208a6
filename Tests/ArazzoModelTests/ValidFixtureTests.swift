import ArazzoTestSupport
import ArazzoDiagnostics
import ArazzoModel
import Testing
import ArazzoJSON
import OrderedCollections

@Suite("Valid documents")
struct ValidFixtureTests {
    static let valid = Repository.files(in: "Fixtures/valid", extensions: ["yaml", "yml", "json"])
    static let oaiExamples = Repository.files(in: "Fixtures/oai-examples", extensions: ["yaml"]).filter {
        !$0.contains("openapi")
    }

    @Test("the valid fixtures read with no diagnostics at all", arguments: valid)
    func validFixture(_ name: String) throws {
        let path = "Fixtures/valid/\(name)"
        let (result, rendered) = try renderedDiagnostics(of: path)
        #expect(rendered == "", "unexpected diagnostics:\n\(rendered)")
        #expect(result.document != nil)
    }

    @Test("the Stytch reference workflow validates with 0 errors and 0 warnings")
    func stytch() throws {
        let path = "Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml"
        let (result, rendered) = try renderedDiagnostics(of: path)
        #expect(rendered == "", "unexpected diagnostics:\n\(rendered)")
        let document = try #require(result.document)
        #expect(document.arazzo.featureSet == .v1_0)
        #expect(document.workflows.map(\.workflowId) == ["totp-enrollment"])
        let steps = document.workflows[0].steps
        #expect(steps.map(\.stepId) == ["createTotp", "authenticateTotp"])
        #expect(steps[0].target == .operationId(ExpressionString(
            "api_b2b_totp_v1_Create", at: ArazzoDiagnostics.SourceLocation(file: path, line: 49, column: 18))))
        #expect(steps[0].requestBody?.contentType == "application/json")
        #expect(steps[0].requestBody?.payload?.value["member_id"] == .string("$inputs.member_id"))
        #expect(steps[1].outputs.keys.elementsEqual(["memberId", "sessionToken"]))
    }

    @Test("there are six OAI example documents")
    func sixExamples() {
        #expect(Self.oaiExamples.count == 6)
    }

    /// The OAI examples parse; the known defects of the OAI examples that need no OpenAPI loading are
    /// reported and pinned (LoginAndRetrievePets' operationPath ends at a path item). The others
    /// are runtime-expression or OpenAPI defects, found by the expression layer and the engine.
    @Test("OAI examples parse; their statically visible defects are pinned", arguments: oaiExamples)
    func oaiExample(_ name: String) throws {
        let path = "Fixtures/oai-examples/\(name)"
        let (result, rendered) = try renderedDiagnostics(of: path)
        #expect(result.root != nil, "the example must be valid YAML")
        #expect(!result.diagnostics.contains { $0.code?.hasPrefix("yaml-") == true })
        try checkGolden(fixture: path, actual: rendered)
    }
}
