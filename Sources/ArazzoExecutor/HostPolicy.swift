import Foundation

/// Where a run may send requests: an allow-list of `[scheme://]host[:port]` patterns
/// (the CLI's `allow-host` option), checked before any connection is made.
///
/// Pattern forms:
/// - `api.example.com`: that host, any allowed scheme, any port;
/// - `*.example.com`: every subdomain at any depth (`a.example.com`, `a.b.example.com`), but not
///   `example.com` itself (list it too when wanted);
/// - `127.0.0.1:8080`, `[::1]:8080`: that address and port only;
/// - `https://api.example.com`: that scheme only (then a missing port means any port);
/// - `*`: any host (with a port or scheme, that port or scheme only).
///
/// URLs are judged conservatively, because a document author may craft a URL that two parsers read
/// differently: a URL with user info (`http://evil.com@good.com`), percent-encoded or non-ASCII
/// host characters, a backslash, an IPv6 zone, or a numeric host that is not a canonical dotted
/// quad (`http://2130706433/`, `http://127.1/`) is never allowed, whatever the patterns say.
/// Host names compare case-insensitively, ignoring one trailing dot; IPv6 addresses compare by
/// value (`[::1]` equals `[0:0:0:0:0:0:0:1]`).
public struct HostPolicy: Sendable, Hashable, CustomStringConvertible {
    /// One allow-list entry.
    public struct Pattern: Sendable, Hashable, CustomStringConvertible {
        /// The host part of a pattern.
        public enum Host: Sendable, Hashable {
            /// Any host (`*`).
            case any
            /// Exactly this host name (lower-cased, without a trailing dot) or IPv4 address.
            case exact(String)
            /// Any proper subdomain of this name (`*.example.com` stores `example.com`).
            case subdomains(of: String)
            /// This IPv6 address (16 bytes).
            case ipv6([UInt8])
        }

        /// The scheme the pattern is limited to (lower-cased), or nil for any allowed scheme.
        public var scheme: String?
        /// Which hosts match.
        public var host: Host
        /// The port the pattern is limited to, or nil for any port.
        public var port: Int?
        /// The pattern as written.
        public var text: String

        /// Parses `text`; nil when it is not a usable pattern (see ``HostPolicy/Pattern/parse(_:)``
        /// for the reason).
        public init?(_ text: String) {
            guard case .success(let pattern) = Self.parse(text) else { return nil }
            self = pattern
        }

        private init(scheme: String?, host: Host, port: Int?, text: String) {
            self.scheme = scheme
            self.host = host
            self.port = port
            self.text = text
        }

        /// Parses `text`, or says in one line what is wrong with it.
        public static func parse(_ text: String) -> Result<Pattern, PatternError> {
            func fail(_ why: String) -> Result<Pattern, PatternError> {
                .failure(PatternError(pattern: text, message: why))
            }
            var rest = Substring(text.trimmingCharacters(in: .whitespaces))
            guard !rest.isEmpty else { return fail("the pattern is empty") }
            var scheme: String?
            if let range = rest.range(of: "://") {
                let name = rest[..<range.lowerBound].lowercased()
                guard name == "http" || name == "https" else {
                    return fail("the scheme must be http or https")
                }
                scheme = name
                rest = rest[range.upperBound...]
            }
            if rest.hasSuffix("/") { rest = rest.dropLast() }
            guard !rest.contains("/"), !rest.contains("@"), !rest.contains("?"), !rest.contains("#") else {
                return fail("write only [scheme://]host[:port], e.g. *.example.com or 127.0.0.1:8080")
            }
            guard case .success(let authority) = Authority.split(rest) else {
                return fail("write only [scheme://]host[:port], e.g. *.example.com or 127.0.0.1:8080")
            }
            var port: Int?
            if let portText = authority.port, portText != "*" {
                guard let value = Authority.port(portText) else {
                    return fail("the port must be a number from 1 to 65535 (or *)")
                }
                port = value
            }
            let hostText = authority.host
            if hostText == "*" {
                return .success(Pattern(scheme: scheme, host: .any, port: port, text: text))
            }
            if authority.isBracketed {
                guard let bytes = IPv6.parse(hostText) else { return fail("[\(hostText)] is not an IPv6 address") }
                return .success(Pattern(scheme: scheme, host: .ipv6(bytes), port: port, text: text))
            }
            if hostText.hasPrefix("*.") {
                let base = HostName.normalized(String(hostText.dropFirst(2)))
                guard let base, !base.contains("*"), HostName.isName(base) else {
                    return fail("after *. a host name must follow, e.g. *.example.com")
                }
                return .success(Pattern(scheme: scheme, host: .subdomains(of: base), port: port, text: text))
            }
            guard let name = HostName.normalized(hostText), !name.contains("*") else {
                return fail("'\(hostText)' is not a host name; a wildcard may only start the pattern (*.example.com)")
            }
            guard HostName.isName(name) else { return fail("'\(hostText)' is not a host name") }
            if HostName.looksNumeric(name), !HostName.isCanonicalIPv4(name) {
                return fail("'\(hostText)' is not a dotted-quad IPv4 address")
            }
            return .success(Pattern(scheme: scheme, host: .exact(name), port: port, text: text))
        }

