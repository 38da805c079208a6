import ArazzoJSON
import ArazzoExpressions
import Testing

/// Evaluates `condition` against `context` (parse errors fail the test).
func holds(_ condition: String, _ context: ExpressionValues = sampleContext) throws -> Bool {
    let parsed = try SimpleCondition(parsing: condition)
    let verdict = parsed.evaluate(in: context)
    #expect(parsed.test(in: context) == verdict.passed, "fast path and explained path disagree")
    return verdict.passed
}

@Suite("simple conditions")
struct SimpleConditionTests {
    /// Every condition example in the 1.0.1 and 1.1.0 texts and the notes §4 list, against the
    /// sample context (status 200).
    static let specExamples: [(String, Bool)] = [
        ("$statusCode == 200", true),
        ("$statusCode == 200 || $statusCode == 201", true),
        ("$response.body#/redirectAuthToken != null", false),
        ("$response.body.data[0].id > 10", true),
        ("!($response.header.Retry-After == null) && $statusCode >= 500", false),
        ("$inputs.name == 'O''Brien'", false),
        ("$steps.check.outputs.eligibilityCheckRequired == true", false),
        ("$response.body.count > $inputs.threshold", false),
        ("$statusCode == 200 && $response.body.data != null", true),
        ("$statusCode == 401", false),
    ]

    @Test("A4: spec and notes examples parse and evaluate", arguments: specExamples)
    func specExample(_ c: (String, Bool)) throws {
        #expect(try holds(c.0) == c.1)
    }

    /// Semantics table (notes §4): each row is a condition over literals and the sample context.
    static let semantics: [(String, Bool)] = [
        // case-insensitive strings (the spec's MUST)
        ("$response.body#/status == 'AVAILABLE'", true),
        ("'Straße' == 'STRASSE'", true),
        ("'Σίσυφος' == 'ΣΊΣΥΦΟΣ'", true),
        ("'abc' != 'ABC'", false),
        ("'apple' < 'Banana'", true),
        ("'b' > 'A'", true),
        ("'a' <= 'A'", true),
        // numeric-string coercion
        ("$response.body#/count == 12", true),
        ("$response.body#/count > 5", true),
        ("'12.0' == 12", true),
        ("12 == '12'", true),
        ("'1e2' == 100", true),
        ("'12abc' == 12", false),
        ("'12abc' != 12", true),
        ("'abc' < 5", false),
        ("'abc' >= 5", false),
        (" '12' == '12.0'", false),
        // numbers
        ("1 == 1.0", true),
        ("-1 < 0", true),
        ("2.5 >= 2.5", true),
        ("1e3 == 1000", true),
        ("9007199254740993 == 9007199254740993", true),
        ("9007199254740993 > 9007199254740992", true),
        // null rules
        ("null == null", true),
        ("null != null", false),
        ("null == 0", false),
        ("null == ''", false),
        ("null == false", false),
        ("null != 0", true),
        ("null < 1", false),
        ("null >= null", false),
        ("$response.body#/nothing == null", true),
        ("$inputs.notSupplied == null", true),
        ("$inputs.notSupplied != null", false),
        // booleans
        ("true == true", true),
        ("true != false", true),
        ("true > false", false),
        ("true == 'true'", false),
        ("true == 1", false),
        ("$response.body#/ok == true", true),
        ("$response.body#/ok", true),
        ("!$response.body#/ok", false),
        ("true", true),
        ("false", false),
        // deep equality
        ("$inputs.customer == $inputs.customer", true),
        ("$response.body#/items/0 != $response.body#/items/1", true),
        ("$response.body#/items/0 > $response.body#/items/1", false),
        // bare operands pass only when boolean true
        ("$statusCode", false),
        ("$response.body#/status", false),
        ("$inputs.notSupplied", false),
        // logic, grouping, precedence and short-circuit
        ("true || false && false", true),
        ("(true || false) && false", false),
        ("!(true && false)", true),
        ("!(1 == 1) || 2 == 2", true),
        ("false && !$inputs.username", false),
        ("true || !$inputs.username", true),
        ("((($statusCode == 200)))", true),
        // navigation
        ("$response.body.items[1].name == 'tom'", true),
        ("$response.body.items[5].name == null", true),
        ("$response.body#/items[1]", false),
        ("$steps.loginStep.outputs.pets[0].id == 5", true),
        ("$inputs.customer.firstName == 'ada'", true),
        ("$steps.loginStep.outputs.user.id == 7", true),
        // headers are case-insensitive
        ("$response.header.retry-after == 5", true),
        ("$response.header.RETRY-AFTER == '5'", true),
        ("$request.header.accept == 'APPLICATION/JSON'", true),
        // whitespace
        ("\t$statusCode==200\n", true),
        ("$statusCode>=200&&$statusCode<300", true),
        ("$method == 'get'", true),
        ("$url == 'https://API.example.com/v1/pets?status=available'", true),
    ]

