import OrderedCollections
package import ArazzoJSON

/// Serializes an evaluated request-body payload for its media type (decision A20, docs/decisions.md)
/// and applies payload replacements (§2.14, A21).
package enum RequestBodyEncoder: Sendable {
    /// The families of media types the encoder knows.
    package enum MediaKind: Sendable, Hashable {
        /// `application/json`, `*/*+json`.
        case json
        /// `application/x-www-form-urlencoded`.
        case form
        /// `multipart/form-data` (and other `multipart/*`).
        case multipart
        /// `application/xml`, `text/xml`, `*/*+xml`.
        case xml
        /// Other `text/*`.
        case text
        /// Anything else (`application/octet-stream`, ...).
        case other
    }

    /// Why a payload cannot be encoded or a replacement cannot be applied.
    package struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// One line saying what to change.
        package var message: String
        /// The message.
        package var description: String { message }
    }

    /// Classifies a media type (parameters such as `; charset=utf-8` are ignored).
    package static func kind(of contentType: String) -> MediaKind {
        // The common spellings, without allocating.
        switch contentType {
        case "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8": return .json
        case "application/x-www-form-urlencoded": return .form
        case "text/plain": return .text
        case "application/xml": return .xml
        default: break
        }
        let essence = contentType.split(separator: ";", maxSplits: 1).first.map {
            String($0).trimming(" \t").lowercased()
        } ?? ""
        if essence == "application/json" || essence.hasSuffix("+json") || essence == "text/json" { return .json }
        if essence == "application/x-www-form-urlencoded" { return .form }
        if essence.hasPrefix("multipart/") { return .multipart }
        if essence == "application/xml" || essence == "text/xml" || essence.hasSuffix("+xml") { return .xml }
        if essence.hasPrefix("text/") { return .text }
        return .other
    }

    /// The encoded body and the `Content-Type` header to send with it (multipart adds its boundary).
    package struct Encoded: Sendable, Hashable {
        /// The body bytes.
        package var bytes: [UInt8]
        /// The `Content-Type` header value.
        package var contentType: String
    }

    /// Encodes `payload` for `contentType`. `encoding` is the OpenAPI Encoding map of the media
    /// type (property → `{contentType, style, explode}`), used by form and multipart bodies.
    package static func encode(_ payload: JSONValue, contentType: String, encoding: JSONObject? = nil) throws(Failure) -> Encoded {
        let encoding = encoding ?? JSONObject()
        switch kind(of: contentType) {
        case .json:
            // A string payload under JSON is a template already written as JSON text: send it as is.
            if case .string(let text) = payload { return Encoded(bytes: Array(text.utf8), contentType: contentType) }
            return Encoded(bytes: payload.jsonBytes(), contentType: contentType)
        case .form:
            switch payload {
            case .string(let text): return Encoded(bytes: Array(text.utf8), contentType: contentType)
            case .object(let members):
                return Encoded(bytes: Array(try formEncode(members, encoding: encoding).utf8), contentType: contentType)
            default:
                throw Failure(message: "an application/x-www-form-urlencoded payload must be an object or a string, got \(payload.typeName)")
            }
        case .multipart:
            switch payload {
            case .string(let text): return Encoded(bytes: Array(text.utf8), contentType: contentType)
            case .object(let members): return multipartEncode(members, contentType: contentType, encoding: encoding)
            default:
                throw Failure(message: "a multipart payload must be an object (one part per member) or a string, got \(payload.typeName)")
            }
        case .xml:
            guard case .string(let text) = payload else {
                throw Failure(message: "an XML payload must be a string (XML text with {$…} placeholders), got \(payload.typeName)")
            }
            return Encoded(bytes: Array(text.utf8), contentType: contentType)
        case .text, .other:
            switch payload {
            case .string(let text): return Encoded(bytes: Array(text.utf8), contentType: contentType)
            case .int, .double, .bool: return Encoded(bytes: Array(ParameterSerialization.text(payload).utf8), contentType: contentType)
            default:
                throw Failure(message: "a \(contentType) payload must be a string, got \(payload.typeName)")
            }
        }
    }

    // MARK: - Form

    /// `application/x-www-form-urlencoded`: primitives as `k=v`, arrays as repeated keys, objects
    /// only when the Encoding object says `style: deepObject` (`k[a]=1`) or `contentType:
    /// application/json` (the member as JSON text); anything else is refused (notes §2.13/4).
    package static func formEncode(_ members: JSONObject, encoding: JSONObject) throws(Failure) -> String {
        var pairs: [String] = []
        let enc: (String) -> String = { PercentEncoding.encode($0, allowing: .form) }
        for (key, value) in members {
            let memberEncoding = encoding[key]
            if let type = memberEncoding?["contentType"]?.stringValue, kind(of: type) == .json {
                pairs.append(enc(key) + "=" + enc(value.jsonText()))
                continue
            }
            switch value {
            case .array(let items):
                let explode = memberEncoding?["explode"]?.boolValue ?? true
                if items.contains(where: { if case .object = $0 { return true }; if case .array = $0 { return true }; return false }) {
                    throw Failure(message: "form member '\(key)' is an array of arrays/objects; send it as JSON (encoding contentType: application/json) or as a string")
                }
                if explode {
                    pairs.append(contentsOf: items.map { enc(key) + "=" + enc(ParameterSerialization.text($0)) })
                } else {
                    pairs.append(enc(key) + "=" + items.map { enc(ParameterSerialization.text($0)) }.joined(separator: ","))
                }
            case .object(let nested):
                guard memberEncoding?["style"]?.stringValue == "deepObject" else {
                    throw Failure(message: "form member '\(key)' is an object; declare its encoding (style: deepObject or contentType: application/json) in the OpenAPI operation, or flatten it")
                }
                for (subKey, subValue) in nested {
                    if case .object = subValue {
                        throw Failure(message: "form member '\(key)[\(subKey)]' nests objects deeper than deepObject allows")
                    }
                    pairs.append(enc(key) + "%5B" + enc(subKey) + "%5D=" + enc(ParameterSerialization.text(subValue)))
                }
            default:
                pairs.append(enc(key) + "=" + enc(ParameterSerialization.text(value)))
            }
        }
        return pairs.joined(separator: "&")
    }

    /// Reads `application/x-www-form-urlencoded` text into its fields (WHATWG URL "urlencoded
    /// parser": `&`-separated, the first `=` splits name from value, `+` is a space, then
    /// percent-decoding), so that a payload written as a form string can take JSON Pointer
    /// replacements like one written as an object (issue 12). A repeated name becomes an array,
    /// which ``encode(_:contentType:encoding:)`` writes back as repeated names.
    package static func formFields(parsing text: String) -> JSONObject {
        var fields = JSONObject()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = pair.firstIndex(of: "=") {
                name = pair[..<equals]
                value = pair[pair.index(after: equals)...]
            } else {
                name = pair
                value = ""
            }
            let decodedName = formDecode(name)
            let decodedValue = JSONValue.string(formDecode(value))
            switch fields[decodedName] {
            case nil: fields[decodedName] = decodedValue
            case .array(var items)?:
                items.append(decodedValue)
                fields[decodedName] = .array(items)
            case let existing?: fields[decodedName] = .array([existing, decodedValue])
            }
        }
        return fields
    }

    /// `+` as a space, then `%XX` escapes.
    private static func formDecode(_ text: Substring) -> String {
        percentDecoded(String(text).replacing("+", with: " "))
    }

    // MARK: - Multipart

    /// `multipart/form-data` (RFC 7578): one part per member; strings and numbers as text parts,
    /// objects as JSON parts, arrays as repeated parts. The boundary is derived from the content so
    /// identical payloads encode identically, and is checked not to occur in any part.
    static func multipartEncode(_ members: JSONObject, contentType: String, encoding: JSONObject) -> Encoded {
        var parts: [(name: String, type: String?, body: String)] = []
        for (key, value) in members {
            let declared = encoding[key]?["contentType"]?.stringValue
            switch value {
            case .array(let items):
                for item in items { parts.append(part(key, item, declared)) }
            default:
                parts.append(part(key, value, declared))
            }
        }
        var seed = UInt64(1469598103934665603)
        for p in parts {
            for byte in (p.name + p.body).utf8 { seed = (seed ^ UInt64(byte)) &* 1099511628211 }
        }
        var boundary = ""
        repeat {
            boundary = "arazzo-" + String(seed, radix: 16)
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
        } while parts.contains { $0.body.contains(boundary) || $0.name.contains(boundary) }
        var text = ""
        for p in parts {
            text += "--\(boundary)\r\n"
            let escapedName = p.name.replacing("\"", with: "%22").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
            text += "Content-Disposition: form-data; name=\"\(escapedName)\"\r\n"
            if let type = p.type { text += "Content-Type: \(type)\r\n" }
            text += "\r\n\(p.body)\r\n"
        }
        text += "--\(boundary)--\r\n"
        let essence = contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? contentType
        return Encoded(bytes: Array(text.utf8), contentType: "\(essence); boundary=\(boundary)")
    }

    private static func part(_ name: String, _ value: JSONValue, _ declared: String?) -> (name: String, type: String?, body: String) {
        switch value {
        case .object, .array:
            return (name, declared ?? "application/json", value.jsonText())
        default:
            return (name, declared, ParameterSerialization.text(value))
        }
    }

    // MARK: - Replacements

    /// Applies one JSON Pointer replacement with JSON-Patch-`add`-like semantics (notes A21): an
    /// existing member or element is replaced, a missing member is added to an existing object,
    /// an index equal to the array length or `-` appends; a missing parent is an error.
    package static func replacing(in payload: JSONValue, target: String, with value: JSONValue) throws(Failure) -> JSONValue {
        let pointer: JSONPointer
        do {
            pointer = try JSONPointer(parsing: target)
        } catch {
            throw Failure(message: "replacement target '\(target)' is not a JSON pointer: \(error.message)")
        }
        if pointer.tokens.isEmpty { return value }
        return try set(in: payload, tokens: pointer.tokens[...], value: value, target: target)
    }

    private static func set(in container: JSONValue, tokens: ArraySlice<String>, value: JSONValue, target: String) throws(Failure) -> JSONValue {
        guard let token = tokens.first else { return value }
        let rest = tokens.dropFirst()
        switch container {
        case .object(var members):
            if rest.isEmpty {
                members[token] = value
            } else {
                guard let child = members[token] else {
                    throw Failure(message: "replacement target '\(target)': member '\(token)' does not exist, so nothing below it can be set")
                }
                members[token] = try set(in: child, tokens: rest, value: value, target: target)
            }
            return .object(members)
        case .array(var items):
            if token == "-" {
                guard rest.isEmpty else { throw Failure(message: "replacement target '\(target)': '-' must be the last token") }
                items.append(value)
                return .array(items)
            }
            guard let index = Int(token), index >= 0, token == String(index) else {
                throw Failure(message: "replacement target '\(target)': '\(token)' is not an array index")
            }
            if rest.isEmpty {
                if index < items.count {
                    items[index] = value
                } else if index == items.count {
                    items.append(value)
                } else {
                    throw Failure(message: "replacement target '\(target)': index \(index) is past the end of an array of \(items.count)")
                }
            } else {
                guard index < items.count else {
                    throw Failure(message: "replacement target '\(target)': index \(index) is out of range (\(items.count) elements)")
                }
                items[index] = try set(in: items[index], tokens: rest, value: value, target: target)
            }
            return .array(items)
        default:
            throw Failure(message: "replacement target '\(target)': cannot set '\(token)' inside a \(container.typeName)")
        }
    }
}

package extension String {
    /// Trims the given characters from both ends (a small stand-in for Foundation's version).
    func trimming(_ set: String) -> String {
        var view = Substring(self)
        while let first = view.first, set.contains(first) { view = view.dropFirst() }
        while let last = view.last, set.contains(last) { view = view.dropLast() }
        return String(view)
    }
}
