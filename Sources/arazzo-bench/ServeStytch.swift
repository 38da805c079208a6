#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoTestServer
import Foundation

/// `serve-stytch`: the one loopback server both runners talk to in `bench/compare.sh`.
///
/// ArazzoTestServer's Stytch-shaped server (Basic auth, JSON bodies, RFC 6238 verification against
/// the real clock) with the benchmark's fixed credentials and TOTP secret; its connections have
/// `TCP_NODELAY` and keep-alive. Prints `listening http://127.0.0.1:PORT` once bound, then serves
/// until the process is terminated or standard input reaches end of file.
enum ServeStytch {
    static func run(arguments: [String]) async throws {
        if let port = option("--port", in: arguments), port != 0 {
            // The server binds an ephemeral port (so parallel tests never collide); the script
            // reads the port from the first line instead of choosing one.
            FileHandle.standardError.write(Data("serve-stytch: --port \(port) ignored; binding an ephemeral port\n".utf8))
        }
        let server = StytchServer(configuration: StytchFixture.serverConfiguration)
        let port = try await server.start()
        // Unbuffered: the script waits for this line while the process keeps running.
        FileHandle.standardOutput.write(Data("listening http://127.0.0.1:\(port)\n".utf8))
        if arguments.contains("--until-stdin-closes") {
            // A reader thread, not the cooperative pool: `readDataToEndOfFile` blocks.
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                Thread.detachNewThread {
                    _ = FileHandle.standardInput.readDataToEndOfFile()
                    continuation.resume()
                }
            }
        } else {
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
        await server.stop()
    }
}

/// `totp`: prints the code the benchmark's TOTP secret gives now (for the CLI runs' `code` input).
enum TOTPCommand {
    static func run() {
        print(StytchFixture.code())
    }
}
#endif
