import ArazzoJSON
import OrderedCollections

/// The verdict-only twin of `Evaluator` (decision PA1): applies a compiled program to one instance
/// and answers valid, invalid, or "not decided" (a limit was hit), building no locations, no
/// violations and no text.
///
/// `JSONSchema.validate` runs it first and runs the full `Evaluator` only when the verdict is not
/// "valid", so the violations of an invalid instance are exactly the evaluator's. For the verdict
/// "valid" to be the evaluator's too, the checker applies the same subschemas in the same order,
/// so it counts the same steps and reaches the same depths against `maxEvaluationSteps` and
/// `maxEvaluationDepth`. It may stop early only where a failure decides the whole verdict: outside
/// every trial (`anyOf`, `oneOf`, `not`, `if`, `contains`), whose failures the evaluator only
/// counts. Inside a trial it goes on as the evaluator does, failure or not.
struct Checker {
    let program: Program
    let options: JSONSchema.Options
    private var steps = 0
    /// Set once a limit is hit; checking then unwinds and the verdict is undecided.
    private var stopped = false
    /// Resources entered, outermost first: the dynamic scope `$dynamicRef` searches.
    private var scope: [Int] = []
    /// Trials open around the current application: while one is, a failure decides nothing.
    private var trials = 0

    /// What the checker found.
    enum Verdict {
        case valid
        case invalid
        /// A limit was hit: only the full evaluator says what is reported.
        case undecided
    }

    init(program: Program, options: JSONSchema.Options) {
        self.program = program
        self.options = options
    }

    /// The verdict of node `index` on `instance`: a tree, or a tape node read in place (TP3).
    mutating func verdict<Instance: SchemaInstance>(_ index: Int, _ instance: Instance) -> Verdict {
        var evaluated: Set<JSONSchema.PathComponent> = []
        let valid = check(index, instance, depth: 0, evaluated: &evaluated)
        if stopped { return .undecided }
        return valid ? .valid : .invalid
    }

