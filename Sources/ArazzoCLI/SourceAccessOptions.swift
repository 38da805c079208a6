#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoHTTP
import ArgumentParser
import Foundation

/// `--sandbox DIR`, `--map URL_PREFIX=DIR`, `--allow-file-root DIR` and `--allow-files` (run,
/// validate, list): which local files the documents of a load may read (``FileAccess``). Without
/// them a local document reads the files it names wherever they are, and a document fetched over
/// the network reads none.
struct FileAccessOptions: ParsableArguments {
    @Option(
        name: .customLong("sandbox"),
        help: ArgumentHelp(
            "Read local files only under DIR (repeatable), besides the document itself: for a local document you did not write.",
            valueName: "DIR"))
    var sandbox: [String] = []

    @Option(
        name: .customLong("map"),
        help: ArgumentHelp(
            "Read remote sources whose URL starts with URL_PREFIX from DIR instead of the network (repeatable; the longest prefix wins).",
            valueName: "URL_PREFIX=DIR"))
    var mappings: [String] = []

    @Flag(
        name: .customLong("allow-files"),
        help: "Let documents fetched over the network read any local file their sources and $refs name (default: none).")
    var allowFiles = false

    @Option(
        name: .customLong("allow-file-root"),
        help: ArgumentHelp(
            "Let documents fetched over the network read local files under DIR (repeatable; default: none).",
            valueName: "DIR"))
    var allowFileRoots: [String] = []

    /// The load limits these flags select, or a one-line error for a directory that does not exist
    /// or a malformed mapping.
    func limits(_ context: CLIContext) -> Result<LoadLimits, CLIUsageError> {
        func directory(_ flag: String, _ value: String, shown: String? = nil) -> Result<String, CLIUsageError> {
            let path = context.absolutePath(value)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return .failure(CLIUsageError("\(flag) \(shown ?? value): no such directory"))
            }
            return .success(path)
        }
        var access = FileAccess(allowsAnyFile: allowFiles)
        do {
            access.roots = try allowFileRoots.map { try directory("--allow-file-root", $0).get() }
            access.sandbox = try sandbox.map { try directory("--sandbox", $0).get() }
            for mapping in mappings {
                // The prefix ends at the first `=` (a URL prefix rarely needs one; a directory may).
                guard let eq = mapping.firstIndex(of: "="), mapping.index(after: eq) != mapping.endIndex else {
                    throw CLIUsageError("--map \(mapping): expected URL_PREFIX=DIR")
                }
                let prefix = String(mapping[..<eq])
                let dir = String(mapping[mapping.index(after: eq)...])
                let lowered = prefix.lowercased()
                let host = lowered.hasPrefix("https://") ? lowered.dropFirst(8)
                    : lowered.hasPrefix("http://") ? lowered.dropFirst(7) : nil
                guard let host, !host.isEmpty, !host.hasPrefix("/") else {
                    throw CLIUsageError("--map \(mapping): the prefix must be an http:// or https:// URL with a host")
                }
                let path = try directory("--map", dir, shown: mapping).get()
                access.mappings.append(FileAccess.Mapping(urlPrefix: prefix, directory: path))
            }
        } catch let error as CLIUsageError {
            return .failure(error)
        } catch {
            return .failure(CLIUsageError(String(describing: error)))
        }
        var limits = LoadLimits.default
        limits.files = access
        return .success(limits)
    }

    /// `failure` with a note on each file-policy refusal naming the flag that allows the file:
    /// the library says what to allow, the command line says how.
    static func withFlagHints(_ failure: LoadFailure) -> LoadFailure {
        LoadFailure(diagnostics: withFlagHints(failure.diagnostics), sourceTexts: failure.sourceTexts)
    }

    /// `diagnostics` with a note on each file-policy refusal naming the flag that allows the file.
    static func withFlagHints(_ diagnostics: Diagnostics) -> Diagnostics {
        let hinted = diagnostics.map { diagnostic -> Diagnostic in
            guard diagnostic.code == "source-file-not-allowed" else { return diagnostic }
            var diagnostic = diagnostic
            if diagnostic.message.contains("fetched over the network") {
                diagnostic.notes.append("to read it, pass --allow-file-root DIR for a directory that contains it, or --allow-files")
            } else if diagnostic.message.contains("is outside the sandbox") {
                diagnostic.notes.append("to read it, pass --sandbox DIR for a directory that contains it as well")
            } else if diagnostic.message.contains("outside the directory of its local copies") {
                diagnostic.notes.append("a --map directory serves only the files below it")
            }
            return diagnostic
        }
        return Diagnostics(hinted)
    }
}

