import ArazzoDiagnostics
public import ArazzoJSON

/// A parsed Arazzo runtime expression such as `$steps.login.outputs.token` or
/// `$response.body#/items/0/id`, read with the ABNF of the document's version (1.0.1 by default,
/// or the rewritten 1.1.0 one, see ``ExpressionVersion``).
///
/// Parse once (``init(parsing:)``), evaluate as often as needed with
/// ``evaluate(in:)``: evaluation never looks at the text again.
///
/// Grammar decisions (docs/decisions.md; summarised in docs/expressions.md):
/// - A1: a bare expression ends at whitespace or the end of the string; inside `{…}` it ends at
///   `}`; inside a `simple` condition at whitespace or one of `( ) = ! < > & | [`.
/// - A2: names may contain dots (`$inputs.a.b` names the input `a.b`); evaluation and the static
///   checks match the longest declared name, and only `simple` conditions may treat the rest as
///   `.member` navigation. Everywhere else use a JSON pointer (`$inputs.a#/b`).
/// - A3: `$steps.<id>.<name>` without `.outputs.` is an error with a fix-it.
/// - `$components.parameters.<name>` is the general `$components.<kind>.<name>` form; the kinds
///   are `inputs`, `parameters`, `successActions` and `failureActions`.
/// - A JSON pointer (`#/…`) is accepted after `$request.body`, `$response.body`, `$inputs.<name>`,
///   `$outputs.<name>`, `$steps.<id>.outputs.<name>` and `$workflows.<id>.inputs|outputs.<name>`.
/// - 1.1 adds `$self`, `$message.header.<token>` and `$message.payload[#pointer]`; in a 1.0
///   document they are errors saying they need Arazzo 1.1. `$message` has no other field
///   (`$message.body` is an error with a fix-it to `payload`). The 1.1 ABNF also lets
///   `$request`/`$response` take `payload`: in 1.1 it reads the body (an HTTP message's
///   payload is its content); in 1.0 it is an error with a fix-it to `body`.
public struct RuntimeExpression: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of component a `$components.<kind>.<name>` expression can name.
    public enum ComponentKind: String, Sendable, Hashable, Codable, CaseIterable {
        /// `components.inputs` (JSON Schemas for workflow inputs).
        case inputs
        /// `components.parameters`.
        case parameters
        /// `components.successActions`.
        case successActions
        /// `components.failureActions`.
        case failureActions
    }

    /// What an expression refers to (without the JSON pointer, see ``RuntimeExpression/pointer``).
    public enum Source: Sendable, Hashable {
        /// `$url`: the full URL of the request sent.
        case url
        /// `$method`: the HTTP method of the request sent.
        case method
        /// `$statusCode`: the response status code.
        case statusCode
        /// `$request.header.<token>` (case-insensitive name).
        case requestHeader(String)
        /// `$request.query.<name>`.
        case requestQuery(String)
        /// `$request.path.<name>`.
        case requestPath(String)
        /// `$request.body`.
        case requestBody
        /// `$response.header.<token>` (case-insensitive name).
        case responseHeader(String)
        /// `$response.body`.
        case responseBody
        /// `$inputs.<name>`: an input of the current workflow.
        case inputs(String)
        /// `$outputs.<name>`: an output of the current workflow, or in a `workflowId` step of the
        /// called workflow (A13).
        case outputs(String)
        /// `$steps.<stepId>.outputs.<name>`.
        case stepOutput(stepId: String, name: String)
        /// `$workflows.<workflowId>.inputs.<name>`.
        case workflowInput(workflowId: String, name: String)
        /// `$workflows.<workflowId>.outputs.<name>`.
        case workflowOutput(workflowId: String, name: String)
        /// `$sourceDescriptions.<name>.<reference>`: an operationId, workflowId or field (`url`).
        case sourceDescription(name: String, reference: String)
        /// `$components.<kind>.<name>`.
        case component(ComponentKind, name: String)
        /// `$self` (Arazzo 1.1): the document's own URI, see ``ExpressionContext/selfURI``.
        case selfURI
        /// `$message.header.<token>` (Arazzo 1.1, case-insensitive name): a header of the message
        /// an asynchronous step sent or received.
        case messageHeader(String)
        /// `$message.payload` (Arazzo 1.1): the payload of the message an asynchronous step sent
        /// or received.
        case messagePayload
    }

    /// The expression text exactly as written (without surrounding braces).
    public var text: String { storage.fields.text }
    /// What the expression refers to.
    public var source: Source { storage.fields.source }
    /// The JSON pointer after `#`, if one was written (`#` alone is the empty pointer).
    public var pointer: JSONPointer? { storage.fields.pointer }
    /// Offset (in Unicode scalars, within ``text``) of the step, workflow or source description
    /// id, for the forms that have one.
    public var idOffset: Int? { storage.fields.idOffset }
    /// Offset (in Unicode scalars, within ``text``) of the name (input, output, header, parameter,
    /// component name or source reference), for the forms that have one.
    public var nameOffset: Int? { storage.fields.nameOffset }
    /// Forms outside the letter of the 1.0.1 ABNF whose meaning is evident (a JSON pointer
    /// without its leading `/`, `.`/`[n]` navigation into a body); the parser already applied
    /// their meaning, and the static check reports them with the canonical text.
    var lenientForms: [LenientForm] { storage.fields.lenientForms }

    /// The parsed fields, shared by every copy: a compiled expression is copied out of its
    /// criterion, output or payload template each time it is evaluated, and a copy of the fields
    /// themselves retained and released each of their strings and arrays (about five a copy,
    /// eleven copies a step). Immutable, so sharing changes nothing a holder can see.
    private struct Fields: Sendable, Hashable {
        let text: String
        let source: Source
        let pointer: JSONPointer?
        let idOffset: Int?
        let nameOffset: Int?
        let lenientForms: [LenientForm]
    }

    private let storage: SharedFields<Fields>

    /// Parses `text`, which must be one runtime expression and nothing else, with the grammar of
    /// `version` (1.0.1 unless the document declares 1.1).
    ///
    /// - Throws: ``ExpressionError`` with the offset of the first bad character.
    public init(parsing text: String, version: ExpressionVersion = .v1_0) throws(ExpressionError) {
        let scalars = Array(text.unicodeScalars)
        var parser = ExpressionParser(scalars, mode: .standalone, at: 0, version: version)
        let expression = try parser.parse()
        if parser.i < scalars.count {
            throw ExpressionError(
                ExpressionParser.trailingMessage(scalars[parser.i], after: expression.text), offset: parser.i)
        }
        self = expression
    }

    init(
        text: String, source: Source, pointer: JSONPointer?, idOffset: Int?, nameOffset: Int?,
        lenientForms: [LenientForm] = []
    ) {
        storage = SharedFields(Fields(
            text: text, source: source, pointer: pointer, idOffset: idOffset, nameOffset: nameOffset, lenientForms: lenientForms))
    }

    /// Whether two expressions were parsed alike: every field equal (the same expression shared
    /// by two copies without reading them).
    public static func == (lhs: RuntimeExpression, rhs: RuntimeExpression) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

    /// Hashes every field, as the synthesised conformance did.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.fields)
    }

    /// Whether the text reads the way the 1.0.1 ABNF writes it (no lenient form was accepted).
    public var isCanonical: Bool { lenientForms.isEmpty }

    /// The expression as the 1.0.1 ABNF writes it, with the meaning the parser gave it
    /// (`$response.body#id` → `$response.body#/id`, `$response.body.items[0]` →
    /// `$response.body#/items/0`); the text itself when it is already canonical.
    public var canonicalText: String { lenientForms.last?.canonical ?? text }

    /// Whether `text` starts like a runtime expression (`$` followed by a letter); such strings in
    /// `Any | {expression}` positions are expressions iff they parse (A20).
    public static func looksLikeExpression(_ text: String) -> Bool {
        var it = text.unicodeScalars.makeIterator()
        guard it.next() == "$", let next = it.next() else { return false }
        return next.properties.isAlphabetic
    }

    /// Whether `text` starts with `$` and a word equal or close to an expression keyword
    /// (`$inputs`, `$step`, `$respons`…): a literal like that is probably a broken expression.
    /// `version` adds the 1.1 roots (`$self`, `$message`) to the keywords.
    public static func looksLikeKnownExpression(_ text: String, version: ExpressionVersion = .v1_0) -> Bool {
        var word = ""
        for (i, c) in text.unicodeScalars.enumerated() {
            if i == 0 {
                guard c == "$" else { return false }
                continue
            }
            guard c.isASCIILetter else { break }
            word.unicodeScalars.append(c)
        }
        let keywords = version == .v1_1 ? ExpressionParser.keywords11 : ExpressionParser.keywords
        return !word.isEmpty && suggest(word, among: keywords) != nil
    }

    /// The root word of `text` when it starts with `$` and a word that is no runtime-expression
    /// root and not close to one (`$datetime.iso8601`, `$uuid`): such a string is text, not a
    /// broken expression. `nil` otherwise. `version` adds the 1.1 roots to those a word may be
    /// close to (`$mesage` is a broken `$message` in a 1.1 document).
    public static func unknownRoot(_ text: Substring.UnicodeScalarView, version: ExpressionVersion = .v1_0) -> String? {
        var it = text.makeIterator()
        guard it.next() == "$" else { return nil }
        var word = ""
        while let c = it.next(), c.isASCIILetter { word.unicodeScalars.append(c) }
        let keywords = version == .v1_1 ? ExpressionParser.keywords11 : ExpressionParser.keywords
        guard !word.isEmpty, !keywords.contains(word), word != "self", word != "message",
              suggest(word, among: keywords) == nil else { return nil }
        return word
    }

    /// The text.
    public var description: String { text }

    /// The name part of named forms (`$inputs.<name>`, `$steps.x.outputs.<name>`, headers,
    /// parameters, components, source references); `nil` for `$url`, `$method`, `$statusCode`
    /// and bodies.
    public var name: String? {
        switch source {
        case .url, .method, .statusCode, .requestBody, .responseBody, .selfURI, .messagePayload: return nil
        case .requestHeader(let n), .requestQuery(let n), .requestPath(let n), .responseHeader(let n),
            .inputs(let n), .outputs(let n), .messageHeader(let n):
            return n
        case .stepOutput(_, let n), .workflowInput(_, let n), .workflowOutput(_, let n): return n
        case .sourceDescription(_, let r): return r
        case .component(_, let n): return n
        }
    }

    /// Whether the expression reads the HTTP exchange of the current step (`$url`, `$method`,
    /// `$statusCode`, `$request.*`, `$response.*`).
    public var readsHTTPExchange: Bool {
        switch source {
        case .url, .method, .statusCode, .requestHeader, .requestQuery, .requestPath, .requestBody,
            .responseHeader, .responseBody:
            return true
        default:
            return false
        }
    }

    /// Whether the expression reads the message of an asynchronous step (`$message.*`, 1.1).
    public var readsMessage: Bool {
        switch source {
        case .messageHeader, .messagePayload: return true
        default: return false
        }
    }
}