    /// Whether node `index` admits `instance`; its evaluated members and elements go to
    /// `evaluated` (only when the program tracks them), as `Evaluator.evaluate` returns them.
    private mutating func check<Instance: SchemaInstance>(
        _ index: Int, _ instance: Instance, depth: Int, evaluated seen: inout Set<JSONSchema.PathComponent>
    ) -> Bool {
        // An object whose text repeats a name is checked as the tree it materialises to, whose
        // members follow the repeated-name rule.
        // Only an object can repeat a name: other kinds skip that read.
        let kind = instance.instanceKind
        if kind == .object, instance.repeatsNames {
            return check(index, instance.jsonValue, depth: depth, evaluated: &seen)
        }
        if stopped { return false }
        steps += 1
        if steps > options.maxEvaluationSteps || depth > options.maxEvaluationDepth {
            stopped = true
            return false
        }
        let node = program.nodes[index]
        if let flag = node.boolean { return flag }
        var pushed = false
        if program.usesDynamicScope && scope.last != node.resource {
            scope.append(node.resource)
            pushed = true
        }
        defer { if pushed { scope.removeLast() } }

        let track = program.tracksEvaluation
        let next = depth + 1
        var valid = true
        // Outside a trial the first failure is the verdict; inside, the rest is applied anyway.
        var decided: Bool { stopped || trials == 0 }

        if let ref = node.ref, !inPlace(ref, instance, next, &seen) {
            valid = false
            if decided { return false }
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
            if !inPlace(resolved, instance, next, &seen) {
                valid = false
                if decided { return false }
            }
        }
        // One mask test (decision JC1): `SchemaType.admits` over the node's types.
        if !node.admitsType(kind, { instance.instanceNumber }) {
            valid = false
            if decided { return false }
        }
        if let values = node.enumValues, !admitsEnum(node, values, kind, instance) {
            valid = false
            if decided { return false }
        }
        if let expected = node.constValue, expected != instance.jsonValue {
            valid = false
            if decided { return false }
        }
        // Formats say nothing of containers, booleans and null: those are not materialised.
        if let check = node.formatCheck, kind != .object, kind != .array, !check.admits(instance.jsonValue) {
            valid = false
            if decided { return false }
        }

        let admitted: Bool
        switch kind {
        case .object: admitted = checkObject(node, instance, next, &seen)
        case .array: admitted = checkArray(node, instance, next, &seen)
        case .string: admitted = !node.checksStrings || checkString(node, instance)
        case .int, .double:
            if let number = instance.instanceNumber { admitted = checkNumber(node, number) } else { admitted = true }
        default: admitted = true
        }
        if !admitted {
            valid = false
            if decided { return false }
        }

        // Most nodes have none of the applicators below; one flag skips reading them all.
        if node.hasNoApplicators { return valid }
        for sub in node.allOf where !inPlace(sub, instance, next, &seen) {
            valid = false
            if decided { return false }
        }
        if !node.anyOf.isEmpty {
            var passed = false
            trials += 1
            for sub in node.anyOf {
                var evaluated: Set<JSONSchema.PathComponent> = []
                if check(sub, instance, depth: next, evaluated: &evaluated) {
                    passed = true
                    if track { seen.formUnion(evaluated) } else { break }
                }
            }
            trials -= 1
            if !passed {
                valid = false
                if decided { return false }
            }
        }
        if !node.oneOf.isEmpty {
            var matched = 0
            trials += 1
            for sub in node.oneOf {
                var evaluated: Set<JSONSchema.PathComponent> = []
                if check(sub, instance, depth: next, evaluated: &evaluated) {
                    matched += 1
                    if track { seen.formUnion(evaluated) }
                }
            }
            trials -= 1
            if matched != 1 {
                valid = false
                if decided { return false }
            }
        }
        if let sub = node.not {
            var evaluated: Set<JSONSchema.PathComponent> = []
            trials += 1
            let matched = check(sub, instance, depth: next, evaluated: &evaluated)
            trials -= 1
            if matched {
                valid = false
                if decided { return false }
            }
        }
        if let condition = node.ifNode, node.thenNode != nil || node.elseNode != nil || track {
            var evaluated: Set<JSONSchema.PathComponent> = []
            trials += 1
            let holds = check(condition, instance, depth: next, evaluated: &evaluated)
            trials -= 1
            var branchValid = true
            if holds {
                if track { seen.formUnion(evaluated) }
                if let branch = node.thenNode { branchValid = inPlace(branch, instance, next, &seen) }
            } else if let branch = node.elseNode {
                branchValid = inPlace(branch, instance, next, &seen)
            }
            if !branchValid {
                valid = false
                if decided { return false }
            }
        }

        if let unevaluated = node.unevaluatedProperties, kind == .object {
            let forbidden = program.nodes[unevaluated].boolean == false
            for (member, value) in instance.instanceMembers {
                let name = Instance.string(of: member)
                if seen.contains(.key(name)) { continue }
                if forbidden || !apply(unevaluated, value, next) {
                    valid = false
                    if decided { return false }
                }
                seen.insert(.key(name))
            }
        }
        if let unevaluated = node.unevaluatedItems, kind == .array {
            let forbidden = program.nodes[unevaluated].boolean == false
            for (i, element) in instance.instanceElements.enumerated() where !seen.contains(.index(i)) {
                if forbidden || !apply(unevaluated, element, next) {
                    valid = false
                    if decided { return false }
                }
                seen.insert(.index(i))
            }
        }
        return valid
    }

    /// `enum`: an `enum` of ASCII strings matches a raw ASCII tape string by its bytes, and no
    /// value that is not a string; anything else is compared as the tree's value (decision JC1).
    /// Two ASCII strings are equal as Swift strings exactly when their bytes are.
    @inline(__always)
    private func admitsEnum<Instance: SchemaInstance>(
        _ node: SchemaNode, _ values: [JSONValue], _ kind: JSONTape.Kind, _ instance: Instance
    ) -> Bool {
        if let table = node.enumStrings {
            if kind != .string { return false }
            if let bytes = instance.asciiStringBytes { return table.node(forASCII: bytes) != nil }
        }
        return values.contains(instance.jsonValue)
    }

