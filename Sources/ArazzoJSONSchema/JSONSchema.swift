package import ArazzoJSON

/// A compiled JSON Schema (2020-12 by default, draft 4 on request) that validates instances, fills
/// in `default`s and tells which values are secrets (`format: password`). It passes every required
/// test of the official JSON-Schema-Test-Suite for both dialects (see docs/contracts.md).
///
/// Supported keywords: `type` (a name or an array; `integer` is any number without a fractional
/// part), `enum`, `const`; `required`, `properties`, `patternProperties`, `additionalProperties`,
/// `propertyNames`, `dependentRequired`, `dependentSchemas`, `minProperties`, `maxProperties`,
/// `unevaluatedProperties`; `prefixItems`, `items` (the older array form too), `contains`,
/// `minContains`, `maxContains`, `minItems`, `maxItems`, `uniqueItems`, `unevaluatedItems`;
/// `minLength`, `maxLength` (counted in Unicode code points), `pattern` (ECMA-262 on ICU, see
/// below); `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf` (exact for
/// integers and for decimal fractions); `allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`;
/// `$id` and `$anchor` (base URIs, embedded resources), `$ref` (alongside other keywords),
/// `$dynamicRef`/`$dynamicAnchor` (dynamic scope), `$defs`; boolean schemas. `format` is an
/// annotation (`password` marks secrets) unless `Options.assertFormat` is on. Of `$vocabulary`,
/// only the validation vocabulary can be switched off (by a custom meta-schema the hook serves);
/// the other vocabularies are always on.
///
/// Patterns have ECMA-262 meaning with search semantics: simple ones (anchors, literals, classes,
/// quantifiers) run on a scalar matcher here, the rest on `NSRegularExpression` after rewriting
/// `\d`, `\w`, `\s`, `$`, `[]` and `[^]` to their ECMA-262 meaning; `\b` and lookbehind length
/// follow ICU. A search that backtracks catastrophically is abandoned and reported as a `pattern`
/// violation.
///
/// Typical use for a workflow's inputs, with `$ref`s into the description's `components.inputs`:
/// ```swift
/// let schema = try JSONSchema(workflowInputs, resolveRef: JSONSchema.fragmentResolver(in: arazzoDocument))
/// let inputs = schema.applyingDefaults(to: supplied)          // only when defaults are wanted
/// for violation in schema.validate(inputs) { print(violation) } // $.code: required property 'code' is missing
/// let traced = schema.redactingSecrets(in: inputs)            // format: password values hidden
/// ```
///
/// Compilation resolves every `$ref` eagerly, so a compiled schema needs nothing else to validate
/// and is safe to share between tasks.
package struct JSONSchema: Sendable, Hashable {
    /// Limits that keep hostile schemas and instances from exhausting the stack or the CPU.
    package struct Options: Sendable, Hashable {
        /// Deepest nesting of subschemas allowed while compiling (inline nesting, not `$ref` chains).
        package var maxSchemaDepth: Int
        /// Most subschemas a schema may compile to, counting each `$ref` target once.
        package var maxSchemaNodes: Int
        /// Deepest chain of schema applications while validating; a `$ref` that recurses without
        /// descending into the instance stops here with a violation instead of looping.
        package var maxEvaluationDepth: Int
        /// Most schema applications one `validate` call may make, for exponential `anyOf`/`oneOf`
        /// nestings.
        package var maxEvaluationSteps: Int

        /// Whether `format` is an assertion (a value in the wrong format is a violation) rather than
        /// an annotation. Off by default, as JSON Schema 2020-12 prescribes. When on, these formats
        /// are checked: date-time, date, time, duration, email, hostname, ipv4, ipv6, uri,
        /// uri-reference, uuid, regex, json-pointer, relative-json-pointer, and OpenAPI's int32,
        /// int64, float and double ranges; other formats stay annotations.
        package var assertFormat: Bool

        /// Creates options; the defaults suit workflow inputs with room to spare.
        package init(
            maxSchemaDepth: Int = 128, maxSchemaNodes: Int = 50_000,
            maxEvaluationDepth: Int = 256, maxEvaluationSteps: Int = 1_000_000,
            assertFormat: Bool = false
        ) {
            self.maxSchemaDepth = maxSchemaDepth
            self.maxSchemaNodes = maxSchemaNodes
            self.maxEvaluationDepth = maxEvaluationDepth
            self.maxEvaluationSteps = maxEvaluationSteps
            self.assertFormat = assertFormat
        }
    }

    /// The JSON Schema dialect a schema is read in.
    ///
    /// A schema's own `$schema` wins over the one passed to the initializer when it names a dialect
    /// listed here (`http://json-schema.org/draft-04/schema#` → `draft4`,
    /// `https://json-schema.org/draft/2020-12/schema` → `draft2020_12`); documents the hook returns
    /// inherit the dialect of the schema that refers to them unless they declare their own.
    package enum Dialect: Sendable, Hashable {
        /// JSON Schema 2020-12 (the default; what Arazzo and OpenAPI 3.1 use).
        case draft2020_12
        /// JSON Schema draft 4: `id`, boolean `exclusiveMinimum`/`exclusiveMaximum`, `dependencies`,
        /// array `items` with `additionalItems`, `definitions`; `$ref` ignores its siblings; the
        /// keywords later drafts added (`const`, `contains`, `if`, `$anchor`, …) are not keywords.
        case draft4
    }

    /// The schema as given.
    package let source: JSONValue
    /// The limits it was compiled with and validates under.
    package let options: Options
    /// The dialect it was compiled in (before any `$schema` in it was honoured).
    package let dialect: Dialect
    let program: Program

    /// Compiles a schema.
    ///
    /// - Parameters:
    ///   - schema: the schema, an object or a boolean.
    ///   - options: resource limits and format assertion.
    ///   - dialect: the dialect to read the schema in when its `$schema` does not say.
    ///   - resolveRef: called for each distinct reference the schema cannot resolve itself.
    ///     References resolve against the base URI in effect (`$id`, RFC 3986), and targets inside
    ///     the schema — by `$id`, `$anchor`, `$dynamicAnchor` or JSON pointer — need no hook (so
    ///     `#/$defs/x` works without one). When a reference resolves to an absolute URI the schema
    ///     does not hold, the hook is asked with that URI without its fragment (e.g.
    ///     `https://example.com/schemas/pet.json`) and returns the whole document, in which the
    ///     fragment is then looked up. When that fails, or the reference has no absolute base (the
    ///     usual case in an Arazzo description), the hook is asked with the reference text as
    ///     written (e.g. `#/components/inputs/pet`) and returns the referenced schema itself. Return
    ///     `nil` when unknown. Schemas the hook returns may hold further references, resolved the same
    ///     way; `fragmentResolver(in:)` builds a hook for references into an enclosing document such
    ///     as the Arazzo description. The 2020-12 and draft-04 meta-schemas are built in.
    /// - Throws: `SchemaError` for a malformed keyword, an invalid pattern or an unresolvable `$ref`.
    package init(
        _ schema: JSONValue, options: Options = Options(), dialect: Dialect = .draft2020_12,
        resolveRef: (String) -> JSONValue? = { _ in nil }
    ) throws(SchemaError) {
        self.source = schema
        self.options = options
        self.dialect = dialect
        self.program = try withoutActuallyEscaping(resolveRef) { (hook) throws(SchemaError) -> Program in
            var compiler = Compiler(options: options, dialect: dialect, resolveRef: hook)
            return try compiler.compile(schema)
        }
    }

    /// A `resolveRef` hook for references that are JSON pointer fragments into `document`
    /// (`#/components/inputs/x`, percent-encoded or not), such as the Arazzo description a workflow's
    /// `inputs` schema is embedded in. Other references resolve to `nil`.
    package static func fragmentResolver(in document: JSONValue) -> @Sendable (String) -> JSONValue? {
        { reference in
            guard reference.hasPrefix("#") else { return nil }
            let raw = String(reference.dropFirst())
            let fragment = raw.removingPercentEncodingIfValid
            guard let pointer = try? JSONPointer(parsing: fragment) else { return nil }
            return try? pointer.resolve(in: document)
        }
    }

    /// `schema` with its `$ref` into `document` followed, hop by hop, to the schema it names: the
    /// one follower for a workflow's inputs schema and its properties (`#/components/inputs/…`,
    /// `#/$defs/…`). A schema without `$ref` is returned as it is; nil when a reference leaves the
    /// document or names nothing, or after 16 hops (a cycle).
    public static func followingLocalReferences(_ schema: JSONValue, in document: JSONValue) -> JSONValue? {
        let resolve = fragmentResolver(in: document)
        var current = schema
        for _ in 0..<16 {
            guard case .string(let reference)? = current["$ref"] else { return current }
            guard let target = resolve(reference) else { return nil }
            current = target
        }
        return nil
    }

    /// Every way `instance` violates the schema, in schema order; empty when it is valid.
    ///
    /// A valid instance costs one verdict-only pass; the violations are gathered by a second, full
    /// pass only when there are some (decision PA1).
    package func validate(_ instance: JSONValue) -> [SchemaViolation] {
        var checker = Checker(program: program, options: options)
        if checker.verdict(0, instance) == .valid { return [] }
        return violations(instance)
    }

    /// `validate` for a JSON text already indexed: the verdict-only pass reads the tape in place,
    /// and only an instance that is not valid is materialised for the full evaluator, so the
    /// violations are exactly those of `validate(node.value)` (decision TP3).
    package func validate(_ node: JSONTape.Node) -> [SchemaViolation] {
        if verdict(node) == .valid { return [] }
        return violations(node.value)
    }

    /// The verdict pass on a tape, over nodes that do not retain it: the tape is kept alive and
    /// its buffers borrowed around the whole pass (decision JG1).
    private func verdict(_ node: JSONTape.Node) -> Checker.Verdict {
        node.withBorrowed { borrowed in
            var checker = Checker(program: program, options: options)
            return checker.verdict(0, borrowed)
        }
    }

    /// The verdict-only pass alone, on a tape: for the tests that hold it to the tree's.
    package func verdictIsValid(_ node: JSONTape.Node) -> Bool? {
        switch verdict(node) {
        case .valid: return true
        case .invalid: return false
        case .undecided: return nil
        }
    }

    /// `validate` without the verdict-only pass: every instance through the full evaluator. For the
    /// tests that hold the two passes to the same answers.
    package func violations(_ instance: JSONValue) -> [SchemaViolation] {
        var evaluator = Evaluator(program: program, options: options)
        var violations: [SchemaViolation] = []
        evaluator.evaluate(0, instance, depth: 0, into: &violations)
        if let stop = evaluator.stopViolation, !violations.contains(stop) {
            violations.append(stop)
        }
        return violations
    }

    /// Whether `instance` is valid.
    package func isValid(_ instance: JSONValue) -> Bool {
        var checker = Checker(program: program, options: options)
        switch checker.verdict(0, instance) {
        case .valid: return true
        case .invalid: return false
        // A limit was hit: the full evaluator reports that as a violation.
        case .undecided: return false
        }
    }

    /// Schemas compare equal when their source and every schema the hook supplied are equal.
    package static func == (lhs: JSONSchema, rhs: JSONSchema) -> Bool {
        lhs.source == rhs.source && lhs.options == rhs.options && lhs.dialect == rhs.dialect
            && lhs.program.externals == rhs.program.externals
    }

    /// Hashes the source and the hook-supplied schemas.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(source)
        hasher.combine(options)
        hasher.combine(dialect)
        hasher.combine(program.externals)
    }
}

extension String {
    /// The string with `%XX` escapes decoded, or unchanged when it holds a malformed escape or
    /// decodes to bytes that are not UTF-8.
    var removingPercentEncodingIfValid: String {
        let decoded = percentDecodedBytes(self)
        guard decoded.allEscapesValid else { return self }
        return String(validating: decoded.bytes, as: UTF8.self) ?? self
    }
}
