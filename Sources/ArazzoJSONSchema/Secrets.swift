public import ArazzoJSON
import OrderedCollections

extension JSONSchema {
    /// Whether any subschema is marked `format: password`.
    public var hasSecrets: Bool { program.hasSecrets }

    /// The locations the schema declares secret, without an instance: `$.password`, `$.api.key`,
    /// `$.pins[*]` (any element), `$.*` (any member not named by `properties`). A recursive schema
    /// is followed until it revisits schemas already on the path, so the list is finite (at most
    /// 1,000 entries, 32 levels).
    public var secretPaths: [String] {
        guard hasSecrets else { return [] }
        var result: [String] = []
        SecretWalker(program: program).declared([0], "$", visiting: [], depth: 0, into: &result)
        var seen: Set<String> = []
        return result.filter { seen.insert($0).inserted }
    }

    /// Whether the value at `path` (member names and array indices from the instance root) is a
    /// secret: some schema that may apply there, or at an enclosing location, has `format: password`.
    ///
    /// The answer is conservative for redaction: every `anyOf`/`oneOf`/`then`/`else` branch counts, as
    /// do `$ref` targets and `allOf` members.
    public func isSecret(_ path: [PathComponent]) -> Bool {
        let walker = SecretWalker(program: program)
        var nodes = [0]
        for component in path {
            let closure = walker.closure(nodes)
            if walker.isPassword(closure) { return true }
            nodes = walker.program.children(closure, component)
            if nodes.isEmpty { return false }
        }
        return walker.isPassword(walker.closure(nodes))
    }

    /// The locations in `instance` holding secret values (see `isSecret(_:)`), in the path syntax of
    /// `SchemaViolation.instancePath`, outermost first; a secret object's members are not listed
    /// separately.
    public func secretPaths(in instance: JSONValue) -> [String] {
        var found: [(InstancePath, JSONValue)] = []
        if hasSecrets { SecretWalker(program: program).collect([0], instance, .root, depth: 0, options: options, into: &found) }
        return found.map { $0.0.rendered }
    }

    /// The secret values in `instance`, e.g. to scrub them from headers derived from them.
    public func secretValues(in instance: JSONValue) -> [JSONValue] {
        var found: [(InstancePath, JSONValue)] = []
        if hasSecrets { SecretWalker(program: program).collect([0], instance, .root, depth: 0, options: options, into: &found) }
        return found.map { $0.1 }
    }

    /// `instance` with every secret value replaced by `replacement`, for traces and logs.
    public func redactingSecrets(in instance: JSONValue, replacement: JSONValue = "<redacted>") -> JSONValue {
        guard hasSecrets else { return instance }
        return SecretWalker(program: program).redact([0], instance, depth: 0, options: options, replacement: replacement)
    }
}

/// Finds `format: password` locations by walking schema and instance together.
struct SecretWalker {
    let program: Program

    /// `start` plus every node reachable through `$ref`, `allOf`, `anyOf`, `oneOf`, `then`, `else`.
    func closure(_ start: [Int]) -> [Int] {
        var result: [Int] = []
        var seen: Set<Int> = []
        var work = start
        while let index = work.popLast() {
            guard seen.insert(index).inserted else { continue }
            result.append(index)
            let node = program.nodes[index]
            if let ref = node.ref { work.append(ref) }
            if let ref = node.dynamicRef { work.append(ref) }
            work += node.allOf
            work += node.anyOf
            work += node.oneOf
            if let then = node.thenNode { work.append(then) }
            if let otherwise = node.elseNode { work.append(otherwise) }
        }
        return result
    }

    func isPassword(_ nodes: [Int]) -> Bool {
        nodes.contains { program.nodes[$0].format == "password" }
    }

    func declared(_ start: [Int], _ path: String, visiting: Set<Int>, depth: Int, into result: inout [String]) {
        let nodes = closure(start)
        if isPassword(nodes) {
            result.append(path)
            return
        }
        let here = Set(nodes)
        guard depth < 32, result.count < 1_000, !here.isSubset(of: visiting) else { return }
        let inside = visiting.union(here)
        var names: [String] = []
        var hasOther = false
        var maxPrefix = 0
        var hasItems = false
        for index in nodes {
            let node = program.nodes[index]
            for property in node.properties where !names.contains(property.name) { names.append(property.name) }
            if !node.patternProperties.isEmpty || node.additionalProperties != nil { hasOther = true }
            maxPrefix = max(maxPrefix, node.prefixItems.count)
            if node.items != nil { hasItems = true }
        }
        for name in names {
            var child = path
            InstancePath.append(.key(name), to: &child)
            declared(program.children(nodes, .key(name)), child, visiting: inside, depth: depth + 1, into: &result)
        }
        if hasOther {
            var others: [Int] = []
            for index in nodes {
                let node = program.nodes[index]
                others += node.patternProperties.map(\.node)
                if let additional = node.additionalProperties { others.append(additional) }
            }
            declared(others, path + ".*", visiting: inside, depth: depth + 1, into: &result)
        }
        for i in 0..<maxPrefix {
            declared(program.children(nodes, .index(i)), path + "[\(i)]", visiting: inside, depth: depth + 1, into: &result)
        }
        if hasItems {
            let items = nodes.compactMap { program.nodes[$0].items }
            declared(items, path + "[*]", visiting: inside, depth: depth + 1, into: &result)
        }
    }

    func collect(_ start: [Int], _ instance: JSONValue, _ path: InstancePath, depth: Int, options: JSONSchema.Options, into found: inout [(InstancePath, JSONValue)]) {
        guard depth <= options.maxEvaluationDepth, !start.isEmpty else { return }
        let nodes = closure(start)
        if isPassword(nodes) {
            found.append((path, instance))
            return
        }
        switch instance {
        case .object(let members):
            for (name, value) in members {
                collect(program.children(nodes, .key(name)), value, path.appending(name), depth: depth + 1, options: options, into: &found)
            }
        case .array(let elements):
            for (i, element) in elements.enumerated() {
                collect(program.children(nodes, .index(i)), element, path.appending(i), depth: depth + 1, options: options, into: &found)
            }
        default:
            break
        }
    }

    func redact(_ start: [Int], _ instance: JSONValue, depth: Int, options: JSONSchema.Options, replacement: JSONValue) -> JSONValue {
        guard !start.isEmpty else { return instance }
        let nodes = closure(start)
        if isPassword(nodes) { return replacement }
        // Past the depth limit the walk cannot tell, so it errs on the side of hiding.
        guard depth <= options.maxEvaluationDepth else { return replacement }
        switch instance {
        case .object(var members):
            for (name, value) in members {
                members[name] = redact(program.children(nodes, .key(name)), value, depth: depth + 1, options: options, replacement: replacement)
            }
            return .object(members)
        case .array(var elements):
            for i in elements.indices {
                elements[i] = redact(program.children(nodes, .index(i)), elements[i], depth: depth + 1, options: options, replacement: replacement)
            }
            return .array(elements)
        default:
            return instance
        }
    }
}
