package import ArazzoDiagnostics
package import ArazzoJSON
internal import CYAML

/// Bounds that keep a hostile document from exhausting memory or the stack.
package struct YAMLLimits: Sendable, Hashable {
    /// The deepest nesting of sequences and mappings accepted.
    package var maxDepth: Int
    /// The most nodes the document may stand for once every alias is expanded (alias bombs).
    package var maxNodes: Int

    /// Creates limits.
    package init(maxDepth: Int = 512, maxNodes: Int = 2_000_000) {
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    /// The defaults: depth 512, two million expanded nodes.
    package static let `default` = YAMLLimits()
}

/// Parses YAML 1.2 (and JSON, which is YAML) into a located ``YAMLNode`` tree using the system
/// libyaml's event API.
///
/// Plain scalars are typed by the YAML 1.2 core schema (`yes`/`on` stay strings, `0x1F` is an
/// integer, `.inf` a number); quoted and block scalars are strings. A stream must hold exactly one
/// document. Every failure is a ``Diagnostic`` with the file, line and column of the cause.
package enum YAMLParser {
    /// Parses `text`; `file` names it in locations and messages.
    package static func parse(_ text: String, file: String, limits: YAMLLimits = .default) throws(Diagnostic) -> YAMLNode {
        var text = text
        // `withUTF8` only rethrows untyped errors, so carry the typed result out of the closure.
        let result = text.withUTF8 { buffer in
            Result { () throws(Diagnostic) in try parse(buffer, file: file, limits: limits) }
        }
        return try result.get()
    }

    /// Parses UTF-8 (or BOM-marked UTF-16) bytes; `file` names them in locations and messages.
    package static func parse(bytes: [UInt8], file: String, limits: YAMLLimits = .default) throws(Diagnostic) -> YAMLNode {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(Diagnostic) in try parse(buffer, file: file, limits: limits) }
        }
        return try result.get()
    }

    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, file: String, limits: YAMLLimits) throws(Diagnostic) -> YAMLNode {
        var builder = TreeBuilder(file: file, limits: limits)
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw Diagnostic.error("could not initialise the YAML parser (out of memory)", at: SourceLocation(file: file, line: 1, column: 1), code: "yaml-syntax")
        }
        defer { yaml_parser_delete(parser) }
        // libyaml reads from the pointer for the whole parse; `buffer` outlives it here.
        yaml_parser_set_input_string(parser, buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count)

        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else {
                throw syntaxError(parser.pointee, file: file, input: buffer)
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { break }
            try builder.handle(event)
        }
        guard let root = builder.root else {
            throw Diagnostic.error("the document is empty; expected a mapping", at: SourceLocation(file: file, line: 1, column: 1), code: "yaml-empty")
        }
        return root
    }

    /// Turns libyaml's problem text and marks into a located diagnostic.
    static func syntaxError(_ parser: yaml_parser_t, file: String, input: UnsafeBufferPointer<UInt8>) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        var mark = parser.problem_mark
        var message = problem
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) \(context)"
        }
        if parser.error == YAML_READER_ERROR {
            // Reader errors report a byte offset, not a line: say so plainly.
            message = "\(problem) at byte \(parser.problem_offset); the file must be UTF-8 or UTF-16 text"
            return Diagnostic.error(message, at: byteLocation(parser.problem_offset, in: input, file: file), code: "yaml-encoding")
        }
        mark = endOfInput(mark, input: input)
        return Diagnostic.error(
            message,
            at: SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1),
            code: "yaml-syntax")
    }

    /// The line and column of byte `offset` of UTF-8 `input` (a reader error's only position), so
    /// the caret lands on the offending byte; UTF-16 input (byte order mark) points at 1:1.
    static func byteLocation(_ offset: Int, in input: UnsafeBufferPointer<UInt8>, file: String) -> SourceLocation {
        let isUTF16 = input.count >= 2 && ((input[0] == 0xFF && input[1] == 0xFE) || (input[0] == 0xFE && input[1] == 0xFF))
        guard !isUTF16, offset >= 0, offset <= input.count else { return SourceLocation(file: file, line: 1, column: 1) }
        var line = 1
        var column = 1
        var previous: UInt8 = 0
        for byte in input[..<offset] {
            if byte == 0x0A {
                if previous != 0x0D { line += 1 }
                column = 1
            } else if byte == 0x0D {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            previous = byte
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    /// libyaml ends a stream that lacks a final line break on a line of its own, one past the last
    /// line of the file; an error found there (truncated input) is moved to just after the last
    /// character, a place the user can see. UTF-16 input keeps libyaml's mark.
    static func endOfInput(_ mark: yaml_mark_t, input: UnsafeBufferPointer<UInt8>) -> yaml_mark_t {
        guard mark.column == 0, mark.line > 0, let last = input.last, last != 0x0A, last != 0x0D else { return mark }
        if input.count >= 2, (input[0] == 0xFF && input[1] == 0xFE) || (input[0] == 0xFE && input[1] == 0xFF) {
            return mark
        }
        // The mark is past the end when it sits one line below the last line (CRLF counts once).
        var breaks = 0
        var previous: UInt8 = 0
        for byte in input {
            if byte == 0x0A, previous != 0x0D { breaks += 1 } else if byte == 0x0D { breaks += 1 }
            previous = byte
        }
        guard mark.line == breaks + 1 else { return mark }
        var start = input.count
        while start > 0, input[start - 1] != 0x0A, input[start - 1] != 0x0D { start -= 1 }
        // Columns count characters: every byte that does not continue a UTF-8 sequence.
        var characters = 0
        for byte in input[start...] where byte & 0xC0 != 0x80 { characters += 1 }
        var moved = mark
        moved.line -= 1
        moved.column = characters
        return moved
    }
}

/// Builds the node tree from the event stream, one container frame per open sequence/mapping.
struct TreeBuilder {
    /// One open collection. A struct mutated in place through `stack[top]`, so appending an item
    /// never copies the items gathered so far (an enum payload taken out and put back did: a
    /// sequence or mapping of n entries cost O(n²)).
    struct Frame {
        enum Kind { case sequence, mapping }
        let kind: Kind
        let start: SourceLocation
        let tag: String?
        let anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLNode.Pair] = []
        /// Nodes the collection stands for once aliases are expanded (itself included).
        var size = 1
        /// The key read, waiting for its value (mappings).
        var pendingKey: (String, SourceLocation, SourcePosition)?
        /// Keys read so far with their locations (mappings), for duplicate detection.
        var seen: [String: SourceLocation] = [:]

        /// Whether the next node is a mapping key.
        var expectsKey: Bool { kind == .mapping && pendingKey == nil }
    }

    let file: String
    let limits: YAMLLimits
    var stack: [Frame] = []
    var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    var totalNodes = 0
    var documents = 0
    var root: YAMLNode?

    init(file: String, limits: YAMLLimits) {
        self.file = file
        self.limits = limits
    }

    func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    func position(_ mark: yaml_mark_t) -> SourcePosition {
        SourcePosition(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    mutating func handle(_ event: yaml_event_t) throws(Diagnostic) {
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw Diagnostic.error(
                    "the file holds more than one YAML document; an Arazzo or OpenAPI description must be a single document",
                    at: location(event.start_mark), code: "yaml-multiple-documents")
            }
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let start = location(event.start_mark)
            let text = data.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: Int(data.length)), as: UTF8.self) } ?? ""
            let tag = try resolveTag(data.tag, at: start)
            let style = Self.style(data.style)
            let value = try Self.typedValue(text: text, style: style, tag: tag, at: start)
            let node = YAMLNode(kind: .scalar(.init(text: text, style: style, value: value)), location: start, end: position(event.end_mark), tag: tag)
            try add(node, size: 1, anchor: data.anchor, at: start)
        case YAML_ALIAS_EVENT:
            let start = location(event.start_mark)
            let name = event.data.alias.anchor.map { String(cString: $0) } ?? ""
            guard let target = anchors[name] else {
                throw Diagnostic.error("alias '*\(name)' refers to no anchor defined before it", at: start, code: "yaml-alias")
            }
            if stack.last?.expectsKey == true {
                throw Diagnostic.error("an alias cannot be used as a mapping key; keys must be plain strings", at: start, code: "yaml-key")
            }
            try add(target.node, size: target.size, anchor: nil, at: start, isAlias: true)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.data.sequence_start
            try startCollection(.sequence, tag: data.tag, anchor: data.anchor, at: event.start_mark)
        case YAML_MAPPING_START_EVENT:
            let data = event.data.mapping_start
            try startCollection(.mapping, tag: data.tag, anchor: data.anchor, at: event.start_mark)
        case YAML_SEQUENCE_END_EVENT:
            guard let frame = stack.popLast(), frame.kind == .sequence else { return }
            let node = YAMLNode(kind: .sequence(frame.items), location: frame.start, end: position(event.end_mark), tag: frame.tag)
            try add(node, size: frame.size, anchor: frame.anchor, at: frame.start, counted: true)
        case YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast(), frame.kind == .mapping else { return }
            let node = YAMLNode(kind: .mapping(frame.pairs), location: frame.start, end: position(event.end_mark), tag: frame.tag)
            try add(node, size: frame.size, anchor: frame.anchor, at: frame.start, counted: true)
        default:
            break
        }
    }

    /// Rejects a collection written where a mapping key is expected.
    /// Opens a sequence or mapping: it may not stand where a key is expected, and its tag, if
    /// any, must be the core schema's for its kind.
    mutating func startCollection(
        _ kind: Frame.Kind, tag rawTag: UnsafeMutablePointer<yaml_char_t>?, anchor: UnsafeMutablePointer<yaml_char_t>?,
        at mark: yaml_mark_t
    ) throws(Diagnostic) {
        let start = location(mark)
        let (name, coreTag) = kind == .sequence ? ("sequence", "tag:yaml.org,2002:seq") : ("mapping", "tag:yaml.org,2002:map")
        try checkKeyPosition(at: start, what: "a " + name)
        let tag = try resolveTag(rawTag, at: start)
        if let tag, tag != coreTag {
            throw Diagnostic.error("tag '\(tag)' cannot be applied to a \(name)", at: start, code: "yaml-tag")
        }
        try push(Frame(kind: kind, start: start, tag: tag, anchor: anchor.map { String(cString: $0) }), at: start)
    }

    func checkKeyPosition(at start: SourceLocation, what: String) throws(Diagnostic) {
        if stack.last?.expectsKey == true {
            throw Diagnostic.error("\(what) cannot be used as a mapping key; keys must be plain strings", at: start, code: "yaml-key")
        }
    }

    mutating func push(_ frame: Frame, at start: SourceLocation) throws(Diagnostic) {
        guard stack.count < limits.maxDepth else {
            throw Diagnostic.error("nesting is deeper than \(limits.maxDepth) levels; flatten the document", at: start, code: "yaml-depth")
        }
        stack.append(frame)
    }

    /// Adds a finished node to the innermost open container (or makes it the root).
    mutating func add(_ node: YAMLNode, size: Int, anchor rawAnchor: UnsafeMutablePointer<yaml_char_t>?, at start: SourceLocation, isAlias: Bool = false) throws(Diagnostic) {
        let anchor = rawAnchor.map { String(cString: $0) }
        try add(node, size: size, anchor: anchor, at: start, isAlias: isAlias)
    }

    mutating func add(_ node: YAMLNode, size: Int, anchor: String?, at start: SourceLocation, isAlias: Bool = false, counted: Bool = false) throws(Diagnostic) {
        if !counted {
            totalNodes += size
        } else {
            totalNodes += 1
        }
        if totalNodes > limits.maxNodes {
            let reason = isAlias ? "expanding this alias makes" : "the document has"
            throw Diagnostic.error("\(reason) more than \(limits.maxNodes) nodes; aliases may be nested too deeply (an alias bomb)", at: start, code: "yaml-too-large")
        }
        if let anchor {
            anchors[anchor] = (node, size)
        }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        switch stack[top].kind {
        case .sequence:
            stack[top].items.append(node)
            stack[top].size += size
        case .mapping:
            if let (key, keyLocation, keyEnd) = stack[top].pendingKey {
                stack[top].pairs.append(YAMLNode.Pair(key: key, keyLocation: keyLocation, keyEnd: keyEnd, value: node))
                stack[top].size += size
                stack[top].pendingKey = nil
            } else {
                guard case .scalar(let scalar) = node.kind else {
                    throw Diagnostic.error("mapping keys must be scalars", at: start, code: "yaml-key")
                }
                if anchor != nil {
                    throw Diagnostic.error("an anchor cannot be placed on a mapping key", at: start, code: "yaml-key")
                }
                if let first = stack[top].seen[scalar.text] {
                    throw Diagnostic.error(
                        "duplicate key '\(scalar.text)' (first defined at line \(first.line), column \(first.column)); remove one of them",
                        at: start, code: "yaml-duplicate-key")
                }
                stack[top].seen[scalar.text] = start
                stack[top].pendingKey = (scalar.text, start, node.end)
            }
        }
    }

    /// Accepts only the JSON-schema tags (and the non-specific `!`); anything else is an error.
    func resolveTag(_ raw: UnsafeMutablePointer<yaml_char_t>?, at start: SourceLocation) throws(Diagnostic) -> String? {
        guard let raw else { return nil }
        let tag = String(cString: raw)
        switch tag {
        case "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq":
            return tag
        default:
            let shown = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
            throw Diagnostic.error(
                "unsupported tag '\(shown)'; only the JSON types (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq) are allowed",
                at: start, code: "yaml-tag")
        }
    }

    static func style(_ style: yaml_scalar_style_t) -> YAMLNode.ScalarStyle {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: return .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: return .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: return .literal
        case YAML_FOLDED_SCALAR_STYLE: return .folded
        default: return .plain
        }
    }

    /// The value of a scalar: explicit tags first, then the core schema for plain scalars.
    static func typedValue(text: String, style: YAMLNode.ScalarStyle, tag: String?, at start: SourceLocation) throws(Diagnostic) -> JSONValue {
        switch tag {
        case "!", "tag:yaml.org,2002:str":
            return .string(text)
        case "tag:yaml.org,2002:int":
            if case .int(let i) = CoreSchema.resolve(text) { return .int(i) }
            throw Diagnostic.error("'\(text)' is tagged !!int but is not an integer", at: start, code: "yaml-tag")
        case "tag:yaml.org,2002:float":
            switch CoreSchema.resolve(text) {
            case .int(let i): return .double(Double(i))
            case .double(let d): return .double(d)
            default: throw Diagnostic.error("'\(text)' is tagged !!float but is not a number", at: start, code: "yaml-tag")
            }
        case "tag:yaml.org,2002:bool":
            if case .bool(let b) = CoreSchema.resolve(text) { return .bool(b) }
            throw Diagnostic.error("'\(text)' is tagged !!bool but is not true or false", at: start, code: "yaml-tag")
        case "tag:yaml.org,2002:null":
            if case .null = CoreSchema.resolve(text) { return .null }
            throw Diagnostic.error("'\(text)' is tagged !!null but is not null", at: start, code: "yaml-tag")
        default:
            return style == .plain ? CoreSchema.resolve(text) : .string(text)
        }
    }
}

