#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
package import ArazzoExecutor
import Foundation
package import Logging
import ArgumentParser

/// The process exit codes of `arazzo-run` (documented in `docs/cli.md`).
package enum CLIExitCode {
    /// Every workflow succeeded (or, for `validate`, every document is valid; warnings allowed).
    package static let success: Int32 = 0
    /// A workflow failed (or, for `validate`, a document has errors).
    package static let failure: Int32 = 1
    /// The document is invalid, or the command line is wrong (unknown option, missing inputs,
    /// inputs that violate the workflow's schema, an unreadable file).
    package static let usage: Int32 = 2
    /// The run could not start: a source description is unreachable, or a credential is malformed.
    package static let couldNotRun: Int32 = 3
}

/// What an in-process caller may change about the CLI's surroundings.
package struct CLISettings: Sendable {
    /// The clock the engine sleeps on between retries (`nil`: the real continuous clock).
    /// The conformance runner passes an immediate clock that records the delays instead.
    package var clock: (any Clock<Duration>)?
    /// The directory relative paths on the command line are resolved against (`nil`: the
    /// process's current directory).
    package var workingDirectory: String?
    /// An executor to use instead of the one the flags select (`--mock` or HTTP).
    package var executor: (any StepExecutor)?
    /// The log handler `--log-level` writes through (`nil`: swift-log's `StreamLogHandler` on the
    /// process's stderr); tests collect the lines with their own.
    package var logHandler: (@Sendable (String) -> any LogHandler)?
    /// How `serve --mcp` serves (`.unavailable`: checks only; `arazzo-run` hands over to
    /// `arazzo-run-mcp`, which serves in process; decision MCP9).
    package var serving: ServeBackend

    /// The defaults: real clock, current directory, executor chosen by the flags, log on stderr,
    /// no MCP server.
    package init(
        clock: (any Clock<Duration>)? = nil, workingDirectory: String? = nil, executor: (any StepExecutor)? = nil,
        logHandler: (@Sendable (String) -> any LogHandler)? = nil, serving: ServeBackend = .unavailable
    ) {
        self.clock = clock
        self.workingDirectory = workingDirectory
        self.executor = executor
        self.logHandler = logHandler
        self.serving = serving
    }
}

/// Everything a command needs from its environment.
struct CLIContext: Sendable {
    let environment: [String: String]
    let stdout: CLIOutput
    let stderr: CLIOutput
    let settings: CLISettings

    /// Colour on stdout: only on a terminal, and never when `NO_COLOR` is set.
    var stdoutStyle: Style { Style(enabled: stdout.isTerminal && environment["NO_COLOR"] == nil) }
    /// Colour on stderr, by the same rule.
    var stderrStyle: Style { Style(enabled: stderr.isTerminal && environment["NO_COLOR"] == nil) }

    /// The directory relative paths are resolved against.
    var baseDirectory: String { settings.workingDirectory ?? FileManager.default.currentDirectoryPath }

    /// `file` relative to the working directory when it lies below it (how the user typed it).
    func displayPath(_ file: String) -> String {
        let prefix = baseDirectory.hasSuffix("/") ? baseDirectory : baseDirectory + "/"
        return file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
    }

    /// `path` made absolute against the working directory.
    func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") || path.contains("://") { return path }
        let base = baseDirectory
        return (base.hasSuffix("/") ? base : base + "/") + path
    }

    /// Writes each report file a flag asked for (`--json`, `--junit`, `--har`…), rendering its text
    /// only then; a file that cannot be written is an error line naming the flag. False when one
    /// could not be written (the caller exits 3).
    func writeReportFiles(_ files: [(file: String?, flag: String, text: () -> String)]) -> Bool {
        var written = true
        for (file, flag, text) in files {
            guard let file else { continue }
            do {
                try text().write(toFile: absolutePath(file), atomically: true, encoding: .utf8)
            } catch {
                stderr.line("error: \(flag) \(file): cannot write: \(error.localizedDescription)")
                written = false
            }
        }
        return written
    }
}

