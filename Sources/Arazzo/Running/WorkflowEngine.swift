public import OrderedCollections
public import ArazzoJSON
import ArazzoDiagnostics

/// Runs the workflows of a loaded document.
///
/// The document is compiled once, when the engine is created (operations resolved, expressions,
/// templates and criteria parsed), so an engine can run many times cheaply and concurrently.
public struct WorkflowEngine: Sendable {
    /// The document the engine runs.
    public let document: LoadedDocument
    /// How it runs.
    public let options: RunOptions
    private let plan: EnginePlan
    /// The credentials' secrets and the document's names, prepared once (each run copies it and
    /// adds its own secrets).
    private let redactor: Redactor

    /// Compiles `document` for running with `options`.
    public init(document: LoadedDocument, options: RunOptions) {
        self.document = document
        self.options = options
        self.plan = EnginePlan(loaded: document)
        self.redactor = Redactor(secrets: options.credentials.secrets, names: Redactor.documentNames(in: document))
    }

    /// Runs one workflow (its `dependsOn` closure first). Run-time failures (a failed step, a
    /// transport error, a loop guard) are in the result; only an unknown workflow or inputs that
    /// violate its schema throw.
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
                // The failure is reported as a failed result so the stream always ends with one.
                continuation.yield(.workflowFinished(RunResult(
                    workflowId: workflowId,
                    outcome: .failed(FailureReason(stepId: nil, message: error.description, kind: "inputs")))))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func run(
        workflowId: String, inputs: JSONValue, eventHandler: (@Sendable (RunEvent) -> Void)?
    ) async throws(RunFailure) -> RunResult {
        let key = WorkflowKey(unitURL: document.url, workflowId: workflowId)
        guard let workflow = plan.workflows[key] else {
            let ids = document.workflowIds
            throw RunFailure(diagnostics: Diagnostics([.error(
                "no workflow '\(workflowId)' in \(document.url)", code: "unknown-workflow",
                notes: ids.isEmpty ? [] : ["the workflows are " + ids.map { "'\($0)'" }.joined(separator: ", ")])]))
        }
        // A document with errors loads, so that every problem is reported at once; it runs only
        // the workflows no load-time error reaches.
        let blocking = document.errors(blocking: workflowId, in: document.diagnostics)
        if !blocking.isEmpty {
            throw RunFailure(diagnostics: Diagnostics(blocking))
        }
        if document.entry.sourcesSkipped, !document.document.sourceDescriptions.isEmpty {
            throw RunFailure(diagnostics: Diagnostics([.error(
                "the document was loaded without its source descriptions (LoadLimits.loadsSources is false), so it cannot run",
                code: "source-unavailable")]))
        }
        let session = RunSession(plan: plan, options: options, redactor: redactor, events: eventHandler)
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
            return await session.runWorkflow(workflow, inputs: prepared, depth: 0)
        }
    }

    /// The only workflow's id, when the document has exactly one (the CLI's default).
    public var defaultWorkflowId: String? {
        document.document.workflows.count == 1 ? document.document.workflows.first?.workflowId : nil
    }
}
