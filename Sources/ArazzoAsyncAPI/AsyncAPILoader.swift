public import ArazzoDiagnostics
internal import ArazzoJSON
public import ArazzoYAML
import Foundation
import OrderedCollections

/// Why a description did not load: every error found (located, with its rule code), in the
/// order the walk met them.
public struct AsyncAPILoadFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The diagnostics, errors first.
    public var diagnostics: [Diagnostic]

    /// Creates a failure.
    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.filter { $0.severity == .error } + diagnostics.filter { $0.severity != .error }
    }

    /// One diagnostic a line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Reads an AsyncAPI 3.0/3.1 description from YAML or JSON text into an ``AsyncAPIDocument``.
///
/// Only what running steps needs is read and checked (servers, channels, operations, messages,
/// correlation ids); descriptive fields are ignored. Every `$ref` must be local (`#/…`); a broken
/// one, a missing required field or a wrong type is an error diagnostic located at the cause.
public enum AsyncAPILoader {
    /// The AsyncAPI `major.minor` versions this loader reads.
    public static let supportedVersions = ["3.0", "3.1"]

    /// Parses and loads `text`; `file` names it in locations.
    public static func load(text: String, file: String) throws(AsyncAPILoadFailure) -> AsyncAPIDocument {
        let root: YAMLNode
        do {
            root = try YAMLParser.parse(text, file: file)
        } catch {
            throw AsyncAPILoadFailure(diagnostics: [error])
        }
        return try load(root: root, file: file)
    }

    /// Loads an already parsed description.
    public static func load(root: YAMLNode, file: String) throws(AsyncAPILoadFailure) -> AsyncAPIDocument {
        var reader = Reader(root: root, file: file)
        let document = reader.document()
        // A channel an operation refers to is read again there; its errors are reported once.
        if reader.diagnostics.hasErrors { throw AsyncAPILoadFailure(diagnostics: reader.diagnostics.deduplicated.all) }
        return document ?? AsyncAPIDocument(version: "", file: file, servers: [], channels: [], operations: [])
    }
}

/// One pass over the tree, collecting every error instead of stopping at the first.
struct Reader {
    let root: YAMLNode
    let file: String
    var diagnostics = Diagnostics()
    var defaultContentType: String?

    init(root: YAMLNode, file: String) {
        self.root = root
        self.file = file
    }

    mutating func error(_ code: String, _ message: String, at node: YAMLNode, pointer: String) {
        diagnostics.append(.error(message, path: pointer, code: code, range: node.range))
    }

    mutating func document() -> AsyncAPIDocument? {
        guard root.mapping != nil else {
            error("asyncapi-field", "an AsyncAPI description must be a mapping, not a \(root.kindName)", at: root, pointer: "")
            return nil
        }
        guard let versionNode = root["asyncapi"] else {
            if root["openapi"] != nil || root["swagger"] != nil {
                error("asyncapi-version", "this is an OpenAPI description; give the source `type: openapi`", at: root, pointer: "")
            } else {
                error("asyncapi-version", "`asyncapi` is missing; an AsyncAPI 3 description starts with `asyncapi: 3.0.0`", at: root, pointer: "")
            }
            return nil
        }
        guard let version = versionNode.scalar?.text else {
            error("asyncapi-version", "`asyncapi` must be a version string like 3.0.0", at: versionNode, pointer: "/asyncapi")
            return nil
        }
        let parts = version.split(separator: ".")
        guard parts.count >= 2, AsyncAPILoader.supportedVersions.contains(parts[0] + "." + parts[1]) else {
            error("asyncapi-version", "AsyncAPI \(version) is not supported; Arazzo runs AsyncAPI 3.0 and 3.1 descriptions", at: versionNode, pointer: "/asyncapi")
            return nil
        }
        defaultContentType = string(root, "defaultContentType", pointer: "")

        var servers: [AsyncAPIDocument.Server] = []
        for (name, node, pointer) in entries(root, "servers", pointer: "") {
            if let server = server(name: name, node: node, pointer: pointer) { servers.append(server) }
        }
        var channels: [AsyncAPIDocument.Channel] = []
        for (key, node, pointer) in entries(root, "channels", pointer: "") {
            if let channel = channel(key: key, node: node, pointer: pointer) { channels.append(channel) }
        }
        var operations: [AsyncAPIDocument.Operation] = []
        for (id, node, pointer) in entries(root, "operations", pointer: "") {
            if let operation = operation(id: id, node: node, pointer: pointer) { operations.append(operation) }
        }
        return AsyncAPIDocument(
            version: version, file: file, defaultContentType: defaultContentType,
            servers: servers, channels: channels, operations: operations)
    }

