import ArazzoJSON
import ArazzoOpenAPI
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The loopback HTTP listener an authorization code flow's redirect comes back to (RFC 8252
/// §7.3): bound to 127.0.0.1 on an ephemeral port, it answers one `GET` of its callback path and
/// hands over the query. Plain POSIX sockets: `Arazzo` builds without SwiftNIO, and one request
/// per flow needs no event loop. Every other path (a browser's `/favicon.ico`) gets 404.
final class LoopbackRedirectListener: Sendable {
    let port: Int
    private let socket: Int32
    private let closed = Atomic<Bool>(false)

    struct Failure: Error {
        var message: String
    }

    private init(socket: Int32, port: Int) {
        self.socket = socket
        self.port = port
    }

    /// Binds 127.0.0.1 on an ephemeral port.
    static func open() throws(Failure) -> LoopbackRedirectListener {
        #if canImport(Glibc) || canImport(Musl)
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Failure(message: "could not open a loopback socket for the redirect (errno \(errno))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            close(fd)
            throw Failure(message: "could not listen on 127.0.0.1 for the redirect (errno \(errno))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return LoopbackRedirectListener(socket: fd, port: Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Waits (on a thread of its own: accept and read block) until `path` is requested or
    /// `timeout` passes; returns the request's query parameters, decoded.
    func waitForCallback(path: String, timeout: Duration) async throws(Failure) -> [String: String] {
        let result: Result<[String: String], Failure> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread { [self] in continuation.resume(returning: self.serve(path: path, timeout: timeout)) }
                thread.start()
            }
        } onCancel: {
            closed.store(true, ordering: .relaxed)
        }
        return try result.get()
    }

    /// Stops a wait in progress (it ends within one poll interval); the socket itself closes
    /// when the last reference (the waiting thread's included) goes.
    func shutdown() {
        closed.store(true, ordering: .relaxed)
    }

    deinit {
        close(socket)
    }

    private func serve(path: String, timeout: Duration) -> Result<[String: String], Failure> {
        let deadline = ContinuousClock.now + timeout
        while !closed.load(ordering: .relaxed) {
            guard ContinuousClock.now < deadline else {
                return .failure(Failure(message: "no redirect reached the loopback listener within \(timeout)"))
            }
            // Short polls, so cancellation and the deadline are noticed.
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            guard ready > 0 else { continue }
            let client = accept(socket, nil, nil)
            guard client >= 0 else { continue }
            defer { close(client) }
            guard let target = Self.readRequestTarget(client) else { continue }
            let (requestPath, query) = Self.split(target)
            guard requestPath == path else {
                Self.respond(client, status: "404 Not Found", body: "Not found.")
                continue
            }
            Self.respond(client, status: "200 OK", body: "Authorization received; you can close this window.")
            return .success(query)
        }
        return .failure(Failure(message: "the wait for the redirect was cancelled"))
    }

    /// The target of a `GET` request line, read within a few seconds and 16 KiB.
    private static func readRequestTarget(_ client: Int32) -> String? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 2048)
        while buffer.count < 16_384 {
            var descriptor = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 5_000) > 0 else { return nil }
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<n])
            if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                let parts = line.split(separator: " ")
                guard parts.count >= 2, parts[0] == "GET" else { return nil }
                return String(parts[1])
            }
        }
        return nil
    }

    /// The path and the query's parameters, read as a form (`+` a space, `%XX` escapes) by the
    /// project's one urlencoded parser; of a repeated name the first value counts.
    private static func split(_ target: String) -> (String, [String: String]) {
        guard let q = target.firstIndex(of: "?") else { return (target, [:]) }
        var query: [String: String] = [:]
        for (name, value) in RequestBodyEncoder.formFields(parsing: String(target[target.index(after: q)...])) {
            if case .array(let values) = value { query[name] = values.first?.stringValue ?? "" } else { query[name] = value.stringValue ?? "" }
        }
        return (String(target[..<q]), query)
    }

    #if os(Linux)
    private static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    private static let sendFlags: Int32 = 0
    #endif

    private static func respond(_ client: Int32, status: String, body: String) {
        let text = "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n\(body)"
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Self.sendFlags) }
            guard n > 0 else { return }
            sent += n
        }
    }
}
