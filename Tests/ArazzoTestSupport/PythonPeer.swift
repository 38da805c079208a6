import Foundation

/// A real peer process for tests: a Python script run by the virtualenv `scripts/setup-peers.sh`
/// installs (`.venv-peers/`), which prints `PORT <n>` once it listens and exits when its standard
/// input closes, so a test process that dies takes its peer with it.
public final class PythonPeer: Sendable {
    /// The repository root (three levels above this file).
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    /// The virtualenv's interpreter.
    public static let python = root + "/.venv-peers/bin/python3"
    /// Whether the virtualenv is installed.
    public static var available: Bool { FileManager.default.isExecutableFile(atPath: python) }

    /// The port the peer listens on (127.0.0.1).
    public let port: Int
    private let input: Pipe

    private init(arguments: [String]) throws {
        guard Self.available else {
            throw Failure(message: "no Python peer: \(Self.python) is missing; run scripts/setup-peers.sh")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = arguments
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = ""
        while !line.hasSuffix("\n") {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            guard !byte.isEmpty else { break }
            line += String(decoding: byte, as: UTF8.self)
        }
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw Failure(message: "the peer \(arguments.first ?? "") did not start: \(line.debugDescription)")
        }
        self.port = port
    }

    /// Starts `python3 arguments…` off the cooperative pool: waiting for its port blocks a
    /// thread, and the pool has as few threads as cores, which other suites need meanwhile.
    public static func start(_ arguments: [String]) async throws -> PythonPeer {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try PythonPeer(arguments: arguments) })
            }
        }
    }

    /// Ends the peer by closing its standard input (nothing waits for it to exit).
    public func stop() {
        try? input.fileHandleForWriting.close()
    }

    /// Why a peer could not start.
    public struct Failure: Error, CustomStringConvertible {
        /// One line saying what went wrong.
        public let message: String
        /// The message.
        public var description: String { message }

        /// A failure saying `message`.
        public init(message: String) { self.message = message }
    }
}