    // MARK: Objects

    mutating func server(name: String, node: YAMLNode, pointer: String) -> AsyncAPIDocument.Server? {
        guard let (node, pointer) = resolve(node, pointer: pointer), mapping(node, pointer: pointer, what: "a Server Object") else { return nil }
        guard let host = required(node, "host", pointer: pointer, what: "server '\(name)'"),
              let proto = required(node, "protocol", pointer: pointer, what: "server '\(name)'") else { return nil }
        var variables: [String: AsyncAPIDocument.Variable] = [:]
        for (variable, value, variablePointer) in entries(node, "variables", pointer: pointer) {
            guard let (value, variablePointer) = resolve(value, pointer: variablePointer),
                  mapping(value, pointer: variablePointer, what: "a Server Variable Object") else { continue }
            variables[variable] = AsyncAPIDocument.Variable(
                defaultValue: string(value, "default", pointer: variablePointer),
                allowed: strings(value, "enum", pointer: variablePointer))
        }
        return AsyncAPIDocument.Server(
            name: name, host: host, protocol: proto.lowercased(),
            protocolVersion: string(node, "protocolVersion", pointer: pointer),
            pathname: string(node, "pathname", pointer: pointer), variables: variables,
            pointer: pointer, location: node["host"]?.location)
    }

    mutating func channel(key: String, node: YAMLNode, pointer: String) -> AsyncAPIDocument.Channel? {
        let keyLocation = node.location
        guard let (node, pointer) = resolve(node, pointer: pointer), mapping(node, pointer: pointer, what: "a Channel Object") else { return nil }
        var address: String?
        if let addressNode = node["address"], addressNode.scalar?.value != .null {
            if case .string(let text)? = addressNode.scalar?.value {
                address = text
            } else {
                error("asyncapi-field", "`address` must be a string or null, not a \(addressNode.kindName)", at: addressNode, pointer: pointer + "/address")
            }
        }
        var parameters: [String: AsyncAPIDocument.Parameter] = [:]
        for (name, value, parameterPointer) in entries(node, "parameters", pointer: pointer) {
            guard let (value, parameterPointer) = resolve(value, pointer: parameterPointer),
                  mapping(value, pointer: parameterPointer, what: "a Parameter Object") else { continue }
            parameters[name] = AsyncAPIDocument.Parameter(
                defaultValue: string(value, "default", pointer: parameterPointer),
                allowed: strings(value, "enum", pointer: parameterPointer),
                location: string(value, "location", pointer: parameterPointer))
        }
        if let address {
            for name in Self.placeholders(in: address) where parameters[name] == nil {
                error("asyncapi-parameter", "the address names {\(name)} but the channel has no parameter '\(name)'; add it under `parameters`",
                      at: node["address"] ?? node, pointer: pointer + "/address")
            }
        }
        var messages: [AsyncAPIDocument.Message] = []
        for (messageKey, value, messagePointer) in entries(node, "messages", pointer: pointer) {
            if let message = message(key: messageKey, node: value, pointer: messagePointer) { messages.append(message) }
        }
        var serverNames: [String] = []
        if let list = node["servers"] {
            if let items = list.sequence {
                for (index, item) in items.enumerated() {
                    let itemPointer = pointer + "/servers/\(index)"
                    guard let target = referenceTarget(item, pointer: itemPointer) else { continue }
                    let tokens = target.split(separator: "/", omittingEmptySubsequences: false)
                    if tokens.count == 3, tokens[1] == "servers", resolvePointer(target) != nil {
                        serverNames.append(JSONPointer.lastToken(of: target))
                    } else {
                        error("asyncapi-ref", "a channel's `servers` must refer to root servers (#/servers/<name>), not \(target)", at: item, pointer: itemPointer)
                    }
                }
            } else {
                error("asyncapi-field", "`servers` must be a list of $ref objects, not a \(list.kindName)", at: list, pointer: pointer + "/servers")
            }
        }
        return AsyncAPIDocument.Channel(
            key: key, address: address, parameters: parameters, messages: messages,
            serverNames: serverNames, pointer: pointer, location: keyLocation)
    }

