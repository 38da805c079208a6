public import OrderedCollections
public import ArazzoJSON
public import ArazzoDiagnostics
import ArazzoJSONSchema

/// One run of several workflows of a document (decision A18): each workflow runs at most once,
/// as an entry or as a dependency, and a later workflow sees the inputs and outputs of the ones
/// that ran before it (`$workflows.<id>.…`). Credentials, OAuth tokens and the secrets found so far
/// are shared as well; the ``RunLimits`` (steps, deadline) apply to each entry on its own.
///
/// A workflow that an error reaches (its steps, its dependencies, the workflows it calls, the
/// components it uses) is refused; the others run. Make one with ``WorkflowEngine/startRun(diagnostics:)``
/// and use it from one task at a time.
public final class DocumentRun {
    /// The engine the workflows run on.
    public let engine: WorkflowEngine
    let plan: EnginePlan
    let session: RunSession
    /// The problems that refuse the workflows they reach.
    let diagnostics: Diagnostics

    init(engine: WorkflowEngine, plan: EnginePlan, redactor: Redactor, diagnostics: Diagnostics) {
        self.engine = engine
        self.plan = plan
        self.diagnostics = diagnostics
        self.session = RunSession(
            plan: plan, options: engine.options, redactor: redactor, basicAuthorizations: engine.basicAuthorizations, events: nil)
        session.overrideBaseURLs = engine.overrideBaseURLs
    }

    /// Runs `workflowId` with `inputs`: its `dependsOn` closure first, except the workflows that
    /// already ran in this run. A workflow that already ran is not run again: its earlier result
    /// is returned (``earlierRun(of:)`` tells). Run-time failures are in the result; an unknown
    /// workflow, an error that reaches it, or inputs that violate its schema throw.
    public func run(
        workflowId: String, inputs: JSONValue = .object([:]), events: (@Sendable (RunEvent) -> Void)? = nil
    ) async throws(RunFailure) -> RunResult {
        // The document is read through the engine only where it is needed: `engine.document`
        // is a copy of the loaded document, and each run made one.
        let key = WorkflowKey(unitURL: engine.documentURL, workflowId: workflowId)
        guard let workflow = plan.workflows[key] else { throw engine.document.unknownWorkflow(workflowId) }
        if let earlier = session.completed[key] { return earlier.result }
        // A document with errors loads, so that every problem is reported at once; it runs only
        // the workflows no error reaches.
        if diagnostics.hasErrors {
            let blocking = engine.document.errors(blocking: workflowId, in: diagnostics)
            if !blocking.isEmpty {
                throw RunFailure(diagnostics: Diagnostics(blocking))
            }
        }
        if engine.lacksSources {
            throw RunFailure(diagnostics: Diagnostics([.error(
                "the document was loaded without its source descriptions (LoadLimits.loadsSources is false), so it cannot run",
                code: "source-unavailable")]))
        }
        session.beginEntry(events: events)
        switch session.prepareInputs(workflow, inputs) {
        case .failure(let violations):
            // A violation message may quote the value (pattern, enum, type): password inputs are
            // already registered with the redactor by now.
            let redactor = session.redactor
            throw RunFailure(diagnostics: Diagnostics(violations.all.map { violation in
                Diagnostic.error(
                    "input \(violation.instancePath.isEmpty ? "(root)" : violation.instancePath): \(redactor.redact(violation.message))",
                    path: violation.instancePath, code: "input-\(violation.keyword)")
            }))
        case .success(let prepared):
            // On the executor's preferred thread when it names one (decision EL1).
            let result = await withTaskExecutorPreference(engine.options.executor.preferredTaskExecutor()) {
                await session.runWorkflow(workflow, inputs: prepared, depth: 0)
            }
            session.completed[key] = RunSession.Completion(result: result, dependencyOf: nil)
            return result
        }
    }