        /// Whether this entry admits the parsed target.
        func matches(_ target: Target) -> Bool {
            if let scheme, scheme != target.scheme { return false }
            if let port, port != target.port { return false }
            switch (host, target.host) {
            case (.any, _): return true
            case (.exact(let a), .name(let b)): return a == b
            case (.subdomains(let base), .name(let b)): return b.hasSuffix("." + base)
            case (.ipv6(let a), .ipv6(let b)): return a == b
            default: return false
            }
        }

        /// The pattern as written.
        public var description: String { text }
    }

    /// A pattern that cannot be used, with the reason.
    public struct PatternError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The pattern as written.
        public var pattern: String
        /// What is wrong, in one line.
        public var message: String

        /// `host pattern PATTERN: message`; a front end that took the pattern from an option of its
        /// own names that option instead (it has `pattern` and `message`).
        public var description: String { "host pattern \(pattern): \(message)" }
    }

    /// The entries; a URL is allowed when any entry matches it.
    public var patterns: [Pattern]
    /// The schemes requests may use at all (lower-cased). Default `http` and `https`.
    public var schemes: Set<String>
    /// What refusals call the allow-list ("host … is not allowed by NAME"). A front end sets it to
    /// where the user wrote the patterns (the CLI: its option), so the message points there.
    public var name: String = "the host allow-list"

    /// A policy from parsed patterns. An empty list allows nothing.
    public init(patterns: [Pattern], schemes: Set<String> = ["http", "https"]) {
        self.patterns = patterns
        self.schemes = Set(schemes.map { $0.lowercased() })
    }

    /// A policy from pattern texts; the first unusable pattern is the error.
    public init(allowing texts: [String], schemes: Set<String> = ["http", "https"]) throws(PatternError) {
        var parsed: [Pattern] = []
        for text in texts {
            switch Pattern.parse(text) {
            case .success(let pattern): parsed.append(pattern)
            case .failure(let error): throw error
            }
        }
        self.init(patterns: parsed, schemes: schemes)
    }

    /// Every http(s) host allowed (`*`): what a run does without an allow-list.
    public static let unrestricted = HostPolicy(patterns: [Pattern("*")].compactMap { $0 })

    /// Whether a request to `url` may be sent.
    public func allows(url: String) -> Bool {
        refusal(for: url) == nil
    }

    /// Why a request to `url` may not be sent (one line, naming only the scheme, host and port —
    /// never user info, path or query), or nil when it may.
    public func refusal(for url: String) -> String? {
        let target: Target
        switch Target.parse(url) {
        case .success(let t): target = t
        case .failure(let why): return "the URL cannot be checked against \(name): \(why)"
        }
        guard schemes.contains(target.scheme) else {
            return "the scheme \(target.scheme) is not allowed (only \(schemes.sorted().joined(separator: ", ")))"
        }
        if patterns.contains(where: { $0.matches(target) }) { return nil }
        let list = patterns.isEmpty ? "nothing" : patterns.map(\.text).joined(separator: ", ")
        return "host \(target.display) is not allowed by \(name) (allowed: \(list))"
    }

    /// The patterns, comma-separated.
    public var description: String { patterns.map(\.text).joined(separator: ", ") }
}

/// The scheme, host and effective port of a URL, parsed strictly.
struct Target: Sendable, Hashable {
    enum Host: Sendable, Hashable {
        case name(String)
        case ipv6([UInt8])
    }

    var scheme: String
    var host: Host
    var port: Int
    /// `scheme://host:port` for messages.
    var display: String