    mutating func operation(id: String, node: YAMLNode, pointer: String) -> AsyncAPIDocument.Operation? {
        let keyLocation = node.location
        guard let (node, pointer) = resolve(node, pointer: pointer), mapping(node, pointer: pointer, what: "an Operation Object") else { return nil }
        guard let actionText = required(node, "action", pointer: pointer, what: "operation '\(id)'") else { return nil }
        guard let action = AsyncAPIDocument.Action(rawValue: actionText) else {
            error("asyncapi-field", "`action` must be send or receive, not '\(actionText)'", at: node["action"] ?? node, pointer: pointer + "/action")
            return nil
        }
        guard let channelNode = node["channel"] else {
            error("asyncapi-field", "operation '\(id)' has no `channel`; add `channel: {$ref: '#/channels/<key>'}`", at: node, pointer: pointer)
            return nil
        }
        guard let channel = referencedChannel(channelNode, pointer: pointer + "/channel") else { return nil }
        let messages = referencedMessages(node["messages"], pointer: pointer + "/messages", channel: channel)
        var reply: AsyncAPIDocument.Reply?
        if let replyNode = node["reply"], let (replyNode, replyPointer) = resolve(replyNode, pointer: pointer + "/reply"),
           mapping(replyNode, pointer: replyPointer, what: "an Operation Reply Object") {
            var replyChannel: AsyncAPIDocument.Channel?
            if let channelNode = replyNode["channel"] {
                replyChannel = referencedChannel(channelNode, pointer: replyPointer + "/channel")
            }
            var addressLocation: String?
            if let addressNode = replyNode["address"], let (addressNode, addressPointer) = resolve(addressNode, pointer: replyPointer + "/address"),
               mapping(addressNode, pointer: addressPointer, what: "an Operation Reply Address Object") {
                addressLocation = required(addressNode, "location", pointer: addressPointer, what: "the reply address")
            }
            reply = AsyncAPIDocument.Reply(
                channel: replyChannel, addressLocation: addressLocation,
                messages: referencedMessages(replyNode["messages"], pointer: replyPointer + "/messages", channel: replyChannel))
        }
        return AsyncAPIDocument.Operation(
            id: id, action: action, channel: channel, messages: messages, reply: reply,
            pointer: pointer, location: keyLocation)
    }

    mutating func message(key: String, node: YAMLNode, pointer: String) -> AsyncAPIDocument.Message? {
        guard let (node, pointer) = resolve(node, pointer: pointer), mapping(node, pointer: pointer, what: "a Message Object") else { return nil }
        let fields = withTraits(node, pointer: pointer)
        var correlationId: CorrelationID?
        if let correlationNode = fields["correlationId"],
           let (correlationNode, correlationPointer) = resolve(correlationNode, pointer: pointer + "/correlationId"),
           mapping(correlationNode, pointer: correlationPointer, what: "a Correlation ID Object"),
           let location = required(correlationNode, "location", pointer: correlationPointer, what: "the correlation id") {
            if let parsed = CorrelationID(location: location) {
                correlationId = parsed
            } else {
                error("asyncapi-runtime-expression",
                      "correlation id location '\(location)' is not $message.header#/<pointer> or $message.payload#/<pointer>",
                      at: correlationNode["location"] ?? correlationNode, pointer: correlationPointer + "/location")
            }
        }
        var headers = fields["headers"].map { (resolve($0, pointer: pointer + "/headers")?.0 ?? $0).jsonValue }
        var payload = fields["payload"].map { (resolve($0, pointer: pointer + "/payload")?.0 ?? $0).jsonValue }
        // A Multi Format Schema Object wraps the schema in `schema`.
        if case .object(let object)? = headers, object["schemaFormat"] != nil, let schema = object["schema"] { headers = schema }
        if case .object(let object)? = payload, object["schemaFormat"] != nil, let schema = object["schema"] { payload = schema }
        let name = fields["name"]?.scalar?.text
        return AsyncAPIDocument.Message(
            key: key, name: name,
            contentType: fields["contentType"]?.scalar?.text ?? defaultContentType,
            headers: headers, payload: payload, correlationId: correlationId, pointer: pointer)
    }

