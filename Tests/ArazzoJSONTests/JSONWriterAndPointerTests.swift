import ArazzoJSON
import Testing
import OrderedCollections

@Suite("JSON text writer")
struct JSONWriterTests {
    @Test("compact output keeps member order and number forms")
    func compact() {
        let value: JSONValue = ["b": 1, "a": [1.0, 2.5, true, nil, "x"], "c": ["d": -3]]
        #expect(value.jsonText() == #"{"b":1,"a":[1.0,2.5,true,null,"x"],"c":{"d":-3}}"#)
    }

    @Test("escapes what RFC 8259 requires and nothing else")
    func escapes() {
        let value: JSONValue = .string("q\"b\\n\n r\r t\t \u{08}\u{0C}\u{01}\u{1F} é/€😀")
        #expect(value.jsonText() == #""q\"b\\n\n r\r t\t \b\f\u0001\u001f é/€😀""#)
    }

    @Test("escapes at the ends of a string and runs without escapes are written whole")
    func escapeRuns() {
        #expect(JSONValue.string("").jsonText() == #""""#)
        #expect(JSONValue.string("\"").jsonText() == #""\"""#)
        #expect(JSONValue.string("\nmiddle of a longer run of text, not inlined\u{00}").jsonText()
            == #""\nmiddle of a longer run of text, not inlined\u0000""#)
        #expect(JSONValue.string("😀\\😀").jsonText() == #""😀\\😀""#)
    }

    @Test("escapes found eight bytes at a time at every offset, as byte by byte (decision JF1)")
    func escapesAtEveryOffset() {
        // The reference: RFC 8259's escapes, one character at a time.
        func reference(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                case "\u{00}"..."\u{1F}": out += "\\u00" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        let specials = ["\"", "\\", "\n", "\u{00}", "\u{1F}", "é", "😀", " ", "\u{7F}"]
        for length in 0...20 {
            for position in 0...length {
                for special in specials {
                    for tail in ["", "\"", "é\\", "abcdefghij\n"] {
                        var text = String(repeating: "a", count: length)
                        text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
                        text += tail
                        #expect(JSONValue.string(text).jsonText() == reference(text), "\(Array(text.utf8))")
                        let object: JSONValue = .object([text: .string(text), "k": 1])
                        #expect(object.jsonText() == "{" + reference(text) + ":" + reference(text) + ",\"k\":1}")
                    }
                }
            }
        }
    }

    @Test("pretty printing and sorted keys")
    func pretty() {
        let value: JSONValue = ["b": [1, 2], "a": [:], "c": []]
        #expect(value.jsonText(.init(prettyPrinted: true, sortedKeys: true)) == """
            {
              "a": {},
              "b": [
                1,
                2
              ],
              "c": []
            }
            """)
    }

    @Test("non-finite doubles have no JSON spelling and become null")
    func nonFinite() {
        #expect(JSONValue.array([.double(.infinity), .double(.nan)]).jsonText() == "[null,null]")
    }

    @Test("serialization is linear: a large document writes in one pass")
    func large() {
        let big = JSONValue.array(Array(repeating: ["name": "item", "tags": ["a", "b"]], count: 50_000))
        #expect(big.jsonText().utf8.count == 50_000 * 32 + 49_999 + 2)
    }

    @Test("numbers compare by value across int and double; hashing agrees")
    func numericEquality() {
        #expect(JSONValue.int(1) == .double(1.0))
        #expect(JSONValue.int(1) != .double(1.5))
        #expect(Set<JSONValue>([.int(2), .double(2.0)]).count == 1)
        #expect(JSONValue.object(["a": 1, "b": 2]) == JSONValue.object(["b": 2, "a": 1]))
        #expect(NumberValue.int(3) < .double(3.5))
        #expect(NumberValue.double(2.5) < .int(3))
        #expect(!(NumberValue.int(3) < .double(3.0)))
    }
}

@Suite("RFC 6901 JSON Pointer")
struct JSONPointerTests {
    let document: JSONValue = [
        "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, "i\\j": 5,
        "k\"l": 6, " ": 7, "m~n": 8,
    ]

    @Test(
        "the RFC 6901 §5 examples",
        arguments: [
            ("", nil), ("/foo", JSONValue.array(["bar", "baz"])), ("/foo/0", "bar"), ("/", 0), ("/a~1b", 1),
            ("/c%d", 2), ("/e^f", 3), ("/g|h", 4), ("/i\\j", 5), ("/k\"l", 6), ("/ ", 7), ("/m~0n", 8),
        ] as [(String, JSONValue?)])
    func examples(_ pointer: String, _ expected: JSONValue?) throws {
        let resolved = try JSONPointer(parsing: pointer).resolve(in: document)
        #expect(resolved == (expected ?? document))
    }

    @Test("errors name the failing token")
    func errors() {
        func failure(_ text: String) -> String {
            do {
                _ = try JSONPointer(parsing: text).resolve(in: document)
                return "no error"
            } catch {
                return error.message
            }
        }
        #expect(failure("foo") == "a JSON pointer must be empty or start with '/'")
        #expect(failure("/m~2n") == "invalid escape '~2' in token 0; write ~0 for '~' and ~1 for '/'")
        #expect(failure("/missing") == "no member 'missing' at the root")
        #expect(failure("/foo/2") == "index 2 at '/foo' is out of range (the array has 2 elements)")
        #expect(failure("/foo/01") == "'01' at '/foo' is not an array index")
        #expect(failure("/foo/-") == "'-' at '/foo' names the element after the last one, which does not exist")
        #expect(failure("/foo/0/x") == "cannot take 'x' of a string at '/foo/0'")
    }

    @Test("description re-escapes tokens")
    func roundTrip() throws {
        let pointer = try JSONPointer(parsing: "/a~1b/m~0n/0")
        #expect(pointer.tokens == ["a/b", "m~n", "0"])
        #expect(pointer.description == "/a~1b/m~0n/0")
    }
}

/// JSON strings are sequences of code points: canonically equivalent spellings are different values.
@Test func stringEqualityComparesCodePoints() {
    let composed = JSONValue.string("\u{E9}")
    let decomposed = JSONValue.string("e\u{301}")
    #expect(composed != decomposed)
    #expect(JSONValue.array([composed]) != JSONValue.array([decomposed]))
    #expect(composed == JSONValue.string("\u{E9}"))
    // Hashing stays consistent with equality: equal values land in one set entry.
    #expect(Set([composed, .string("\u{E9}"), decomposed]).count == 2)
}
