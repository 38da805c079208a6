import Foundation
import Testing
import Arazzo
import ArazzoOpenAPI
import OrderedCollections

@Suite("Stytch reference workflow")
struct StytchWorkflowTests {
    static let inputs: JSONValue = [
        "organization_id": "organization-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
        "member_id": "member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
        "code": "123456",
    ]

    static func scripted() -> InMemoryExecutor {
        InMemoryExecutor(routes: [
            .init("POST", "/v1/b2b/totp", .json([
                "request_id": "req-1", "member_id": "member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
                "totp_registration_id": "member-totp-test-1", "secret": "JBSWY3DPEHPK3PXP",
                "qr_code": "data:image/png;base64,AAAA", "recovery_codes": ["ckss-2skx-ebow"], "status_code": 200,
            ])),
            .init("POST", "/v1/b2b/totp/authenticate", .json([
                "request_id": "req-2", "member_id": "member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
                "session_token": "session-token-1", "session_jwt": "jwt-1", "status_code": 200,
            ])),
        ])
    }

    @Test("runs end to end on the in-memory executor with Basic credentials bound to the source")
    func inMemory() async throws {
        let document = try await loadStytch()
        let executor = Self.scripted()
        let engine = engine(document, executor) { options in
            options.credentials.bind(.basic(username: "project-test-11111111", password: "secret-test-canary-2222"), toSource: "stytchB2bApi")
        }
        let result = try await engine.run(workflowId: "totp-enrollment", inputs: Self.inputs)
        #expect(result.succeeded, "\(result.outcome)")
        #expect(result.outputs["totpRegistrationId"] == "member-totp-test-1")
        #expect(result.outputs["sessionToken"] == "session-token-1")
        #expect(result.outputs["memberId"] == "member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0")
        #expect(result.steps.map(\.stepId) == ["createTotp", "authenticateTotp"])

        let requests = await executor.requests
        #expect(requests.count == 2)
        #expect(requests.first?.url == "https://test.stytch.com/v1/b2b/totp")
        #expect(requests.first?.headers["Authorization"] == "Basic cHJvamVjdC10ZXN0LTExMTExMTExOnNlY3JldC10ZXN0LWNhbmFyeS0yMjIy")
        #expect(requests.first?.headers["Content-Type"] == "application/json")
        #expect(jsonBody(requests.last) == [
            "organization_id": "organization-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
            "member_id": "member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0",
            "code": "123456",
        ])
        // The optional input was not supplied: the member is omitted (not null) and the trace says so.
        #expect(result.steps.last?.notes.contains { $0.contains("session_duration_minutes") && $0.contains("omitted") } == true)
        // The Basic header is redacted in the trace.
        #expect(result.steps.first?.request?.headers["Authorization"] == "[REDACTED]")
    }

    @Test("sends session_duration_minutes when it is supplied, keeping its integer type")
    func optionalInputSupplied() async throws {
        let document = try await loadStytch()
        let executor = Self.scripted()
        var inputs = Self.inputs.objectValue ?? [:]
        inputs["session_duration_minutes"] = 60
        let result = try await engine(document, executor).run(workflowId: "totp-enrollment", inputs: .object(inputs))
        #expect(result.succeeded)
        let requests = await executor.requests
        #expect(jsonBody(requests.last)?["session_duration_minutes"] == .int(60))
    }

    @Test("runs end to end on the OpenAPI mock executor")
    func mock() async throws {
        let document = try await loadStytch()
        let executor = OpenAPIMockExecutor(document: document)
        let result = try await engine(document, executor).run(workflowId: "totp-enrollment", inputs: Self.inputs)
        #expect(result.succeeded, "\(result.outcome)")
        #expect(result.outputs["totpRegistrationId"] == "totp_registration_id")
        #expect(result.outputs["sessionToken"] == "session_token")
        #expect(result.steps.first?.outputs["recoveryCodes"] == ["recovery_codes"])
    }

    @Test("missing required inputs are reported with their JSON paths")
    func missingInputs() async throws {
        let document = try await loadStytch()
        await #expect(throws: RunFailure.self) {
            _ = try await engine(document, Self.scripted()).run(workflowId: "totp-enrollment", inputs: ["organization_id": "o"])
        }
        do {
            _ = try await engine(document, Self.scripted()).run(workflowId: "totp-enrollment", inputs: ["organization_id": "o"])
        } catch {
            #expect(error.diagnostics.errors.count >= 1)
            #expect(error.description.contains("member_id"))
        }
    }

    @Test("a 401 fails the first step with the criterion's explanation", .tags(.criteria))
    func unauthorized() async throws {
        let document = try await loadStytch()
        let executor = InMemoryExecutor(routes: [
            .init("POST", "/v1/b2b/totp", .json(["status_code": 401, "error_type": "unauthorized_credentials"], status: 401)),
        ])
        let result = try await engine(document, executor).run(workflowId: "totp-enrollment", inputs: Self.inputs)
        let reason = try #require(failure(result))
        #expect(reason.stepId == "createTotp")
        #expect(reason.kind == .criteria)
        #expect(reason.message.contains("401"))
        #expect(result.steps.count == 1)
        #expect(result.steps[0].action == .fail)
        #expect(result.outputs.isEmpty)
    }

    @Test("the full third-party description resolves both operations", .enabled(if: FileManager.default.fileExists(atPath: "/work/shared/fixtures/stytch/openapi/stytch-b2b-openapi.yml")))
    func fullDescription() async throws {
        let document = try await ArazzoLoader()
            .load(path: "/work/shared/fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml")
        let description = try #require(document.openAPIDocument(source: "stytchB2bApi"))
        #expect(description.operation(id: "api_b2b_totp_v1_Create")?.path == "/v1/b2b/totp")
        #expect(description.operation(id: "api_b2b_totp_v1_Authenticate")?.method == "POST")
        let result = try await engine(document, OpenAPIMockExecutor(document: document)).run(workflowId: "totp-enrollment", inputs: Self.inputs)
        #expect(result.succeeded, "\(result.outcome)")
    }
}

extension Tag {
    @Tag static var criteria: Self
}
