import ArazzoJSON
import Foundation

/// URL-reference arithmetic (RFC 3986 §5.2) over plain strings, for source descriptions, `$ref`s
/// and server URLs. Documents loaded from disk are identified by absolute file paths (no scheme);
/// everything else keeps its scheme. Foundation's `URL` is avoided on purpose: it normalises
/// differently across platforms and rejects some references OpenAPI documents contain.
package enum URLReference {
    /// The scheme of `reference` (lower-cased), if it has one (`http`, `https`, `file`).
    package static func scheme(of reference: String) -> String? {
        // RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) — ASCII only, so bytes suffice (and
        // this runs for every request the engine builds).
        let utf8 = reference.utf8
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let candidate = utf8[..<colon]
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        guard let first = candidate.first, isLetter(first) else { return nil }
        guard candidate.allSatisfy({ byte in
            isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }) else {
            return nil
        }
        // A Windows drive letter is not a scheme; neither is a single letter in general.
        guard candidate.count > 1 else { return nil }
        return String(decoding: candidate, as: UTF8.self).lowercased()
    }

    /// Whether `reference` names something fetched over HTTP.
    package static func isHTTP(_ reference: String) -> Bool {
        let s = scheme(of: reference)
        return s == "http" || s == "https"
    }

    /// Splits `reference` at its first `#` into the document part and the fragment (without `#`).
    package static func splitFragment(_ reference: String) -> (document: String, fragment: String?) {
        guard let hash = reference.firstIndex(of: "#") else { return (reference, nil) }
        return (String(reference[..<hash]), String(reference[reference.index(after: hash)...]))
    }

    /// Turns a `file:` URL into a path; leaves other strings alone.
    package static func filePath(_ reference: String) -> String {
        guard scheme(of: reference) == "file" else { return reference }
        var rest = reference.dropFirst(5)
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            // file://host/path: only an empty host or localhost is meaningful here.
            if let slash = rest.firstIndex(of: "/") {
                rest = rest[slash...]
            }
        }
        return percentDecoded(String(rest))
    }

    /// Resolves `reference` against `base` (an absolute file path or an absolute URL).
    package static func resolve(_ reference: String, against base: String) -> String {
        if reference.isEmpty { return splitFragment(base).document }
        if let scheme = scheme(of: reference) {
            return scheme == "file" ? normalizePath(filePath(reference)) : removeDotSegmentsInURL(reference)
        }
        if isHTTP(base) {
            return resolveURL(reference, against: base)
        }
        // File paths.
        let basePath = filePath(base)
        if reference.hasPrefix("/") { return normalizePath(percentDecoded(reference)) }
        if reference.hasPrefix("#") { return splitFragment(basePath).document + reference }
        let directory: String
        if let slash = basePath.lastIndex(of: "/") {
            directory = String(basePath[...slash])
        } else {
            directory = ""
        }
        let (doc, fragment) = splitFragment(reference)
        let joined = normalizePath(directory + percentDecoded(doc))
        return fragment.map { joined + "#" + $0 } ?? joined
    }

    /// RFC 3986 §5.2.2 for an absolute `http(s)` base.
    private static func resolveURL(_ reference: String, against base: String) -> String {
        let baseDoc = splitFragment(base).document
        guard let schemeEnd = baseDoc.range(of: "://") else { return reference }
        let afterScheme = baseDoc[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        let origin = String(baseDoc[..<authorityEnd])
        var basePath = String(afterScheme[authorityEnd...])
        if let q = basePath.firstIndex(of: "?") { basePath = String(basePath[..<q]) }
        if basePath.isEmpty { basePath = "/" }

        if reference.hasPrefix("//") {
            return String(baseDoc[..<schemeEnd.lowerBound]) + ":" + reference
        }
        if reference.hasPrefix("/") {
            return origin + removeDotSegments(reference)
        }
        if reference.hasPrefix("?") {
            return origin + basePath + reference
        }
        if reference.hasPrefix("#") {
            return baseDoc + reference
        }
        let directory = basePath.lastIndex(of: "/").map { String(basePath[...$0]) } ?? "/"
        return origin + removeDotSegments(directory + reference)
    }

    private static func removeDotSegmentsInURL(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let afterScheme = url[schemeEnd.upperBound...]
        guard let pathStart = afterScheme.firstIndex(of: "/") else { return url }
        return String(url[..<pathStart]) + removeDotSegments(String(url[pathStart...]))
    }

    /// Removes `.` and `..` segments from a path, keeping any query or fragment suffix untouched.
    package static func removeDotSegments(_ path: String) -> String {
        var suffix = ""
        var pathPart = path
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            suffix = String(path[cut...])
            pathPart = String(path[..<cut])
        }
        return normalizePath(pathPart) + suffix
    }

    /// Collapses `.`/`..`/empty segments of a slash-separated path, keeping a leading slash and a
    /// trailing slash where the input had one.
    package static func normalizePath(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        let trailing = path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..")
        var out: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..":
                if let last = out.last, last != ".." {
                    out.removeLast()
                } else if !absolute {
                    out.append(segment)
                }
            default: out.append(segment)
            }
        }
        var result = (absolute ? "/" : "") + out.joined(separator: "/")
        if trailing && !out.isEmpty { result += "/" }
        return result
    }
}
