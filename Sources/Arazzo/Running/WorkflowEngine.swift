public import OrderedCollections
public import ArazzoJSON
import ArazzoDiagnostics

/// Runs the workflows of a loaded document.
///
/// The document is compiled once, when the engine is created (operations resolved, expressions,
/// templates and criteria parsed), so an engine can run many times cheaply and concurrently.
public struct WorkflowEngine: Sendable {
    /// The document the engine runs.
    public var document: LoadedDocument { storage.document }
    /// How it runs.
    public var options: RunOptions { storage.options }
    var plan: EnginePlan { storage.plan }
    /// The credentials' secrets and the document's names, prepared once (each run copies it and
    /// adds its own secrets).
    var redactor: Redactor { storage.redactor }
    /// The bound Basic credentials' header values, written once (each run's requests send them).
    var basicAuthorizations: BasicAuthorizations { storage.basicAuthorizations }
    /// The server overrides' base URLs, resolved once (each run's first request of a source used to).
    var overrideBaseURLs: [String: String] { storage.overrideBaseURLs }
    /// The document's URL, read without copying the document (``document`` returns a copy of
    /// the loaded document, a dozen references, and each run read it).
    var documentURL: String { storage.document.url }
    /// The document's diagnostics, read without copying the document.
    var documentDiagnostics: Diagnostics { storage.document.diagnostics }
    /// Whether the document was loaded without the source descriptions it names, so it cannot
    /// run: answered once, not by a look-up of the entry unit per run.
    var lacksSources: Bool { storage.lacksSources }

    /// Everything the engine holds, behind one reference: every run copies the engine (into
    /// its ``DocumentRun``), and a copy of the fields themselves retained each of them.
    private final class Storage: Sendable {
        let document: LoadedDocument
        let options: RunOptions
        let plan: EnginePlan
        let redactor: Redactor
        let basicAuthorizations: BasicAuthorizations
        /// The server overrides' base URLs, resolved once.
        let overrideBaseURLs: [String: String]
        let lacksSources: Bool

        init(document: LoadedDocument, options: RunOptions, plan: EnginePlan) {
            self.document = document
            self.options = options
            self.plan = plan
            redactor = Redactor(secrets: options.credentials.secrets, names: Redactor.documentNames(in: document))
            basicAuthorizations = SecurityApplier.basicAuthorizations(for: options.credentials)
            overrideBaseURLs = RunSession.overrideBases(options)
            lacksSources = document.entry.sourcesSkipped && !document.document.sourceDescriptions.isEmpty
        }
    }

    private let storage: Storage

    /// Compiles `document` for running with `options`.
    public init(document: LoadedDocument, options: RunOptions) {
        storage = Storage(document: document, options: options, plan: EnginePlan(loaded: document))
    }

    private init(document: LoadedDocument, options: RunOptions, plan: EnginePlan) {
        storage = Storage(document: document, options: options, plan: plan)
    }

    /// The same compiled document with other options (the plan does not depend on them).
    func with(options: RunOptions) -> WorkflowEngine {
        WorkflowEngine(document: document, options: options, plan: plan)
    }

    /// The inputs workflow `workflowId` gets as an entry of a run that gives every entry the same
    /// input set: all of them, or only the names it declares when its schema is closed.
    func entryInputs(_ inputs: JSONValue, for workflowId: String) -> JSONValue {
        plan.workflows[WorkflowKey(unitURL: document.url, workflowId: workflowId)].map { $0.entryInputs(inputs) } ?? inputs
    }

    /// Runs one workflow (its `dependsOn` closure first). Run-time failures (a failed step, a
    /// transport error, a loop guard) are in the result; only an unknown workflow, a load-time
    /// error that reaches it (its steps, dependencies, called workflows, components) or inputs
    /// that violate its schema throw. To run several workflows as one run, where each runs once
    /// and later ones read earlier ones' values, use ``startRun(diagnostics:)`` or
    /// ``runAll(_:inputs:diagnostics:events:)``.
    public func run(workflowId: String, inputs: JSONValue = .object([:])) async throws(RunFailure) -> RunResult {
        try await run(workflowId: workflowId, inputs: inputs, eventHandler: nil)
    }

    /// Runs one workflow, reporting progress through `events` as it happens.
    public func run(
        workflowId: String, inputs: JSONValue, events: @escaping @Sendable (RunEvent) -> Void
    ) async throws(RunFailure) -> RunResult {
        try await run(workflowId: workflowId, inputs: inputs, eventHandler: events)
    }

    /// Runs one workflow, reporting progress as an asynchronous sequence of events that ends
    /// with `workflowFinished` of the requested workflow; the result is that event's value.
    public func events(workflowId: String, inputs: JSONValue) -> AsyncStream<RunEvent> {
        let (stream, continuation) = AsyncStream<RunEvent>.makeStream()
        let engine = self
        let task = Task {
            do throws(RunFailure) {
                _ = try await engine.run(workflowId: workflowId, inputs: inputs, eventHandler: { continuation.yield($0) })
            } catch {
                // The failure is reported as a run that started and failed at once, so the stream
                // always ends with a `workflowFinished` and every start it carries has its finish.
                let context = RunEventContext(runId: RunObservation.randomPrefix() + "-1", workflowId: workflowId)
                continuation.yield(RunEvent(.workflowStarted, context: context))
                continuation.yield(RunEvent(.workflowFinished(RunResult(
                    workflowId: workflowId,
                    outcome: .failed(FailureReason(stepId: nil, message: error.description, kind: .inputs)))), context: context))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func run(
        workflowId: String, inputs: JSONValue, eventHandler: (@Sendable (RunEvent) -> Void)?
    ) async throws(RunFailure) -> RunResult {
        // A run of one entry: errors outside the workflow's closure do not stop it.
        try await startRun().run(workflowId: workflowId, inputs: inputs, events: eventHandler)
    }

    /// The only workflow's id, when the document has exactly one (the CLI's default).
    public var defaultWorkflowId: String? {
        document.document.workflows.count == 1 ? document.document.workflows.first?.workflowId : nil
    }
}
