import Testing
import ArazzoJSON
import ArazzoOpenAPI

/// OpenAPI 3 style × explode × type, with the values of the OpenAPI "Style Examples" table:
/// primitive 5 (`id`), array [3, 4, 5], object {"role": "admin", "firstName": "Alex"}.
@Suite("Parameter serialization (A19)")
struct ParameterSerializationTests {
    static let primitive: JSONValue = 5
    static let array: JSONValue = [3, 4, 5]
    static let object: JSONValue = ["role": "admin", "firstName": "Alex"]

    struct Row: Sendable, CustomTestStringConvertible {
        let style: ParameterSerialization.Style
        let explode: Bool
        let value: JSONValue
        let expected: String
        var testDescription: String { "\(style.rawValue) explode=\(explode) \(value) → \(expected)" }
    }

    static let pathRows: [Row] = [
        Row(style: .simple, explode: false, value: primitive, expected: "5"),
        Row(style: .simple, explode: true, value: primitive, expected: "5"),
        Row(style: .simple, explode: false, value: array, expected: "3,4,5"),
        Row(style: .simple, explode: true, value: array, expected: "3,4,5"),
        Row(style: .simple, explode: false, value: object, expected: "role,admin,firstName,Alex"),
        Row(style: .simple, explode: true, value: object, expected: "role=admin,firstName=Alex"),
        Row(style: .label, explode: false, value: primitive, expected: ".5"),
        Row(style: .label, explode: true, value: primitive, expected: ".5"),
        Row(style: .label, explode: false, value: array, expected: ".3,4,5"),
        Row(style: .label, explode: true, value: array, expected: ".3.4.5"),
        Row(style: .label, explode: false, value: object, expected: ".role,admin,firstName,Alex"),
        Row(style: .label, explode: true, value: object, expected: ".role=admin.firstName=Alex"),
        Row(style: .matrix, explode: false, value: primitive, expected: ";id=5"),
        Row(style: .matrix, explode: true, value: primitive, expected: ";id=5"),
        Row(style: .matrix, explode: false, value: array, expected: ";id=3,4,5"),
        Row(style: .matrix, explode: true, value: array, expected: ";id=3;id=4;id=5"),
        Row(style: .matrix, explode: false, value: object, expected: ";id=role,admin,firstName,Alex"),
        Row(style: .matrix, explode: true, value: object, expected: ";role=admin;firstName=Alex"),
    ]

    @Test("A19: path styles", arguments: pathRows)
    func path(_ row: Row) throws {
        let s = ParameterSerialization(location: .path, style: row.style, explode: row.explode)
        #expect(try s.pathValue(name: "id", value: row.value) == row.expected)
    }

    static let queryRows: [Row] = [
        Row(style: .form, explode: true, value: primitive, expected: "id=5"),
        Row(style: .form, explode: false, value: primitive, expected: "id=5"),
        Row(style: .form, explode: true, value: array, expected: "id=3&id=4&id=5"),
        Row(style: .form, explode: false, value: array, expected: "id=3,4,5"),
        Row(style: .form, explode: true, value: object, expected: "role=admin&firstName=Alex"),
        Row(style: .form, explode: false, value: object, expected: "id=role,admin,firstName,Alex"),
        Row(style: .spaceDelimited, explode: false, value: array, expected: "id=3%204%205"),
        Row(style: .spaceDelimited, explode: true, value: array, expected: "id=3&id=4&id=5"),
        Row(style: .spaceDelimited, explode: false, value: object, expected: "id=role%20admin%20firstName%20Alex"),
        Row(style: .spaceDelimited, explode: false, value: primitive, expected: "id=5"),
        Row(style: .pipeDelimited, explode: false, value: array, expected: "id=3%7C4%7C5"),
        Row(style: .pipeDelimited, explode: true, value: array, expected: "id=3&id=4&id=5"),
        Row(style: .pipeDelimited, explode: false, value: object, expected: "id=role%7Cadmin%7CfirstName%7CAlex"),
        Row(style: .pipeDelimited, explode: true, value: primitive, expected: "id=5"),
        Row(style: .deepObject, explode: true, value: object, expected: "id%5Brole%5D=admin&id%5BfirstName%5D=Alex"),
        Row(style: .deepObject, explode: false, value: object, expected: "id%5Brole%5D=admin&id%5BfirstName%5D=Alex"),
    ]

    @Test("A19: query styles", arguments: queryRows)
    func query(_ row: Row) throws {
        let s = ParameterSerialization(location: .query, style: row.style, explode: row.explode)
        #expect(try s.queryPairs(name: "id", value: row.value).joined(separator: "&") == row.expected)
    }

