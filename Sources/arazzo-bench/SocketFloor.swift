#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoExecutor
import Arazzo
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `floor`: the physical limit of figure 2. The two requests of one workflow run (captured from an
/// engine run, with that run's headers and bodies, the code refreshed) sent over one kept-alive
/// TCP connection by a blocking socket loop: no event loop, no thread hop, no parser beyond finding
/// `Content-Length`. What remains is the kernel's loopback round trip and the server's own work,
/// which no HTTP client, ours or the Python runner's, can go below.
///
///     arazzo-bench floor ARAZZO [--runs N] [--server URL]
///
/// Every response must be `200`, and the second must carry the session token. Prints
/// `result per_run_us=… runs=…`.
enum SocketFloor {
    static func run(arguments: [String]) async throws {
        guard let path = arguments.first, !path.hasPrefix("--") else {
            throw BenchError.usage("floor needs an ARAZZO document")
        }
        let server = stringOption("--server", in: arguments)
        let runs = max(1, option("--runs", in: arguments) ?? 1_000)
        let document = try await WorkflowBenchmark.load(path)
        let template = try await ThroughputBenchmark.captureRequests(document: document, server: server)
        guard let url = URLComponents(string: template[0].url), let host = url.host, let port = url.port,
            url.scheme == "http"
        else {
            throw BenchError.usage("floor needs a plain http://HOST:PORT server, got \(template[0].url)")
        }

        let connection = try Connection(host: host, port: port)
        defer { connection.close() }
        var inputs = InputsCache()
        let heads = template.map { request -> [UInt8] in
            var head = "\(request.method) \(URLComponents(string: request.url)?.percentEncodedPath ?? "/") HTTP/1.1\r\n"
            head += "Host: \(host):\(port)\r\n"
            for field in request.headers.fields where !HeaderFields.namesMatch(field.name, "content-length") {
                head += "\(field.name): \(field.value)\r\n"
            }
            return Array(head.utf8)
        }
        func oneRun() throws {
            let current = inputs.current()
            for index in heads.indices {
                let body = ThroughputBenchmark.bareBody(index: index, inputs: current)
                let message = heads[index] + Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
                let response = try connection.exchange(message)
                guard response.status == 200 else {
                    throw BenchError.usage("floor request \(index + 1) answered \(response.status)")
                }
                if index == heads.count - 1,
                    !String(decoding: response.body, as: UTF8.self).contains(StytchFixture.sessionTokenPrefix)
                {
                    throw BenchError.usage("floor run produced no session token")
                }
            }
        }
        try oneRun()
        let clock = ContinuousClock()
        let started = clock.now
        for _ in 0..<runs { try oneRun() }
        let perRun = WorkflowBenchmark.seconds(clock.now - started) / Double(runs)
        print("floor: \(runs) runs of the two requests over one blocking socket, \(Measure.format(perRun * 1e6)) µs per run")
        print("result per_run_us=\(Measure.format(perRun * 1e6, 2)) runs=\(runs)")
    }

    /// One blocking, kept-alive HTTP/1.1 connection with `TCP_NODELAY`.
    final class Connection {
        private let descriptor: Int32
        private var buffer: [UInt8] = []

        init(host: String, port: Int) throws {
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw BenchError.usage("socket: errno \(errno)") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
                Glibc.close(descriptor)
                throw BenchError.usage("floor needs a numeric IPv4 host, got \(host)")
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else {
                Glibc.close(descriptor)
                throw BenchError.usage("connect to \(host):\(port): errno \(errno)")
            }
            var on: Int32 = 1
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        }

        func close() { Glibc.close(descriptor) }

        /// Sends `message` and reads one response framed by `Content-Length`.
        func exchange(_ message: [UInt8]) throws -> (status: Int, body: [UInt8]) {
            try message.withUnsafeBytes { raw in
                var sent = 0
                while sent < raw.count {
                    let n = send(descriptor, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                    guard n > 0 else { throw BenchError.usage("send: errno \(errno)") }
                    sent += n
                }
            }
            let headEnd = try fill { buffer in Self.find([13, 10, 13, 10], in: buffer).map { $0 + 4 } }
            let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
            let lines = head.split(separator: "\r\n")
            let statusParts = lines.first?.split(separator: " ") ?? []
            guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
                throw BenchError.usage("not an HTTP response: \(head.prefix(80))")
            }
            var length = 0
            for line in lines.dropFirst() {
                let pair = line.split(separator: ":", maxSplits: 1)
                if pair.count == 2, HeaderFields.namesMatch(pair[0], "content-length") {
                    length = Int(pair[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            let end = try fill { buffer in buffer.count >= headEnd + length ? headEnd + length : nil }
            let body = Array(buffer[headEnd..<end])
            buffer.removeFirst(end)
            return (status, body)
        }

        /// Reads until `complete` finds what it needs in the buffer; returns its answer.
        private func fill(_ complete: ([UInt8]) -> Int?) throws -> Int {
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                if let done = complete(buffer) { return done }
                let n = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { throw BenchError.usage("the server closed the connection (errno \(errno))") }
                buffer.append(contentsOf: chunk[..<n])
            }
        }

        private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
            guard haystack.count >= needle.count else { return nil }
            for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
                if haystack[start..<start + needle.count].elementsEqual(needle) { return start }
            }
            return nil
        }
    }
}
#endif
