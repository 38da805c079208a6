public import ArazzoDiagnostics
import ArazzoModel
import ArazzoYAML

/// Rewrites an Arazzo 1.0.x document as 1.1.0 by text edits: the engine behind
/// `arazzo-run upgrade` (decision UP1).
///
/// Only what 1.1 reads differently is touched, so comments, quoting and layout stay as written:
///
/// - the `arazzo` value becomes `1.1.0` (quoted as it was);
/// - `successCriteria: []` is removed: 1.1 requires at least one criterion, and an empty list
///   meant what no list means (vacuous success, A11).
///
/// Criterion `type`/`version` need no edit: 1.0.1's defaults (RFC 9535, XPath 3.1) are 1.1's,
/// and our evaluator applies the same rules to both editions (V4, S5, A7, A9).
///
/// Whatever else would be an error under 1.1 and was not one under 1.0 (an identifier the 1.1
/// ABNF forbids in an expression, E1; a parameter `value` written as a mapping, which 1.1 reads as
/// a Selector Object) has no evident rewrite: it is reported, located in the original text, as a
/// manual change, and nothing is upgraded until it is made. The check is the validator's own: the
/// upgraded text is validated and every error the original did not have is such a change.
public enum ArazzoUpgrade {
    /// What an upgrade would do to one document.
    public struct Plan: Sendable {
        /// The document's text as read.
        public let original: String
        /// The upgraded text: equal to ``original`` when the document is already 1.1, or when
        /// ``manualChanges`` is not empty (then nothing is rewritten).
        public let upgraded: String
        /// The version the document declares.
        public let declaredVersion: String
        /// Whether the document already declares Arazzo 1.1.x.
        public let alreadyCurrent: Bool
        /// The edits, each with a one-line reason, located in the original text.
        public let changes: [Change]
        /// Errors the document would have under 1.1 that no edit can fix without guessing,
        /// located in the original text.
        public let manualChanges: Diagnostics
        /// Notes: fields 1.0 ignored as unknown that 1.1 reads (their meaning now applies).
        public let notes: Diagnostics
        /// The texts of every document read, by display name (for rendering diagnostics).
        public let sourceTexts: [String: String]

        /// Whether the upgrade would change the text.
        public var changesText: Bool { upgraded != original }
    }

    /// One edit of the upgrade.
    public struct Change: Sendable, Hashable {
        /// What the edit does and why, in one line.
        public let message: String
        /// Where it applies in the original text.
        public let location: SourceLocation
        /// The edit itself.
        public let edit: TextEdit
    }

