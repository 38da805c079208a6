#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoHTTP
import Foundation

/// What every document of one `run` shares: the parsed policies and the HTTP client.
struct RunSetting {
    let severity: SeverityPolicy
    let policy: HostPolicy?
    let overrides: [String: String]
    let http: AsyncHTTPExecutor?
    /// Fetches remote source descriptions (the run's executor, under the host policy).
    let fetcher: (any StepExecutor)?

    init(setup: RunSetupOptions, severity options: SeverityOptions, context: CLIContext, http: AsyncHTTPExecutor?) throws(Exit) {
        (severity, policy, overrides) = try Exit.usage(setup.parse(options), context)
        let policy = policy
        fetcher = (http ?? context.settings.executor).map { executor -> any StepExecutor in
            policy.map { PolicyEnforcingExecutor(executor, policy: $0) } ?? executor
        }
        self.http = http
    }
}

/// One document's run, before it is reported.
struct DocumentRun {
    let entries: [RunEntry]
    let started: Date
    let finished: Date
    let exchanges: [ExchangeRecorder.Exchange]
}

extension RunCommand {
    /// Several documents (or a directory, a glob, a shard): each loaded and run in turn, one
    /// summary, one report (decisions SH1–SH3).
    func runDocuments(_ selection: DocumentSelection, shard: Shard?, _ setting: RunSetting, _ context: CLIContext) async -> Int32 {
        // Load every document (a shard needs them all to know the units); problems are held back
        // so that only the shard that owns a broken document reports it.
        var documents: [(path: String, shown: String, loaded: LoadedDocument?, problems: String, code: Int32)] = []
        for path in selection.paths {
            let captured = CapturedOutput()
            let quiet = CLIContext(environment: context.environment, stdout: context.stdout, stderr: captured.output, settings: context.settings)
            do throws(Exit) {
                let loaded = try await fileAccess.load(path, quiet, fetcher: setting.fetcher, severity: setting.severity)
                documents.append((path, context.displayPath(path), loaded, captured.text, 0))
            } catch {
                documents.append((path, context.displayPath(path), nil, captured.text, error.code))
            }
        }

        // The units and which of them this process runs.
        var units: [ShardUnit] = []
        for document in documents {
            if let loaded = document.loaded {
                units += ShardPlan.units(of: loaded.document, path: document.shown)
            } else {
                units.append(ShardUnit(document: document.shown, workflowIds: []))
            }
        }
        let owner = shard.map { ShardPlan.assign(units, count: $0.count) }
        func owned(_ unit: Int) -> Bool { owner.map { $0[unit] == (shard?.index ?? 1) - 1 } ?? true }
        var ownedIds: [String: Set<String>] = [:]
        var ownsBroken: Set<String> = []
        for (index, unit) in units.enumerated() where owned(index) {
            if unit.workflowIds.isEmpty { ownsBroken.insert(unit.document) }
            ownedIds[unit.document, default: []].formUnion(unit.workflowIds)
        }

        // `--workflow ID` applies to every document that has ID; `--workflow FILE#ID` to FILE only.
        let requests: [(file: String?, id: String)] = workflows.map { text in
            guard let hash = text.lastIndex(of: "#") else { return (nil, text) }
            return (context.absolutePath(String(text[..<hash])), String(text[text.index(after: hash)...]))
        }
        let loadedDocuments = documents.compactMap(\.loaded)
        for (request, text) in zip(requests, workflows) {
            let matches = documents.contains { document in
                (request.file == nil || request.file == document.path) && document.loaded?.document.workflow(request.id) != nil
            }
            if !matches, !documents.contains(where: { $0.loaded == nil }) {
                context.stderr.line("error: --workflow \(text): no document has workflow '\(request.id)' (write ID, or FILE#ID for one document)")
                return CLIExitCode.usage
            }
        }
        let secretOutputs: [SecretOutputs]
        do throws(Exit) {
            secretOutputs = try setup.checkNames(loadedDocuments, context)
        } catch {
            return error.code
        }

        if setup.mock { context.stdout.line(Self.mockNote(context)) }
        let started = Date()
        var reports: [MultiRunReport.Document] = []
        var exchanges: [ExchangeRecorder.Exchange] = []
        var earlyExit: Int32 = 0
        var loadedIndex = 0
        for document in documents {
            guard let loaded = document.loaded else {
                guard ownsBroken.contains(document.shown) else { continue }
                context.stderr.write(document.problems)
                earlyExit = max(earlyExit, document.code)
                reports.append(.init(shown: document.shown, report: nil, selected: [], exitCode: document.code))
                continue
            }
            let secrets = secretOutputs[loadedIndex]
            loadedIndex += 1
            let requested = workflows.isEmpty
                ? nil : requests.filter { ($0.file == nil || $0.file == document.path) && loaded.document.workflow($0.id) != nil }.map(\.id)
            let order = loaded.runOrder
            let all = requested.map { ids in order.filter(ids.contains) } ?? order
            let mine = ownedIds[document.shown] ?? []
            let selected = all.filter(mine.contains)
            guard !selected.isEmpty else {
                reports.append(.init(shown: document.shown, report: nil, selected: all, exitCode: nil))
                continue
            }
            let candidates = (requested ?? loaded.workflowIds).filter(mine.contains)
            context.stdout.line(context.stdoutStyle.bold("■ \(document.shown)"))
            do throws(Exit) {
                let run = try await runDocument(loaded, candidates: candidates, selected: selected, secretOutputs: secrets, setting, context)
                exchanges += run.exchanges
                reports.append(.init(shown: document.shown, report: documentReport(run, loaded: loaded, shown: document.shown), selected: all, exitCode: nil))
            } catch {
                earlyExit = max(earlyExit, error.code)
                reports.append(.init(shown: document.shown, report: nil, selected: all, exitCode: error.code))
            }
        }
        let finished = Date()
        let multi = MultiRunReport(documents: reports, started: started, finished: finished, dryRun: dryRun, mock: setup.mock, shard: shard)
        if let shard, multi.workflowCount == 0, multi.notRunCount == 0, earlyExit == 0 {
            context.stdout.line(context.stdoutStyle.dim("(shard \(shard): nothing to run; \(units.count) unit\(units.count == 1 ? "" : "s") over \(shard.count) shards)"))
        }
        let written = context.writeReportFiles([
            (jsonFile, "--json", { multi.jsonText() }),
            (junitFile, "--junit", { JUnitReport.text(multi.jsonValue) }),
            (harFile, "--har", { documentHAR(exchanges) }),
            (htmlFile, "--html", { HTMLReport(root: multi.jsonValue, graphs: Self.graphs(loadedDocuments)).text() }),
        ])
        let results = reports.compactMap(\.report).flatMap(\.results)
        let documentsNotRun = reports.filter { $0.exitCode != nil }.count
        let code = summarize(results: results, notRun: multi.notRunCount, documentsNotRun: documentsNotRun, writeFailed: !written, context)
        return earlyExit != 0 ? earlyExit : code
    }

    /// The single-document report of one document's run, its path as shown.
    private func documentReport(_ run: DocumentRun, loaded: LoadedDocument, shown: String) -> RunReport {
        var results: [RunResult] = []
        var invalid: [(workflowId: String, diagnostics: [String])] = []
        for entry in run.entries {
            switch entry {
            case .ran(let result): results.append(result)
            case .refused(let id, let failure): invalid.append((id, failure.diagnostics.map(\.description)))
            case .alreadyRan: break
            }
        }
        return RunReport(
            document: shown, documentURL: loaded.url, title: loaded.document.info.title, results: results, invalidRuns: invalid,
            started: run.started, finished: run.finished, dryRun: dryRun, mock: setup.mock)
    }

    private func documentHAR(_ exchanges: [ExchangeRecorder.Exchange]) -> String {
        RunReport(
            document: "", documentURL: "", title: "", results: [], invalidRuns: [], started: Date(), finished: Date(),
            dryRun: dryRun, mock: setup.mock
        ).harText(exchanges: exchanges)
    }
}
#endif
