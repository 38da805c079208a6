import ArazzoJSON
import ArazzoExecutor

/// Removes secrets from everything a run records: every occurrence of a secret value, of its
/// base64 form and of its percent-encoded forms is replaced by `[REDACTED]`, and credential
/// headers are blanked whole.
struct Redactor: Sendable {
    static let mask = "[REDACTED]"
    private static let maskBytes = Array(mask.utf8)

    /// The byte strings to hide, longest first (so a value that contains another is hidden whole).
    private var needles: [[UInt8]] = []
    private var known: Set<[UInt8]> = []
    /// Indices into `needles` by first byte: the scan looks only at candidates that can match.
    private var byFirstByte: [[Int]] = Array(repeating: [], count: 256)
    /// Whether any needle starts with a byte: the scan's per-byte test. Looking a byte up in
    /// `byFirstByte` itself retains and releases an array per byte of every body.
    private var startsNeedle: [Bool] = Array(repeating: false, count: 256)
    /// The length of the shortest needle, and which bytes occur within the first `shortest` bytes
    /// of any needle: when the byte `shortest - 1` ahead is none of those, no needle can start at
    /// any of the next `shortest` positions, and the scan skips them (the set form of Horspool's
    /// rule). Secrets are long and mostly unlike JSON punctuation, so bodies are mostly skipped.
    private var shortest = 0
    private var inPrefix: [Bool] = Array(repeating: false, count: 256)
    /// Header names (lower-cased) whose whole value is secret.
    private(set) var secretHeaders: Set<String> = ["authorization", "proxy-authorization"]

    init(secrets: [String] = []) {
        add(secrets)
    }

    /// Adds secrets (and their derived encodings). Values shorter than 3 characters are only
    /// hidden through the header rule: hiding every "1" in a body would destroy the trace.
    mutating func add(_ secrets: [String]) {
        var added = false
        for secret in secrets where secret.count >= 3 {
            let jsonEscaped = String(JSONValue.string(secret).jsonText().dropFirst().dropLast())
            for form in [secret, Base64.encode(Array(secret.utf8)), PercentEncoding.encode(secret),
                         PercentEncoding.encode(secret, allowing: .form), jsonEscaped] {
                let bytes = Array(form.utf8)
                if known.insert(bytes).inserted { added = true }
            }
        }
        guard added else { return }
        needles = known.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
        byFirstByte = Array(repeating: [], count: 256)
        startsNeedle = Array(repeating: false, count: 256)
        for (index, needle) in needles.enumerated() {
            if let first = needle.first {
                byFirstByte[Int(first)].append(index)
                startsNeedle[Int(first)] = true
            }
        }
        shortest = needles.map(\.count).min() ?? 0
        inPrefix = Array(repeating: false, count: 256)
        for needle in needles {
            for byte in needle.prefix(shortest) { inPrefix[Int(byte)] = true }
        }
    }

    /// Adds the value of a secret step output: a string as it is, a number as its JSON text,
    /// and every such leaf of an array or object (bounded, since responses are hostile).
    mutating func add(secretValue value: JSONValue) {
        var found: [String] = []
        var pending: [(JSONValue, Int)] = [(value, 0)]
        while let item = pending.popLast(), found.count < 10_000 {
            let (next, depth) = item
            switch next {
            case .string(let s): found.append(s)
            case .int, .double: found.append(next.jsonText())
            case .array(let items) where depth < 64: pending.append(contentsOf: items.map { ($0, depth + 1) })
            case .object(let members) where depth < 64: pending.append(contentsOf: members.values.map { ($0, depth + 1) })
            default: break
            }
        }
        add(found)
    }

    /// Marks a header whose value is secret as a whole (e.g. an apiKey header).
    mutating func addSecretHeader(_ name: String) {
        secretHeaders.insert(name.lowercased())
    }

    /// Whether no value is secret yet (only the header rule applies): the run's traces can then
    /// skip the value scan entirely.
    var isEmpty: Bool { needles.isEmpty }

    /// Whether `name` is a secret header, compared ASCII-case-insensitively without allocating
    /// (this runs for every header of every recorded exchange).
    private func isSecretHeader(_ name: String) -> Bool {
        let count = name.utf8.count
        for secret in secretHeaders where secret.utf8.count == count {
            if zip(secret.utf8, name.utf8).allSatisfy({ $0 == $1 || ($1 >= 65 && $1 <= 90 && $0 == $1 + 32) }) { return true }
        }
        return false
    }