    /// A subschema on the same instance; its evaluated locations count when it passed.
    private mutating func inPlace<Instance: SchemaInstance>(
        _ sub: Int, _ instance: Instance, _ depth: Int, _ seen: inout Set<JSONSchema.PathComponent>
    ) -> Bool {
        var evaluated: Set<JSONSchema.PathComponent> = []
        let valid = check(sub, instance, depth: depth, evaluated: &evaluated)
        if valid && program.tracksEvaluation { seen.formUnion(evaluated) }
        return valid
    }

    /// A subschema on a member or element; what it evaluated inside does not matter here.
    private mutating func apply<Instance: SchemaInstance>(_ sub: Int, _ value: Instance, _ depth: Int) -> Bool {
        var evaluated: Set<JSONSchema.PathComponent> = []
        return check(sub, value, depth: depth, evaluated: &evaluated)
    }

    private mutating func checkObject<Instance: SchemaInstance>(
        _ node: SchemaNode, _ instance: Instance, _ depth: Int, _ seen: inout Set<JSONSchema.PathComponent>
    ) -> Bool {
        var valid = true
        var decided: Bool { stopped || trials == 0 }
        // `properties` and `required` are answered from one table in one walk of the names
        // (decision JC1), so `required` is decided after the walk: a body that breaks it
        // outside a trial may then count the steps of its members first, which can only turn
        // the verdict "invalid" into "undecided", and both send the body to the evaluator.
        let table = Instance.namesAsBytes ? node.memberTable : nil
        let requiredInWalk = table != nil && !node.required.isEmpty
        if !requiredInWalk, !instance.hasRequiredMembers(of: node) {
            valid = false
            if decided { return false }
        }
        for (name, requires) in node.dependentRequired where instance.hasMember(name) {
            for other in requires where !instance.hasMember(other) {
                valid = false
                if decided { return false }
            }
        }
        if let minimum = node.minProperties, instance.instanceCount < minimum {
            valid = false
            if decided { return false }
        }
        if let maximum = node.maxProperties, instance.instanceCount > maximum {
            valid = false
            if decided { return false }
        }
        let track = program.tracksEvaluation
        let checksMembers = node.checksMembers
        if checksMembers || requiredInWalk {
            var requiredSeen: UInt64 = 0
            // False once a name is not raw ASCII: it may equal a required name only decoded.
            var namesDecide = true
            // The name as a string only where a keyword reads it.
            let needsName = track || !node.patternProperties.isEmpty || node.propertyNames != nil
            var failed = false
            instance.forEachMember { ascii, member, value in
                var property: Int?
                // Answered by the table: a raw ASCII tape name found or not, a tree name found
                // byte for byte or all ASCII and not found. Else (escaped, or other bytes not
                // found: U+212A KELVIN SIGN equals `K`) the name is compared as a string.
                var answered = false
                if let table, let bytes = ascii {
                    let code: Int?
                    if Instance.namesAreASCII {
                        code = table.node(forASCII: bytes)
                        answered = true
                    } else {
                        switch table.lookup(bytes) {
                        case .found(let found): code = found; answered = true
                        case .absent: code = nil; answered = true
                        case .ask: code = nil
                        }
                    }
                    if let code {
                        let answer = SchemaNode.memberCode(code)
                        property = answer.property
                        requiredSeen |= answer.requiredBit
                    }
                }
                if !answered {
                    if table != nil { namesDecide = false }
                    if checksMembers { property = Instance.property(member, in: node) }
                }
                guard checksMembers else {
                    // Only `required` reads the names: stop once every one is seen.
                    return namesDecide && requiredSeen != node.requiredMask
                }
                var matched = false
                if let property {
                    matched = true
                    if !apply(property, value, depth) {
                        valid = false
                        if decided { failed = true; return false }
                    }
                }
                let name = needsName ? Instance.string(of: member) : ""
                for entry in node.patternProperties where entry.pattern.matches(name) {
                    matched = true
                    if !apply(entry.node, value, depth) {
                        valid = false
                        if decided { failed = true; return false }
                    }
                }
                if !matched, let additional = node.additionalProperties {
                    matched = true
                    if program.nodes[additional].boolean == false || !apply(additional, value, depth) {
                        valid = false
                        if decided { failed = true; return false }
                    }
                }
                if matched && track { seen.insert(.key(name)) }
                // A failing name is reported by the evaluator, so it is no trial here.
                if let names = node.propertyNames, !apply(names, JSONValue.string(name), depth) {
                    valid = false
                    if decided { failed = true; return false }
                }
                return true
            }
            if failed { return false }
            if requiredInWalk {
                let met = namesDecide ? requiredSeen == node.requiredMask : node.required.allSatisfy(instance.hasMember)
                if !met {
                    valid = false
                    if decided { return false }
                }
            }
        }
        for dependent in node.dependentSchemas where instance.hasMember(dependent.name) {
            if !inPlace(dependent.node, instance, depth, &seen) {
                valid = false
                if decided { return false }
            }
        }
        return valid
    }

