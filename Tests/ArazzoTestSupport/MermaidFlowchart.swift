/// A strict reader of the Mermaid flowchart subset `WorkflowGraph.mermaid` writes (no Mermaid CLI
/// is installable here; decision GR2): the header, subgraphs with `direction`, node declarations
/// in five shapes with quoted labels, edges (`-->`, `-.->`, `==>`) with quoted labels, `classDef`,
/// `class` and `linkStyle`. It refuses what Mermaid would misread: a raw quote or `|` in a label,
/// a `#` that starts no entity code, raw markup other than `<br/>`, a node used before it is
/// declared or declared twice, a reserved word as an id, an unclosed or extra `end`, a class or
/// link index that names nothing.
public struct MermaidFlowchart: Sendable {
    /// Why the text is not a flowchart of the subset, with its 1-based line.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// The 1-based line at fault.
        public let line: Int
        /// What is wrong there.
        public let message: String
        /// `line N: message`.
        public var description: String { "line \(line): \(message)" }
    }

    /// Node id → label as decoded (entity codes resolved, `<br/>` as a line break).
    public private(set) var nodes: [String: String] = [:]
    /// Edges in order: tail, head, decoded label.
    public private(set) var edges: [(from: String, to: String, label: String?)] = []
    /// Subgraph ids → decoded titles.
    public private(set) var subgraphs: [String: String] = [:]
    /// Class name → node ids given it.
    public private(set) var classes: [String: [String]] = [:]

    private static let reserved: Set<String> = [
        "end", "subgraph", "class", "classdef", "linkstyle", "style", "click", "direction", "graph", "flowchart", "default",
    ]
    private static let directions: Set<String> = ["TB", "TD", "BT", "LR", "RL"]

    /// Reads `text`, or throws the first thing Mermaid would misread.
    public init(parsing text: String) throws(Failure) {
        var sawHeader = false
        var depth = 0
        var classNames: Set<String> = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            func fail(_ message: String) -> Failure { Failure(line: number, message: message) }
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("%%") { continue }
            if !sawHeader {
                let parts = line.split(separator: " ")
                guard parts.count == 2, parts[0] == "flowchart", Self.directions.contains(String(parts[1])) else {
                    throw fail("expected `flowchart TB` (or TD, BT, LR, RL) first")
                }
                sawHeader = true
                continue
            }
            var scanner = Scanner(line)
            let word = scanner.identifier()
            switch word {
            case "subgraph":
                scanner.spaces()
                guard let id = scanner.identifier(), Self.isID(id) else { throw fail("subgraph needs an id") }
                var title = id
                if !scanner.atEnd {
                    guard scanner.take("["), let label = try scanner.quoted(line: number), scanner.take("]") else {
                        throw fail("subgraph title must be [\"…\"]")
                    }
                    title = label
                }
                guard scanner.atEnd else { throw fail("text after the subgraph title") }
                guard subgraphs[id] == nil, nodes[id] == nil else { throw fail("id \(id) used twice") }
                subgraphs[id] = title
                depth += 1
            case "end":
                guard scanner.atEnd else { throw fail("text after end") }
                guard depth > 0 else { throw fail("end without a subgraph") }
                depth -= 1
            case "direction":
                scanner.spaces()
                guard depth > 0, let d = scanner.identifier(), Self.directions.contains(d), scanner.atEnd else {
                    throw fail("direction belongs in a subgraph and takes TB, TD, BT, LR or RL")
                }
            case "classDef":
                scanner.spaces()
                guard let name = scanner.identifier() else { throw fail("classDef needs a name") }
                scanner.spaces()
                guard Self.isStyle(scanner.rest) else { throw fail("classDef \(name): styles are key:value,…") }
                classNames.insert(name)
            case "class":
                let parts = scanner.rest.trimmingCharacters(in: .whitespaces).split(separator: " ")
                guard parts.count == 2 else { throw fail("class takes ID,ID… NAME") }
                guard classNames.contains(String(parts[1])) else { throw fail("class \(parts[1]) is not defined") }
                for id in parts[0].split(separator: ",", omittingEmptySubsequences: false) {
                    guard nodes[String(id)] != nil else { throw fail("class names an undeclared node '\(id)'") }
                    classes[String(parts[1]), default: []].append(String(id))
                }
            case "linkStyle":
                let parts = scanner.rest.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
                guard parts.count == 2, Self.isStyle(String(parts[1])) else { throw fail("linkStyle takes N,N… STYLE") }
                for index in parts[0].split(separator: ",", omittingEmptySubsequences: false) {
                    guard let n = Int(index), n >= 0, n < edges.count else { throw fail("linkStyle index \(index) names no edge") }
                }
            case let id?:
                guard Self.isID(id) else { throw fail("'\(id)' cannot be a node id") }
                if scanner.atEnd { throw fail("a bare id declares nothing") }
                if scanner.peek == " " {
                    scanner.spaces()
                    let arrow = scanner.arrow()
                    guard let arrow else { throw fail("expected an arrow (-->, -.->, ==>) after \(id)") }
                    _ = arrow
                    var label: String?
                    if scanner.take("|") {
                        guard let text = try scanner.quoted(line: number), scanner.take("|") else { throw fail("edge label must be |\"…\"|") }
                        label = text
                    }
                    scanner.spaces()
                    guard let head = scanner.identifier(), scanner.atEnd else { throw fail("expected one node id after the arrow") }
                    guard nodes[id] != nil else { throw fail("edge from undeclared node '\(id)'") }
                    guard nodes[head] != nil else { throw fail("edge to undeclared node '\(head)'") }
                    edges.append((id, head, label))
                } else {
                    let shapes: [(String, String)] = [("([", "])"), ("[[", "]]"), ("((", "))"), ("[", "]"), ("(", ")"), ("{", "}")]
                    guard let shape = shapes.first(where: { scanner.rest.hasPrefix($0.0) }) else { throw fail("unknown node shape after \(id)") }
                    _ = scanner.take(shape.0)
                    guard let label = try scanner.quoted(line: number), scanner.take(shape.1), scanner.atEnd else {
                        throw fail("node \(id): label must be \(shape.0)\"…\"\(shape.1)")
                    }
                    guard nodes[id] == nil, subgraphs[id] == nil else { throw fail("node \(id) declared twice") }
                    nodes[id] = label
                }
            case nil:
                throw fail("unexpected text")
            }
        }
        guard sawHeader else { throw Failure(line: 1, message: "empty diagram") }
        guard depth == 0 else { throw Failure(line: text.split(separator: "\n").count, message: "a subgraph is not closed") }
    }

    private static func isID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return !reserved.contains(id.lowercased()) && id.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    private static func isStyle(_ text: String) -> Bool {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        return !items.isEmpty && items.allSatisfy { item in
            let pair = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            return pair.count == 2 && !pair[1].isEmpty && !pair[0].isEmpty
                && pair[0].unicodeScalars.allSatisfy { ("a"..."z").contains($0) || $0 == "-" }
        }
    }

    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0
        init(_ text: String) { scalars = Array(text.unicodeScalars) }
        var atEnd: Bool { index >= scalars.count }
        var peek: Unicode.Scalar? { atEnd ? nil : scalars[index] }
        var rest: String { String(String.UnicodeScalarView(scalars[index...])) }
        mutating func spaces() { while peek == " " { index += 1 } }
        mutating func take(_ text: String) -> Bool {
            let wanted = Array(text.unicodeScalars)
            guard index + wanted.count <= scalars.count, Array(scalars[index..<index + wanted.count]) == wanted else { return false }
            index += wanted.count
            return true
        }
        mutating func identifier() -> String? {
            let start = index
            while let c = peek, c.isASCII, c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" { index += 1 }
            return index > start ? String(String.UnicodeScalarView(scalars[start..<index])) : nil
        }
        mutating func arrow() -> String? {
            for arrow in ["-.->", "-->", "==>"] where take(arrow) { return arrow }
            return nil
        }
        /// A quoted label, decoded; throws on what Mermaid would misread inside it.
        mutating func quoted(line: Int) throws(Failure) -> String? {
            guard take("\"") else { return nil }
            var out = ""
            while let c = peek, c != "\"" {
                if take("<br/>") { out += "\n"; continue }
                index += 1
                switch c {
                case "|", "<", ">", "`", "&":
                    throw Failure(line: line, message: "raw '\(c)' in a label (write it as an entity code)")
                case "#":
                    var digits = ""
                    while let d = peek, ("0"..."9").contains(d) { digits.unicodeScalars.append(d); index += 1 }
                    guard !digits.isEmpty, take(";"), let value = UInt32(digits), let scalar = Unicode.Scalar(value) else {
                        throw Failure(line: line, message: "'#' in a label starts no entity code (#NN;)")
                    }
                    out.unicodeScalars.append(scalar)
                default:
                    if c.value < 0x20 { throw Failure(line: line, message: "a control character in a label") }
                    out.unicodeScalars.append(c)
                }
            }
            guard take("\"") else { throw Failure(line: line, message: "a label is not closed") }
            return out
        }
    }
}

import Foundation
