import ArazzoJSON
import Foundation
import Testing
import OrderedCollections

/// `JSONTape` against the tree parser (decisions TP1, TP2): the same texts accepted, the same
/// errors, the same materialised values down to int-versus-double and member order, and the same
/// JSON Pointer answers.
@Suite struct JSONTapeTests {
    /// Strict identity: `==` on `JSONValue` equates `1` and `1.0` and ignores member order.
    static func identical(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN)
        case let (.string(x), .string(y)): return x.utf8.elementsEqual(y.utf8)
        case let (.array(x), .array(y)):
            return x.count == y.count && zip(x, y).allSatisfy { identical($0, $1) }
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy {
                $0.key.utf8.elementsEqual($1.key.utf8) && identical($0.value, $1.value)
            }
        default: return false
        }
    }

    /// Parses `bytes` both ways; nil when they agree, else what differs.
    static func disagreement(_ bytes: [UInt8], maxDepth: Int = 512) -> String? {
        let tree: Result<JSONValue, JSONParseError> = Result { () throws(JSONParseError) in try JSONValue(parsing: bytes, maxDepth: maxDepth) }
        let tape: Result<JSONTape, JSONParseError> = Result { () throws(JSONParseError) in try JSONTape(parsing: bytes, maxDepth: maxDepth) }
        switch (tree, tape) {
        case let (.success(value), .success(tape)):
            return identical(value, tape.root.value) ? nil : "values differ"
        case let (.failure(a), .failure(b)):
            return a == b ? nil : "errors differ: \(a) vs \(b)"
        case (.success, .failure(let error)):
            return "the tape fails (\(error)) where the tree parses"
        case (.failure(let error), .success):
            return "the tape parses where the tree fails (\(error))"
        }
    }

    static let conformance: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/conformance")

    /// Every `.json` file of the JSONPath CTS and the JSON-Schema-Test-Suite.
    static func corpusFiles() -> [[UInt8]] {
        var files: [[UInt8]] = []
        for folder in ["jsonpath-cts", "json-schema-test-suite"] {
            let root = conformance.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: root.path) else { continue }
            for case let path as String in walker where path.hasSuffix(".json") {
                if let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) {
                    files.append(Array(data))
                }
            }
        }
        return files
    }

    /// Every node of `value`, with its pointer.
    static func nodes(_ value: JSONValue, _ tokens: [String] = [], into out: inout [([String], JSONValue)]) {
        out.append((tokens, value))
        switch value {
        case .object(let members):
            for (key, member) in members { nodes(member, tokens + [key], into: &out) }
        case .array(let elements):
            for (i, element) in elements.enumerated() { nodes(element, tokens + [String(i)], into: &out) }
        default: break
        }
    }

    /// Resolves `pointer` both ways; nil when they agree.
    static func pointerDisagreement(_ pointer: JSONPointer, _ value: JSONValue, _ tape: JSONTape) -> String? {
        let tree = Result { () throws(JSONPointer.Failure) in try pointer.resolve(in: value) }
        let onTape = Result { () throws(JSONPointer.Failure) in try pointer.resolve(in: tape.root).value }
        switch (tree, onTape) {
        case let (.success(a), .success(b)): return identical(a, b) ? nil : "\(pointer): values differ"
        case let (.failure(a), .failure(b)): return a == b ? nil : "\(pointer): \(a) vs \(b)"
        default: return "\(pointer): one resolves, the other fails"
        }
    }

    @Test func theCorpusParsesAndMaterialisesAlike() throws {
        let files = Self.corpusFiles()
        try #require(files.count > 100, "the conformance suites are expected at ../shared/conformance")
        var texts = 0
        var failures: [String] = []
        for file in files {
            texts += 1
            if let why = Self.disagreement(file) { failures.append(why) }
            guard let value = try? JSONValue(parsing: file) else { continue }
            var all: [([String], JSONValue)] = []
            Self.nodes(value, into: &all)
            // Every node as its own text, compact and pretty.
            for (_, node) in all {
                for text in [node.jsonText(), node.jsonText(.init(prettyPrinted: true))] {
                    texts += 1
                    if let why = Self.disagreement(Array(text.utf8)) { failures.append("\(why) in \(text.prefix(80))") }
                }
            }
        }
        #expect(texts > 50_000)
        #expect(failures.isEmpty, "\(failures.count) disagreements, first: \(failures.prefix(5))")
    }

    @Test func pointersResolveAlikeOverTheCorpus() throws {
        let files = Self.corpusFiles()
        try #require(files.count > 100, "the conformance suites are expected at ../shared/conformance")
        var resolved = 0
        var failures: [String] = []
        for file in files {
            guard let value = try? JSONValue(parsing: file), let tape = try? JSONTape(parsing: file) else { continue }
            var all: [([String], JSONValue)] = []
            Self.nodes(value, into: &all)
            for (tokens, node) in all {
                // The node itself, then ways past it that fail: a missing name, `-`, a leading
                // zero, an index out of range, a step into a scalar.
                var pointers = [tokens, tokens + ["no such member"], tokens + ["-"], tokens + ["01"], tokens + ["999999"]]
                if case .array(let elements) = node { pointers.append(tokens + [String(elements.count)]) }
                if case .object(let members) = node, let first = members.keys.first { pointers.append(tokens + [first, "x"]) }
                for pointer in pointers {
                    resolved += 1
                    if let why = Self.pointerDisagreement(JSONPointer(tokens: pointer), value, tape) { failures.append(why) }
                }
            }
        }
        #expect(resolved > 50_000)
        #expect(failures.isEmpty, "\(failures.count) disagreements, first: \(failures.prefix(5))")
    }

    @Test(arguments: validCases) func validTextsMaterialiseAsTheTreeParses(_ valid: ValidCase) throws {
        #expect(Self.disagreement(Array(valid.text.utf8)) == nil)
        #expect(Self.identical(try JSONTape(parsing: Array(valid.text.utf8)).root.value, valid.expected))
    }

    @Test(arguments: invalidCases) func invalidTextsFailAsTheTreeParserFails(_ invalid: InvalidCase) {
        #expect(throws: invalid.error) { try JSONTape(parsing: invalid.bytes) }
    }

    /// Repeated names, canonically equal names, escapes, numbers at the edges, depth limits,
    /// bad UTF-8 and the byte-order mark.
    @Test(arguments: [
        #"{"a":1,"a":2}"#, #"{"a":1,"b":[1,2],"a":{"c":3}}"#, #"{"K":1,"\u212A":2}"#, "{\"K\":1,\"\u{212A}\":2}",
        #"{"a":1,"\u0061":2}"#, "{\"é\":1,\"e\u{301}\":2}", #"{"\u00e9":1,"é":2}"#,
        #"[-0, 0, -0.0, 1e400, -1e400, 9223372036854775807, 9223372036854775808, -9223372036854775808, -9223372036854775809]"#,
        #"[0.1, 1.5e-10, 123456789012345678901234567890, 1E2, 1e+2, 2.2250738585072014e-308]"#,
        #"["\"\\\/\b\f\n\r\t", "\uD83D\uDE00", "\uD83D", "\uDE00", "\u00", "\x"]"#,
        "\u{FEFF}{\"a\":[]}", "{\"a\":{\"b\":{}},\"c\":[[],{}]}", "\"\u{1}\"",
        #"{"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k1":17}"#,
    ])
    func edgeCasesAgree(_ text: String) {
        #expect(Self.disagreement(Array(text.utf8)) == nil)
    }

    @Test func invalidUTF8AndDepthLimitsAgree() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x5B, 0x22, 0xF4, 0x90, 0x80, 0x80, 0x22, 0x5D]] {
            #expect(Self.disagreement(bytes) == nil)
        }
        for depth in [511, 512, 513] {
            let nested = Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
            #expect(Self.disagreement(nested) == nil)
            let objects = String(repeating: "{\"a\":", count: depth) + "1" + String(repeating: "}", count: depth)
            #expect(Self.disagreement(Array(objects.utf8)) == nil)
        }
        #expect(Self.disagreement(Array("[[[1]]]".utf8), maxDepth: 2) == nil)
    }

    /// Strings are scanned eight bytes at a time: a quote, backslash, control byte, non-ASCII or
    /// invalid byte at every position of the first windows is found as the byte loop finds it.
    @Test func everyByteOfTheWideScanIsSeen() {
        let specials: [[UInt8]] = [[0x5C, 0x6E], [0x5C, 0x78], [0x01], [0x1F], [0xC3, 0xA9], [0xFF], [0xED, 0xA0, 0x80], [0x7F], [0x20]]
        for length in 0...24 {
            for position in 0...length {
                for special in specials {
                    var text: [UInt8] = [0x22] + Array(repeating: UInt8(ascii: "a"), count: length) + [0x22]
                    text.insert(contentsOf: special, at: 1 + position)
                    #expect(Self.disagreement(text) == nil, "\(text)")
                    #expect(Self.disagreement([0x7B] + text + [0x3A, 0x31, 0x7D]) == nil, "\(text)")
                }
                // A string cut off inside the wide part.
                let open: [UInt8] = [0x22] + Array(repeating: UInt8(ascii: "b"), count: position)
                #expect(Self.disagreement(open) == nil)
            }
        }
    }

    /// The wide scan stops at the lowest byte its word test flags (decision JF1's string part):
    /// the same specials at every alignment of the string in the text (offset mod 8), with
    /// ASCII, non-ASCII and a second special after the first.
    @Test func theWideScanEndsAtTheFirstSpecialAtEveryAlignment() {
        let specials: [[UInt8]] = [[0x22], [0x5C, 0x22], [0x5C, 0x75, 0x30, 0x30, 0x34, 0x31], [0x0A], [0x00], [0xC3, 0xA9], [0xFF], [0xE2, 0x82]]
        for lead in 0..<8 {
            for length in 0...17 {
                for special in specials {
                    for tail: [UInt8] in [[], [0x22], [0x01, 0x22], [0xC3, 0xA9, 0x22], [0x5C, 0x22, 0x22]] {
                        var content = Array("abcdefghijklmnopq".utf8.prefix(length))
                        content += special + tail
                        let text: [UInt8] = Array(repeating: 0x20, count: lead) + [0x22] + content + [0x22]
                        #expect(Self.disagreement(text) == nil, "\(text)")
                        let member = Array(repeating: 0x20, count: lead) + [0x7B, 0x22] + content + [0x22, 0x3A, 0x30, 0x7D]
                        #expect(Self.disagreement(member) == nil, "\(member)")
                    }
                }
            }
        }
    }

    /// Repeated names found by word signatures (decision JF2): names sharing length, first,
    /// middle and last byte, prefixes, the empty name, escaped and non-ASCII names, in objects
    /// below and above the pairwise limit, with the repeat at each position.
    @Test func repeatedNamesAreFoundInSmallAndLargeObjects() throws {
        let pools: [[String]] = [
            (0..<40).map { "k\($0)" },
            (0..<40).map { (i: Int) -> String in
                let pad = String(repeating: "x", count: i % 5)
                let middle = String(UnicodeScalar(UInt8(65 + i / 5)))
                return "a" + pad + middle + pad + "b"
            },
            (0..<40).map { (i: Int) -> String in "ab\(i % 10)\(i / 10)cb" },
            (0..<40).map { String(repeating: "q", count: $0) },
        ]
        for pool in pools {
            for count in [1, 2, 3, 15, 16, 17, 40] {
                let names = Array(pool.prefix(count))
                var variants: [[String]] = [names]
                for position in Set([0, count / 2, count - 1]) where count > 1 {
                    var repeated = names
                    repeated.insert(names[(position + 1) % count], at: position)
                    variants.append(repeated)
                    var escaped = names
                    escaped[position] = names[position].isEmpty ? "\\u0041" : "\\u00" + String(names[position].utf8.first!, radix: 16) + String(names[position].dropFirst())
                    variants.append(escaped)
                }
                for variant in variants {
                    let text = "{" + variant.enumerated().map { "\"\($0.element)\":\($0.offset)" }.joined(separator: ",") + "}"
                    let tape = try JSONTape(parsing: Array(text.utf8))
                    guard case .object(let object) = try JSONValue(parsing: text) else {
                        Issue.record("not an object: \(text)")
                        continue
                    }
                    #expect(tape.root.repeatsNames == (object.count != variant.count), "\(text)")
                    #expect(Self.disagreement(Array(text.utf8)) == nil)
                }
            }
        }
        // Canonically equal names without equal bytes in a large object.
        let large = "{" + (0..<20).map { "\"n\($0)\":0" }.joined(separator: ",") + ",\"K\":1,\"\u{212A}\":2}"
        #expect(try JSONTape(parsing: Array(large.utf8)).root.repeatsNames)
    }

    @Test func pointersOnRepeatedAndCanonicallyEqualNamesTakeTheLastValue() throws {
        let text = #"{"a":1,"K":2,"a":3,"\u212A":4,"arr":[10,20]}"#
        let tape = try JSONTape(parsing: Array(text.utf8))
        #expect(tape.root.repeatsNames)
        #expect(try JSONPointer(parsing: "/a").resolve(in: tape.root).value == .int(3))
        #expect(try JSONPointer(parsing: "/K").resolve(in: tape.root).value == .int(4))
        #expect(try JSONPointer(parsing: "/arr/1").resolve(in: tape.root).value == .int(20))
        #expect(throws: JSONPointer.Failure.self) { try JSONPointer(parsing: "/arr/2").resolve(in: tape.root) }
        let value = try JSONValue(parsing: text)
        for pointer in ["", "/a", "/K", "/arr", "/arr/0", "/arr/-", "/arr/01", "/a/x", "/zz", "/arr/2"] {
            #expect(Self.pointerDisagreement(try JSONPointer(parsing: pointer), value, tape) == nil)
        }
    }

    @Test func nodesReadInPlace() throws {
        let tape = try JSONTape(parsing: Array(#"{"id":"m-1","n":2,"x":1.5,"ok":true,"list":[1,"b",null]}"#.utf8))
        let root = tape.root
        #expect(root.kind == .object && root.count == 5 && !root.repeatsNames)
        #expect(root.member(named: "id")?.stringValue == "m-1")
        #expect(root.member(named: "n")?.numberValue == .int(2))
        #expect(root.member(named: "x")?.numberValue == .double(1.5))
        #expect(root.member(named: "ok")?.boolValue == true)
        #expect(root.member(named: "missing") == nil)
        let list = try #require(root.member(named: "list"))
        #expect(list.kind == .array && list.count == 3)
        #expect(list.elements.map(\.kind) == [.int, .string, .null])
        #expect(list.element(at: 1)?.stringValue == "b")
        #expect(list.element(at: 3) == nil)
        #expect(root.members.map(\.name.string) == ["id", "n", "x", "ok", "list"])
    }

    /// The tape's storage starts at about one token per eight bytes and grows by stopping before a
    /// value and resuming in a larger array (decision JP1): texts far denser than that, cut off at
    /// every byte and with an error at every position, agree with the tree parser.
    @Test func theTapeGrowsAndResumesAtEveryPoint() {
        for count in [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 64, 200] {
            for (open, close, item) in [("[", "]", "1"), ("[", "]", "[]"), ("[", "]", "{}"), ("{", "}", "")] {
                let items = (0..<count).map { open == "{" ? "\"\($0)\":0" : item }
                let text = Array((open + items.joined(separator: ",") + close).utf8)
                #expect(Self.disagreement(text) == nil, "\(String(decoding: text, as: UTF8.self))")
                guard count <= 31 else { continue }
                for cut in 0..<text.count {
                    #expect(Self.disagreement(Array(text.prefix(cut))) == nil, "\(String(decoding: text.prefix(cut), as: UTF8.self))")
                    var broken = text
                    broken[cut] = UInt8(ascii: ",")
                    #expect(Self.disagreement(broken) == nil, "\(String(decoding: broken, as: UTF8.self))")
                }
            }
        }
        // Nested containers, each level holding a dense array, across several growths.
        let nested = String(repeating: #"{"a":[1,2,3,4,5,6,7,8],"b":"#, count: 40) + "0" + String(repeating: "}", count: 40)
        #expect(Self.disagreement(Array(nested.utf8)) == nil)
        #expect(Self.disagreement(Array(nested.utf8), maxDepth: 30) == nil)
    }

    /// Escaped strings are validated, not built, while indexing (decision JP1): escapes,
    /// surrogate pairs and their errors, control bytes and bad UTF-8 around escapes, in names and
    /// in values, fail or decode as the tree parser does.
    @Test func escapedNamesAndValuesAgree() {
        let strings: [[UInt8]] = [
            Array(#"\u00e9\n\"x\\"#.utf8), Array(#"\uD83D\uDE00"#.utf8), Array(#"a\uD83D"#.utf8), Array(#"\uDE00b"#.utf8),
            Array(#"\uD83D\u0041"#.utf8), Array(#"\uD83Dx"#.utf8), Array(#"\u12"#.utf8), Array(#"\u12G4"#.utf8),
            Array(#"\q"#.utf8), Array(#"abc\"#.utf8), [0x5C, 0x6E, 0xFF], [0xC3, 0xA9, 0x5C, 0x6E, 0xC3], [0x5C, 0x6E, 0x01],
            [0xFF, 0x5C, 0x6E], [0xE2, 0x82, 0xAC, 0x5C, 0x2F, 0xF0, 0x9F, 0x98, 0x80], [0x5C, 0x75, 0x30, 0x30, 0x34, 0x31, 0xED, 0xA0, 0x80],
        ]
        for content in strings {
            let string: [UInt8] = [0x22] + content + [0x22]
            let texts: [[UInt8]] = [
                string, [0x5B] + string + [0x5D], [0x7B] + string + Array(#":1}"#.utf8),
                Array(#"{"a":{"b":["#.utf8) + string + Array("]}}".utf8), Array(#"{"k":1,"#.utf8) + string + Array(#":2}"#.utf8),
            ]
            for text in texts {
                #expect(Self.disagreement(text) == nil, "\(text)")
            }
        }
    }

    /// A repeated name deep inside a large object, inside nested objects and arrays, is found
    /// wherever it is, and only the object that repeats is marked.
    @Test func repeatedNamesDeepInLargeObjectsAreMarked() throws {
        let names = (0..<40).map { "name_\($0)_field" }
        for repeatAt in [1, 16, 17, 39] {
            var members = names.map { "\"\($0)\":{\"inner\":[1,{\"x\":1,\"y\":2}]}" }
            members.insert("\"\(names[repeatAt - 1])\":\"again\"", at: repeatAt)
            let large = "{" + members.joined(separator: ",") + "}"
            let text = #"{"outer":[{"a":1},"# + large + #",{"b":2,"c":3}],"tail":true}"#
            #expect(Self.disagreement(Array(text.utf8)) == nil)
            let tape = try JSONTape(parsing: Array(text.utf8))
            #expect(!tape.root.repeatsNames)
            let outer = try #require(tape.root.member(named: "outer"))
            #expect(outer.elements.map(\.repeatsNames) == [false, true, false])
        }
    }
}
