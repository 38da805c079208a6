import ArazzoDiagnostics
package import ArazzoJSON
import ArazzoJSONPath
import ArazzoXPath

/// The selector part of an Arazzo 1.1 Selector Object (`selector` + `type`), compiled once and
/// applied to the value its `context` expression produced.
///
/// It takes plain strings and values, not model objects, so whatever type the document model
/// gives the Selector Object plugs in: evaluate `context` with ``RuntimeExpression``, then call
/// ``select(from:)``.
///
/// What a selection yields (decisions S1–S4, `docs/decisions.md`):
/// - `jsonpath` (RFC 9535; the `draft-goessner-dispatch-jsonpath-00` version runs as RFC 9535,
///   A9): a singular query (names and indices only, RFC 9535 §2.3.5.1) yields its one node's
///   value and is unresolved when it selects nothing; any other query yields the array of the
///   selected values in node-list order, possibly empty. So the result's shape depends on the
///   query, never on how many nodes the data happens to hold.
/// - `jsonpointer` (RFC 6901): the value at the pointer; unresolved when it is missing.
/// - `xpath`: the context must be XML text (a string). A node-set with one node yields that
///   node's string-value, with several the array of their string-values, with none it is
///   unresolved; a boolean, number or string result is that JSON value. Only XPath 1.0 is
///   evaluated (libxml2); constructs of later versions are refused by name (never evaluated to
///   a wrong answer).
package struct CompiledSelector: Sendable {
    /// The selector language.
    package enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// An RFC 9535 JSONPath query.
        case jsonpath
        /// An RFC 6901 JSON Pointer.
        case jsonpointer
        /// An XPath expression over XML text.
        case xpath
    }

    enum Engine: Sendable {
        case jsonpath(JSONPathQuery)
        case jsonpointer(JSONPointer)
        case xpath(String)
        case invalid(String)
    }

    /// The `selector` text.
    package let selector: String
    /// The selector language, `nil` when the type was unknown.
    package let kind: Kind?
    /// The expression-type version, if given.
    package let version: String?
    /// Problems found while compiling (offsets into the field named by each issue); an invalid
    /// selector never selects anything. The codes are the catalogued ones the Expression Type
    /// Object shares with criteria (`criterion-type`, `criterion-version`, `jsonpath-syntax`,
    /// `xpath-syntax`) and `expression-syntax` for a malformed JSON Pointer.
    package let issues: [ExpressionIssue]
    let engine: Engine

    /// Whether the selector compiled without errors.
    package var isValid: Bool { !issues.contains { $0.severity == .error } }

    /// The accepted `version` values per kind (1.1 Expression Type Object).
    package static let versions: [Kind: [String]] = [
        .jsonpath: ["rfc9535", "draft-goessner-dispatch-jsonpath-00"],
        .jsonpointer: ["rfc6901"],
        .xpath: ["xpath-31", "xpath-30", "xpath-20", "xpath-10"],
    ]

    /// Compiles a selector.
    ///
    /// - Parameters:
    ///   - selector: the `selector` string.
    ///   - type: the `type` string, or the Expression Type Object's `type`.
    ///   - version: the Expression Type Object's `version`; `nil` means the type's default
    ///     (`rfc9535`, `rfc6901`, `xpath-31`).
    package init(selector: String, type: String, version: String? = nil) {
        self.selector = selector
        self.version = version
        var issues: [ExpressionIssue] = []
        guard let kind = Kind(rawValue: type) else {
            var message = "unknown selector type `\(type)`"
            if let s = suggest(type, among: Kind.allCases.map(\.rawValue)) {
                message += "; did you mean `\(s)`?"
            } else {
                message += " (expected `jsonpath`, `jsonpointer` or `xpath`)"
            }
            self.kind = nil
            self.issues = [ExpressionIssue(.error, message, offset: 0, code: "criterion-type", field: .type)]
            self.engine = .invalid(message)
            return
        }
        self.kind = kind
        let allowed = Self.versions[kind] ?? []
        if let version, !allowed.contains(version) {
            var message = "unknown \(kind.rawValue) version `\(version)`"
            if let s = suggest(version, among: allowed) {
                message += "; did you mean `\(s)`?"
            } else {
                message += " (expected \(allowed.map { "`\($0)`" }.joined(separator: ", ")))"
            }
            issues.append(ExpressionIssue(.error, message, offset: 0, code: "criterion-version", field: .version))
            self.issues = issues
            self.engine = .invalid(message)
            return
        }
        switch kind {
        case .jsonpath:
            do {
                engine = .jsonpath(try JSONPathQuery(selector))
            } catch {
                let message = "invalid JSONPath selector: \(error.message)"
                issues.append(ExpressionIssue(
                    .error, message, offset: CompiledCriterion.scalarOffset(selector, characterOffset: error.offset),
                    code: "jsonpath-syntax"))
                engine = .invalid(message)
            }
        case .jsonpointer:
            do {
                engine = .jsonpointer(try JSONPointer(parsing: selector))
            } catch {
                var message = "invalid JSON Pointer selector: \(error.message)"
                if !selector.isEmpty, !selector.hasPrefix("/") {
                    message += " (a JSON Pointer starts with `/`, e.g. `/\(selector)`)"
                }
                issues.append(ExpressionIssue(.error, message, offset: error.offset ?? 0, code: "expression-syntax"))
                engine = .invalid(message)
            }
        case .xpath:
            if let problem = XPath.validate(selector, version: version ?? "xpath-31") {
                issues.append(ExpressionIssue(.error, problem.message, offset: problem.offset ?? 0, code: "xpath-syntax"))
                engine = .invalid(problem.message)
            } else {
                engine = .xpath(selector)
            }
        }
        self.issues = issues
    }

    /// Applies the selector to `value` (what the Selector Object's `context` evaluated to).
    ///
    /// Never throws: a selection that yields nothing, a context of the wrong kind and an invalid
    /// selector are all a failure whose reason says which.
    package func select(from value: JSONValue) -> Result<JSONValue, SelectorFailure> {
        switch engine {
        case .invalid(let message):
            return .failure(SelectorFailure(selector: selector, reason: "the selector is invalid: \(message)"))
        case .jsonpath(let query):
            let values = query.values(value)
            if query.isSingular {
                guard let first = values.first else {
                    return .failure(SelectorFailure(selector: selector, reason: "the JSONPath query selected nothing\(Self.kindNote(value))"))
                }
                return .success(first)
            }
            return .success(.array(values))
        case .jsonpointer(let pointer):
            do {
                return .success(try pointer.resolve(in: value))
            } catch {
                return .failure(SelectorFailure(selector: selector, reason: "JSON Pointer: \(error.message)\(Self.kindNote(value))"))
            }
        case .xpath(let expression):
            guard case .string(let xml) = value else {
                return .failure(SelectorFailure(
                    selector: selector,
                    reason: "an xpath selector needs XML text as its context, but the context is \(value.typeName == "object" || value.typeName == "array" ? "parsed JSON (\(value.typeName))" : "a \(value.typeName)")"))
            }
            switch XPath.evaluate(expression, xml: Array(xml.utf8), version: version ?? "xpath-31") {
            case .failure(let problem):
                return .failure(SelectorFailure(selector: selector, reason: "XPath: \(problem.message)"))
            case .success(.nodeSet(let nodes)):
                switch nodes.count {
                case 0: return .failure(SelectorFailure(selector: selector, reason: "the XPath expression selected no node"))
                case 1: return .success(.string(nodes[0]))
                default: return .success(.array(nodes.map { .string($0) }))
                }
            case .success(.boolean(let b)):
                return .success(.bool(b))
            case .success(.number(let n)):
                if n.isNaN || n.isInfinite {
                    return .failure(SelectorFailure(selector: selector, reason: "the XPath expression gave \(n), which JSON cannot represent"))
                }
                if n == n.rounded(), abs(n) < 9.0e15 { return .success(.int(Int(n))) }
                return .success(.double(n))
            case .success(.string(let s)):
                return .success(.string(s))
            }
        }
    }

    /// Where a payload replacement `target` of this type points in `payload` (Arazzo 1.1
    /// `targetSelectorType`): a JSON Pointer names one place (which may not exist yet: it is
    /// added, A21); a JSONPath query names every node it selects and fails when it selects none.
    /// XPath targets apply to XML text and are not answered here.
    package func targetPointers(in payload: JSONValue) -> Result<[JSONPointer], SelectorFailure> {
        switch engine {
        case .invalid(let message):
            return .failure(SelectorFailure(selector: selector, reason: "the target is invalid: \(message)"))
        case .jsonpointer(let pointer):
            return .success([pointer])
        case .jsonpath(let query):
            let pointers = query.selectPointers(payload)
            if pointers.isEmpty {
                return .failure(SelectorFailure(selector: selector, reason: "the JSONPath target selects no node of the payload\(Self.kindNote(payload))"))
            }
            return .success(pointers)
        case .xpath:
            return .failure(SelectorFailure(selector: selector, reason: "an xpath target applies to an XML payload (a string of XML text)"))
        }
    }

    /// A hint when the context is a string: JSON selectors read it as a JSON string, not as
    /// JSON text (a body that was not parsed as JSON).
    static func kindNote(_ value: JSONValue) -> String {
        if case .string = value { return " (the context is a string, not parsed JSON)" }
        return ""
    }
}

/// Why a selector produced no value; like ``UnresolvedExpression``, evaluation reports it
/// instead of failing hard.
package struct SelectorFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The selector text.
    package var selector: String
    /// One line saying why.
    package var reason: String

    /// Creates a failure.
    package init(selector: String, reason: String) {
        self.selector = selector
        self.reason = reason
    }

    /// "selector `s` selected nothing: reason".
    package var description: String { "selector `\(selector)` selected nothing: \(reason)" }
}
