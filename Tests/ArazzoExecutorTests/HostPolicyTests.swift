import ArazzoExecutor
import Foundation
import ArazzoTesting
import Testing

@Suite("HostPolicy")
struct HostPolicyTests {
    private func policy(_ patterns: String...) throws -> HostPolicy {
        try HostPolicy(allowing: patterns)
    }

    @Test("*.example.com matches subdomains at any depth, not the apex or look-alikes", arguments: [
        ("https://api.stytch.com/v1", true),
        ("https://a.b.stytch.com/", true),
        ("https://API.Stytch.COM./x", true),
        ("https://stytch.com/", false),
        ("https://evilstytch.com/", false),
        ("https://stytch.com.evil.com/", false),
        ("https://api.stytch.community/", false),
    ])
    func wildcard(url: String, allowed: Bool) throws {
        #expect(try policy("*.stytch.com").allows(url: url) == allowed)
    }

    @Test("A port in the pattern must equal the URL's effective port; no port means any", arguments: [
        ("http://127.0.0.1:8080/x", true),
        ("http://127.0.0.1:8081/x", false),
        ("http://127.0.0.1/x", false),
        ("https://localhost/x", true),
        ("http://localhost:9/x", true),
    ])
    func ports(url: String, allowed: Bool) throws {
        #expect(try policy("127.0.0.1:8080", "localhost").allows(url: url) == allowed)
    }

    @Test("Default ports count as written: https://h matches h:443")
    func defaultPorts() throws {
        let p = try policy("api.example.com:443")
        #expect(p.allows(url: "https://api.example.com/"))
        #expect(p.allows(url: "https://api.example.com:443/"))
        #expect(!p.allows(url: "http://api.example.com/"))
    }

    @Test("A scheme in the pattern limits the scheme")
    func schemes() throws {
        let p = try policy("https://api.example.com")
        #expect(p.allows(url: "https://api.example.com:8443/"))
        #expect(!p.allows(url: "http://api.example.com/"))
        #expect(!HostPolicy.unrestricted.allows(url: "ftp://api.example.com/"))
        #expect(!HostPolicy.unrestricted.allows(url: "file:///etc/passwd"))
    }

    @Test("User info never passes, whichever side a parser would pick", arguments: [
        "http://evil.com@good.com/",
        "http://good.com@evil.com/",
        "http://user:pass@good.com/",
        "http://good.com:80@evil.com/",
        "http://@good.com/",
    ])
    func userInfo(url: String) throws {
        let p = try policy("good.com", "evil.com")
        #expect(!p.allows(url: url))
        #expect(p.refusal(for: url)?.contains("user info") == true)
        #expect(p.refusal(for: url)?.contains("pass") == false)
    }

    @Test("Encoded, non-ASCII and backslash hosts are refused", arguments: [
        "http://%67ood.com/",
        "http://good.com%2F@evil.com/",
        "http://good.com\\@evil.com/",
        "http://good.com\\.evil.com/",
        "http://gööd.com/",
        "http://good.com /",
        "http://good.com\u{0}.evil.com/",
    ])
    func obfuscatedHosts(url: String) throws {
        #expect(!(try policy("good.com")).allows(url: url))
    }

    @Test("Numeric hosts in non-canonical spellings are refused", arguments: [
        "http://2130706433/", "http://0x7f.0.0.1/", "http://127.1/", "http://0177.0.0.1/", "http://127.000.000.001/",
    ])
    func numericHosts(url: String) throws {
        let p = try policy("127.0.0.1", "*")
        #expect(!p.allows(url: url))
    }