    private mutating func checkArray<Instance: SchemaInstance>(
        _ node: SchemaNode, _ instance: Instance, _ depth: Int, _ seen: inout Set<JSONSchema.PathComponent>
    ) -> Bool {
        let elements = instance.instanceElements
        let elementCount = instance.instanceCount
        var valid = true
        var decided: Bool { stopped || trials == 0 }
        let track = program.tracksEvaluation
        if let minimum = node.minItems, elementCount < minimum {
            valid = false
            if decided { return false }
        }
        if let maximum = node.maxItems, elementCount > maximum {
            valid = false
            if decided { return false }
        }
        if node.uniqueItems {
            var distinct: Set<JSONValue> = []
            for element in elements where !distinct.insert(element.jsonValue).inserted {
                valid = false
                if decided { return false }
            }
        }
        if !node.prefixItems.isEmpty || node.items != nil {
            for (i, element) in elements.enumerated() {
                if i < node.prefixItems.count {
                    if !apply(node.prefixItems[i], element, depth) {
                        valid = false
                        if decided { return false }
                    }
                    if track { seen.insert(.index(i)) }
                } else if let items = node.items {
                    if track { seen.insert(.index(i)) }
                    if program.nodes[items].boolean == false || !apply(items, element, depth) {
                        valid = false
                        if decided { return false }
                    }
                } else {
                    break
                }
            }
        }
        if let contains = node.contains {
            var count = 0
            trials += 1
            for (i, element) in elements.enumerated() where apply(contains, element, depth) {
                count += 1
                if track { seen.insert(.index(i)) }
            }
            trials -= 1
            if count < (node.minContains ?? 1) {
                valid = false
                if decided { return false }
            }
            if let maximum = node.maxContains, count > maximum {
                valid = false
                if decided { return false }
            }
        }
        return valid
    }

    private func checkString<Instance: SchemaInstance>(_ node: SchemaNode, _ instance: Instance) -> Bool {
        // Decoded only for the keywords that read it.
        guard node.minLength != nil || node.maxLength != nil || node.pattern != nil,
            let text = instance.instanceString
        else { return true }
        if node.minLength != nil || node.maxLength != nil {
            let length = text.unicodeScalars.count
            if let minimum = node.minLength, length < minimum { return false }
            if let maximum = node.maxLength, length > maximum { return false }
        }
        if let pattern = node.pattern, pattern.search(text) != true { return false }
        return true
    }

    private func checkNumber(_ node: SchemaNode, _ number: NumberValue) -> Bool {
        if let bound = node.minimum {
            if node.minimumExclusive {
                if !(bound < number) { return false }
            } else if number < bound {
                return false
            }
        }
        if let bound = node.maximum {
            if node.maximumExclusive {
                if !(number < bound) { return false }
            } else if bound < number {
                return false
            }
        }
        if let bound = node.exclusiveMinimum, !(bound < number) { return false }
        if let bound = node.exclusiveMaximum, !(number < bound) { return false }
        if let divisor = node.multipleOf, !isMultiple(number, of: divisor) { return false }
        return true
    }
}
