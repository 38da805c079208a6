import ArazzoTestServer
import Foundation
import ArazzoTestSupport
import ArazzoTesting
import Testing

/// `openssl s_server` with a fresh self-signed certificate: a real TLS peer whose certificate no
/// trust store accepts (the test servers in ArazzoTestServer speak plain HTTP only).
final class SelfSignedTLSServer: @unchecked Sendable {
    static let openssl = "/usr/bin/openssl"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: openssl) }

    let port: Int
    private let process: Process
    private let directory: TemporaryDirectory

    private init(port: Int, process: Process, directory: TemporaryDirectory) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    /// Creates the certificate, starts the server and returns once it accepts connections
    /// (`s_server` prints `ACCEPT` when it listens). The waiting happens on a thread of its own:
    /// blocking one of the few cooperative threads would stall the tests running beside this one.
    static func start() async throws -> SelfSignedTLSServer {
        let directory = try TemporaryDirectory()
        for _ in 0..<3 {
            let port = try await FaultServer.closedPort()
            let started: SelfSignedTLSServer? = try await withCheckedThrowingContinuation { continuation in
                Thread {
                    continuation.resume(with: Result { try startBlocking(port: port, directory: directory) })
                }.start()
            }
            if let started { return started }
        }
        directory.cleanup()
        throw Failure(message: "openssl s_server did not start")
    }

    /// The server on `port`, or nil when it exited before listening (the port was taken meanwhile).
    private static func startBlocking(port: Int, directory: TemporaryDirectory) throws -> SelfSignedTLSServer? {
        let key = directory.file("key.pem")
        let certificate = directory.file("cert.pem")
        if !FileManager.default.fileExists(atPath: certificate) {
            let generate = Process()
            generate.executableURL = URL(fileURLWithPath: openssl)
            generate.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
                                  "-days", "1", "-subj", "/CN=127.0.0.1"]
            generate.standardOutput = FileHandle.nullDevice
            generate.standardError = FileHandle.nullDevice
            try generate.run()
            generate.waitUntilExit()
            guard generate.terminationStatus == 0 else { throw Failure(message: "openssl req failed") }
        }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: openssl)
        // -www answers a GET with a status page (HTTP/1.0 200).
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-www"]
        let output = Pipe()
        server.standardOutput = output
        server.standardError = output
        try server.run()
        var seen = ""
        while !seen.contains("ACCEPT") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
        }
        if seen.contains("ACCEPT") { return SelfSignedTLSServer(port: port, process: server, directory: directory) }
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
        return nil
    }

    func stop() {
        // SIGKILL: a child of this test process may inherit a blocked SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        directory.cleanup()
    }

    struct Failure: Error {
        var message: String
    }
}

@Suite("TLS verification is on by default and off only with --insecure",
       .enabled(if: SelfSignedTLSServer.available), .timeLimit(.minutes(1)))
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

    @Test("A self-signed certificate fails the step with a tls transport error; --insecure reaches the server")
    func selfSigned() async throws {
        let server = try await SelfSignedTLSServer.start()
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