    /// Runs `workflowIds` in order as entries of this run: one refused in `refused` (the errors
    /// that reach it) or by ``run(workflowId:inputs:events:)`` is reported and the others run;
    /// one that already ran is not run again. Each entry gets `entryInputs(id)`, narrowed to
    /// the names its schema declares when it is closed.
    func runEntries(
        _ workflowIds: [String], refused: [String: [Diagnostic]], progress: (@Sendable (RunProgress) -> Void)?,
        entryInputs: (String) -> JSONValue
    ) async -> [RunEntry] {
        var events: (@Sendable (RunEvent) -> Void)?
        if let progress { events = { event in progress(.event(event)) } }
        var entries: [RunEntry] = []
        for id in workflowIds {
            let entry: RunEntry
            if let blocking = refused[id] {
                entry = .refused(workflowId: id, RunFailure(diagnostics: Diagnostics(blocking)))
            } else if let earlier = earlierRun(of: id) {
                entry = .alreadyRan(earlier)
            } else {
                progress?(.starting(workflowId: id))
                do throws(RunFailure) {
                    entry = .ran(try await run(workflowId: id, inputs: engine.entryInputs(entryInputs(id), for: id), events: events))
                } catch {
                    entry = .refused(workflowId: id, error)
                }
            }
            progress?(.finished(entry))
            entries.append(entry)
        }
        return entries
    }

    /// How `workflowId` already ran in this run, or nil if it has not.
    public func earlierRun(of workflowId: String) -> EarlierRun? {
        let key = WorkflowKey(unitURL: engine.documentURL, workflowId: workflowId)
        return session.completed[key].map { EarlierRun(result: $0.result, dependencyOf: $0.dependencyOf) }
    }
}

/// How a workflow already ran in a ``DocumentRun``.
public struct EarlierRun: Sendable {
    /// Its result (for a dependency, the same value is among its dependent's ``RunResult/workflows``).
    public var result: RunResult
    /// The workflow that ran it as a dependency; nil when it ran as an entry.
    public var dependencyOf: String?
}

/// What became of one workflow of ``WorkflowEngine/runAll(_:inputs:diagnostics:events:)``.
public enum RunEntry: Sendable {
    /// It ran (its dependencies that had not run yet are in the result's ``RunResult/workflows``).
    case ran(RunResult)
    /// It had already run in this run, as a dependency of an earlier entry: it was not run again.
    case alreadyRan(EarlierRun)
    /// It did not run: an error reaches it, or its inputs violate its schema.
    case refused(workflowId: String, RunFailure)

    /// The workflow the entry is about.
    public var workflowId: String {
        switch self {
        case .ran(let result): return result.workflowId
        case .alreadyRan(let earlier): return earlier.result.workflowId
        case .refused(let id, _): return id
        }
    }
}

extension WorkflowEngine {
    /// Starts a run of several workflows in which each runs at most once and later workflows
    /// read the values of earlier ones (``DocumentRun``). `diagnostics` decides which workflows
    /// are refused: by default the document's load-time ``LoadedDocument/diagnostics``; pass
    /// ``LoadedDocument/validate(policy:)`` to refuse by the full check, as `arazzo-run` does.
    public func startRun(diagnostics: Diagnostics? = nil) -> DocumentRun {
        // The diagnostics alone: `document` returns a copy of the whole loaded document.
        DocumentRun(engine: self, plan: plan, redactor: redactor, diagnostics: diagnostics ?? documentDiagnostics)
    }

    /// Runs `workflowIds` (default: every workflow of the document, in ``LoadedDocument/runOrder``)
    /// as one run (decision A18). Every entry gets `inputs`, except that a workflow whose inputs
    /// schema forbids other properties (`additionalProperties: false`) gets only the names it
    /// declares. A workflow an error reaches is refused and the others still run.
    public func runAll(
        _ workflowIds: [String]? = nil, inputs: JSONValue = .object([:]), diagnostics: Diagnostics? = nil,
        events: (@Sendable (RunEvent) -> Void)? = nil
    ) async -> [RunEntry] {
        var progress: (@Sendable (RunProgress) -> Void)?
        if let events {
            progress = { if case .event(let event) = $0 { events(event) } }
        }
        return await startRun(diagnostics: diagnostics).runEntries(workflowIds ?? document.runOrder, refused: [:], progress: progress) { _ in inputs }
    }
}

extension LoadedDocument {
    /// The failure for a run asked of `workflowId`, which names no workflow of this document: one
    /// wording for every entry point (``DocumentRun/run(workflowId:inputs:events:)``,
    /// ``WorkflowRunner/selection(_:)``).
    func unknownWorkflow(_ workflowId: String) -> RunFailure {
        let ids = workflowIds
        return RunFailure(diagnostics: Diagnostics([.error(
            "no workflow '\(workflowId)' in \(url)", code: "unknown-workflow",
            notes: ids.isEmpty ? [] : ["the workflows are " + ids.map { "'\($0)'" }.joined(separator: ", ")])]))
    }
}
