package import ArazzoJSON

/// Turns response (and request) bodies into the values runtime expressions see: parsed JSON
/// for JSON media types, a string for text and XML, nothing for binary content.
package enum BodyParser {
    /// Parses JSON text; nil when the bytes are not valid JSON.
    package static func parseJSON(_ bytes: [UInt8]) -> JSONValue? {
        guard !bytes.isEmpty else { return nil }
        return try? JSONValue(parsing: bytes)
    }

    /// The JSON index of a body that `value(of:contentType:)` would parse as JSON: non-empty, a
    /// JSON media type or none, and valid JSON. Nil otherwise; `value(of:contentType:)` then gives
    /// the body's value (text, or nothing) as it always did (decision TP4).
    package static func tape(of bytes: [UInt8], contentType: String?) -> JSONTape? {
        if bytes.isEmpty { return nil }
        let kind = contentType.map(RequestBodyEncoder.kind(of:))
        guard kind == .json || kind == nil else { return nil }
        return try? JSONTape(parsing: bytes)
    }

    /// The value of a body for `$response.body` / `$request.body`: JSON when the content type
    /// says so (or, with no content type, when the bytes parse as JSON), else UTF-8 text.
    package static func value(of bytes: [UInt8], contentType: String?) -> JSONValue? {
        if bytes.isEmpty { return nil }
        let kind = contentType.map(RequestBodyEncoder.kind(of:))
        if kind == .json || kind == nil {
            if let parsed = parseJSON(bytes) { return parsed }
        }
        if let text = String(validating: bytes, as: UTF8.self) { return .string(text) }
        return nil
    }
}
