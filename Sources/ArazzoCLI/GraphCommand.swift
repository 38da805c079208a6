#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArgumentParser
import Foundation

/// `arazzo-run graph FILE`: the workflows as a Mermaid or Graphviz diagram (docs/reports.md).
struct GraphCommand: AsyncParsableCommand, ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw the workflows of an Arazzo document as a Mermaid flowchart or a Graphviz DOT graph.",
        discussion: """
            One subgraph per workflow: steps in order with their operations, success and failure \
            actions as labelled edges (goto, retry with its limit, end), calls to other workflows \
            dashed, dependsOn dotted. --run colours the path a recorded run took (the file `run \
            --json` writes).
            """)

    /// `--format`.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case mermaid, dot
    }

    @Argument(help: "The Arazzo document.")
    var file: String

    @Option(name: .customLong("workflow"), help: "Draw only this workflow (repeatable; default: every workflow).")
    var workflows: [String] = []

    @Option(help: "mermaid (default) or dot.")
    var format: Format = .mermaid

    @Option(name: .customLong("run"), help: ArgumentHelp("Colour the path this recorded run took (a `run --json` file).", valueName: "RESULT.json"))
    var runFile: String?

    @Option(name: [.short, .customLong("output")], help: "Write the diagram to this file instead of standard output.")
    var outputFile: String?

    @OptionGroup var sourceAccess: SourceAccessOptions

    func execute(_ context: CLIContext) async -> Int32 {
        await sourceAccess.withAccess(context) { fetcher, limits in
            await execute(context, fetcher: fetcher, limits: limits)
        }
    }

    private func execute(_ context: CLIContext, fetcher: (any StepExecutor)?, limits: LoadLimits) async -> Int32 {
        // As `list`: a picture of a document with errors would show edges the run refuses.
        guard let loaded = await context.loadWithoutErrors(file, fetcher: fetcher, limits: limits) else { return CLIExitCode.usage }
        let graph: WorkflowGraph
        do {
            graph = try WorkflowGraph(loaded, workflowIds: workflows.isEmpty ? nil : workflows)
        } catch {
            context.stderr.line("error: --workflow \(error.workflowId): \(error.description)")
            return CLIExitCode.usage
        }
        var path: RunPath?
        if let runFile {
            switch Self.runPath(runFile, documentURL: loaded.url, context) {
            case .success(let read): path = read
            case .failure(let failure):
                context.stderr.line(failure.description)
                return CLIExitCode.usage
            }
        }
        let text = format == .dot ? graph.dot(path: path) : graph.mermaid(path: path)
        if let outputFile {
            return context.writeReportFiles([(outputFile, "--output", { text })]) ? CLIExitCode.success : CLIExitCode.couldNotRun
        }
        context.stdout.write(text)
        return CLIExitCode.success
    }

    /// The path of the runs of `documentURL` in a run result file: its document entry (by
    /// `documentURL`), or the only one when none matches (a report moved with its document).
    static func runPath(_ file: String, documentURL: String, _ context: CLIContext) -> Result<RunPath, ReportMerge.Failure> {
        let input: ReportMerge.Input
        switch ReportMerge.read(file, path: context.absolutePath(file)) {
        case .success(let read): input = read
        case .failure(let failure): return .failure(failure)
        }
        guard input.kind != .loadSummary else {
            return .failure(.init(file: file, line: 1, column: 1, message: "a load summary records no path; pass a run result (`run --json`)"))
        }
        let entries = HTMLReport.documentEntries(.object(input.root))
        let matching = entries.filter { $0["documentURL"]?.stringValue == documentURL }
        guard let entry = matching.first ?? (entries.count == 1 ? entries.first : nil) else {
            return .failure(.init(file: file, line: 1, column: 1, message: "no run of \(documentURL) in this run result"))
        }
        return .success(HTMLReport.runPath(entry["workflows"]?.arrayValue ?? []))
    }
}
#endif
