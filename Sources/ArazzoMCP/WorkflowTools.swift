public import Arazzo
public import ArazzoJSON
import ArazzoJSONSchema
import ArazzoModel
import ArazzoDiagnostics
import ArazzoYAML
import Foundation

/// One workflow offered as an MCP tool: its name, what an agent reads about it, and the schemas
/// of its arguments and result (decision MCP1 in docs/decisions.md).
public struct WorkflowTool: Sendable, Hashable {
    /// The tool name: the workflowId made to fit `[A-Za-z0-9_-]{1,64}`, made unique across the
    /// served documents (``WorkflowToolCatalog``).
    public var name: String
    /// The workflow it runs.
    public var workflowId: String
    /// Which served document holds the workflow (an index into ``WorkflowToolCatalog/documents``).
    public var document: Int
    /// The workflow's `summary`, for display.
    public var title: String?
    /// The workflow's `summary` and `description`, or a sentence naming the workflow and its file.
    public var description: String
    /// The workflow's `inputs` schema with the document's `$ref`s inlined and secret inputs marked
    /// `x-arazzo-secret`; always an object schema.
    public var inputSchema: JSONValue
    /// An object schema whose properties are the workflow's output names.
    public var outputSchema: JSONValue
}

/// What a tool call answers: a short text for people, the workflow's outputs for programs, and
/// whether it failed. Everything in it comes from the engine's redacted result (decision R1).
public struct ToolAnswer: Sendable, Hashable {
    /// The summary line (what the server logs), then the outputs as JSON, or the failure and its
    /// reason.
    public var text: String
    /// The workflow's outputs, when it succeeded.
    public var outputs: JSONObject?
    /// Whether the run failed or never started (invalid inputs).
    public var isError: Bool

    /// Creates an answer.
    public init(text: String, outputs: JSONObject?, isError: Bool) {
        self.text = text
        self.outputs = outputs
        self.isError = isError
    }
}

/// The workflows of one or more documents as MCP tools, and the calls that run them. Each
/// document is set up as `arazzo-run run` sets it up (``WorkflowRunner``: options, credentials
/// from the server process); a call types its arguments like an `--inputs` file (decision I1)
/// and runs one workflow.
public struct WorkflowToolCatalog: Sendable {
    /// One served document: how people name it, and its run setup.
    public struct Document: Sendable {
        /// The path as given on the command line (used in notes and descriptions).
        public var label: String
        /// The run setup.
        public var runner: WorkflowRunner

        /// A served document.
        public init(label: String, runner: WorkflowRunner) {
            self.label = label
            self.runner = runner
        }
    }

    /// The served documents, in the order given.
    public let documents: [Document]
    /// Every tool, documents in order and workflows in document order.
    public let tools: [WorkflowTool]
    /// Lines for people: renamed tools and workflows left out (an error reaches them).
    public let notes: [String]
    private let byName: [String: Int]

    /// The longest tool name: what the strictest hosts accept (MCP itself allows 128).
    public static let maximumNameLength = 64

    /// The tools of `documents`. A workflow an error of its document reaches is not offered (a
    /// note says so); two workflows whose names collide keep the first, and the later get `_2`,
    /// `_3`… (a note says so).
    public init(documents: [Document]) {
        self.documents = documents
        var tools: [WorkflowTool] = []
        var notes: [String] = []
        var taken: [String: String] = [:]  // tool name → the label of the document that has it
        for (index, served) in documents.enumerated() {
            let runner = served.runner
            let refused = runner.refusals(among: runner.document.workflowIds)
            for workflow in runner.document.document.workflows {
                let id = workflow.workflowId
                if let blocking = refused[id] {
                    notes.append("workflow '\(id)' of \(served.label) is not offered: \(blocking.count == 1 ? "1 error reaches" : "\(blocking.count) errors reach") it (arazzo-run validate \(served.label) shows \(blocking.count == 1 ? "it" : "them"))")
                    continue
                }
                let base = Self.toolName(for: id)
                var name = base
                var n = 2
                while taken[name] != nil {
                    let suffix = "_\(n)"
                    name = String(base.prefix(Self.maximumNameLength - suffix.count)) + suffix
                    n += 1
                }
                if name != id {
                    let why = taken[base].map { "'\(base)' is taken by a workflow of \($0)" }
                        ?? "tool names allow only A-Z, a-z, 0-9, _ and -, at most \(Self.maximumNameLength) characters"
                    notes.append("workflow '\(id)' of \(served.label) is the tool '\(name)' (\(why))")
                }
                taken[name] = served.label
                tools.append(Self.tool(workflow, named: name, document: index, label: served.label, in: runner))
            }
        }
        self.tools = tools
        self.notes = notes
        byName = Dictionary(tools.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The tool called `name`.
    public func tool(named name: String) -> WorkflowTool? {
        byName[name].map { tools[$0] }
    }

    /// `workflowId` as a tool name: every character outside `[A-Za-z0-9_-]` becomes `_`, and the
    /// name is cut to ``maximumNameLength`` characters (`workflow` for an empty id).
    public static func toolName(for workflowId: String) -> String {
        let allowed = workflowId.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "-": Character(scalar)
            default: "_"
            }
        }
        let name = String(allowed.prefix(maximumNameLength))
        return name.isEmpty ? "workflow" : name
    }

    // MARK: - Calls

