import ArazzoJSON
import ArazzoOpenAPI
import ArazzoExecutor
import ArazzoYAML
import OrderedCollections

/// Removes secrets from everything a run records.
///
/// Two kinds of text are told apart (decision R1 in docs/decisions.md):
/// - **Values** — URLs, header values, bodies, outputs: every occurrence of a secret, of its
///   base64 form and of its percent- and JSON-escaped forms becomes `[REDACTED]`, and credential
///   headers are blanked whole.
/// - **The engine's wording** — notes, failure messages, criterion explanations, warnings: the
///   same search, except that a secret spelled exactly like a name the document declares (a
///   parameter, input, step or output name…) is left alone where it stands as that name, so a
///   password `password` does not turn "parameter password (header)" into nonsense. A quoted or
///   embedded occurrence is still masked.
///
/// A secret shorter than ``minimumSearchLength`` is never searched for in text (hiding every
/// "1234" of a body would destroy the trace while proving nothing); it is masked only where it
/// is a whole field: a header value (or the credential after an auth scheme word), a query
/// parameter value, a cookie value, an output value.
struct Redactor: Sendable {
    static let mask = "[REDACTED]"
    private static let maskBytes = Array(mask.utf8)
    /// The shortest secret (in characters) searched for in text.
    static let minimumSearchLength = 6

    /// The search tables, shared by every copy: a run copies the engine's redactor, and the
    /// run loop reads it for every recorded value, so a copy is one reference (the tables are
    /// rebuilt, never changed, when a new secret arrives — rare next to the reads).
    private var tables: Tables
    /// Every secret given to ``add(_:)`` so far, as given.
    private var seen: Set<String> = []
    /// Header names (lower-cased) whose whole value is secret.
    private(set) var secretHeaders: Set<String> = ["authorization", "proxy-authorization"]

    /// What the scan reads, derived from the secrets' byte forms; immutable once built.
    private final class Tables: Sendable {
        /// The byte strings to hide, longest first (so a value that contains another is hidden whole).
        let needles: [[UInt8]]
        /// Per needle: whether it is a secret spelled like a document name, which wording keeps
        /// where it stands as a name.
        let nameLike: [Bool]
        let known: Set<[UInt8]>
        /// Indices into `needles` by first byte: the scan looks only at candidates that can match.
        let byFirstByte: [[Int]]
        /// Whether any needle starts with a byte: the scan's per-byte test. Looking a byte up in
        /// `byFirstByte` itself retains and releases an array per byte of every body.
        let startsNeedle: [Bool]
        /// The length of the shortest needle, and which bytes occur within the first `shortest`
        /// bytes of any needle: when the byte `shortest - 1` ahead is none of those, no needle can
        /// start at any of the next `shortest` positions, and the scan skips them (the set form of
        /// Horspool's rule). Secrets are long and mostly unlike JSON punctuation, so bodies are
        /// mostly skipped.
        let shortest: Int
        let inPrefix: [Bool]
        /// Secrets below the search length, with their percent-encoded forms: matched against
        /// whole fields only.
        let shortSecrets: Set<String>
        /// Names the document declares (see ``documentNames(in:)``).
        let names: Set<String>

        init(known: Set<[UInt8]>, shortSecrets: Set<String>, names: Set<String>) {
            self.known = known
            self.shortSecrets = shortSecrets
            self.names = names
            let needles = known.sorted { $0.count != $1.count ? $0.count > $1.count : $0.lexicographicallyPrecedes($1) }
            self.needles = needles
            nameLike = needles.map { needle in
                let text = String(decoding: needle, as: UTF8.self)
                // A number is a value, never a name, wherever it stands.
                return names.contains(text) && Double(text) == nil
            }
            var byFirstByte: [[Int]] = Array(repeating: [], count: 256)
            var startsNeedle = Array(repeating: false, count: 256)
            for (index, needle) in needles.enumerated() {
                if let first = needle.first {
                    byFirstByte[Int(first)].append(index)
                    startsNeedle[Int(first)] = true
                }
            }
            self.byFirstByte = byFirstByte
            self.startsNeedle = startsNeedle
            let shortest = needles.map(\.count).min() ?? 0
            self.shortest = shortest
            var inPrefix = Array(repeating: false, count: 256)
            for needle in needles {
                for byte in needle.prefix(shortest) { inPrefix[Int(byte)] = true }
            }
            self.inPrefix = inPrefix
        }
    }

