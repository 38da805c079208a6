#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoJSON
import OrderedCollections
import Foundation
import Logging
import MCP
import NIOCore
import NIOHTTP1
import NIOPosix

/// An MCP server whose tools are the workflows of a ``WorkflowToolCatalog`` (docs/mcp.md), over
/// stdio or the streamable HTTP transport. It writes nothing but JSON-RPC to standard output;
/// what people read goes to ``log``.
public struct WorkflowToolServer: Sendable {
    /// The tools and the run setup behind them.
    public let catalog: WorkflowToolCatalog
    /// The version the server reports in `initialize`.
    public let version: String
    /// Receives one line per call and per answer, for people (the CLI writes it to stderr).
    public let log: @Sendable (String) -> Void

    /// The tools as the SDK lists them, built once.
    private let tools: [Tool]

    /// A server for `catalog`.
    public init(catalog: WorkflowToolCatalog, version: String, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.catalog = catalog
        self.version = version
        self.log = log
        tools = catalog.tools.map { tool in
            Tool(
                name: tool.name, title: tool.title, description: tool.description,
                inputSchema: Value(tool.inputSchema), outputSchema: Value(tool.outputSchema))
        }
    }

    /// Serves JSON-RPC on standard input and output until standard input closes.
    public func serveStandardIO() async throws {
        let server = await makeServer()
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
        await server.stop()
    }

    /// Serves the streamable HTTP transport at `http://HOST:PORT/mcp`, statelessly: each POST
    /// gets a fresh protocol session and a JSON answer (no SSE, no `Mcp-Session-Id`). `ready`
    /// receives the bound port (useful with port 0). Returns when the listener closes.
    public func serveHTTP(host: String, port: Int, ready: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
        let validation = Self.validation(host: host)
        let respond: @Sendable (HTTPRequest) async -> HTTPResponse = { request in
            guard request.path == "/mcp" else {
                return .error(statusCode: 404, .invalidRequest("Not Found: the MCP endpoint is /mcp"))
            }
            let transport = StatelessHTTPServerTransport(validationPipeline: validation)
            let server = await makeServer()
            do {
                try await server.start(transport: transport)
            } catch {
                return .error(statusCode: 500, .internalError("cannot start a session: \(error)"))
            }
            let response = await transport.handleRequest(request)
            await server.stop()
            return response
        }
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(MCPHTTPHandler(respond: respond))
                }
            }
            .bind(host: host, port: port).get()
        ready(channel.localAddress?.port ?? port)
        try await channel.closeFuture.get()
    }

    /// Host and Origin checks against DNS rebinding: loopback names and the bound host are let
    /// in; the rest of the SDK's checks (Accept, Content-Type, protocol version) as they are.
    private static func validation(host: String) -> any HTTPRequestValidationPipeline {
        let loopback = OriginValidator.localhost()
        let bound = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return StandardValidationPipeline(validators: [
            OriginValidator(
                allowedHosts: loopback.allowedHosts + ["\(bound):*"],
                allowedOrigins: loopback.allowedOrigins + ["http://\(bound):*"]),
            AcceptHeaderValidator(mode: .jsonOnly),
            ContentTypeValidator(),
            ProtocolVersionValidator(),
        ])
    }

    // MARK: - Protocol

    /// A protocol session with the two tool handlers.
    private func makeServer() async -> Server {
        let server = Server(
            name: "arazzo-run", version: version,
            instructions: "Each tool runs one Arazzo workflow against its APIs with the credentials the server was started with; its result holds the workflow's outputs.",
            capabilities: .init(tools: .init(listChanged: false)))
        let catalog = catalog
        let log = log
        let tools = tools
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
        await server.withMethodHandler(CallTool.self) { parameters in
            guard let tool = catalog.tool(named: parameters.name) else {
                throw MCPError.invalidParams("Unknown tool: \(parameters.name)")
            }
            var arguments: JSONObject = [:]
            for (name, value) in (parameters.arguments ?? [:]).sorted(by: { $0.key < $1.key }) {
                arguments[name] = JSONValue(value)
            }
            log("call \(tool.name) (workflow '\(tool.workflowId)')")
            let answer = await catalog.call(tool, arguments: arguments)
            log((answer.isError ? "✗ " : "✓ ") + (answer.text.split(separator: "\n").first.map(String.init) ?? ""))
            return CallTool.Result(
                content: [.text(text: answer.text, annotations: nil, _meta: nil)],
                structuredContent: answer.outputs.map { Value(.object($0)) },
                isError: answer.isError)
        }
        return server
    }
}

// MARK: - Values

extension Value {
    /// The same JSON value in the SDK's type (object member order is not kept: `Value` has none).
    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(Value.init))
        case .object(let members): self = .object(Dictionary(members.map { ($0.key, Value($0.value)) }, uniquingKeysWith: { first, _ in first }))
        }
    }
}

extension JSONValue {
    /// The same JSON value from the SDK's type. The SDK reads a string that looks like a `data:`
    /// URL as data; it becomes that string again.
    init(_ value: MCP.Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .data(let mimeType, let data):
            self = .string("data:\(mimeType ?? "text/plain");base64,\(data.base64EncodedString())")
        case .array(let items): self = .array(items.map { JSONValue($0) })
        case .object(let members):
            var object: JSONObject = [:]
            for (key, member) in members.sorted(by: { $0.key < $1.key }) { object[key] = JSONValue(member) }
            self = .object(object)
        }
    }
}

// MARK: - HTTP

/// The largest request body the HTTP transport reads (a JSON-RPC message with a tool's arguments).
private let maximumBodyBytes = 4 << 20

/// Reads one HTTP/1.1 request at a time, hands it to `respond` and writes the answer.
private final class MCPHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let respond: @Sendable (HTTPRequest) async -> HTTPResponse
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var tooLarge = false

    init(respond: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) {
        self.respond = respond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            tooLarge = false
        case .body(var chunk):
            if body.readableBytes + chunk.readableBytes > maximumBodyBytes {
                tooLarge = true
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            if tooLarge {
                write(.error(statusCode: 413, .invalidRequest("Payload Too Large: at most \(maximumBodyBytes) bytes")), for: head, context: context)
                return
            }
            var headers: [String: String] = [:]
            for (name, value) in head.headers {
                headers[name] = headers[name].map { "\($0), \(value)" } ?? value
            }
            let path = String(head.uri.prefix { $0 != "?" })
            let request = HTTPRequest(
                method: head.method.rawValue, headers: headers,
                body: body.readableBytes > 0 ? Data(body.readableBytesView) : nil, path: path)
            let respond = respond
            let promise = context.eventLoop.makePromise(of: HTTPResponse.self)
            promise.completeWithTask { await respond(request) }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { response in
                let (handler, context) = bound.value
                handler.write(response, for: head, context: context)
            }
        }
    }

    private func write(_ response: HTTPResponse, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        // The stateless transport answers with data or an error, never a stream.
        let bytes = response.bodyData ?? Data()
        var head = HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: response.statusCode))
        for (name, value) in response.headers { head.headers.add(name: name, value: value) }
        head.headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
        let keepAlive = request.isKeepAlive
        if !keepAlive { head.headers.replaceOrAdd(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !bytes.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
#endif
