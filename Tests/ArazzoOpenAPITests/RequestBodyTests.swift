import Testing
import ArazzoJSON
import ArazzoOpenAPI
import OrderedCollections

@Suite("Request bodies and payload replacements (A20, A21)")
struct RequestBodyTests {
    @Test("media types are classified by essence, parameters ignored")
    func kinds() {
        #expect(RequestBodyEncoder.kind(of: "application/json; charset=utf-8") == .json)
        #expect(RequestBodyEncoder.kind(of: "application/problem+json") == .json)
        #expect(RequestBodyEncoder.kind(of: "APPLICATION/X-WWW-FORM-URLENCODED") == .form)
        #expect(RequestBodyEncoder.kind(of: "multipart/form-data") == .multipart)
        #expect(RequestBodyEncoder.kind(of: "application/soap+xml") == .xml)
        #expect(RequestBodyEncoder.kind(of: "text/xml") == .xml)
        #expect(RequestBodyEncoder.kind(of: "text/csv") == .text)
        #expect(RequestBodyEncoder.kind(of: "application/octet-stream") == .other)
    }

    @Test("JSON: structured values are serialized; a string payload is JSON text sent as is")
    func json() throws {
        let encoded = try RequestBodyEncoder.encode(["a": 1, "b": [true, nil]], contentType: "application/json")
        #expect(String(decoding: encoded.bytes, as: UTF8.self) == #"{"a":1,"b":[true,null]}"#)
        let template = try RequestBodyEncoder.encode("{\"id\": \"7\"}", contentType: "application/json")
        #expect(String(decoding: template.bytes, as: UTF8.self) == "{\"id\": \"7\"}")
    }

