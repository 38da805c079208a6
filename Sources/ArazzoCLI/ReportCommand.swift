#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoLoad
import ArgumentParser
import Foundation

/// `arazzo-run report …`: commands over the report files other commands wrote.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Work with report files (merge the run results of several shards, render them as HTML).",
        subcommands: [ReportMergeCommand.self, ReportHTMLCommand.self])
}

/// `arazzo-run report merge FILE…`: one report from the `--json` files of several runs
/// (decision SH4).
struct ReportMergeCommand: AsyncParsableCommand, ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge run results (the files `run --json` writes) into one JSON and/or JUnit report, or load summaries (`load --json`) into one summary.",
        discussion: """
            Run results: workflows are grouped by document path; a workflow (document path and \
            workflowId) that appears in two files is an error unless --allow-duplicates. Exit 0 \
            when every merged workflow succeeded, 1 when one failed, 2 when a file cannot be read \
            or merged. Load summaries: counts and histogram buckets are added (percentiles are \
            read from the merged histograms, never averaged); exit 0, or 1 when a run failed. \
            The files must all be of one kind.
            """)

    @Argument(help: "Run-result JSON files (written by `run --json`), or load summaries (written by `load --json`).")
    var files: [String]

    @Option(name: .customLong("json"), help: "Write the merged run result as JSON to this file.")
    var jsonFile: String?

    @Option(name: .customLong("junit"), help: "Write the merged JUnit XML report to this file.")
    var junitFile: String?

    @Flag(name: .customLong("allow-duplicates"), help: "Keep a workflow that appears in several files (each one as a result).")
    var allowDuplicates = false

    func execute(_ context: CLIContext) async -> Int32 {
        guard let inputs = ReportMerge.readAll(files, context) else { return CLIExitCode.usage }
        let summaries = inputs.compactMap(\.loadSummary)
        if !summaries.isEmpty {
            return mergeLoadSummaries(summaries, inputs: inputs, context)
        }
        let merged: JSONValue
        switch ReportMerge.merge(inputs, allowDuplicates: allowDuplicates) {
        case .success(let value): merged = value
        case .failure(let error):
            context.stderr.line(error.description)
            return CLIExitCode.usage
        }
        let written = context.writeReportFiles([
            (jsonFile, "--json", { merged.jsonText(.init(prettyPrinted: true)) + "\n" }),
            (junitFile, "--junit", { JUnitReport.text(merged) }),
        ])
        let summary = merged.objectValue?["summary"]?.objectValue ?? [:]
        let count = { (key: String) in summary[key]?.reportInt ?? 0 }
        let (succeeded, planned, failed, notRun) = (count("succeeded"), count("planned"), count("failed"), count("notRun"))
        let ok = succeeded + planned
        var line = "\(ok) workflow\(ok == 1 ? "" : "s") \(planned > 0 && succeeded == 0 ? "planned" : "succeeded"), \(failed) failed"
        if notRun > 0 { line += ", \(notRun) not run (invalid)" }
        line += " (merged \(inputs.count) file\(inputs.count == 1 ? "" : "s"))"
        let style = context.stdoutStyle
        context.stdout.line(failed == 0 && notRun == 0 ? style.green(line) : style.red(line))
        if !written { return CLIExitCode.couldNotRun }
        return failed > 0 || notRun > 0 ? CLIExitCode.failure : CLIExitCode.success
    }

    /// Load summaries (`load --json`) merged exactly (decision LD5): the summary printed as `load`
    /// prints it, `--json` writes the merged summary. JUnit has no meaning for a load summary.
    private func mergeLoadSummaries(_ summaries: [LoadSummary], inputs: [ReportMerge.Input], _ context: CLIContext) -> Int32 {
        if let other = inputs.first(where: { $0.loadSummary == nil }) {
            context.stderr.line(ReportMerge.Failure(
                file: other.file, line: 1, column: 1,
                message: "a run result cannot be merged with load summaries: merge each kind on its own").description)
            return CLIExitCode.usage
        }
        if let junitFile {
            context.stderr.line("error: --junit \(junitFile): load summaries have no JUnit form; use --json")
            return CLIExitCode.usage
        }
        guard var merged = summaries.first else { return CLIExitCode.usage }
        for summary in summaries.dropFirst() { merged = merged.merged(with: summary) }
        guard context.writeReportFiles([(jsonFile, "--json", { merged.jsonText() })]) else { return CLIExitCode.couldNotRun }
        LoadSummaryPrinter(output: context.stdout, style: context.stdoutStyle).print(merged)
        context.stdout.line("(merged \(summaries.count) load summar\(summaries.count == 1 ? "y" : "ies"))")
        return merged.failed > 0 ? CLIExitCode.failure : CLIExitCode.success
    }
}

