package import ArazzoJSON

/// An RFC 9535 filter `logical-expr` evaluated on its own, with both `$` and `@` standing for the
/// value it is tested against — e.g. `$.status == 'done' && $.count > 1`.
///
/// Arazzo `jsonpath` conditions must be queries, but authors often write a comparison; its
/// meaning is evident (a test on the context), so the engine runs it as this test.
package struct JSONPathFilterExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression text as given.
    package let text: String
    let expr: LogicalExpr
    /// An RFC 9535 query that is non-empty exactly when the expression holds on the root, if one
    /// exists (see ``equivalentQuery``).
    package let equivalentQuery: String?

    /// Parses and type-checks `text` as an RFC 9535 filter logical expression.
    ///
    /// - Throws: ``JSONPathError`` when the text is not a well-formed, well-typed expression.
    package init(_ text: String) throws(JSONPathError) {
        var parser = JSONPathParser(text)
        let expr = try parser.parseStandaloneLogical()
        self.text = text
        self.expr = expr
        // `$[?E]` selects every child of the root when E holds (E mentions only `$`, which means
        // the root inside a filter too). So it is non-empty iff E holds AND the root has a child.
        // When E holding already implies a child exists (a "witness"), the query is exact. When
        // E can hold on a childless root (`{}`, a scalar), no query is exact: on such a root every
        // query other than `$` selects nothing, and `$` selects the root unconditionally.
        if !Self.hasRelativeQuery(expr), Self.witnessesChild(expr) {
            let trimmed = text.trimmingBlanks()
            equivalentQuery = "$[?\(trimmed)]"
        } else {
            equivalentQuery = nil
        }
    }

    /// Whether the expression holds on `root` (`$` and `@` both denote `root`).
    package func test(_ root: JSONValue) -> Bool {
        JSONPathEvaluator(root: root).test(expr, current: root)
    }

    /// Whether the expression is a single query used as a test (`@.a`, ` $`): a malformed query,
    /// not a comparison.
    package var isBareQuery: Bool {
        if case .exists = expr { return true }
        return false
    }

    /// The expression text.
    package var description: String { text }

    /// Expressions are equal when their texts are equal.
    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.text == rhs.text }

    /// Hashes the expression text.
    package func hash(into hasher: inout Hasher) { hasher.combine(text) }

    // MARK: - Equivalence analysis

    /// Inside `$[?…]`, a top-level `@` would mean the child, not the root: no exact rewrite.
    static func hasRelativeQuery(_ expr: LogicalExpr) -> Bool {
        func comparable(_ c: ComparableAST) -> Bool {
            switch c {
            case .literal: return false
            case .query(let q): return !q.isRoot
            case .function(let call): return function(call)
            }
        }
        func function(_ call: FunctionCall) -> Bool {
            call.arguments.contains { argument in
                switch argument {
                case .literal: return false
                case .singularQuery(let q), .nodes(let q): return !q.isRoot
                case .logical(let l): return hasRelativeQuery(l)
                case .function(let f): return function(f)
                }
            }
        }
        switch expr {
        case .or(let terms), .and(let terms): return terms.contains(where: hasRelativeQuery)
        case .not(let inner): return hasRelativeQuery(inner)
        case .comparison(let l, _, let r): return comparable(l) || comparable(r)
        case .exists(let q): return !q.isRoot
        case .function(let call): return function(call)
        }
    }

    /// Whether the expression can only hold when the root has at least one child.
    static func witnessesChild(_ expr: LogicalExpr) -> Bool {
        // A query with at least one segment selects something only from a root with a child.
        func deep(_ q: QueryAST) -> Bool { q.isRoot && !q.segments.isEmpty }
        // A comparable that is Nothing whenever the root has no child.
        func nothingWithoutChild(_ c: ComparableAST) -> Bool {
            switch c {
            case .literal: return false
            case .query(let q): return deep(q)
            case .function(let call):
                switch (call.kind, call.arguments.first) {
                case (.length, .singularQuery(let q)?), (.value, .nodes(let q)?): return deep(q)
                default: return false
                }
            }
        }
        switch expr {
        case .and(let terms): return terms.contains(where: witnessesChild)
        case .or(let terms): return terms.allSatisfy(witnessesChild)
        case .not: return false
        case .exists(let q): return deep(q)
        case .function(let call):
            // match()/search() are false unless their first argument is a string.
            switch (call.kind, call.arguments.first) {
            case (.match, .singularQuery(let q)?), (.search, .singularQuery(let q)?): return deep(q)
            default: return false
            }
        case .comparison(let l, let op, let r):
            switch op {
            case .less, .greater:
                // Any Nothing operand makes `<` and `>` false.
                return nothingWithoutChild(l) || nothingWithoutChild(r)
            case .equal, .lessOrEqual, .greaterOrEqual:
                // Nothing == Nothing is true, so the other side must be a literal (never Nothing).
                if case .literal = r, nothingWithoutChild(l) { return true }
                if case .literal = l, nothingWithoutChild(r) { return true }
                return false
            case .notEqual:
                // Nothing != literal is true: holds on `{}`.
                return false
            }
        }
    }
}

extension String {
    /// The text without RFC 9535 blanks (space, tab, LF, CR) at either end.
    func trimmingBlanks() -> String {
        let blanks: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r"]
        var scalars = Substring(self).unicodeScalars[...]
        while let f = scalars.first, blanks.contains(f) { scalars.removeFirst() }
        while let l = scalars.last, blanks.contains(l) { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}

extension JSONPathQuery {
    /// Constructs of this query whose meaning differs in `draft-goessner-dispatch-jsonpath-00`
    /// (Goessner's JavaScript implementation, where filters are `eval`ed script): one sentence
    /// each, saying what RFC 9535 does instead. Empty when both dialects agree.
    package var goessnerDifferences: [String] {
        var found: [String] = []
        func note(_ s: String) { if !found.contains(s) { found.append(s) } }
        func query(_ q: QueryAST) {
            for segment in q.segments {
                for selector in segment.selectors {
                    switch selector {
                    case .name("length"):
                        note("`length` as a member name: in Goessner JSONPath (JavaScript) it is the length of an array or string; RFC 9535 selects a member named \"length\" (use the `length()` function in a filter)")
                    case .index(let i) where i < 0:
                        note("the negative index `[\(i)]`: Goessner JSONPath selects nothing (there is no member \"\(i)\"); RFC 9535 counts from the end of the array")
                    case .filter(let e):
                        logical(e)
                    default:
                        break
                    }
                }
            }
        }
        func comparable(_ c: ComparableAST) {
            switch c {
            case .literal: break
            case .query(let q): query(q)
            case .function(let call): function(call)
            }
        }
        func function(_ call: FunctionCall) {
            for argument in call.arguments {
                switch argument {
                case .literal: break
                case .singularQuery(let q), .nodes(let q): query(q)
                case .logical(let l): logical(l)
                case .function(let f): function(f)
                }
            }
        }
        func logical(_ e: LogicalExpr) {
            switch e {
            case .or(let terms), .and(let terms): terms.forEach(logical)
            case .not(let inner): logical(inner)
            case .exists(let q): query(q)
            case .function(let call): function(call)
            case .comparison(let l, _, let r):
                if case .literal(.null) = l { note(Self.nullNote) }
                if case .literal(.null) = r { note(Self.nullNote) }
                comparable(l)
                comparable(r)
            }
        }
        query(ast)
        return found
    }

    static let nullNote =
        "a comparison with `null`: in Goessner JSONPath (JavaScript `==`) a missing member equals null; in RFC 9535 a missing member is Nothing, which equals only Nothing"
}
