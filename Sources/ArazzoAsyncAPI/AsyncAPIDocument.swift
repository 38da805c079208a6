public import ArazzoDiagnostics
public import ArazzoJSON

/// A loaded AsyncAPI 3.0 or 3.1 description: what the engine needs to send and receive messages
/// (servers, channels, operations, messages), every `$ref` already resolved. Objects keep the
/// JSON pointer they were read from (after resolution) so errors and `channelPath` can name them.
public struct AsyncAPIDocument: Sendable, Hashable {
    /// The `asyncapi` version as written (`3.0.0`).
    public var version: String
    /// The file or URL the description was read from.
    public var file: String
    /// `defaultContentType`, when declared.
    public var defaultContentType: String?
    /// The root `servers` by name, in document order.
    public var servers: [Server]
    /// The root `channels` by key, in document order.
    public var channels: [Channel]
    /// The root `operations` by operationId (their key), in document order.
    public var operations: [Operation]
}

extension AsyncAPIDocument {
    /// A Server Object.
    public struct Server: Sendable, Hashable {
        /// The key under `servers`.
        public var name: String
        /// `host`, possibly with a port and `{variables}`.
        public var host: String
        /// `protocol`, lower case (`ws`, `kafka`).
        public var `protocol`: String
        /// `protocolVersion`, when declared.
        public var protocolVersion: String?
        /// `pathname`, possibly with `{variables}`.
        public var pathname: String?
        /// `variables` by name.
        public var variables: [String: Variable]
        /// Where the object was read (`/servers/production`).
        public var pointer: String
        /// Where `host` is written, for errors about it.
        public var location: SourceLocation?
    }

    /// A Server Variable Object.
    public struct Variable: Sendable, Hashable {
        /// `default`, when declared.
        public var defaultValue: String?
        /// `enum`, when declared.
        public var allowed: [String]?
    }

    /// A Channel Object.
    public struct Channel: Sendable, Hashable {
        /// The key under `channels` (or under `components/channels` for a reply channel).
        public var key: String
        /// `address` (nil when null or absent: unknown until run time).
        public var address: String?
        /// `parameters` by name.
        public var parameters: [String: Parameter]
        /// `messages` by key, in document order.
        public var messages: [Message]
        /// The names of the root servers the channel is on (`servers` `$ref`s); empty means all.
        public var serverNames: [String]
        /// Where the object was read (`/channels/place-order`).
        public var pointer: String
        /// Where the channel's key or `$ref` is written.
        public var location: SourceLocation?
    }

    /// A Parameter Object of a channel address.
    public struct Parameter: Sendable, Hashable {
        /// `default`, when declared.
        public var defaultValue: String?
        /// `enum`, when declared.
        public var allowed: [String]?
        /// `location` (a `$message` runtime expression), when declared.
        public var location: String?
    }

    /// What the application does on the channel: `send` or `receive` (AsyncAPI 3 reads it from
    /// the described application's side; an Arazzo step says its own `action`).
    public enum Action: String, Sendable, Hashable {
        /// The application sends messages to the channel.
        case send
        /// The application receives messages from the channel.
        case receive
    }

    /// An Operation Object.
    public struct Operation: Sendable, Hashable {
        /// The operationId (its key under `operations`).
        public var id: String
        /// `action`.
        public var action: Action
        /// The channel `channel` refers to.
        public var channel: Channel
        /// `messages` (a subset of the channel's), or the channel's messages when absent.
        public var messages: [Message]
        /// `reply`, when declared.
        public var reply: Reply?
        /// Where the object was read (`/operations/placeOrder`).
        public var pointer: String
        /// Where the operation's key is written.
        public var location: SourceLocation?
    }

    /// An Operation Reply Object.
    public struct Reply: Sendable, Hashable {
        /// The reply channel, when `channel` is declared.
        public var channel: Channel?
        /// `address.location` (a `$message` runtime expression), when declared.
        public var addressLocation: String?
        /// `messages` of the reply, or the reply channel's messages when absent.
        public var messages: [Message]
    }

    /// A Message Object (traits merged).
    public struct Message: Sendable, Hashable {
        /// The message's key in its channel's `messages` (or its `name`).
        public var key: String
        /// `name`, when declared.
        public var name: String?
        /// `contentType`, else the document's `defaultContentType`.
        public var contentType: String?
        /// The `headers` schema, when declared (references inside schemas are left as written).
        public var headers: JSONValue?
        /// The `payload` schema, when declared.
        public var payload: JSONValue?
        /// `correlationId`, when declared.
        public var correlationId: CorrelationID?
        /// Where the object was read (`/components/messages/OrderRequest`).
        public var pointer: String
    }
}
