public import Foundation
import Synchronization

/// One cookie as a jar keeps it (RFC 6265 §5.3).
public struct Cookie: Sendable, Hashable {
    /// The cookie's name.
    public var name: String
    /// The cookie's value (a credential in every output: decision CK3).
    public var value: String
    /// The domain it belongs to, lower-cased, without a leading dot.
    public var domain: String
    /// Whether only the exact host that set it gets it back (no `Domain` attribute).
    public var hostOnly: Bool
    /// The path it is sent under (its `Path` attribute, or the default-path of the request).
    public var path: String
    /// Whether it is sent over https only.
    public var secure: Bool
    /// Whether it carried `HttpOnly` (parsed and kept; the engine is no script, so it changes nothing).
    public var httpOnly: Bool
    /// When it expires; nil for a session cookie, which lasts as long as the jar.
    public var expires: Date?
    /// When the jar first stored a cookie of this name, domain and path (the order of the
    /// `Cookie` header among cookies of equal path length).
    public var created: Date
}

/// Why a `Set-Cookie` header was not stored (the engine notes it on the step).
public struct CookieRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The cookie's name, when the header had one.
    public var name: String?
    /// Why: `its Domain attribute 'com' is a public suffix`.
    public var reason: String

    /// `Set-Cookie 'sid' ignored: …`.
    public var description: String {
        "Set-Cookie \(name.map { "'\($0)' " } ?? "")ignored: \(reason)"
    }
}

/// An RFC 6265 cookie jar: stores what `Set-Cookie` response headers set and answers the
/// `Cookie` header a request URL gets back.
///
/// A run uses one when ``RunOptions/cookies`` is set (decision CK1); the engine stores every
/// response's cookies and adds the matching ones to every request that carries no `Cookie`
/// header of its own (CK4). The jar lives in memory only. It is safe to share between tasks.
///
/// Rules (RFC 6265 §5): a cookie without `Domain` is host-only; one with `Domain` goes to that
/// domain and its subdomains, provided the request host domain-matches it, the host is not an IP
/// address, and the domain is not a public suffix — the jar knows no public-suffix list and
/// refuses any single-label domain (`com`, `localhost`) unless it is the host itself (CK2).
/// `Path` defaults to the directory of the request path; `Secure` cookies go over https only;
/// `Max-Age` wins over `Expires`; an expiry in the past removes the cookie; a cookie replaces
/// the one of the same name, domain and path.
public final class CookieJar: Sendable {
    private let stored = Mutex<[Cookie]>([])

    /// An empty jar.
    public init() {}

    /// Every cookie stored (expired ones included until the next look-up drops them).
    public var cookies: [Cookie] { stored.withLock { $0 } }

    /// Stores the cookies of `setCookie` header values, received from `url` at `now`. Returns
    /// the headers it refused, with why.
    @discardableResult
    public func store(setCookie values: [String], from url: String, now: Date = Date()) -> [CookieRefusal] {
        guard let origin = CookieURL(url) else {
            return values.isEmpty ? [] : [CookieRefusal(name: nil, reason: "the response URL has no host")]
        }
        var refusals: [CookieRefusal] = []
        for header in values {
            switch Self.cookie(from: header, origin: origin, now: now) {
            case .failure(let refusal): refusals.append(refusal)
            case .success(var cookie):
                stored.withLock { jar in
                    let expired = cookie.expires.map { $0 <= now } ?? false
                    if let old = jar.firstIndex(where: { $0.name == cookie.name && $0.domain == cookie.domain && $0.path == cookie.path }) {
                        // The replacement keeps the old creation time, and its place among equals.
                        cookie.created = jar[old].created
                        if expired { jar.remove(at: old) } else { jar[old] = cookie }
                        return
                    }
                    // An expiry in the past only removes (RFC 6265 §5.3 step 12 ends here).
                    if !expired { jar.append(cookie) }
                }
            }
        }
        return refusals
    }