    /// Plans the upgrade of `text`, the document at `path` (an absolute path or URL, which
    /// resolves its sources). Throws the located diagnostics of a document that does not load
    /// (not YAML/JSON, not a mapping, no `arazzo` version this engine reads).
    public static func plan(text: String, path: String, loader: ArazzoLoader) async throws(LoadFailure) -> Plan {
        let root: YAMLNode
        do {
            root = try YAMLParser.parse(text, file: path)
        } catch {
            throw LoadFailure(diagnostics: Diagnostics([error]), sourceTexts: [path: text])
        }
        let before = try await loader.load(text: text, baseURL: path)
        let beforeDiagnostics = before.validate()
        guard let versionPair = root.pair("arazzo") else {
            throw LoadFailure(
                diagnostics: Diagnostics([.error("the document has no `arazzo` version to upgrade", at: root.location, code: ArazzoRule.missingField.rawValue)]),
                sourceTexts: [path: text])
        }
        // The version as written: a malformed one is read as 1.0 by the lenient loader, but
        // upgrading it would rewrite a value whose meaning is unknown.
        guard case .string(let written)? = versionPair.value.scalar?.value, let version = ArazzoVersion(written),
            let featureSet = version.featureSet
        else {
            throw LoadFailure(
                diagnostics: Diagnostics([.error(
                    "only an Arazzo 1.0.x document can be upgraded; this one declares `\(versionPair.value.scalar?.text ?? versionPair.value.kindName)` (write its version as a string like '1.0.1' first)",
                    at: versionPair.value.location, code: ArazzoRule.invalidVersion.rawValue)]),
                sourceTexts: [path: text])
        }
        if featureSet == .v1_1 {
            return Plan(
                original: text, upgraded: text, declaredVersion: version.text, alreadyCurrent: true, changes: [],
                manualChanges: Diagnostics(), notes: Diagnostics(), sourceTexts: before.sourceTexts)
        }

        let index = TextIndex(text)
        var changes: [Change] = []
        changes.append(versionChange(versionPair, text: text, index: index, from: version.text))
        for (w, workflow) in (root["workflows"]?.sequence ?? []).enumerated() {
            for (s, step) in (workflow["steps"]?.sequence ?? []).enumerated() {
                guard let pairs = step.mapping, let k = pairs.firstIndex(where: { $0.key == "successCriteria" }),
                    pairs[k].value.sequence?.isEmpty == true,
                    let range = removal(of: k, in: pairs, mapping: step, index: index)
                else { continue }
                changes.append(Change(
                    message: "removed `successCriteria: []` of step \(stepName(step, w, s)) (an error in 1.1, which requires at least one criterion; an empty list meant what no list means, success on any response, decision A11)",
                    location: pairs[k].keyLocation,
                    edit: TextEdit(range: range, replacement: "")))
            }
        }

        let upgraded = index.apply(changes.map(\.edit))
        // 1.0 fields the document already used take effect now: say so, they change the run.
        var notes = Diagnostics()
        for diagnostic in beforeDiagnostics where diagnostic.code == ArazzoRule.unknownField.rawValue
            && diagnostic.fixIts.contains(where: { $0.message == "declare `arazzo: 1.1.0`" })
        {
            let field = diagnostic.message.firstBackticked ?? "field"
            notes.append(Diagnostic(
                .note, "`\(field)` was ignored as an unknown field under Arazzo 1.0 and takes effect under 1.1",
                at: diagnostic.location, path: diagnostic.path))
        }

        // Validate the result: an error the original did not have needs a hand.
        var after: Diagnostics
        var afterTexts: [String: String] = [:]
        do {
            let loaded = try await loader.load(text: upgraded, baseURL: path)
            after = loaded.validate()
            afterTexts = loaded.sourceTexts
            // A payload object of exactly `context`/`selector`/`type` is literal in 1.0 and a
            // Selector Object in 1.1 (decision S6): the request would change without an error.
            for workflow in loaded.entry.document.workflows {
                for step in workflow.steps {
                    for found in step.requestBody?.payloadSelectors ?? [] {
                        after.append(.error(
                            "this payload object of `context`, `selector` and `type` is sent as written under Arazzo 1.0 but is a Selector Object under 1.1, replaced by what it selects",
                            at: found.selector.location, code: ArazzoRule.payloadSelectorLike.rawValue,
                            notes: ["upgrade: the request would change silently, so nothing was written; to keep the literal object, send it through a replacement whose value is a runtime expression, or write the payload as JSON text, then upgrade again"]))
                    }
                }
            }
        } catch {
            after = error.diagnostics
        }
        let mapping = PositionMapping(original: index, edits: changes.map(\.edit), upgraded: upgraded)
        let known = Set(beforeDiagnostics.errors.map { ErrorKey($0) })
        let knownMessages = Set(beforeDiagnostics.errors.map { MessageKey($0) })
        var manual = Diagnostics()
        for diagnostic in after.errors {
            var mapped = diagnostic
            mapped.fixIts = []
            if let location = diagnostic.location, location.file == path {
                mapped.location = mapping.original(of: location)
                mapped.range = diagnostic.range.map { range in
                    SourceRange(
                        from: mapping.original(of: range.startLocation),
                        to: mapping.original(of: SourceLocation(file: path, line: range.end.line, column: range.end.column)).position)
                }
            }
            if known.contains(ErrorKey(mapped)) || knownMessages.contains(MessageKey(mapped)) { continue }
            if mapped.code == ArazzoRule.payloadSelectorLike.rawValue {
                // Not an error of the 1.1 document but a change of meaning (decision S6).
                manual.append(mapped)
                continue
            }
            if mapped.message.contains("Selector Object") {
                // The common cause: a 1.0 parameter or replacement value written as an object.
                mapped.notes.append("upgrade: Arazzo 1.1 reads a mapping written as a `value` as a Selector Object (`context`, `selector`, `type`); a 1.0 object value has no 1.1 literal form")
            }
            mapped.notes.append("upgrade: this is an error under Arazzo 1.1 and its rewrite is not evident; change it by hand, then upgrade again (nothing was written)")
            manual.append(mapped)
        }
        var texts = before.sourceTexts
        for (name, source) in afterTexts where texts[name] == nil { texts[name] = source }
        return Plan(
            original: text, upgraded: manual.all.isEmpty ? upgraded : text, declaredVersion: version.text,
            alreadyCurrent: false, changes: manual.all.isEmpty ? changes : [], manualChanges: manual, notes: notes,
            sourceTexts: texts)
    }

