import ArazzoJSON
import Foundation
import OrderedCollections

/// One step of the keyword location (`SchemaViolation.schemaPath`): a keyword, a keyword plus a
/// member name (`properties/price`), or a keyword plus an index (`allOf/0`). Kept as values on a
/// stack and rendered only when a violation is reported.
enum SchemaStep {
    case keyword(String)
    case member(String, String)
    case element(String, Int)
}

/// Applies a compiled program to one instance, collecting every violation.
///
/// The instance location and the keyword location are stacks pushed and popped as evaluation
/// descends, so nothing is allocated for locations until a violation is reported. Trials whose
/// violations are only counted (`not`, `if`, `contains`) run quietly: violations are placeholders
/// without text.
struct Evaluator {
    let program: Program
    let options: JSONSchema.Options
    private var steps = 0
    /// Set once a limit is hit; evaluation then unwinds without further work.
    private(set) var stopViolation: SchemaViolation?
    private var instanceStack: [JSONSchema.PathComponent] = []
    private var schemaStack: [SchemaStep] = []
    /// Resources entered, outermost first: the dynamic scope `$dynamicRef` searches.
    private var scope: [Int] = []
    private var quiet = 0

    private static let placeholder = SchemaViolation(instancePath: "", keyword: "", message: "")

    init(program: Program, options: JSONSchema.Options) {
        self.program = program
        self.options = options
        instanceStack.reserveCapacity(32)
        schemaStack.reserveCapacity(64)
    }