    /// The cookies `url` gets at `now` (RFC 6265 §5.4), longest path first, then oldest; expired
    /// cookies are dropped from the jar.
    public func cookies(for url: String, now: Date = Date()) -> [Cookie] {
        guard let target = CookieURL(url) else { return [] }
        return stored.withLock { jar in
            jar.removeAll { $0.expires.map { $0 <= now } ?? false }
            return jar.filter { cookie in
                let domainOK = cookie.hostOnly ? target.host == cookie.domain : Self.domainMatches(target.host, cookie.domain)
                return domainOK && Self.pathMatches(target.path, cookie.path) && (!cookie.secure || target.secure)
            }
            .enumerated()
            .sorted { a, b in
                if a.element.path.count != b.element.path.count { return a.element.path.count > b.element.path.count }
                if a.element.created != b.element.created { return a.element.created < b.element.created }
                return a.offset < b.offset
            }
            .map(\.element)
        }
    }

    /// The `Cookie` header value for `url` (`a=1; b=2`), nil when no cookie matches.
    public func cookieHeader(for url: String, now: Date = Date()) -> String? {
        let matching = cookies(for: url, now: now)
        guard !matching.isEmpty else { return nil }
        return matching.map { $0.name + "=" + $0.value }.joined(separator: "; ")
    }

    /// Removes every cookie.
    public func removeAll() {
        stored.withLock { $0.removeAll() }
    }

    // MARK: - Parsing and storing (RFC 6265 §5.2, §5.3)

    static func cookie(from header: String, origin: CookieURL, now: Date) -> Result<Cookie, CookieRefusal> {
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        let pair = parts.first.map(String.init) ?? ""
        guard let eq = pair.firstIndex(of: "=") else {
            return .failure(CookieRefusal(name: nil, reason: "it has no name=value pair"))
        }
        let name = pair[..<eq].trimmedSpaces
        let value = pair[pair.index(after: eq)...].trimmedSpaces
        guard !name.isEmpty else { return .failure(CookieRefusal(name: nil, reason: "its name is empty")) }
        func refuse(_ reason: String) -> Result<Cookie, CookieRefusal> { .failure(CookieRefusal(name: name, reason: reason)) }

        var expires: Date?
        var maxAge: Date?
        var domainAttribute: String?
        var pathAttribute: String?
        var secure = false
        var httpOnly = false
        for attribute in parts.dropFirst() {
            let eq = attribute.firstIndex(of: "=")
            let key = (eq.map { attribute[..<$0] } ?? attribute[...]).trimmedSpaces.lowercased()
            let raw = eq.map { attribute[attribute.index(after: $0)...].trimmedSpaces } ?? ""
            switch key {
            case "expires":
                if let date = CookieDate.parse(raw) { expires = date }
            case "max-age":
                // §5.2.2: digits with an optional leading '-'; anything else is ignored.
                let digits = raw.hasPrefix("-") ? raw.dropFirst() : Substring(raw)
                guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { continue }
                if raw.hasPrefix("-") || digits.allSatisfy({ $0 == "0" }) {
                    maxAge = .distantPast
                } else {
                    let seconds = Double(digits) ?? .greatestFiniteMagnitude
                    maxAge = seconds > 1e11 ? .distantFuture : now.addingTimeInterval(seconds)
                }
            case "domain":
                var domain = raw
                if domain.hasPrefix(".") { domain.removeFirst() }
                if !domain.isEmpty { domainAttribute = domain.lowercased() }
            case "path":
                pathAttribute = raw.hasPrefix("/") ? raw : nil
            case "secure":
                secure = true
            case "httponly":
                httpOnly = true
            default:
                break  // SameSite and unknown attributes: parsed past, nothing to do for us.
            }
        }

        var domain = origin.host
        var hostOnly = true
        if let attribute = domainAttribute {
            if !attribute.contains(".") && !attribute.hasPrefix("[") {
                // CK2: a single label is treated as a public suffix.
                guard attribute == origin.host else {
                    return refuse("its Domain attribute '\(attribute)' is a public suffix")
                }
            } else if origin.isIPAddress {
                guard attribute == origin.host else {
                    return refuse("its Domain attribute '\(attribute)' does not equal the IP address \(origin.host) that set it")
                }
            } else if !domainMatches(origin.host, attribute) {
                return refuse("its Domain attribute '\(attribute)' does not cover the host \(origin.host) that set it")
            } else {
                domain = attribute
                hostOnly = false
            }
        }
        return .success(Cookie(
            name: name, value: value, domain: domain, hostOnly: hostOnly,
            path: pathAttribute ?? defaultPath(origin.path), secure: secure, httpOnly: httpOnly,
            expires: maxAge ?? expires, created: now))
    }

