import ArazzoExecutor
import ArazzoHTTP
import ArazzoJSON
import ArazzoTestServer
import Foundation
import Testing
import OrderedCollections

@Suite("Stytch-shaped server: Basic credentials and RFC 6238 TOTP")
struct StytchServerTests {
    static let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    static let clock = Date(timeIntervalSince1970: 1_700_000_000)
    static let organization = "organization-test-d5a3b680-e8a3-40c0-b815-ab79986666d0"
    static let member = "member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0"

    static func makeServer() -> StytchServer {
        StytchServer(
            configuration: .init(
                projectID: "project-test-1", secret: "secret-test-1",
                secretGenerator: { _, _ in StytchServerTests.secret }, now: { StytchServerTests.clock }))
    }

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    static func post(
        _ executor: AsyncHTTPExecutor, _ url: String, _ body: JSONValue, auth: String = basic("project-test-1", "secret-test-1")
    ) async throws -> (Int, JSONValue) {
        let response = try await executor.execute(
            HTTPRequest(
                method: "POST", url: url, headers: ["Content-Type": "application/json", "Authorization": auth],
                body: body.jsonBytes(), timeout: .seconds(5)))
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(response.body))
        return (response.status, json)
    }

    @Test("Wrong Basic credentials get 401 unauthorized_credentials; right ones get 200")
    func basicAuth() async throws {
        try await withServer(Self.makeServer()) { server in
            try await withTestExecutor { executor in
                let url = server.baseURL + "/v1/b2b/totp"
                let body: JSONValue = ["organization_id": .string(Self.organization), "member_id": .string(Self.member)]
                let (denied, error) = try await Self.post(executor, url, body, auth: Self.basic("project-test-1", "wrong"))
                #expect(denied == 401)
                #expect(error["error_type"] == "unauthorized_credentials")
                #expect(error["status_code"] == 401)
                let (missing, _) = try await Self.post(executor, url, body, auth: "")
                #expect(missing == 401)
                let (ok, created) = try await Self.post(executor, url, body)
                #expect(ok == 200)
                #expect(created["secret"] == .string(Self.secret))
            }
        }
    }

    @Test("Create then authenticate with the RFC 6238 code computed from the configured secret")
    func enrollmentFlow() async throws {
        let server = Self.makeServer()
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                let ids: JSONObject = ["organization_id": .string(Self.organization), "member_id": .string(Self.member)]
                var createBody = ids
                createBody["expiration_minutes"] = 60
                let (status, created) = try await Self.post(executor, server.baseURL + "/v1/b2b/totp", .object(createBody))
                #expect(status == 200)
                for key in [
                    "request_id", "member_id", "totp_registration_id", "secret", "qr_code", "recovery_codes", "member",
                    "organization", "status_code",
                ] {
                    #expect(created[key] != nil, "create response lacks \(key)")
                }
                #expect(created["qr_code"]?.stringValue?.hasPrefix("data:image/png;base64,") == true)
                #expect(created["recovery_codes"]?.arrayValue?.count == 10)
                #expect(server.registeredSecret(organizationID: Self.organization, memberID: Self.member) == Self.secret)

                let code = try #require(TOTP.code(secretBase32: Self.secret, at: Self.clock))
                var authBody = ids
                authBody["code"] = .string(code)
                authBody["session_duration_minutes"] = 30
                let (authStatus, session) = try await Self.post(
                    executor, server.baseURL + "/v1/b2b/totp/authenticate", .object(authBody))
                #expect(authStatus == 200)
                #expect(session["member_id"] == .string(Self.member))
                #expect(session["session_token"]?.stringValue?.isEmpty == false)
                #expect(session["session_jwt"]?.stringValue?.split(separator: ".").count == 3)
                #expect(session["member_session"]?["expires_at"] == "2023-11-14T22:43:20Z")

                let wrong = code == "000000" ? "111111" : "000000"
                authBody["code"] = .string(wrong)
                let (rejected, error) = try await Self.post(
                    executor, server.baseURL + "/v1/b2b/totp/authenticate", .object(authBody))
                #expect(rejected == 401)
                #expect(error["error_type"] == "invalid_totp_code")
            }
        }
        #expect(server.receivedRequests.count == 3)
    }

    @Test("Missing required fields get 400 naming the field")
    func validation() async throws {
        try await withServer(Self.makeServer()) { server in
            try await withTestExecutor { executor in
                let (status, error) = try await Self.post(
                    executor, server.baseURL + "/v1/b2b/totp", ["organization_id": .string(Self.organization)])
                #expect(status == 400)
                #expect(error["error_message"] == "member_id is required and must be a string.")
                let (badMinutes, _) = try await Self.post(
                    executor, server.baseURL + "/v1/b2b/totp",
                    ["organization_id": "o", "member_id": "m", "expiration_minutes": 2])
                #expect(badMinutes == 400)
                let (noCode, codeError) = try await Self.post(
                    executor, server.baseURL + "/v1/b2b/totp/authenticate", ["organization_id": "o", "member_id": "m"])
                #expect(noCode == 400)
                #expect(codeError["error_message"] == "code is required and must be a string.")
            }
        }
    }

    @Test("The default secret generator hands out fresh 160-bit base32 secrets")
    func randomSecrets() {
        let first = StytchServer.randomSecret()
        #expect(first.count == 32)
        #expect(Base32.decode(first)?.count == 20)
        #expect(first != StytchServer.randomSecret())
    }

    @Test(
        "Session timestamps are RFC 3339 UTC, equal to ISO8601DateFormatter's, across leap days and centuries",
        arguments: [0.0, 951_868_799.5, 951_868_800, 1_709_251_199, 1_709_251_200, 1_700_000_000, 4_107_542_400, 253_402_300_799])
    func timestamps(_ seconds: Double) async throws {
        let now = Date(timeIntervalSince1970: seconds)
        let server = StytchServer(
            configuration: .init(
                projectID: "project-test-1", secret: "secret-test-1",
                secretGenerator: { _, _ in StytchServerTests.secret }, now: { now }, recordsRequests: false))
        let ids: JSONObject = ["organization_id": .string(Self.organization), "member_id": .string(Self.member)]
        try await withServer(server) { server in
            try await withTestExecutor { executor in
                _ = try await Self.post(executor, server.baseURL + "/v1/b2b/totp", .object(ids))
                var body = ids
                body["code"] = .string(try #require(TOTP.code(secretBase32: Self.secret, at: now)))
                body["session_duration_minutes"] = 0
                let (status, session) = try await Self.post(executor, server.baseURL + "/v1/b2b/totp/authenticate", .object(body))
                #expect(status == 200)
                let oracle = ISO8601DateFormatter()
                oracle.formatOptions = [.withInternetDateTime]
                oracle.timeZone = TimeZone(identifier: "UTC")
                #expect(session["member_session"]?["started_at"] == .string(oracle.string(from: now)))
                #expect(session["member_session"]?["expires_at"] == .string(oracle.string(from: now)))
            }
        }
        #expect(server.receivedRequests.isEmpty, "recordsRequests: false keeps nothing")
    }
}
