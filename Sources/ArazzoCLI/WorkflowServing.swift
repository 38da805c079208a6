#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
package import Arazzo
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `serve --mcp` hands its loaded workflows to: the MCP server itself.
///
/// The server is not linked into `arazzo-run`. The MCP Swift SDK brings FoundationNetworking and
/// with it `libcurl` and its TLS, LDAP, Kerberos and SSH libraries, which every start of every
/// command would pay for (docs/performance.md, figures 1 and 5). So `arazzo-run serve` hands the
/// whole command over to the `arazzo-run-mcp` executable beside it, which is this CLI with the
/// server linked in (decision MCP9).
package protocol WorkflowServing: Sendable {
    /// Serves the workflows of `documents` until the client leaves (stdio) or the listener closes
    /// (`endpoint`); returns the exit code. What people read goes to `stderr`.
    func serve(
        _ documents: [(label: String, runner: WorkflowRunner)], endpoint: ServeEndpoint?, mock: Bool,
        stderr: CLIOutput
    ) async -> Int32
}

/// Where `serve --mcp --http` listens.
package struct ServeEndpoint: Sendable, Equatable {
    /// The host to bind, without brackets.
    package var host: String
    /// The port (0 picks a free one).
    package var port: Int
    /// The host as the user wrote it (IPv6 in brackets), for the "serving … at" line.
    package var display: String
}

/// How this process serves `serve --mcp`.
package enum ServeBackend: Sendable {
    /// No MCP server in this process: `serve` checks its command line and documents, then says
    /// that the server is in `arazzo-run-mcp` (in-process callers, such as tests).
    case unavailable
    /// `arazzo-run` itself: replace this process with `arazzo-run-mcp` (beside this executable,
    /// else on `PATH`), passing `arguments` (the command line after the program name) unchanged.
    case handOff(arguments: [String])
    /// `arazzo-run-mcp`: the server is linked in.
    case inProcess(any WorkflowServing)
}

/// The hand-over from `arazzo-run serve` to `arazzo-run-mcp`.
enum ServeHandOff {
    /// The helper executable's name.
    static let executableName = "arazzo-run-mcp"

    /// The helper beside the running executable, else the first on `PATH`; nil when neither exists.
    static func locate(environment: [String: String]) -> String? {
        var candidates: [String] = []
        if let own = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append((own as NSString).deletingLastPathComponent + "/" + executableName)
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":") where !directory.isEmpty {
            candidates.append(directory + "/" + executableName)
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Replaces this process with the helper, or returns the exit code after saying why it could not.
    static func execute(arguments: [String], context: CLIContext) -> Int32 {
        guard let path = locate(environment: context.environment) else {
            context.stderr.line("error: serve needs the \(executableName) executable (the MCP server) beside arazzo-run or on PATH; build it with `swift build --product \(executableName)` or `scripts/build-release.sh`, and install it next to arazzo-run")
            return CLIExitCode.couldNotRun
        }
        // The child gets the same descriptors (stdio is the MCP transport), environment and
        // arguments; argv[0] stays `arazzo-run` so usage lines read as the user typed them.
        var argv: [UnsafeMutablePointer<CChar>?] = (["arazzo-run"] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(path, &argv)
        // execv returns only on failure.
        let reason = String(cString: strerror(errno))
        for pointer in argv { free(pointer) }
        context.stderr.line("error: serve cannot start \(path): \(reason)")
        return CLIExitCode.couldNotRun
    }
}
#endif
