#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoJSON
import ArazzoJSONSchema
import ArazzoYAML
import Foundation
import OrderedCollections

/// JSON Schema validation throughput: one schema compiled once, then `validate` over a generated
/// ~1 MB JSON body (an order list: objects with nested arrays, strings, numbers) whose item schema
/// is reached through `$ref` and uses `required`, `pattern`, `enum` and `format`. The baseline,
/// measured in the same run, is parsing the same body's text into a `JSONValue` (the least a
/// contract check on a response body already pays), so the ratio says what validation adds.
///
///     arazzo-bench schema [--items N] [--iterations N]
enum SchemaBenchmark {
    static func run(arguments: [String]) throws {
        let items = option("--items", in: arguments) ?? 2_600
        let iterations = option("--iterations", in: arguments) ?? 15
        let body = sampleBody(items: items)
        let text = body.jsonText()
        let bytes = Array(text.utf8)
        let megabytes = Double(bytes.count) / 1_000_000

        let plain = try JSONSchema(schema)
        let asserting = try JSONSchema(schema, options: JSONSchema.Options(assertFormat: true))
        guard plain.validate(body).isEmpty, asserting.validate(body).isEmpty else {
            throw BenchError.usage("the generated body does not validate: \(asserting.validate(body).prefix(3))")
        }
        // A body with a fault in every 100th item, so the report path is measured too.
        let faulty = sampleBody(items: items, faultEvery: 100)
        var faults = 0

        let parse = try Measure.samples(iterations: iterations) { _ = try JSONValue(parsing: bytes) }
        let tree = try Measure.samples(iterations: iterations) { _ = try YAMLParser.parse(bytes: bytes, file: "body.json") }
        let compile = try Measure.samples(iterations: iterations) { _ = try JSONSchema(schema) }
        let valid = Measure.samples(iterations: iterations) { precondition(plain.validate(body).isEmpty) }
        let formats = Measure.samples(iterations: iterations) { precondition(asserting.validate(body).isEmpty) }
        let invalid = Measure.samples(iterations: iterations) { faults = plain.validate(faulty).count }

        let parseRate = megabytes / Measure.median(parse)
        func row(_ label: String, _ samples: [Double]) -> [String] {
            let rate = megabytes / Measure.median(samples)
            return [label, Measure.format(Measure.median(samples) * 1000, 2), Measure.format(rate), Measure.format(rate / parseRate, 2)]
        }
        print("schema over a \(Measure.format(megabytes, 2)) MB body (\(items) items, \(iterations) iterations, medians); compile \(Measure.format(Measure.median(compile) * 1_000_000, 0)) µs")
        Measure.table(["stage", "ms", "MB/s", "vs JSON parse"], [
            row("JSON text → JSONValue (baseline)", parse),
            row("JSON text → located YAML tree (ArazzoYAML)", tree),
            row("validate, valid body", valid),
            row("validate, valid body, assertFormat", formats),
            row("validate, \(faults) violations reported", invalid),
        ])
    }

    static let schema: JSONValue = [
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["orders", "page"],
        "properties": [
            "page": ["type": "object", "required": ["number", "size"], "properties": [
                "number": ["type": "integer", "minimum": 1], "size": ["type": "integer", "maximum": 10_000],
            ]],
            "orders": ["type": "array", "items": ["$ref": "#/$defs/order"]],
        ],
        "$defs": [
            "order": [
                "type": "object",
                "required": ["id", "status", "customer", "lines", "created"],
                "additionalProperties": false,
                "properties": [
                    "id": ["type": "string", "pattern": "^ord_[0-9a-f]{12}$"],
                    "status": ["enum": ["pending", "paid", "shipped", "cancelled"]],
                    "created": ["type": "string", "format": "date-time"],
                    "customer": ["$ref": "#/$defs/customer"],
                    "lines": ["type": "array", "minItems": 1, "items": ["$ref": "#/$defs/line"]],
                    "total": ["type": "number", "minimum": 0],
                    "notes": ["type": ["string", "null"], "maxLength": 500],
                ],
            ],
            "customer": [
                "type": "object", "required": ["email", "name"],
                "properties": [
                    "email": ["type": "string", "format": "email"],
                    "name": ["type": "string", "minLength": 1],
                    "id": ["type": "string", "format": "uuid"],
                ],
            ],
            "line": [
                "type": "object", "required": ["sku", "quantity", "price"],
                "properties": [
                    "sku": ["type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"],
                    "quantity": ["type": "integer", "minimum": 1],
                    "price": ["type": "number", "exclusiveMinimum": 0],
                    "tags": ["type": "array", "items": ["type": "string"], "uniqueItems": true],
                ],
            ],
        ],
    ]

    /// A deterministic order list; with `faultEvery`, every n-th order breaks a few rules.
    static func sampleBody(items: Int, faultEvery: Int? = nil) -> JSONValue {
        var seed: UInt64 = 7
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        let statuses: [JSONValue] = ["pending", "paid", "shipped", "cancelled"]
        var orders: [JSONValue] = []
        orders.reserveCapacity(items)
        for i in 0..<items {
            var lines: [JSONValue] = []
            for l in 0..<(1 + next() % 4) {
                lines.append([
                    "sku": .string("ABC-\(String(format: "%04d", (i * 7 + l) % 10_000))"),
                    "quantity": .int(1 + next() % 9), "price": .double(Double(1 + next() % 10_000) / 100),
                    "tags": .array((0..<(next() % 3)).map { .string("tag\($0)") }),
                ])
            }
            var order: JSONObject = [
                "id": .string("ord_" + String(format: "%012x", i * 2_654_435_761 % 0xffff_ffff_ffff)),
                "status": statuses[next() % 4],
                "created": .string("2026-0\(1 + i % 9)-1\(i % 10)T12:\(10 + i % 50):00Z"),
                "customer": [
                    "email": .string("customer\(i % 500)@example.com"), "name": .string("Customer \(i % 500)"),
                    "id": .string(String(format: "%08x-1234-4abc-8def-%012x", i, i * 31)),
                ],
                "lines": .array(lines),
                "total": .double(Double(next() % 100_000) / 100),
                "notes": i % 5 == 0 ? .string("Leave at the door, ring twice. Order \(i).") : .null,
            ]
            if let every = faultEvery, i % every == 0 {
                order["status"] = "lost"
                order["id"] = .string("order-\(i)")
                order["extra"] = true
            }
            orders.append(.object(order))
        }
        return ["page": ["number": 1, "size": .int(items)], "orders": .array(orders)]
    }
}
#endif
