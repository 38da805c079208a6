#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoJSON
import ArazzoTestServer
import Foundation

/// The reference workflow's fixed benchmark setting, shared by every subcommand and (through
/// `bench/compare.sh` and `bench/peer.py`) by the Python side: the same credentials, the same TOTP
/// secret and the same inputs, so both runners send byte-for-byte comparable requests.
enum StytchFixture {
    /// The Basic user name the loopback server expects (`project_id`).
    static let projectID = "project-test-11111111-2222-4333-8444-555555555555"
    /// The Basic password the loopback server expects (the project `secret`).
    static let secret = "secret-test-bench-0123456789abcdef0123456789ab"
    /// The TOTP secret the server hands out to every member, so a code can be computed before the
    /// run (the workflow takes `code` as an input, before `createTotp` returns the secret).
    static let totpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    /// The workflow the benchmarks run.
    static let workflowId = "totp-enrollment"
    /// The source description name in the reference workflow.
    static let sourceName = "stytchB2bApi"
    static let organizationID = "organization-test-d5a3b680-e8a3-40c0-b815-ab79986666d0"
    static let memberID = "member-test-d5a3b680-e8a3-40c0-b815-ab79986666d0"
    /// What the `authenticateTotp` response's `session_token` starts with: a run that produced it
    /// really succeeded end to end.
    static let sessionTokenPrefix = "session-token-test-"

    /// The workflow inputs with the code valid at `date`.
    static func inputs(at date: Date = Date()) -> JSONValue {
        [
            "organization_id": .string(organizationID),
            "member_id": .string(memberID),
            "code": .string(code(at: date)),
            "session_duration_minutes": 60,
        ]
    }

    /// The RFC 6238 code for ``totpSecret`` at `date`.
    static func code(at date: Date = Date()) -> String {
        TOTP.code(secretBase32: totpSecret, at: date) ?? "000000"
    }

    /// The server configuration: fixed credentials and TOTP secret, real clock.
    static var serverConfiguration: StytchServer.Configuration {
        StytchServer.Configuration(
            projectID: projectID, secret: secret, secretGenerator: { _, _ in StytchFixture.totpSecret },
            recordsRequests: false)
    }
}

/// Inputs for many runs: the code is recomputed only when the 30-second TOTP step changes, so a
/// batch stays valid however long it takes without paying for an HMAC per run.
struct InputsCache {
    private var step: Int64 = -1
    private var cached: JSONValue = .null

    mutating func current() -> JSONValue {
        let now = Date()
        let currentStep = Int64(now.timeIntervalSince1970) / 30
        if currentStep != step {
            step = currentStep
            cached = StytchFixture.inputs(at: now)
        }
        return cached
    }
}
#endif