/// `arazzo-run report html FILE… --output PAGE`: the self-contained HTML report of run results
/// (decisions GR4, GR5): one file as it is, several merged as `report merge` merges them.
struct ReportHTMLCommand: AsyncParsableCommand, ContextCommand {
    static let configuration = CommandConfiguration(
        commandName: "html",
        abstract: "Render run results (the files `run --json` or `report merge` write) as one self-contained HTML page.",
        discussion: """
            Several files are merged first, as `report merge` merges them. Each document named in \
            the results (documentURL) is read again to draw its workflow graph with the run's path; \
            a document that cannot be read is shown without one. The page shows what the JSON \
            holds (secrets are already redacted there). Exit 0 when it is written, 2 when a file \
            cannot be read or merged, 3 when the page cannot be written.
            """)

    @Argument(help: "Run-result JSON files (written by `run --json` or `report merge`).")
    var files: [String]

    @Option(name: [.short, .customLong("output")], help: "The HTML file to write.")
    var outputFile: String

    @Flag(name: .customLong("allow-duplicates"), help: "Keep a workflow that appears in several files (each one as a result).")
    var allowDuplicates = false

    func execute(_ context: CLIContext) async -> Int32 {
        guard let inputs = ReportMerge.readAll(files, context) else { return CLIExitCode.usage }
        if let (file, _) = zip(files, inputs).first(where: { $0.1.kind == .loadSummary }) {
            context.stderr.line(ReportMerge.Failure(
                file: file, line: 1, column: 1, message: "a load summary has no HTML form; pass run results (`run --json`)").description)
            return CLIExitCode.usage
        }
        let root: JSONValue
        if inputs.count == 1, let only = inputs.first {
            root = .object(only.root)
        } else {
            switch ReportMerge.merge(inputs, allowDuplicates: allowDuplicates) {
            case .success(let value): root = value
            case .failure(let error):
                context.stderr.line(error.description)
                return CLIExitCode.usage
            }
        }
        let (graphs, missing) = await Self.graphs(of: root)
        let page = HTMLReport(root: root, graphs: graphs, missingGraphs: missing)
        guard context.writeReportFiles([(outputFile, "--output", { page.text() })]) else { return CLIExitCode.couldNotRun }
        context.stdout.line("wrote \(outputFile)")
        return CLIExitCode.success
    }

    /// The graph of every document the report names, read from its `documentURL` (local files
    /// only: a report is not a reason to fetch from the network), and why the others have none.
    static func graphs(of root: JSONValue) async -> (graphs: [String: WorkflowGraph], missing: [String: String]) {
        var graphs: [String: WorkflowGraph] = [:]
        var missing: [String: String] = [:]
        for entry in HTMLReport.documentEntries(root) {
            guard let url = entry["documentURL"]?.stringValue, graphs[url] == nil, missing[url] == nil else { continue }
            guard url.hasPrefix("/"), FileManager.default.fileExists(atPath: url) else {
                missing[url] = "\(url) is not a readable local file"
                continue
            }
            do {
                let loaded = try await ArazzoLoader().load(path: url)
                if let graph = try? WorkflowGraph(loaded) { graphs[url] = graph }
            } catch {
                missing[url] = "\(url) could not be loaded"
            }
        }
        return (graphs, missing)
    }
}

/// Reading and merging report files. The kind of each file is told by its shape; this is where a
/// new kind (a `load` summary) is told apart and merged by its own rules.
enum ReportMerge {
    /// A report file that cannot be read or merged: `FILE:LINE:COLUMN: error: MESSAGE`.
    struct Failure: Error, CustomStringConvertible {
        let file: String
        let line: Int
        let column: Int
        let message: String

        var description: String { "\(file):\(line):\(column): error: \(message)" }
    }

