import Arazzo
import Foundation
import Testing

/// The jar against RFC 6265's storage and retrieval rules (§5.1.3 domain-match, §5.1.4 paths,
/// §5.2 attributes, §5.3 storage, §5.4 the Cookie header) and decisions CK2–CK4.
@Suite("Cookie jar (RFC 6265)")
struct CookieJarTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("A cookie without Domain is host-only: the same host gets it, a subdomain or parent does not")
    func hostOnly() {
        let jar = CookieJar()
        #expect(jar.store(setCookie: ["sid=abc"], from: "http://api.example.com/login", now: Self.t0) == [])
        #expect(jar.cookieHeader(for: "http://api.example.com/", now: Self.t0) == "sid=abc")
        #expect(jar.cookieHeader(for: "http://API.Example.com/x", now: Self.t0) == "sid=abc")
        #expect(jar.cookieHeader(for: "http://v2.api.example.com/", now: Self.t0) == nil)
        #expect(jar.cookieHeader(for: "http://example.com/", now: Self.t0) == nil)
        #expect(jar.cookies.first?.hostOnly == true)
    }

    @Test("Domain covers the domain and its subdomains (a leading dot ignored), never a sibling")
    func domainAttribute() {
        let jar = CookieJar()
        #expect(jar.store(setCookie: ["a=1; Domain=.Example.com"], from: "http://api.example.com/", now: Self.t0) == [])
        #expect(jar.cookieHeader(for: "http://example.com/", now: Self.t0) == "a=1")
        #expect(jar.cookieHeader(for: "http://deep.api.example.com/", now: Self.t0) == "a=1")
        #expect(jar.cookieHeader(for: "http://badexample.com/", now: Self.t0) == nil)
        #expect(jar.cookies.first?.domain == "example.com")
    }

    @Test("Domain that does not cover the host, a single-label domain (CK2), an IP mismatch: refused with a reason")
    func domainRefusals() {
        let jar = CookieJar()
        let refusals = jar.store(setCookie: ["a=1; Domain=other.com"], from: "http://api.example.com/", now: Self.t0)
            + jar.store(setCookie: ["b=2; Domain=com"], from: "http://api.example.com/", now: Self.t0)
            + jar.store(setCookie: ["c=3; Domain=0.0.1"], from: "http://127.0.0.1/", now: Self.t0)
            + jar.store(setCookie: ["d=4; Domain=example.com"], from: "http://example.com.evil.net/", now: Self.t0)
        #expect(refusals.map(\.description) == [
            "Set-Cookie 'a' ignored: its Domain attribute 'other.com' does not cover the host api.example.com that set it",
            "Set-Cookie 'b' ignored: its Domain attribute 'com' is a public suffix",
            "Set-Cookie 'c' ignored: its Domain attribute '0.0.1' does not equal the IP address 127.0.0.1 that set it",
            "Set-Cookie 'd' ignored: its Domain attribute 'example.com' does not cover the host example.com.evil.net that set it",
        ])
        #expect(jar.cookies.isEmpty)
        // A single label equal to the host itself is kept, as host-only (§5.3 step 5).
        #expect(jar.store(setCookie: ["e=5; Domain=localhost"], from: "http://localhost:8080/", now: Self.t0) == [])
        #expect(jar.cookies.first?.hostOnly == true)
        // An IP address with its own address as Domain is kept; nothing domain-matches an IP.
        #expect(jar.store(setCookie: ["f=6; Domain=127.0.0.1"], from: "http://127.0.0.1/", now: Self.t0) == [])
        #expect(jar.cookieHeader(for: "http://127.0.0.1/", now: Self.t0) == "f=6")
    }

    @Test("Default-path is the request path's directory; path-match stops at a / boundary")
    func paths() {
        let jar = CookieJar()
        jar.store(setCookie: ["d=1"], from: "http://h.test/api/v1/login", now: Self.t0)
        jar.store(setCookie: ["root=2"], from: "http://h.test/login", now: Self.t0)
        jar.store(setCookie: ["p=3; Path=/api"], from: "http://h.test/x", now: Self.t0)
        jar.store(setCookie: ["bad=4; Path=relative"], from: "http://h.test/a/b", now: Self.t0)
        #expect(jar.cookies.map(\.path) == ["/api/v1", "/", "/api", "/a"])
        #expect(jar.cookieHeader(for: "http://h.test/api/v1/users", now: Self.t0) == "d=1; p=3; root=2")
        #expect(jar.cookieHeader(for: "http://h.test/api/v1", now: Self.t0) == "d=1; p=3; root=2")
        #expect(jar.cookieHeader(for: "http://h.test/api/v10", now: Self.t0) == "p=3; root=2")
        #expect(jar.cookieHeader(for: "http://h.test/apix", now: Self.t0) == "root=2")
    }

    @Test("Secure cookies go over https only")
    func secure() {
        let jar = CookieJar()
        jar.store(setCookie: ["s=1; Secure; HttpOnly", "plain=2"], from: "https://h.test/", now: Self.t0)
        #expect(jar.cookieHeader(for: "https://h.test/", now: Self.t0) == "s=1; plain=2")
        #expect(jar.cookieHeader(for: "http://h.test/", now: Self.t0) == "plain=2")
        #expect(jar.cookies.first?.httpOnly == true)
    }

    @Test("Max-Age wins over Expires; an expiry passes; an expiry in the past or Max-Age=0 removes")
    func expiry() {
        let jar = CookieJar()
        jar.store(setCookie: [
            "m=1; Expires=Wed, 09 Jun 2100 10:18:14 GMT; Max-Age=60",
            "e=2; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=120",
            "x=3; expires=Tue, 15-Jan-2030 08:00:00 GMT",
        ], from: "http://h.test/", now: Self.t0)
        #expect(jar.cookieHeader(for: "http://h.test/", now: Self.t0) == "m=1; e=2; x=3")
        #expect(jar.cookieHeader(for: "http://h.test/", now: Self.t0 + 90) == "e=2; x=3")
        #expect(jar.cookieHeader(for: "http://h.test/", now: Self.t0 + 121) == "x=3")
        #expect(jar.cookies.map(\.name) == ["x"])  // expired ones were dropped
        // Removal by a past date (RFC 1123 and RFC 850 forms) and by Max-Age=0 / negative.
        jar.store(setCookie: ["x=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT"], from: "http://h.test/", now: Self.t0)
        #expect(jar.cookies.isEmpty)
        jar.store(setCookie: ["y=1", "z=1"], from: "http://h.test/", now: Self.t0)
        jar.store(setCookie: ["y=; Max-Age=0", "z=1; Max-Age=-5"], from: "http://h.test/", now: Self.t0)
        #expect(jar.cookies.isEmpty)
        // A malformed Expires is ignored: the cookie is a session cookie.
        jar.store(setCookie: ["s=1; Expires=tomorrow"], from: "http://h.test/", now: Self.t0)
        #expect(jar.cookies.first?.expires == nil)
    }

    @Test("A cookie replaces the one of the same name, domain and path, keeping its creation time; others stay")
    func replacement() {
        let jar = CookieJar()
        jar.store(setCookie: ["sid=old", "other=1"], from: "http://h.test/", now: Self.t0)
        jar.store(setCookie: ["sid=new"], from: "http://h.test/", now: Self.t0 + 5)
        jar.store(setCookie: ["sid=deeper; Path=/a"], from: "http://h.test/", now: Self.t0 + 6)
        #expect(jar.cookieHeader(for: "http://h.test/", now: Self.t0 + 10) == "sid=new; other=1")
        #expect(jar.cookieHeader(for: "http://h.test/a/b", now: Self.t0 + 10) == "sid=deeper; sid=new; other=1")
        #expect(jar.cookies.first { $0.value == "new" }?.created == Self.t0)
    }

    @Test("Headers without name=value or with an empty name are refused; values and names are trimmed")
    func malformed() {
        let jar = CookieJar()
        let refusals = jar.store(setCookie: ["novalue", "=x", "  k  =  v w ; Path=/"], from: "http://h.test/", now: Self.t0)
        #expect(refusals.map(\.description) == [
            "Set-Cookie ignored: it has no name=value pair", "Set-Cookie ignored: its name is empty",
        ])
        #expect(jar.cookieHeader(for: "http://h.test/", now: Self.t0) == "k=v w")
    }
}
