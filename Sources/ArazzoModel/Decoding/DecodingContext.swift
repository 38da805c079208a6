import ArazzoDiagnostics
import ArazzoJSON
import ArazzoYAML

/// Collects every problem found while turning a node tree into the AST.
struct DecodingContext {
    var diagnostics: [Diagnostic] = []
    let file: String
    /// The feature set the document declares: it decides which fields exist and which defaults
    /// apply (1.0 until the `arazzo` field says otherwise).
    var featureSet: ArazzoVersion.FeatureSet = .v1_0
    /// The fix-it that rewrites the `arazzo` value to `1.1.0` (quoted as it was written).
    var declare11: FixIt?

    mutating func error(_ rule: ArazzoRule, _ message: String, at location: SourceLocation, path: String) {
        diagnostics.append(.error(clippedMessage(message), at: location, path: path, code: rule.rawValue))
    }

    mutating func warning(
        _ rule: ArazzoRule, _ message: String, at location: SourceLocation, path: String, range: SourceRange? = nil,
        fixIts: [FixIt] = []
    ) {
        diagnostics.append(
            .warning(clippedMessage(message), at: location, path: path, code: rule.rawValue, range: range, fixIts: fixIts))
    }
}

/// The fields of one object's mapping, after unknown fields and extensions were sorted out.
struct ObjectFields {
    /// The mapping node.
    let node: YAMLNode
    /// The spec's name for the object, for messages ("Step").
    let objectName: String
    /// The JSON pointer of the object.
    let path: String
    /// Where "missing field" problems point: the key that holds the object, or the item itself.
    let anchor: SourceLocation
    /// The known fields present.
    let pairs: [String: YAMLNode.Pair]
    /// `x-*` fields.
    let extensions: Extensions
    /// Fixed fields that an ignored unknown key is a likely typo of, mapped to that key
    /// (`operationId` → `opertionId`), so a "missing field" error can name the typo.
    let misspelt: [String: String]

    /// Value locations of every known field present.
    var locations: [String: SourceLocation] {
        pairs.mapValues(\.value.location)
    }

    func has(_ key: String) -> Bool { pairs[key] != nil }

    func childPath(_ key: String) -> String { path + "/" + JSONPointerText.escape(key) }
}

enum JSONPointerText {
    static func escape(_ token: String) -> String {
        // `~` and `/` are ASCII, so bytes and scalars suffice; grapheme iteration made a hostile
        // 100 MB key cost tens of seconds.
        guard token.utf8.contains(where: { $0 == 0x7E || $0 == 0x2F }) else { return token }
        var out = String.UnicodeScalarView()
        for c in token.unicodeScalars {
            switch c {
            case "~": out.append(contentsOf: "~0".unicodeScalars)
            case "/": out.append(contentsOf: "~1".unicodeScalars)
            default: out.append(c)
            }
        }
        return String(out)
    }
}

/// `^[A-Za-z0-9_\-]+$`
func isValidIdentifier(_ s: String) -> Bool {
    !s.isEmpty && s.unicodeScalars.allSatisfy { c in
        (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "_" || c == "-"
    }
}

/// `^[a-zA-Z0-9\.\-_]+$`
func isValidComponentKey(_ s: String) -> Bool {
    !s.isEmpty && s.unicodeScalars.allSatisfy { c in
        (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "_" || c == "-" || c == "."
    }
}

/// "`a`, `b` or `c`"
func listing(_ items: [String]) -> String {
    let quoted = items.map { "`\($0)`" }
    guard quoted.count > 1 else { return quoted.first ?? "" }
    return quoted.dropLast().joined(separator: ", ") + " or " + (quoted.last ?? "")
}

/// "integer `42`" for non-string scalars (numbers written with a fraction say "number"), the kind
/// name otherwise.
func describeKind(_ node: YAMLNode) -> String {
    guard let scalar = node.scalar else { return node.kindName }
    switch scalar.value {
    case .double: return "number `\(scalar.text)`"
    case .string, .null: return node.kindName
    default: return "\(node.kindName) `\(scalar.text)`"
    }
}

/// "a mapping" / "an integer"
func article(_ kind: String) -> String {
    if let first = kind.first, "aeiou".contains(first) { return "an \(kind)" }
    return "a \(kind)"
}
