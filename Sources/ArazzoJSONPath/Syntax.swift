import ArazzoJSON
import Foundation

/// A parsed query: `$` or `@` followed by segments.
struct QueryAST: Sendable {
    /// `true` for `$` (the document root), `false` for `@` (the current node).
    let isRoot: Bool
    let segments: [SegmentAST]
    /// For a singular query (RFC 9535 §2.3.5.1: only child segments with one name or index
    /// selector each), its steps, so that filters can look the value up without node lists.
    let singularSteps: [SingularStep]?

    var isSingular: Bool { singularSteps != nil }

    init(isRoot: Bool, segments: [SegmentAST]) {
        self.isRoot = isRoot
        self.segments = segments
        var steps: [SingularStep] = []
        for segment in segments {
            guard !segment.isDescendant, segment.selectors.count == 1 else {
                singularSteps = nil
                return
            }
            switch segment.selectors[0] {
            case .name(let name): steps.append(.name(name))
            case .index(let index): steps.append(.index(index))
            default:
                singularSteps = nil
                return
            }
        }
        singularSteps = steps
    }
}

enum SingularStep: Sendable {
    case name(String)
    case index(Int)
}

struct SegmentAST: Sendable {
    var isDescendant: Bool
    var selectors: [SelectorAST]
}

enum SelectorAST: Sendable {
    case name(String)
    case wildcard
    case index(Int)
    case slice(start: Int?, end: Int?, step: Int?)
    case filter(LogicalExpr)
}

/// A filter's logical expression, already type-checked.
indirect enum LogicalExpr: Sendable {
    case or([LogicalExpr])
    case and([LogicalExpr])
    case not(LogicalExpr)
    case comparison(ComparableAST, ComparisonOp, ComparableAST)
    /// A query used as a test: true when it selects at least one node.
    case exists(QueryAST)
    /// A function whose result is LogicalType (or NodesType, tested for non-emptiness).
    case function(FunctionCall)
}

enum ComparableAST: Sendable {
    case literal(JSONValue)
    /// A singular query, giving its node's value or Nothing.
    case query(QueryAST)
    /// A function whose result is ValueType.
    case function(FunctionCall)
}

enum ComparisonOp: Sendable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
}

/// The declared types of RFC 9535 §2.4.1.
enum FunctionType: Sendable {
    case value, logical, nodes

    var article: String {
        switch self {
        case .value: return "a value (ValueType)"
        case .logical: return "a logical result (LogicalType)"
        case .nodes: return "a node list (NodesType)"
        }
    }
}

/// The function extensions of RFC 9535 §2.4.4–2.4.8.
enum FunctionKind: String, Sendable, CaseIterable {
    case length, count, match, search, value

    var parameters: [FunctionType] {
        switch self {
        case .length: return [.value]
        case .count: return [.nodes]
        case .match, .search: return [.value, .value]
        case .value: return [.nodes]
        }
    }

    var result: FunctionType {
        switch self {
        case .length, .count, .value: return .value
        case .match, .search: return .logical
        }
    }
}

/// A regular expression compiled at parse time because its pattern was a string literal.
enum PrecompiledRegex: Sendable {
    case none
    case compiled(NSRegularExpression)
    case invalid
}

struct FunctionCall: Sendable {
    var kind: FunctionKind
    var arguments: [FunctionArgument]
    var regex: PrecompiledRegex
}

/// A function argument, converted to its parameter's declared type.
enum FunctionArgument: Sendable {
    case literal(JSONValue)
    /// A singular query passed where a value is expected.
    case singularQuery(QueryAST)
    /// A query passed where a node list is expected.
    case nodes(QueryAST)
    case logical(LogicalExpr)
    case function(FunctionCall)
}
