import ArazzoDiagnostics
import ArazzoTestSupport
import ArazzoYAML
import Testing

/// Regressions found by the hostile corpus and the fuzzers (fuzz/, Fixtures/invalid/hostile/).
@Suite("YAML hostile input")
struct HostileInputTests {
    func failure(_ text: String) -> String {
        do {
            _ = try YAMLParser.parse(text, file: "bad.yaml")
            return "no error"
        } catch {
            return error.description
        }
    }

    /// Each appended item used to copy the items before it (an enum payload taken out of the
    /// frame stack and put back): 8,000 workflows took 9 s, 100,000 would take half an hour.
    @Test("long sequences and mappings build in linear time")
    func linearCollections() throws {
        let count = 200_000
        let sequence = "[" + Array(repeating: "1", count: count).joined(separator: ", ") + "]"
        let mapping = (0..<count).map { "k\($0): 1" }.joined(separator: "\n")
        var parsed: (YAMLNode, YAMLNode)?
        let elapsed = try ThreadCPUTime.measure {
            parsed = (try YAMLParser.parse(sequence, file: "s.yaml"), try YAMLParser.parse(mapping, file: "m.yaml"))
        }
        #expect(parsed?.0.sequence?.count == count)
        #expect(parsed?.1.mapping?.count == count)
        // Linear is a few CPU seconds in a debug build; quadratic is hours.
        #expect(elapsed < .seconds(60), "took \(elapsed)")
    }

    @Test("encoding errors point at the offending byte's line and column")
    func encodingErrorLocation() {
        func failure(_ bytes: [UInt8]) -> String {
            do {
                _ = try YAMLParser.parse(bytes: bytes, file: "bad.yaml")
                return "no error"
            } catch {
                return error.description
            }
        }
        // Latin-1 `é` (0xE9) on the third line, after `x: caf`.
        #expect(failure(Array("a: 1\r\nb: 2\nx: caf".utf8) + [0xE9, 0x0A])
            == "bad.yaml:3:7: error: incomplete UTF-8 octet sequence at byte 17; the file must be UTF-8 or UTF-16 text")
        #expect(failure(Array("k: \u{E9}\u{E9}".utf8) + [0x01])
            == "bad.yaml:1:6: error: control characters are not allowed at byte 7; the file must be UTF-8 or UTF-16 text")
    }

    @Test("an error at the end of input without a final line break points into the last line")
    func truncatedInputLocation() {
        #expect(failure("{\"a\": [1, ") == "bad.yaml:1:11: error: did not find expected node content while parsing a flow node")
        #expect(failure("a: b\nc: [x, \u{E9}") == "bad.yaml:2:9: error: did not find expected ',' or ']' while parsing a flow sequence")
        #expect(failure("a: 'open") == "bad.yaml:1:9: error: found unexpected end of stream while scanning a quoted scalar")
        // With a final line break the error stays on the empty last line, which exists.
        #expect(failure("a: 'open\n") == "bad.yaml:2:1: error: found unexpected end of stream while scanning a quoted scalar")
    }
}
