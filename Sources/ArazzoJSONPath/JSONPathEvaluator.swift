import ArazzoJSON
import Foundation
import OrderedCollections

/// One step of a node's location; paths are built as a linked list so that selecting children
/// shares the parent's path instead of copying it.
final class PathLink {
    enum Component {
        case name(String)
        case index(Int)
    }

    let parent: PathLink?
    let component: Component

    init(parent: PathLink?, component: Component) {
        self.parent = parent
        self.component = component
    }
}

/// A node during evaluation; `path` is only built when the caller asked for paths.
struct EvalNode {
    var value: JSONValue
    var path: PathLink?
}

/// Evaluates a compiled query against one document (RFC 9535 §2.3–2.4).
///
/// One evaluator serves one `select`/`values` call, so it can cache regular expressions whose
/// pattern only becomes known at run time without any shared mutable state.
final class JSONPathEvaluator {
    private let root: JSONValue
    private var dynamicRegexCache: [String: NSRegularExpression?] = [:]

    init(root: JSONValue) {
        self.root = root
    }

    // MARK: - Queries

    func evaluate(_ query: QueryAST, current: JSONValue, trackPaths: Bool) -> [EvalNode] {
        var nodes = [EvalNode(value: query.isRoot ? root : current, path: nil)]
        for segment in query.segments {
            var next: [EvalNode] = []
            if segment.isDescendant {
                for node in nodes {
                    visitDescendants(of: node, trackPaths: trackPaths) { visited in
                        for selector in segment.selectors {
                            apply(selector, to: visited, trackPaths: trackPaths, into: &next)
                        }
                    }
                }
            } else {
                for node in nodes {
                    for selector in segment.selectors {
                        apply(selector, to: node, trackPaths: trackPaths, into: &next)
                    }
                }
            }
            nodes = next
            if nodes.isEmpty { break }
        }
        return nodes
    }

    /// The value of a singular query's one node, or `nil` for Nothing; no node lists are built.
    func singularValue(_ query: QueryAST, current: JSONValue) -> JSONValue? {
        guard let steps = query.singularSteps else { return nil }
        var value = query.isRoot ? root : current
        for step in steps {
            switch step {
            case .name(let name):
                guard case .object(let members) = value, let member = Self.member(members, name) else { return nil }
                value = member
            case .index(let index):
                guard case .array(let elements) = value, let i = normalizedIndex(index, count: elements.count)
                else { return nil }
                value = elements[i]
            }
        }
        return value
    }

    /// Visits `node` and then its descendants in document order (pre-order), with an explicit
    /// stack so that deeply nested documents cannot overflow the call stack.
    private func visitDescendants(of node: EvalNode, trackPaths: Bool, _ body: (EvalNode) -> Void) {
        var stack = [node]
        while let current = stack.popLast() {
            body(current)
            switch current.value {
            case .array(let elements):
                var i = elements.count - 1
                while i >= 0 {
                    stack.append(EvalNode(value: elements[i], path: child(current.path, .index(i), trackPaths)))
                    i -= 1
                }
            case .object(let members):
                var i = members.count - 1
                while i >= 0 {
                    let key = members.keys[i]
                    stack.append(
                        EvalNode(value: members.values[i], path: child(current.path, .name(key), trackPaths)))
                    i -= 1
                }
            default:
                break
            }
        }
    }

    private func child(_ parent: PathLink?, _ component: PathLink.Component, _ track: Bool) -> PathLink? {
        track ? PathLink(parent: parent, component: component) : nil
    }

    private func apply(_ selector: SelectorAST, to node: EvalNode, trackPaths: Bool, into out: inout [EvalNode]) {
        switch selector {
        case .name(let name):
            if case .object(let members) = node.value, let member = Self.member(members, name) {
                out.append(EvalNode(value: member, path: child(node.path, .name(name), trackPaths)))
            }
        case .wildcard:
            switch node.value {
            case .array(let elements):
                for (i, element) in elements.enumerated() {
                    out.append(EvalNode(value: element, path: child(node.path, .index(i), trackPaths)))
                }
            case .object(let members):
                for (key, member) in members {
                    out.append(EvalNode(value: member, path: child(node.path, .name(key), trackPaths)))
                }
            default:
                break
            }
        case .index(let index):
            if case .array(let elements) = node.value, let i = normalizedIndex(index, count: elements.count) {
                out.append(EvalNode(value: elements[i], path: child(node.path, .index(i), trackPaths)))
            }
        case .slice(let start, let end, let step):
            guard case .array(let elements) = node.value else { return }
            forEachSliceIndex(start: start, end: end, step: step, count: elements.count) { i in
                out.append(EvalNode(value: elements[i], path: child(node.path, .index(i), trackPaths)))
            }
        case .filter(let expr):
            switch node.value {
            case .array(let elements):
                // Indexing (rather than for-in) lets the element be borrowed while it is tested.
                for i in elements.indices where test(expr, current: elements[i]) {
                    out.append(EvalNode(value: elements[i], path: child(node.path, .index(i), trackPaths)))
                }
            case .object(let members):
                let values = members.values
                for i in values.indices where test(expr, current: values[i]) {
                    out.append(EvalNode(value: values[i], path: child(node.path, .name(members.keys[i]), trackPaths)))
                }
            default:
                break
            }
        }
    }