    /// Applies node `index` to `instance`, appending violations to `out`.
    ///
    /// Returns the members (by name) and elements (by index) that this schema evaluated, for
    /// `unevaluatedProperties`/`unevaluatedItems`; only tracked when the program uses them, and only
    /// from subschemas that passed, as the specification's annotation rules require.
    @discardableResult
    mutating func evaluate(_ index: Int, _ instance: JSONValue, depth: Int, into out: inout [SchemaViolation]) -> Set<JSONSchema.PathComponent> {
        guard stopViolation == nil else { return [] }
        steps += 1
        if steps > options.maxEvaluationSteps {
            stop("maxEvaluationSteps", "validation stopped after \(options.maxEvaluationSteps) schema applications; the schema is too complex for this value", into: &out)
            return []
        }
        if depth > options.maxEvaluationDepth {
            stop("maxEvaluationDepth", "validation stopped: schemas nest more than \(options.maxEvaluationDepth) levels deep here (a $ref that recurses without descending into the value, or a value nested too deeply)", into: &out)
            return []
        }
        let node = program.nodes[index]
        if let flag = node.boolean {
            if !flag {
                report("false", "no value is allowed here (the schema is false)", into: &out, keywordInPath: false)
            }
            return []
        }
        var pushed = false
        if program.usesDynamicScope && scope.last != node.resource {
            scope.append(node.resource)
            pushed = true
        }
        defer { if pushed { scope.removeLast() } }

        let track = program.tracksEvaluation
        var seen: Set<JSONSchema.PathComponent> = []
        let next = depth + 1

        if let ref = node.ref {
            inPlace(ref, .keyword("$ref"), instance, next, &seen, &out)
        }
        if let target = node.dynamicRef {
            var resolved = target
            if let name = node.dynamicAnchor {
                for resource in scope {
                    if let anchored = program.dynamicAnchors[resource][name] {
                        resolved = anchored
                        break
                    }
                }
            }
            inPlace(resolved, .keyword("$dynamicRef"), instance, next, &seen, &out)
        }
        if let types = node.types, !types.contains(where: { $0.admits(instance) }) {
            report("type", "expected \(listing(types.map(\.rawValue), conjunction: "or")), found \(describe(instance))", into: &out)
        }
        if let values = node.enumValues, !values.contains(instance) {
            report("enum", "expected one of \(values.prefix(8).map(literal).joined(separator: ", ") + (values.count > 8 ? ", …" : "")); found \(literal(instance))", into: &out)
        }
        if let expected = node.constValue, expected != instance {
            report("const", "expected \(literal(expected)), found \(literal(instance))", into: &out)
        }
        if let check = node.formatCheck, !check.admits(instance) {
            report("format", "expected \(check.expectation), found \(describe(instance))", into: &out)
        }

        switch instance {
        case .object(let members):
            evaluateObject(node, members, next, &seen, &out)
        case .array(let elements):
            evaluateArray(node, elements, next, &seen, &out)
        case .string(let text):
            evaluateString(node, text, into: &out)
        case .int, .double:
            if let number = instance.numberValue { evaluateNumber(node, number, instance, into: &out) }
        default:
            break
        }

        for (i, sub) in node.allOf.enumerated() {
            inPlace(sub, .element("allOf", i), instance, next, &seen, &out)
        }
        if !node.anyOf.isEmpty {
            var failures: [[SchemaViolation]] = []
            var passed = false
            for (i, sub) in node.anyOf.enumerated() {
                let (trial, evaluated) = attempt(sub, .element("anyOf", i), instance, next, quietly: passed || quiet > 0)
                if trial.isEmpty {
                    passed = true
                    if track { seen.formUnion(evaluated) } else { break }
                } else if !passed {
                    failures.append(trial)
                }
            }
            if !passed {
                report("anyOf", "matches none of the \(node.anyOf.count) anyOf alternatives: \(summary(failures))", into: &out)
            }
        }
        if !node.oneOf.isEmpty {
            var failures: [[SchemaViolation]] = []
            var matched: [Int] = []
            for (i, sub) in node.oneOf.enumerated() {
                let (trial, evaluated) = attempt(sub, .element("oneOf", i), instance, next, quietly: quiet > 0)
                if trial.isEmpty {
                    matched.append(i)
                    if track { seen.formUnion(evaluated) }
                } else {
                    failures.append(trial)
                }
            }
            if matched.isEmpty {
                report("oneOf", "matches none of the \(node.oneOf.count) oneOf alternatives: \(summary(failures))", into: &out)
            } else if matched.count > 1 {
                report("oneOf", "matches \(matched.count) oneOf alternatives (\(listing(matched.map { "[\($0)]" }, conjunction: "and"))); it must match exactly one", into: &out)
            }
        }
        if let sub = node.not {
            let (trial, _) = attempt(sub, .keyword("not"), instance, next, quietly: true)
            if trial.isEmpty {
                report("not", "must not match the schema in 'not' (\(program.nodes[sub].schemaPath))", into: &out)
            }
        }
        if let condition = node.ifNode, node.thenNode != nil || node.elseNode != nil || track {
            let (trial, evaluated) = attempt(condition, .keyword("if"), instance, next, quietly: true)
            if trial.isEmpty {
                if track { seen.formUnion(evaluated) }
                if let branch = node.thenNode { inPlace(branch, .keyword("then"), instance, next, &seen, &out) }
            } else if let branch = node.elseNode {
                inPlace(branch, .keyword("else"), instance, next, &seen, &out)
            }
        }

        if let unevaluated = node.unevaluatedProperties, case .object(let members) = instance {
            let forbidden = program.nodes[unevaluated].boolean == false
            for (name, value) in members where !seen.contains(.key(name)) {
                instanceStack.append(.key(name))
                if forbidden {
                    report("unevaluatedProperties", "property '\(name)' is not allowed; no applicable subschema declares it", into: &out)
                } else {
                    apply(unevaluated, .keyword("unevaluatedProperties"), value, next, &out)
                }
                instanceStack.removeLast()
                seen.insert(.key(name))
            }
        }
        if let unevaluated = node.unevaluatedItems, case .array(let elements) = instance {
            let forbidden = program.nodes[unevaluated].boolean == false
            for (i, element) in elements.enumerated() where !seen.contains(.index(i)) {
                instanceStack.append(.index(i))
                if forbidden {
                    report("unevaluatedItems", "item [\(i)] is not allowed; no applicable subschema covers it", into: &out)
                } else {
                    apply(unevaluated, .keyword("unevaluatedItems"), element, next, &out)
                }
                instanceStack.removeLast()
                seen.insert(.index(i))
            }
        }
        return track ? seen : []
    }

    /// Applies a subschema to the same instance; its evaluated locations count when it passed.
    private mutating func inPlace(
        _ sub: Int, _ step: SchemaStep, _ instance: JSONValue, _ depth: Int,
        _ seen: inout Set<JSONSchema.PathComponent>, _ out: inout [SchemaViolation]
    ) {
        let before = out.count
        schemaStack.append(step)
        let evaluated = evaluate(sub, instance, depth: depth, into: &out)
        schemaStack.removeLast()
        if program.tracksEvaluation && out.count == before { seen.formUnion(evaluated) }
    }

    /// Applies a subschema to a member or element (already pushed on the instance stack).
    private mutating func apply(_ sub: Int, _ step: SchemaStep, _ value: JSONValue, _ depth: Int, _ out: inout [SchemaViolation]) {
        schemaStack.append(step)
        evaluate(sub, value, depth: depth, into: &out)
        schemaStack.removeLast()
    }