    static func parse(_ url: String) -> Result<Target, Reason> {
        func fail(_ why: String) -> Result<Target, Reason> { .failure(Reason(text: why)) }
        guard let colon = url.firstIndex(of: ":") else { return fail("it has no scheme") }
        let scheme = url[..<colon].lowercased()
        guard let first = scheme.unicodeScalars.first, ("a"..."z").contains(first),
              scheme.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) })
        else { return fail("it has no valid scheme") }
        let afterScheme = url[url.index(after: colon)...]
        guard afterScheme.hasPrefix("//") else { return fail("it has no //host part") }
        let authorityStart = afterScheme.index(afterScheme.startIndex, offsetBy: 2)
        let rest = afterScheme[authorityStart...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        // Characters some parsers treat as separators or decode: refuse rather than guess.
        for scalar in authority.unicodeScalars {
            if scalar == "@" { return fail("it carries user info (user@host); give credentials separately, not in the URL") }
            if scalar == "\\" { return fail("its host part contains a backslash") }
            if scalar == "%" { return fail("its host part is percent-encoded") }
            if !scalar.isASCII || scalar.value <= 0x20 || scalar.value == 0x7F {
                return fail("its host part contains a non-ASCII, space or control character")
            }
        }
        guard case .success(let parts) = Authority.split(authority) else { return fail("its host:port part is malformed") }
        let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : 0
        var port = defaultPort
        if let portText = parts.port {
            if portText.isEmpty {
                port = defaultPort
            } else {
                guard let value = Authority.port(portText) else { return fail("its port is not a number from 1 to 65535") }
                port = value
            }
        }
        let host: Host
        let shown: String
        if parts.isBracketed {
            guard let bytes = IPv6.parse(parts.host) else { return fail("its IPv6 address is malformed (zones are not allowed)") }
            host = .ipv6(bytes)
            shown = "[\(parts.host.lowercased())]"
        } else {
            guard let name = HostName.normalized(parts.host), HostName.isName(name) else {
                return fail("its host is empty or not a host name")
            }
            if HostName.looksNumeric(name), !HostName.isCanonicalIPv4(name) {
                return fail("its numeric host \(name) is not a dotted-quad IPv4 address")
            }
            host = .name(name)
            shown = name
        }
        return .success(Target(scheme: scheme, host: host, port: port, display: "\(scheme)://\(shown):\(port)"))
    }

    struct Reason: Error, Sendable, CustomStringConvertible {
        var text: String
        var description: String { text }
    }
}

/// `host[:port]` or `[v6][:port]` split without interpretation.
struct Authority {
    var host: String
    var port: String?
    var isBracketed: Bool

    static func split(_ text: Substring) -> Result<Authority, Target.Reason> {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return .failure(.init(text: "unclosed [")) }
            let inside = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if after.isEmpty { return .success(Authority(host: inside, port: nil, isBracketed: true)) }
            guard after.hasPrefix(":") else { return .failure(.init(text: "text after ]")) }
            return .success(Authority(host: inside, port: String(after.dropFirst()), isBracketed: true))
        }
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        switch pieces.count {
        case 1: return .success(Authority(host: String(text), port: nil, isBracketed: false))
        case 2: return .success(Authority(host: String(pieces[0]), port: String(pieces[1]), isBracketed: false))
        default: return .failure(.init(text: "more than one ':' (IPv6 addresses need [brackets])"))
        }
    }

    /// A decimal port 1...65535 (at most 5 digits, so no overflow).
    static func port(_ text: String) -> Int? {
        guard (1...5).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }),
              let value = Int(text), (1...65535).contains(value) else { return nil }
        return value
    }
}

/// Host-name normalisation and checks (ASCII only).
enum HostName {
    /// Lower-cased, one trailing dot removed; nil when empty.
    static func normalized(_ text: String) -> String? {
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name.isEmpty ? nil : name
    }

    /// Letters, digits, `-`, `_` and `.` only, no empty label.
    static func isName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63 else { return false }
            guard label.utf8.allSatisfy({ byte in
                (97...122).contains(byte) || (48...57).contains(byte) || byte == 45 || byte == 95
            }) else { return false }
        }
        return true
    }

    /// Whether resolvers would read the name as a number (its last label starts with a digit, or
    /// is a hex literal): such names are IPv4 addresses in some spelling.
    static func looksNumeric(_ name: String) -> Bool {
        guard let last = name.split(separator: ".", omittingEmptySubsequences: false).last,
              let first = last.utf8.first else { return false }
        return (48...57).contains(first)
    }

    /// Four decimal parts 0...255 without leading zeros.
    static func isCanonicalIPv4(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy({ (48...57).contains($0) }),
                  !(part.utf8.count > 1 && part.utf8.first == 48), let value = Int(part) else { return false }
            return value <= 255
        }
    }
}

