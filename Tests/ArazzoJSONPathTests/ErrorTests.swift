import ArazzoDiagnostics
import ArazzoJSONPath
import Testing

/// Golden error messages and offsets for malformed or ill-typed queries.
@Suite("JSONPath errors")
struct ErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let query: String
        let offset: Int
        let message: String
        var testDescription: String { query.debugDescription }
    }

    static let cases: [Case] = [
        Case(query: "", offset: 0, message: "the query is empty; expected '$'"),
        Case(query: " $", offset: 0, message: "whitespace is not allowed before '$'"),
        Case(query: "$.a ", offset: 3, message: "whitespace is not allowed at the end of the query"),
        Case(query: "a", offset: 0, message: "a JSONPath query must start with '$', found 'a'"),
        Case(query: "$.a[01]", offset: 4, message: "leading zeros are not allowed in the index"),
        Case(query: "$[-0]", offset: 2, message: "'-0' is not allowed as the index; write 0"),
        Case(query: "$[9007199254740992]", offset: 2, message: "the index is outside the range -(2^53-1) to 2^53-1"),
        Case(query: "$[1:2:99999999999999999999]", offset: 6, message: "the slice step is outside the range -(2^53-1) to 2^53-1"),
        Case(
            query: #"$['a\x']"#, offset: 4,
            message: #"invalid escape '\x' in string literal; expected one of \b \f \n \r \t \/ \\ \' \uXXXX"#),
        Case(query: "$['a", offset: 2, message: #"unterminated string literal; expected a closing "'""#),
        Case(
            query: "$['\u{1}']", offset: 3,
            message: #"control character U+0001 must be escaped in a string literal (e.g. \u0001)"#),
        Case(
            query: #"$['\uD800\u0041']"#, offset: 9,
            message: #"high surrogate \uD800 must be followed by a low surrogate escape \uDC00-\uDFFF"#),
        Case(
            query: #"$['\uDC00']"#, offset: 3,
            message: #"lone low surrogate \uDC00 in string literal; it must follow a high surrogate"#),
        Case(
            query: "$[?foo(@)]", offset: 3,
            message: "unknown function 'foo'; expected one of length, count, match, search, value"),
        Case(
            query: "$[?count(1) > 0]", offset: 9,
            message: "argument 1 of count() must be a query (a node list), not a literal"),
        Case(
            query: "$[?match(@.a, 'x') == true]", offset: 3,
            message: "match() returns a logical result (LogicalType) and cannot be compared"),
        Case(
            query: "$[?@.* == 1]", offset: 3,
            message:
                "the left side of a comparison must be a singular query (only names and indices, no wildcards, slices, filters or '..')"
        ),
        Case(
            query: "$[?1]", offset: 3,
            message: "a literal cannot be used as a test on its own; compare it with '==', '!=', '<', '<=', '>' or '>='"),
        Case(
            query: "$[?length(@)]", offset: 3,
            message: "length() returns a value, which cannot be used as a test; compare it, e.g. length(...) > 0"),
        Case(
            query: "$[?length (@)]", offset: 9,
            message: "no whitespace is allowed between the function name 'length' and '('"),
        Case(query: "$[?length(@.a, 1) > 1]", offset: 3, message: "length() takes 1 argument, but 2 were given"),
        Case(
            query: "$[?match(@, @.*)]", offset: 12,
            message:
                "argument 2 of match() must be a value, but the query is not singular (use only names and indices, no wildcards, slices, filters or '..')"
        ),
        Case(query: "$.a.", offset: 4, message: "expected a member name or '*' after '.', found the end of the query"),
        Case(query: "$.1", offset: 2, message: "expected a member name or '*' after '.', found '1'"),
        Case(
            query: "$[1,]", offset: 4,
            message: "unexpected ']'; expected a selector: a quoted name, '*', an index, a slice or a '?' filter"),
        Case(query: "$[1 2]", offset: 4, message: "unexpected '2' in bracketed selection; expected ',' or ']'"),
        Case(query: "$[?(@.a]", offset: 7, message: "expected ')' to close the '(' at offset 3, found ']'"),
        Case(query: "$[?@.a = 1]", offset: 7, message: "'=' is not a JSONPath operator; compare with '=='"),
        Case(query: "$[?@.a == 1 == true]", offset: 12, message: "comparisons cannot be chained; join them with '&&' or '||'"),
        Case(query: "$[?@.a == 01]", offset: 10, message: "leading zeros are not allowed in a number literal"),
        Case(query: "$[?!1]", offset: 4, message: "'!' must be followed by '(', a query or a function call"),
        Case(
            query: "$[?@.a == truex]", offset: 10,
            message:
                "unexpected 'truex'; expected a literal (true, false, null, a number or a string), a query or a function call"
        ),
        // Offsets count Characters: "é" written as e + U+0301 is one.
        Case(query: "$['e\u{301}'] x", offset: 6, message: "whitespace is not allowed at the end of the query"),
    ]

    @Test("error message and offset", arguments: cases)
    func golden(_ test: Case) {
        #expect(throws: JSONPathError(message: test.message, offset: test.offset)) {
            _ = try JSONPathQuery(test.query)
        }
    }

    @Test("description puts the offset after the message on one line")
    func description() {
        let error = JSONPathError(message: "unexpected '2' in bracketed selection; expected ',' or ']'", offset: 4)
        #expect(error.description == "unexpected '2' in bracketed selection; expected ',' or ']' (at offset 4)")
    }
}