    // MARK: References

    /// Follows `$ref`s from `node` until a non-reference; nil (after an error) when one breaks.
    mutating func resolve(_ node: YAMLNode, pointer: String) -> (YAMLNode, String)? {
        var current = node
        var currentPointer = pointer
        var seen: Set<String> = []
        while let target = current["$ref"] {
            guard let text = target.scalar?.text, case .string = target.scalar?.value else {
                error("asyncapi-ref", "`$ref` must be a string", at: target, pointer: currentPointer + "/$ref")
                return nil
            }
            guard text.hasPrefix("#") else {
                error("asyncapi-ref", "external reference '\(text)' is not supported yet; inline it or move it under this file's components",
                      at: target, pointer: currentPointer + "/$ref")
                return nil
            }
            let fragment = String(text.dropFirst())
            guard seen.insert(fragment).inserted else {
                error("asyncapi-ref", "`$ref` '\(text)' leads back to itself", at: target, pointer: currentPointer + "/$ref")
                return nil
            }
            guard let next = resolvePointer(fragment) else {
                error("asyncapi-ref", "`$ref` '\(text)' points to nothing in this description", at: target, pointer: currentPointer + "/$ref")
                return nil
            }
            current = next
            currentPointer = fragment
        }
        return (current, currentPointer)
    }

    /// The node at `fragment` (a JSON pointer) exactly, or nil.
    func resolvePointer(_ fragment: String) -> YAMLNode? {
        guard let pointer = try? JSONPointer(parsing: fragment.removingPercentEncodingIfNeeded) else { return nil }
        return root.node(at: pointer)
    }

    /// The `$ref` text of a Reference Object (which must be one), after checking it resolves.
    mutating func referenceTarget(_ node: YAMLNode, pointer: String) -> String? {
        guard let text = node["$ref"]?.scalar?.text else {
            error("asyncapi-ref", "expected a Reference Object (`$ref: '#/…'`) here, not an inline \(node.kindName)", at: node, pointer: pointer)
            return nil
        }
        guard resolve(node, pointer: pointer) != nil else { return nil }
        return String(text.dropFirst())
    }

    mutating func referencedChannel(_ node: YAMLNode, pointer: String) -> AsyncAPIDocument.Channel? {
        guard let target = referenceTarget(node, pointer: pointer), let resolved = resolvePointer(target) else { return nil }
        let key = JSONPointer.lastToken(of: target)
        return channel(key: key, node: resolved, pointer: target)
    }

    /// The messages a list of `$ref`s names, or every message of `channel` when the list is absent.
    mutating func referencedMessages(_ node: YAMLNode?, pointer: String, channel: AsyncAPIDocument.Channel?) -> [AsyncAPIDocument.Message] {
        guard let node else { return channel?.messages ?? [] }
        guard let items = node.sequence else {
            error("asyncapi-field", "`messages` must be a list of $ref objects, not a \(node.kindName)", at: node, pointer: pointer)
            return []
        }
        var messages: [AsyncAPIDocument.Message] = []
        for (index, item) in items.enumerated() {
            let itemPointer = pointer + "/\(index)"
            guard let target = referenceTarget(item, pointer: itemPointer), let resolved = resolvePointer(target) else { continue }
            // Prefer the channel's own entry, whose key is the message's name in the channel.
            if let own = channel?.messages.first(where: { $0.pointer == target || target == (channel?.pointer ?? "") + "/messages/" + JSONPointer.escape($0.key) }) {
                messages.append(own)
            } else if let message = message(key: JSONPointer.lastToken(of: target), node: resolved, pointer: target) {
                messages.append(message)
            }
        }
        return messages
    }

