public import ArazzoDiagnostics
public import ArazzoJSON
import OrderedCollections

/// One node of a parsed YAML (or JSON) document, with where it was written.
///
/// The tree is immutable and `Sendable`. Scalars keep their raw text and style alongside the value
/// the YAML 1.2 core schema gives them, so `version: 1.0` can still be read as the text `1.0`.
public struct YAMLNode: Sendable, Hashable {
    /// What the node is.
    public enum Kind: Sendable, Hashable {
        /// A scalar.
        case scalar(Scalar)
        /// A sequence of nodes.
        case sequence([YAMLNode])
        /// A mapping of scalar keys to nodes, in document order (keys are unique).
        case mapping([Pair])
    }

    /// How a scalar was written.
    public enum ScalarStyle: String, Sendable, Hashable, Codable {
        /// Unquoted.
        case plain
        /// `'single quoted'`.
        case singleQuoted
        /// `"double quoted"`.
        case doubleQuoted
        /// `|` block.
        case literal
        /// `>` block.
        case folded
    }

    /// A scalar: its text, how it was written, and its value under the YAML 1.2 core schema.
    public struct Scalar: Sendable, Hashable {
        /// The scalar's content after YAML unescaping/folding (not including quotes).
        public let text: String
        /// How it was written.
        public let style: ScalarStyle
        /// The typed value: quoted and block scalars are strings; plain ones follow the core schema.
        public let value: JSONValue

        /// Creates a scalar.
        public init(text: String, style: ScalarStyle, value: JSONValue) {
            self.text = text
            self.style = style
            self.value = value
        }
    }

    /// One mapping entry.
    public struct Pair: Sendable, Hashable {
        /// The key's text.
        public let key: String
        /// Where the key was written.
        public let keyLocation: SourceLocation
        /// Just past the key's last character (its closing quote for a quoted key).
        public let keyEnd: SourcePosition
        /// The value node.
        public let value: YAMLNode

        /// Creates a pair; without `keyEnd` the key is taken to be written plain.
        public init(key: String, keyLocation: SourceLocation, keyEnd: SourcePosition? = nil, value: YAMLNode) {
            self.key = key
            self.keyLocation = keyLocation
            self.keyEnd = keyEnd ?? SourcePosition(line: keyLocation.line, column: keyLocation.column + key.unicodeScalars.count)
            self.value = value
        }

        /// The key as written (quotes included).
        public var keyRange: SourceRange { SourceRange(from: keyLocation, to: keyEnd) }

        /// From the key's first character to the end of the value: the whole entry.
        public var range: SourceRange { SourceRange(from: keyLocation, to: value.end) }
    }

    /// The node's content.
    public let kind: Kind
    /// Where the node starts (for a scalar, its first character, or its opening quote).
    public let location: SourceLocation
    /// Just past the node's last character: after a quoted scalar's closing quote, after a flow
    /// collection's closing bracket; a block scalar or block collection ends where the next token
    /// starts (often the first column of a later line).
    public let end: SourcePosition
    /// The explicit tag, if one was written (`!!str`, `!!int`, ...), in its long form.
    public let tag: String?

    /// Creates a node; without `end` the node is taken to cover nothing past its start.
    public init(kind: Kind, location: SourceLocation, end: SourcePosition? = nil, tag: String? = nil) {
        self.kind = kind
        self.location = location
        self.end = end ?? location.position
        self.tag = tag
    }

    /// The text the node was written with, from its first character to ``end``.
    public var range: SourceRange { SourceRange(from: location, to: end) }
}

extension YAMLNode {
    /// The scalar, when this is one.
    public var scalar: Scalar? {
        if case .scalar(let s) = kind { return s }
        return nil
    }

    /// The elements, when this is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let s) = kind { return s }
        return nil
    }

    /// The entries, when this is a mapping.
    public var mapping: [Pair]? {
        if case .mapping(let m) = kind { return m }
        return nil
    }

    /// The value for `key`, when this is a mapping that has it.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = kind else { return nil }
        for pair in pairs where pair.key == key { return pair.value }
        return nil
    }

    /// The entry for `key` (with the key's own location), when this is a mapping that has it.
    public func pair(_ key: String) -> Pair? {
        guard case .mapping(let pairs) = kind else { return nil }
        return pairs.first { $0.key == key }
    }

    /// A short name of the node's kind for messages: `mapping`, `sequence`, or the scalar's
    /// JSON type (`string`, `integer`, `number`, `boolean`, `null`).
    public var kindName: String {
        switch kind {
        case .mapping: return "mapping"
        case .sequence: return "sequence"
        case .scalar(let s): return s.value.typeName
        }
    }

    /// The node as a plain JSON value (mappings become objects in document order).
    public var jsonValue: JSONValue {
        switch kind {
        case .scalar(let s): return s.value
        case .sequence(let items): return .array(items.map(\.jsonValue))
        case .mapping(let pairs):
            var object = JSONObject(minimumCapacity: pairs.count)
            for pair in pairs { object[pair.key] = pair.value.jsonValue }
            return .object(object)
        }
    }
}

extension YAMLNode {
    /// Calls `visit` on this node and every node below it, in document order (of a mapping, its
    /// values), stopping after `limit` nodes: a walk over an untrusted tree names its bound.
    package func forEachNode(limit: Int = .max, _ visit: (YAMLNode) -> Void) {
        var stack = [self]
        var visited = 0
        while let node = stack.popLast(), visited < limit {
            visited += 1
            visit(node)
            switch node.kind {
            case .scalar: break
            case .sequence(let items): stack.append(contentsOf: items.reversed())
            case .mapping(let pairs): stack.append(contentsOf: pairs.reversed().map(\.value))
            }
        }
    }
}

extension YAMLNode {
    /// The node `pointer` leads to, or the deepest node on its way that exists (the node itself for
    /// an empty pointer): where a diagnostic about a nested value points when the value is a
    /// located tree.
    public func deepestNode(along pointer: JSONPointer) -> YAMLNode {
        walk(pointer).node
    }

    /// The node `pointer` leads to exactly, or nil when some token on the way names nothing.
    public func node(at pointer: JSONPointer) -> YAMLNode? {
        let (node, complete) = walk(pointer)
        return complete ? node : nil
    }

    /// One walk for both lookups: the deepest node reached and whether every token was found.
    private func walk(_ pointer: JSONPointer) -> (node: YAMLNode, complete: Bool) {
        var current = self
        for token in pointer.tokens {
            if let next = current[token] {
                current = next
            } else if let index = Int(token), let items = current.sequence, items.indices.contains(index) {
                current = items[index]
            } else {
                return (current, false)
            }
        }
        return (current, true)
    }
}
