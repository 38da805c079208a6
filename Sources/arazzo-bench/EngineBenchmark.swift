#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import Foundation

/// `engine`: the engine's own cost per step, with the network taken out. The reference workflow
/// runs against an executor that answers from precomputed Stytch-shaped responses (no I/O, no
/// recording); the baseline calls that executor directly for the same two requests. Their
/// difference, per step, is what the engine adds: building the request (templates, parameters,
/// JSON body, security), parsing the response body, criteria, outputs, and the run trace.
///
///     arazzo-bench engine [ARAZZO] [--runs N] [--iterations N]
enum EngineBenchmark {
    static func run(arguments: [String]) async throws {
        let path = arguments.first.flatMap { $0.hasPrefix("--") ? nil : $0 }
            ?? "Fixtures/stytch/arazzo/stytch-b2b-totp-enrollment-workflow.yml"
        let runs = max(1, option("--runs", in: arguments) ?? 5_000)
        let iterations = max(1, option("--iterations", in: arguments) ?? 7)
        let executor = CannedStytchExecutor()
        let document = try await WorkflowBenchmark.load(path)
        let engine = WorkflowEngine(
            document: document,
            options: WorkflowBenchmark.options(executor: executor, server: "http://127.0.0.1:9"))
        let inputs = StytchFixture.inputs()
        let first = try await engine.run(workflowId: StytchFixture.workflowId, inputs: inputs)
        try WorkflowBenchmark.check(first)
        let steps = first.steps.count

        let requests = [
            HTTPRequest(method: "POST", url: "http://127.0.0.1:9/v1/b2b/totp"),
            HTTPRequest(method: "POST", url: "http://127.0.0.1:9/v1/b2b/totp/authenticate"),
        ]
        var baseline: [Double] = []
        var measured: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            var started = clock.now
            for _ in 0..<runs {
                for request in requests { _ = try await executor.execute(request) }
            }
            baseline.append(WorkflowBenchmark.seconds(clock.now - started) / Double(runs))
            started = clock.now
            for _ in 0..<runs {
                let result = try await engine.run(workflowId: StytchFixture.workflowId, inputs: inputs)
                guard result.succeeded else { try WorkflowBenchmark.check(result); return }
            }
            measured.append(WorkflowBenchmark.seconds(clock.now - started) / Double(runs))
        }
        let perRun = Measure.median(measured)
        let executorOnly = Measure.median(baseline)
        let perStep = (perRun - executorOnly) / Double(max(1, steps))
        print("engine: \(StytchFixture.workflowId) (\(steps) steps) against an in-memory executor, \(runs) runs × \(iterations) iterations, medians")
        Measure.table(
            ["stage", "µs per run", "µs per step"],
            [
                ["in-memory executor alone (baseline)", Measure.format(executorOnly * 1e6, 2), Measure.format(executorOnly * 1e6 / Double(max(1, steps)), 2)],
                ["engine run", Measure.format(perRun * 1e6, 2), Measure.format(perRun * 1e6 / Double(max(1, steps)), 2)],
                ["engine overhead (run − baseline)", Measure.format((perRun - executorOnly) * 1e6, 2), Measure.format(perStep * 1e6, 2)],
            ])
        print("result per_step_us=\(Measure.format(perStep * 1e6, 2)) per_run_us=\(Measure.format(perRun * 1e6, 2))")
    }
}

/// Answers the two Stytch operations with fixed, realistic response bodies; no I/O, no log.
struct CannedStytchExecutor: StepExecutor {
    let create: HTTPResponse
    let authenticate: HTTPResponse
    let notFound = HTTPResponse(status: 404)

    init() {
        let headers: HeaderFields = ["Content-Type": "application/json"]
        let member: JSONValue = [
            "member_id": .string(StytchFixture.memberID), "organization_id": .string(StytchFixture.organizationID),
            "email_address": "member@example.com", "status": "active", "name": "Test Member",
            "mfa_enrolled": true, "roles": [["role_id": "stytch_member"]],
        ]
        let organization: JSONValue = [
            "organization_id": .string(StytchFixture.organizationID), "organization_name": "Test Organization",
            "organization_slug": "test-organization", "mfa_policy": "OPTIONAL",
        ]
        let createBody: JSONValue = [
            "request_id": "request-id-test-00000000-0000-4000-8000-000000000001", "status_code": 200,
            "member_id": .string(StytchFixture.memberID),
            "totp_registration_id": "member-totp-test-00000000-0000-4000-8000-000000000001",
            "secret": .string(StytchFixture.totpSecret),
            "qr_code": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
            "recovery_codes": .array((0..<10).map { .string("abcd-efgh-\($0)xyz") }),
            "member": member, "organization": organization,
        ]
        let authenticateBody: JSONValue = [
            "request_id": "request-id-test-00000000-0000-4000-8000-000000000002", "status_code": 200,
            "member_id": .string(StytchFixture.memberID), "member": member, "organization": organization,
            "session_token": .string(StytchFixture.sessionTokenPrefix + "00000000-0000-4000-8000-000000000002"),
            "session_jwt": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtZW1iZXIifQ.c2lnbmF0dXJl",
            "member_session": [
                "member_session_id": "member-session-test-1", "member_id": .string(StytchFixture.memberID),
                "started_at": "2026-01-01T00:00:00Z", "expires_at": "2026-01-01T01:00:00Z",
                "authentication_factors": [["type": "totp", "delivery_method": "authenticator_app"]],
            ],
        ]
        create = HTTPResponse(status: 200, headers: headers, body: createBody.jsonBytes())
        authenticate = HTTPResponse(status: 200, headers: headers, body: authenticateBody.jsonBytes())
    }

    func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        if request.url.hasSuffix("/v1/b2b/totp") { return create }
        if request.url.hasSuffix("/v1/b2b/totp/authenticate") { return authenticate }
        return notFound
    }
}
#endif