extension ArazzoLoader {
    /// ``load(path:)`` with the command line's hints on file-policy refusals.
    func loadForCLI(path: String) async throws(LoadFailure) -> LoadedDocument {
        do {
            // A document with errors loads too; its refusals get the same hints.
            var loaded = try await load(path: path)
            loaded.diagnostics = FileAccessOptions.withFlagHints(loaded.diagnostics)
            return loaded
        } catch {
            throw FileAccessOptions.withFlagHints(error)
        }
    }
}

extension CLIContext {
    /// Loads `file` for a command that describes a document (`list`, `graph`): `nil`, with the
    /// diagnostics printed, when it did not load or has errors, since a listing or a picture of a
    /// document with errors would show steps and edges a run refuses.
    func loadWithoutErrors(_ file: String, fetcher: (any StepExecutor)?, limits: LoadLimits) async -> LoadedDocument? {
        let loaded: LoadedDocument
        do {
            loaded = try await ArazzoLoader(fetcher: fetcher, limits: limits).loadForCLI(path: absolutePath(file))
        } catch {
            render(error.diagnostics, sources: error.sourceTexts, to: stderr, style: stderrStyle, relativeTo: baseDirectory)
            return nil
        }
        if loaded.diagnostics.hasErrors {
            render(Diagnostics(loaded.diagnostics.errors), sources: loaded.sourceTexts, to: stderr, style: stderrStyle, relativeTo: baseDirectory)
            return nil
        }
        return loaded
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
            let policy = try HostPolicy(allowHostOption: allowHosts)
            return .success(fetcher.map { PolicyEnforcingExecutor($0, policy: policy) })
        } catch {
            return .failure(CLIUsageError(error.description))
        }
    }
}

/// The file access flags and `--allow-host` together: how the commands that only load (validate,
/// list, fix, upgrade) may read a document's sources.
struct SourceAccessOptions: ParsableArguments {
    @OptionGroup var files: FileAccessOptions

    @OptionGroup var hosts: HostAccessOptions

    /// Runs `body` with the load limits and the fetcher these flags select; a bad flag value is
    /// printed as `error: …` (exit 2). The HTTP client made for remote source descriptions is shut
    /// down afterwards.
    func withAccess(
        _ context: CLIContext, _ body: (_ fetcher: (any StepExecutor)?, _ limits: LoadLimits) async -> Int32
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

    /// ``withAccess(_:_:)`` with a loader made from what the flags select.
    func withLoader(_ context: CLIContext, _ body: (ArazzoLoader) async -> Int32) async -> Int32 {
        await withAccess(context) { fetcher, limits in await body(ArazzoLoader(fetcher: fetcher, limits: limits)) }
    }
}

/// A command-line mistake found after parsing, printed as `error: message` (exit 2).
struct CLIUsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

extension HostPolicy {
    /// The policy of `--allow-host` patterns: refusals and pattern errors name the option, which
    /// the library's own wording ("the host allow-list", "host pattern …") cannot know.
    init(allowHostOption texts: [String]) throws(CLIUsageError) {
        do {
            try self.init(allowing: texts)
        } catch {
            throw CLIUsageError("--allow-host \(error.pattern): \(error.message)")
        }
        name = "--allow-host"
    }
}
#endif
