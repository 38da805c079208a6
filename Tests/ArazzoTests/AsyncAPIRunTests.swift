import Foundation
import Testing
import Arazzo
import ArazzoAsyncAPI
import OrderedCollections

/// AsyncAPI steps through the public API: transports registered on `RunOptions`, the in-memory
/// broker standing in for a Kafka broker, correlation, traces and redaction (decisions AS1–AS3).
@Suite("AsyncAPI steps through the engine API")
struct AsyncAPIRunTests {
    static let description = """
        asyncapi: 3.0.0
        info: {title: Orders, version: 1.0.0}
        servers:
          broker: {host: 'localhost:9092', protocol: kafka}
        channels:
          orders:
            address: orders.{region}
            parameters:
              region: {enum: [eu, us]}
            messages:
              order: {$ref: '#/components/messages/Order'}
          confirmations:
            address: confirmations
            messages:
              confirmation: {$ref: '#/components/messages/Order'}
        operations:
          takeOrder:
            action: receive
            channel: {$ref: '#/channels/orders'}
            reply:
              channel: {$ref: '#/channels/confirmations'}
        components:
          messages:
            Order:
              contentType: application/json
              correlationId: {location: '$message.payload#/reqid'}
              payload: {type: object}
        """

    static let workflow = """
        arazzo: 1.1.0
        info: {title: Orders, version: 1.0.0}
        sourceDescriptions:
          - {name: orders, url: ./orders.asyncapi.yaml, type: asyncapi}
        workflows:
          - workflowId: order
            inputs:
              type: object
              properties:
                reqid: {type: string}
                card: {type: string, format: password}
            steps:
              - stepId: place
                operationId: $sourceDescriptions.orders.takeOrder
                action: send
                parameters:
                  - {name: region, in: channel, value: us}
                requestBody:
                  payload: {reqid: $inputs.reqid, card: $inputs.card}
              - stepId: confirm
                operationId: $sourceDescriptions.orders.takeOrder
                action: receive
                correlationId: $inputs.reqid
                timeout: 2000
                successCriteria:
                  - condition: $message.payload#/status == 'ok'
                outputs:
                  status: $message.payload#/status
            outputs:
              status: $steps.confirm.outputs.status
        """

    static func load() async throws -> LoadedDocument {
        let root = try writeFiles(["orders.asyncapi.yaml": description, "arazzo.yaml": workflow])
        let loaded = try await ArazzoLoader().load(path: root + "/arazzo.yaml")
        #expect(!loaded.validate().hasErrors, "\(loaded.validate().all)")
        return loaded
    }

    @Test("a transport registered for the protocol sends, and the correlated reply is received (a decoy is left buffered)")
    func sendAndReceive() async throws {
        let loaded = try await Self.load()
        let broker = InMemoryBroker(responder: { message, _ in
            let reqid = message.payload.jsonValue?["reqid"] ?? .null
            let confirmations = ChannelEndpoint(protocol: "kafka", url: "kafka://localhost:9092/confirmations", address: "confirmations")
            return [
                (TransportMessage(payload: .json(["reqid": "someone-else", "status": "ok"])), confirmations),
                (TransportMessage(payload: .json(["reqid": reqid, "status": "ok"])), confirmations),
            ]
        })
        var options = RunOptions(executor: InMemoryExecutor(routes: []))
        options.messageTransports.register(broker, for: ["kafka"])
        let result = try await WorkflowEngine(document: loaded, options: options)
            .run(workflowId: "order", inputs: ["reqid": "r-1", "card": "4111-secret"])
        #expect(result.succeeded, "\(result.outcome)")
        #expect(result.outputs["status"] == "ok")
        let sent = await broker.sent
        #expect(sent.count == 1)
        #expect(sent.first?.endpoint.address == "orders.us")
        #expect(result.steps.map(\.message?.action) == ["send", "receive"])
        #expect(result.steps[1].message?.message?.payload.jsonValue?["reqid"] == "r-1")
        #expect(result.steps[1].message?.correlationId == "r-1")
        // The decoy stays for a later receive.
        let left = await broker.buffered(on: ChannelEndpoint(protocol: "kafka", url: "", address: "confirmations"))
        #expect(left.count == 1)
        // A password input is redacted from the message sent, as from an HTTP body.
        let report = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(!report.contains("4111-secret"))
        #expect(result.steps[0].message?.message?.payload.jsonValue?["card"] != "4111-secret")
    }

    @Test("without a transport for the protocol the step fails with noTransport, located at the step; onFailure would apply")
    func noTransport() async throws {
        let loaded = try await Self.load()
        let result = try await WorkflowEngine(document: loaded, options: RunOptions(executor: InMemoryExecutor(routes: [])))
            .run(workflowId: "order", inputs: ["reqid": "r-1"])
        guard case .failed(let reason) = result.outcome else {
            Issue.record("the run succeeded")
            return
        }
        #expect(reason.stepId == "place")
        #expect(reason.kind == .transport)
        #expect(reason.message.contains("no message transport for protocol 'kafka'"))
        #expect(result.steps.first?.message?.error?.kind == .noTransport)
    }

    @Test("a receive with no matching message in time fails with kind timeout")
    func timeout() async throws {
        let loaded = try await Self.load()
        var options = RunOptions(executor: InMemoryExecutor(routes: []))
        options.messageTransports = MessageTransports(fallback: InMemoryBroker())
        let result = try await WorkflowEngine(document: loaded, options: options)
            .run(workflowId: "order", inputs: ["reqid": "r-1"])
        guard case .failed(let reason) = result.outcome else {
            Issue.record("the run succeeded")
            return
        }
        #expect(reason.stepId == "confirm")
        #expect(reason.kind == .timeout)
        #expect(result.steps.last?.message?.error?.kind == .timeout)
    }
}
