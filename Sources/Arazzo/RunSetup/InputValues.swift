import Foundation
public import ArazzoJSON
import ArazzoYAML

/// Workflow inputs as a person gives them, before each workflow types them: text (a command
/// line, an environment variable, a form field) or typed values (JSON, a YAML file).
///
/// Text is typed per workflow by its `inputs` schema (``InputTyping``, decision I1): `123456` is
/// the string a `type: string` input expects and `true` the boolean a `type: boolean` one does.
/// A name given twice keeps the value given last.
public struct InputValues: Sendable {
    /// The prefix of the environment variables read: `ARAZZO_INPUT_`.
    public static let environmentPrefix = "ARAZZO_INPUT_"

    /// One given value.
    enum Given: Sendable {
        case text(String)
        case typed(JSONValue)
    }

    /// Names in the order they were first given.
    public private(set) var names: [String] = []
    private var given: [String: Given] = [:]

    /// No inputs.
    public init() {}

    /// Typed values (from JSON, or built in code); they keep their types.
    public init(_ values: JSONObject) {
        for (name, value) in values { set(name, value: value) }
    }

    /// Text values by name, typed per workflow by its schema.
    public init(text pairs: KeyValuePairs<String, String>) {
        for (name, text) in pairs { set(name, text: text) }
    }

    /// Inputs gathered the way `arazzo-run` gathers them, each source winning over the ones
    /// before it: `ARAZZO_INPUT_<NAME>` variables of `environment` (matched against
    /// `declaredNames`), then the object in the JSON or YAML file at `file`, then `NAME=VALUE`
    /// `pairs`.
    public init(environment: [String: String], declaredNames: [String], file: String?, pairs: [String]) throws(InputValuesError) {
        add(environment: environment, declaredNames: declaredNames)
        if let file { try add(fileAt: file) }
        try add(pairs: pairs)
    }

    /// Gives input `name` as text.
    public mutating func set(_ name: String, text: String) { set(name, .text(text)) }

    /// Gives input `name` a typed value.
    public mutating func set(_ name: String, value: JSONValue) { set(name, .typed(value)) }

    private mutating func set(_ name: String, _ value: Given) {
        if given[name] == nil { names.append(name) }
        given[name] = value
    }

    /// Whether input `name` was given at all.
    public func contains(_ name: String) -> Bool { given[name] != nil }

    /// Adds every `ARAZZO_INPUT_<NAME>` variable of `environment` as text. `<NAME>` is matched
    /// against `declaredNames` exactly, then ignoring case; a name that matches none is used as
    /// written.
    public mutating func add(environment: [String: String], declaredNames: [String]) {
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) where key.hasPrefix(Self.environmentPrefix) {
            let suffix = String(key.dropFirst(Self.environmentPrefix.count))
            guard !suffix.isEmpty else { continue }
            let name = declaredNames.first { $0 == suffix }
                ?? declaredNames.first { $0.lowercased() == suffix.lowercased() }
                ?? suffix
            set(name, text: value)
        }
    }

    /// Adds `NAME=VALUE` pairs as text, in order.
    public mutating func add(pairs: [String]) throws(InputValuesError) {
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw InputValuesError(.notAPair(pair), message: "\(pair): expected NAME=VALUE")
            }
            set(String(pair[..<eq]), text: String(pair[pair.index(after: eq)...]))
        }
    }

    /// Adds the members of the JSON or YAML object in the file at `path`; they keep their types.
    public mutating func add(fileAt path: String) throws(InputValuesError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw InputValuesError(.unreadableFile(path), message: "cannot read inputs file \(path): \(error.localizedDescription)")
        }
        let node: YAMLNode
        do {
            node = try YAMLParser.parse(text, file: path)
        } catch {
            throw InputValuesError(.invalidFile(path), message: error.description)
        }
        guard case .object(let object) = node.jsonValue else {
            throw InputValuesError(
                .invalidFile(path),
                message: "\(path): the inputs file must hold an object (name: value pairs), found \(node.jsonValue.typeName)")
        }
        for (key, value) in object { set(key, value: value) }
    }

    /// The inputs for one workflow, typed by its schema. `converted` receives a line for each
    /// typed string whose type was changed to fit the schema (naming the value only when the
    /// input is not a secret).
    public func values(typing: InputTyping, converted: inout [String]) -> JSONObject {
        var values: JSONObject = [:]
        for name in names {
            switch given[name] {
            case .text(let text)?:
                values[name] = typing.value(fromText: text, for: name)
            case .typed(let value)?:
                let (typed, note) = typing.value(fromTyped: value, for: name)
                if let note { converted.append(note) }
                values[name] = typed
            case nil:
                break
            }
        }
        return values
    }
}

/// Inputs that could not be read.
public struct InputValuesError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Problem: Sendable, Hashable {
        /// A pair without `NAME=`.
        case notAPair(String)
        /// An inputs file that cannot be read.
        case unreadableFile(String)
        /// An inputs file that is not a JSON or YAML object.
        case invalidFile(String)
    }

    /// What went wrong.
    public var problem: Problem
    /// One line: what is wrong and with which value or file.
    public var message: String

    /// Creates an error.
    public init(_ problem: Problem, message: String) {
        self.problem = problem
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// One top-level input of a workflow, as its `inputs` schema declares it: what an MCP tool's
/// `inputSchema`, a form or `arazzo-run list` shows.
public struct InputDescription: Sendable, Hashable {
    /// The input's name.
    public var name: String
    /// The declared type: `string`, `integer`, …, a union as `string|null`, the last segment of a
    /// `$ref`, or `any` when none is declared.
    public var type: String
    /// Whether the schema lists it in `required`.
    public var required: Bool
    /// The schema's `description`, if it has one.
    public var description: String?
    /// Whether it is a secret (`format: password`): its value is redacted from everything recorded.
    public var secret: Bool
    /// The property's schema as written (a `$ref` not followed).
    public var schema: JSONValue

    /// Creates a description.
    public init(name: String, type: String, required: Bool, description: String?, secret: Bool, schema: JSONValue) {
        self.name = name
        self.type = type
        self.required = required
        self.description = description
        self.secret = secret
        self.schema = schema
    }
}
