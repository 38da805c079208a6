#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Foundation

/// A pass/fail bound on a load summary, as `--threshold` writes it: `p99<250ms`, `max<=2s`,
/// `failures<1%`, `failures<=3`, `rps>100` (docs/load.md, "Thresholds").
public struct LoadThreshold: Sendable, Equatable, CustomStringConvertible {
    /// What is measured.
    public enum Metric: Sendable, Equatable {
        /// A run latency percentile (50, 90, 99, 99.9) over every workflow's runs.
        case percentile(Double)
        /// The largest run latency.
        case max
        /// The share of ended runs that failed (the bound is a fraction, 0.01 for `1%`).
        case failureShare
        /// The number of failed runs.
        case failureCount
        /// Requests per second.
        case requestsPerSecond
    }

    /// How the measure must compare with the bound.
    public enum Comparison: String, Sendable, Equatable, CaseIterable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

        func holds(_ value: Double, _ bound: Double) -> Bool {
            switch self {
            case .less: value < bound
            case .lessOrEqual: value <= bound
            case .greater: value > bound
            case .greaterOrEqual: value >= bound
            }
        }
    }

    /// The measure.
    public var metric: Metric
    /// The comparison.
    public var comparison: Comparison
    /// The bound: microseconds for latencies, a fraction for `failures<N%`, a count, or per second.
    public var bound: Double
    /// The expression as written.
    public var description: String

    /// Parses an expression; a bad one is an error naming the column where it goes wrong.
    public init(parsing text: String) throws(LoadThresholdError) {
        description = text
        let chars = Array(text)
        var index = 0
        while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "." { index += 1 }
        let name = String(chars[..<index])
        let metric: Metric
        switch name {
        case "p50": metric = .percentile(50)
        case "p90": metric = .percentile(90)
        case "p99": metric = .percentile(99)
        case "p99.9": metric = .percentile(99.9)
        case "max": metric = .max
        case "failures": metric = .failureCount
        case "rps": metric = .requestsPerSecond
        default:
            throw LoadThresholdError(
                expression: text, column: 1,
                message: "unknown measure '\(name)'; use p50, p90, p99, p99.9, max, failures or rps")
        }
        let opStart = index
        while index < chars.count, "<>=".contains(chars[index]) { index += 1 }
        guard let comparison = Comparison(rawValue: String(chars[opStart..<index])) else {
            throw LoadThresholdError(expression: text, column: opStart + 1, message: "expected <, <=, > or >= after '\(name)'")
        }
        let numberStart = index
        while index < chars.count, chars[index].isNumber || chars[index] == "." { index += 1 }
        guard let number = Double(String(chars[numberStart..<index])), number.isFinite else {
            throw LoadThresholdError(expression: text, column: numberStart + 1, message: "expected a number after '\(comparison.rawValue)'")
        }
        let unit = String(chars[index...])
        let unitColumn = index + 1
        switch metric {
        case .percentile, .max:
            let scale: Double? = ["us": 1, "µs": 1, "ms": 1_000, "s": 1_000_000][unit]
            guard let scale else {
                throw LoadThresholdError(
                    expression: text, column: unitColumn,
                    message: unit.isEmpty ? "a latency needs a unit: us, ms or s (e.g. 250ms)" : "unknown unit '\(unit)'; use us, ms or s")
            }
            self.bound = number * scale
            self.metric = metric
        case .failureCount where unit == "%":
            self.bound = number / 100
            self.metric = .failureShare
        case .failureCount, .failureShare:
            guard unit.isEmpty else {
                throw LoadThresholdError(expression: text, column: unitColumn, message: "failures takes a count (3) or a share (1%), not '\(unit)'")
            }
            self.bound = number
            self.metric = .failureCount
        case .requestsPerSecond:
            guard unit.isEmpty || unit == "/s" else {
                throw LoadThresholdError(expression: text, column: unitColumn, message: "rps takes a number of requests per second (e.g. rps>100), not '\(unit)'")
            }
            self.bound = number
            self.metric = .requestsPerSecond
        }
        self.comparison = comparison
    }

    /// The measure's value in `summary`, in the bound's unit.
    public func value(in summary: LoadSummary) -> Double {
        switch metric {
        case .percentile(let p): Double(summary.allRuns.microseconds(atPercentile: p))
        case .max: Double(summary.allRuns.maxMicroseconds)
        case .failureShare: summary.failureShare
        case .failureCount: Double(summary.failed)
        case .requestsPerSecond: summary.requestsPerSecond
        }
    }

    /// Whether `summary` keeps within the threshold.
    public func holds(for summary: LoadSummary) -> Bool {
        comparison.holds(value(in: summary), bound)
    }
}

/// A `--threshold` expression that could not be read.
public struct LoadThresholdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The expression as written.
    public var expression: String
    /// The 1-based column where it goes wrong.
    public var column: Int
    /// What to fix.
    public var message: String

    /// `'p99<25x':7: unknown unit 'x'; use us, ms or s`.
    public var description: String { "'\(expression)':\(column): \(message)" }
}
#endif