    @Test("A20: form-urlencoded objects: + for spaces, percent-escapes, repeated keys for arrays")
    func form() throws {
        let encoded = try RequestBodyEncoder.encode(
            ["grant_type": "client_credentials", "scope": "read write", "redirect": "https://x/y?z=1", "tag": ["a", "b"], "n": 3],
            contentType: "application/x-www-form-urlencoded")
        #expect(String(decoding: encoded.bytes, as: UTF8.self)
            == "grant_type=client_credentials&scope=read+write&redirect=https%3A%2F%2Fx%2Fy%3Fz%3D1&tag=a&tag=b&n=3")
    }

    @Test("issue 12: form text parses into fields (+ and %XX decoded, repeated names as arrays) and encodes back")
    func formFields() throws {
        let fields = RequestBodyEncoder.formFields(parsing: "grant_type=password&scope=read+write&city=Z%C3%BCrich&tag=a&tag=b&&flag")
        #expect(fields == ["grant_type": "password", "scope": "read write", "city": "Zürich", "tag": ["a", "b"], "flag": ""])
        let replaced = try RequestBodyEncoder.replacing(in: .object(fields), target: "/scope", with: "admin")
        let encoded = try RequestBodyEncoder.encode(replaced, contentType: "application/x-www-form-urlencoded")
        #expect(String(decoding: encoded.bytes, as: UTF8.self) == "grant_type=password&scope=admin&city=Z%C3%BCrich&tag=a&tag=b&flag=")
    }

    @Test("A20: a nested object in a form body needs an encoding (deepObject or JSON), else it is refused")
    func formNested() throws {
        #expect(throws: RequestBodyEncoder.Failure.self) {
            try RequestBodyEncoder.encode(["filter": ["a": 1]], contentType: "application/x-www-form-urlencoded")
        }
        let deep = try RequestBodyEncoder.encode(
            ["filter": ["a": 1, "b": "x y"]], contentType: "application/x-www-form-urlencoded",
            encoding: ["filter": ["style": "deepObject"]])
        #expect(String(decoding: deep.bytes, as: UTF8.self) == "filter%5Ba%5D=1&filter%5Bb%5D=x+y")
        let asJSON = try RequestBodyEncoder.encode(
            ["filter": ["a": 1]], contentType: "application/x-www-form-urlencoded",
            encoding: ["filter": ["contentType": "application/json"]])
        #expect(String(decoding: asJSON.bytes, as: UTF8.self) == "filter=%7B%22a%22%3A1%7D")
    }

    @Test("multipart/form-data: one part per member, JSON parts for objects, boundary in the content type")
    func multipart() throws {
        let encoded = try RequestBodyEncoder.encode(["name": "Rex", "meta": ["age": 3], "tags": ["a", "b"]], contentType: "multipart/form-data")
        let boundary = try #require(encoded.contentType.split(separator: "=").last.map(String.init))
        #expect(encoded.contentType == "multipart/form-data; boundary=\(boundary)")
        let text = String(decoding: encoded.bytes, as: UTF8.self)
        #expect(text == """
            --\(boundary)\r
            Content-Disposition: form-data; name="name"\r
            \r
            Rex\r
            --\(boundary)\r
            Content-Disposition: form-data; name="meta"\r
            Content-Type: application/json\r
            \r
            {"age":3}\r
            --\(boundary)\r
            Content-Disposition: form-data; name="tags"\r
            \r
            a\r
            --\(boundary)\r
            Content-Disposition: form-data; name="tags"\r
            \r
            b\r
            --\(boundary)--\r

            """)
        // Deterministic: the same payload gets the same boundary.
        let again = try RequestBodyEncoder.encode(["name": "Rex", "meta": ["age": 3], "tags": ["a", "b"]], contentType: "multipart/form-data")
        #expect(again == encoded)
    }

    @Test("A20: XML payloads must be strings; text bodies take strings and scalars")
    func xmlAndText() throws {
        #expect(throws: RequestBodyEncoder.Failure.self) {
            try RequestBodyEncoder.encode(["pet": ["id": 1]], contentType: "application/xml")
        }
        let xml = try RequestBodyEncoder.encode("<pet><id>1</id></pet>", contentType: "application/xml")
        #expect(String(decoding: xml.bytes, as: UTF8.self) == "<pet><id>1</id></pet>")
        let text = try RequestBodyEncoder.encode(42, contentType: "text/plain")
        #expect(String(decoding: text.bytes, as: UTF8.self) == "42")
        #expect(throws: RequestBodyEncoder.Failure.self) { try RequestBodyEncoder.encode(["a": 1], contentType: "text/plain") }
    }

    @Test("A21: replacing an existing member, adding a missing one, appending with '-' or the length")
    func replacements() throws {
        var payload: JSONValue = ["pet": ["name": "Rex", "tags": ["a"]]]
        payload = try RequestBodyEncoder.replacing(in: payload, target: "/pet/name", with: "Max")
        payload = try RequestBodyEncoder.replacing(in: payload, target: "/pet/age", with: 3)
        payload = try RequestBodyEncoder.replacing(in: payload, target: "/pet/tags/-", with: "b")
        payload = try RequestBodyEncoder.replacing(in: payload, target: "/pet/tags/2", with: "c")
        payload = try RequestBodyEncoder.replacing(in: payload, target: "/pet/tags/0", with: "z")
        #expect(payload == ["pet": ["name": "Max", "tags": ["z", "b", "c"], "age": 3]])
        #expect(try RequestBodyEncoder.replacing(in: payload, target: "", with: 1) == 1)
        #expect(try RequestBodyEncoder.replacing(in: ["a~b": 1, "c/d": 2], target: "/a~0b", with: 3) == ["a~b": 3, "c/d": 2])
    }

    @Test("A21: a missing parent, a bad index or a non-pointer target is an error")
    func replacementErrors() {
        #expect(throws: RequestBodyEncoder.Failure.self) { try RequestBodyEncoder.replacing(in: ["a": 1], target: "/b/c", with: 1) }
        #expect(throws: RequestBodyEncoder.Failure.self) { try RequestBodyEncoder.replacing(in: ["a": [1]], target: "/a/5", with: 1) }
        #expect(throws: RequestBodyEncoder.Failure.self) { try RequestBodyEncoder.replacing(in: ["a": [1]], target: "/a/x", with: 1) }
        #expect(throws: RequestBodyEncoder.Failure.self) { try RequestBodyEncoder.replacing(in: ["a": 1], target: "a", with: 1) }
        #expect(throws: RequestBodyEncoder.Failure.self) { try RequestBodyEncoder.replacing(in: ["a": 1], target: "/a/b", with: 1) }
    }
}