/// RFC 4291 §2.2 text forms → 16 bytes (no zone identifiers).
enum IPv6 {
    static func parse(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count <= 45, !text.contains("%") else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, allowIPv4Tail: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if allowIPv4Tail, index == pieces.count - 1, piece.contains(".") {
                    guard HostName.isCanonicalIPv4(String(piece)) else { return nil }
                    let bytes = piece.split(separator: ".").compactMap { UInt16($0) }
                    out.append(bytes[0] << 8 | bytes[1])
                    out.append(bytes[2] << 8 | bytes[3])
                    continue
                }
                guard (1...4).contains(piece.utf8.count), let value = UInt16(piece, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        let head: [UInt16]
        var tail: [UInt16] = []
        if halves.count == 2 {
            guard let h = groups(halves[0], allowIPv4Tail: false), let t = groups(halves[1], allowIPv4Tail: true),
                  h.count + t.count <= 7 else { return nil }
            head = h
            tail = t
        } else {
            guard let all = groups(halves[0], allowIPv4Tail: true), all.count == 8 else { return nil }
            head = all
        }
        let words = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}

/// A ``StepExecutor`` that refuses, before any connection is made, every request whose URL the
/// ``HostPolicy`` does not allow (the CLI's `allow-host` guard). Wrap both the run's executor and the
/// loader's fetcher so operations, OAuth token requests and remote source descriptions are covered.
public struct PolicyEnforcingExecutor: StepExecutor {
    /// The executor that sends allowed requests.
    public let base: any StepExecutor
    /// The allow-list.
    public let policy: HostPolicy

    /// Wraps `base` with `policy`.
    public init(_ base: any StepExecutor, policy: HostPolicy) {
        self.base = base
        self.policy = policy
    }

    /// Sends `request` through ``base`` when the policy allows its URL; otherwise fails with
    /// `TransportError(.invalidURL, …)` naming the host and the allow-list.
    public func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        if let refusal = policy.refusal(for: request.url) {
            throw TransportError(.invalidURL, refusal)
        }
        return try await base.execute(request)
    }

    /// ``base``'s: the policy changes where requests may go, not where runs execute.
    public func preferredTaskExecutor() -> (any TaskExecutor)? { base.preferredTaskExecutor() }
}

/// Whether a local file a document names (a `file:` source description, a relative `$ref`) lies
/// inside a directory tree: the comparison behind the loader's sandbox and the directories
/// allowed for documents fetched over the network.
///
/// Both the root and the candidate are resolved the way the kernel will open them: `.` and `..`
/// removed, every symbolic link followed (for a path that does not exist yet, its longest
/// existing prefix). A symlink inside the tree that points outside it is outside.
public struct FilePolicy: Sendable, Hashable {
    /// The resolved root directory.
    public let root: String

    /// A policy rooted at `directory` (resolved now).
    public init(root directory: String) {
        root = Self.resolve(directory)
    }

    /// A policy rooted at the directory that contains `documentPath`.
    public init(documentPath: String) {
        let absolute = Self.absolute(documentPath)
        let parent = (absolute as NSString).deletingLastPathComponent
        self.init(root: parent.isEmpty ? "/" : parent)
    }

    /// Whether `path` (absolute, or relative to the current directory; a `file:` URL is accepted)
    /// resolves to the root itself or below it.
    public func allows(path: String) -> Bool {
        var candidate = path
        if candidate.hasPrefix("file://") {
            candidate = String(candidate.dropFirst(7))
            if !candidate.hasPrefix("/") { return false }  // file://host/… names another machine
        } else if candidate.hasPrefix("file:") {
            candidate = String(candidate.dropFirst(5))
        }
        if candidate.contains("%") {
            guard let decoded = candidate.removingPercentEncoding else { return false }
            candidate = decoded
        }
        guard !candidate.contains("\0") else { return false }
        let resolved = Self.resolve(candidate)
        if root == "/" { return true }
        return resolved == root || resolved.hasPrefix(root + "/")
    }

    /// Why `path` may not be read, or nil when it may.
    public func refusal(for path: String) -> String? {
        allows(path: path) ? nil
            : "\(path) is outside \(root); allow its directory to read it"
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Absolute, then resolved component by component with the kernel's semantics: each existing
    /// prefix goes through `realpath` (so `link/..` is the parent of the link's target, not of the
    /// link), and what does not exist yet is appended as written.
    static func resolve(_ path: String) -> String {
        var current = "/"
        for part in absolute(path).split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                current = (current as NSString).deletingLastPathComponent
                if current.isEmpty { current = "/" }
                continue
            }
            let next = (current == "/" ? "" : current) + "/" + part
            current = realPath(next) ?? next
        }
        return current
    }

    private static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