    /// RFC 6265 §5.1.4: the request path up to (not including) its last `/`, or `/`.
    static func defaultPath(_ path: String) -> String {
        guard path.hasPrefix("/"), let last = path.lastIndex(of: "/"), last != path.startIndex else { return "/" }
        return String(path[..<last])
    }

    /// RFC 6265 §5.1.3: equal, or `domain` a dot-separated suffix of a host that is no IP address.
    static func domainMatches(_ host: String, _ domain: String) -> Bool {
        if host == domain { return true }
        return host.hasSuffix("." + domain) && !CookieURL.isIPAddress(host)
    }

    /// RFC 6265 §5.1.4: identical, or `cookiePath` a prefix ending at a `/` boundary.
    static func pathMatches(_ requestPath: String, _ cookiePath: String) -> Bool {
        if requestPath == cookiePath { return true }
        guard requestPath.hasPrefix(cookiePath) else { return false }
        return cookiePath.hasSuffix("/") || requestPath.dropFirst(cookiePath.count).first == "/"
    }
}

/// The parts of a request URL cookies look at.
struct CookieURL {
    var host: String
    var path: String
    var secure: Bool
    var isIPAddress: Bool

    init?(_ url: String) {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else { return nil }
        self.host = host.lowercased()
        let path = components.percentEncodedPath
        self.path = path.isEmpty ? "/" : path
        self.secure = components.scheme?.lowercased() == "https"
        self.isIPAddress = Self.isIPAddress(self.host)
    }

    static func isIPAddress(_ host: String) -> Bool {
        if host.contains(":") || host.hasPrefix("[") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) }
    }
}

/// RFC 6265 §5.1.1: the forgiving cookie-date algorithm (`Expires`).
enum CookieDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Date? {
        var time: (Int, Int, Int)?
        var day: Int?
        var month: Int?
        var year: Int?
        // Delimiters: %x09, %x20-2F, %x3B-40, %x5B-60, %x7B-7E.
        let tokens = text.unicodeScalars.split { c in
            let v = c.value
            return v == 0x09 || (0x20...0x2F).contains(v) || (0x3B...0x40).contains(v) || (0x5B...0x60).contains(v) || (0x7B...0x7E).contains(v)
        }.map { String(String.UnicodeScalarView($0)) }
        for token in tokens {
            if time == nil, let t = parseTime(token) { time = t; continue }
            if day == nil, let d = leadingDigits(token, 1...2) { day = d; continue }
            if month == nil, let m = months.firstIndex(of: String(token.prefix(3)).lowercased()), token.count >= 3 { month = m + 1; continue }
            if year == nil, let y = leadingDigits(token, 2...4) { year = y; continue }
        }
        guard var year, let day, let month, let (hour, minute, second) = time else { return nil }
        if (70...99).contains(year) { year += 1900 } else if (0...69).contains(year) { year += 2000 }
        guard (1...31).contains(day), year >= 1601, hour <= 23, minute <= 59, second <= 59 else { return nil }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(identifier: "UTC")
        (components.year, components.month, components.day) = (year, month, day)
        (components.hour, components.minute, components.second) = (hour, minute, second)
        guard components.isValidDate, let date = components.date else { return nil }
        return date
    }

    /// 1–2 digits, `:`, 1–2 digits, `:`, 1–2 digits, anything non-digit after.
    private static func parseTime(_ token: String) -> (Int, Int, Int)? {
        let fields = token.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3 else { return nil }
        var values: [Int] = []
        for (index, field) in fields.enumerated() {
            let digits = field.prefix { $0.isASCIIDigit }
            guard (1...2).contains(digits.count), index == 2 || digits.count == field.count, let v = Int(digits) else { return nil }
            values.append(v)
        }
        return (values[0], values[1], values[2])
    }

    /// A token that starts with `count` digits followed by no further digit.
    private static func leadingDigits(_ token: String, _ count: ClosedRange<Int>) -> Int? {
        let digits = token.prefix { $0.isASCIIDigit }
        guard count.contains(digits.count) else { return nil }
        return Int(digits)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmedSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