/// The YAML 1.2 core schema's rules for plain scalars (YAML 1.2.2 §10.3.2).
package enum CoreSchema {
    /// The value of a plain scalar: null, boolean, integer (decimal, `0o`, `0x`), float (including
    /// `.inf` and `.nan`), or else the string itself.
    package static func resolve(_ text: String) -> JSONValue {
        let utf8 = text.utf8
        guard let first = utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "~"):
            return utf8.count == 1 ? .null : .string(text)
        case UInt8(ascii: "n"), UInt8(ascii: "N"):
            return text == "null" || text == "Null" || text == "NULL" ? .null : .string(text)
        case UInt8(ascii: "t"), UInt8(ascii: "T"):
            return text == "true" || text == "True" || text == "TRUE" ? .bool(true) : .string(text)
        case UInt8(ascii: "f"), UInt8(ascii: "F"):
            return text == "false" || text == "False" || text == "FALSE" ? .bool(false) : .string(text)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."):
            return number(text) ?? .string(text)
        default:
            return .string(text)
        }
    }

    /// Parses the core schema's number forms; nil when `text` is not one.
    static func number(_ text: String) -> JSONValue? {
        let bytes = Array(text.utf8)
        // Special floats.
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
            if bytes[1] == UInt8(ascii: "o") {
                guard bytes.dropFirst(2).allSatisfy({ $0 >= 48 && $0 <= 55 }) else { return nil }
                if let i = Int(text.dropFirst(2), radix: 8) { return .int(i) }
                return .double(octalOrHexDouble(bytes.dropFirst(2), radix: 8))
            }
            if bytes[1] == UInt8(ascii: "x") {
                guard bytes.dropFirst(2).allSatisfy({ isHex($0) }) else { return nil }
                if let i = Int(text.dropFirst(2), radix: 16) { return .int(i) }
                return .double(octalOrHexDouble(bytes.dropFirst(2), radix: 16))
            }
        }
        // [-+]?[0-9]+  |  [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        let intStart = i
        while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        let intDigits = i - intStart
        if i == bytes.count {
            guard intDigits > 0 else { return nil }
            if let value = Int(text) { return .int(value) }
            return Double(text).map { .double($0) }
        }
        var fracDigits = 0
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fracStart = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            fracDigits = i - fracStart
        }
        guard intDigits > 0 || fracDigits > 0 else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
            let expStart = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            guard i > expStart else { return nil }
        }
        guard i == bytes.count else { return nil }
        // Swift's Double parser does not accept a trailing "." ("1."): add the zero it implies.
        let normalised = text.hasSuffix(".") ? text + "0" : text
        return Double(normalised).map { .double($0) }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    private static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102) }

    private static func octalOrHexDouble(_ digits: ArraySlice<UInt8>, radix: Double) -> Double {
        var value = 0.0
        for b in digits {
            let digit: Double
            switch b {
            case 48...57: digit = Double(b - 48)
            case 65...70: digit = Double(b - 55)
            default: digit = Double(b - 87)
            }
            value = value * radix + digit
        }
        return value
    }
}
