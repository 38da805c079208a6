/// An RFC 6901 JSON Pointer: a sequence of reference tokens such as `/items/0/name`.
import OrderedCollections
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The unescaped reference tokens, outermost first.
    public let tokens: [String]

    /// Why a pointer could not be parsed or resolved.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// What went wrong, as one line naming the token at fault.
        public let message: String
        /// The zero-based index of the failing token, where one is to blame.
        public let tokenIndex: Int?
        /// The character offset in the pointer text where parsing failed, for syntax errors.
        public let offset: Int?

        /// The message.
        public var description: String { message }
    }

    /// Creates a pointer from already unescaped tokens.
    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses pointer text (`""` is the whole document; otherwise it must start with `/`).
    /// `~0` stands for `~` and `~1` for `/`; any other `~` sequence is an error.
    public init(parsing text: String) throws(Failure) {
        if text.isEmpty {
            tokens = []
            return
        }
        guard text.first == "/" else {
            throw Failure(message: "a JSON pointer must be empty or start with '/'", tokenIndex: nil, offset: 0)
        }
        var result: [String] = []
        var current = ""
        var offset = 1
        var iterator = text.dropFirst().makeIterator()
        while let ch = iterator.next() {
            if ch == "/" {
                result.append(current)
                current = ""
            } else if ch == "~" {
                let next = iterator.next()
                switch next {
                case "0": current.append("~")
                case "1": current.append("/")
                default:
                    throw Failure(
                        message: "invalid escape '~\(next.map(String.init) ?? "")' in token \(result.count); write ~0 for '~' and ~1 for '/'",
                        tokenIndex: result.count, offset: offset)
                }
                offset += 1
            } else {
                current.append(ch)
            }
            offset += 1
        }
        result.append(current)
        tokens = result
    }

    /// The pointer text, with `~` and `/` escaped.
    public var description: String {
        tokens.map { "/" + $0.replacingTildeAndSlash() }.joined()
    }

    /// Resolves the pointer against `value`.
    ///
    /// Array tokens must be decimal indices without leading zeros; `-` (past the end) never
    /// resolves to a value. The error names the first token that failed and why.
    public func resolve(in value: JSONValue) throws(Failure) -> JSONValue {
        var current = value
        for (index, token) in tokens.enumerated() {
            switch current {
            case .object(let members):
                guard let next = members[token] else {
                    throw Failure(message: "no member '\(token)' at \(prefix(index))", tokenIndex: index, offset: nil)
                }
                current = next
            case .array(let elements):
                if token == "-" {
                    throw Failure(message: "'-' at \(prefix(index)) names the element after the last one, which does not exist", tokenIndex: index, offset: nil)
                }
                guard let i = JSONPointer.arrayIndex(token) else {
                    throw Failure(message: "'\(token)' at \(prefix(index)) is not an array index", tokenIndex: index, offset: nil)
                }
                guard i < elements.count else {
                    throw Failure(message: "index \(i) at \(prefix(index)) is out of range (the array has \(elements.count) element\(elements.count == 1 ? "" : "s"))", tokenIndex: index, offset: nil)
                }
                current = elements[i]
            default:
                throw Failure(message: "cannot take '\(token)' of a \(current.typeName) at \(prefix(index))", tokenIndex: index, offset: nil)
            }
        }
        return current
    }

    /// Resolves the pointer on a tape without building a tree: the same node, and the same
    /// failures, as `resolve(in:)` on the tree the tape materialises (the last of repeated names,
    /// names compared as Swift strings; decision TP2).
    public func resolve(in node: JSONTape.Node) throws(Failure) -> JSONTape.Node {
        var current = node
        for (index, token) in tokens.enumerated() {
            switch current.kind {
            case .object:
                guard let next = current.member(named: token) else {
                    throw Failure(message: "no member '\(token)' at \(prefix(index))", tokenIndex: index, offset: nil)
                }
                current = next
            case .array:
                let count = current.count
                if token == "-" {
                    throw Failure(message: "'-' at \(prefix(index)) names the element after the last one, which does not exist", tokenIndex: index, offset: nil)
                }
                guard let i = JSONPointer.arrayIndex(token) else {
                    throw Failure(message: "'\(token)' at \(prefix(index)) is not an array index", tokenIndex: index, offset: nil)
                }
                guard i < count, let next = current.element(at: i) else {
                    throw Failure(message: "index \(i) at \(prefix(index)) is out of range (the array has \(count) element\(count == 1 ? "" : "s"))", tokenIndex: index, offset: nil)
                }
                current = next
            default:
                // A scalar: materialising it is cheap, and gives the tree's type name.
                throw Failure(message: "cannot take '\(token)' of a \(current.value.typeName) at \(prefix(index))", tokenIndex: index, offset: nil)
            }
        }
        return current
    }

    /// The pointer made of the first `count` tokens, for messages (`/` for the root).
    private func prefix(_ count: Int) -> String {
        count == 0 ? "the root" : "'" + JSONPointer(tokens: Array(tokens.prefix(count))).description + "'"
    }

    /// A decimal array index per RFC 6901: `0` or digits without a leading zero.
    static func arrayIndex(_ token: String) -> Int? {
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        // All ASCII digits here, so bytes count as characters do (without grapheme breaking).
        if token.utf8.count > 1 && token.utf8.first == 48 { return nil }
        return Int(token)
    }
}

extension String {
    fileprivate func replacingTildeAndSlash() -> String {
        var out = ""
        for ch in self {
            switch ch {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(ch)
            }
        }
        return out
    }
}
