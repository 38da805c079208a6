#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)

/// Which HTTP proxy each request goes through, if any (docs/networking.md, "Proxies").
///
/// `http` URLs use ``httpProxy``, `https` URLs ``httpsProxy``; a host that ``noProxy`` matches
/// goes direct. Build one by hand, or from the process environment with
/// ``fromEnvironment(_:)`` (`HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY` and their lower-case forms).
public struct ProxyConfiguration: Sendable, Hashable {
    /// The proxy for `http` URLs (requests sent to it in absolute form) and `ws` WebSocket URLs
    /// (tunnelled with `CONNECT`); nil sends them direct.
    public var httpProxy: ProxyServer?
    /// The proxy for `https` and `wss` URLs (tunnelled with `CONNECT`); nil sends them direct.
    public var httpsProxy: ProxyServer?
    /// The hosts that bypass the proxies.
    public var noProxy: NoProxyList

    /// Creates a configuration with a proxy per scheme.
    public init(httpProxy: ProxyServer?, httpsProxy: ProxyServer?, noProxy: NoProxyList = NoProxyList()) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
    }

    /// Creates a configuration with one proxy for both schemes.
    public init(proxy: ProxyServer, noProxy: NoProxyList = NoProxyList()) {
        self.init(httpProxy: proxy, httpsProxy: proxy, noProxy: noProxy)
    }

    /// The proxy a request to `scheme://host:port` goes through, or nil when it goes direct.
    /// `host` may be an IPv6 literal with or without brackets.
    public func proxy(scheme: String, host: String, port: Int) -> ProxyServer? {
        let server: ProxyServer?
        switch scheme.lowercased() {
        case "http": server = httpProxy
        case "https": server = httpsProxy
        default: server = nil
        }
        guard let server, !noProxy.matches(host: host, port: port) else { return nil }
        return server
    }

    /// The proxies the environment names, as curl reads them (decision NET2): `http_proxy` then
    /// `HTTP_PROXY` for `http` URLs, `https_proxy` then `HTTPS_PROXY` for `https` URLs,
    /// `no_proxy` then `NO_PROXY` for the bypass list; an empty variable counts as unset.
    /// Returns nil when neither proxy variable is set. Takes the variables as a dictionary
    /// (`ProcessInfo.processInfo.environment`) so callers and tests need no `setenv`.
    public static func fromEnvironment(_ environment: [String: String]) throws(ProxySettingError) -> ProxyConfiguration? {
        func value(_ lower: String, _ upper: String) -> (name: String, text: String)? {
            for name in [lower, upper] {
                if let text = environment[name], !text.allSatisfy(\.isWhitespace) { return (name, text) }
            }
            return nil
        }
        func server(_ lower: String, _ upper: String) throws(ProxySettingError) -> ProxyServer? {
            guard let (name, text) = value(lower, upper) else { return nil }
            do {
                return try ProxyServer(url: text)
            } catch {
                throw ProxySettingError(setting: name, reason: error.reason)
            }
        }
        let http = try server("http_proxy", "HTTP_PROXY")
        let https = try server("https_proxy", "HTTPS_PROXY")
        guard http != nil || https != nil else { return nil }
        return ProxyConfiguration(
            httpProxy: http, httpsProxy: https, noProxy: NoProxyList(value("no_proxy", "NO_PROXY")?.text ?? ""))
    }
}

/// A proxy that cannot be used: which setting named it and why, never its password.
public struct ProxySettingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the proxy URL came from (an environment variable's name, or `proxy`).
    public var setting: String
    /// What is wrong with it, in words that never repeat the URL's credentials.
    public var reason: String

    /// Creates an error.
    public init(setting: String, reason: String) {
        self.setting = setting
        self.reason = reason
    }

    /// `SETTING: REASON`.
    public var description: String { "\(setting): \(reason)" }
}

