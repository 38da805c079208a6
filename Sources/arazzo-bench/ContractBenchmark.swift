#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import Foundation

/// `contract`: how fast a large response body is held to its schema. One step answers a ~1 MB
/// JSON array of objects (nested `$ref`s, an enum, a pattern-free string, numbers) from an
/// in-memory executor; the step reads nothing from the body, so with checks off the body is never
/// parsed, and the time with checks at `warn` minus the time with them off is the checks' cost:
/// parsing the body and validating it. Prints MB/s.
///
///     arazzo-bench contract [--runs N] [--items N]
enum ContractBenchmark {
    static func run(arguments: [String]) async throws {
        let runs = max(1, option("--runs", in: arguments) ?? 40)
        let items = max(1, option("--items", in: arguments) ?? 5_000)
        var list: [JSONValue] = []
        for i in 0..<items {
            list.append([
                "id": .int(i), "name": .string("item-\(i)-abcdefghijklmnopqrstuvwxyz"), "status": "available",
                "price": .double(Double(i) + 0.5), "tags": ["a", "b", "c"],
                "owner": ["name": "Ada Lovelace", "email": "ada@example.com", "age": 36],
            ])
        }
        let body = JSONValue.array(list).jsonBytes()
        let directory = NSTemporaryDirectory() + "arazzo-bench-contract-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try openapi.write(toFile: directory + "/openapi.yaml", atomically: true, encoding: .utf8)
        try arazzo.write(toFile: directory + "/arazzo.yaml", atomically: true, encoding: .utf8)
        let document = try await ArazzoLoader().load(path: directory + "/arazzo.yaml")
        let executor = InMemoryExecutor(routes: [
            InMemoryExecutor.Route("GET", "/items", replies: [.status(200, body: String(decoding: body, as: UTF8.self), headers: ["Content-Type": "application/json"])]),
        ])

        func time(_ level: ContractLevel) async throws -> Double {
            var options = RunOptions(executor: executor)
            options.contract = ContractPolicy(mode: level)
            let engine = WorkflowEngine(document: document, options: options)
            let warmUp = try await engine.run(workflowId: "list")
            guard warmUp.succeeded, level == .off || warmUp.steps.allSatisfy(\.contract.isEmpty) else {
                throw BenchError.usage("the benchmark body does not conform: \(warmUp.steps.flatMap(\.contract).prefix(3))")
            }
            let clock = ContinuousClock()
            let started = clock.now
            for _ in 0..<runs { _ = try await engine.run(workflowId: "list") }
            return WorkflowBenchmark.seconds(clock.now - started) / Double(runs)
        }
        let off = try await time(.off)
        let warn = try await time(.warn)
        let megabytes = Double(body.count) / 1_000_000
        let rate = megabytes / max(warn - off, 1e-9)
        print("contract: \(body.count) bytes, \(runs) runs: off \(Measure.format(off * 1e3)) ms, warn \(Measure.format(warn * 1e3)) ms per run, checks \(Measure.format(rate)) MB/s")
        print("result mb_per_s=\(Measure.format(rate, 1)) bytes=\(body.count)")
    }

    static let openapi = """
        openapi: 3.0.3
        info: {title: Items, version: 1.0.0}
        servers: [{url: 'https://items.example'}]
        paths:
          /items:
            get:
              operationId: listItems
              responses:
                '200':
                  description: items
                  content:
                    application/json:
                      schema: {type: array, items: {$ref: '#/components/schemas/Item'}}
        components:
          schemas:
            Item:
              type: object
              required: [id, name, status]
              properties:
                id: {type: integer, minimum: 0}
                name: {type: string, maxLength: 100}
                status: {type: string, enum: [available, sold]}
                price: {type: number}
                tags: {type: array, items: {type: string}}
                owner: {$ref: '#/components/schemas/Person'}
            Person:
              type: object
              properties:
                name: {type: string}
                email: {type: string}
                age: {type: integer, nullable: true}
        """
    static let arazzo = """
        arazzo: 1.0.1
        info: {title: Contract benchmark, version: 1.0.0}
        sourceDescriptions:
          - {name: items, url: ./openapi.yaml, type: openapi}
        workflows:
          - workflowId: list
            steps:
              - stepId: list
                operationId: listItems
        """
}
#endif