/// A lenient form the parser accepted, with the rule it breaks and the canonical text.
struct LenientForm: Sendable, Hashable {
    /// The catalogue code (`pointer-missing-slash`, `dotted-navigation`).
    var code: String
    /// Offset of the offending character within the expression text.
    var offset: Int
    /// The warning, quoting the rule.
    var message: String
    /// The whole expression as it should be written.
    var canonical: String
}

/// Where an expression sits, which decides where it ends (A1).
enum ExpressionMode {
    /// The whole string (a `{expression}` field): ends at whitespace or the end.
    case standalone
    /// Inside `{…}` in a template: ends at `}`.
    case embedded
    /// An operand of a `simple` condition: ends at whitespace or a condition character.
    case condition
}

/// A hand-written recursive-descent parser over Unicode scalars; offsets are scalar indices.
struct ExpressionParser {
    let s: [Unicode.Scalar]
    let mode: ExpressionMode
    var i: Int
    let start: Int
    var lenientForms: [LenientForm] = []
    /// Which ABNF applies (1.1 adds `$self` and `$message`).
    let version: ExpressionVersion

    init(_ scalars: [Unicode.Scalar], mode: ExpressionMode, at index: Int, version: ExpressionVersion = .v1_0) {
        self.s = scalars
        self.mode = mode
        self.i = index
        self.start = index
        self.version = version
    }