/// One HTTP proxy: where it listens and the Basic credentials it wants, if any.
///
/// Its ``description`` masks the password, so printing or logging a proxy never leaks it.
public struct ProxyServer: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The proxy's host name or IP address (IPv6 without brackets).
    public var host: String
    /// The proxy's port.
    public var port: Int
    /// The user name for `Proxy-Authorization: Basic`, if any.
    public var username: String?
    /// The password for `Proxy-Authorization: Basic`, if any. Secret: never printed.
    public var password: String?

    /// Creates a proxy.
    public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    /// The port a proxy URL without one gets: 1080, as curl (decision NET2).
    public static let defaultPort = 1080

    /// Parses `[http://][USER[:PASSWORD]@]HOST[:PORT][/]` (decision NET2): the scheme may be left
    /// out, user and password are percent-decoded, an IPv6 host is bracketed. Only `http`
    /// proxies are supported (TLS to the proxy itself is not). The error never quotes the URL.
    public init(url text: String) throws(ProxySettingError) {
        func fail(_ reason: String) -> ProxySettingError { ProxySettingError(setting: "proxy", reason: reason) }
        var rest = Substring(text.trimmingWhitespace())
        if let range = rest.firstRange(of: "://") {
            let scheme = rest[..<range.lowerBound].lowercased()
            guard scheme == "http" else {
                throw fail("the proxy URL's scheme must be http (got '\(scheme)'; HTTPS and SOCKS proxies are not supported)")
            }
            rest = rest[range.upperBound...]
        }
        // Everything after the authority must be empty or "/": a proxy has no path.
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            guard rest[slash...] == "/" else { throw fail("a proxy URL has no path, query or fragment") }
            rest = rest[..<slash]
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let user = userinfo.prefix { $0 != ":" }
            guard let decodedUser = UserinfoDecoding.decode(user) else {
                throw fail("the proxy URL's user name is not valid percent-encoding")
            }
            username = decodedUser
            if user.endIndex != userinfo.endIndex {
                guard let decodedPassword = UserinfoDecoding.decode(userinfo[userinfo.index(after: user.endIndex)...]) else {
                    throw fail("the proxy URL's password is not valid percent-encoding")
                }
                password = decodedPassword
            }
        }
        let host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw fail("the proxy URL's IPv6 host has no closing ']'") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected text after the proxy URL's IPv6 host") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "@" }) else {
            throw fail("the proxy URL names no host")
        }
        var port = Self.defaultPort
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw fail("the proxy URL's port must be a number from 1 to 65535")
            }
            port = number
        }
        self.init(host: String(host), port: port, username: username, password: password)
    }

    /// `http://USER:***@HOST:PORT`, the password masked.
    public var description: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        var userinfo = ""
        if let username {
            userinfo = username + (password == nil ? "" : ":***") + "@"
        }
        return "http://\(userinfo)\(hostText):\(port)"
    }

    /// The same as ``description``: the password stays masked in debug output too.
    public var debugDescription: String { description }

    /// A mirror without the password, so `dump` and reflection do not print it either.
    public var customMirror: Mirror {
        Mirror(self, children: ["host": host, "port": port, "username": username as Any, "hasPassword": password != nil])
    }
}

/// The hosts that bypass the proxy, read as curl reads `NO_PROXY` (decision NET3).
///
/// Entries are separated by commas or whitespace. An entry matches:
/// - `*`: every host;
/// - a domain (`example.com` or `.example.com`): that host and every subdomain of it;
/// - an IP address: that address; with `/BITS`, every address in that CIDR range;
/// - any of these with `:PORT` (IPv6 in brackets, `[::1]:8080`): only requests to that port.
///
/// Names compare without regard to ASCII case, and a trailing dot is ignored.
public struct NoProxyList: Sendable, Hashable {
    /// One parsed entry.
    enum Entry: Sendable, Hashable {
        case all
        case domain(String, port: Int?)
        case address([UInt8], prefixBits: Int, port: Int?)
    }

    /// The entries as written, trimmed, empty ones dropped.
    public let entries: [String]
    let parsed: [Entry]

    /// Parses a `NO_PROXY` value. Entries that cannot match anything (an empty one, a bad port)
    /// are ignored, as curl ignores them.
    public init(_ text: String = "") {
        let pieces = text.split { $0 == "," || $0.isWhitespace }.map(String.init).filter { !$0.isEmpty }
        entries = pieces
        parsed = pieces.compactMap(Self.parse)
    }

    /// Creates a list from separate entries.
    public init(entries: [String]) {
        self.init(entries.joined(separator: ","))
    }