    // MARK: Fields

    /// The entries of the mapping under `key` (absent: none), with their pointers.
    mutating func entries(_ node: YAMLNode, _ key: String, pointer: String) -> [(String, YAMLNode, String)] {
        guard let value = node[key] else { return [] }
        guard let (value, valuePointer) = resolve(value, pointer: pointer + "/" + key) else { return [] }
        guard let pairs = value.mapping else {
            error("asyncapi-field", "`\(key)` must be a mapping, not a \(value.kindName)", at: value, pointer: valuePointer)
            return []
        }
        return pairs.filter { !$0.key.hasPrefix("x-") }.map { ($0.key, $0.value, valuePointer + "/" + JSONPointer.escape($0.key)) }
    }

    mutating func mapping(_ node: YAMLNode, pointer: String, what: String) -> Bool {
        if node.mapping != nil { return true }
        error("asyncapi-field", "expected \(what) (a mapping) here, not a \(node.kindName)", at: node, pointer: pointer)
        return false
    }

    mutating func required(_ node: YAMLNode, _ key: String, pointer: String, what: String) -> String? {
        guard node[key] != nil else {
            error("asyncapi-field", "\(what) has no `\(key)`; it is required", at: node, pointer: pointer)
            return nil
        }
        return string(node, key, pointer: pointer)
    }

    mutating func string(_ node: YAMLNode, _ key: String, pointer: String) -> String? {
        guard let value = node[key] else { return nil }
        guard case .string(let text)? = value.scalar?.value else {
            error("asyncapi-field", "`\(key)` must be a string, not a \(value.kindName)", at: value, pointer: pointer + "/" + key)
            return nil
        }
        return text
    }

    mutating func strings(_ node: YAMLNode, _ key: String, pointer: String) -> [String]? {
        guard let value = node[key] else { return nil }
        guard let items = value.sequence else {
            error("asyncapi-field", "`\(key)` must be a list of strings, not a \(value.kindName)", at: value, pointer: pointer + "/" + key)
            return nil
        }
        return items.compactMap { $0.scalar?.text }
    }

    /// The object's fields with its `traits` merged in order, the object's own fields winning
    /// (AsyncAPI §"Traits Merge Mechanism"). Values are located nodes, so errors still point into
    /// the trait that supplied a field.
    mutating func withTraits(_ node: YAMLNode, pointer: String) -> [String: YAMLNode] {
        var fields: [String: YAMLNode] = [:]
        for pair in node.mapping ?? [] where pair.key != "traits" { fields[pair.key] = pair.value }
        guard let traits = node["traits"] else { return fields }
        guard let items = traits.sequence else {
            error("asyncapi-field", "`traits` must be a list, not a \(traits.kindName)", at: traits, pointer: pointer + "/traits")
            return fields
        }
        for (index, item) in items.enumerated() {
            guard let (trait, _) = resolve(item, pointer: pointer + "/traits/\(index)") else { continue }
            for pair in trait.mapping ?? [] where fields[pair.key] == nil { fields[pair.key] = pair.value }
        }
        return fields
    }

    /// The `{name}` placeholders of a channel address or server template, in order.
    static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var current: String?
        for character in template {
            if character == "{" {
                current = ""
            } else if character == "}", let name = current {
                names.append(name)
                current = nil
            } else if current != nil {
                current?.append(character)
            }
        }
        return names
    }
}

extension JSONPointer {
    /// A reference token escaped for a pointer (`~` → `~0`, `/` → `~1`).
    static func escape(_ token: String) -> String {
        token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// The last token of a pointer text, unescaped (`/channels/a~1b` → `a/b`).
    static func lastToken(of text: String) -> String {
        let last = text.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? text
        return last.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
}

extension String {
    /// A `$ref` fragment with `%xx` escapes decoded (RFC 6901 §6: a pointer in a URI fragment
    /// is percent-encoded); the text itself when it holds none or a malformed one.
    var removingPercentEncodingIfNeeded: String {
        String(validating: percentDecodedBytes(self).bytes, as: UTF8.self) ?? self
    }
}
