public import ArazzoExecutor
import Foundation

/// Why a channel could not be turned into an endpoint, or an operation or channel was not found.
/// Each message says what to change.
public struct AsyncAPIResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Kind: String, Sendable, Hashable {
        /// No operation has the operationId.
        case unknownOperation
        /// No channel is at the path.
        case unknownChannel
        /// No server (or not the named one) serves the channel.
        case unknownServer
        /// A `{parameter}` or `{variable}` has no value and no default.
        case missingValue
        /// A value is outside its `enum`.
        case valueNotAllowed
        /// The channel's address is null (known only at run time) and none was given.
        case unknownAddress
    }

    /// What kind of failure.
    public var kind: Kind
    /// One line for people.
    public var message: String

    /// `kind: message`.
    public var description: String { "\(kind.rawValue): \(message)" }
}

/// Lookups over one ``AsyncAPIDocument``: operations by operationId, channels by the JSON
/// pointer a step's `channelPath` names, and channel addresses resolved to endpoint URLs.
public struct AsyncAPIIndex: Sendable {
    /// The description.
    public let document: AsyncAPIDocument
    private let operationsByID: [String: AsyncAPIDocument.Operation]
    private let channelsByPointer: [String: AsyncAPIDocument.Channel]

    /// Indexes `document`.
    public init(_ document: AsyncAPIDocument) {
        self.document = document
        var operations: [String: AsyncAPIDocument.Operation] = [:]
        for operation in document.operations { operations[operation.id] = operation }
        operationsByID = operations
        var channels: [String: AsyncAPIDocument.Channel] = [:]
        for channel in document.channels { channels[channel.pointer] = channel }
        channelsByPointer = channels
    }

    /// The operation with `operationId`.
    public func operation(id: String) throws(AsyncAPIResolutionError) -> AsyncAPIDocument.Operation {
        guard let operation = operationsByID[id] else {
            let known = document.operations.map(\.id).joined(separator: ", ")
            throw AsyncAPIResolutionError(kind: .unknownOperation, message: "no operation '\(id)' in \(document.file) (operations: \(known.isEmpty ? "none" : known))")
        }
        return operation
    }

    /// The channel a `channelPath` fragment names: `#/channels/<key>` or `/channels/<key>`
    /// (the pointer after the source expression).
    public func channel(path: String) throws(AsyncAPIResolutionError) -> AsyncAPIDocument.Channel {
        let pointer = path.hasPrefix("#") ? String(path.dropFirst()) : path
        guard let channel = channelsByPointer[pointer] else {
            let known = document.channels.map { "#" + $0.pointer }.joined(separator: ", ")
            throw AsyncAPIResolutionError(kind: .unknownChannel, message: "no channel at '\(path)' in \(document.file) (channels: \(known.isEmpty ? "none" : known))")
        }
        return channel
    }

    /// The operations on `channel`, in document order (a `channelPath` step uses them to find
    /// the messages and the reply).
    public func operations(on channel: AsyncAPIDocument.Channel) -> [AsyncAPIDocument.Operation] {
        document.operations.filter { $0.channel.pointer == channel.pointer }
    }

    /// The servers `channel` is available on: those it names, else every root server.
    public func servers(for channel: AsyncAPIDocument.Channel) -> [AsyncAPIDocument.Server] {
        channel.serverNames.isEmpty
            ? document.servers
            : document.servers.filter { channel.serverNames.contains($0.name) }
    }

