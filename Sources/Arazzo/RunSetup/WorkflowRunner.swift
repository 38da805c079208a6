public import OrderedCollections
public import ArazzoJSON
public import ArazzoDiagnostics
import ArazzoModel
import ArazzoYAML
import ArazzoJSONSchema

/// A document set up to run the way `arazzo-run run` runs it: loaded, fully checked, with
/// options, credentials (given as values or taken from `ARAZZO_AUTH_*` variables) and inputs
/// typed by each workflow's schema. The CLI, an MCP server and any embedder share it.
///
/// ```swift
/// var runner = try await WorkflowRunner.load(path: "flows/login.arazzo.yaml", options: RunOptions(executor: http))
/// try runner.useCredentials(environment: ProcessInfo.processInfo.environment)
/// let result = try await runner.run(workflowId: "login", given: InputValues(text: ["user": "ada"]))
/// ```
///
/// Errors that reach a workflow (its steps, the workflows it calls or depends on, the
/// components they use) refuse it; the others run (``refusals(among:)``).
public struct WorkflowRunner: Sendable {
    /// The loaded document.
    public let document: LoadedDocument
    /// The full check of the document (``LoadedDocument/validate(policy:)``): its errors refuse
    /// the workflows they reach, its warnings are for people.
    public let diagnostics: Diagnostics
    /// The compiled document with the current options.
    public private(set) var engine: WorkflowEngine

    /// How workflows run. Setting it keeps the compiled document (only the options change).
    public var options: RunOptions {
        get { engine.options }
        set { engine = engine.with(options: newValue) }
    }

    /// Sets up `document`, checked with `policy`.
    public init(document: LoadedDocument, options: RunOptions, policy: SeverityPolicy = .standard) {
        self.init(document: document, options: options, diagnostics: document.validate(policy: policy))
    }

    /// Sets up `document` with the check already made (`diagnostics`, usually
    /// ``LoadedDocument/validate(policy:)``).
    public init(document: LoadedDocument, options: RunOptions, diagnostics: Diagnostics) {
        self.document = document
        self.diagnostics = diagnostics
        self.engine = WorkflowEngine(document: document, options: options)
    }

    // MARK: - Loading

    /// Loads the document at `path` (a file path, a `file:` URL, or an http(s) URL, which needs a
    /// loader with a fetcher) with `loader` (its ``LoadLimits/files`` rules apply) and checks it with `policy`. Throws only when the
    /// entry document cannot be read or parsed; a document with errors loads, and its errors
    /// refuse the workflows they reach.
    public static func load(
        path: String, options: RunOptions, loader: ArazzoLoader = ArazzoLoader(), policy: SeverityPolicy = .standard
    ) async throws(LoadFailure) -> WorkflowRunner {
        WorkflowRunner(document: try await loader.load(path: path), options: options, policy: policy)
    }

    /// Loads a document given as text; `baseURL` (an absolute path or URL) resolves its relative
    /// source URLs and names it in diagnostics (``ArazzoLoader/load(text:baseURL:)``).
    public static func load(
        text: String, baseURL: String, options: RunOptions, loader: ArazzoLoader = ArazzoLoader(),
        policy: SeverityPolicy = .standard
    ) async throws(LoadFailure) -> WorkflowRunner {
        WorkflowRunner(document: try await loader.load(text: text, baseURL: baseURL), options: options, policy: policy)
    }

    // MARK: - Credentials

    /// Binds the credentials of `specs` (`TARGET=KIND:VALUE`) and of the `ARAZZO_AUTH_*`
    /// variables of `environment`, replacing the options' credentials; a spec wins over the
    /// environment for the same target (``CredentialSpecs``).
    public mutating func useCredentials(_ specs: [String] = [], environment: [String: String] = [:]) throws(CredentialSpecError) {
        options.credentials = try CredentialSpecs(for: document).parse(specs, environment: environment)
    }

    // MARK: - Workflows and inputs

    /// `workflowIds` checked against the document, or every workflow in dependency order
    /// (``LoadedDocument/runOrder``) when empty. Throws for the first unknown id.
    public func selection(_ workflowIds: [String] = []) throws(RunFailure) -> [String] {
        guard !workflowIds.isEmpty else { return document.runOrder }
        for id in workflowIds where document.document.workflow(id) == nil {
            throw document.unknownWorkflow(id)
        }
        return workflowIds
    }

    /// The errors that refuse each of `workflowIds`, for those an error reaches.
    public func refusals(among workflowIds: [String]) -> [String: [Diagnostic]] {
        guard diagnostics.hasErrors else { return [:] }
        var refused: [String: [Diagnostic]] = [:]
        for id in workflowIds {
            let blocking = document.errors(blocking: id, in: diagnostics)
            if !blocking.isEmpty { refused[id] = blocking }
        }
        return refused
    }

    /// The top-level inputs workflow `workflowId` declares, in schema order (empty for an
    /// unknown workflow or one without an `inputs` schema).
    public func inputDescriptions(of workflowId: String) -> [InputDescription] {
        document.inputDescriptions(of: workflowId)
    }

    /// The required inputs of `workflowId` that `given` lacks.
    public func missingInputs(_ given: InputValues, for workflowId: String) -> [String] {
        guard let workflow = document.document.workflow(workflowId) else { return [] }
        return InputSchemaView(workflow: workflow, in: document.document).required.filter { !given.contains($0) }
    }