    /// Applies a subschema on trial: its violations are returned for the caller to judge.
    private mutating func attempt(
        _ sub: Int, _ step: SchemaStep, _ instance: JSONValue, _ depth: Int, quietly: Bool
    ) -> ([SchemaViolation], Set<JSONSchema.PathComponent>) {
        var trial: [SchemaViolation] = []
        if quietly { quiet += 1 }
        schemaStack.append(step)
        let evaluated = evaluate(sub, instance, depth: depth, into: &trial)
        schemaStack.removeLast()
        if quietly { quiet -= 1 }
        return (trial, evaluated)
    }

    private mutating func evaluateObject(
        _ node: SchemaNode, _ members: JSONObject, _ depth: Int,
        _ seen: inout Set<JSONSchema.PathComponent>, _ out: inout [SchemaViolation]
    ) {
        for name in node.required where members[name] == nil {
            instanceStack.append(.key(name))
            report("required", "required property '\(name)' is missing", into: &out)
            instanceStack.removeLast()
        }
        for (name, requires) in node.dependentRequired where members[name] != nil {
            for other in requires where members[other] == nil {
                instanceStack.append(.key(other))
                report("dependentRequired", "property '\(other)' is required when '\(name)' is present", into: &out)
                instanceStack.removeLast()
            }
        }
        if let minimum = node.minProperties, members.count < minimum {
            report("minProperties", "expected at least \(plural(minimum, "property", "properties")), found \(members.count)", into: &out)
        }
        if let maximum = node.maxProperties, members.count > maximum {
            report("maxProperties", "expected at most \(plural(maximum, "property", "properties")), found \(members.count)", into: &out)
        }
        let track = program.tracksEvaluation
        if node.checksMembers {
            for (name, value) in members {
                instanceStack.append(.key(name))
                var matched = false
                if let property = node.property(named: name) {
                    matched = true
                    apply(property, .member("properties", name), value, depth, &out)
                }
                for entry in node.patternProperties where entry.pattern.matches(name) {
                    matched = true
                    apply(entry.node, .member("patternProperties", entry.pattern.source), value, depth, &out)
                }
                if !matched, let additional = node.additionalProperties {
                    matched = true
                    if program.nodes[additional].boolean == false {
                        report("additionalProperties", "property '\(name)' is not allowed; \(allowedNames(node))", into: &out)
                    } else {
                        apply(additional, .keyword("additionalProperties"), value, depth, &out)
                    }
                }
                if matched && track { seen.insert(.key(name)) }
                if let names = node.propertyNames {
                    let (trial, _) = attempt(names, .keyword("propertyNames"), .string(name), depth, quietly: quiet > 0)
                    for v in trial {
                        report("propertyNames", "property name \(quoted(name)) is invalid: \(v.message)", into: &out)
                    }
                }
                instanceStack.removeLast()
            }
        }
        for dependent in node.dependentSchemas where members[dependent.name] != nil {
            inPlace(dependent.node, .member(node.dependentSchemasKeyword, dependent.name), .object(members), depth, &seen, &out)
        }
    }

    private func allowedNames(_ node: SchemaNode) -> String {
        if node.properties.isEmpty && node.patternProperties.isEmpty { return "this object allows no properties" }
        var parts = node.properties.prefix(10).map { "'\($0.name)'" }
        if node.properties.count > 10 { parts.append("…") }
        if !node.patternProperties.isEmpty {
            parts.append("names matching " + node.patternProperties.map { "'\($0.pattern.source)'" }.joined(separator: ", "))
        }
        return "expected " + listing(parts, conjunction: "or")
    }

