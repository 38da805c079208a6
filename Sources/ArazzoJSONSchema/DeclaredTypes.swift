import ArazzoJSON

extension JSONSchema {
    /// The JSON types (`string`, `integer`, `number`, `boolean`, `null`, `object`, `array`) the
    /// schema declares for the value at `path`, gathered from `type` (or, where a schema has no
    /// `type`, from the values of its `enum` or `const`) of every schema that may apply there:
    /// `$ref` targets and `allOf`/`anyOf`/`oneOf`/`then`/`else` branches all count, so the answer
    /// is their union. Nil when none of them says — the value may then be anything.
    ///
    /// A caller that receives values as text (a command line, environment variables) uses it to
    /// read `123456` as the string a `type: string` input expects.
    public func declaredTypes(at path: [PathComponent]) -> Set<String>? {
        let walker = SecretWalker(program: program)
        var nodes = [0]
        for component in path {
            nodes = walker.program.children(walker.closure(nodes), component)
            if nodes.isEmpty { return nil }
        }
        var types: Set<String> = []
        var declared = false
        for index in walker.closure(nodes) {
            let node = program.nodes[index]
            if let listed = node.types {
                declared = true
                types.formUnion(listed.map(\.rawValue))
            } else if let values = node.enumValues ?? node.constValue.map({ [$0] }) {
                declared = true
                types.formUnion(values.map(\.typeName))
            }
        }
        return declared ? types : nil
    }
}