    /// `given` typed by the schema of `workflowId` (text coerced, decision I1), with a line for
    /// each typed string whose type was changed to fit.
    public func inputs(_ given: InputValues, for workflowId: String) -> (inputs: JSONObject, converted: [String]) {
        var converted: [String] = []
        let values = given.values(typing: InputTyping(workflowId: workflowId, in: document), converted: &converted)
        return (values, converted)
    }

    // MARK: - Running

    /// Runs one workflow (its `dependsOn` closure first) with inputs already typed. Run-time
    /// failures are in the result; an unknown workflow, an error that reaches it, or inputs that
    /// violate its schema throw.
    public func run(
        workflowId: String, inputs: JSONValue = .object([:]), events: (@Sendable (RunEvent) -> Void)? = nil
    ) async throws(RunFailure) -> RunResult {
        try await engine.startRun(diagnostics: diagnostics).run(workflowId: workflowId, inputs: inputs, events: events)
    }

    /// Runs one workflow with `given` typed by its schema.
    public func run(
        workflowId: String, given: InputValues, events: (@Sendable (RunEvent) -> Void)? = nil
    ) async throws(RunFailure) -> RunResult {
        try await run(workflowId: workflowId, inputs: .object(inputs(given, for: workflowId).inputs), events: events)
    }

    /// Runs `workflowIds` (default: every workflow, in dependency order) as one run (decision
    /// A18): each at most once, later ones reading the values of earlier ones. Every entry gets
    /// `inputs`, except that a workflow whose schema is closed (`additionalProperties: false`)
    /// gets only the names it declares. A workflow an error reaches is refused and the others run.
    public func runAll(
        _ workflowIds: [String]? = nil, inputs: JSONValue = .object([:]),
        progress: (@Sendable (RunProgress) -> Void)? = nil
    ) async -> [RunEntry] {
        await runAll(workflowIds, progress: progress) { _ in inputs }
    }

    /// Runs `workflowIds` as one run, as ``runAll(_:inputs:progress:)`` does, each entry getting
    /// `given` typed by its own schema.
    public func runAll(
        _ workflowIds: [String]? = nil, given: InputValues, progress: (@Sendable (RunProgress) -> Void)? = nil
    ) async -> [RunEntry] {
        await runAll(workflowIds, progress: progress) { id in .object(inputs(given, for: id).inputs) }
    }

    private func runAll(
        _ workflowIds: [String]?, progress: (@Sendable (RunProgress) -> Void)?, entryInputs: (String) -> JSONValue
    ) async -> [RunEntry] {
        let ids = workflowIds ?? document.runOrder
        return await engine.startRun(diagnostics: diagnostics)
            .runEntries(ids, refused: refusals(among: ids), progress: progress, entryInputs: entryInputs)
    }
}

/// Progress of ``WorkflowRunner/runAll(_:inputs:progress:)``, entry by entry.
public enum RunProgress: Sendable {
    /// An entry workflow is about to run (not sent for one that is refused by errors or already
    /// ran).
    case starting(workflowId: String)
    /// Something happened inside the run of the current entry.
    case event(RunEvent)
    /// An entry is done: it ran, had already run, or was refused.
    case finished(RunEntry)
}

extension LoadedDocument {
    /// The top-level inputs workflow `workflowId` declares, in schema order (empty for an
    /// unknown workflow or one without an `inputs` schema).
    public func inputDescriptions(of workflowId: String) -> [InputDescription] {
        guard let workflow = document.workflow(workflowId) else { return [] }
        return InputSchemaView(workflow: workflow, in: document).descriptions
    }
}

/// The top-level view of a workflow's `inputs` schema, as written: properties, `required`,
/// with `$ref`s into the document followed by the one follower
/// (``JSONSchema/followingLocalReferences(_:in:)``), for the schema and for each property.
struct InputSchemaView {
    let schema: JSONObject?
    /// The document the references point into.
    private let root: JSONValue

    init(workflow: Workflow, in document: ArazzoSpecification) {
        root = document.root.jsonValue
        guard let inputs = workflow.inputs?.value,
              case .object(let schema)? = JSONSchema.followingLocalReferences(inputs, in: root)
        else {
            self.schema = nil
            return
        }
        self.schema = schema
    }

    /// Names listed in the schema's top-level `required`.
    var required: [String] {
        guard case .array(let items)? = schema?["required"] else { return [] }
        return items.compactMap(\.stringValue)
    }

    /// The top-level properties, described.
    var descriptions: [InputDescription] {
        guard case .object(let properties)? = schema?["properties"] else { return [] }
        let required = Set(self.required)
        return properties.map { name, written in
            // A reference that names nothing keeps its last segment as the type people read.
            let value = JSONSchema.followingLocalReferences(written, in: root) ?? written
            var type = "any"
            if case .string(let t)? = value["type"] { type = t }
            if case .array(let ts)? = value["type"] { type = ts.compactMap(\.stringValue).joined(separator: "|") }
            if case .string(let ref)? = value["$ref"] { type = ref.split(separator: "/").last.map(String.init) ?? ref }
            return InputDescription(
                name: name, type: type, required: required.contains(name), description: value["description"]?.stringValue,
                secret: value["format"]?.stringValue == "password", schema: value)
        }
    }
}
