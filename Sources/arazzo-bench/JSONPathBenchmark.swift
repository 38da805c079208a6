#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoJSON
import ArazzoJSONPath

/// JSONPath filter queries over a generated ~1 MB JSON body: compile once, evaluate many times.
/// The baseline is a hand-written Swift loop doing the same selection on the same value, the
/// fastest any query engine over `JSONValue` could be.
enum JSONPathBenchmark {
    static func run(arguments: [String]) throws {
        let iterations = option("--iterations", in: arguments) ?? 20
        let body = sampleBody(items: 5_000)
        let size = Double(body.jsonText().utf8.count) / 1_000_000
        let queries = [
            "$.items[?@.price > 500]",
            "$.items[?@.tags[0] == 'red' && @.stock < 10]",
            "$..[?@.id == 4242]",
            "$.items[?match(@.name, 'item-4[0-9]+')]",
        ]
        print("jsonpath over a \(Measure.format(size, 2)) MB body (\(iterations) iterations, medians)")
        var rows: [[String]] = []
        let baseline = Measure.samples(iterations: iterations) {
            var count = 0
            if case .array(let items)? = body["items"] {
                for item in items {
                    if case .int(let price)? = item["price"], price > 500 { count += 1 }
                }
            }
            precondition(count > 0)
        }
        let baselineRate = 1 / Measure.median(baseline)
        rows.append(["hand-written loop for query 1 (baseline)", Measure.format(baselineRate), "1.00", "-"])
        for query in queries {
            let compiled = try JSONPathQuery(query)
            var matched = 0
            let samples = Measure.samples(iterations: iterations) { matched = compiled.select(body).count }
            let rate = 1 / Measure.median(samples)
            rows.append([query, Measure.format(rate), Measure.format(rate / baselineRate, 3), String(matched)])
        }
        Measure.table(["query", "queries/s", "vs baseline", "nodes"], rows)
    }

    /// A deterministic body: `{"items": [{id, name, price, stock, tags, owner:{…}}, …]}`.
    static func sampleBody(items: Int) -> JSONValue {
        var array: [JSONValue] = []
        array.reserveCapacity(items)
        var seed: UInt64 = 42
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        let colours: [JSONValue] = ["red", "green", "blue", "black"]
        for i in 0..<items {
            array.append([
                "id": .int(i), "name": .string("item-\(i)"), "price": .int(next() % 1000),
                "stock": .int(next() % 50), "tags": .array([colours[next() % 4], colours[next() % 4]]),
                "owner": ["name": .string("owner \(i % 97)"), "active": .bool(i % 3 == 0)],
            ])
        }
        return ["items": .array(array)]
    }
}
#endif
