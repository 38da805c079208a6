#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import Foundation

/// Timing helpers shared by the benchmarks: run a closure repeatedly and keep every sample.
enum Measure {
    /// Runs `body` `iterations` times after `warmup` untimed runs; returns the samples in seconds.
    static func samples(iterations: Int, warmup: Int = 1, _ body: () throws -> Void) rethrows -> [Double] {
        for _ in 0..<warmup { try body() }
        var result: [Double] = []
        result.reserveCapacity(iterations)
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            let elapsed = try clock.measure(body)
            result.append(elapsed.seconds)
        }
        return result
    }

    /// ``samples(iterations:warmup:_:)`` for an async body (loading reads files and may fetch).
    static func samples(iterations: Int, warmup: Int = 1, _ body: () async throws -> Void) async rethrows -> [Double] {
        for _ in 0..<warmup { try await body() }
        var result: [Double] = []
        result.reserveCapacity(iterations)
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            let start = clock.now
            try await body()
            let elapsed = clock.now - start
            result.append(elapsed.seconds)
        }
        return result
    }

    /// The median of `values` (the mean of the middle two for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// Formats a number with `digits` decimals.
    static func format(_ value: Double, _ digits: Int = 1) -> String {
        String(format: "%.\(digits)f", value)
    }

    /// Prints a table with left-aligned first column and right-aligned others.
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        for (index, row) in all.enumerated() {
            let cells = row.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }
            print(cells.joined(separator: "  "))
            if index == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
    }
}

let usage = """
    usage: arazzo-bench <benchmark> [options]

    benchmarks:
      validate [--operations N] [--steps N] [--dir DIR]   load + validate a generated ~3 MB OpenAPI-backed document, against parsing the description
      parse FILE [--iterations N]   YAML → located tree and → Arazzo AST, in MB/s, against libyaml's bare event rate
      schema [--items N] [--iterations N]
                                    JSON Schema validate over a ~1 MB body, in MB/s, against parsing the body
      jsonpath [--iterations N]     RFC 9535 filter queries over a ~1 MB body, against a hand-written loop
      conditions [--rounds N]       `simple` conditions evaluated and parsed per second, against a hand-written comparison
      engine [ARAZZO] [--runs N]    engine overhead per step against an in-memory executor (no network)
      contract [--runs N] [--items N]
                                    contract checks of a ~1 MB JSON response body, in MB/s (warn minus off)

    side by side with the Python runner (driven by bench/compare.sh):
      serve-stytch [--until-stdin-closes]
                                    the loopback Stytch-shaped server; prints `listening URL`
      totp                          the code the benchmark's TOTP secret gives now
      workflow ARAZZO [--runs N] [--mode reused|fresh] [--server URL] [--contract off|warn|error]
                                    the reference workflow in process over AsyncHTTPClient, µs per run
      floor ARAZZO [--runs N] [--server URL]
                                    the same two requests over one blocking socket: the limit for any client
      throughput ARAZZO [--server URL] [--concurrency 1,8,64] [--seconds S] [--repeats N]
      load ARAZZO [--server URL] [--vus 64] [--seconds S] [--repeats N] [--rss-vus 1000]
                                    workflows/s: engine against a bare AsyncHTTPClient loop
      spawn [--require TEXT] -- COMMAND ARGS...
                                    wall time and peak RSS of one process run

    """
#endif
