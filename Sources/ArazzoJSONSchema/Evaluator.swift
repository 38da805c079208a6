import ArazzoJSON
import Foundation

/// Applies a compiled program to one instance, collecting every violation.
struct Evaluator {
    let program: Program
    let options: JSONSchema.Options
    private var steps = 0
    /// Set once a limit is hit; evaluation then unwinds without further work.
    private(set) var stopViolation: SchemaViolation?

    init(program: Program, options: JSONSchema.Options) {
        self.program = program
        self.options = options
    }

    /// Applies node `index` to `instance`, appending violations to `out`.
    ///
    /// Returns the members (by name) and elements (by index) that this schema evaluated, for
    /// `unevaluatedProperties`/`unevaluatedItems`; only tracked when the program uses them, and only
    /// from subschemas that passed, as the specification's annotation rules require.
    @discardableResult
    mutating func evaluate(_ index: Int, _ instance: JSONValue, _ path: InstancePath, depth: Int, into out: inout [SchemaViolation]) -> Set<JSONSchema.PathComponent> {
        guard stopViolation == nil else { return [] }
        steps += 1
        if steps > options.maxEvaluationSteps {
            stop(SchemaViolation(
                instancePath: path.rendered, keyword: "maxEvaluationSteps",
                message: "validation stopped after \(options.maxEvaluationSteps) schema applications; the schema is too complex for this value"),
                into: &out)
            return []
        }
        if depth > options.maxEvaluationDepth {
            stop(SchemaViolation(
                instancePath: path.rendered, keyword: "maxEvaluationDepth",
                message: "validation stopped: schemas nest more than \(options.maxEvaluationDepth) levels deep here (a $ref that recurses without descending into the value, or a value nested too deeply)"),
                into: &out)
            return []
        }
        let node = program.nodes[index]
        if let flag = node.boolean {
            if !flag {
                out.append(violation(path, "false", "no value is allowed here (the schema is false)"))
            }
            return []
        }
        let track = program.tracksEvaluation
        var seen: Set<JSONSchema.PathComponent> = []
        let next = depth + 1

        /// Applies a subschema in place; its evaluated locations count when it passed.
        func inPlace(_ sub: Int, _ evaluator: inout Evaluator, _ out: inout [SchemaViolation]) {
            let before = out.count
            let evaluated = evaluator.evaluate(sub, instance, path, depth: next, into: &out)
            if track && out.count == before { seen.formUnion(evaluated) }
        }
        /// Applies a subschema on trial: its violations go to `trial` for the caller to judge.
        func attempt(_ sub: Int, _ evaluator: inout Evaluator) -> [SchemaViolation] {
            var trial: [SchemaViolation] = []
            let evaluated = evaluator.evaluate(sub, instance, path, depth: next, into: &trial)
            if track && trial.isEmpty { seen.formUnion(evaluated) }
            return trial
        }

        if let ref = node.ref {
            inPlace(ref, &self, &out)
        }
        if let types = node.types, !types.contains(where: { $0.admits(instance) }) {
            out.append(violation(path, "type", "expected \(listing(types.map(\.rawValue), conjunction: "or")), found \(describe(instance))"))
        }
        if let values = node.enumValues, !values.contains(instance) {
            let shown = values.prefix(8).map(literal).joined(separator: ", ") + (values.count > 8 ? ", …" : "")
            out.append(violation(path, "enum", "expected one of \(shown); found \(literal(instance))"))
        }
        if let expected = node.constValue, expected != instance {
            out.append(violation(path, "const", "expected \(literal(expected)), found \(literal(instance))"))
        }

        switch instance {
        case .object(let members):
            seen.formUnion(evaluateObject(node, members, path, depth: next, into: &out))
            for dependent in node.dependentSchemas where members[dependent.name] != nil {
                inPlace(dependent.node, &self, &out)
            }
        case .array(let elements):
            seen.formUnion(evaluateArray(node, elements, path, depth: next, into: &out))
        case .string(let text):
            evaluateString(node, text, path, into: &out)
        case .int, .double:
            if let number = instance.numberValue { evaluateNumber(node, number, instance, path, into: &out) }
        default:
            break
        }

        for sub in node.allOf {
            inPlace(sub, &self, &out)
        }
        if !node.anyOf.isEmpty {
            var failures: [[SchemaViolation]] = []
            var passed = false
            for sub in node.anyOf {
                let trial = attempt(sub, &self)
                if trial.isEmpty {
                    passed = true
                    // Later alternatives only matter for the locations they evaluate.
                    if !track { break }
                } else {
                    failures.append(trial)
                }
            }
            if !passed {
                out.append(violation(path, "anyOf", "matches none of the \(node.anyOf.count) anyOf alternatives: \(summary(failures, at: path))"))
            }
        }
        if !node.oneOf.isEmpty {
            var failures: [[SchemaViolation]] = []
            var matched: [Int] = []
            for (i, sub) in node.oneOf.enumerated() {
                let trial = attempt(sub, &self)
                if trial.isEmpty { matched.append(i) } else { failures.append(trial) }
            }
            if matched.isEmpty {
                out.append(violation(path, "oneOf", "matches none of the \(node.oneOf.count) oneOf alternatives: \(summary(failures, at: path))"))
            } else if matched.count > 1 {
                let which = listing(matched.map { "[\($0)]" }, conjunction: "and")
                out.append(violation(path, "oneOf", "matches \(matched.count) oneOf alternatives (\(which)); it must match exactly one"))
            }
        }
        if let sub = node.not {
            var trial: [SchemaViolation] = []
            evaluate(sub, instance, path, depth: next, into: &trial)
            if trial.isEmpty {
                out.append(violation(path, "not", "must not match the schema in 'not' (\(program.nodes[sub].schemaPath))"))
            }
        }
        if let condition = node.ifNode, node.thenNode != nil || node.elseNode != nil || track {
            let trial = attempt(condition, &self)
            if let branch = trial.isEmpty ? node.thenNode : node.elseNode {
                inPlace(branch, &self, &out)
            }
        }

        if let unevaluated = node.unevaluatedProperties, case .object(let members) = instance {
            for (name, value) in members where !seen.contains(.key(name)) {
                let memberPath = path.appending(name)
                if program.nodes[unevaluated].boolean == false {
                    out.append(violation(memberPath, "unevaluatedProperties", "property '\(name)' is not allowed; no applicable subschema declares it"))
                } else {
                    evaluate(unevaluated, value, memberPath, depth: next, into: &out)
                }
                seen.insert(.key(name))
            }
        }
        if let unevaluated = node.unevaluatedItems, case .array(let elements) = instance {
            for (i, element) in elements.enumerated() where !seen.contains(.index(i)) {
                if program.nodes[unevaluated].boolean == false {
                    out.append(violation(path.appending(i), "unevaluatedItems", "item [\(i)] is not allowed; no applicable subschema covers it"))
                } else {
                    evaluate(unevaluated, element, path.appending(i), depth: next, into: &out)
                }
                seen.insert(.index(i))
            }
        }
        return track ? seen : []
    }

