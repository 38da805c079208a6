import ArazzoJSON
import ArazzoExpressions
import Testing

@Suite("JSON payload templates and unbraced expressions (issue 12)")
struct JSONTemplateTests {
    @Test("a placeholder that is the whole content of a JSON string is a quoted placeholder")
    func quotedPlaceholders() throws {
        let t = try ExpressionTemplate(parsing: #"{"customer": "{$inputs.customer}", "id": {$inputs.qty}, "label": "n-{$inputs.qty}"}"#)
        let found = t.quotedPlaceholders
        #expect(found.map(\.expression.text) == ["$inputs.customer"])
        #expect(found.first?.openingQuote == 13)
        #expect(found.first?.offset == 15)
        #expect(found.first?.closingQuote == 32)
        // An escaped quote before the placeholder belongs to a longer string.
        #expect(try ExpressionTemplate(parsing: #"{"a": "x\"{$inputs.qty}""}"#).quotedPlaceholders.isEmpty)
    }

    @Test("renderJSON embeds an object or array between quotes as JSON and leaves scalars as text")
    func renderJSON() throws {
        let t = try ExpressionTemplate(parsing: #"{"customer": "{$inputs.customer}", "qty": "{$inputs.qty}", "name": "{$inputs.username}"}"#)
        let rendering = try t.renderJSON(in: sampleContext).get()
        #expect(rendering.text == #"{"customer": {"firstName":"Ada","lastName":"Lovelace"}, "qty": "3", "name": "alice"}"#)
        #expect(rendering.unquoted.map(\.expression.text) == ["$inputs.customer"])
        #expect(rendering.insertions.count == 3)
        let first = try #require(rendering.insertions.first)
        let bytes = Array(rendering.text.utf8)
        #expect(String(decoding: bytes[first.bytes], as: UTF8.self) == #"{"firstName":"Ada","lastName":"Lovelace"}"#)
        // The plain rendering is unchanged: the 1.1.0 conversion inserts the JSON text inside the quotes.
        #expect(try t.render(in: sampleContext).get().hasPrefix(#"{"customer": "{"firstName""#))
    }

    @Test("renderJSON reports the first unresolved expression")
    func renderJSONUnresolved() throws {
        let t = try ExpressionTemplate(parsing: #"{"a": "{$inputs.missing}"}"#)
        #expect(throws: UnresolvedExpression.self) { try t.renderJSON(in: sampleContext).get() }
    }

    static let unbraced: [(String, [String], String)] = [
        ("Bearer $steps.login.outputs.token", ["$steps.login.outputs.token"], "Bearer {$steps.login.outputs.token}"),
        ("token=$inputs.token, user=$inputs.username.", ["$inputs.token", "$inputs.username"], "token={$inputs.token}, user={$inputs.username}."),
        ("Bearer {$steps.login.outputs.token}", [], "Bearer {$steps.login.outputs.token}"),
        ("$inputs.token", [], "$inputs.token"),
        ("costs US$inputs", [], "costs US$inputs"),
        ("price $5 or $price", [], "price $5 or $price"),
        ("Bearer $input.token", [], "Bearer $input.token"),
    ]

    @Test("an expression after other text without braces is found, and the braces put around it", arguments: unbraced)
    func unbracedExpressions(_ c: (String, [String], String)) {
        let found = ExpressionTemplate.unbracedExpressions(in: c.0)
        #expect(found.map(\.expression.text) == c.1)
        #expect(ExpressionTemplate.bracing(found, in: c.0) == c.2)
    }

    @Test("wholeTemplate is the template of a templated string only")
    func wholeTemplate() {
        #expect(ValueTemplate(.string("a={$inputs.qty}")).wholeTemplate != nil)
        #expect(ValueTemplate(.string("$inputs.qty")).wholeTemplate == nil)
        #expect(ValueTemplate(.string("plain")).wholeTemplate == nil)
        #expect(ValueTemplate(["a": "{$inputs.qty}"]).wholeTemplate == nil)
    }
}