    /// The `arazzo` value rewritten as `1.1.0`, in the quotes it was written with.
    static func versionChange(_ pair: YAMLNode.Pair, text: String, index: TextIndex, from written: String) -> Change {
        let range = pair.value.range
        let quote: String
        switch pair.value.scalar?.style {
        case .plain?: quote = ""
        case .singleQuoted?: quote = "'"
        default: quote = "\""
        }
        return Change(
            message: "`arazzo: \(written)` → `\(ArazzoVersion.FeatureSet.v1_1.suggestedVersion)`",
            location: pair.value.location,
            edit: TextEdit(range: range, replacement: quote + ArazzoVersion.FeatureSet.v1_1.suggestedVersion + quote))
    }

    /// `stepId` (quoted) or the step's position, for messages.
    static func stepName(_ step: YAMLNode, _ w: Int, _ s: Int) -> String {
        if let id = step["stepId"]?.scalar?.text { return "`\(id)`" }
        return "#\(s + 1) of workflow #\(w + 1)"
    }

    /// The text to delete to remove entry `k` of `pairs`, keeping the mapping well-formed; nil when
    /// no clean removal exists (the entry is the only one of a block sequence item).
    static func removal(of k: Int, in pairs: [YAMLNode.Pair], mapping: YAMLNode, index: TextIndex) -> SourceRange? {
        let pair = pairs[k]
        let file = pair.keyLocation.file
        let start = pair.keyLocation.position
        let end = pair.value.end
        if index.character(at: mapping.location.position) == "{" {
            // A flow mapping (JSON): up to the next key, or from the previous value.
            if k + 1 < pairs.count {
                let next = pairs[k + 1].keyLocation
                return SourceRange(file: file, start: start, end: next.position)
            }
            if k > 0 { return SourceRange(file: file, start: pairs[k - 1].value.end, end: end) }
            return SourceRange(file: file, start: start, end: end)
        }
        // A block mapping: the whole line when the entry has it to itself (a trailing comment
        // goes with it), else up to the next key (`- successCriteria: []` opening an item).
        if index.isBlank(line: start.line, before: start.column), index.isBlankOrComment(line: end.line, from: end.column) {
            return SourceRange(file: file, start: SourcePosition(line: start.line, column: 1), end: index.startOfLine(after: end.line))
        }
        if k + 1 < pairs.count {
            let next = pairs[k + 1].keyLocation
            return SourceRange(file: file, start: start, end: next.position)
        }
        return nil
    }

    /// Errors compared by rule and place: the same problem before and after the upgrade.
    struct ErrorKey: Hashable {
        let code: String?
        let line: Int?
        let column: Int?
        init(_ d: Diagnostic) {
            code = d.code
            line = d.location?.line
            column = d.location?.column
        }
    }

    /// Errors compared by rule and wording (for those whose place moved, or that have none).
    struct MessageKey: Hashable {
        let code: String?
        let message: String
        init(_ d: Diagnostic) {
            code = d.code
            message = d.message
        }
    }
}

