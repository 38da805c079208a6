import Arazzo
import ArazzoHTTP
import ArazzoTestServer
import Foundation
import ArazzoTestSupport
import Testing
import OrderedCollections

@Suite("Stytch reference workflow over HTTP (engine + AsyncHTTPExecutor + Stytch-shaped server)")
struct StytchWorkflowOverHTTPTests {
    static let secret = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
    static let clock = Date(timeIntervalSince1970: 1_750_000_000)
    static let organization = "organization-test-d5a3b680-e8a3-40c0-b815-ab79986666d0"
    static let member = "member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0"

    static func server() -> StytchServer {
        StytchServer(
            configuration: .init(
                projectID: "project-test-e2e", secret: "secret-test-e2e-canary",
                secretGenerator: { _, _ in StytchWorkflowOverHTTPTests.secret },
                now: { StytchWorkflowOverHTTPTests.clock }))
    }

    static func run(
        on server: StytchServer, password: String, code: String
    ) async throws -> RunResult {
        let path = Repository.root + "/Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml"
        // The layout names ../openapi/…, which a local document may read.
        let document = try await ArazzoLoader().load(path: path)
        return try await withTestExecutor { executor in
            var options = RunOptions(executor: executor)
            options.serverOverrides = ["stytchB2bApi": server.baseURL]
            options.credentials.bind(.basic(username: "project-test-e2e", password: password), toSource: "stytchB2bApi")
            let inputs: JSONValue = [
                "organization_id": .string(organization), "member_id": .string(member), "code": .string(code),
            ]
            return try await WorkflowEngine(document: document, options: options)
                .run(workflowId: "totp-enrollment", inputs: inputs)
        }
    }

    @Test("Enrolls with the RFC 6238 code computed from the configured secret")
    func enrolls() async throws {
        let code = try #require(TOTP.code(secretBase32: Self.secret, at: Self.clock))
        let server = Self.server()
        let result = try await withServer(server) { server in
            try await Self.run(on: server, password: "secret-test-e2e-canary", code: code)
        }
        #expect(result.succeeded, "\(result.outcome)")
        #expect(result.outputs["totpRegistrationId"] == "member-totp-test-00000000-0000-4000-8000-000000000001")
        #expect(result.outputs["memberId"] == .string(Self.member))
        #expect(result.outputs["sessionToken"] == "session-token-test-00000000-0000-4000-8000-000000000002")
        #expect(result.steps.map(\.stepId) == ["createTotp", "authenticateTotp"])
        #expect(result.steps.allSatisfy { $0.response?.status == 200 })
        #expect(server.receivedRequests.map(\.path) == ["/v1/b2b/totp", "/v1/b2b/totp/authenticate"])
        // The optional session_duration_minutes input was not supplied, so it was not sent.
        #expect(server.receivedRequests.last?.bodyText?.contains("session_duration_minutes") == false)
    }

    @Test("Wrong Basic credentials fail the first step with the server's 401")
    func wrongCredentials() async throws {
        let code = try #require(TOTP.code(secretBase32: Self.secret, at: Self.clock))
        let result = try await withServer(Self.server()) { server in
            try await Self.run(on: server, password: "wrong-secret", code: code)
        }
        #expect(!result.succeeded)
        #expect(result.steps.map(\.stepId) == ["createTotp"])
        #expect(result.steps.first?.response?.status == 401)
    }

    @Test("A wrong TOTP code fails the second step")
    func wrongCode() async throws {
        let code = try #require(TOTP.code(secretBase32: Self.secret, at: Self.clock))
        let wrong = code == "000000" ? "999999" : "000000"
        let result = try await withServer(Self.server()) { server in
            try await Self.run(on: server, password: "secret-test-e2e-canary", code: wrong)
        }
        #expect(!result.succeeded)
        #expect(result.steps.map(\.stepId) == ["createTotp", "authenticateTotp"])
        #expect(result.steps.last?.response?.status == 401)
    }
}
