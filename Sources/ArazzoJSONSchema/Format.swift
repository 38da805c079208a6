import ArazzoJSON
import Foundation

/// A `format` the engine can assert (`JSONSchema.Options.assertFormat`).
///
/// String formats apply to strings only and number formats (OpenAPI's `int32`, `int64`, `float`,
/// `double`) to numbers only; any other value passes, as JSON Schema prescribes for formats. Checks
/// read bytes, so non-ASCII digits or letters never pass where the grammar wants ASCII.
enum FormatCheck: Sendable {
    case dateTime, date, time, duration, email, hostname, ipv4, ipv6, uri, uriReference, uuid, regex
    case jsonPointer, relativeJSONPointer
    case int32, int64, float, double

    /// The check for a format name, or nil when the format is not one this engine asserts.
    init?(_ name: String) {
        switch name {
        case "date-time": self = .dateTime
        case "date": self = .date
        case "time": self = .time
        case "duration": self = .duration
        case "email": self = .email
        case "hostname": self = .hostname
        case "ipv4": self = .ipv4
        case "ipv6": self = .ipv6
        case "uri": self = .uri
        case "uri-reference": self = .uriReference
        case "uuid": self = .uuid
        case "regex": self = .regex
        case "json-pointer": self = .jsonPointer
        case "relative-json-pointer": self = .relativeJSONPointer
        case "int32": self = .int32
        case "int64": self = .int64
        case "float": self = .float
        case "double": self = .double
        default: return nil
        }
    }

    /// What a violation says was expected.
    var expectation: String {
        switch self {
        case .dateTime: return "an RFC 3339 date-time (2024-05-01T12:00:00Z)"
        case .date: return "an RFC 3339 full-date (2024-05-01)"
        case .time: return "an RFC 3339 full-time with offset (12:00:00Z)"
        case .duration: return "an ISO 8601 duration (P1DT2H)"
        case .email: return "an email address"
        case .hostname: return "a hostname (RFC 1123)"
        case .ipv4: return "an IPv4 address in dotted-quad form"
        case .ipv6: return "an IPv6 address"
        case .uri: return "an absolute URI (RFC 3986)"
        case .uriReference: return "a URI reference (RFC 3986)"
        case .uuid: return "a UUID (8-4-4-4-12 hex digits)"
        case .regex: return "an ECMA-262 regular expression"
        case .jsonPointer: return "a JSON Pointer (RFC 6901)"
        case .relativeJSONPointer: return "a relative JSON Pointer"
        case .int32: return "an integer in the int32 range"
        case .int64: return "an integer in the int64 range"
        case .float: return "a number in the float range"
        case .double: return "a finite double"
        }
    }

    func admits(_ value: JSONValue) -> Bool {
        switch self {
        case .int32, .int64, .float, .double:
            return admitsNumber(value)
        default:
            guard case .string(let text) = value else { return true }
            return admitsString(Array(text.utf8), text)
        }
    }