    @Test("IPv6 addresses compare by value; zones are refused")
    func ipv6() throws {
        let p = try policy("[::1]:8080")
        #expect(p.allows(url: "http://[::1]:8080/x"))
        #expect(p.allows(url: "http://[0:0:0:0:0:0:0:1]:8080/x"))
        #expect(!p.allows(url: "http://[::1]:8081/x"))
        #expect(!p.allows(url: "http://[::2]:8080/x"))
        #expect(!p.allows(url: "http://[fe80::1%25eth0]:8080/x"))
        #expect(!p.allows(url: "http://[::1/x"))
        let mapped = try policy("[::ffff:127.0.0.1]")
        #expect(mapped.allows(url: "http://[::ffff:7f00:1]/"))
        #expect(!mapped.allows(url: "http://127.0.0.1/"))
    }

    @Test("Path, query and fragment do not influence the host", arguments: [
        ("https://good.com/evil.com", true),
        ("https://good.com?x=@evil.com", true),
        ("https://good.com#@evil.com", true),
        ("https://evil.com/good.com", false),
        ("https://evil.com?good.com", false),
    ])
    func pathQuery(url: String, allowed: Bool) throws {
        #expect(try policy("good.com").allows(url: url) == allowed)
    }

    @Test("An empty allow-list allows nothing; * allows every http(s) host")
    func emptyAndStar() throws {
        #expect(!HostPolicy(patterns: []).allows(url: "https://example.com/"))
        #expect(HostPolicy.unrestricted.allows(url: "https://example.com/"))
        #expect(try policy("*:8080").allows(url: "http://anything.test:8080/"))
        #expect(!(try policy("*:8080")).allows(url: "http://anything.test:8081/"))
    }

    @Test("Malformed URLs are refused with a reason", arguments: [
        "", "example.com/x", "http:/example.com", "http://", "http://:80/", "http://example.com:0/",
        "http://example.com:99999/", "http://a:b:c/", "http://a..b/", "1http://x/",
    ])
    func malformed(url: String) {
        #expect(!HostPolicy.unrestricted.allows(url: url))
        #expect(HostPolicy.unrestricted.refusal(for: url) != nil)
    }

    @Test("Unusable patterns are errors that name the flag", arguments: [
        ("", "empty"), ("ftp://x.com", "http or https"), ("x.com/path", "host[:port]"),
        ("a.*.com", "wildcard"), ("*.", "host name must follow"), ("x.com:70000", "port"),
        ("user@x.com", "host[:port]"), ("[zz::1]", "IPv6"), ("127.1", "dotted-quad"),
    ])
    func badPatterns(text: String, fragment: String) {
        let error = #expect(throws: HostPolicy.PatternError.self) {
            _ = try HostPolicy(allowing: [text])
        }
        #expect(error?.description.hasPrefix("host pattern ") == true)
        #expect(error?.message.contains(fragment) == true)
    }

    @Test("The refusal names scheme://host:port and the allow-list, never path or query")
    func refusalMessage() throws {
        let p = try policy("*.stytch.com")
        #expect(p.refusal(for: "https://evil.test/steal?token=canary-7f3a")
            == "host https://evil.test:443 is not allowed by the host allow-list (allowed: *.stytch.com)")
        // A front end names the place the user wrote the patterns.
        var named = p
        named.name = "the allowedHosts setting"
        #expect(named.refusal(for: "https://evil.test/")
            == "host https://evil.test:443 is not allowed by the allowedHosts setting (allowed: *.stytch.com)")
    }
}

@Suite("PolicyEnforcingExecutor")
struct PolicyEnforcingExecutorTests {
    /// Counts the requests that reach it.
    final class Recorder: StepExecutor, @unchecked Sendable {
        private let lock = NSLock()
        private var urls: [String] = []
        var seen: [String] { lock.withLock { urls } }
        func execute(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
            lock.withLock { urls.append(request.url) }
            return HTTPResponse(status: 200)
        }
    }