/// The `arazzo-run` command line, callable in-process.
package enum CLI {
    /// The tool's version, printed by `--version` and written into reports.
    package static let version = "0.1.0"

    /// Parses `arguments` (without the program name), runs the command, and returns the exit
    /// code. Nothing is written to the process's streams except through `stdout`/`stderr`.
    package static func main(
        arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        stdout: CLIOutput = .standardOutput,
        stderr: CLIOutput = .standardError,
        settings: CLISettings = CLISettings()
    ) async -> Int32 {
        let context = CLIContext(environment: environment, stdout: stdout, stderr: stderr, settings: settings)
        // Help for a subcommand is rendered here: the default subcommand makes the parser's own
        // help lookup fall back to the root.
        let wantsHelp = arguments.contains("--help") || arguments.contains("-h") || arguments.first == "help"
        if wantsHelp {
            let subcommands: [String: any ParsableCommand.Type] = [
                "run": RunCommand.self, "validate": ValidateCommand.self, "list": ListCommand.self,
                "fix": FixCommand.self, "upgrade": UpgradeCommand.self, "rules": RulesCommand.self,
                "serve": ServeCommand.self, "report": ReportCommand.self, "load": LoadCommand.self,
                "graph": GraphCommand.self,
            ]
            // `report merge --help` is the help of `merge`, not of the `report` group.
            let named = arguments.first { subcommands[$0] != nil }
            if named == "report", arguments.contains("merge") {
                stdout.line(ArazzoRunCommand.helpMessage(for: ReportMergeCommand.self))
                return CLIExitCode.success
            }
            if named == "report", arguments.contains("html") {
                stdout.line(ArazzoRunCommand.helpMessage(for: ReportHTMLCommand.self))
                return CLIExitCode.success
            }
            let type = named.flatMap { subcommands[$0] } ?? ArazzoRunCommand.self
            stdout.line(ArazzoRunCommand.helpMessage(for: type))
            return CLIExitCode.success
        }
        let command: any ParsableCommand
        do {
            command = try ArazzoRunCommand.parseAsRoot(ArazzoRunCommand.rewritingInsecureHosts(arguments))
        } catch {
            let code = ArazzoRunCommand.exitCode(for: error)
            if code == .success {
                let message = ArazzoRunCommand.fullMessage(for: error)
                if !message.isEmpty { stdout.line(message) }
                return CLIExitCode.success
            }
            stderr.line("error: " + ArazzoRunCommand.message(for: error))
            stderr.line("see 'arazzo-run --help' (or 'arazzo-run help <subcommand>')")
            return CLIExitCode.usage
        }
        // Every subcommand runs through the context; the root command alone prints its help.
        guard let command = command as? any ContextCommand else {
            stdout.line(command is ReportCommand ? ArazzoRunCommand.helpMessage(for: ReportCommand.self) : ArazzoRunCommand.helpMessage())
            return CLIExitCode.success
        }
        return await command.execute(context)
    }
}

extension ArazzoRunCommand {
    /// `--insecure=HOST` becomes `--insecure-host HOST` (decision NET6): plain `--insecure` stays
    /// a flag, since a value after a space could not be told from the FILE argument. Arguments
    /// after `--` are left alone.
    static func rewritingInsecureHosts(_ arguments: [String]) -> [String] {
        var rewritten: [String] = []
        rewritten.reserveCapacity(arguments.count)
        var literal = false
        for argument in arguments {
            if !literal, argument == "--" { literal = true }
            if !literal, argument.hasPrefix("--insecure=") {
                rewritten += ["--insecure-host", String(argument.dropFirst("--insecure=".count))]
            } else {
                rewritten.append(argument)
            }
        }
        return rewritten
    }
}

/// The root command: `arazzo-run [run] FILE`, `validate`, `list`.
struct ArazzoRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arazzo-run",
        abstract: "Run, validate and inspect Arazzo 1.0.x workflows.",
        discussion: """
            `arazzo-run FILE` is `arazzo-run run FILE`. Exit codes: 0 success, 1 a workflow failed \
            (validate: errors found), 2 invalid document or usage, 3 could not run.
            """,
        version: CLI.version,
        subcommands: [
            RunCommand.self, ValidateCommand.self, ListCommand.self, FixCommand.self, UpgradeCommand.self, RulesCommand.self,
            ServeCommand.self, ReportCommand.self, LoadCommand.self, GraphCommand.self,
        ],
        defaultSubcommand: RunCommand.self)
}

/// A command that does its work against a ``CLIContext`` and returns an exit code.
protocol ContextCommand {
    func execute(_ context: CLIContext) async -> Int32
}

extension ContextCommand {
    /// The entry used when the command runs as a real process (`arazzo-run` main).
    func runInProcess() async throws {
        let context = CLIContext(
            environment: ProcessInfo.processInfo.environment, stdout: .standardOutput, stderr: .standardError,
            settings: CLISettings())
        let code = await execute(context)
        if code != 0 { throw ExitCode(code) }
    }
}

extension ContextCommand where Self: AsyncParsableCommand {
    /// ArgumentParser's entry point for every subcommand: ``runInProcess()``.
    func run() async throws { try await runInProcess() }
}
#endif
