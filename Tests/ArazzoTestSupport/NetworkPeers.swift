public import ArazzoTesting
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Real peers for the proxy and TLS tests (docs/networking.md): a private PKI made with the
/// `openssl` CLI, `openssl s_server` as the TLS server, Debian's `tinyproxy` as the forwarding
/// proxy. Each runs as a child process and is started off the cooperative thread pool.
public enum NetworkPeers {
    /// Debian's openssl CLI.
    public static let openssl = "/usr/bin/openssl"
    /// Debian's tinyproxy.
    public static let tinyproxy = "/usr/bin/tinyproxy"
    /// Whether the openssl CLI is installed.
    public static var haveOpenSSL: Bool { FileManager.default.isExecutableFile(atPath: openssl) }
    /// Whether tinyproxy is installed.
    public static var haveTinyproxy: Bool { FileManager.default.isExecutableFile(atPath: tinyproxy) }

    /// A peer that could not be set up or started.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs `body` on a thread of its own (it blocks on child processes).
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// Runs `openssl ARGS…` to completion; throws with its stderr when it fails.
    static func runOpenSSL(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure("openssl \(arguments.first ?? ""): \(text)") }
    }
}

/// A private PKI in a temporary directory: a CA, a server certificate for `127.0.0.1` and
/// `localhost` signed by it, a client certificate signed by it (its key plain and encrypted), and
/// a second, unrelated CA.
public struct TestPKI: Sendable {
    /// Where every file is.
    public let directory: TemporaryDirectory
    public var caCertificate: String { directory.file("ca.pem") }
    public var otherCACertificate: String { directory.file("other-ca.pem") }
    public var serverCertificate: String { directory.file("server.pem") }
    public var serverKey: String { directory.file("server.key") }
    public var clientCertificate: String { directory.file("client.pem") }
    public var clientKey: String { directory.file("client.key") }
    public var encryptedClientKey: String { directory.file("client-encrypted.key") }
    /// The password of ``encryptedClientKey``.
    public let keyPassword: String

    /// Generates everything (EC P-256 keys: fast).
    public static func make(keyPassword: String) async throws -> TestPKI {
        let directory = try TemporaryDirectory()
        try await NetworkPeers.offPool {
            let dir = directory.path
            func run(_ arguments: [String]) throws { try NetworkPeers.runOpenSSL(arguments, in: dir) }
            let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            for name in ["ca", "other-ca"] {
                try run(["req", "-x509"] + ec + ["-keyout", "\(name).key", "-out", "\(name).pem", "-days", "2",
                                               "-subj", "/CN=arazzo test \(name)",
                                               "-addext", "basicConstraints=critical,CA:TRUE",
                                               "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
            }
            try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
                .write(toFile: directory.file("server.ext"), atomically: true, encoding: .utf8)
            try "extendedKeyUsage=clientAuth\n".write(toFile: directory.file("client.ext"), atomically: true, encoding: .utf8)
            for name in ["server", "client"] {
                try run(["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name == "server" ? "127.0.0.1" : "arazzo client")"])
                try run(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                         "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext"])
            }
            try run(["pkcs8", "-topk8", "-in", "client.key", "-out", "client-encrypted.key", "-v2", "aes-256-cbc",
                     "-passout", "pass:\(keyPassword)"])
        }
        return TestPKI(directory: directory, keyPassword: keyPassword)
    }

    /// Removes the directory.
    public func cleanup() { directory.cleanup() }
}

/// `openssl s_server -www` on 127.0.0.1 (a free port): answers each GET with an HTTP/1.0 200
/// status page. With `requireClientCertificate`, a handshake without a client certificate signed
/// by `clientCA` fails.
public final class OpenSSLServer: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    private let process: Process

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// Starts a server with this certificate and key; returns once it accepts connections.
    public static func start(certificate: String, key: String, requireClientCertificateFrom clientCA: String? = nil) async throws -> OpenSSLServer {
        try await NetworkPeers.offPool {
            let server = Process()
            server.executableURL = URL(fileURLWithPath: NetworkPeers.openssl)
            var arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", certificate, "-key", key, "-www"]
            if let clientCA { arguments += ["-Verify", "1", "-CAfile", clientCA] }
            server.arguments = arguments
            let output = Pipe()
            server.standardOutput = output
            server.standardError = output
            try server.run()
            var seen = ""
            while true {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                seen += String(decoding: data, as: UTF8.self)
                if let line = seen.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT ") }),
                    let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                    // Keep draining the server's output so it never blocks on a full pipe.
                    let handle = output.fileHandleForReading
                    Thread { while !handle.availableData.isEmpty {} }.start()
                    return OpenSSLServer(port: port, process: server)
                }
            }
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            throw NetworkPeers.Failure("openssl s_server did not start: \(seen)")
        }
    }

    /// Kills the server (SIGKILL: a child may inherit a blocked SIGTERM) and waits for it.
    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Debian's tinyproxy on 127.0.0.1 with a generated configuration, logging every request it
