import ArazzoAsyncAPI
import ArazzoDiagnostics
import ArazzoExecutor
import ArazzoJSON
import Foundation
import Testing

/// An order service over WebSocket: request/reply on one channel with a payload correlation id,
/// a channel with an address parameter, traits, components and a reply on another channel.
let ordersDescription = """
    asyncapi: 3.0.0
    info: {title: Orders, version: 1.0.0}
    defaultContentType: application/json
    servers:
      local:
        host: 'localhost:{port}'
        protocol: ws
        pathname: /api
        variables:
          port: {default: '8080', enum: ['8080', '9090']}
      broker:
        host: kafka.example.com:9092
        protocol: kafka
    channels:
      orders:
        address: /orders/{region}
        servers: [{$ref: '#/servers/local'}]
        parameters:
          region: {$ref: '#/components/parameters/region'}
        messages:
          order: {$ref: '#/components/messages/Order'}
          confirmation: {$ref: '#/components/messages/Confirmation'}
      audit:
        address: audit
        messages:
          entry:
            payload: {type: string}
    operations:
      placeOrder:
        action: send
        channel: {$ref: '#/channels/orders'}
        messages: [{$ref: '#/channels/orders/messages/order'}]
        reply:
          channel: {$ref: '#/channels/orders'}
          messages: [{$ref: '#/channels/orders/messages/confirmation'}]
      readAudit:
        action: receive
        channel: {$ref: '#/channels/audit'}
    components:
      parameters:
        region: {default: eu, enum: [eu, us]}
      correlationIds:
        byReqid: {location: '$message.payload#/reqid'}
      messages:
        Order:
          correlationId: {$ref: '#/components/correlationIds/byReqid'}
          payload:
            type: object
            properties: {reqid: {type: integer}, item: {type: string}}
        Confirmation:
          traits: [{$ref: '#/components/messageTraits/Correlated'}]
          payload: {type: object}
      messageTraits:
        Correlated:
          contentType: application/vnd.orders+json
          correlationId: {location: '$message.payload#/reqid'}
          headers: {type: object}
    """

@Suite("AsyncAPI loader")
struct AsyncAPILoaderTests {
    func load(_ text: String) throws -> AsyncAPIDocument {
        do {
            return try AsyncAPILoader.load(text: text, file: "orders.yaml")
        } catch {
            Issue.record("unexpected diagnostics: \(error.diagnostics)")
            throw error
        }
    }