    /// The member named exactly `name`. Swift's `String` equality (and so the dictionary) treats
    /// canonically equivalent spellings as equal; RFC 9535 compares member names scalar by scalar.
    private static func member(_ members: JSONObject, _ name: String) -> JSONValue? {
        guard let i = members.index(forKey: name) else { return nil }
        guard scalarsEqual(members.keys[i], name) else { return nil }
        return members.values[i]
    }

    private func normalizedIndex(_ index: Int, count: Int) -> Int? {
        let i = index < 0 ? count + index : index
        return i >= 0 && i < count ? i : nil
    }

    /// RFC 9535 §2.3.4.2.2: visits only indices that exist, so huge bounds or steps cost nothing.
    private func forEachSliceIndex(start: Int?, end: Int?, step: Int?, count: Int, _ body: (Int) -> Void) {
        let step = step ?? 1
        if step == 0 || count == 0 { return }
        func normalize(_ i: Int) -> Int { i >= 0 ? i : count + i }
        if step > 0 {
            let lower = min(max(normalize(start ?? 0), 0), count)
            let upper = min(max(normalize(end ?? count), 0), count)
            var i = lower
            while i < upper {
                body(i)
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        } else {
            let upper = min(max(start.map(normalize) ?? count - 1, -1), count - 1)
            let lower = min(max(end.map(normalize) ?? -1, -1), count - 1)
            var i = upper
            while lower < i {
                body(i)
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        }
    }

    // MARK: - Filter expressions

    func test(_ expr: LogicalExpr, current: JSONValue) -> Bool {
        switch expr {
        case .or(let terms):
            for term in terms where test(term, current: current) { return true }
            return false
        case .and(let terms):
            for term in terms where !test(term, current: current) { return false }
            return true
        case .not(let inner):
            return !test(inner, current: current)
        case .comparison(let lhs, let op, let rhs):
            return compare(operand(lhs, current: current), op, operand(rhs, current: current))
        case .exists(let query):
            if query.isSingular {
                if case .some = singularValue(query, current: current) { return true }
                return false
            }
            return !evaluate(query, current: current, trackPaths: false).isEmpty
        case .function(let call):
            return logicalResult(call, current: current)
        }
    }

    private func operand(_ comparable: ComparableAST, current: JSONValue) -> JSONValue? {
        switch comparable {
        case .literal(let v): return v
        case .query(let q): return singularValue(q, current: current)
        case .function(let call): return valueResult(call, current: current)
        }
    }

    /// RFC 9535 §2.3.5.2.2; `nil` is Nothing.
    private func compare(_ a: JSONValue?, _ op: ComparisonOp, _ b: JSONValue?) -> Bool {
        switch op {
        case .equal: return JSONPathEvaluator.equal(a, b)
        case .notEqual: return !JSONPathEvaluator.equal(a, b)
        case .less: return JSONPathEvaluator.less(a, b)
        case .lessOrEqual: return JSONPathEvaluator.less(a, b) || JSONPathEvaluator.equal(a, b)
        case .greater: return JSONPathEvaluator.less(b, a)
        case .greaterOrEqual: return JSONPathEvaluator.less(b, a) || JSONPathEvaluator.equal(a, b)
        }
    }

    static func equal(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.none, .some), (.some, .none): return false
        case (.some(let a), .some(let b)): return equalValues(a, b)
        }
    }

    private static func equalValues(_ a: JSONValue, _ b: JSONValue) -> Bool {
        // An explicit stack keeps deep documents from exhausting the call stack.
        var pending: [(JSONValue, JSONValue)] = [(a, b)]
        while let (x, y) = pending.popLast() {
            switch (x, y) {
            case (.null, .null):
                continue
            case let (.bool(p), .bool(q)):
                if p != q { return false }
            case let (.string(p), .string(q)):
                // Scalar-by-scalar, not Swift's canonical equivalence.
                if !scalarsEqual(p, q) { return false }
            case let (.array(p), .array(q)):
                guard p.count == q.count else { return false }
                for i in p.indices { pending.append((p[i], q[i])) }
            case let (.object(p), .object(q)):
                guard p.count == q.count else { return false }
                for (key, value) in p {
                    guard let other = q[key] else { return false }
                    pending.append((value, other))
                }
            default:
                guard let m = x.numberValue, let n = y.numberValue, m == n else { return false }
            }
        }
        return true
    }