/// forwards (`Request (file descriptor N): GET http://…` or `CONNECT host:port`) to a file.
public final class TinyProxy: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    private let process: Process
    private let directory: TemporaryDirectory

    private init(port: Int, process: Process, directory: TemporaryDirectory) {
        self.port = port
        self.process = process
        self.directory = directory
    }

    /// `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Starts tinyproxy, optionally demanding Basic credentials; returns once it accepts connections.
    public static func start(username: String? = nil, password: String? = nil) async throws -> TinyProxy {
        let directory = try TemporaryDirectory()
        for _ in 0..<5 {
            let port = try freePort()
            if let proxy = try await NetworkPeers.offPool({ try startBlocking(port: port, directory: directory, username: username, password: password) }) {
                return proxy
            }
        }
        directory.cleanup()
        throw NetworkPeers.Failure("tinyproxy did not start")
    }

    private static func startBlocking(port: Int, directory: TemporaryDirectory, username: String?, password: String?) throws -> TinyProxy? {
        let log = directory.file("tinyproxy-\(port).log")
        var config = """
            Port \(port)
            Listen 127.0.0.1
            Timeout 30
            LogFile "\(log)"
            LogLevel Info
            MaxClients 50
            Allow 127.0.0.1
            DisableViaHeader Yes

            """
        if let username, let password { config += "BasicAuth \(username) \(password)\n" }
        let configFile = directory.file("tinyproxy-\(port).conf")
        try config.write(toFile: configFile, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: NetworkPeers.tinyproxy)
        process.arguments = ["-d", "-c", configFile]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when the log says so; gone when the port was taken meanwhile.
        while process.isRunning {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if text.contains("Accepting connections") { return TinyProxy(port: port, process: process, directory: directory) }
            if text.contains("Could not create listening sockets") { break }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return nil
    }

    /// The requests tinyproxy logged, in order: `GET http://127.0.0.1:8080/x HTTP/1.1`,
    /// `CONNECT 127.0.0.1:8443 HTTP/1.1`.
    public var requests: [String] {
        let text = (try? String(contentsOfFile: directory.file("tinyproxy-\(port).log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let range = line.range(of: "): ", options: [], range: nil), line.contains("Request (file descriptor") else { return nil }
            return String(line[range.upperBound...])
        }
    }

    /// The whole log, for failure messages.
    public var log: String {
        (try? String(contentsOfFile: directory.file("tinyproxy-\(port).log"), encoding: .utf8)) ?? ""
    }

    /// Kills the proxy, waits for it and removes its files.
    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        directory.cleanup()
    }

    /// A port nothing listens on right now (bound to 0, read back, closed).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NetworkPeers.Failure("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw NetworkPeers.Failure("bind failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw NetworkPeers.Failure("getsockname failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