    private mutating func evaluateArray(
        _ node: SchemaNode, _ elements: [JSONValue], _ depth: Int,
        _ seen: inout Set<JSONSchema.PathComponent>, _ out: inout [SchemaViolation]
    ) {
        let track = program.tracksEvaluation
        if let minimum = node.minItems, elements.count < minimum {
            report("minItems", "expected at least \(plural(minimum, "item", "items")), found \(elements.count)", into: &out)
        }
        if let maximum = node.maxItems, elements.count > maximum {
            report("maxItems", "expected at most \(plural(maximum, "item", "items")), found \(elements.count)", into: &out)
        }
        if node.uniqueItems {
            var firstIndex: [JSONValue: Int] = [:]
            for (i, element) in elements.enumerated() {
                if let earlier = firstIndex[element] {
                    instanceStack.append(.index(i))
                    report("uniqueItems", "items must be unique; this equals item [\(earlier)]", into: &out)
                    instanceStack.removeLast()
                } else {
                    firstIndex[element] = i
                }
            }
        }
        if !node.prefixItems.isEmpty || node.items != nil {
            for (i, element) in elements.enumerated() {
                if i < node.prefixItems.count {
                    instanceStack.append(.index(i))
                    apply(node.prefixItems[i], .element(node.prefixKeyword, i), element, depth, &out)
                    instanceStack.removeLast()
                    if track { seen.insert(.index(i)) }
                } else if let items = node.items {
                    if track { seen.insert(.index(i)) }
                    instanceStack.append(.index(i))
                    if program.nodes[items].boolean == false {
                        report(node.itemsKeyword, "expected at most \(plural(node.prefixItems.count, "item", "items")); no more are allowed", into: &out)
                    } else {
                        apply(items, .keyword(node.itemsKeyword), element, depth, &out)
                    }
                    instanceStack.removeLast()
                } else {
                    break
                }
            }
        }
        if let contains = node.contains {
            var count = 0
            for (i, element) in elements.enumerated() {
                instanceStack.append(.index(i))
                let (trial, _) = attempt(contains, .keyword("contains"), element, depth, quietly: true)
                instanceStack.removeLast()
                if trial.isEmpty {
                    count += 1
                    if track { seen.insert(.index(i)) }
                }
            }
            let minimum = node.minContains ?? 1
            if count < minimum {
                report("contains", "expected at least \(plural(minimum, "item", "items")) matching 'contains', found \(count)", into: &out)
            }
            if let maximum = node.maxContains, count > maximum {
                report("maxContains", "expected at most \(plural(maximum, "item", "items")) matching 'contains', found \(count)", into: &out)
            }
        }
    }

    private mutating func evaluateString(_ node: SchemaNode, _ text: String, into out: inout [SchemaViolation]) {
        if node.minLength != nil || node.maxLength != nil {
            let length = text.unicodeScalars.count
            if let minimum = node.minLength, length < minimum {
                report("minLength", "expected at least \(plural(minimum, "character", "characters")), found \(length)", into: &out)
            }
            if let maximum = node.maxLength, length > maximum {
                report("maxLength", "expected at most \(plural(maximum, "character", "characters")), found \(length)", into: &out)
            }
        }
        if let pattern = node.pattern {
            switch pattern.search(text) {
            case true?: break
            case false?:
                report("pattern", "\(quoted(text)) does not match the pattern '\(pattern.source)'", into: &out)
            case nil:
                report("pattern", "matching \(quoted(text)) against the pattern '\(pattern.source)' was abandoned: the pattern backtracks too much; simplify it", into: &out)
            }
        }
    }

    private mutating func evaluateNumber(_ node: SchemaNode, _ number: NumberValue, _ value: JSONValue, into out: inout [SchemaViolation]) {
        if let bound = node.minimum {
            if node.minimumExclusive {
                if !(bound < number) { report("exclusiveMinimum", "expected a number > \(text(bound)), found \(literal(value))", into: &out) }
            } else if number < bound {
                report("minimum", "expected a number >= \(text(bound)), found \(literal(value))", into: &out)
            }
        }
        if let bound = node.maximum {
            if node.maximumExclusive {
                if !(number < bound) { report("exclusiveMaximum", "expected a number < \(text(bound)), found \(literal(value))", into: &out) }
            } else if bound < number {
                report("maximum", "expected a number <= \(text(bound)), found \(literal(value))", into: &out)
            }
        }
        if let bound = node.exclusiveMinimum, !(bound < number) {
            report("exclusiveMinimum", "expected a number > \(text(bound)), found \(literal(value))", into: &out)
        }
        if let bound = node.exclusiveMaximum, !(number < bound) {
            report("exclusiveMaximum", "expected a number < \(text(bound)), found \(literal(value))", into: &out)
        }
        if let divisor = node.multipleOf, !isMultiple(number, of: divisor) {
            report("multipleOf", "expected a multiple of \(text(divisor)), found \(literal(value))", into: &out)
        }
    }

    // MARK: Reporting

    private mutating func stop(_ keyword: String, _ message: String, into out: inout [SchemaViolation]) {
        let v = SchemaViolation(
            instancePath: JSONSchema.renderPath(instanceStack), keyword: keyword, message: message,
            instancePointer: Self.pointer(instanceStack), schemaPath: Self.render(schemaStack))
        stopViolation = v
        out.append(v)
    }

