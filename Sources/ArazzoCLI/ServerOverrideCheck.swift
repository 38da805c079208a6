import Arazzo

/// Checks `--server SOURCE=URL` values: an override must name an OpenAPI source of the document
/// and give an absolute http(s) URL, or requests would silently go elsewhere.
enum ServerOverrideCheck {
    /// Whether `url` is an `http://` or `https://` URL with a host.
    static func isHTTPURL(_ url: String) -> Bool {
        let lowered = url.lowercased()
        let rest: Substring
        if lowered.hasPrefix("http://") {
            rest = lowered.dropFirst(7)
        } else if lowered.hasPrefix("https://") {
            rest = lowered.dropFirst(8)
        } else {
            return false
        }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        return !hostPort.isEmpty && !hostPort.hasPrefix(":")
    }

    /// What is wrong with an override of `source`, given the document's source types; nil when
    /// it names an OpenAPI source.
    static func problem(source: String, types: [String: SourceDescription.SourceType]) -> String? {
        let openAPI = types.filter { $0.value == .openapi }.keys.sorted()
        let listing = openAPI.isEmpty ? " (the document has none)" : " (here: \(openAPI.joined(separator: ", ")))"
        switch types[source] {
        case .openapi?:
            return nil
        case .arazzo?, .asyncapi?:
            return "'\(source)' is an \(types[source]?.rawValue ?? "") source description; --server applies to openapi sources" + listing
        case nil:
            if let near = suggest(source, among: openAPI) {
                return "no source description '\(source)'; did you mean '\(near)'?"
            }
            return "no source description '\(source)'; --server applies to openapi sources" + listing
        }
    }
}
