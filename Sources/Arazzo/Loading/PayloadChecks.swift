import ArazzoDiagnostics
import ArazzoOpenAPI
import ArazzoExpressions
import ArazzoJSON
import ArazzoJSONSchema
import ArazzoModel
import ArazzoYAML
import OrderedCollections

/// Checks of values that are sent as text, where what is written and what is meant evidently
/// differ (issue 12): an object or array input between quotes in a JSON payload template, and an
/// expression written after other text without the braces that embed it.
enum PayloadChecks {
    // MARK: - unbraced-expression

    /// Parameter values (of steps, workflows and components) whose text holds a runtime
    /// expression after other text without `{}`: `Bearer $steps.login.outputs.token`. Arazzo §4.7
    /// embeds expressions only between braces, and where a bare expression inside text would end
    /// is not defined (a name may hold any character, A1), so the run sends the text as written;
    /// the warning offers the braces.
    static func unbracedExpressions(in unit: ArazzoUnit, locator: ScalarLocator) -> [Diagnostic] {
        var values: [LocatedValue] = []
        func collect(_ entries: [OrReusable<Parameter>]) {
            for entry in entries {
                if let parameter = entry.object { values.append(parameter.value) }
                if let value = entry.reusable?.value { values.append(value) }
            }
        }
        if let components = unit.document.components {
            values.append(contentsOf: components.parameters.values.map(\.value))
        }
        for workflow in unit.document.workflows {
            collect(workflow.parameters)
            for step in workflow.steps { collect(step.parameters) }
        }
        var out: [Diagnostic] = []
        for value in values {
            guard case .string(let text) = value.value else { continue }
            let found = ExpressionTemplate.unbracedExpressions(in: text)
            guard !found.isEmpty else { continue }
            // One text for every finding of the string, so fixing any of them fixes all.
            let fixed = ExpressionTemplate.bracing(found, in: text)
            for item in found {
                let issue = ExpressionIssue(
                    .warning,
                    "`\(item.expression.text)` follows other text without the braces that embed an expression (Arazzo §4.7), so it is sent as literal text; write `\(fixed)` to send its value",
                    offset: item.offset, code: "unbraced-expression",
                    fix: ExpressionFix("write `\(fixed)`", text: fixed))
                out.append(locator.diagnostic(issue, in: text, at: value.node.location))
            }
        }
        return out
    }

    // MARK: - quoted-structured-placeholder

    /// Placeholders of a JSON payload template written between quotes (`"{$inputs.customer}"`)
    /// whose input the workflow's inputs schema types as an object or an array: rendered as text,
    /// the quotes would make the payload invalid JSON, so the run embeds the value as JSON
    /// (``ExpressionTemplate/renderJSON(in:)``) and the fix-it drops the two quotes.
    ///
    /// - Parameters:
    ///   - inputSchema: the workflow's inputs schema (its own top-level `$ref` followed).
    ///   - root: the Arazzo document, for `$ref`s inside the schema.
    ///   - version: the document's expression grammar (decision E1).
    static func quotedStructuredPlaceholders(
        _ body: RequestBody, operation: OpenAPIOperation, inputSchema: JSONValue?, root: JSONValue, locator: ScalarLocator,
        version: ExpressionVersion
    ) -> [Diagnostic] {
        guard let payload = body.payload, case .string(let text) = payload.value, let inputSchema,
              ExpressionTemplate.containsEmbeddedExpression(text),
              let template = try? ExpressionTemplate(parsing: text, version: version)
        else { return [] }
        let contentType: String
        if let given = body.contentType {
            contentType = given
        } else {
            // What the request builder picks for a string payload: the first JSON media type the
            // operation declares, else its first one.
            let declared = operation.requestBody?.content.map(\.mediaType) ?? []
            guard let chosen = declared.first(where: { RequestBodyEncoder.kind(of: $0) == .json }) ?? declared.first else { return [] }
            contentType = chosen
        }
        guard RequestBodyEncoder.kind(of: contentType) == .json else { return [] }
        let scalar = payload.node.location
        var out: [Diagnostic] = []
        for placeholder in template.quotedPlaceholders {
            guard case .inputs(let name) = placeholder.expression.source,
                  let property = inputSchema["properties"]?[name],
                  case let candidates = Self.schemas(property, along: (placeholder.expression.pointer?.tokens ?? [])[...], root: root),
                  !candidates.isEmpty
            else { continue }
            // Every schema the value may have to satisfy must make it an object or an array.
            let shapes = candidates.map { Self.structuredShape($0, root: root, depth: 0) }
            guard shapes.allSatisfy({ $0 != nil }) else { continue }
            let distinct = Set(shapes.compactMap { $0 })
            let shape = distinct.count == 1 ? distinct.first ?? "an object or an array" : "an object or an array"
            let written = "\"{\(placeholder.expression.text)}\""
            let opening = locator.locate(offset: placeholder.openingQuote, in: text, scalarAt: scalar)
            let closing = locator.locate(offset: placeholder.closingQuote, in: text, scalarAt: scalar)
            var fixIts: [FixIt] = []
            if let open = quoteRange(at: opening, locator: locator), let close = quoteRange(at: closing, locator: locator) {
                fixIts.append(FixIt(
                    "drop the quotes around {\(placeholder.expression.text)}",
                    edits: [TextEdit(range: open, replacement: ""), TextEdit(range: close, replacement: "")]))
            }
            var range: SourceRange?
            if opening.line == closing.line, let close = quoteRange(at: closing, locator: locator) {
                range = SourceRange(from: opening, to: close.end)
            }
            let what = placeholder.expression.pointer.map { _ in "`\(placeholder.expression.text)`" } ?? "input `\(name)`"
            out.append(Diagnostic(
                .warning,
                "\(written): \(what) is \(shape) (its inputs schema says so), and \(shape) between quotes is not JSON; it is embedded as JSON, without the quotes",
                at: opening, code: "quoted-structured-placeholder", range: range, fixIts: fixIts))
        }
        return out
    }

