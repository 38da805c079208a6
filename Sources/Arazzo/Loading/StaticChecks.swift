import ArazzoDiagnostics
import ArazzoOpenAPI
import ArazzoJSON
import ArazzoJSONSchema
import ArazzoModel
import ArazzoYAML

/// Checks that catch, before a run, what would otherwise only fail during one: input schemas the
/// schema compiler rejects, object payloads under XML content types, path template variables with
/// no value, and workflows that always call themselves again.
enum StaticChecks {
    // MARK: - inputs-schema

    /// Compiles every workflow's `inputs` schema as the engine will (Plan), so a schema that is
    /// not JSON Schema (`required: true`, `type: strin`) is reported where it is written.
    static func inputSchemas(of unit: ArazzoUnit) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let root = unit.document.root.jsonValue
        for workflow in unit.document.workflows {
            guard let inputs = workflow.inputs else { continue }
            do {
                _ = try JSONSchema(inputs.value, resolveRef: JSONSchema.fragmentResolver(in: root))
            } catch {
                out.append(.error(
                    "workflow '\(workflow.workflowId)': the inputs schema is not a valid JSON Schema: \(error.message)",
                    at: node(atSchemaPath: error.schemaPath, in: inputs.node).location, code: "inputs-schema"))
            }
        }
        return out
    }

    /// The node a schema path (`#/properties/age/minimum`) names inside `root`; as deep as the path
    /// leads (a path through a `$ref` stops at the last node that exists).
    static func node(atSchemaPath schemaPath: String, in root: YAMLNode) -> YAMLNode {
        guard schemaPath.hasPrefix("#"),
              let pointer = try? JSONPointer(parsing: percentDecoded(String(schemaPath.dropFirst())))
        else { return root }
        return root.deepestNode(along: pointer)
    }

    // MARK: - xml-payload-mapping

    /// An object or array payload sent as XML: the engine has no mapping from JSON to XML (A20),
    /// so the run would fail building the request.
    static func xmlPayload(_ body: RequestBody, operation: OpenAPIOperation) -> Diagnostic? {
        guard let payload = body.payload else { return nil }
        // A whole payload that is a Selector Object (1.1) is what it selects, maybe XML text.
        if body.payloadSelectors.contains(where: { $0.path.isEmpty }) { return nil }
        switch payload.value {
        case .object, .array: break
        default: return nil
        }
        let contentType: String
        if let given = body.contentType {
            contentType = given
        } else {
            // The content type the request builder picks: the first JSON media type, else the first.
            let declared = operation.requestBody?.content.map(\.mediaType) ?? []
            guard let chosen = declared.first(where: { RequestBodyEncoder.kind(of: $0) == .json }) ?? declared.first else { return nil }
            contentType = chosen
        }
        guard RequestBodyEncoder.kind(of: contentType) == .xml else { return nil }
        let declaredCount = operation.requestBody?.content.count ?? 0
        let source = body.contentType != nil ? "the step's contentType"
            : declaredCount == 1 ? "the only media type operation \(operation.label) declares"
            : "the first media type operation \(operation.label) declares"
        let shape = if case .array = payload.value { "an array" } else { "an object" }
        return .error(
            "the payload is \(shape), but the body is sent as \(contentType) (\(source)), and JSON objects and arrays have no XML mapping; write the payload as XML text (a string with {$…} placeholders)",
            at: payload.node.location, code: "xml-payload-mapping",
            notes: body.contentType == nil ? ["or set requestBody.contentType to a JSON media type the operation accepts"] : [])
    }

    // MARK: - missing-parameter (path template)

    /// The `{name}` variables of a path template, in order, each once.
    static func templateVariables(_ path: String) -> [String] {
        var names: [String] = []
        var rest = Substring(path)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            let name = String(after[..<close])
            if !name.isEmpty, !names.contains(name) { names.append(name) }
            rest = after[after.index(after: close)...]
        }
        return names
    }

    // MARK: - workflow-recursion

    /// Steps that call a workflow which always leads back to the caller: every step on the way runs
    /// unconditionally (no earlier step of its workflow has a success action that could branch),
    /// so the run can only stop at the nesting limit. Recursion behind a criterion or a `goto` is
    /// a loop the document controls (A27) and is not reported.
    static func recursion(in loaded: LoadedDocument) -> [Diagnostic] {
        struct Edge {
            let to: WorkflowKey
            let location: SourceLocation
        }
        var edges: [WorkflowKey: [Edge]] = [:]
        for unit in loaded.units.values where !unit.sourcesSkipped || unit.url == loaded.url {
            let resolver = OperationResolver(loaded: loaded, unit: unit)
            for workflow in unit.document.workflows {
                let key = WorkflowKey(unitURL: unit.url, workflowId: workflow.workflowId)
                // Only step calls: a dependsOn that reaches a workflow already running fails at
                // once ("dependsOn cycle") instead of nesting, so it cannot recurse.
                var out: [Edge] = []
                let workflowBranches = !workflow.successActions.isEmpty
                for step in workflow.steps {
                    if case .workflowId(let e) = step.target,
                       case .success(.workflow(let target)) = resolver.resolveWorkflow(e.text) {
                        out.append(Edge(to: target, location: e.location))
                    }
                    // Any success action (end, goto, with or without criteria) may keep the
                    // following steps from running, as may workflow-level ones.
                    if workflowBranches || !step.onSuccess.isEmpty { break }
                }
                edges[key] = out
            }
        }
        var out: [Diagnostic] = []
        for (from, list) in edges.sorted(by: { ($0.key.unitURL, $0.key.workflowId) < ($1.key.unitURL, $1.key.workflowId) }) {
            for edge in list {
                // Is `from` reachable again from the called workflow?
                guard let path = path(from: edge.to, to: from, edges: edges.mapValues { $0.map(\.to) }) else { continue }
                let cycle = ([from] + path).map { key in
                    key.unitURL == from.unitURL ? key.workflowId : "\(key.workflowId) (\(loaded.units[key.unitURL]?.displayName ?? key.unitURL))"
                }
                out.append(.error(
                    "workflow '\(from.workflowId)' always calls itself again (\(cycle.joined(separator: " → "))), so the run can only stop at the nesting limit; put the call behind a criterion or a goto",
                    at: edge.location, code: "workflow-recursion"))
            }
        }
        return out
    }

    /// The shortest path of workflows from `start` to `goal` (both included), or nil.
    static func path(from start: WorkflowKey, to goal: WorkflowKey, edges: [WorkflowKey: [WorkflowKey]]) -> [WorkflowKey]? {
        var previous: [WorkflowKey: WorkflowKey] = [:]
        var seen: Set<WorkflowKey> = [start]
        var queue = [start]
        var index = 0
        while index < queue.count {
            let current = queue[index]
            index += 1
            if current == goal {
                var path = [current]
                var cursor = current
                while let before = previous[cursor] {
                    path.append(before)
                    cursor = before
                }
                return path.reversed()
            }
            for next in edges[current] ?? [] where seen.insert(next).inserted {
                previous[next] = current
                queue.append(next)
            }
        }
        return nil
    }
}
