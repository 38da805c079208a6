import OrderedCollections
typealias OrderedDictionaryOfExpressions = OrderedDictionary<String, ExpressionString>
import ArazzoDiagnostics
import ArazzoJSON
import ArazzoYAML

extension DecodingContext {
    /// Checks that `node` is a mapping, splits its entries into known fields and `x-` extensions,
    /// and reports unknown fields (with a "did you mean"). Returns nil when it is not a mapping.
    mutating func open(
        _ node: YAMLNode, as objectName: String, path: String, anchor: SourceLocation? = nil,
        fields known: [String], extensible: Bool = true
    ) -> ObjectFields? {
        guard let entries = node.mapping else {
            let what = path.isEmpty ? "the document must be a mapping (an Arazzo Specification Object)" : "\(objectName) must be a mapping"
            error(.typeMismatch, "\(what), found \(describeKind(node))", at: node.location, path: path)
            return nil
        }
        // Arazzo 1.1 fields exist only in a 1.1 document (decision V2).
        var known = known
        if featureSet == .v1_1, let added = newerFields[objectName] { known += added.sorted() }
        var misspelt: [String: String] = [:]
        var pairs: [String: YAMLNode.Pair] = [:]
        var extValues = JSONObject()
        var extLocations: [String: SourceLocation] = [:]
        let written = Set(entries.map(\.key))
        for pair in entries {
            if known.contains(pair.key) {
                pairs[pair.key] = pair
            } else if extensible && pair.key.hasPrefix("x-") {
                extValues[pair.key] = pair.value.jsonValue
                extLocations[pair.key] = pair.value.location
            } else if !extensible {
                warning(
                    .reusableExtraField,
                    "`\(pair.key)` is not a field of a \(objectName) and is ignored; remove it (only `reference` and `value` are allowed)",
                    at: pair.keyLocation, path: path + "/" + JSONPointerText.escape(pair.key))
            } else if path.isEmpty && pair.key == "$schema" {
                schemaKey(pair, in: entries)
            } else {
                unknownField(
                    pair, objectName: objectName, path: path, known: known, written: written, pairs: &pairs,
                    misspelt: &misspelt)
            }
        }
        return ObjectFields(
            node: node, objectName: objectName, path: path, anchor: anchor ?? node.location, pairs: pairs,
            extensions: Extensions(values: extValues, locations: extLocations), misspelt: misspelt)
    }

    /// Reports a REQUIRED field as missing; when an ignored near-miss key was probably meant to be
    /// it, the error says so (the misspelling was only a warning, but the document now lacks the
    /// field, and that has no meaning to run).
    mutating func missing(_ fields: ObjectFields, _ key: String, hint: String = "") {
        var message = "\(fields.objectName) is missing required field `\(key)`"
        if let typo = fields.misspelt[key] {
            message += "; `\(typo)` is probably `\(key)`: rename it"
        } else {
            message += hint
        }
        error(.missingField, message, at: fields.anchor, path: fields.path)
    }

    /// A string field. Reports a missing required field or a non-string value.
    mutating func string(_ fields: ObjectFields, _ key: String, required: Bool = false) -> String? {
        expression(fields, key, required: required)?.text
    }

    /// A string field kept with its location.
    mutating func expression(_ fields: ObjectFields, _ key: String, required: Bool = false) -> ExpressionString? {
        guard let pair = fields.pairs[key] else {
            if required { missing(fields, key) }
            return nil
        }
        return stringValue(pair.value, field: key, path: fields.childPath(key))
    }

    /// A node that must be a string scalar.
    mutating func stringValue(_ node: YAMLNode, field: String, path: String) -> ExpressionString? {
        if let scalar = node.scalar, case .string(let s) = scalar.value {
            return ExpressionString(text: s, location: node.location)
        }
        var message = "`\(field)` must be a string, found \(describeKind(node))"
        var fixIts: [FixIt] = []
        // Quoting is the fix only where any text is a valid value (a name or free text); a
        // reference, expression or version quoted would just fail the next check instead.
        if let scalar = node.scalar, scalar.style == .plain, !scalar.value.isNull, Self.anyTextIsValid(field: field, path: path) {
            message += "; quote it: '\(scalar.text)'"
            fixIts.append(FixIt("quote `\(scalar.text)`", edits: [node.replacingScalar(with: scalar.text)]))
        }
        diagnostics.append(
            .error(
                clippedMessage(message), at: node.location, path: path, code: ArazzoRule.typeMismatch.rawValue,
                range: node.range, fixIts: fixIts))
        return nil
    }

    /// Whether any string is a valid value of the field at `path`: names and free text, and the
    /// `workflowId` / `stepId` that define a workflow or step (elsewhere those fields refer to one).
    static func anyTextIsValid(field: String, path: String) -> Bool {
        switch field {
        case "title", "summary", "description", "name", "contentType": return true
        case "workflowId", "stepId":
            let tokens = path.split(separator: "/", omittingEmptySubsequences: false)
            guard tokens.count >= 4, tokens[1] == "workflows" else { return false }
            return field == "workflowId" ? tokens.count == 4 : tokens.count == 6 && tokens[3] == "steps"
        default: return false
        }
    }

    /// A field of any type.
    mutating func any(_ fields: ObjectFields, _ key: String, required: Bool = false) -> LocatedValue? {
        guard let pair = fields.pairs[key] else {
            if required { missing(fields, key) }
            return nil
        }
        return LocatedValue(node: pair.value)
    }

