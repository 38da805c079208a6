public import ArazzoJSON
import ArazzoJSONSchema
import Foundation
import ArazzoYAML

/// Gives workflow inputs that arrive as text (a command line, environment variables, a form) the
/// types the workflow's `inputs` schema declares, so `123456` is the string a `type: string`
/// input expects and `true` the boolean a `type: boolean` one does (docs/decisions.md I1).
///
/// The schema decides per top-level input, following `$ref` (into `#/components/inputs/…`,
/// `$defs`) and `allOf`/`anyOf`/`oneOf`. Without a declared type — no schema, no `type`, or a
/// union the inferred value already fits — text is read as JSON when it parses, else as a string.
public struct InputTyping: Sendable {
    private let schema: JSONSchema?

    /// The typing of workflow `workflowId` of the entry document; inference only when it has no
    /// usable `inputs` schema (the run reports an unusable one).
    public init(workflowId: String, in document: LoadedDocument) {
        guard let inputs = document.document.workflow(workflowId)?.inputs?.value else {
            schema = nil
            return
        }
        schema = try? JSONSchema(inputs, resolveRef: JSONSchema.fragmentResolver(in: document.document.root.jsonValue))
    }

    /// The JSON type names the schema allows for input `name`, or nil when it declares none.
    public func allowedTypes(of name: String) -> Set<String>? {
        schema?.declaredTypes(at: [.key(name)])
    }

    /// Whether input `name` is a secret (`format: password`): its value must not be shown.
    public func isSecret(_ name: String) -> Bool {
        schema?.isSecret([.key(name)]) ?? false
    }

    /// The value of input `name` given as `text`: the inferred value when the schema allows its
    /// type (or declares none), else the text as a string when the schema allows a string, else
    /// the inferred value (which the run then reports as a violation).
    public func value(fromText text: String, for name: String) -> JSONValue {
        let inferred = Self.inferred(text)
        guard let allowed = allowedTypes(of: name), !Self.admits(allowed, inferred) else { return inferred }
        return allowed.contains("string") ? .string(text) : inferred
    }

    /// A value from a typed source (a JSON or YAML file) for input `name`. It keeps its type,
    /// except a string that is exactly a number or boolean literal where the schema allows that
    /// type and no string: it becomes that number or boolean, and `converted` says so (one line
    /// naming the input; the value itself only when the input is not a secret).
    public func value(fromTyped value: JSONValue, for name: String) -> (value: JSONValue, converted: String?) {
        guard case .string(let text) = value, let allowed = allowedTypes(of: name), !allowed.contains("string"),
              text.first.map({ !$0.isWhitespace }) ?? false, text.last.map({ !$0.isWhitespace }) ?? false,
              let parsed = try? JSONValue(parsing: text), Self.admits(allowed, parsed)
        else { return (value, nil) }
        switch parsed {
        case .int, .double, .bool: break
        default: return (value, nil)
        }
        let wanted = allowed.sorted().joined(separator: " or ")
        let shown = isSecret(name)
            ? "input '\(name)' is a string where the schema asks for \(wanted); it is used as \(parsed.typeName == "boolean" ? "a boolean" : "a number")"
            : "input '\(name)' is the string \(value.jsonText()) where the schema asks for \(wanted); using \(parsed.jsonText())"
        return (parsed, shown)
    }

    /// Text read as JSON when it is a JSON value (`5`, `true`, `null`, `"x"`, `[1]`, `{"a":1}`),
    /// otherwise the text itself as a string.
    public static func inferred(_ text: String) -> JSONValue {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first, "{[\"-0123456789tfn".contains(first) else { return .string(text) }
        if let value = try? JSONValue(parsing: trimmed) { return value }
        return .string(text)
    }

    /// Whether a value of `value`'s type is one of `types` (JSON Schema's rules: an integer is
    /// also a number, a whole double also an integer).
    static func admits(_ types: Set<String>, _ value: JSONValue) -> Bool {
        switch value {
        case .null: return types.contains("null")
        case .bool: return types.contains("boolean")
        case .int: return types.contains("integer") || types.contains("number")
        case .double(let d): return types.contains("number") || (types.contains("integer") && d.isFinite && d.rounded() == d)
        case .string: return types.contains("string")
        case .array: return types.contains("array")
        case .object: return types.contains("object")
        }
    }
}
