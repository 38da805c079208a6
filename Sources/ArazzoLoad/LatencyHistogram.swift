#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Foundation
import Histogram

/// Latencies in microseconds, in an HdrHistogram with one fixed layout (decision LD4): 1 µs to
/// one hour, three significant digits. Every histogram of every load summary has this layout, so
/// any two merge exactly (bucket counts add) and a decoded one can never refuse to merge.
public struct LatencyHistogram: Sendable, Equatable {
    /// The lowest value told apart from zero: 1 µs.
    public static let lowestMicroseconds: UInt64 = 1
    /// The highest value tracked: one hour in microseconds. Longer latencies are recorded as this.
    public static let highestMicroseconds: UInt64 = 3_600_000_000

    private var histogram: Histogram<UInt64>

    /// An empty histogram.
    public init() {
        histogram = Histogram(
            lowestDiscernibleValue: Self.lowestMicroseconds, highestTrackableValue: Self.highestMicroseconds,
            numberOfSignificantValueDigits: .three)
    }

    /// How many latencies were recorded.
    public var count: UInt64 { histogram.totalCount }

    /// Records one latency (clamped to the tracked range).
    public mutating func record(_ duration: Duration) {
        record(microseconds: Self.microseconds(duration))
    }

    /// `duration` in whole microseconds (0 for a negative one), as ``record(_:)`` records it.
    static func microseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return seconds < 0 ? 0 : UInt64(seconds) &* 1_000_000 &+ UInt64(max(0, attoseconds) / 1_000_000_000_000)
    }

    /// Records one latency in microseconds (clamped to the tracked range).
    public mutating func record(microseconds: UInt64) {
        histogram.record(min(max(microseconds, Self.lowestMicroseconds), Self.highestMicroseconds))
    }

    /// The latency at `percentile` (0–100) in microseconds; 0 when empty.
    public func microseconds(atPercentile percentile: Double) -> UInt64 {
        count == 0 ? 0 : histogram.valueAtPercentile(percentile)
    }

    /// The largest latency recorded, in microseconds, exactly; 0 when empty.
    public var maxMicroseconds: UInt64 { count == 0 ? 0 : histogram.maxRecorded }

    /// Adds every count of `other` (the layouts are the same by construction).
    public mutating func add(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
    }

    // MARK: - Encoding (docs/load.md, "Histogram encoding")

    /// The first bytes of an encoded histogram: `AZH` and format version 1.
    static let magic: [UInt8] = [0x41, 0x5A, 0x48, 0x01]

    /// The histogram as base64 of: the magic `AZH\u{1}`, then unsigned LEB128 varints: lowest
    /// value, highest value, significant digits, the exact smallest and largest values recorded
    /// (0 and 0 when empty), the number of non-empty buckets, and per bucket (ascending) the gap
    /// from the previous bucket's value (the first from 0) and its count. A bucket's value is the
    /// highest value equivalent to it, so decoding records each count in the same bucket: counts
    /// come back exactly; the exact extremes keep `max` and the percentiles (which the library
    /// clamps to the largest value recorded) exactly as they were.
    public var encoded: String {
        var bytes = Self.magic
        var buckets: [(UInt64, UInt64)] = []
        for value in histogram.recordedValues() { buckets.append((value.value, UInt64(value.count))) }
        let (low, high) = count == 0 ? (0, 0) : (histogram.min, histogram.maxRecorded)
        for field in [Self.lowestMicroseconds, Self.highestMicroseconds, 3, low, high, UInt64(buckets.count)] {
            Self.appendVarint(field, to: &bytes)
        }
        var previous: UInt64 = 0
        for (value, count) in buckets {
            Self.appendVarint(value - previous, to: &bytes)
            Self.appendVarint(count, to: &bytes)
            previous = value
        }
        return Data(bytes).base64EncodedString()
    }

    /// Decodes ``encoded``; a text that is not one (or has another layout) is an error saying why.
    public init(encoded text: String) throws(LatencyHistogramDecodingError) {
        guard let data = Data(base64Encoded: text) else { throw .init("not base64") }
        let bytes = [UInt8](data)
        guard bytes.starts(with: Self.magic) else { throw .init("does not start with the histogram marker AZH and version 1") }
        var offset = Self.magic.count
        func next() throws(LatencyHistogramDecodingError) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                let byte = bytes[offset]
                offset += 1
                guard shift < 64 else { break }
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
            throw .init("ends in the middle of a number")
        }
        let layout = (try next(), try next(), try next())
        guard layout == (Self.lowestMicroseconds, Self.highestMicroseconds, 3) else {
            throw .init("has layout \(layout.0)…\(layout.1) µs at \(layout.2) digits; expected 1…3600000000 µs at 3 digits")
        }
        self.init()
        let (low, high) = (try next(), try next())
        let bucketCount = try next()
        var value: UInt64 = 0
        for index in 0..<bucketCount {
            let (sum, overflow) = value.addingReportingOverflow(try next())
            guard !overflow else { throw .init("has a bucket beyond the tracked range") }
            value = sum
            let count = try next()
            guard count > 0 else { throw .init("has an empty bucket") }
            // The first bucket is recorded at the exact smallest value and the last at the exact
            // largest (the library keeps both as recorded), so its extremes come back as they were.
            var at: [(UInt64, UInt64)] = [(value, count)]
            if index == bucketCount - 1 {
                if index == 0, low != high {
                    guard count >= 2 else { throw .init("has one value but different smallest and largest values") }
                    at = [(low, UInt64(1)), (high, count - 1)]
                } else {
                    at = [(high, count)]
                }
            } else if index == 0 {
                at = [(low, count)]
            }
            for (recorded, n) in at where n > 0 {
                guard histogram.valuesAreEquivalent(recorded, value) else {
                    throw .init("has a smallest or largest value outside its bucket")
                }
                // A bucket's value is its highest equivalent, which may pass the tracked top a
                // little; the layout still indexes it, and `record` says when it does not.
                guard histogram.record(recorded, count: n) else { throw .init("has a bucket beyond the tracked range") }
            }
        }
        guard offset == bytes.count else { throw .init("has \(bytes.count - offset) bytes after the last bucket") }
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        repeat {
            let low = UInt8(rest & 0x7F)
            rest >>= 7
            bytes.append(rest == 0 ? low : low | 0x80)
        } while rest != 0
    }
}

extension LatencyHistogram: Codable {
    /// Decodes the base64 text of ``encoded``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(encoded: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "histogram: \(error.message)")
        }
    }

    /// Encodes ``encoded`` as one string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(encoded)
    }
}

/// An encoded histogram that could not be read.
public struct LatencyHistogramDecodingError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, after "the encoded histogram".
    public let message: String

    init(_ message: String) { self.message = message }

    /// `the encoded histogram …`.
    public var description: String { "the encoded histogram \(message)" }
}
#endif
