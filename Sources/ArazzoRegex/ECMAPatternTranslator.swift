import ArazzoDiagnostics
/// Rewrites an ECMA-262 pattern into an ICU pattern with the same meaning.
///
/// ICU differs from ECMA-262 in ways that silently change results (Unicode `\d`/`\w`/`\s`, `$`
/// before a final newline, `.` and `\r\n`, `[\b]`, `[^]`) and it accepts syntax ECMA rejects
/// (possessive quantifiers, inline flags, POSIX classes). Every construct is therefore parsed and
/// re-emitted explicitly instead of passed through: the output never relies on an ICU default.
/// Literal characters inside classes are emitted as `\x{…}` so ICU's set syntax (`[[…]]` nesting,
/// `&&`, `--`) can never be triggered by ECMA text.
struct ECMAPatternTranslator {
    /// The flags that change translation.
    struct Options {
        var unicode = false
        var dotAll = false
        var multiline = false
    }

    /// What the last emitted item was, which decides whether a quantifier may follow.
    /// `lookahead` is a lookahead assertion, which Annex B lets be quantified without `u`.
    /// `empty` is an atom that always matches the empty string (a reference to a group that can
    /// never have captured); quantifying it changes nothing, and ICU mishandles such loops.
    private enum Last { case nothing, atom, empty, assertion, lookahead, quantified }
    private enum GroupKind { case capturing, nonCapturing, lookahead, lookbehind }

    /// An item inside a character class: one code point, or a nested set in ICU syntax.
    private enum ClassAtom {
        case codePoint(UInt32)
        case set(String)
    }

    /// Groups may nest this deep. ICU refuses deeper nesting anyway (somewhere below 100 levels),
    /// and the translator keeps per-group state proportional to the depth, so a 64 Ki pattern of
    /// `(` would otherwise take gigabytes before ICU says no.
    static let maximumGroupDepth = 64

    static let lineTerminators = "\\x{0A}\\x{0D}\\x{2028}\\x{2029}"
    /// ECMA-262 WhiteSpace plus LineTerminator: what `\s` means there (not ICU's Unicode `\s`).
    static let whitespace =
        "\\x{09}-\\x{0D}\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"
    static let wordClass = "A-Za-z0-9_"
    static let wordBoundary = "(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))"
    static let notWordBoundary = "(?:(?<=[A-Za-z0-9_])(?=[A-Za-z0-9_])|(?<![A-Za-z0-9_])(?![A-Za-z0-9_]))"

    private let scalars: [Unicode.Scalar]
    /// `characterOffset[i]` is the `Character` index containing scalar `i` (plus one past the end).
    private let characterOffset: [Int]
    private let options: Options
    private var position = 0
    private var output = ""
    private var last = Last.nothing
    private var groups: [GroupKind] = []
    /// Where each open group begins in `output` (UTF-8 offset), parallel to `groups`.
    private var groupOutputStarts: [Int] = []
    /// Where the last closed group begins in `output`, for wrapping a quantified lookahead.
    private var lastGroupOutputStart = 0
    /// The capture number of each open group (nil for non-capturing ones), parallel to `groups`.
    private var openCaptureNumbers: [Int?] = []
    /// The enclosing groups of the current position, outermost first (`-1` is the pattern
    /// itself), each with the index of the alternative being translated in it.
    private var alternativePath: [(group: Int, alternative: Int)] = [(-1, 0)]
    private var nextGroupID = 0
    private var capturesOpened = 0
    /// `alternativePath` at the opening of each capture group, by capture number.
    private var capturePaths: [Int: [(group: Int, alternative: Int)]] = [:]
    private var closedCaptures: Set<Int> = []
    private var lookbehindDepth = 0
    /// Capture groups some back-reference names; each gets an empty marker group at its end.
    private var referencedGroups: Set<Int> = []
    /// ICU groups opened so far: ECMA captures plus markers.
    private var icuGroupsOpened = 0
    /// ICU number of each ECMA capture, and of its marker, by ECMA capture number.
    private var icuCaptureNumbers: [Int: Int] = [:]
    private var icuMarkerNumbers: [Int: Int] = [:]
    private var groupCount = 0
    private var groupNames: [String: Int] = [:]