    private var needles: [[UInt8]] { tables.needles }
    private var shortSecrets: Set<String> { tables.shortSecrets }

    /// A redactor for `secrets`, keeping `names` (the document's own names) in the engine's wording.
    init(secrets: [String] = [], names: Set<String> = []) {
        tables = Tables(known: [], shortSecrets: [], names: names)
        add(secrets)
    }

    /// Adds secrets (and their derived encodings). A secret shorter than
    /// ``minimumSearchLength`` is kept for whole-field matching only.
    mutating func add(_ secrets: [String]) {
        var known: Set<[UInt8]>?
        var short: Set<String>?
        // The credentials of every request are added again at every step: a secret seen before
        // has all its forms already (deriving them again was a step's Base64 and hashing).
        for secret in secrets where !secret.isEmpty && firstSight(secret) {
            guard secret.count >= Self.minimumSearchLength else {
                for form in [secret, PercentEncoding.encode(secret), PercentEncoding.encode(secret, allowing: .form)]
                where !(short ?? tables.shortSecrets).contains(form) {
                    if short == nil { short = tables.shortSecrets }
                    short?.insert(form)
                }
                continue
            }
            let jsonEscaped = String(JSONValue.string(secret).jsonText().dropFirst().dropLast())
            for form in [secret, Base64.encode(Array(secret.utf8)), PercentEncoding.encode(secret),
                         PercentEncoding.encode(secret, allowing: .form), jsonEscaped] {
                let bytes = Array(form.utf8)
                guard !(known ?? tables.known).contains(bytes) else { continue }
                if known == nil { known = tables.known }
                known?.insert(bytes)
            }
        }
        guard known != nil || short != nil else { return }
        tables = Tables(known: known ?? tables.known, shortSecrets: short ?? tables.shortSecrets, names: tables.names)
    }

    /// Records `secret` as seen; false when it was seen before.
    private mutating func firstSight(_ secret: String) -> Bool {
        seen.insert(secret).inserted
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
        // Added again at every step that applies the credential; no new name is allocated then.
        guard !isSecretHeader(name) else { return }
        secretHeaders.insert(HeaderFields.canonicalName(name))
    }

    /// Whether no value is secret yet (only the header rule applies): the run's traces can then
    /// skip the value scan entirely.
    var isEmpty: Bool { needles.isEmpty && shortSecrets.isEmpty }

    /// The names a document declares, which the engine's wording mentions: workflow, step,
    /// parameter, input, output, action and source names, every key of the Arazzo documents
    /// (schema property names included), and the operation ids, parameter names and security
    /// scheme names of the OpenAPI descriptions.
    static func documentNames(in document: LoadedDocument) -> Set<String> {
        var names: Set<String> = []
        let nameFields: Set<String> = ["name", "workflowId", "stepId", "operationId"]
        for unit in document.units.values {
            var pending: [(JSONValue, Int)] = [(unit.document.root.jsonValue, 0)]
            while let item = pending.popLast(), names.count < 100_000 {
                let (value, depth) = item
                switch value {
                case .object(let members) where depth < 64:
                    for (key, member) in members {
                        names.insert(key)
                        if nameFields.contains(key), case .string(let name) = member { names.insert(name) }
                        pending.append((member, depth + 1))
                    }
                case .array(let items) where depth < 64:
                    pending.append(contentsOf: items.map { ($0, depth + 1) })
                default:
                    break
                }
            }
        }
        for openAPI in document.openAPIDocuments.values {
            names.formUnion(openAPI.securitySchemes.keys)
            for operation in openAPI.operations {
                if let id = operation.operationId { names.insert(id) }
                for parameter in operation.parameters { names.insert(parameter.name) }
            }
        }
        return names
    }

