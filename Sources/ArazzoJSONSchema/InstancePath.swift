import ArazzoJSON

extension JSONSchema {
    /// One step into an instance: an object member or an array element.
    public enum PathComponent: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
        /// The member with this name.
        case key(String)
        /// The element at this zero-based index.
        case index(Int)

        /// A member name.
        public init(stringLiteral value: String) { self = .key(value) }
        /// An array index.
        public init(integerLiteral value: Int) { self = .index(value) }
    }

    /// Renders components in the path syntax `SchemaViolation.instancePath` uses (`$.a[0]['b c']`).
    public static func renderPath(_ components: [PathComponent]) -> String {
        var out = "$"
        for component in components { InstancePath.append(component, to: &out) }
        return out
    }
}

/// A location in the instance being validated, built as evaluation descends and rendered only when a
/// violation needs it.
indirect enum InstancePath: Sendable {
    case root
    case member(InstancePath, String)
    case element(InstancePath, Int)

    func appending(_ key: String) -> InstancePath { .member(self, key) }
    func appending(_ index: Int) -> InstancePath { .element(self, index) }

    var components: [JSONSchema.PathComponent] {
        var reversed: [JSONSchema.PathComponent] = []
        var current = self
        while true {
            switch current {
            case .root: return reversed.reversed()
            case .member(let parent, let key): reversed.append(.key(key)); current = parent
            case .element(let parent, let index): reversed.append(.index(index)); current = parent
            }
        }
    }

    var rendered: String { JSONSchema.renderPath(components) }

    static func append(_ component: JSONSchema.PathComponent, to out: inout String) {
        switch component {
        case .index(let i):
            out += "[\(i)]"
        case .key(let key):
            if isIdentifier(key) {
                out += "." + key
            } else {
                appendBracketedName(key, to: &out)
            }
        }
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first else { return false }
        func letter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 }
        guard letter(first) else { return false }
        return key.utf8.allSatisfy { letter($0) || ($0 >= 48 && $0 <= 57) }
    }
}
