import ArazzoJSON
import ArazzoExecutor

/// Removes secrets from everything a run records: every occurrence of a secret value, of its
/// base64 form and of its percent-encoded forms is replaced by `[REDACTED]`, and credential
/// headers are blanked whole.
struct Redactor: Sendable {
    static let mask = "[REDACTED]"

    /// The texts to hide, longest first (so a value that contains another is hidden whole).
    private(set) var needles: [String] = []
    /// Header names (lower-cased) whose whole value is secret.
    private(set) var secretHeaders: Set<String> = ["authorization", "proxy-authorization"]

    init(secrets: [String] = []) {
        add(secrets)
    }

    /// Adds secrets (and their derived encodings). Values shorter than 3 characters are only
    /// hidden through the header rule: hiding every "1" in a body would destroy the trace.
    mutating func add(_ secrets: [String]) {
        var set = Set(needles)
        for secret in secrets where secret.count >= 3 {
            set.insert(secret)
            set.insert(Base64.encode(Array(secret.utf8)))
            set.insert(PercentEncoding.encode(secret))
            set.insert(PercentEncoding.encode(secret, allowing: .form))
            let jsonEscaped = String(JSONValue.string(secret).jsonText().dropFirst().dropLast())
            set.insert(jsonEscaped)
        }
        needles = set.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// Marks a header whose value is secret as a whole (e.g. an apiKey header).
    mutating func addSecretHeader(_ name: String) {
        secretHeaders.insert(name.lowercased())
    }

    var isEmpty: Bool { needles.isEmpty }

    func redact(_ text: String) -> String {
        guard !needles.isEmpty else { return text }
        var result = text
        for needle in needles where result.contains(needle) {
            result = result.replacing(needle, with: Redactor.mask)
        }
        return result
    }

    func redact(_ bytes: [UInt8]) -> [UInt8] {
        guard !needles.isEmpty, !bytes.isEmpty else { return bytes }
        // Only text bodies can carry a secret as text; binary bodies are left alone.
        guard let text = String(validating: bytes, as: UTF8.self) else { return bytes }
        let redacted = redact(text)
        return redacted == text ? bytes : Array(redacted.utf8)
    }

    func redact(_ headers: HeaderFields) -> HeaderFields {
        HeaderFields(headers.fields.map { field in
            if secretHeaders.contains(field.name.lowercased()) {
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
        switch value {
        case .string(let s): return .string(redact(s))
        case .array(let items): return .array(items.map(redact))
        case .object(let members):
            var out = JSONObject(minimumCapacity: members.count)
            for (key, member) in members { out[key] = redact(member) }
            return .object(out)
        default: return value
        }
    }

    func redact(_ object: JSONObject) -> JSONObject {
        guard !needles.isEmpty else { return object }
        var out = JSONObject(minimumCapacity: object.count)
        for (key, member) in object { out[key] = redact(member) }
        return out
    }
}
