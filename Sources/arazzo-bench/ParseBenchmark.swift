#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import ArazzoModel
import ArazzoYAML
import CYAML
import Foundation
import ArazzoDiagnostics

/// YAML parsing throughput: libyaml's bare event loop (the physical limit for our design), our
/// located node tree, and (for Arazzo documents) the full AST.
enum ParseBenchmark {
    static func run(arguments: [String]) throws {
        guard let path = arguments.first else { throw BenchError.usage("parse needs a FILE") }
        let iterations = option("--iterations", in: arguments) ?? 15
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let megabytes = Double(bytes.count) / 1_000_000

        let events = Measure.samples(iterations: iterations) { _ = libyamlEventCount(bytes) }
        let tree = try Measure.samples(iterations: iterations) {
            _ = try YAMLParser.parse(bytes: bytes, file: path)
        }
        let eventRate = megabytes / Measure.median(events)
        let treeRate = megabytes / Measure.median(tree)
        var rows = [
            ["libyaml events only (baseline)", Measure.format(eventRate), "1.00"],
            ["YAML → located tree", Measure.format(treeRate), Measure.format(treeRate / eventRate, 2)],
        ]
        // An Arazzo document also goes through the reader: tree, AST and validation together.
        if (try? YAMLParser.parse(bytes: bytes, file: path))?["arazzo"] != nil {
            let text = String(decoding: bytes, as: UTF8.self)
            var errors = 0
            let ast = Measure.samples(iterations: iterations) {
                errors = ArazzoDocumentReader.read(text: text, file: path).diagnostics.errors.count
            }
            let astRate = megabytes / Measure.median(ast)
            rows.append(["YAML → Arazzo AST (validated)", Measure.format(astRate), Measure.format(astRate / eventRate, 2)])
            if errors > 0 { print("note: the document has \(errors) errors; the AST rate includes reporting them") }
        }
        print("parse \(path) (\(Measure.format(megabytes, 2)) MB, \(iterations) iterations, medians)")
        Measure.table(["stage", "MB/s", "vs libyaml events"], rows)
    }

    /// Counts libyaml events without building anything: the rate no tree builder can beat.
    static func libyamlEventCount(_ bytes: [UInt8]) -> Int {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { return 0 }
        defer { yaml_parser_delete(parser) }
        var count = 0
        bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while yaml_parser_parse(parser, &event) == 1 {
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                count += 1
                if done { break }
            }
        }
        return count
    }
}

/// A benchmark's own usage error.
enum BenchError: Error, CustomStringConvertible {
    case usage(String)

    var description: String {
        switch self {
        case .usage(let message): return message
        }
    }
}

/// The integer after `name` in `arguments`, if present.
func option(_ name: String, in arguments: [String]) -> Int? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return Int(arguments[index + 1])
}
#endif