    @Test("semantics: case folding, coercion, null, booleans, deep equality, logic", arguments: semantics)
    func semantic(_ c: (String, Bool)) throws {
        #expect(try holds(c.0) == c.1)
    }

    @Test("A26: a whole condition wrapped in {} is accepted with a warning")
    func bracedCondition() throws {
        let c = try SimpleCondition(parsing: "{$statusCode == 401}")
        #expect(c.warnings.map(\.code) == ["condition-braces"])
        #expect(c.warnings.first?.offset == 0)
        #expect(!c.test(in: sampleContext))
        #expect(try SimpleCondition(parsing: " {$statusCode == 200} ").test(in: sampleContext))
    }

    static let syntaxErrors: [(String, String, Int)] = [
        ("!$inputs.a == 1", "`!` applies to a single operand or a parenthesized group; write `!($inputs.a == 1)`", 0),
        ("!$statusCode==200", "`!` applies to a single operand or a parenthesized group; write `!($statusCode == 200)`", 0),
        ("$statusCode = 200", "use `==` to compare", 12),
        ("$statusCode == 200 & true", "use `&&` for a logical and", 19),
        ("$statusCode == 200 | true", "use `||` for a logical or", 19),
        ("1 < 2 < 3", "comparisons do not chain; combine them with `&&` (e.g. `a < b && b < c`)", 6),
        ("$inputs.name == 'O'Brien'", "unexpected `B` after a string literal", 19),
        ("$inputs.name == 'open", "unterminated string: the `'` at offset 16 is never closed (write `''` for a quote inside)", 16),
        ("OK", "unexpected `OK`: strings are single-quoted ('OK') and runtime expressions start with `$`", 0),
        ("$statusCode == TRUE", "literals are lower-case: write `true`", 15),
        ("($statusCode == 200", "`(` at offset 0 is never closed; expected `)`", 19),
        ("$statusCode == 200)", "unbalanced `)`", 18),
        ("()", "empty parentheses", 1),
        ("", "the condition is empty", 0),
        ("   ", "the condition is empty", 3),
        ("$statusCode ==", "expected an operand after `==`", 14),
        ("$statusCode == 200 &&", "expected an operand or `(` at the end of the condition", 21),
        ("!!true", "`!` cannot be repeated; remove both or write `!(…)`", 1),
        ("(1 == 1) == true", "a parenthesized group cannot be compared; compare inside the parentheses", 9),
        ("$response.body.", "expected a member name after `.`", 15),
        ("$response.body.items[x]", "expected a 0-based index inside `[]`", 21),
        ("$response.body.items[1", "expected `]` after the index", 22),
        ("1.5.2 == 1", "`1.5.2` is not a number (JSON number syntax, e.g. 200, -1.5, 1e3)", 0),
        ("01 == 1", "`01` is not a number (JSON number syntax, e.g. 200, -1.5, 1e3)", 0),
        ("$steps.x.output.y == 1", "unknown field `output`; did you mean `outputs`?", 9),
        ("$response.header.X-A!=1", "put a space before `!=`: header names may contain `!`, so `!=` right after one is ambiguous", 20),
        ("$response.header.X-A&&true", "put a space before `&&`: header names may contain `&`, so `&&` right after one is ambiguous", 20),
        ("{$statusCode} == 200", "unexpected `{`: runtime expressions in `simple` conditions are written without braces", 0),
        ("$statusCode == 200 $statusCode", "unexpected `$`; expected `&&`, `||` or the end of the condition", 19),
    ]

    @Test("syntax errors carry a fix and the exact offset", arguments: syntaxErrors)
    func syntaxError(_ c: (String, String, Int)) {
        do {
            _ = try SimpleCondition(parsing: c.0)
            Issue.record("`\(c.0)` parsed")
        } catch {
            #expect(error.message == c.1)
            #expect(error.offset == c.2)
        }
    }