    @Test("A refused request never reaches the wrapped executor and fails as invalidURL")
    func refuses() async throws {
        let recorder = Recorder()
        let executor = PolicyEnforcingExecutor(recorder, policy: try HostPolicy(allowing: ["127.0.0.1:8080"]))
        await #expect(throws: TransportError.self) {
            _ = try await executor.execute(HTTPRequest(method: "GET", url: "http://10.0.0.1:8080/x"))
        }
        do {
            _ = try await executor.execute(HTTPRequest(method: "GET", url: "http://evil.test@127.0.0.1:8080/"))
            Issue.record("user info passed")
        } catch {
            #expect(error.kind == .invalidURL)
            #expect(!error.message.contains("evil.test"))
        }
        let response = try await executor.execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:8080/ok"))
        #expect(response.status == 200)
        #expect(recorder.seen == ["http://127.0.0.1:8080/ok"])
    }

    @Test("The error names the host and the allow-list")
    func message() async throws {
        let executor = PolicyEnforcingExecutor(Recorder(), policy: try HostPolicy(allowing: ["*.stytch.com"]))
        do {
            _ = try await executor.execute(HTTPRequest(method: "POST", url: "https://collector.evil.test/x"))
            Issue.record("not refused")
        } catch {
            #expect(error.description == "invalidURL: host https://collector.evil.test:443 is not allowed by the host allow-list (allowed: *.stytch.com)")
        }
    }
}

@Suite("FilePolicy")
struct FilePolicyTests {
    /// A temporary tree: root/doc/{a.yaml, sub/b.yaml, out -> ../outside, in -> sub}, root/outside/c.yaml.
    struct Tree {
        let directory: TemporaryDirectory
        var root: String { directory.path }
        var doc: String { root + "/doc" }

        init() throws {
            directory = try TemporaryDirectory(prefix: "file-policy-")
            let root = directory.path
            let fm = FileManager.default
            try directory.write(["doc/a.yaml": "x", "doc/sub/b.yaml": "x", "outside/c.yaml": "x"])
            try fm.createSymbolicLink(atPath: root + "/doc/out", withDestinationPath: "../outside")
            try fm.createSymbolicLink(atPath: root + "/doc/in", withDestinationPath: "sub")
            try fm.createSymbolicLink(atPath: root + "/doc/sub/deep", withDestinationPath: root + "/outside/c.yaml")
        }

        func remove() { directory.cleanup() }
    }

    @Test("Paths inside the document's tree are allowed, symlinks and .. resolved")
    func inside() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let policy = FilePolicy(documentPath: tree.doc + "/a.yaml")
        #expect(policy.allows(path: tree.doc + "/a.yaml"))
        #expect(policy.allows(path: tree.doc + "/sub/b.yaml"))
        #expect(policy.allows(path: tree.doc + "/in/b.yaml"))
        #expect(policy.allows(path: tree.doc + "/sub/../a.yaml"))
        #expect(policy.allows(path: "file://" + tree.doc + "/sub/b.yaml"))
        #expect(policy.allows(path: tree.doc + "/sub/not-yet.yaml"))
    }

    @Test("Paths that leave the tree are refused: .., symlinks out, absolute, encoded, other hosts")
    func outside() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let policy = FilePolicy(documentPath: tree.doc + "/a.yaml")
        #expect(!policy.allows(path: tree.doc + "/../outside/c.yaml"))
        #expect(!policy.allows(path: tree.doc + "/out/c.yaml"))
        #expect(!policy.allows(path: tree.doc + "/sub/deep"))
        #expect(!policy.allows(path: "/etc/passwd"))
        #expect(!policy.allows(path: "/dev/zero"))
        #expect(!policy.allows(path: "file://" + tree.doc + "/%2E%2E/outside/c.yaml"))
        #expect(!policy.allows(path: "file://otherhost/etc/passwd"))
        #expect(!policy.allows(path: tree.root + "/doc-sibling/x.yaml"))
        // `in/..` is the parent of the link's target (doc), `out/..` of its target (root).
        #expect(policy.allows(path: tree.doc + "/in/../a.yaml"))
        #expect(!policy.allows(path: tree.doc + "/out/../doc-x"))
        #expect(policy.refusal(for: "/etc/passwd")?.hasSuffix("allow its directory to read it") == true)
    }
}
