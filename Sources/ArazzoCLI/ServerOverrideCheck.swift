#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Arazzo
import ArazzoModel
import Foundation
import ArazzoDiagnostics

/// Checks `--server SOURCE=URL` values: an override must name an OpenAPI source of the document
/// with an absolute http(s) URL, or an AsyncAPI source with a `scheme://host` URL (its scheme is
/// the protocol), or requests would silently go elsewhere.
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

    /// Whether `url` is `scheme://host…` (an AsyncAPI server: `ws://`, `wss://`, `kafka://`, …).
    static func isURLWithHost(_ url: String) -> Bool {
        guard let schemeEnd = url.range(of: "://") else { return false }
        let scheme = url[..<schemeEnd.lowerBound]
        guard let first = scheme.first, first.isLetter,
              scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) else { return false }
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        return !hostPort.isEmpty && !hostPort.hasPrefix(":")
    }

    /// What is wrong with an override of `source` to `url`, given the document's source types;
    /// nil when it names an OpenAPI source with an http(s) URL or an AsyncAPI source with a
    /// `scheme://host` URL.
    static func problem(source: String, url: String, types: [String: SourceDescription.SourceType]) -> String? {
        let overridable = types.filter { $0.value == .openapi || $0.value == .asyncapi }.keys.sorted()
        let listing = overridable.isEmpty ? " (the document has none)" : " (here: \(overridable.joined(separator: ", ")))"
        switch types[source] {
        case .openapi?:
            return isHTTPURL(url) ? nil : "'\(source)' is an openapi source description; its URL must start with http:// or https://"
        case .asyncapi?:
            return nil  // `scheme://host` was checked with the flag; the scheme picks the transport
        case .arazzo?:
            return "'\(source)' is an arazzo source description; --server applies to openapi and asyncapi sources" + listing
        case nil:
            if let near = suggest(source, among: overridable) {
                return "no source description '\(source)'; did you mean '\(near)'?"
            }
            return "no source description '\(source)'; --server applies to openapi and asyncapi sources" + listing
        }
    }
}
#endif