    /// The range of the quote character written at `location`: one column for `"`, two for `\"`
    /// in a double-quoted YAML scalar; nil when the source shows something else there.
    static func quoteRange(at location: SourceLocation, locator: ScalarLocator) -> SourceRange? {
        guard let lines = locator.lines[location.file], location.line >= 1, location.line <= lines.count else { return nil }
        let line = Array(lines[location.line - 1].unicodeScalars)
        guard location.column >= 1, location.column <= line.count else { return nil }
        switch line[location.column - 1] {
        case "\"":
            return SourceRange(from: location, to: SourcePosition(line: location.line, column: location.column + 1))
        case "\\" where location.column < line.count && line[location.column] == "\"":
            return SourceRange(from: location, to: SourcePosition(line: location.line, column: location.column + 2))
        default:
            return nil
        }
    }

    /// The schemas the value a JSON pointer reaches inside a value of `schema` may have to
    /// satisfy (through `properties` and `items`, into every `oneOf`/`anyOf`/`allOf` branch that
    /// names the member); empty when the schema does not say.
    static func schemas(_ schema: JSONValue, along tokens: ArraySlice<String>, root: JSONValue, depth: Int = 0) -> [JSONValue] {
        guard let token = tokens.first else { return [schema] }
        guard depth < 32, let resolved = JSONSchema.followingLocalReferences(schema, in: root) else { return [] }
        if let property = resolved["properties"]?[token] {
            return schemas(property, along: tokens.dropFirst(), root: root, depth: depth + 1)
        }
        if let items = resolved["items"], case .object = items, Int(token) != nil {
            return schemas(items, along: tokens.dropFirst(), root: root, depth: depth + 1)
        }
        var out: [JSONValue] = []
        for keyword in ["oneOf", "anyOf", "allOf"] {
            guard case .array(let branches)? = resolved[keyword] else { continue }
            for branch in branches { out += schemas(branch, along: tokens, root: root, depth: depth + 1) }
        }
        return out
    }

    /// "an object", "an array" or "an object or an array" when every value the schema allows is
    /// one of those (`type`, or all branches of `oneOf`/`anyOf`, or any branch of `allOf`); nil
    /// when it allows anything else or does not say.
    static func structuredShape(_ schema: JSONValue, root: JSONValue, depth: Int) -> String? {
        guard depth < 16, let schema = JSONSchema.followingLocalReferences(schema, in: root) else { return nil }
        var types: Set<String> = []
        switch schema["type"] {
        case .string(let type)?:
            types = [type]
        case .array(let list)?:
            types = Set(list.compactMap(\.stringValue))
        default:
            if case .array(let branches)? = schema["oneOf"] ?? schema["anyOf"], !branches.isEmpty {
                let shapes = branches.map { structuredShape($0, root: root, depth: depth + 1) }
                guard shapes.allSatisfy({ $0 != nil }) else { return nil }
                let distinct = Set(shapes.compactMap { $0 })
                return distinct.count == 1 ? distinct.first : "an object or an array"
            }
            if case .array(let branches)? = schema["allOf"] {
                return branches.lazy.compactMap { structuredShape($0, root: root, depth: depth + 1) }.first
            }
            return nil
        }
        guard !types.isEmpty, types.isSubset(of: ["object", "array"]) else { return nil }
        return types.count == 2 ? "an object or an array" : types.contains("object") ? "an object" : "an array"
    }
}
