#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoExecutor
import ArazzoJSON
public import Foundation
public import NIOCore
import NIOConcurrencyHelpers
import NIOPosix
import OrderedCollections

/// A loopback server shaped like Stytch's B2B TOTP API (`POST /v1/b2b/totp` and
/// `POST /v1/b2b/totp/authenticate`), for running the reference workflow end to end.
///
/// It checks HTTP Basic credentials (`project_id:secret`), validates the request bodies, hands out a
/// TOTP secret per organization and member, and verifies codes with RFC 6238 against an injectable
/// clock. A test that fixes the secret (``Configuration/secretGenerator``) can compute the code the
/// workflow needs with ``TOTP/code(secretBase32:at:digits:)`` before the run.
public final class StytchServer: LoopbackServer {
    /// How the server authenticates callers, generates secrets and tells time.
    public struct Configuration: Sendable {
        /// The expected Basic user name.
        public var projectID: String
        /// The expected Basic password.
        public var secret: String
        /// Makes the base32 TOTP secret for `(organizationID, memberID)`; random by default.
        public var secretGenerator: @Sendable (_ organizationID: String, _ memberID: String) -> String
        /// The server's clock for TOTP verification and session timestamps.
        public var now: @Sendable () -> Date
        /// How many 30-second steps before or after "now" a code may be from.
        public var allowedStepDrift: Int
        /// Whether ``StytchServer/receivedRequests`` keeps every request. Benchmarks that send
        /// millions of requests turn it off so the server's memory stays flat.
        public var recordsRequests: Bool

        /// Creates a configuration.
        public init(
            projectID: String = "project-test-00000000-0000-4000-8000-000000000000",
            secret: String = "secret-test-0000000000000000000000000000",
            secretGenerator: @escaping @Sendable (_ organizationID: String, _ memberID: String) -> String = { _, _ in
                StytchServer.randomSecret()
            },
            now: @escaping @Sendable () -> Date = { Date() },
            allowedStepDrift: Int = 1,
            recordsRequests: Bool = true
        ) {
            self.projectID = projectID
            self.secret = secret
            self.secretGenerator = secretGenerator
            self.now = now
            self.allowedStepDrift = allowedStepDrift
            self.recordsRequests = recordsRequests
        }
    }

    private struct State {
        var secrets: [String: String] = [:]
        var received: [ReceivedRequest] = []
        var counter = 0
    }

    /// The configuration in force.
    public let configuration: Configuration
    private let state = NIOLockedValueBox(State())
    private let core: HTTPServerCore

    /// Creates a server; `eventLoopGroup` defaults to NIO's shared singleton group.
    public init(configuration: Configuration = Configuration(), eventLoopGroup: (any EventLoopGroup)? = nil) {
        self.configuration = configuration
        let state = self.state
        // The decoded Basic credentials every request must carry, built once rather than per request.
        let credentials = Array("\(configuration.projectID):\(configuration.secret)".utf8)
        core = HTTPServerCore(group: eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton) { request in
            Self.handle(request, configuration: configuration, credentials: credentials, state: state)
        }
    }

    /// Binds 127.0.0.1 on an ephemeral port and returns it.
    public func start() async throws -> Int { try await core.start() }

    /// Closes the server and every open connection.
    public func stop() async { await core.stop() }

    /// The bound port while running.
    public var port: Int? { core.port }

    /// Every request received so far.
    public var receivedRequests: [ReceivedRequest] { state.withLockedValue { $0.received } }

    /// The secret handed out for `(organizationID, memberID)`, if a registration was created.
    public func registeredSecret(organizationID: String, memberID: String) -> String? {
        state.withLockedValue { $0.secrets[organizationID + "\u{0}" + memberID] }
    }