    private func admitsNumber(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.int32, .int(let i)): return i >= Int(Int32.min) && i <= Int(Int32.max)
        case (.int32, .double(let d)): return d.rounded() == d && d >= Double(Int32.min) && d <= Double(Int32.max)
        case (.int64, .int): return true
        case (.int64, .double(let d)): return d.rounded() == d && d >= -9.223372036854775808e18 && d < 9.223372036854775808e18
        case (.float, .int(let i)): return abs(Double(i)) <= Double(Float.greatestFiniteMagnitude)
        case (.float, .double(let d)): return d.isFinite && abs(d) <= Double(Float.greatestFiniteMagnitude)
        case (.double, .double(let d)): return d.isFinite
        default: return true
        }
    }

    private func admitsString(_ b: [UInt8], _ text: String) -> Bool {
        switch self {
        case .dateTime: return Self.isDateTime(b)
        case .date: return Self.isDate(b[...])
        case .time: return Self.isTime(b[...])
        case .duration: return Self.isDuration(b)
        case .email: return Self.isEmail(b)
        case .hostname: return Self.isHostname(b[...])
        case .ipv4: return Self.isIPv4(b[...])
        case .ipv6: return Self.isIPv6(b[...])
        case .uri: return Self.isURI(b, requireScheme: true)
        case .uriReference: return Self.isURI(b, requireScheme: false)
        case .uuid: return Self.isUUID(b)
        case .regex: return Self.isRegex(text)
        case .jsonPointer: return Self.isJSONPointer(b[...])
        case .relativeJSONPointer: return Self.isRelativeJSONPointer(b)
        default: return true
        }
    }

    // MARK: Dates and times (RFC 3339)

    private static func digits(_ b: ArraySlice<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard start >= b.startIndex, start + count <= b.endIndex else { return nil }
        var n = 0
        for i in start..<(start + count) {
            let c = b[i]
            guard c >= 48 && c <= 57 else { return nil }
            n = n * 10 + Int(c - 48)
        }
        return n
    }

    static func isDate(_ b: ArraySlice<UInt8>) -> Bool {
        let s = b.startIndex
        guard b.count == 10, b[s + 4] == 45, b[s + 7] == 45,
              let year = digits(b, s, 4), let month = digits(b, s + 5, 2), let day = digits(b, s + 8, 2),
              (1...12).contains(month), day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// `HH:MM:SS[.frac](Z|±HH:MM)`; a leap second (`:60`) only where it is 23:59:60 in UTC.
    static func isTime(_ b: ArraySlice<UInt8>) -> Bool {
        let s = b.startIndex
        guard b.count >= 9, b[s + 2] == 58, b[s + 5] == 58,
              let hour = digits(b, s, 2), let minute = digits(b, s + 3, 2), let second = digits(b, s + 6, 2),
              hour <= 23, minute <= 59, second <= 60
        else { return false }
        var i = s + 8
        if i < b.endIndex, b[i] == 46 {
            i += 1
            let start = i
            while i < b.endIndex, b[i] >= 48 && b[i] <= 57 { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.endIndex else { return false }
        var offset = 0
        switch b[i] {
        case 90, 122:
            guard i + 1 == b.endIndex else { return false }
        case 43, 45:
            guard i + 6 == b.endIndex, b[i + 3] == 58, let oh = digits(b, i + 1, 2), let om = digits(b, i + 4, 2), oh <= 23, om <= 59 else {
                return false
            }
            offset = (oh * 60 + om) * (b[i] == 43 ? 1 : -1)
        default:
            return false
        }
        if second == 60 {
            let utc = ((hour * 60 + minute - offset) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func isDateTime(_ b: [UInt8]) -> Bool {
        guard b.count > 11, b[10] == 84 || b[10] == 116 else { return false }
        return isDate(b[0..<10]) && isTime(b[11...])
    }

    /// RFC 3339 appendix A: `P` then weeks alone (`P3W`), or date units in the order Y, M, D and/or
    /// `T` with time units in the order H, M, S; within each part the units are contiguous (the
    /// grammar has no `P1Y2D`), and a `T` needs at least one time unit.
    static func isDuration(_ b: [UInt8]) -> Bool {
        guard b.first == 80, b.count > 1 else { return false }  // P
        var i = 1
        func unit() -> UInt8? {
            let start = i
            while i < b.count, b[i] >= 48 && b[i] <= 57 { i += 1 }
            guard i > start, i < b.count else { return nil }
            i += 1
            return b[i - 1]
        }
        func contiguous(_ units: [UInt8], in order: [UInt8]) -> Bool {
            guard let first = units.first, let start = order.firstIndex(of: first) else { return units.isEmpty }
            guard start + units.count <= order.count else { return false }
            return Array(order[start..<(start + units.count)]) == units
        }
        if b.last == 87 {  // W
            return b.count > 2 && b[1..<(b.count - 1)].allSatisfy { $0 >= 48 && $0 <= 57 }
        }
        var dateUnits: [UInt8] = []
        while i < b.count, b[i] != 84 {
            guard let u = unit() else { return false }
            dateUnits.append(u)
        }
        var timeUnits: [UInt8] = []
        if i < b.count {
            i += 1
            while i < b.count {
                guard let u = unit() else { return false }
                timeUnits.append(u)
            }
            guard !timeUnits.isEmpty else { return false }
        }
        guard !dateUnits.isEmpty || !timeUnits.isEmpty else { return false }
        return contiguous(dateUnits, in: [89, 77, 68]) && contiguous(timeUnits, in: [72, 77, 83])
    }

    // MARK: Network names and addresses

    /// RFC 1123 host names: dot-separated labels of ASCII letters, digits and inner hyphens, each
    /// 1–63 characters, 253 in all. A-labels (`xn--…`) are checked as such labels only; their
    /// Punycode is not decoded.
    static func isHostname(_ b: ArraySlice<UInt8>) -> Bool {
        guard !b.isEmpty, b.count <= 253 else { return false }
        for label in b.split(separator: 46, omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.count <= 63, label.first != 45, label.last != 45 else { return false }
            for c in label where !(isAlphanumeric(c) || c == 45) { return false }
        }
        return true
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
    }

    static func isIPv4(_ b: ArraySlice<UInt8>) -> Bool {
        let parts = b.split(separator: 46, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
            if part.count > 1 && part.first == 48 { return false }
            guard let n = digits(part, part.startIndex, part.count), n <= 255 else { return false }
        }
        return true
    }

    static func isIPv6(_ b: ArraySlice<UInt8>) -> Bool {
        guard !b.isEmpty else { return false }
        var text = b
        var groupsAvailable = 8
        // A trailing dotted quad stands for two groups.
        if let lastColon = text.lastIndex(of: 58), text[(lastColon + 1)...].contains(46) {
            guard isIPv4(text[(lastColon + 1)...]) else { return false }
            text = text[...lastColon]
            if text.count >= 2, text.suffix(2).elementsEqual([58, 58]) {
                // `::1.2.3.4`: keep the double colon intact.
            } else {
                text = text.dropLast()
            }
            groupsAvailable = 6
        }
        let compressed = text.indices.dropLast().filter { text[$0] == 58 && text[$0 + 1] == 58 }
        guard compressed.count <= 1 else { return false }
        func groups(_ part: ArraySlice<UInt8>) -> Int? {
            if part.isEmpty { return 0 }
            var n = 0
            for group in part.split(separator: 58, omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), group.allSatisfy(isHex) else { return nil }
                n += 1
            }
            return n
        }
        if let at = compressed.first {
            guard let left = groups(text[..<at]), let right = groups(text[(at + 2)...]) else { return false }
            return left + right < groupsAvailable
        }
        guard let n = groups(text) else { return false }
        return n == groupsAvailable
    }

    static func isEmail(_ b: [UInt8]) -> Bool {
        guard let at = b.lastIndex(of: 64), at > 0, at < b.count - 1 else { return false }
        let local = b[..<at], domain = b[(at + 1)...]
        if local.first == 34 {
            // A quoted local part: any printable ASCII, with `\` escaping.
            guard local.count >= 2, local.last == 34 else { return false }
            var i = local.startIndex + 1
            while i < local.endIndex - 1 {
                let c = local[i]
                if c == 92 { i += 2; continue }
                guard c >= 32 && c < 127 && c != 34 else { return false }
                i += 1
            }
        } else {
            let atext = Set("!#$%&'*+-/=?^_`{|}~".utf8)
            for atom in local.split(separator: 46, omittingEmptySubsequences: false) {
                guard !atom.isEmpty, atom.allSatisfy({ isAlphanumeric($0) || atext.contains($0) }) else { return false }
            }
        }
        if domain.first == 91 {
            guard domain.last == 93 else { return false }
            let literal = domain.dropFirst().dropLast()
            let prefix = Array("IPv6:".utf8)
            if literal.starts(with: prefix) { return isIPv6(literal.dropFirst(prefix.count)) }
            return isIPv4(literal)
        }
        return isHostname(domain)
    }

    // MARK: URIs

    static func isURI(_ b: [UInt8], requireScheme: Bool) -> Bool {
        guard let text = String(validating: b, as: UTF8.self) else { return false }
        let ref = URIReference(text)
        if requireScheme && ref.scheme == nil { return false }
        if ref.scheme == nil, let colon = b.firstIndex(of: 58) {
            // A relative reference's first segment may not hold a colon (it would read as a scheme).
            let slash = b.firstIndex(of: 47) ?? b.count
            let mark = b.firstIndex(where: { $0 == 63 || $0 == 35 }) ?? b.count
            if colon < min(slash, mark) { return false }
        }
        let unreserved = Set("-._~".utf8), subDelims = Set("!$&'()*+,;=".utf8)
        func valid(_ part: String, extra: Set<UInt8>) -> Bool {
            let bytes = Array(part.utf8)
            var i = 0
            while i < bytes.count {
                let c = bytes[i]
                if c == 37 {
                    guard i + 2 < bytes.count, isHex(bytes[i + 1]), isHex(bytes[i + 2]) else { return false }
                    i += 3
                    continue
                }
                guard isAlphanumeric(c) || unreserved.contains(c) || subDelims.contains(c) || extra.contains(c) else { return false }
                i += 1
            }
            return true
        }
        if let authority = ref.authority {
            var host = Substring(authority)
            if let at = host.lastIndex(of: "@") {
                guard valid(String(host[..<at]), extra: [58]) else { return false }
                host = host[host.index(after: at)...]
            }
            if host.hasPrefix("[") {
                guard let close = host.firstIndex(of: "]") else { return false }
                let literal = host[host.index(after: host.startIndex)..<close]
                if !(literal.hasPrefix("v") || literal.hasPrefix("V")) {
                    guard isIPv6(Array(literal.utf8)[...]) else { return false }
                }
                host = host[host.index(after: close)...]
                if !host.isEmpty {
                    guard host.hasPrefix(":"), host.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
                }
            } else {
                if let colon = host.lastIndex(of: ":") {
                    guard host[host.index(after: colon)...].allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
                    host = host[..<colon]
                }
                guard valid(String(host), extra: []) else { return false }
            }
        }
        let pchar: Set<UInt8> = [58, 64]
        guard valid(ref.path, extra: pchar.union([47])) else { return false }
        if let query = ref.query, !valid(query, extra: pchar.union([47, 63])) { return false }
        if let fragment = ref.fragment, !valid(fragment, extra: pchar.union([47, 63])) { return false }
        if let scheme = ref.scheme, scheme.isEmpty { return false }
        return true
    }

    static func isUUID(_ b: [UInt8]) -> Bool {
        guard b.count == 36 else { return false }
        for (i, c) in b.enumerated() {
            if [8, 13, 18, 23].contains(i) {
                guard c == 45 else { return false }
            } else if !isHex(c) {
                return false
            }
        }
        return true
    }

    /// Whether `text` is an ECMA-262 pattern: it must compile (after the same rewriting `pattern`
    /// uses), and the ICU syntax ECMA-262 lacks is refused: the `\\a` escape, inline flag and
    /// comment groups (`(?i)`, `(?#…)`), possessive and other `(?` forms besides `(?:`, `(?=`,
    /// `(?!`, `(?<=`, `(?<!` and `(?<name>`.
    static func isRegex(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var inClass = false
        while i < scalars.count {
            let c = scalars[i]
            if c == "\\" {
                if i + 1 < scalars.count, scalars[i + 1] == "a" { return false }
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
            } else if c == "[" {
                inClass = true
                // `[]` and `[^]`: the `]` right after the opening closes the class in ECMA-262.
                if i + 1 < scalars.count, scalars[i + 1] == "]" { inClass = false; i += 1 }
                else if i + 2 < scalars.count, scalars[i + 1] == "^", scalars[i + 2] == "]" { inClass = false; i += 2 }
            } else if c == "(", i + 2 < scalars.count, scalars[i + 1] == "?" {
                guard [":", "=", "!", "<"].contains(scalars[i + 2]) else { return false }
            }
            i += 1
        }
        return Pattern(text) != nil
    }

    static func isJSONPointer(_ b: ArraySlice<UInt8>) -> Bool {
        guard let first = b.first else { return true }
        guard first == 47 else { return false }
        var i = b.startIndex
        while i < b.endIndex {
            if b[i] == 126 {
                guard i + 1 < b.endIndex, b[i + 1] == 48 || b[i + 1] == 49 else { return false }
                i += 1
            }
            i += 1
        }
        return true
    }

    static func isRelativeJSONPointer(_ b: [UInt8]) -> Bool {
        var i = 0
        while i < b.count, b[i] >= 48 && b[i] <= 57 { i += 1 }
        guard i > 0, !(i > 1 && b[0] == 48) else { return false }
        if i == b.count { return true }
        if b[i] == 35 { return i + 1 == b.count }
        return isJSONPointer(b[i...])
    }
}