    /// A sequence field; reports a wrong type and, with `minItems`, an empty list.
    mutating func sequence(
        _ fields: ObjectFields, _ key: String, required: Bool = false, minItems: Int = 0
    ) -> [YAMLNode]? {
        guard let pair = fields.pairs[key] else {
            if required { missing(fields, key) }
            return nil
        }
        guard let items = pair.value.sequence else {
            error(
                .typeMismatch, "`\(key)` must be a sequence, found \(describeKind(pair.value))", at: pair.value.location,
                path: fields.childPath(key))
            return nil
        }
        if items.count < minItems {
            let fix = key == "criteria" ? "; remove the field if the action should always apply" : ""
            error(
                .emptyList, "`\(key)` must have at least \(minItems == 1 ? "one entry" : "\(minItems) entries")\(fix)",
                at: pair.value.location, path: fields.childPath(key))
        }
        return items
    }

    /// A mapping field, as its entries.
    mutating func mapping(_ fields: ObjectFields, _ key: String) -> [YAMLNode.Pair]? {
        guard let pair = fields.pairs[key] else { return nil }
        guard let entries = pair.value.mapping else {
            error(
                .typeMismatch, "`\(key)` must be a mapping, found \(describeKind(pair.value))", at: pair.value.location,
                path: fields.childPath(key))
            return nil
        }
        return entries
    }

    /// A string field whose value must be one of an enumeration's raw values.
    mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ fields: ObjectFields, _ key: String, _ type: E.Type, required: Bool = false, what: String? = nil,
        allowed allowedCases: [E]? = nil, extraHint: [String: String] = [:]
    ) -> E? where E.RawValue == String {
        guard let value = expression(fields, key, required: required) else { return nil }
        if let e = E(rawValue: value.text) { return e }
        // `allowedCases`: the cases the document's version has, for the message.
        let allowed = (allowedCases ?? Array(E.allCases)).map(\.rawValue)
        var message = "\(what ?? "`\(key)`") must be \(allowed.count == 2 ? "" : "one of ")\(listing(allowed)), found `\(value.text)`"
        if let hint = extraHint[value.text] {
            message += "; \(hint)"
        } else if let near = suggest(value.text, among: allowed) {
            message += "; did you mean `\(near)`?"
        }
        error(.invalidValue, message, at: value.location, path: fields.childPath(key))
        return nil
    }

    /// Checks an id against `^[A-Za-z0-9_\-]+$`. The pattern is a SHOULD, so a name outside it is a
    /// warning (the run uses the name as written). It becomes a problem only where a runtime
    /// expression must spell it (`$steps.<id>`, `$sourceDescriptions.<name>`), and that reference
    /// is then reported where it fails to resolve.
    mutating func checkIdentifier(_ id: ExpressionString?, field: String, path: String) {
        guard let id, !id.text.isEmpty, !isValidIdentifier(id.text) else { return }
        var message = "`\(field)` `\(id.text)` should only contain letters, digits, `_` and `-`"
        let root = field == "stepId" ? "$steps" : field == "workflowId" ? "$workflows" : "$sourceDescriptions"
        if let dot = id.text.firstIndex(of: ".") {
            message += "; runtime expressions cannot name it (`\(root).\(id.text)` reads `\(id.text[..<dot])`)"
        } else {
            message += " (runtime expressions name it as `\(root).<\(field == "name" ? "name" : field)>`)"
        }
        warning(.invalidId, message, at: id.location, path: path)
    }

    /// `outputs`: keys matching `^[a-zA-Z0-9\.\-_]+$`, values strings.
    mutating func outputs(_ fields: ObjectFields) -> OrderedDictionaryOfExpressions {
        var ignored = OrderedDictionary<String, Selector>()
        return outputs(fields, selectors: &ignored)
    }

    /// `outputs`: runtime expressions, and in 1.1 Selector Objects (put in `selectors`).
    mutating func outputs(
        _ fields: ObjectFields, selectors: inout OrderedDictionary<String, Selector>
    ) -> OrderedDictionaryOfExpressions {
        var result = OrderedDictionaryOfExpressions()
        guard let entries = mapping(fields, "outputs") else { return result }
        let base = fields.childPath("outputs")
        for pair in entries {
            let path = base + "/" + JSONPointerText.escape(pair.key)
            if !isValidComponentKey(pair.key) {
                warning(
                    .invalidKey,
                    "output name `\(pair.key)` should only contain letters, digits, `.`, `-` and `_`; expressions that name it may not parse",
                    at: pair.keyLocation, path: path, range: pair.keyRange)
            }
            if featureSet == .v1_1, pair.value.mapping != nil {
                if let s = decodeSelector(pair.value, path: path) { selectors[pair.key] = s }
            } else if let value = stringValue(pair.value, field: "outputs.\(pair.key)", path: path) {
                result[pair.key] = value
            }
        }
        return result
    }
}

/// Fields Arazzo 1.1 added, per object, so a 1.0 document using one gets a precise message.
let newerFields: [String: Set<String>] = [
    "Arazzo Specification Object": ["$self"],
    "Step Object": ["timeout", "dependsOn", "channelPath", "action", "correlationId"],
    "Success Action Object": ["parameters"],
    "Failure Action Object": ["parameters"],
    "Payload Replacement Object": ["targetSelectorType"],
]