    /// Whether `name` is a secret header (without allocating: this runs for every header of
    /// every recorded exchange).
    private func isSecretHeader(_ name: String) -> Bool {
        secretHeaders.contains { HeaderFields.namesMatch($0, name) }
    }

    /// Whether the bytes around `start..<end` delimit a name in the engine's wording: a space,
    /// a bracket, a backtick or a dot (as in `$inputs.NAME`) before, and one of those or
    /// punctuation after. Quotes and `=` are not delimiters: a quoted or assigned occurrence
    /// is a value.
    private static func standsAsName(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let before: UInt8? = start > 0 ? bytes[start - 1] : nil
        let after: UInt8? = end < bytes.count ? bytes[end] : nil
        return (before.map(nameOpeners.contains) ?? true) && (after.map(nameClosers.contains) ?? true)
    }

    private static let nameOpeners: Set<UInt8> = [0x20, 0x09, 0x0A, UInt8(ascii: "("), UInt8(ascii: "."), UInt8(ascii: "`")]
    private static let nameClosers: Set<UInt8> = [
        0x20, 0x09, 0x0A, UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "."), UInt8(ascii: "`"),
    ]

    /// The bytes with every needle replaced, or nil when none occurs (one pass; candidates are
    /// looked up by first byte, longest first). In `wording`, a name-like secret standing as a
    /// name is kept.
    private func redacted(_ bytes: UnsafeBufferPointer<UInt8>, wording: Bool) -> [UInt8]? {
        let tables = self.tables
        let needles = tables.needles, inPrefix = tables.inPrefix, startsNeedle = tables.startsNeedle
        let byFirstByte = tables.byFirstByte, nameLike = tables.nameLike
        var output: [UInt8]?
        var copied = 0
        var i = 0
        let count = bytes.count
        // Needles are never empty (secrets are at least `minimumSearchLength` long), so `shortest` ≥ 1.
        let window = max(1, tables.shortest)
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
            var matchedIndex = 0
            for index in byFirstByte[Int(bytes[i])] {
                let needle = needles[index]
                guard needle.count <= count - i else { continue }
                var j = 1
                while j < needle.count && bytes[i + j] == needle[j] { j += 1 }
                if j == needle.count {
                    matched = needle.count
                    matchedIndex = index
                    break
                }
            }
            if matched > 0 {
                if wording && nameLike[matchedIndex] && Self.standsAsName(bytes, i, i + matched) {
                    i += matched
                    continue
                }
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

    private func scan(_ text: String, wording: Bool) -> String {
        guard !needles.isEmpty, !text.isEmpty else { return text }
        var copy = text
        let result = copy.withUTF8 { redacted($0, wording: wording) }
        guard let result else { return text }
        return String(decoding: result, as: UTF8.self)
    }

    /// The engine's wording (a note, a message, an explanation) with every secret hidden except
    /// a name-like secret where it stands as a name.
    func redact(_ text: String) -> String {
        scan(text, wording: true)
    }

    /// A value (text that came from the document's values, the inputs or the network) with
    /// every secret hidden.
    func redactValue(_ text: String) -> String {
        scan(text, wording: false)
    }

    func redact(_ bytes: [UInt8]) -> [UInt8] {
        guard !needles.isEmpty, !bytes.isEmpty else { return bytes }
        return bytes.withUnsafeBufferPointer { redacted($0, wording: false) } ?? bytes
    }

    func redact(_ headers: HeaderFields) -> HeaderFields {
        // Without secret values only the header rule applies; most exchanges carry no secret
        // header, and then nothing is copied.
        if isEmpty, !headers.fields.contains(where: { isSecretHeader($0.name) }) { return headers }
        // Copied only from the first field that changes: with secrets known, most headers of
        // most exchanges still hold none, and then the fields are returned as they are.
        var copy: [HeaderFields.Field]?
        for (index, field) in headers.fields.enumerated() {
            let value = isSecretHeader(field.name) ? Redactor.mask : redactHeaderValue(field.name, field.value)
            if copy == nil, value == field.value { continue }
            if copy == nil { copy = Array(headers.fields[..<index]) }
            copy?.append(HeaderFields.Field(name: field.name, value: value))
        }
        return copy.map { HeaderFields($0) } ?? headers
    }

    /// A header value: the text search, then the short secrets as whole fields — the whole
    /// value, the credential after an auth scheme word (`Bearer 1234`), or a cookie's value.
    private func redactHeaderValue(_ name: String, _ value: String) -> String {
        let searched = redactValue(value)
        guard !shortSecrets.isEmpty else { return searched }
        if shortSecrets.contains(searched) { return Redactor.mask }
        if HeaderFields.namesMatch(name, "cookie") || HeaderFields.namesMatch(name, "set-cookie") {
            return maskingPairs(searched, separator: ";", trimming: true)
        }
        let words = searched.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        if words.count == 2, !words[0].isEmpty, shortSecrets.contains(String(words[1])) {
            return words[0] + " " + Redactor.mask
        }
        return searched
    }

    /// `name=value` pairs split at `separator`, each value that is a short secret masked.
    private func maskingPairs(_ text: String, separator: Character, trimming: Bool) -> String {
        var changed = false
        let pairs = text.split(separator: separator, omittingEmptySubsequences: false).map { pair -> String in
            guard let eq = pair.firstIndex(of: "=") else { return String(pair) }
            let rawValue = pair[pair.index(after: eq)...]
            let candidate = trimming ? rawValue.trimmingSpaces : String(rawValue)
            guard shortSecrets.contains(candidate) else { return String(pair) }
            changed = true
            return String(pair[...eq]) + Redactor.mask
        }
        return changed ? pairs.joined(separator: String(separator)) : text
    }

    /// A URL: the text search, then query parameter values that are short secrets.
    func redactURL(_ url: String) -> String {
        let searched = redactValue(url)
        guard !shortSecrets.isEmpty, let q = searched.firstIndex(of: "?") else { return searched }
        let fragmentStart = searched[q...].firstIndex(of: "#") ?? searched.endIndex
        let query = String(searched[searched.index(after: q)..<fragmentStart])
        let masked = maskingPairs(query, separator: "&", trimming: false)
        guard masked != query else { return searched }
        return String(searched[...q]) + masked + String(searched[fragmentStart...])
    }

    func redact(_ request: HTTPRequest) -> HTTPRequest {
        var copy = request
        copy.url = redactURL(request.url)
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

    /// A value (an output, a payload): strings searched, and a leaf that is a short secret
    /// masked whole.
    func redact(_ value: JSONValue) -> JSONValue {
        guard !isEmpty else { return value }
        return changed(value, depth: 0) ?? value
    }

    func redact(_ object: JSONObject) -> JSONObject {
        guard !isEmpty else { return object }
        return changed(object, depth: 0) ?? object
    }

    /// The redacted value, or nil when nothing in it changes (no copy is made then).
    private func changed(_ value: JSONValue, depth: Int) -> JSONValue? {
        guard depth < 512 else { return nil }
        switch value {
        case .string(let s):
            // Hashing every leaf to look it up in an empty set was most of redacting an output.
            if !shortSecrets.isEmpty, shortSecrets.contains(s) { return .string(Redactor.mask) }
            let r = redactValue(s)
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
            return shortSecrets.contains(text) || redactValue(text) != text ? .string(Redactor.mask) : nil
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

extension Substring {
    /// The text without leading and trailing spaces.
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