    /// The endpoint for `channel` on a server: the named one, else the channel's first server.
    /// `parameters` fill the address's `{parameters}` (else their `default`), `variables` the
    /// server's `{variables}` (else their `default`); `address` replaces a null channel address.
    public func endpoint(
        for channel: AsyncAPIDocument.Channel, server serverName: String? = nil,
        parameters: [String: String] = [:], variables: [String: String] = [:], address: String? = nil,
        baseURL: String? = nil
    ) throws(AsyncAPIResolutionError) -> ChannelEndpoint {
        let candidates = servers(for: channel)
        let server: AsyncAPIDocument.Server
        if let serverName {
            guard let named = candidates.first(where: { $0.name == serverName }) else {
                let names = candidates.map(\.name).joined(separator: ", ")
                throw AsyncAPIResolutionError(kind: .unknownServer, message: "channel '\(channel.key)' is not on server '\(serverName)' (its servers: \(names.isEmpty ? "none" : names))")
            }
            server = named
        } else {
            guard let first = candidates.first else {
                throw AsyncAPIResolutionError(kind: .unknownServer, message: "channel '\(channel.key)' has no server in \(document.file); add one under `servers`")
            }
            server = first
        }
        guard let template = address ?? channel.address else {
            throw AsyncAPIResolutionError(kind: .unknownAddress, message: "channel '\(channel.key)' has a null address (known only at run time) and none was given")
        }
        let resolvedAddress = try Self.substitute(template, what: "parameter", of: "channel '\(channel.key)'", given: parameters) { name in
            channel.parameters[name].map { ($0.defaultValue, $0.allowed) }
        }
        let host = try Self.substitute(server.host, what: "variable", of: "server '\(server.name)'", given: variables) { name in
            server.variables[name].map { ($0.defaultValue, $0.allowed) }
        }
        let pathname = try server.pathname.map { (text) throws(AsyncAPIResolutionError) in
            try Self.substitute(text, what: "variable", of: "server '\(server.name)'", given: variables) { name in
                server.variables[name].map { ($0.defaultValue, $0.allowed) }
            }
        }
        if let baseURL, let schemeEnd = baseURL.range(of: "://") {
            // A server override (`--server SOURCE=URL`) replaces the server's protocol, host and
            // pathname; the channel address still follows it.
            let scheme = String(baseURL[..<schemeEnd.lowerBound]).lowercased()
            return ChannelEndpoint(
                protocol: scheme, url: Self.url(protocol: scheme, host: baseURL, pathname: nil, address: resolvedAddress),
                address: resolvedAddress)
        }
        return ChannelEndpoint(
            protocol: server.protocol, url: Self.url(protocol: server.protocol, host: host, pathname: pathname, address: resolvedAddress),
            address: resolvedAddress)
    }

    /// `scheme://host[/pathname]/address`, one slash between the parts. The protocol is the
    /// scheme (`ws`, `wss`, `mqtt`, …); a host written with a scheme keeps it.
    static func url(protocol proto: String, host: String, pathname: String?, address: String) -> String {
        var base = host.contains("://") ? host : proto + "://" + host
        while base.hasSuffix("/") { base.removeLast() }
        for part in [pathname ?? "", address] {
            let trimmed = part.drop { $0 == "/" }
            guard !trimmed.isEmpty else { continue }
            while base.hasSuffix("/") { base.removeLast() }
            base += "/" + trimmed
        }
        if address.count > 1, address.hasSuffix("/") {
            base += "/"
        } else if address.allSatisfy({ $0 == "/" }), (pathname ?? "").allSatisfy({ $0 == "/" }) {
            base += "/"
        }
        return base
    }

    /// Replaces each `{name}` of `template` by the given value, else the declared default;
    /// percent-encodes nothing (addresses are topic names as often as paths).
    static func substitute(
        _ template: String, what: String, of owner: String, given values: [String: String],
        declared: (String) -> (String?, [String]?)?
    ) throws(AsyncAPIResolutionError) -> String {
        var result = ""
        var name: String?
        for character in template {
            if character == "{", name == nil {
                name = ""
            } else if character == "}", let current = name {
                let declaration = declared(current)
                guard let value = values[current] ?? declaration?.0 else {
                    throw AsyncAPIResolutionError(kind: .missingValue, message: "\(owner) needs a value for {\(current)}: give the \(what) a value or declare a `default`")
                }
                if let allowed = declaration?.1, !allowed.isEmpty, !allowed.contains(value) {
                    throw AsyncAPIResolutionError(kind: .valueNotAllowed, message: "'\(value)' is not an allowed value of {\(current)} of \(owner) (allowed: \(allowed.joined(separator: ", ")))")
                }
                result += value
                name = nil
            } else if name != nil {
                name?.append(character)
            } else {
                result.append(character)
            }
        }
        if let name { result += "{" + name }
        return result
    }
}