    /// The bytes with every needle replaced, or nil when none occurs (one pass; candidates are
    /// looked up by first byte, longest first).
    private func redacted(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var output: [UInt8]?
        var copied = 0
        var i = 0
        let count = bytes.count
        // Needles are never empty (secrets have at least 3 characters), so `shortest` ≥ 1.
        let window = max(1, shortest)
        while i + window <= count {
            guard inPrefix[Int(bytes[i + window - 1])] else {
                i += window
                continue
            }
            guard startsNeedle[Int(bytes[i])] else {
                i += 1
                continue
            }
            var matched = 0
            for index in byFirstByte[Int(bytes[i])] {
                let needle = needles[index]
                guard needle.count <= count - i else { continue }
                var j = 1
                while j < needle.count && bytes[i + j] == needle[j] { j += 1 }
                if j == needle.count { matched = needle.count; break }
            }
            if matched > 0 {
                if output == nil { output = []; output?.reserveCapacity(count) }
                output?.append(contentsOf: bytes[copied..<i])
                output?.append(contentsOf: Redactor.maskBytes)
                i += matched
                copied = i
            } else {
                i += 1
            }
        }
        guard var result = output else { return nil }
        result.append(contentsOf: bytes[copied..<count])
        return result
    }

    func redact(_ text: String) -> String {
        guard !needles.isEmpty, !text.isEmpty else { return text }
        var copy = text
        let result = copy.withUTF8 { redacted($0) }
        guard let result else { return text }
        return String(decoding: result, as: UTF8.self)
    }

    func redact(_ bytes: [UInt8]) -> [UInt8] {
        guard !needles.isEmpty, !bytes.isEmpty else { return bytes }
        return bytes.withUnsafeBufferPointer { redacted($0) } ?? bytes
    }

    func redact(_ headers: HeaderFields) -> HeaderFields {
        // Without secret values only the header rule applies; most exchanges carry no secret
        // header, and then nothing is copied.
        if needles.isEmpty, !headers.fields.contains(where: { isSecretHeader($0.name) }) { return headers }
        return HeaderFields(headers.fields.map { field in
            if isSecretHeader(field.name) {
                return HeaderFields.Field(name: field.name, value: Redactor.mask)
            }
            return HeaderFields.Field(name: field.name, value: redact(field.value))
        })
    }

    func redact(_ request: HTTPRequest) -> HTTPRequest {
        var copy = request
        copy.url = redact(request.url)
        copy.headers = redact(request.headers)
        copy.body = request.body.map { redact($0) }
        return copy
    }

    func redact(_ response: HTTPResponse) -> HTTPResponse {
        var copy = response
        copy.headers = redact(response.headers)
        copy.body = redact(response.body)
        return copy
    }

    func redact(_ value: JSONValue) -> JSONValue {
        guard !needles.isEmpty else { return value }
        return changed(value, depth: 0) ?? value
    }

    func redact(_ object: JSONObject) -> JSONObject {
        guard !needles.isEmpty else { return object }
        return changed(object, depth: 0) ?? object
    }

    /// The redacted value, or nil when nothing in it changes (no copy is made then).
    private func changed(_ value: JSONValue, depth: Int) -> JSONValue? {
        guard depth < 512 else { return nil }
        switch value {
        case .string(let s):
            let r = redact(s)
            return r == s ? nil : .string(r)
        case .array(let items):
            var out: [JSONValue]?
            for (index, item) in items.enumerated() {
                if let r = changed(item, depth: depth + 1) {
                    if out == nil { out = items }
                    out?[index] = r
                }
            }
            return out.map { .array($0) }
        case .object(let members):
            return changed(members, depth: depth).map { .object($0) }
        case .int, .double:
            // A secret number (a PIN input, a numeric code output) becomes the mask.
            let text = value.jsonText()
            return redact(text) == text ? nil : .string(Redactor.mask)
        default:
            return nil
        }
    }

    private func changed(_ members: JSONObject, depth: Int) -> JSONObject? {
        var out: JSONObject?
        for (key, member) in members {
            if let r = changed(member, depth: depth + 1) {
                if out == nil { out = members }
                out?[key] = r
            }
        }
        return out
    }
}