    func diagnostics(_ text: String) -> [Diagnostic] {
        do {
            _ = try AsyncAPILoader.load(text: text, file: "broken.yaml")
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test("servers, channels, operations and messages load with every $ref resolved")
    func loadsEverything() throws {
        let document = try load(ordersDescription)
        #expect(document.version == "3.0.0")
        #expect(document.servers.map(\.name) == ["local", "broker"])
        #expect(document.servers[0].protocol == "ws")
        #expect(document.servers[0].variables["port"]?.defaultValue == "8080")
        #expect(document.channels.map(\.key) == ["orders", "audit"])
        let orders = document.channels[0]
        #expect(orders.address == "/orders/{region}")
        #expect(orders.parameters["region"]?.allowed == ["eu", "us"])
        #expect(orders.serverNames == ["local"])
        #expect(orders.messages.map(\.key) == ["order", "confirmation"])
        let order = orders.messages[0]
        #expect(order.pointer == "/components/messages/Order")
        #expect(order.contentType == "application/json")
        #expect(order.correlationId?.source == .payload)
        #expect(order.correlationId?.pointer.tokens == ["reqid"])
        #expect(order.payload?["type"] == "object")

        let place = try AsyncAPIIndex(document).operation(id: "placeOrder")
        #expect(place.action == .send)
        #expect(place.channel.key == "orders")
        #expect(place.messages.map(\.key) == ["order"])
        #expect(place.reply?.channel?.key == "orders")
        #expect(place.reply?.messages.map(\.key) == ["confirmation"])
    }

    @Test("message traits merge in, the message's own fields winning")
    func traitsMerge() throws {
        let confirmation = try load(ordersDescription).channels[0].messages[1]
        #expect(confirmation.contentType == "application/vnd.orders+json")
        #expect(confirmation.correlationId?.location == "$message.payload#/reqid")
        #expect(confirmation.headers == ["type": "object"])
        #expect(confirmation.payload == ["type": "object"])
    }

    @Test("an operation without messages uses its channel's")
    func operationMessagesDefault() throws {
        let audit = try AsyncAPIIndex(load(ordersDescription)).operation(id: "readAudit")
        #expect(audit.action == .receive)
        #expect(audit.messages.map(\.key) == ["entry"])
        #expect(audit.messages[0].contentType == "application/json")
    }

    @Test("the index finds channels by channelPath and resolves addresses on servers")
    func index() throws {
        let index = try AsyncAPIIndex(load(ordersDescription))
        let orders = try index.channel(path: "#/channels/orders")
        #expect(try index.channel(path: "/channels/audit").key == "audit")
        #expect(index.operations(on: orders).map(\.id) == ["placeOrder"])

        let endpoint = try index.endpoint(for: orders)
        #expect(endpoint == ChannelEndpoint(protocol: "ws", url: "ws://localhost:8080/api/orders/eu", address: "/orders/eu"))
        let us = try index.endpoint(for: orders, parameters: ["region": "us"], variables: ["port": "9090"])
        #expect(us.url == "ws://localhost:9090/api/orders/us")

        let audit = try index.channel(path: "#/channels/audit")
        #expect(index.servers(for: audit).map(\.name) == ["local", "broker"])
        let kafka = try index.endpoint(for: audit, server: "broker")
        #expect(kafka == ChannelEndpoint(protocol: "kafka", url: "kafka://kafka.example.com:9092/audit", address: "audit"))
    }

    @Test("resolution errors say what to change")
    func resolutionErrors() throws {
        let index = try AsyncAPIIndex(load(ordersDescription))
        let orders = try index.channel(path: "#/channels/orders")
        #expect(throws: AsyncAPIResolutionError.self) { try index.operation(id: "cancelOrder") }
        do {
            _ = try index.operation(id: "cancelOrder")
        } catch {
            #expect(error.kind == .unknownOperation)
            #expect(error.message.contains("placeOrder, readAudit"))
        }
        do {
            _ = try index.channel(path: "#/channels/nope")
        } catch {
            #expect(error.kind == .unknownChannel)
        }
        do {
            _ = try index.endpoint(for: orders, parameters: ["region": "mars"])
        } catch {
            #expect(error.kind == .valueNotAllowed)
            #expect(error.message.contains("allowed: eu, us"))
        }
        do {
            _ = try index.endpoint(for: orders, server: "broker")
        } catch {
            #expect(error.kind == .unknownServer)
        }
    }

    @Test("a correlation id is read from the header or the payload and compared as text")
    func correlation() throws {
        let header = try #require(CorrelationID(location: "$message.header#/orderRequestId"))
        let payload = try #require(CorrelationID(location: "$message.payload#/reqid"))
        let message = TransportMessage(headers: ["orderRequestId": "abc"], payload: .json(["reqid": 42]))
        #expect(header.matches(message, expected: "abc"))
        #expect(!header.matches(message, expected: "abd"))
        #expect(payload.matches(message, expected: "42"))
        #expect(payload.matches(message, expected: 42))
        #expect(!payload.matches(TransportMessage(payload: .text("42")), expected: "42"))
        #expect(CorrelationID(location: "$request.header#/x") == nil)
        #expect(CorrelationID(location: "$message.body#/x") == nil)
    }

    @Test("broken descriptions give located errors with their codes", arguments: [
        ("asyncapi: 2.6.0\ninfo: {title: t, version: v}\n", "asyncapi-version", 1),
        ("openapi: 3.1.0\n", "asyncapi-version", 1),
        ("asyncapi: 3.0.0\nservers:\n  a:\n    protocol: ws\n", "asyncapi-field", 4),
        ("asyncapi: 3.0.0\nchannels:\n  c:\n    address: x\n    messages:\n      m: {$ref: '#/components/messages/Nope'}\n", "asyncapi-ref", 6),
        ("asyncapi: 3.0.0\nchannels:\n  c:\n    address: x\n    messages:\n      m: {$ref: 'other.yaml#/components/messages/M'}\n", "asyncapi-ref", 6),
        ("asyncapi: 3.0.0\nchannels:\n  c: {$ref: '#/channels/c'}\n", "asyncapi-ref", 3),
        ("asyncapi: 3.0.0\nchannels:\n  c:\n    address: 'rooms/{room}'\n", "asyncapi-parameter", 4),
        ("asyncapi: 3.0.0\nchannels:\n  c: {address: x}\noperations:\n  o:\n    action: publish\n    channel: {$ref: '#/channels/c'}\n", "asyncapi-field", 6),
        ("asyncapi: 3.0.0\nchannels:\n  c: {address: x}\noperations:\n  o:\n    action: send\n", "asyncapi-field", 6),
        ("asyncapi: 3.0.0\nchannels:\n  c:\n    address: x\n    messages:\n      m:\n        correlationId: {location: '$message.body#/id'}\n", "asyncapi-runtime-expression", 7),
    ])
    func brokenDescriptions(_ text: String, _ code: String, _ line: Int) {
        let found = diagnostics(text)
        #expect(found.contains { $0.code == code && $0.location?.line == line && $0.severity == .error },
                "expected \(code) at line \(line), got \(found.map { "\($0.code ?? "-")@\($0.location?.line ?? 0): \($0.message)" })")
    }

    @Test("an error in a channel an operation refers to is reported once")
    func errorsOnce() {
        let found = diagnostics("asyncapi: 3.0.0\nchannels:\n  c:\n    address: 'rooms/{room}'\noperations:\n  o:\n    action: send\n    channel: {$ref: '#/channels/c'}\n")
        #expect(found.filter { $0.code == "asyncapi-parameter" }.count == 1, "\(found.map(\.description))")
    }

    /// The examples the AsyncAPI project publishes (copied beside the spec text, outside this
    /// repository), when they are there: every one loads.
    @Test("the published AsyncAPI 3 examples load", .enabled(if: FileManager.default.fileExists(atPath: Self.examples), "the AsyncAPI examples are not on this machine (\(Self.examples))"))
    func publishedExamples() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.examples).filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOfFile: Self.examples + "/" + file, encoding: .utf8)
            do {
                let document = try AsyncAPILoader.load(text: text, file: file)
                #expect(!document.operations.isEmpty, "\(file)")
            } catch {
                Issue.record("\(file): \(error.diagnostics.map(\.description))")
            }
        }
    }

    static let examples = "/work/shared/spec/asyncapi/examples"
}