    /// Translates `pattern`; throws the first ECMA-262 syntax error found.
    static func translate(_ pattern: String, options: Options) throws(RegexSyntaxError) -> String {
        var translator = ECMAPatternTranslator(pattern: pattern, options: options)
        try translator.scanGroups()
        try translator.translateAll()
        return translator.output
    }

    private init(pattern: String, options: Options) {
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        for (index, character) in pattern.enumerated() {
            for scalar in character.unicodeScalars {
                scalars.append(scalar)
                offsets.append(index)
            }
        }
        offsets.append(pattern.count)
        self.scalars = scalars
        self.characterOffset = offsets
        self.options = options
    }

    // MARK: - Helpers

    private func error(_ message: String, at scalarIndex: Int) -> RegexSyntaxError {
        let index = min(max(scalarIndex, 0), characterOffset.count - 1)
        return RegexSyntaxError(message: message, offset: characterOffset[index])
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        let index = position + ahead
        return index < scalars.count ? scalars[index] : nil
    }

    private static func hexValue(_ scalar: Unicode.Scalar?) -> UInt32? {
        guard let scalar else { return nil }
        switch scalar.value {
        case 0x30...0x39: return scalar.value - 0x30
        case 0x41...0x46: return scalar.value - 0x41 + 10
        case 0x61...0x66: return scalar.value - 0x61 + 10
        default: return nil
        }
    }

    private static func isDecimal(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return scalar.value >= 0x30 && scalar.value <= 0x39
    }

    private static func isOctal(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return scalar.value >= 0x30 && scalar.value <= 0x37
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return (0x41...0x5A).contains(scalar.value) || (0x61...0x7A).contains(scalar.value)
    }

    private static func codePointEscape(_ value: UInt32) -> String {
        "\\x{" + String(value, radix: 16, uppercase: true) + "}"
    }

    /// Emits a literal outside a class in a form ICU reads as exactly that character.
    private static func literal(_ value: UInt32) -> String {
        if let scalar = Unicode.Scalar(value) {
            if scalar.properties.isAlphabetic && value < 0x80 || isDecimal(scalar) { return String(scalar) }
            if value >= 0x80 && !scalar.properties.isWhitespace { return String(scalar) }
        }
        return codePointEscape(value)
    }

    /// ECMA SyntaxCharacter plus `/`: the only identity escapes allowed with the `u` flag.
    private static func isSyntaxCharacter(_ scalar: Unicode.Scalar) -> Bool {
        "^$\\.*+?()[]{}|/".unicodeScalars.contains(scalar)
    }

    // MARK: - Group pre-scan

