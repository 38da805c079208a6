#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoYAML
import Foundation
import ArazzoJSON
import ArazzoModel
import OrderedCollections

/// Gathers workflow inputs from the environment, an inputs file and `--input` flags.
///
/// Precedence, lowest first: `ARAZZO_INPUT_<NAME>` variables, `--inputs FILE`, `--input
/// NAME=VALUE`. Values from flags and variables are text, typed per workflow by its `inputs`
/// schema (``InputTyping``); values from the file keep their JSON/YAML type.
struct InputCollector {
    /// Input names the selected workflows declare (top-level `properties` of their schemas).
    let declaredNames: [String]

    struct Problem: Error {
        let message: String
    }

    /// The inputs as given, before typing: each name holds the text of a flag or variable or the
    /// value of the file, whichever came last.
    struct Collected {
        enum Given {
            case text(String)
            case typed(JSONValue)
        }

        /// Names in the order they were first given.
        private(set) var names: [String] = []
        private var given: [String: Given] = [:]

        mutating func set(_ name: String, _ value: Given) {
            if given[name] == nil { names.append(name) }
            given[name] = value
        }

        /// Whether input `name` was given at all.
        func contains(_ name: String) -> Bool { given[name] != nil }

        /// The inputs for one workflow, typed by its schema. `converted` receives a line for each
        /// file value whose type was changed to fit the schema.
        func values(typing: InputTyping, converted: inout [String]) -> JSONObject {
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

    func collect(flags: [String], file: String?, environment: [String: String]) throws(Problem) -> Collected {
        var inputs = Collected()
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) where key.hasPrefix("ARAZZO_INPUT_") {
            let suffix = String(key.dropFirst("ARAZZO_INPUT_".count))
            guard !suffix.isEmpty else { continue }
            let name = declaredNames.first { $0 == suffix }
                ?? declaredNames.first { $0.lowercased() == suffix.lowercased() }
                ?? suffix
            inputs.set(name, .text(value))
        }
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw Problem(message: "cannot read inputs file \(file): \(error.localizedDescription)")
            }
            let node: YAMLNode
            do {
                node = try YAMLParser.parse(text, file: file)
            } catch {
                throw Problem(message: error.description)
            }
            guard case .object(let object) = node.jsonValue else {
                throw Problem(message: "\(file): the inputs file must hold an object (name: value pairs), found \(node.jsonValue.typeName)")
            }
            for (key, value) in object { inputs.set(key, .typed(value)) }
        }
        for flag in flags {
            guard let eq = flag.firstIndex(of: "="), eq != flag.startIndex else {
                throw Problem(message: "--input \(flag): expected NAME=VALUE")
            }
            inputs.set(String(flag[..<eq]), .text(String(flag[flag.index(after: eq)...])))
        }
        return inputs
    }
}

/// What the workflow's `inputs` schema requires at the top level.
enum InputSchemaInspector {
    /// The top-level schema object, following one `$ref` into `#/components/inputs/<key>`.
    static func schema(of workflow: Workflow, in document: ArazzoSpecification) -> JSONObject? {
        guard case .object(var schema)? = workflow.inputs?.value else { return nil }
        var hops = 0
        while case .string(let ref)? = schema["$ref"], hops < 8 {
            hops += 1
            let prefix = "#/components/inputs/"
            guard ref.hasPrefix(prefix),
                  let pointer = try? JSONPointer(parsing: String(ref.dropFirst(1))),
                  let componentsRoot = document.root.jsonValue.objectValue,
                  let target = try? pointer.resolve(in: .object(componentsRoot)),
                  case .object(let resolved) = target
            else { break }
            schema = resolved
        }
        return schema
    }

    /// The inputs one workflow receives: all of them, except that a schema closed with
    /// `additionalProperties: false` only gets the names it declares (the same input set feeds
    /// every selected workflow, and another workflow's inputs must not make this one invalid).
    static func inputs(_ all: JSONObject, for workflow: Workflow, in document: ArazzoSpecification) -> JSONObject {
        guard let schema = schema(of: workflow, in: document), schema["additionalProperties"] == .bool(false),
              case .object(let properties)? = schema["properties"]
        else { return all }
        return all.filter { properties[$0.key] != nil }
    }

    /// Names listed in the schema's top-level `required`.
    static func required(of workflow: Workflow, in document: ArazzoSpecification) -> [String] {
        guard let schema = schema(of: workflow, in: document), case .array(let items)? = schema["required"] else { return [] }
        return items.compactMap(\.stringValue)
    }

    /// The top-level properties with their declared type (`string`, `integer`, … or `any`).
    static func properties(of workflow: Workflow, in document: ArazzoSpecification) -> [(name: String, type: String, secret: Bool)] {
        guard let schema = schema(of: workflow, in: document), case .object(let properties)? = schema["properties"] else { return [] }
        return properties.map { name, value in
            var type = "any"
            if case .string(let t)? = value["type"] { type = t }
            if case .array(let ts)? = value["type"] { type = ts.compactMap(\.stringValue).joined(separator: "|") }
            if case .string(let ref)? = value["$ref"] { type = ref.split(separator: "/").last.map(String.init) ?? ref }
            let secret = value["format"]?.stringValue == "password"
            return (name, type, secret)
        }
    }
}
#endif