    /// A fresh random 160-bit secret, base32 (the size RFC 4226 recommends for HMAC-SHA1).
    public static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base32.encode((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    // MARK: Handling

    private static func handle(
        _ request: ReceivedRequest, configuration: Configuration, credentials: [UInt8], state: NIOLockedValueBox<State>
    ) -> ServerResponse {
        let sequence = state.withLockedValue { state -> Int in
            if configuration.recordsRequests { state.received.append(request) }
            state.counter += 1
            return state.counter
        }
        let requestID = "request-id-test-" + uuidLike(sequence)
        let route = request.path
        guard route == "/v1/b2b/totp" || route == "/v1/b2b/totp/authenticate" else {
            return error(404, "not_found", "No route for \(route).", requestID)
        }
        guard request.method == "POST" else {
            return error(405, "method_not_allowed", "Use POST for \(route).", requestID)
        }
        guard authorized(request.header("Authorization"), credentials) else {
            return error(
                401, "unauthorized_credentials",
                "Unauthorized credentials. Check the project_id and secret used for Basic authentication.",
                requestID)
        }
        guard !request.body.isEmpty,
            let body = try? JSONValue(parsing: request.body),
            case .object(let fields) = body
        else {
            return error(400, "invalid_json", "The request body must be a JSON object.", requestID)
        }
        for name in ["organization_id", "member_id"] {
            guard case .string(let value)? = fields[name], !value.isEmpty else {
                return error(400, "missing_required_field", "\(name) is required and must be a string.", requestID)
            }
        }
        let organizationID = fields["organization_id"]?.stringValue ?? ""
        let memberID = fields["member_id"]?.stringValue ?? ""
        let key = organizationID + "\u{0}" + memberID
        if route == "/v1/b2b/totp" {
            if let minutes = fields["expiration_minutes"] {
                guard case .int(let value) = minutes, (5...1440).contains(value) else {
                    return error(
                        400, "invalid_expiration_minutes", "expiration_minutes must be an integer in 5...1440.",
                        requestID)
                }
            }
            let secret = configuration.secretGenerator(organizationID, memberID)
            state.withLockedValue { $0.secrets[key] = secret }
            let response: JSONValue = [
                "request_id": .string(requestID),
                "status_code": 200,
                "member_id": .string(memberID),
                "totp_registration_id": .string("member-totp-test-" + uuidLike(sequence)),
                "secret": .string(secret),
                "qr_code": .string(qrCodeDataURL),
                "recovery_codes": .array((0..<10).map { .string(recoveryCode(sequence * 10 + $0)) }),
                "member": member(organizationID: organizationID, memberID: memberID, enrolled: false),
                "organization": organization(organizationID),
            ]
            return json(200, response)
        }
        guard case .string(let code)? = fields["code"], !code.isEmpty else {
            return error(400, "missing_required_field", "code is required and must be a string.", requestID)
        }
        if let minutes = fields["session_duration_minutes"], minutes.numberValue == nil {
            return error(400, "invalid_session_duration", "session_duration_minutes must be an integer.", requestID)
        }
        guard let secret = state.withLockedValue({ $0.secrets[key] }) else {
            return error(404, "totp_not_found", "No TOTP registration exists for this member.", requestID)
        }
        let now = configuration.now()
        guard code.count == 6, code.utf8.allSatisfy({ (48...57).contains($0) }), let secretKey = Base32.decode(secret),
            TOTP.verify(code, key: secretKey, at: now, drift: configuration.allowedStepDrift)
        else {
            return error(401, "invalid_totp_code", "The TOTP code is incorrect or expired.", requestID)
        }
        // Clamped to a year so hostile values cannot overflow the timestamp arithmetic.
        let requested = fields["session_duration_minutes"]?.numberValue?.doubleValue ?? 60
        let minutes = requested.isFinite ? Int(min(max(requested, 0), 525_600)) : 60
        let started = iso8601(now)
        let expires = iso8601(now.addingTimeInterval(TimeInterval(minutes * 60)))
        let response: JSONValue = [
            "request_id": .string(requestID),
            "status_code": 200,
            "member_id": .string(memberID),
            "member": member(organizationID: organizationID, memberID: memberID, enrolled: true),
            "organization": organization(organizationID),
            "session_token": .string("session-token-test-" + uuidLike(sequence)),
            "session_jwt": .string(fakeJWT(memberID: memberID, sequence: sequence)),
            "member_session": [
                "member_session_id": .string("member-session-test-" + uuidLike(sequence)),
                "member_id": .string(memberID),
                "organization_id": .string(organizationID),
                "started_at": .string(started),
                "last_accessed_at": .string(started),
                "expires_at": .string(expires),
                "authentication_factors": [
                    [
                        "type": "totp", "delivery_method": "authenticator_app",
                        "last_authenticated_at": .string(started),
                    ]
                ],
                "roles": ["stytch_member"],
            ],
        ]
        return json(200, response)
    }

    /// Checks `Basic base64(project_id:secret)` against `credentials` (`project_id:secret`). Plain
    /// byte work, no Foundation string APIs: this runs on every request of the benchmarks, where
    /// `trimmingCharacters` alone was a tenth of the server's CPU.
    private static func authorized(_ header: String?, _ credentials: [UInt8]) -> Bool {
        guard let header else { return false }
        var bytes = Array(header.utf8)[...]
        guard bytes.count > 6, String(decoding: bytes.prefix(6), as: UTF8.self).lowercased() == "basic " else { return false }
        bytes = bytes.dropFirst(6)
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        guard let decoded = Data(base64Encoded: Data(bytes)) else { return false }
        return Array(decoded) == credentials
    }

    private static func member(organizationID: String, memberID: String, enrolled: Bool) -> JSONValue {
        [
            "member_id": .string(memberID),
            "organization_id": .string(organizationID),
            "email_address": "member@example.com",
            "status": "active",
            "name": "Test Member",
            "mfa_enrolled": .bool(enrolled),
            "mfa_phone_number": "",
            "default_mfa_method": enrolled ? "totp" : "",
            "roles": [["role_id": "stytch_member", "sources": [["type": "direct_assignment", "details": [:]]]]],
        ]
    }

    private static func organization(_ organizationID: String) -> JSONValue {
        [
            "organization_id": .string(organizationID),
            "organization_name": "Test Organization",
            "organization_slug": "test-organization",
            "mfa_policy": "OPTIONAL",
            "mfa_methods": "ALL_ALLOWED",
        ]
    }

    private static func json(_ status: Int, _ value: JSONValue) -> ServerResponse {
        ServerResponse(
            status: status, headers: [HTTPHeaderField(name: "Content-Type", value: "application/json")],
            body: value.jsonBytes())
    }

    private static func error(_ status: Int, _ type: String, _ message: String, _ requestID: String) -> ServerResponse {
        json(
            status,
            [
                "status_code": .int(status),
                "request_id": .string(requestID),
                "error_type": .string(type),
                "error_message": .string(message),
                "error_url": .string("https://stytch.com/docs/api/errors/\(status)#\(type)"),
            ])
    }

    /// Deterministic UUID-shaped identifiers, so traces are stable across runs.
    private static func uuidLike(_ sequence: Int) -> String {
        let hex = String(sequence, radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    private static func recoveryCode(_ seed: Int) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var value = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 &+ 0x2545_F491_4F6C_DD1D
        var characters: [Character] = []
        for index in 0..<12 {
            if index == 4 || index == 8 { characters.append("-") }
            characters.append(letters[Int(value % 36)])
            value /= 36
            if value == 0 { value = UInt64(truncatingIfNeeded: seed &+ index) &* 0x9E37_79B9 &+ 7 }
        }
        return String(characters)
    }

    private static func fakeJWT(memberID: String, sequence: Int) -> String {
        func base64URL(_ text: String) -> String {
            var encoded = Array(Data(text.utf8).base64EncodedString().utf8)
            while encoded.last == UInt8(ascii: "=") { encoded.removeLast() }
            for index in encoded.indices {
                if encoded[index] == UInt8(ascii: "+") { encoded[index] = UInt8(ascii: "-") }
                if encoded[index] == UInt8(ascii: "/") { encoded[index] = UInt8(ascii: "_") }
            }
            return String(decoding: encoded, as: UTF8.self)
        }
        return base64URL(#"{"alg":"RS256","typ":"JWT"}"#) + "." + base64URL(#"{"sub":"\#(memberID)","n":\#(sequence)}"#)
            + "." + base64URL("loopback-test-signature")
    }

    /// RFC 3339 UTC timestamp (`2026-11-27T08:00:00Z`), whole seconds. Written by hand because
    /// `ISO8601DateFormatter` builds an ICU formatter per instance: it was a third of the server's
    /// CPU per request, a floor both benchmarked runners paid.
    private static func iso8601(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (proleptic Gregorian, era arithmetic).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(year)
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-" + two(month) + "-" + two(day)
            + "T" + two(secondOfDay / 3_600) + ":" + two(secondOfDay % 3_600 / 60) + ":" + two(secondOfDay % 60) + "Z"
    }

    /// A 1×1 transparent PNG: a real image, small enough for every response.
    private static let qrCodeDataURL =
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
}
#endif
