import Arazzo
import ArazzoHTTP
import ArgumentParser
import Foundation

/// `--allow-files` and `--allow-file-root DIR` (run, validate, list): which local files a document
/// may make the loader read. Without them, only the entry document's directory tree.
struct FileAccessOptions: ParsableArguments {
    @Flag(
        name: .customLong("allow-files"),
        help: "Let the document read any local file through its sources and $refs (default: only files under its own directory).")
    var allowFiles = false

    @Option(
        name: .customLong("allow-file-root"),
        help: ArgumentHelp(
            "Also let the document read files under DIR (repeatable), e.g. the parent of arazzo/ and openapi/ folders.",
            valueName: "DIR"))
    var allowFileRoots: [String] = []

    /// The load limits these flags select, or a one-line error for a root that is not a directory.
    func limits(_ context: CLIContext) -> Result<LoadLimits, CLIUsageError> {
        var roots: [String] = []
        for root in allowFileRoots {
            let path = context.absolutePath(root)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return .failure(CLIUsageError("--allow-file-root \(root): no such directory"))
            }
            roots.append(path)
        }
        var limits = LoadLimits.default
        limits.files = FileAccess(allowsAnyFile: allowFiles, roots: roots)
        return .success(limits)
    }
}

/// `--allow-host PATTERN` for the commands that only load (validate, list): it guards the fetches
/// of remote source descriptions. (`run` declares its own, which also guards operations.)
struct HostAccessOptions: ParsableArguments {
    @Option(
        name: .customLong("allow-host"),
        help: ArgumentHelp(
            "Fetch remote source descriptions only from hosts matching PATTERN (repeatable): HOST, *.DOMAIN, HOST:PORT, [IPv6]:PORT, https://HOST (docs/security.md).",
            valueName: "PATTERN"))
    var allowHosts: [String] = []

    /// `fetcher` wrapped in the allow-list (unchanged without `--allow-host`), or the first
    /// unusable pattern.
    func guarded(_ fetcher: (any StepExecutor)?) -> Result<(any StepExecutor)?, CLIUsageError> {
        guard !allowHosts.isEmpty else { return .success(fetcher) }
        do {
            let policy = try HostPolicy(allowing: allowHosts)
            return .success(fetcher.map { PolicyEnforcingExecutor($0, policy: policy) })
        } catch {
            return .failure(CLIUsageError(error.description))
        }
    }
}

/// Runs `body` with the load limits and the fetcher that `--allow-files`, `--allow-file-root` and
/// `--allow-host` select (validate, list); a bad flag value is printed as `error: …` (exit 2). The
/// HTTP client made for remote source descriptions is shut down afterwards.
func withSourceAccess(
    _ context: CLIContext, files: FileAccessOptions, hosts: HostAccessOptions,
    _ body: (_ fetcher: (any StepExecutor)?, _ limits: LoadLimits) async -> Int32
) async -> Int32 {
    let limits: LoadLimits
    switch files.limits(context) {
    case .success(let l): limits = l
    case .failure(let error):
        context.stderr.line("error: \(error.message)")
        return CLIExitCode.usage
    }
    let owned: AsyncHTTPExecutor? = context.settings.executor == nil ? AsyncHTTPExecutor() : nil
    let code: Int32
    switch hosts.guarded(owned ?? context.settings.executor) {
    case .success(let fetcher): code = await body(fetcher, limits)
    case .failure(let error):
        context.stderr.line("error: \(error.message)")
        code = CLIExitCode.usage
    }
    await owned?.shutdown()
    return code
}

/// A command-line mistake found after parsing, printed as `error: message` (exit 2).
struct CLIUsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