    /// Counts capturing groups and collects group names first, because ECMA-262 lets `\2` and
    /// `\k<name>` refer to groups that open later in the pattern.
    private mutating func scanGroups() throws(RegexSyntaxError) {
        var index = 0
        var inClass = false
        var referencedNumbers: [Int] = []
        var referencedNames: [String] = []
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 1
                if !inClass, index < scalars.count {
                    if Self.isDecimal(scalars[index]), scalars[index] != "0" {
                        var digits = ""
                        while index < scalars.count, Self.isDecimal(scalars[index]) {
                            digits.unicodeScalars.append(scalars[index])
                            index += 1
                        }
                        if let number = Int(digits) { referencedNumbers.append(number) }
                        continue
                    }
                    if scalars[index] == "k", index + 1 < scalars.count, scalars[index + 1] == "<" {
                        var name = ""
                        var end = index + 2
                        while end < scalars.count, scalars[end] != ">" {
                            name.unicodeScalars.append(scalars[end])
                            end += 1
                        }
                        referencedNames.append(name)
                    }
                }
                index += 1
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
            } else if scalar == "[" {
                inClass = true
            } else if scalar == "(" {
                let next = index + 1 < scalars.count ? scalars[index + 1] : nil
                if next != "?" {
                    groupCount += 1
                } else if index + 2 < scalars.count, scalars[index + 2] == "<",
                    index + 3 < scalars.count, scalars[index + 3] != "=", scalars[index + 3] != "!"
                {
                    groupCount += 1
                    var end = index + 3
                    var name = ""
                    while end < scalars.count, scalars[end] != ">" {
                        name.unicodeScalars.append(scalars[end])
                        end += 1
                    }
                    guard end < scalars.count else {
                        throw error("group name is not closed with `>`", at: index + 3)
                    }
                    guard Self.isValidGroupName(name) else {
                        throw error("`\(name)` is not a valid group name", at: index + 3)
                    }
                    guard groupNames[name] == nil else {
                        throw error("duplicate group name `\(name)`", at: index + 3)
                    }
                    groupNames[name] = groupCount
                    index = end
                }
            }
            index += 1
        }
        referencedGroups = Set(referencedNumbers.filter { $0 <= groupCount } + referencedNames.compactMap { groupNames[$0] })
    }

    private static func isValidGroupName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first else { return false }
        guard first == "$" || first == "_" || first.properties.isIDStart else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "$" || $0 == "_" || $0 == "\u{200C}" || $0 == "\u{200D}" || $0.properties.isIDContinue
        }
    }

    // MARK: - Main translation

    private mutating func translateAll() throws(RegexSyntaxError) {
        while let scalar = peek() {
            let start = position
            switch scalar {
            case "\\":
                try translateEscape()
            case "[":
                try translateClass()
                last = .atom
            case "(":
                try openGroup()
            case ")":
                guard let kind = groups.popLast() else {
                    throw error("unmatched `)`; escape it as `\\)` to match a parenthesis", at: start)
                }
                lastGroupOutputStart = groupOutputStarts.removeLast()
                alternativePath.removeLast()
                if let number = openCaptureNumbers.removeLast() {
                    closedCaptures.insert(number)
                    if referencedGroups.contains(number) {
                        // The marker captures (empty) exactly when the group completes, which
                        // lets a reference tell "unset" apart from "does not match here".
                        icuGroupsOpened += 1
                        icuMarkerNumbers[number] = icuGroupsOpened
                        output += "()"
                    }
                }
                if kind == .lookbehind { lookbehindDepth -= 1 }
                position += 1
                output += ")"
                switch kind {
                case .lookbehind: last = .assertion
                case .lookahead: last = options.unicode ? .assertion : .lookahead
                case .capturing, .nonCapturing: last = .atom
                }
            case "|":
                position += 1
                alternativePath[alternativePath.count - 1].alternative += 1
                output += "|"
                last = .nothing
            case "*", "+", "?":
                position += 1
                try quantifier(String(scalar), at: start)
            case "{":
                if let (text, length) = try bracedQuantifier(at: position) {
                    position += length
                    try quantifier(text, at: start)
                } else if options.unicode {
                    throw error("lone `{`; escape it as `\\{`", at: start)
                } else {
                    position += 1
                    output += "\\{"
                    last = .atom
                }
            case "}", "]":
                if options.unicode {
                    throw error("lone `\(scalar)`; escape it as `\\\(scalar)`", at: start)
                }
                position += 1
                output += "\\" + String(scalar)
                last = .atom
            case ".":
                position += 1
                output += options.dotAll ? "[\\s\\S]" : "[^" + Self.lineTerminators + "]"
                last = .atom
            case "^":
                position += 1
                output += options.multiline ? "(?<![^" + Self.lineTerminators + "])" : "^"
                last = .assertion
            case "$":
                position += 1
                output += options.multiline ? "(?![^" + Self.lineTerminators + "])" : "\\z"
                last = .assertion
            default:
                position += 1
                output += Self.literal(scalar.value)
                last = .atom
            }
        }
        if !groups.isEmpty {
            throw error("missing `)`: a group is not closed", at: scalars.count)
        }
    }

    private mutating func openGroup() throws(RegexSyntaxError) {
        let start = position
        guard groups.count < Self.maximumGroupDepth else {
            throw error("groups are nested more than \(Self.maximumGroupDepth) levels deep; flatten the pattern", at: start)
        }
        position += 1
        let outputStart = output.utf8.count
        let kind: GroupKind
        switch (peek(), peek(1), peek(2)) {
        case ("?", ":", _):
            position += 2
            kind = .nonCapturing
            output += "(?:"
        case ("?", "=", _):
            position += 2
            kind = .lookahead
            output += "(?="
        case ("?", "!", _):
            position += 2
            kind = .lookahead
            output += "(?!"
        case ("?", "<", "="):
            position += 3
            kind = .lookbehind
            output += "(?<="
        case ("?", "<", "!"):
            position += 3
            kind = .lookbehind
            output += "(?<!"
        case ("?", "<", _):
            // The name was validated by the pre-scan; ICU gets a plain group and named
            // back-references become numbered ones, because ICU's name rules are narrower.
            while let scalar = peek(), scalar != ">" { position += 1 }
            position += 1
            kind = .capturing
            output += "("
        case ("?", _, _):
            throw error(
                "`(?` must be followed by `:`, `=`, `!`, `<=`, `<!` or `<name>`; inline flags and other ICU/PCRE group syntax are not ECMA-262",
                at: start)
        default:
            kind = .capturing
            output += "("
        }
        groups.append(kind)
        groupOutputStarts.append(outputStart)
        if kind == .capturing {
            capturesOpened += 1
            icuGroupsOpened += 1
            icuCaptureNumbers[capturesOpened] = icuGroupsOpened
            capturePaths[capturesOpened] = alternativePath
            openCaptureNumbers.append(capturesOpened)
        } else {
            openCaptureNumbers.append(nil)
        }
        if kind == .lookbehind { lookbehindDepth += 1 }
        alternativePath.append((nextGroupID, 0))
        nextGroupID += 1
        last = .nothing
    }

    /// A back-reference in ICU syntax. ICU fails a reference to a group that has not captured,
    /// where ECMA-262 matches the empty string; the cases where the group can never have
    /// captured are decided here, statically, and become an empty group.
    private func backReference(_ number: Int) -> String {
        if lookbehindDepth == 0 && isNeverCaptured(number) { return "(?:)" }
        let group = icuCaptureNumbers[number] ?? number
        guard let marker = icuMarkerNumbers[number] else { return "(?:\\\(group))" }
        // Set: match the captured text. Unset (the marker never captured): match empty.
        return "(?:\\\(marker)\\\(group)|(?!\\\(marker)))"
    }

    /// Whether group `number` is certainly unset at the current position: it has not closed yet
    /// (a forward or self reference; quantifiers clear inner captures on every iteration), or it
    /// lies in a different alternative of a disjunction that also holds the reference.
    private func isNeverCaptured(_ number: Int) -> Bool {
        guard closedCaptures.contains(number), let path = capturePaths[number] else { return true }
        for (groupLevel, hereLevel) in zip(path, alternativePath) {
            guard groupLevel.group == hereLevel.group else { return false }
            if groupLevel.alternative != hereLevel.alternative { return true }
        }
        return false
    }

    /// Parses `{n}`, `{n,}` or `{n,m}` at `index`; nil when the text there is not one.
    private func bracedQuantifier(at index: Int) throws(RegexSyntaxError) -> (String, Int)? {
        var cursor = index + 1
        func number() -> String? {
            var digits = ""
            while cursor < scalars.count, Self.isDecimal(scalars[cursor]) {
                digits.unicodeScalars.append(scalars[cursor])
                cursor += 1
            }
            return digits.isEmpty ? nil : digits
        }
        guard let low = number() else { return nil }
        var high: String? = low
        if cursor < scalars.count, scalars[cursor] == "," {
            cursor += 1
            high = number()
        }
        guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
        cursor += 1
        if let high, let lowValue = Int(low), let highValue = Int(high), lowValue > highValue {
            throw error("numbers out of order in `{\(low),\(high)}` quantifier", at: index)
        }
        // ICU caps repeat counts; ECMA treats huge counts as effectively unbounded, so clamp only
        // the textual form ICU sees when the number does not fit.
        let lowText = Int(low).map { String(min($0, 1_000_000)) } ?? "1000000"
        let text: String
        if high == nil {
            text = "{\(lowText),}"
        } else if high == low {
            text = "{\(lowText)}"
        } else {
            let highText = high.flatMap { Int($0) }.map { String(min($0, 1_000_000)) } ?? "1000000"
            text = "{\(lowText),\(highText)}"
        }
        return (text, cursor - index)
    }

    private mutating func quantifier(_ text: String, at start: Int) throws(RegexSyntaxError) {
        switch last {
        case .nothing:
            throw error("nothing to repeat before `\(text)`", at: start)
        case .assertion:
            throw error("an assertion cannot be repeated", at: start)
        case .quantified:
            if text == "+" {
                throw error("possessive quantifiers (`x*+`) are not ECMA-262; remove the `+`", at: start)
            }
            throw error("nothing to repeat: a quantifier cannot follow another quantifier", at: start)
        case .lookahead:
            // ICU mishandles quantified zero-width groups, so spell out what ECMA-262's
            // RepeatMatcher does: with a minimum of 0 the empty-iteration rule makes the assertion
            // optional; with a minimum of 1 or more it must hold (once is enough, nothing moves).
            if peek() == "?" { position += 1 }
            last = .quantified
            let minimum = text.hasPrefix("{") ? Int(text.dropFirst().prefix { $0.isNumber }) ?? 1 : (text == "+" ? 1 : 0)
            if minimum == 0 {
                let index = output.utf8.index(output.utf8.startIndex, offsetBy: lastGroupOutputStart)
                output.insert(contentsOf: "(?:", at: index)
                output += "|)"
            }
            return
        case .empty:
            if peek() == "?" { position += 1 }
            last = .quantified
            return
        case .atom:
            break
        }
        output += text
        if peek() == "?" {
            position += 1
            output += "?"
        }
        last = .quantified
    }

    // MARK: - Escapes outside classes

    private mutating func translateEscape() throws(RegexSyntaxError) {
        let start = position
        guard let escaped = peek(1) else {
            throw error("`\\` at end of pattern", at: start)
        }
        switch escaped {
        case "d", "D", "w", "W", "s", "S":
            position += 2
            output += Self.standaloneClass(escaped)
            last = .atom
        case "b":
            position += 2
            output += Self.wordBoundary
            last = .assertion
        case "B":
            position += 2
            output += Self.notWordBoundary
            last = .assertion
        case "1"..."9":
            position += 1
            var digits = ""
            var cursor = position
            while cursor < scalars.count, Self.isDecimal(scalars[cursor]) {
                digits.unicodeScalars.append(scalars[cursor])
                cursor += 1
            }
            if let number = Int(digits), number <= groupCount {
                position = cursor
                output += backReference(number)
                last = output.hasSuffix("(?:)") ? .empty : .atom
                return
            } else if options.unicode {
                throw error("back-reference \\\(digits) refers to a group that does not exist", at: start)
            } else if escaped == "8" || escaped == "9" {
                position += 1
                output += Self.literal(escaped.value)
            } else {
                output += Self.literal(legacyOctal())
            }
            last = .atom
        case "k" where options.unicode || !groupNames.isEmpty:
            position += 2
            guard peek() == "<" else { throw error("`\\k` must be followed by `<name>`", at: start) }
            position += 1
            var name = ""
            while let scalar = peek(), scalar != ">" {
                name.unicodeScalars.append(scalar)
                position += 1
            }
            guard peek() == ">" else { throw error("`\\k<` is not closed with `>`", at: start) }
            position += 1
            guard let number = groupNames[name] else {
                throw error("`\\k<\(name)>` refers to a group name that does not exist", at: start)
            }
            output += backReference(number)
            last = output.hasSuffix("(?:)") ? .empty : .atom
        case "p" where options.unicode, "P" where options.unicode:
            position += 2
            output += try propertyEscape(negated: escaped == "P", at: start)
            last = .atom
        default:
            position += 1
            let value = try characterEscape(at: start, inClass: false)
            output += Self.literal(value)
            last = .atom
        }
    }

    /// `\d` and friends as a bracketed ICU class.
    private static func standaloneClass(_ escaped: Unicode.Scalar) -> String {
        switch escaped {
        case "d": return "[0-9]"
        case "D": return "[^0-9]"
        case "w": return "[" + wordClass + "]"
        case "W": return "[^" + wordClass + "]"
        case "s": return "[" + whitespace + "]"
        default: return "[^" + whitespace + "]"
        }
    }

    private mutating func propertyEscape(negated: Bool, at start: Int) throws(RegexSyntaxError) -> String {
        guard peek() == "{" else { throw error("`\\p` must be followed by `{Property}`", at: start) }
        position += 1
        var body = ""
        while let scalar = peek(), scalar != "}" {
            guard Self.isASCIILetter(scalar) || Self.isDecimal(scalar) || scalar == "_" || scalar == "=" else {
                throw error("invalid character in Unicode property name", at: position)
            }
            body.unicodeScalars.append(scalar)
            position += 1
        }
        guard peek() == "}", !body.isEmpty else {
            throw error("`\\p{` is not closed with `}`", at: start)
        }
        position += 1
        return (negated ? "\\P{" : "\\p{") + body + "}"
    }

    /// Reads a legacy (Annex B) octal escape; `position` is at its first digit.
    private mutating func legacyOctal() -> UInt32 {
        var value: UInt32 = 0
        var count = 0
        while count < 3, let scalar = peek(), Self.isOctal(scalar) {
            let next = value * 8 + (scalar.value - 0x30)
            if next > 0o377 { break }
            value = next
            position += 1
            count += 1
        }
        return value
    }

    /// Reads an escape that denotes one character; `position` is at the character after `\`.
    private mutating func characterEscape(at start: Int, inClass: Bool) throws(RegexSyntaxError) -> UInt32 {
        guard let escaped = peek() else { throw error("`\\` at end of pattern", at: start) }
        switch escaped {
        case "f": position += 1; return 0x0C
        case "n": position += 1; return 0x0A
        case "r": position += 1; return 0x0D
        case "t": position += 1; return 0x09
        case "v": position += 1; return 0x0B
        case "c":
            if let letter = peek(1), Self.isASCIILetter(letter) {
                position += 2
                return letter.value % 32
            }
            if inClass, !options.unicode, let next = peek(1), Self.isDecimal(next) || next == "_" {
                position += 2
                return next.value % 32
            }
            if options.unicode { throw error("`\\c` must be followed by a letter A–Z", at: start) }
            // Annex B: an invalid `\c` is a literal backslash; the `c` is read as the next atom.
            return 0x5C
        case "0":
            if !Self.isDecimal(peek(1)) {
                position += 1
                return 0
            }
            if options.unicode { throw error("octal escapes are not allowed with the `u` flag", at: start) }
            return legacyOctal()
        case "1"..."9":
            // Inside a class a digit escape is never a back-reference.
            if options.unicode { throw error("`\\\(escaped)` is not allowed in a class with the `u` flag", at: start) }
            if escaped == "8" || escaped == "9" {
                position += 1
                return escaped.value
            }
            return legacyOctal()
        case "x":
            if let high = Self.hexValue(peek(1)), let low = Self.hexValue(peek(2)) {
                position += 3
                return high * 16 + low
            }
            if options.unicode { throw error("`\\x` must be followed by two hex digits", at: start) }
            position += 1
            return escaped.value
        case "u":
            return try unicodeEscape(at: start)
        default:
            if options.unicode {
                guard Self.isSyntaxCharacter(escaped) || (inClass && escaped == "-") else {
                    throw error("`\\\(escaped)` is not a valid escape with the `u` flag", at: start)
                }
            }
            position += 1
            return escaped.value
        }
    }

    /// `\uXXXX`, a `\uXXXX\uXXXX` surrogate pair, or (with the `u` flag) `\u{X…}`.
    private mutating func unicodeEscape(at start: Int) throws(RegexSyntaxError) -> UInt32 {
        if peek(1) == "{" {
            guard options.unicode else {
                throw error("`\\u{…}` needs the `u` flag; without it write `\\uXXXX`", at: start)
            }
            var cursor = position + 2
            var value: UInt32 = 0
            var digits = 0
            while cursor < scalars.count, let digit = Self.hexValue(scalars[cursor]) {
                value = value * 16 + digit
                digits += 1
                cursor += 1
                if value > 0x10FFFF {
                    throw error("`\\u{…}` value is above U+10FFFF", at: start)
                }
            }
            guard digits > 0, cursor < scalars.count, scalars[cursor] == "}" else {
                throw error("`\\u{` must be followed by hex digits and `}`", at: start)
            }
            position = cursor + 1
            return value
        }
        guard let value = fourHex(at: position + 1) else {
            if options.unicode { throw error("`\\u` must be followed by four hex digits", at: start) }
            position += 1
            return 0x75
        }
        position += 5
        // ICU matches code points, so a pair written as two escapes must become one code point.
        if (0xD800...0xDBFF).contains(value), peek() == "\\", peek(1) == "u",
            let low = fourHex(at: position + 2), (0xDC00...0xDFFF).contains(low)
        {
            position += 6
            return 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        return value
    }

    private func fourHex(at index: Int) -> UInt32? {
        guard index + 4 <= scalars.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = Self.hexValue(scalars[index + offset]) else { return nil }
            value = value * 16 + digit
        }
        return value
    }

    // MARK: - Character classes

    private mutating func translateClass() throws(RegexSyntaxError) {
        let start = position
        position += 1
        var negated = false
        if peek() == "^" {
            negated = true
            position += 1
        }
        if peek() == "]" {
            position += 1
            // `[]` never matches; `[^]` matches any code point, line terminators included.
            output += negated ? "[\\s\\S]" : "[^\\s\\S]"
            return
        }
        var body = ""
        while true {
            guard let scalar = peek() else {
                throw error("missing `]`: a character class is not closed", at: start)
            }
            if scalar == "]" {
                position += 1
                break
            }
            let atomStart = position
            let first = try classAtom()
            if peek() == "-", let after = peek(1), after != "]" {
                position += 1
                let secondStart = position
                let second = try classAtom()
                switch (first, second) {
                case let (.codePoint(low), .codePoint(high)):
                    guard low <= high else {
                        throw error("range out of order in character class", at: atomStart)
                    }
                    body += Self.codePointEscape(low) + "-" + Self.codePointEscape(high)
                default:
                    if options.unicode {
                        throw error("a class escape like `\\d` cannot be a range endpoint", at: secondStart)
                    }
                    body += Self.classText(first) + "\\-" + Self.classText(second)
                }
            } else {
                body += Self.classText(first)
            }
        }
        output += (negated ? "[^" : "[") + body + "]"
    }

    private static func classText(_ atom: ClassAtom) -> String {
        switch atom {
        case .codePoint(let value): return codePointEscape(value)
        case .set(let text): return text
        }
    }

    private mutating func classAtom() throws(RegexSyntaxError) -> ClassAtom {
        let start = position
        guard let scalar = peek() else { throw error("missing `]`: a character class is not closed", at: start) }
        if scalar == "[", let next = peek(1), next == ":" || next == "=" || next == "." {
            var cursor = position + 2
            while cursor + 1 < scalars.count {
                if scalars[cursor] == next, scalars[cursor + 1] == "]" {
                    throw error(
                        "POSIX classes like `[[:alpha:]]` are not ECMA-262; write the range, e.g. `[A-Za-z]`",
                        at: start)
                }
                cursor += 1
            }
        }
        guard scalar == "\\" else {
            position += 1
            return .codePoint(scalar.value)
        }
        guard let escaped = peek(1) else { throw error("`\\` at end of pattern", at: start) }
        switch escaped {
        case "d": position += 2; return .set("0-9")
        case "D": position += 2; return .set("[^0-9]")
        case "w": position += 2; return .set(Self.wordClass)
        case "W": position += 2; return .set("[^" + Self.wordClass + "]")
        case "s": position += 2; return .set(Self.whitespace)
        case "S": position += 2; return .set("[^" + Self.whitespace + "]")
        case "b": position += 2; return .codePoint(0x08)
        case "-": position += 2; return .codePoint(0x2D)
        case "p" where options.unicode, "P" where options.unicode:
            position += 2
            return .set(try propertyEscape(negated: escaped == "P", at: start))
        default:
            position += 1
            return .codePoint(try characterEscape(at: start, inClass: true))
        }
    }
}