    /// Appends a violation at the current locations; in a quiet trial, a placeholder without text.
    private func report(_ keyword: String, _ message: @autoclosure () -> String, into out: inout [SchemaViolation], keywordInPath: Bool = true) {
        if quiet > 0 {
            out.append(Self.placeholder)
            return
        }
        var schemaPath = Self.render(schemaStack)
        if keywordInPath { schemaPath += "/" + keyword }
        out.append(SchemaViolation(
            instancePath: JSONSchema.renderPath(instanceStack), keyword: keyword, message: message(),
            instancePointer: Self.pointer(instanceStack), schemaPath: schemaPath))
    }

    /// RFC 6901 text of an instance location (`/items/3/price`; empty for the root).
    static func pointer(_ components: [JSONSchema.PathComponent]) -> String {
        var out = ""
        for component in components {
            out += "/"
            switch component {
            case .key(let key): out += escapeToken(key)
            case .index(let i): out += String(i)
            }
        }
        return out
    }

    /// RFC 6901 text of a keyword location (`/properties/items/items/$ref/type`).
    static func render(_ steps: [SchemaStep]) -> String {
        var out = ""
        for step in steps {
            switch step {
            case .keyword(let keyword): out += "/" + keyword
            case .member(let keyword, let name): out += "/" + keyword + "/" + escapeToken(name)
            case .element(let keyword, let i): out += "/" + keyword + "/" + String(i)
            }
        }
        return out
    }

    private static func escapeToken(_ token: String) -> String {
        guard token.contains("~") || token.contains("/") else { return token }
        return token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// One part per alternative's first problem: `[0] expected string, found integer 1 (+2 more)`,
    /// bounded so that a wide `anyOf` stays one readable line.
    private func summary(_ failures: [[SchemaViolation]]) -> String {
        let here = JSONSchema.renderPath(instanceStack)
        var parts: [String] = []
        for (i, failure) in failures.enumerated().prefix(4) {
            guard let first = failure.first else { continue }
            let location = first.instancePath == here ? "" : "\(first.instancePath): "
            let more = failure.count > 1 ? " (+\(failure.count - 1) more)" : ""
            parts.append("[\(i)] \(location)\(first.message)\(more)")
        }
        if failures.count > 4 { parts.append("…") }
        // Each part may quote the instance; the cap keeps a wide anyOf to about two quotations.
        let joined = parts.joined(separator: "; ")
        guard joined.unicodeScalars.count > 160 else { return joined }
        var short = String.UnicodeScalarView()
        short.append(contentsOf: joined.unicodeScalars.prefix(160))
        return String(short) + "…"

    }
}

func listing(_ items: [String], conjunction: String) -> String {
    switch items.count {
    case 0: return ""
    case 1: return items[0]
    default: return items.dropLast().joined(separator: ", ") + " \(conjunction) " + (items.last ?? "")
    }
}

func plural(_ n: Int, _ one: String, _ many: String) -> String {
    "\(n) \(n == 1 ? one : many)"
}

private func text(_ n: NumberValue) -> String {
    switch n {
    case .int(let i): return String(i)
    case .double(let d): return JSONValue.double(d).jsonText()
    }
}

/// Whether `x` is an integer multiple of `divisor` (> 0).
///
/// Integers divide exactly. Other numbers are compared as the decimals they were written as (the
/// shortest round-trip spelling), so `0.3` is a multiple of `0.1` although the binary quotient is
/// not integral; values outside `Decimal`'s range fall back to binary floating point.
func isMultiple(_ x: NumberValue, of divisor: NumberValue) -> Bool {
    if case .int(let a) = x, case .int(let b) = divisor, b > 0 {
        return a % b == 0
    }
    let xd = x.doubleValue, dd = divisor.doubleValue
    guard xd.isFinite, dd.isFinite, dd > 0 else { return false }
    if let xDec = decimal(x), let dDec = decimal(divisor), !dDec.isZero {
        var quotient = xDec / dDec
        var rounded = Decimal()
        NSDecimalRound(&rounded, &quotient, 0, .plain)
        if !quotient.isNaN { return rounded == quotient }
    }
    let q = xd / dd
    if !q.isFinite {
        // The quotient overflowed: a huge integral x is still a multiple of any divisor whose
        // reciprocal is an integer (0.5, 0.25, …).
        let reciprocal = 1 / dd
        return xd.rounded() == xd && reciprocal.isFinite && reciprocal.rounded() == reciprocal
    }
    return q.rounded() == q
}

private func decimal(_ n: NumberValue) -> Decimal? {
    switch n {
    case .int(let i): return Decimal(i)
    case .double(let d):
        // Decimal holds exponents up to about ±127; beyond that binary arithmetic is as good.
        guard d == 0 || (abs(d) < 1e100 && abs(d) > 1e-100) else { return nil }
        return Decimal(string: JSONValue.double(d).jsonText())
    }
}