/// Line starts of a text, to turn line/column positions (in Unicode scalars) into offsets.
struct TextIndex {
    let scalars: [Unicode.Scalar]
    let lineStarts: [Int]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        lineStarts = TextEditing.lineStarts(scalars)
    }

    /// The offset of `p`, clamped to the text.
    func offset(_ p: SourcePosition) -> Int {
        guard p.line >= 1 else { return 0 }
        guard p.line <= lineStarts.count else { return scalars.count }
        return min(lineStarts[p.line - 1] + max(p.column, 1) - 1, scalars.count)
    }

    /// The position of `offset`.
    func position(_ offset: Int) -> SourcePosition {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return SourcePosition(line: low + 1, column: offset - lineStarts[low] + 1)
    }

    /// The character at `p`, if any.
    func character(at p: SourcePosition) -> Unicode.Scalar? {
        let o = offset(p)
        return o < scalars.count ? scalars[o] : nil
    }

    /// Where the line after `line` starts (the end of the text on the last line).
    func startOfLine(after line: Int) -> SourcePosition {
        line < lineStarts.count ? SourcePosition(line: line + 1, column: 1) : position(scalars.count)
    }

    /// The end of `line`'s content (before its break).
    private func lineEnd(_ line: Int) -> Int {
        var end = line < lineStarts.count ? lineStarts[line] : scalars.count
        while end > lineStarts[line - 1], scalars[end - 1] == "\n" || scalars[end - 1] == "\r" { end -= 1 }
        return end
    }

    /// Whether `line` holds only spaces and tabs before `column`.
    func isBlank(line: Int, before column: Int) -> Bool {
        guard line >= 1, line <= lineStarts.count else { return false }
        let start = lineStarts[line - 1]
        return scalars[start..<min(start + column - 1, scalars.count)].allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// Whether `line` holds only spaces, tabs or a comment from `column` on.
    func isBlankOrComment(line: Int, from column: Int) -> Bool {
        guard line >= 1, line <= lineStarts.count else { return false }
        let from = min(lineStarts[line - 1] + column - 1, scalars.count)
        for s in scalars[from..<max(from, lineEnd(line))] {
            if s == "#" { return true }
            if s != " " && s != "\t" { return false }
        }
        return true
    }

    /// The text with non-overlapping `edits` applied.
    func apply(_ edits: [TextEdit]) -> String {
        var out = String.UnicodeScalarView()
        var cursor = 0
        for edit in edits.sorted(by: { offset($0.range.start) < offset($1.range.start) }) {
            let lower = offset(edit.range.start), upper = offset(edit.range.end)
            guard lower >= cursor else { continue }
            out.append(contentsOf: scalars[cursor..<lower])
            out.append(contentsOf: edit.replacement.unicodeScalars)
            cursor = upper
        }
        out.append(contentsOf: scalars[cursor...])
        return String(out)
    }
}

/// Maps positions in the upgraded text back to the original, across the edits applied.
struct PositionMapping {
    let original: TextIndex
    let upgraded: TextIndex
    /// Per edit, sorted: its original span and where its replacement starts and ends in the
    /// upgraded text.
    let spans: [(lower: Int, upper: Int, newLower: Int, newUpper: Int)]

    init(original: TextIndex, edits: [TextEdit], upgraded text: String) {
        self.original = original
        upgraded = TextIndex(text)
        var spans: [(Int, Int, Int, Int)] = []
        var delta = 0
        for edit in edits.sorted(by: { original.offset($0.range.start) < original.offset($1.range.start) }) {
            let lower = original.offset(edit.range.start), upper = original.offset(edit.range.end)
            let length = edit.replacement.unicodeScalars.count
            spans.append((lower, upper, lower + delta, lower + delta + length))
            delta += length - (upper - lower)
        }
        self.spans = spans
    }

    /// The original location of `location` in the upgraded text (inside a replacement: where the
    /// replaced text started).
    func original(of location: SourceLocation) -> SourceLocation {
        let o = upgraded.offset(location.position)
        var delta = 0
        for span in spans {
            if o < span.newLower { break }
            if o < span.newUpper { return located(span.lower, file: location.file) }
            delta = span.upper - span.newUpper
        }
        return located(o + delta, file: location.file)
    }

    private func located(_ offset: Int, file: String) -> SourceLocation {
        let p = original.position(offset)
        return SourceLocation(file: file, line: p.line, column: p.column)
    }
}

extension String {
    /// The text between the first pair of backticks, if any.
    fileprivate var firstBackticked: String? {
        guard let open = firstIndex(of: "`") else { return nil }
        let rest = self[index(after: open)...]
        guard let close = rest.firstIndex(of: "`") else { return nil }
        return String(rest[..<close])
    }
}