    private mutating func evaluateObject(_ node: SchemaNode, _ members: JSONObject, _ path: InstancePath, depth: Int, into out: inout [SchemaViolation]) -> Set<JSONSchema.PathComponent> {
        for name in node.required where members[name] == nil {
            out.append(violation(path.appending(name), "required", "required property '\(name)' is missing"))
        }
        for (name, requires) in node.dependentRequired where members[name] != nil {
            for other in requires where members[other] == nil {
                out.append(violation(path.appending(other), "dependentRequired", "property '\(other)' is required when '\(name)' is present"))
            }
        }
        if let minimum = node.minProperties, members.count < minimum {
            out.append(violation(path, "minProperties", "expected at least \(plural(minimum, "property", "properties")), found \(members.count)"))
        }
        if let maximum = node.maxProperties, members.count > maximum {
            out.append(violation(path, "maxProperties", "expected at most \(plural(maximum, "property", "properties")), found \(members.count)"))
        }
        let checksMembers = !node.properties.isEmpty || !node.patternProperties.isEmpty
            || node.additionalProperties != nil || node.propertyNames != nil
        guard checksMembers else { return [] }
        var evaluated: Set<JSONSchema.PathComponent> = []
        for (name, value) in members {
            let memberPath = path.appending(name)
            var matched = false
            for property in node.properties where property.name == name {
                matched = true
                evaluate(property.node, value, memberPath, depth: depth, into: &out)
            }
            for entry in node.patternProperties where entry.pattern.matches(name) {
                matched = true
                evaluate(entry.node, value, memberPath, depth: depth, into: &out)
            }
            if !matched, let additional = node.additionalProperties {
                matched = true
                if program.nodes[additional].boolean == false {
                    out.append(violation(memberPath, "additionalProperties", "property '\(name)' is not allowed; \(allowedNames(node))"))
                } else {
                    evaluate(additional, value, memberPath, depth: depth, into: &out)
                }
            }
            if matched && program.tracksEvaluation { evaluated.insert(.key(name)) }
            if let names = node.propertyNames {
                var trial: [SchemaViolation] = []
                evaluate(names, .string(name), memberPath, depth: depth, into: &trial)
                for v in trial {
                    out.append(violation(memberPath, "propertyNames", "property name \(quoted(name)) is invalid: \(v.message)"))
                }
            }
        }
        return evaluated
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

    private mutating func evaluateArray(_ node: SchemaNode, _ elements: [JSONValue], _ path: InstancePath, depth: Int, into out: inout [SchemaViolation]) -> Set<JSONSchema.PathComponent> {
        var evaluated: Set<JSONSchema.PathComponent> = []
        let track = program.tracksEvaluation
        if let minimum = node.minItems, elements.count < minimum {
            out.append(violation(path, "minItems", "expected at least \(plural(minimum, "item", "items")), found \(elements.count)"))
        }
        if let maximum = node.maxItems, elements.count > maximum {
            out.append(violation(path, "maxItems", "expected at most \(plural(maximum, "item", "items")), found \(elements.count)"))
        }
        if node.uniqueItems {
            var firstIndex: [JSONValue: Int] = [:]
            for (i, element) in elements.enumerated() {
                if let earlier = firstIndex[element] {
                    out.append(violation(path.appending(i), "uniqueItems", "items must be unique; this equals item [\(earlier)]"))
                } else {
                    firstIndex[element] = i
                }
            }
        }
        for (i, element) in elements.enumerated() {
            if i < node.prefixItems.count {
                evaluate(node.prefixItems[i], element, path.appending(i), depth: depth, into: &out)
                if track { evaluated.insert(.index(i)) }
            } else if let items = node.items {
                if track { evaluated.insert(.index(i)) }
                if program.nodes[items].boolean == false {
                    out.append(violation(path.appending(i), "items", "expected at most \(plural(node.prefixItems.count, "item", "items")); no more are allowed"))
                } else {
                    evaluate(items, element, path.appending(i), depth: depth, into: &out)
                }
            }
        }
        if let contains = node.contains {
            var count = 0
            for (i, element) in elements.enumerated() {
                var trial: [SchemaViolation] = []
                evaluate(contains, element, path.appending(i), depth: depth, into: &trial)
                if trial.isEmpty {
                    count += 1
                    if track { evaluated.insert(.index(i)) }
                }
            }
            let minimum = node.minContains ?? 1
            if count < minimum {
                out.append(violation(path, "contains", "expected at least \(plural(minimum, "item", "items")) matching 'contains', found \(count)"))
            }
            if let maximum = node.maxContains, count > maximum {
                out.append(violation(path, "maxContains", "expected at most \(plural(maximum, "item", "items")) matching 'contains', found \(count)"))
            }
        }
        return evaluated
    }

    private func evaluateString(_ node: SchemaNode, _ text: String, _ path: InstancePath, into out: inout [SchemaViolation]) {
        if node.minLength != nil || node.maxLength != nil {
            let length = text.unicodeScalars.count
            if let minimum = node.minLength, length < minimum {
                out.append(violation(path, "minLength", "expected at least \(plural(minimum, "character", "characters")), found \(length)"))
            }
            if let maximum = node.maxLength, length > maximum {
                out.append(violation(path, "maxLength", "expected at most \(plural(maximum, "character", "characters")), found \(length)"))
            }
        }
        if let pattern = node.pattern {
            switch pattern.search(text) {
            case true?: break
            case false?:
                out.append(violation(path, "pattern", "\(quoted(text)) does not match the pattern '\(pattern.source)'"))
            case nil:
                out.append(violation(path, "pattern", "matching \(quoted(text)) against the pattern '\(pattern.source)' was abandoned: the pattern backtracks too much; simplify it"))
            }
        }
    }

    private func evaluateNumber(_ node: SchemaNode, _ number: NumberValue, _ value: JSONValue, _ path: InstancePath, into out: inout [SchemaViolation]) {
        let shown = literal(value)
        if let bound = node.minimum, number < bound {
            out.append(violation(path, "minimum", "expected a number >= \(text(bound)), found \(shown)"))
        }
        if let bound = node.maximum, bound < number {
            out.append(violation(path, "maximum", "expected a number <= \(text(bound)), found \(shown)"))
        }
        if let bound = node.exclusiveMinimum, !(bound < number) {
            out.append(violation(path, "exclusiveMinimum", "expected a number > \(text(bound)), found \(shown)"))
        }
        if let bound = node.exclusiveMaximum, !(number < bound) {
            out.append(violation(path, "exclusiveMaximum", "expected a number < \(text(bound)), found \(shown)"))
        }
        if let divisor = node.multipleOf, !isMultiple(number, of: divisor) {
            out.append(violation(path, "multipleOf", "expected a multiple of \(text(divisor)), found \(shown)"))
        }
    }

    private mutating func stop(_ v: SchemaViolation, into out: inout [SchemaViolation]) {
        stopViolation = v
        out.append(v)
    }

    private func violation(_ path: InstancePath, _ keyword: String, _ message: String) -> SchemaViolation {
        SchemaViolation(instancePath: path.rendered, keyword: keyword, message: message)
    }

    /// One line per alternative's first problem: `[0] expected string, found integer 1 (+2 more)`.
    private func summary(_ failures: [[SchemaViolation]], at path: InstancePath) -> String {
        let here = path.rendered
        var parts: [String] = []
        for (i, failure) in failures.enumerated() {
            guard let first = failure.first else { continue }
            let location = first.instancePath == here ? "" : "\(first.instancePath): "
            let more = failure.count > 1 ? " (+\(failure.count - 1) more)" : ""
            parts.append("[\(i)] \(location)\(first.message)\(more)")
        }
        return parts.joined(separator: "; ")
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
    return q.isFinite && q.rounded() == q
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