    static let headerRows: [Row] = [
        Row(style: .simple, explode: false, value: primitive, expected: "5"),
        Row(style: .simple, explode: true, value: primitive, expected: "5"),
        Row(style: .simple, explode: false, value: array, expected: "3,4,5"),
        Row(style: .simple, explode: true, value: array, expected: "3,4,5"),
        Row(style: .simple, explode: false, value: object, expected: "role,admin,firstName,Alex"),
        Row(style: .simple, explode: true, value: object, expected: "role=admin,firstName=Alex"),
    ]

    @Test("A19: header style", arguments: headerRows)
    func header(_ row: Row) throws {
        let s = ParameterSerialization(location: .header, style: row.style, explode: row.explode)
        #expect(try s.headerValue(name: "X-Id", value: row.value) == row.expected)
    }

    static let cookieRows: [Row] = [
        Row(style: .form, explode: true, value: primitive, expected: "id=5"),
        Row(style: .form, explode: false, value: primitive, expected: "id=5"),
        Row(style: .form, explode: true, value: array, expected: "id=3; id=4; id=5"),
        Row(style: .form, explode: false, value: array, expected: "id=3,4,5"),
        Row(style: .form, explode: true, value: object, expected: "role=admin; firstName=Alex"),
        Row(style: .form, explode: false, value: object, expected: "id=role,admin,firstName,Alex"),
    ]

    @Test("A19: cookie style", arguments: cookieRows)
    func cookie(_ row: Row) throws {
        let s = ParameterSerialization(location: .cookie, style: row.style, explode: row.explode)
        #expect(try s.cookiePairs(name: "id", value: row.value).joined(separator: "; ") == row.expected)
    }

    @Test("defaults per location: path/header simple, query/cookie form; explode only for form")
    func defaults() {
        #expect(ParameterSerialization(location: .path).style == .simple)
        #expect(ParameterSerialization(location: .path).explode == false)
        #expect(ParameterSerialization(location: .header).style == .simple)
        #expect(ParameterSerialization(location: .query).style == .form)
        #expect(ParameterSerialization(location: .query).explode == true)
        #expect(ParameterSerialization(location: .cookie).style == .form)
        #expect(ParameterSerialization(location: .cookie).explode == true)
    }

    @Test("path values are percent-encoded as one segment; scalars keep their JSON spelling")
    func pathEncoding() throws {
        let s = ParameterSerialization(location: .path)
        #expect(try s.pathValue(name: "n", value: "a b/c?d#e%f") == "a%20b%2Fc%3Fd%23e%25f")
        #expect(try s.pathValue(name: "n", value: "ünï") == "%C3%BCn%C3%AF")
        #expect(try s.pathValue(name: "n", value: true) == "true")
        #expect(try s.pathValue(name: "n", value: 1.5) == "1.5")
        #expect(try s.pathValue(name: "n", value: ["a,b", "c"]) == "a%2Cb,c")
    }

    @Test("query values are encoded unless allowReserved keeps reserved characters")
    func allowReserved() throws {
        let plain = ParameterSerialization(location: .query)
        #expect(try plain.queryPairs(name: "q", value: "a/b?c=d&e") == ["q=a%2Fb%3Fc%3Dd%26e"])
        let reserved = ParameterSerialization(location: .query, allowReserved: true)
        #expect(try reserved.queryPairs(name: "q", value: "a/b?c=d e") == ["q=a/b?c=d%20e"])
        #expect(try reserved.queryPairs(name: "q", value: "100%25") == ["q=100%25"])
    }

    @Test("header values may not contain line breaks")
    func headerInjection() {
        let s = ParameterSerialization(location: .header)
        #expect(throws: ParameterSerialization.Failure.self) { try s.headerValue(name: "X", value: "a\r\nEvil: 1") }
    }

    @Test("structures the styles cannot express are refused with a message")
    func refused() {
        #expect(throws: ParameterSerialization.Failure.self) {
            try ParameterSerialization(location: .query, style: .deepObject).queryPairs(name: "f", value: [1, 2])
        }
        #expect(throws: ParameterSerialization.Failure.self) {
            try ParameterSerialization(location: .query).queryPairs(name: "f", value: [[1], [2]])
        }
        #expect(throws: ParameterSerialization.Failure.self) {
            try ParameterSerialization(location: .path, style: .form).pathValue(name: "f", value: 1)
        }
    }
}
