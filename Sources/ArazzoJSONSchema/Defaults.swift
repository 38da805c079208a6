public import ArazzoJSON
import OrderedCollections

extension JSONSchema {
    /// `instance` with the `default` of every absent property filled in, recursively: inside present
    /// objects and array elements, and inside the defaults it inserts. Present values are never
    /// replaced.
    ///
    /// Defaults are taken from the subschemas that certainly apply at a location: the schema itself,
    /// its `$ref` target, every `allOf` member, `then` or `else` according to `if`, and the one `oneOf`
    /// alternative that validates (none when zero or several do). `anyOf` alternatives are not used,
    /// since more than one may apply. A property's default may also sit behind its `$ref`.
    /// Validation is separate: apply defaults first, then validate the result.
    public func applyingDefaults(to instance: JSONValue) -> JSONValue {
        guard program.hasDefaults else { return instance }
        return DefaultsApplier(program: program, options: options).apply([0], instance, depth: 0)
    }
}

/// Walks schema and instance together, inserting defaults.
struct DefaultsApplier {
    let program: Program
    let options: JSONSchema.Options

    func apply(_ start: [Int], _ instance: JSONValue, depth: Int) -> JSONValue {
        guard depth <= options.maxEvaluationDepth else { return instance }
        switch instance {
        case .object(var members):
            let nodes = applicable(start, instance)
            var filled: Set<String> = []
            for index in nodes {
                for property in program.nodes[index].properties where members[property.name] == nil {
                    if let value = defaultValue(of: property.node) {
                        members[property.name] = apply([property.node], value, depth: depth + 1)
                        filled.insert(property.name)
                    }
                }
            }
            for (name, value) in members where !filled.contains(name) {
                let children = program.children(nodes, .key(name))
                if !children.isEmpty { members[name] = apply(children, value, depth: depth + 1) }
            }
            return .object(members)
        case .array(var elements):
            let nodes = applicable(start, instance)
            for i in elements.indices {
                let children = program.children(nodes, .index(i))
                if !children.isEmpty { elements[i] = apply(children, elements[i], depth: depth + 1) }
            }
            return .array(elements)
        default:
            return instance
        }
    }

    /// The nodes that certainly apply to `instance`, starting from `start`, each once.
    private func applicable(_ start: [Int], _ instance: JSONValue) -> [Int] {
        var result: [Int] = []
        var seen: Set<Int> = []
        var work = Array(start.reversed())
        while let index = work.popLast() {
            guard seen.insert(index).inserted else { continue }
            result.append(index)
            let node = program.nodes[index]
            var next: [Int] = []
            if let ref = node.ref { next.append(ref) }
            if let ref = node.dynamicRef { next.append(ref) }
            next += node.allOf
            if let condition = node.ifNode {
                if let branch = isValid(condition, instance) ? node.thenNode : node.elseNode { next.append(branch) }
            }
            if !node.oneOf.isEmpty {
                let valid = node.oneOf.filter { isValid($0, instance) }
                if valid.count == 1 { next += valid }
            }
            work += next.reversed()
        }
        return result
    }

    private func isValid(_ index: Int, _ instance: JSONValue) -> Bool {
        // A limit hit counts as invalid, as the evaluator's stop violation did (decision PA1).
        var checker = Checker(program: program, options: options)
        return checker.verdict(index, instance) == .valid
    }

    /// The node's `default`, or the one its `$ref` chain leads to.
    private func defaultValue(of index: Int) -> JSONValue? {
        var current: Int? = index
        var seen: Set<Int> = []
        while let i = current, seen.insert(i).inserted {
            let node = program.nodes[i]
            if let value = node.defaultValue { return value }
            current = node.ref ?? node.dynamicRef
        }
        return nil
    }
}
