// The one place that decides which declared Response Object and media type an exchange falls
// under; the contract checker and the schema accessors both read descriptions through it.

extension OpenAPIResponse {
    /// The Response Object for `status`: the exact code, else its `2XX`-style range, else `default`.
    package static func matching(status: Int, in responses: [OpenAPIResponse]) -> OpenAPIResponse? {
        let code = String(status)
        if let exact = responses.first(where: { $0.status == code }) { return exact }
        let range = "\(status / 100)XX"
        if let ranged = responses.first(where: { $0.status.uppercased() == range }) { return ranged }
        return responses.first { $0.status == "default" }
    }
}

extension OpenAPIMediaType {
    /// `type/subtype` in lower case, without parameters (`charset`, …). Byte-level: it runs for
    /// every request and response, and Foundation's trimming cost a twentieth of a run.
    package static func essence(_ mediaType: String) -> (type: Substring, subtype: Substring) {
        var bytes = Array(mediaType.utf8)
        if let semicolon = bytes.firstIndex(of: UInt8(ascii: ";")) { bytes.removeSubrange(semicolon...) }
        while let last = bytes.last, last == 32 || last == 9 { bytes.removeLast() }
        var start = 0
        while start < bytes.count, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
        for i in start..<bytes.count where bytes[i] >= 65 && bytes[i] <= 90 { bytes[i] += 32 }
        let text = String(decoding: bytes[start...], as: UTF8.self)
        guard let slash = text.firstIndex(of: "/") else { return (text[...], "") }
        return (text[..<slash], text[text.index(after: slash)...])
    }

    /// How specifically `declared` matches `actual` (higher is more specific), or nil when it does
    /// not: exact; a declared structured suffix range (`application/*+json`); `type/*`; `*/*`.
    package static func matchRank(_ declared: String, _ actual: String) -> Int? {
        let d = essence(declared), a = essence(actual)
        if d.type == "*" && d.subtype == "*" { return 1 }
        guard d.type == a.type else { return nil }
        if d.subtype == a.subtype { return 4 }
        if d.subtype.hasPrefix("*+"), a.subtype.hasSuffix(d.subtype.dropFirst()) { return 3 }
        if d.subtype == "*" { return 2 }
        return nil
    }

    /// The most specific declared media type `actual` falls under.
    package static func bestMatch(_ actual: String, in content: [OpenAPIMediaType]) -> OpenAPIMediaType? {
        // The common case, a media type sent exactly as declared, needs no parsing.
        // By index, the one found copied once: iterating copied every media type passed.
        for index in content.indices where content[index].mediaType == actual { return content[index] }
        var best: (rank: Int, index: Int)?
        for index in content.indices {
            guard let rank = matchRank(content[index].mediaType, actual), rank > (best?.rank ?? 0) else { continue }
            best = (rank, index)
        }
        return best.map { content[$0.index] }
    }
}