    /// Runs the workflow of `tool` with `arguments` (typed by its schema as an `--inputs` file's
    /// values are). A run that fails, and arguments its schema refuses, are answers with
    /// `isError`; nothing throws.
    public func call(_ tool: WorkflowTool, arguments: JSONObject) async -> ToolAnswer {
        let runner = documents[tool.document].runner
        let result: RunResult
        do {
            result = try await runner.run(workflowId: tool.workflowId, given: InputValues(arguments))
        } catch {
            // Arguments the inputs schema refuses (`input-*` codes, at their instance path), or a
            // document that cannot run at all (its sources are unavailable).
            let lines = error.diagnostics.map(\.description)
            let why = error.diagnostics.allSatisfy({ $0.code?.hasPrefix("input-") == true })
                ? "its arguments do not fit its inputs schema" : "the document cannot run"
            return ToolAnswer(text: "\(tool.workflowId) did not run: \(why)\n" + lines.joined(separator: "\n"), outputs: nil, isError: true)
        }
        let elapsed = Self.milliseconds(result.duration)
        let steps = result.steps.count == 1 ? "1 step" : "\(result.steps.count) steps"
        switch result.outcome {
        case .succeeded:
            let outputs = JSONValue.object(result.outputs).jsonText()
            return ToolAnswer(
                text: "\(tool.workflowId) succeeded in \(elapsed) (\(steps))\noutputs: \(outputs)",
                outputs: result.outputs, isError: false)
        case .failed(let reason):
            let at = reason.stepId.map { " at step \($0)" } ?? ""
            return ToolAnswer(
                text: "\(tool.workflowId) failed\(at) after \(elapsed) (\(steps)): \(reason.message) [\(reason.kind)]",
                outputs: nil, isError: true)
        }
    }

    private static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return String(format: "%.1f ms", ms)
    }

    // MARK: - Schemas

    private static func tool(_ workflow: Workflow, named name: String, document: Int, label: String, in runner: WorkflowRunner) -> WorkflowTool {
        let root = runner.document.document.root.jsonValue
        let written = [workflow.summary, workflow.description].compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
        let description = written.isEmpty ? "Runs the Arazzo workflow '\(workflow.workflowId)' of \(label)." : written.joined(separator: "\n\n")
        var input: JSONObject = [:]
        if let inputs = workflow.inputs?.value, case .object(let schema) = inline(inputs, in: root, visiting: []) {
            input = schema
        }
        if input["type"] == nil { input["type"] = "object" }
        if input["properties"] == nil, input["type"] == "object" { input["properties"] = .object([:]) }
        if case .object(var properties)? = input["properties"] {
            for (key, property) in properties {
                guard case .object(var schema) = property, schema["format"] == "password" else { continue }
                schema["x-arazzo-secret"] = true
                let note = "Secret: redacted from every result."
                schema["description"] = .string(schema["description"]?.stringValue.map { "\($0) (\(note))" } ?? note)
                properties[key] = .object(schema)
            }
            input["properties"] = .object(properties)
        }
        var outputProperties: JSONObject = [:]
        for output in workflow.outputs.keys { outputProperties[output] = .object([:]) }
        let output: JSONValue = .object(["type": "object", "properties": .object(outputProperties)])
        return WorkflowTool(
            name: name, workflowId: workflow.workflowId, document: document, title: workflow.summary,
            description: description, inputSchema: .object(input), outputSchema: output)
    }

    /// Keywords whose values are instances, not schemas.
    private static let valueKeywords: Set<String> = ["const", "enum", "default", "examples", "example"]
    /// Keywords whose values map names to schemas.
    private static let schemaMapKeywords: Set<String> = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]

    /// `schema` with every `$ref` into the document replaced by what it names (members beside a
    /// `$ref` win over the target's), so that a tool's schema stands alone. A reference back into
    /// a schema being inlined (recursion), out of the document, or to nothing becomes `{}` (any
    /// value): the engine still checks the real schema when the workflow runs.
    public static func inline(_ schema: JSONValue, in root: JSONValue, visiting: Set<String> = [], depth: Int = 0) -> JSONValue {
        guard depth < 64 else { return .object([:]) }
        switch schema {
        case .object(let members):
            if case .string(let reference)? = members["$ref"] {
                guard reference.hasPrefix("#"), !visiting.contains(reference),
                      let target = JSONSchema.followingLocalReferences(.object(["$ref": .string(reference)]), in: root)
                else { return .object(members.filter { $0.key != "$ref" }) }
                var merged: JSONObject = [:]
                if case .object(let resolved) = inline(target, in: root, visiting: visiting.union([reference]), depth: depth + 1) {
                    merged = resolved
                }
                for (key, value) in members where key != "$ref" {
                    merged[key] = inline(value, in: root, visiting: visiting, depth: depth + 1)
                }
                return .object(merged)
            }
            var copy: JSONObject = [:]
            for (key, value) in members {
                if valueKeywords.contains(key) || key.hasPrefix("x-") {
                    // Values, not schemas; `$ref`s inside extensions are not followed (F1).
                    copy[key] = value
                } else if schemaMapKeywords.contains(key), case .object(let schemas) = value {
                    // Names to schemas: a property called `default` is still a schema.
                    copy[key] = .object(schemas.mapValues { inline($0, in: root, visiting: visiting, depth: depth + 1) })
                } else {
                    copy[key] = inline(value, in: root, visiting: visiting, depth: depth + 1)
                }
            }
            return .object(copy)
        case .array(let items):
            return .array(items.map { inline($0, in: root, visiting: visiting, depth: depth + 1) })
        default:
            return schema
        }
    }
}