    @Test("parentheses nesting is bounded")
    func deepNesting() {
        let text = String(repeating: "(", count: 200) + "true" + String(repeating: ")", count: 200)
        #expect(throws: ExpressionError("parentheses are nested more than 128 levels deep", offset: 128, code: "condition-syntax")) {
            try SimpleCondition(parsing: text)
        }
    }

    @Test("verdicts explain the values: $statusCode == 200 is false because it was 401")
    func explanation() throws {
        var context = sampleContext
        context.statusCode = 401
        let verdict = try SimpleCondition(parsing: "$statusCode == 200").evaluate(in: context)
        #expect(!verdict.passed)
        #expect(verdict.explanation == "`$statusCode == 200` is false: `$statusCode` was 401")
        #expect(verdict.unresolved.isEmpty)
        #expect(verdict.error == nil)
    }

    @Test("verdicts list unresolved operands (they count as null)")
    func unresolvedOperands() throws {
        let verdict = try SimpleCondition(parsing: "$inputs.threshold > 1 || $response.body#/status == 'sold'").evaluate(in: sampleContext)
        #expect(!verdict.passed)
        #expect(verdict.explanation == "`$inputs.threshold > 1 || $response.body#/status == 'sold'` is false: `$inputs.threshold` was unresolved (no input `threshold` was supplied), `$response.body#/status` was 'available'")
        #expect(verdict.unresolved == [UnresolvedExpression(expression: "$inputs.threshold", reason: "no input `threshold` was supplied")])
    }

    @Test("short-circuit: operands after a decided && / || are not evaluated")
    func shortCircuitTrace() throws {
        let verdict = try SimpleCondition(parsing: "$statusCode == 200 || $inputs.nope == 1").evaluate(in: sampleContext)
        #expect(verdict.passed)
        #expect(verdict.explanation == "`$statusCode == 200 || $inputs.nope == 1` is true: `$statusCode` was 200")
        #expect(verdict.unresolved.isEmpty)
    }

    @Test("`!` on a non-boolean fails the condition with a reason")
    func negatingNonBoolean() throws {
        let verdict = try SimpleCondition(parsing: "!$response.body#/status").evaluate(in: sampleContext)
        #expect(!verdict.passed)
        #expect(verdict.error == "`!` needs a boolean, but `$response.body#/status` was 'available' (string)")
        let missing = try SimpleCondition(parsing: "!$inputs.flag").evaluate(in: sampleContext)
        #expect(missing.error == "`!` needs a boolean, but `$inputs.flag` was null")
        #expect(missing.explanation == "`!$inputs.flag` failed: `!` needs a boolean, but `$inputs.flag` was null; `$inputs.flag` was unresolved (no input `flag` was supplied)")
    }

    @Test("bare non-boolean operands get a validation warning")
    func bareOperandWarning() throws {
        #expect(try SimpleCondition(parsing: "$statusCode").warnings.map(\.code) == ["condition-bare-operand"])
        #expect(try SimpleCondition(parsing: "200").warnings.map(\.code) == ["condition-bare-operand"])
        #expect(try SimpleCondition(parsing: "$response.body#/ok").warnings.isEmpty)
        #expect(try SimpleCondition(parsing: "true").warnings.isEmpty)
    }

    @Test("operands are listed with offsets for static checks")
    func operandReferences() throws {
        let c = try SimpleCondition(parsing: "$statusCode == 200 && $steps.a.outputs.b[0].c != 'x'")
        #expect(c.operands.map(\.offset) == [0, 22])
        #expect(c.operands.last?.navigation == [.index(0), .member("c")])
    }

    @Test("'' escapes produce one quote")
    func quoteEscapes() throws {
        let context = ExpressionValues(inputs: ["name": "O'Brien"])
        #expect(try holds("$inputs.name == 'O''Brien'", context))
        #expect(try holds("$inputs.name == 'o''brien'", context))
        #expect(try holds("'''' == ''''", context))
        #expect(try holds("'' == ''", context))
    }

    @Test("ConditionSemantics is usable directly")
    func semanticsAPI() {
        #expect(ConditionSemantics.compare("ABC", "==", "abc") == true)
        #expect(ConditionSemantics.compare(1, "<", "2") == true)
        #expect(ConditionSemantics.compare(1, "=~", 1) == nil)
        #expect(ConditionSemantics.numericString("-0.5e1") == .double(-5))
        #expect(ConditionSemantics.numericString(" 1") == nil)
        #expect(ConditionSemantics.equal(["a": ["B"]], ["a": ["b"]]))
    }
}

@Suite("simple conditions: hostile input")
struct HostileConditionTests {
    @Test("a 20 000-term || chain parses and evaluates without deep recursion")
    func longChain() throws {
        let text = Array(repeating: "$statusCode == 404", count: 20_000).joined(separator: " || ") + " || $statusCode == 200"
        let c = try SimpleCondition(parsing: text)
        #expect(c.test(in: sampleContext))
        #expect(c.operands.count == 20_001)
    }
}