    /// What a report file holds.
    enum Kind: Equatable {
        /// A single-document run result (`document`, `workflows`).
        case runResult
        /// A several-document or sharded run result (`documents`).
        case runResults
        /// A load summary (`load --json`, `format: arazzo-load-summary/…`).
        case loadSummary
    }

    /// One file read.
    struct Input {
        let file: String
        let text: String
        let kind: Kind
        let root: JSONObject
        /// The summary, when the file is a load summary.
        var loadSummary: LoadSummary? = nil
    }

    /// Reads and classifies `file`.
    /// Every file read in order; `nil`, with the first failure printed, when one cannot be read.
    static func readAll(_ files: [String], _ context: CLIContext) -> [Input]? {
        var inputs: [Input] = []
        for file in files {
            switch read(file, path: context.absolutePath(file)) {
            case .success(let input): inputs.append(input)
            case .failure(let error):
                context.stderr.line(error.description)
                return nil
            }
        }
        return inputs
    }

    static func read(_ file: String, path: String) -> Result<Input, Failure> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(Failure(file: file, line: 1, column: 1, message: "cannot read the file"))
        }
        let text = String(decoding: data, as: UTF8.self)
        let value: JSONValue
        do {
            value = try JSONValue(parsing: text)
        } catch {
            return .failure(Failure(file: file, line: error.line, column: error.column, message: "not JSON: \(error.message)"))
        }
        guard let root = value.objectValue else {
            return .failure(Failure(file: file, line: 1, column: 1, message: "not a report: the top level is not an object"))
        }
        // The dispatch point: a `kind` field names the kind outright (a report of a kind this
        // version cannot merge is refused); without one, the shape tells.
        if let format = root["format"]?.stringValue, format.hasPrefix("arazzo-load-summary/") {
            do {
                let summary = try LoadSummary(json: data)
                return .success(Input(file: file, text: text, kind: .loadSummary, root: root, loadSummary: summary))
            } catch {
                return .failure(Failure(
                    file: file, line: 1, column: 1,
                    message: "a load summary this version cannot read (\(format)): \(error)"))
            }
        }
        if let kind = root["kind"]?.stringValue {
            return .failure(Failure(
                file: file, line: 1, column: 1,
                message: "a report of kind '\(kind)' cannot be merged (this version merges run results: the files `run --json` writes)"))
        }
        if root["documents"]?.arrayValue != nil { return .success(Input(file: file, text: text, kind: .runResults, root: root)) }
        if root["document"]?.stringValue != nil, root["workflows"]?.arrayValue != nil {
            return .success(Input(file: file, text: text, kind: .runResult, root: root))
        }
        return .failure(Failure(
            file: file, line: 1, column: 1,
            message: "not a run result: expected the JSON `run --json` writes (with `document` and `workflows`, or `documents`)"))
    }

    /// One merged report: a single-document report when every input is one of the same
    /// document, else a `documents` report (decision SH4).
    static func merge(_ inputs: [Input], allowDuplicates: Bool) -> Result<JSONValue, Failure> {
        // Every document entry of every input, with the input it came from.
        var order: [String] = []
        var entries: [String: [(input: Input, entry: JSONObject)]] = [:]
        for input in inputs {
            let documents: [JSONObject]
            switch input.kind {
            case .runResult: documents = [RunReport.documentEntry(input.root)]
            case .runResults: documents = (input.root["documents"]?.arrayValue ?? []).compactMap(\.objectValue)
            case .loadSummary: documents = []  // merged on their own (ReportMergeCommand.mergeLoadSummaries)
            }
            for entry in documents {
                let path = entry["document"]?.stringValue ?? ""
                if entries[path] == nil { order.append(path) }
                entries[path, default: []].append((input, entry))
            }
        }

        var merged: [JSONValue] = []
        for path in order {
            let parts = entries[path] ?? []
            var seen: [String: String] = [:]
            var workflows: [JSONValue] = []
            var notRun: [JSONValue] = []
            for (input, entry) in parts {
                let ran = (entry["workflows"]?.arrayValue ?? []) + (entry["notRun"]?.arrayValue ?? [])
                for item in ran {
                    let id = item.objectValue?["workflowId"]?.stringValue ?? ""
                    if let first = seen[id], !allowDuplicates {
                        let (line, column) = position(of: id, in: input.text)
                        return .failure(Failure(
                            file: input.file, line: line, column: column,
                            message: "workflow '\(id)' of \(path) is already in \(first); merge each shard's report once (or pass --allow-duplicates)"))
                    }
                    seen[id] = input.file
                }
                workflows += entry["workflows"]?.arrayValue ?? []
                notRun += entry["notRun"]?.arrayValue ?? []
            }
            // The run order every shard recorded; results are put back in it.
            var selected: [String] = []
            for (_, entry) in parts {
                for id in (entry["selected"]?.arrayValue ?? []).compactMap(\.stringValue) where !selected.contains(id) {
                    selected.append(id)
                }
            }
            let rank = { (value: JSONValue) -> Int in
                selected.firstIndex(of: value.objectValue?["workflowId"]?.stringValue ?? "") ?? selected.count
            }
            workflows = stableSorted(workflows, by: rank)
            notRun = stableSorted(notRun, by: rank)

            let ran = parts.map(\.entry).filter { $0["documentURL"] != nil }
            var entry: JSONObject = ["document": .string(path)]
            if let first = ran.first {
                entry["documentURL"] = first["documentURL"]
                entry["title"] = first["title"]
                entry["startedAt"] = ran.compactMap { $0["startedAt"]?.stringValue }.min().map(JSONValue.string)
                entry["finishedAt"] = ran.compactMap { $0["finishedAt"]?.stringValue }.max().map(JSONValue.string)
            }
            entry["summary"] = RunReport.summaryJSON(workflows: workflows, notRun: notRun.count)
            entry["workflows"] = .array(workflows)
            if !notRun.isEmpty { entry["notRun"] = .array(notRun) }
            if parts.contains(where: { $0.entry["selected"] != nil }) {
                entry["selected"] = .array(selected.map(JSONValue.string))
            }
            let codes = parts.compactMap { $0.entry["exitCode"]?.reportInt }
            if let code = codes.max() {
                entry["exitCode"] = .int(code)
                entry["error"] = parts.compactMap { $0.entry["error"] }.first
            }
            merged.append(.object(entry))
        }

        let roots = inputs.map(\.root)
        var root: JSONObject = [
            "tool": ["name": "arazzo-run", "version": .string(CLI.version)],
            "startedAt": roots.compactMap { $0["startedAt"]?.stringValue }.min().map(JSONValue.string) ?? .null,
            "finishedAt": roots.compactMap { $0["finishedAt"]?.stringValue }.max().map(JSONValue.string) ?? .null,
            "dryRun": .bool(roots.contains { $0["dryRun"]?.boolValue == true }),
            "mock": .bool(roots.contains { $0["mock"]?.boolValue == true }),
        ]
        if inputs.allSatisfy({ $0.kind == .runResult }), merged.count == 1, let only = merged.first?.objectValue {
            // The single-document form, keys in the order `run --json` writes them.
            var single: JSONObject = ["tool": root["tool"] ?? .null]
            for key in ["document", "documentURL", "title"] { single[key] = only[key] }
            single["startedAt"] = root["startedAt"]
            single["finishedAt"] = root["finishedAt"]
            single["dryRun"] = root["dryRun"]
            single["mock"] = root["mock"]
            for key in ["summary", "workflows", "notRun"] { single[key] = only[key] }
            return .success(.object(single))
        }
        root["summary"] = RunReport.totals(merged)
        root["documents"] = .array(merged)
        return .success(.object(root))
    }

    private static func stableSorted(_ values: [JSONValue], by rank: (JSONValue) -> Int) -> [JSONValue] {
        values.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    /// The line and column of the first `"workflowId": "ID"` in `text` (1:1 when absent).
    static func position(of id: String, in text: String) -> (Int, Int) {
        let needle = "\"workflowId\" : " + JSONValue.string(id).jsonText()
        let compact = "\"workflowId\":" + JSONValue.string(id).jsonText()
        let spaced = "\"workflowId\": " + JSONValue.string(id).jsonText()
        guard let range = [spaced, needle, compact].lazy.compactMap({ text.range(of: $0) }).first else { return (1, 1) }
        let before = text[..<range.lowerBound]
        let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        let column = before.split(separator: "\n", omittingEmptySubsequences: false).last.map { $0.unicodeScalars.count + 1 } ?? 1
        return (line, column)
    }
}
#endif