    static let keywords = [
        "url", "method", "statusCode", "request", "response", "inputs", "outputs", "steps", "workflows",
        "sourceDescriptions", "components",
    ]

    /// The roots of the 1.1 ABNF.
    static let keywords11 = keywords + ["message", "self"]

    /// The expression roots of this parser's version (for messages and suggestions).
    var versionKeywords: [String] { version == .v1_1 ? Self.keywords11 : Self.keywords }

    static func isConditionSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r"
    }

    /// Characters that end an expression in the current mode.
    func isBoundary(_ c: Unicode.Scalar) -> Bool {
        if c == "{" || c == "}" { return true }
        switch mode {
        case .standalone, .embedded:
            return c.properties.isWhitespace
        case .condition:
            switch c {
            case " ", "\t", "\n", "\r", "(", ")", "=", "!", "<", ">", "&", "|", "[": return true
            default: return false
            }
        }
    }

    /// Characters that end a JSON pointer: like ``isBoundary(_:)`` but `[` belongs to the pointer.
    func isPointerBoundary(_ c: Unicode.Scalar) -> Bool {
        c == "[" ? false : isBoundary(c)
    }

    var atEnd: Bool { i >= s.count }
    var atBoundary: Bool { i >= s.count || isBoundary(s[i]) }

    func text(_ from: Int, _ to: Int) -> String { makeString(s, from, to) }

    static func quoted(_ c: Unicode.Scalar) -> String {
        if c == " " { return "a space" }
        if c == "\t" { return "a tab" }
        if c == "\n" || c == "\r" { return "a line break" }
        return "`\(Character(c))`"
    }

    static func trailingMessage(_ c: Unicode.Scalar, after expression: String) -> String {
        if c.properties.isWhitespace {
            return "unexpected \(quoted(c)) after `\(expression)`; a runtime expression ends at whitespace (use `{\(expression)}` to embed it in text)"
        }
        return "unexpected \(quoted(c)) after `\(expression)`"
    }

    func error(_ message: String, at offset: Int, fix: ExpressionFix? = nil) -> ExpressionError {
        var error = ExpressionError(message, offset: offset)
        error.fix = fix
        return error
    }

    mutating func parse() throws(ExpressionError) -> RuntimeExpression {
        guard !atEnd, s[i] == "$" else {
            throw error("a runtime expression starts with `$`", at: i)
        }
        i += 1
        let keywordStart = i
        while !atEnd, s[i].isASCIILetter { i += 1 }
        let keyword = text(keywordStart, i)
        switch keyword {
        case "url": return try fixed(.url, keyword)
        case "method": return try fixed(.method, keyword)
        case "statusCode": return try fixed(.statusCode, keyword)
        case "request", "response": return try httpSource(request: keyword == "request")
        case "inputs", "outputs":
            try expectDot(after: "$\(keyword)", expecting: keyword == "inputs" ? "an input name" : "an output name")
            let nameOffset = i
            let name = try readName(stopAtDot: false, stopAtHash: true, what: keyword == "inputs" ? "an input name" : "an output name", after: "$\(keyword).", identifier: .dotted)
            let pointer = try optionalPointer()
            return make(keyword == "inputs" ? .inputs(name) : .outputs(name), pointer: pointer, id: nil, name: nameOffset)
        case "steps": return try steps()
        case "workflows": return try workflows()
        case "sourceDescriptions":
            try expectDot(after: "$sourceDescriptions", expecting: "a source description name")
            let idOffset = i
            let sourceName = try readName(stopAtDot: true, stopAtHash: true, what: "a source description name", after: "$sourceDescriptions.", identifier: .strict)
            guard !atEnd, s[i] == "." else {
                throw error("expected `.` and an operationId, workflowId or field after `$sourceDescriptions.\(sourceName)`", at: i)
            }
            i += 1
            let nameOffset = i
            let reference = try readName(stopAtDot: false, stopAtHash: false, what: "an operationId, workflowId or field name", after: "$sourceDescriptions.\(sourceName).")
            return make(.sourceDescription(name: sourceName, reference: reference), pointer: nil, id: idOffset, name: nameOffset)
        case "components": return try components()
        case "self" where version == .v1_1: return try fixed(.selfURI, keyword)
        case "message" where version == .v1_1: return try message()
        case "self", "message":
            // No fix-it: the expression needs the document to be 1.1, which is another field.
            throw error("`$\(keyword)` is an Arazzo 1.1 runtime expression; this document is Arazzo 1.0.1 (declare `arazzo: 1.1.0` to use it)", at: start)
        default:
            if keyword.isEmpty {
                throw error("expected an expression name after `$` (one of \(versionKeywords.map { "`$\($0)`" }.joined(separator: ", ")))", at: i)
            }
            var message = "unknown runtime expression `$\(keyword)`"
            if let suggestion = suggest(keyword, among: versionKeywords) {
                message += "; did you mean `$\(suggestion)`?"
            } else {
                message += " (expected one of \(versionKeywords.map { "`$\($0)`" }.joined(separator: ", ")))"
            }
            throw error(message, at: keywordStart)
        }
    }

    func make(_ source: RuntimeExpression.Source, pointer: JSONPointer?, id: Int?, name: Int?) -> RuntimeExpression {
        RuntimeExpression(
            text: text(start, i), source: source, pointer: pointer, idOffset: id.map { $0 - start },
            nameOffset: name.map { $0 - start }, lenientForms: lenientForms)
    }

    /// `$url`, `$method`, `$statusCode`: nothing may follow except, in conditions, navigation.
    mutating func fixed(_ source: RuntimeExpression.Source, _ keyword: String) throws(ExpressionError) -> RuntimeExpression {
        if !atBoundary {
            if mode == .condition && s[i] == "." {
                return make(source, pointer: nil, id: nil, name: nil)
            }
            throw error("unexpected \(Self.quoted(s[i])) after `$\(keyword)`", at: i)
        }
        return make(source, pointer: nil, id: nil, name: nil)
    }

    mutating func expectDot(after prefix: String, expecting what: String) throws(ExpressionError) {
        guard !atEnd, s[i] == "." else {
            throw error("expected `.` and \(what) after `\(prefix)`", at: i)
        }
        i += 1
    }

    /// The 1.1 ABNF's character sets for names.
    enum IdentifierRule {
        /// `identifier-strict`: step, workflow and source description ids (`[A-Za-z0-9_-]+`).
        case strict
        /// `identifier`: input, output and component names (`[A-Za-z0-9._-]+`).
        case dotted
    }

    /// Reads a name up to the boundary (and `.`/`#` when asked); empty names are errors. Under
    /// 1.1, a name with an `identifier` rule may hold only that rule's characters; `[` and `]`
    /// stay allowed so the evident `.member`/`[n]` navigation of A2 reads as under 1.0.
    mutating func readName(
        stopAtDot: Bool, stopAtHash: Bool, what: String, after prefix: String, identifier: IdentifierRule? = nil
    ) throws(ExpressionError) -> String {
        let from = i
        while !atBoundary {
            let c = s[i]
            if stopAtDot && c == "." { break }
            if stopAtHash && c == "#" { break }
            i += 1
        }
        if from == i {
            throw error("expected \(what) after `\(prefix)`", at: i)
        }
        if version == .v1_1, let identifier {
            for k in from..<i {
                let c = s[k]
                if c.isASCIILetter || c.isASCIIDigit || c == "-" || c == "_" || c == "[" || c == "]" { continue }
                if c == ".", identifier == .dotted { continue }
                let allowed = identifier == .strict ? "letters, digits, `-` and `_`" : "letters, digits, `.`, `-` and `_`"
                throw error("\(Self.quoted(c)) is not allowed in \(what): Arazzo 1.1 names here have only \(allowed)", at: k)
            }
        }
        return text(from, i)
    }

    mutating func optionalPointer() throws(ExpressionError) -> JSONPointer? {
        guard !atEnd, s[i] == "#" else { return nil }
        i += 1
        let from = i
        while !atEnd, !isPointerBoundary(s[i]) { i += 1 }
        var pointerText = text(from, i)
        if !pointerText.isEmpty, !pointerText.hasPrefix("/") {
            // `$response.body#id`: RFC 6901 pointers start with `/`; the only reading is `#/id`.
            let canonical = text(start, from) + "/" + pointerText
            pointerText = "/" + pointerText
            lenientForms.append(LenientForm(
                code: "pointer-missing-slash", offset: from - start,
                message: "a JSON Pointer starts with `/` (RFC 6901 §3: `json-pointer = *( \"/\" reference-token )`); `\(text(start, i))` is read as `\(canonical)`",
                canonical: canonical))
        }
        do {
            return try JSONPointer(parsing: pointerText)
        } catch {
            throw ExpressionError("invalid JSON pointer: \(error.message)", offset: from + (error.offset ?? 0))
        }
    }

    mutating func httpSource(request: Bool) throws(ExpressionError) -> RuntimeExpression {
        let prefix = request ? "$request" : "$response"
        try expectDot(after: prefix, expecting: "`header`, `query`, `path` or `body`")
        let fieldStart = i
        while !atEnd, s[i].isASCIILetter { i += 1 }
        let field = text(fieldStart, i)
        switch field {
        case "header":
            try expectDot(after: "\(prefix).header", expecting: "a header name")
            let nameOffset = i
            let token = try headerToken(after: "\(prefix).header.")
            return make(request ? .requestHeader(token) : .responseHeader(token), pointer: nil, id: nil, name: nameOffset)
        case "query", "path":
            try expectDot(after: "\(prefix).\(field)", expecting: "a parameter name")
            let nameOffset = i
            let name = try readName(stopAtDot: false, stopAtHash: false, what: "a parameter name", after: "\(prefix).\(field).")
            let source: RuntimeExpression.Source =
                field == "query" ? .requestQuery(name) : .requestPath(name)
            if !request {
                throw error("`$response.\(field)` does not exist: responses have only `header` and `body`", at: fieldStart)
            }
            return make(source, pointer: nil, id: nil, name: nameOffset)
        case "body":
            return try bodyLike(request ? .requestBody : .responseBody, prefix: "\(prefix).body")
        case "payload" where version == .v1_1:
            // 1.1: `source` includes `payload-reference`; an HTTP message's payload is its body.
            return try bodyLike(request ? .requestBody : .responseBody, prefix: "\(prefix).payload")
        case "payload":
            throw error(
                "`\(prefix).payload` is Arazzo 1.1; in Arazzo 1.0.1 an HTTP body is read with `\(prefix).body`", at: fieldStart,
                fix: replacing(fieldStart, i, with: "body"))
        default:
            let fields = request ? ["header", "query", "path", "body"] : ["header", "body"]
            let listed = fields.map { "`\($0)`" }.joined(separator: ", ")
            throw error(unknownField(
                field, among: fields, empty: "expected \(listed) after `\(prefix).`",
                unknown: "unknown field `\(field)` in `\(prefix).\(field)`", otherwise: " (expected \(listed))"), at: fieldStart)
        }
    }

    /// A body or payload after its keyword: an optional JSON pointer, or (in conditions) `.`
    /// navigation left to the condition, or (elsewhere) `.`/`[n]` navigation read as a pointer.
    mutating func bodyLike(_ source: RuntimeExpression.Source, prefix: String) throws(ExpressionError) -> RuntimeExpression {
        let pointer = try optionalPointer()
        if pointer == nil, !atBoundary {
            if mode == .condition && s[i] == "." {
                return make(source, pointer: nil, id: nil, name: nil)
            }
            if s[i] == "." || s[i] == "[" {
                let pointer = try bodyNavigation(prefix: prefix)
                return make(source, pointer: pointer, id: nil, name: nil)
            }
            throw error("unexpected \(Self.quoted(s[i])) after `\(prefix)`", at: i)
        }
        return make(source, pointer: pointer, id: nil, name: nil)
    }

    /// `$message.header.<token>` or `$message.payload[#pointer]` (1.1).
    mutating func message() throws(ExpressionError) -> RuntimeExpression {
        try expectDot(after: "$message", expecting: "`header` or `payload`")
        let fieldStart = i
        while !atEnd, s[i].isASCIILetter { i += 1 }
        let field = text(fieldStart, i)
        switch field {
        case "header":
            try expectDot(after: "$message.header", expecting: "a header name")
            let nameOffset = i
            let token = try headerToken(after: "$message.header.")
            return make(.messageHeader(token), pointer: nil, id: nil, name: nameOffset)
        case "payload":
            return try bodyLike(.messagePayload, prefix: "$message.payload")
        case "body":
            throw error(
                "a message has no `body`: its content is read with `$message.payload`", at: fieldStart,
                fix: replacing(fieldStart, i, with: "payload"))
        default:
            throw error(unknownField(
                field, among: ["header", "payload"], empty: "expected `header` or `payload` after `$message.`",
                unknown: "unknown field `\(field)` in `$message.\(field)`", otherwise: " (a message has `header` and `payload`)"), at: fieldStart)
        }
    }

    /// The message for a field after a fixed prefix that is not one of `fields`: `empty` when no
    /// field was written, else `unknown` followed by a did-you-mean, or by `otherwise` when no
    /// field is close enough.
    func unknownField(_ field: String, among fields: [String], empty: String, unknown: String, otherwise: String) -> String {
        guard !field.isEmpty else { return empty }
        if let suggestion = suggest(field, among: fields) { return unknown + "; did you mean `\(suggestion)`?" }
        return unknown + otherwise
    }

    /// The whole parsed string with scalars `from..<to` replaced: the fix-it of an error whose
    /// correction is evident.
    func replacing(_ from: Int, _ to: Int, with replacement: String) -> ExpressionFix {
        ExpressionFix("write `\(replacement)`", text: makeString(s, 0, from) + replacement + makeString(s, to, s.count))
    }

    /// `.member` and `[n]` navigation after `$request.body`/`$response.body` outside a condition
    /// (`$response.body.items[0].id`): the ABNF allows only `body#/pointer` there, but the
    /// meaning is evident, so it is read as that pointer and reported as a lenient form.
    mutating func bodyNavigation(prefix: String) throws(ExpressionError) -> JSONPointer {
        let navigationStart = i
        var tokens: [String] = []
        while !atEnd, s[i] == "." || s[i] == "[" {
            if s[i] == "." {
                i += 1
                let memberStart = i
                while !atBoundary, s[i] != ".", s[i] != "[", s[i] != "#" { i += 1 }
                if memberStart == i {
                    throw error("expected a member name after `.`; to reach into the body write a JSON pointer, e.g. `\(prefix)#/status`", at: i)
                }
                tokens.append(text(memberStart, i))
            } else {
                i += 1
                let digitsStart = i
                while !atEnd, s[i].isASCIIDigit { i += 1 }
                guard digitsStart < i, !atEnd, s[i] == "]" else {
                    throw error("expected a 0-based index and `]`; to reach into the body write a JSON pointer, e.g. `\(prefix)#/0`", at: i)
                }
                tokens.append(text(digitsStart, i))
                i += 1
            }
        }
        if !atEnd, s[i] == "#" {
            // `$response.body.data#/id`: the pointer continues the navigation.
            if let rest = try optionalPointer() { tokens += rest.tokens }
            lenientForms.removeAll { $0.code == "pointer-missing-slash" }
        }
        if !atBoundary {
            throw error("unexpected \(Self.quoted(s[i])) after `\(text(start, i))`", at: i)
        }
        let pointer = JSONPointer(tokens: tokens)
        let canonical = "\(prefix)#\(pointer)"
        lenientForms.append(LenientForm(
            code: "dotted-navigation", offset: navigationStart - start,
            message: "a runtime expression reaches into a body with a JSON Pointer (Arazzo §4.7: `body-reference = \"body\" [\"#\" json-pointer]`), not with `.` or `[n]`; `\(text(start, i))` is read as `\(canonical)`",
            canonical: canonical))
        return pointer
    }

    static func isTokenChar(_ c: Unicode.Scalar) -> Bool {
        guard c.isASCII else { return false }
        switch c {
        case "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~": return true
        default: return c.isASCIILetter || c.isASCIIDigit
        }
    }

    /// A header name (RFC 9110 token). In conditions `!`, `&` and `|` are token characters too,
    /// so an operator glued to a header name is ambiguous and rejected (notes §2.15 item 6).
    mutating func headerToken(after prefix: String) throws(ExpressionError) -> String {
        let from = i
        while !atEnd, Self.isTokenChar(s[i]) {
            if mode == .condition {
                let c = s[i]
                let next: Unicode.Scalar? = i + 1 < s.count ? s[i + 1] : nil
                if (c == "!" && next == "=") || (c == "&" && next == "&") || (c == "|" && next == "|") {
                    let op = c == "!" ? "!=" : (c == "&" ? "&&" : "||")
                    throw error("put a space before `\(op)`: header names may contain `\(Character(c))`, so `\(op)` right after one is ambiguous", at: i)
                }
            }
            i += 1
        }
        if from == i {
            if atEnd || isBoundary(s[i]) {
                throw error("expected a header name after `\(prefix)`", at: i)
            }
        }
        if !atBoundary {
            throw error("\(Self.quoted(s[i])) is not allowed in a header name", at: i)
        }
        return text(from, i)
    }

    mutating func steps() throws(ExpressionError) -> RuntimeExpression {
        try expectDot(after: "$steps", expecting: "a step id")
        let idOffset = i
        let stepId = try readName(stopAtDot: true, stopAtHash: true, what: "a step id", after: "$steps.", identifier: .strict)
        guard !atEnd, s[i] == "." else {
            throw error("expected `.outputs.<name>` after `$steps.\(stepId)`", at: i)
        }
        i += 1
        let fieldStart = i
        while !atBoundary, s[i] != ".", s[i] != "#" { i += 1 }
        let field = text(fieldStart, i)
        if field != "outputs" {
            // A3: `$steps.<id>.<name>` (the bnpl example) or a misspelt `outputs`.
            if !field.isEmpty, field.lowercased() != "outputs", suggest(field, among: ["outputs"]) != nil, !atEnd, s[i] == "." {
                throw error("unknown field `\(field)`; did you mean `outputs`?", at: fieldStart)
            }
            if field.lowercased() == "outputs" {
                throw error("unknown field `\(field)`; did you mean `outputs`?", at: fieldStart)
            }
            var end = i
            while end < s.count, !isBoundary(s[end]) { end += 1 }
            var rest = text(fieldStart, end)
            if rest.isEmpty { rest = "<name>" }
            throw error("`.outputs.` is missing: step outputs are read as `$steps.\(stepId).outputs.\(rest)`", at: fieldStart)
        }
        guard !atEnd, s[i] == "." else {
            throw error("expected `.` and an output name after `$steps.\(stepId).outputs`", at: i)
        }
        i += 1
        let nameOffset = i
        let name = try readName(stopAtDot: false, stopAtHash: true, what: "an output name", after: "$steps.\(stepId).outputs.", identifier: .dotted)
        let pointer = try optionalPointer()
        return make(.stepOutput(stepId: stepId, name: name), pointer: pointer, id: idOffset, name: nameOffset)
    }

    mutating func workflows() throws(ExpressionError) -> RuntimeExpression {
        try expectDot(after: "$workflows", expecting: "a workflow id")
        let idOffset = i
        let workflowId = try readName(stopAtDot: true, stopAtHash: true, what: "a workflow id", after: "$workflows.", identifier: .strict)
        guard !atEnd, s[i] == "." else {
            throw error("expected `.inputs.<name>` or `.outputs.<name>` after `$workflows.\(workflowId)`", at: i)
        }
        i += 1
        let fieldStart = i
        while !atBoundary, s[i] != ".", s[i] != "#" { i += 1 }
        let field = text(fieldStart, i)
        guard field == "inputs" || field == "outputs" else {
            throw error(unknownField(
                field, among: ["inputs", "outputs"], empty: "expected `inputs` or `outputs` after `$workflows.\(workflowId).`",
                unknown: "unknown field `\(field)`", otherwise: "; expected `inputs` or `outputs`"), at: fieldStart)
        }
        guard !atEnd, s[i] == "." else {
            throw error("expected `.` and a name after `$workflows.\(workflowId).\(field)`", at: i)
        }
        i += 1
        let nameOffset = i
        let name = try readName(stopAtDot: false, stopAtHash: true, what: "a name", after: "$workflows.\(workflowId).\(field).", identifier: .dotted)
        let pointer = try optionalPointer()
        let source: RuntimeExpression.Source =
            field == "inputs"
            ? .workflowInput(workflowId: workflowId, name: name) : .workflowOutput(workflowId: workflowId, name: name)
        return make(source, pointer: pointer, id: idOffset, name: nameOffset)
    }

    mutating func components() throws(ExpressionError) -> RuntimeExpression {
        try expectDot(after: "$components", expecting: "a component kind")
        let kindStart = i
        while !atBoundary, s[i] != ".", s[i] != "#" { i += 1 }
        let kindText = text(kindStart, i)
        let kinds = RuntimeExpression.ComponentKind.allCases.map(\.rawValue)
        guard let kind = RuntimeExpression.ComponentKind(rawValue: kindText) else {
            var message = kindText.isEmpty ? "expected a component kind after `$components.`" : "unknown component kind `\(kindText)`"
            if !kindText.isEmpty, let suggestion = suggest(kindText, among: kinds) {
                message += "; did you mean `\(suggestion)`?"
            } else {
                message += " (expected one of \(kinds.map { "`\($0)`" }.joined(separator: ", ")))"
            }
            throw error(message, at: kindStart)
        }
        guard !atEnd, s[i] == "." else {
            throw error("expected `.` and a component name after `$components.\(kindText)`", at: i)
        }
        i += 1
        let nameOffset = i
        let name = try readName(stopAtDot: false, stopAtHash: true, what: "a component name", after: "$components.\(kindText).", identifier: .dotted)
        if !atEnd, s[i] == "#" {
            throw error("`$components.\(kindText).\(name)` names a component; it takes no JSON pointer", at: i)
        }
        return make(.component(kind, name: name), pointer: nil, id: nil, name: nameOffset)
    }
}

extension Unicode.Scalar {
    /// `A`–`Z` or `a`–`z` (cheaper than a Unicode property lookup).
    var isASCIILetter: Bool { (value >= 65 && value <= 90) || (value >= 97 && value <= 122) }
    /// `0`–`9`.
    var isASCIIDigit: Bool { value >= 48 && value <= 57 }
}

/// The string made of `scalars[from..<to]`, written as UTF-8 in one allocation (appending scalars
/// to a `String.UnicodeScalarView` one by one is several times slower).
func makeString(_ scalars: [Unicode.Scalar], _ from: Int, _ to: Int) -> String {
    guard from < to else { return "" }
    var length = 0
    for k in from..<to { length += UTF8.width(scalars[k]) }
    return String(unsafeUninitializedCapacity: length) { buffer in
        var n = 0
        for k in from..<to {
            UTF8.encode(scalars[k]) { byte in
                buffer[n] = byte
                n += 1
            }
        }
        return n
    }
}
