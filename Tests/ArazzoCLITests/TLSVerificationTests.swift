import ArazzoTestServer
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// The TLS peer is the shared `openssl s_server` with a certificate from a private CA made at test
/// time (NetworkPeers.swift): no system trust store knows that CA.
@Suite("TLS verification is on by default and off only with --insecure",
       .enabled(if: NetworkPeers.haveOpenSSL), .timeLimit(.minutes(1)))
struct TLSVerificationTests {
    static let bearer = "canary-tls-bearer-4e19"

    static func files() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try """
            openapi: 3.1.0
            info: {title: TLS, version: 1.0.0}
            servers: [{url: 'https://tls.invalid'}]
            components:
              securitySchemes:
                bearerAuth: {type: http, scheme: bearer}
            security: [{bearerAuth: []}]
            paths:
              /status:
                get: {operationId: status, responses: {'200': {description: ok}}}
            """.write(toFile: directory.file("api.yaml"), atomically: true, encoding: .utf8)
        try """
            arazzo: 1.0.1
            info: {title: TLS, version: 1.0.0}
            sourceDescriptions: [{name: api, url: ./api.yaml, type: openapi}]
            workflows:
            - workflowId: wf
              steps:
              - {stepId: status, operationId: status, successCriteria: [{condition: $statusCode == 200}]}
            """.write(toFile: directory.file("arazzo.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test("A certificate no system root vouches for fails the step with a tls transport error; --insecure reaches the server")
    func untrustedCertificate() async throws {
        let pki = try await TestPKI.make(keyPassword: "unused-tls-verification")
        defer { pki.cleanup() }
        let server = try await OpenSSLServer.start(certificate: pki.serverCertificate, key: pki.serverKey)
        defer { server.stop() }
        let directory = try Self.files()
        defer { directory.cleanup() }
        let arguments = [
            directory.file("arazzo.yaml"), "--server", "api=https://127.0.0.1:\(server.port)",
            "--auth", "bearerAuth=bearer:\(Self.bearer)",
        ]
        let verified = await Invocation.run(arguments)
        #expect(verified.code == 1, "\(verified.stderr)\n\(verified.stdout)")
        #expect(verified.stdout.contains("✗ status") && verified.stdout.contains("tls"), "\(verified.stdout)")
        let insecure = await Invocation.run(arguments + ["--insecure"])
        #expect(insecure.code == 0, "\(insecure.stderr)\n\(insecure.stdout)")
        #expect(insecure.stdout.contains("✓ status"))
        for run in [verified, insecure] {
            #expect(!run.stdout.contains(Self.bearer) && !run.stderr.contains(Self.bearer))
            #expect(!run.stderr.contains("unencrypted"))
        }
    }
}