    /// Whether `host` (a name, or an IP literal with or without brackets) on `port` bypasses the proxy.
    public func matches(host: String, port: Int) -> Bool {
        let name = Self.normalize(host)
        let address = IPAddressBytes.parse(name)
        for entry in parsed {
            switch entry {
            case .all:
                return true
            case .domain(let domain, let entryPort):
                if let entryPort, entryPort != port { continue }
                if name == domain { return true }
                // An IP address has no parent domains: `0.0.1` must not match `1.0.0.1`.
                if address == nil, name.hasSuffix(domain), name.dropLast(domain.count).hasSuffix(".") { return true }
            case .address(let bytes, let bits, let entryPort):
                if let entryPort, entryPort != port { continue }
                if let address, IPAddressBytes.matches(address, bytes, prefixBits: bits) { return true }
            }
        }
        return false
    }

    static func normalize(_ host: some StringProtocol) -> String {
        var text = Substring(host)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        while text.hasSuffix(".") { text = text.dropLast() }
        return text.lowercased()
    }

    private static func parse(_ raw: String) -> Entry? {
        if raw == "*" { return .all }
        var text = Substring(raw)
        var port: Int?
        // [IPv6]:PORT, [IPv6], HOST:PORT, bare IPv6 (two or more colons), HOST.
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()), (1...65535).contains(number) else { return nil }
                port = number
            }
            text = text[text.index(after: text.startIndex)..<close]
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            guard let number = Int(text[text.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            port = number
            text = text[..<colon]
        }
        // An address, possibly with /BITS.
        var bitsText: Substring?
        var addressText = text
        if let slash = text.firstIndex(of: "/") {
            addressText = text[..<slash]
            bitsText = text[text.index(after: slash)...]
        }
        if let bytes = IPAddressBytes.parse(String(addressText)) {
            var bits = bytes.count * 8
            if let bitsText {
                guard let number = Int(bitsText), (0...bits).contains(number) else { return nil }
                bits = number
            }
            return .address(bytes, prefixBits: bits, port: port)
        }
        guard bitsText == nil else { return nil }
        while text.hasPrefix(".") { text = text.dropFirst() }
        if text.hasPrefix("*.") { text = text.dropFirst(2) }  // `*.example.com` is read as `.example.com`
        let domain = normalize(text)
        return domain.isEmpty ? nil : .domain(domain, port: port)
    }
}

/// IPv4 and IPv6 literals as bytes, and prefix comparison, without a socket API.
enum IPAddressBytes {
    static func parse(_ text: String) -> [UInt8]? {
        if text.contains(":") { return parseIPv6(Substring(text)) }
        return parseIPv4(Substring(text))
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        var text = text
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }  // zone id
        var tail: [UInt8] = []
        // An embedded IPv4 tail (::ffff:1.2.3.4).
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = parseIPv4(text[text.index(after: lastColon)...]) else { return nil }
            tail = v4
            text = text[...lastColon]
            if text.hasSuffix(":"), !text.hasSuffix("::") { text = text.dropLast() }
        }
        func groups(_ part: Substring) -> [UInt8]? {
            if part.isEmpty { return [] }
            var bytes: [UInt8] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                bytes.append(UInt8(value >> 8))
                bytes.append(UInt8(value & 0xFF))
            }
            return bytes
        }
        let want = 16 - tail.count
        if let gap = text.firstRange(of: "::") {
            guard let head = groups(text[..<gap.lowerBound]), let rest = groups(text[gap.upperBound...]),
                head.count + rest.count < want else { return nil }
            return head + Array(repeating: 0, count: want - head.count - rest.count) + rest + tail
        }
        guard let all = groups(text), all.count == want else { return nil }
        return all + tail
    }

    static func matches(_ address: [UInt8], _ network: [UInt8], prefixBits: Int) -> Bool {
        guard address.count == network.count else { return false }
        var remaining = prefixBits
        for (a, n) in zip(address, network) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a & mask != n & mask { return false }
            remaining -= bits
        }
        return true
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return text
    }
}

/// Percent-decoding of a URL's user information (UTF-8).
enum UserinfoDecoding {
    static func decode(_ text: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
#endif