    static func less(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        guard let a, let b else { return false }
        switch (a, b) {
        case let (.string(p), .string(q)):
            // UTF-8 byte order is Unicode scalar order.
            return p.utf8.lexicographicallyPrecedes(q.utf8)
        default:
            guard let m = a.numberValue, let n = b.numberValue else { return false }
            return m < n
        }
    }

    // MARK: - Functions

    private func valueResult(_ call: FunctionCall, current: JSONValue) -> JSONValue? {
        switch call.kind {
        case .length:
            guard let v = argumentValue(call.arguments[0], current: current) else { return nil }
            switch v {
            case .string(let s): return .int(s.unicodeScalars.count)
            case .array(let a): return .int(a.count)
            case .object(let o): return .int(o.count)
            default: return nil
            }
        case .count:
            return .int(argumentNodes(call.arguments[0], current: current).count)
        case .value:
            let nodes = argumentNodes(call.arguments[0], current: current)
            // Not a ternary: `nil` there would become JSONValue.null through its nil literal.
            if nodes.count == 1 { return nodes[0].value }
            return nil
        case .match, .search:
            return nil
        }
    }

    private func logicalResult(_ call: FunctionCall, current: JSONValue) -> Bool {
        switch call.kind {
        case .match, .search:
            guard case .string(let subject)? = argumentValue(call.arguments[0], current: current) else { return false }
            let regex: NSRegularExpression
            switch call.regex {
            case .compiled(let r): regex = r
            case .invalid: return false
            case .none:
                guard case .string(let pattern)? = argumentValue(call.arguments[1], current: current),
                    let r = dynamicRegex(pattern, wholeString: call.kind == .match)
                else { return false }
                regex = r
            }
            return IRegexp.matches(regex, subject)
        case .length, .count, .value:
            if case .some = valueResult(call, current: current) { return true }
            return false
        }
    }

    private func dynamicRegex(_ pattern: String, wholeString: Bool) -> NSRegularExpression? {
        let key = (wholeString ? "m:" : "s:") + pattern
        if let cached = dynamicRegexCache[key] { return cached }
        let compiled = IRegexp.compile(pattern, wholeString: wholeString)
        dynamicRegexCache[key] = compiled
        return compiled
    }

    private func argumentValue(_ argument: FunctionArgument, current: JSONValue) -> JSONValue? {
        switch argument {
        case .literal(let v): return v
        case .singularQuery(let q): return singularValue(q, current: current)
        case .function(let call): return valueResult(call, current: current)
        case .nodes(let q):
            let nodes = evaluate(q, current: current, trackPaths: false)
            // Not a ternary: `nil` there would become JSONValue.null through its nil literal.
            if nodes.count == 1 { return nodes[0].value }
            return nil
        case .logical(let l): return .bool(test(l, current: current))
        }
    }

    private func argumentNodes(_ argument: FunctionArgument, current: JSONValue) -> [EvalNode] {
        switch argument {
        case .nodes(let q), .singularQuery(let q):
            return evaluate(q, current: current, trackPaths: false)
        default:
            return []
        }
    }
}

/// Whether two strings have the same Unicode scalars (Swift's `==` is canonical equivalence).
func scalarsEqual(_ a: String, _ b: String) -> Bool {
    let contiguous = a.utf8.withContiguousStorageIfAvailable { pa in
        b.utf8.withContiguousStorageIfAvailable { pb in
            guard pa.count == pb.count else { return false }
            guard let baseA = pa.baseAddress, let baseB = pb.baseAddress else { return true }
            return memcmp(baseA, baseB, pa.count) == 0
        }
    }
    if let result = contiguous ?? nil { return result }
    return a.utf8.elementsEqual(b.utf8)
}

/// RFC 9535 §2.7 normalized paths.
enum NormalizedPath {
    /// The member names and indices from the root to a node, as JSON Pointer reference tokens.
    static func tokens(_ link: PathLink?) -> [String] {
        var tokens: [String] = []
        var cursor = link
        while let c = cursor {
            switch c.component {
            case .index(let i): tokens.append(String(i))
            case .name(let name): tokens.append(name)
            }
            cursor = c.parent
        }
        return tokens.reversed()
    }

    static func render(_ link: PathLink?) -> String {
        var components: [PathLink.Component] = []
        var cursor = link
        while let c = cursor {
            components.append(c.component)
            cursor = c.parent
        }
        var out = "$"
        for component in components.reversed() {
            switch component {
            case .index(let i):
                out += "[\(i)]"
            case .name(let name):
                appendBracketedName(name, to: &out)
            }
        }
        return out
    }
}
