import ArazzoHTTP
import Testing

/// NO_PROXY matching, proxy URLs and the environment, as curl reads them (decisions NET2, NET3).
@Suite("Proxy configuration: NO_PROXY rules, proxy URLs, environment")
struct ProxyConfigurationTests {
    @Test("An exact host matches itself and its subdomains, not a longer name that merely ends the same")
    func exactHost() {
        let list = NoProxyList("example.com")
        #expect(list.matches(host: "example.com", port: 443))
        #expect(list.matches(host: "api.example.com", port: 80))
        #expect(!list.matches(host: "badexample.com", port: 80))
        #expect(!list.matches(host: "example.org", port: 80))
    }

    @Test("A leading dot (or *.) means the same domain suffix, the domain itself included")
    func dottedSuffix() {
        for entry in [".example.com", "*.example.com"] {
            let list = NoProxyList(entry)
            #expect(list.matches(host: "example.com", port: 80), "\(entry)")
            #expect(list.matches(host: "a.b.example.com", port: 80), "\(entry)")
            #expect(!list.matches(host: "notexample.com", port: 80), "\(entry)")
        }
    }

    @Test("HOST:PORT matches only that port")
    func hostAndPort() {
        let list = NoProxyList("internal.test:8080, [::1]:9000, 10.0.0.1:81")
        #expect(list.matches(host: "internal.test", port: 8080))
        #expect(!list.matches(host: "internal.test", port: 8081))
        #expect(list.matches(host: "::1", port: 9000))
        #expect(list.matches(host: "[::1]", port: 9000))
        #expect(!list.matches(host: "::1", port: 80))
        #expect(list.matches(host: "10.0.0.1", port: 81))
        #expect(!list.matches(host: "10.0.0.1", port: 80))
    }

    @Test("* alone matches every host; inside a name it is not a wildcard")
    func star() {
        #expect(NoProxyList("*").matches(host: "anything.example", port: 1))
        #expect(NoProxyList("foo, *").matches(host: "127.0.0.1", port: 1))
        #expect(!NoProxyList("exa*.com").matches(host: "example.com", port: 80))
    }

    @Test("IP addresses match exactly or by CIDR range, IPv4 and IPv6, never as name suffixes")
    func addresses() {
        let list = NoProxyList("127.0.0.1,192.168.0.0/16,fd00::/8,::ffff:10.1.2.3")
        #expect(list.matches(host: "127.0.0.1", port: 80))
        #expect(!list.matches(host: "127.0.0.2", port: 80))
        #expect(list.matches(host: "192.168.44.7", port: 80))
        #expect(!list.matches(host: "192.169.0.1", port: 80))
        #expect(list.matches(host: "fd12:3456::1", port: 80))
        #expect(list.matches(host: "[fdff::]", port: 80))
        #expect(!list.matches(host: "fe80::1", port: 80))
        #expect(list.matches(host: "::ffff:10.1.2.3", port: 80))
        // An address entry is not a domain: 1.0.0.1 is not a "subdomain" of 0.0.1.
        #expect(!NoProxyList("0.0.1").matches(host: "1.0.0.1", port: 80))
        #expect(!NoProxyList("1.2.3.4").matches(host: "11.2.3.4", port: 80))
    }

    @Test("Names compare without regard to case; a trailing dot is ignored")
    func caseAndTrailingDot() {
        let list = NoProxyList("Example.COM")
        #expect(list.matches(host: "API.example.com", port: 80))
        #expect(list.matches(host: "example.com.", port: 80))
        #expect(NoProxyList("example.com.").matches(host: "EXAMPLE.com", port: 80))
    }

    @Test("Entries are separated by commas and whitespace; empty and malformed ones are ignored")
    func separators() {
        let list = NoProxyList("  a.test ,, b.test\tc.test\n , d.test:notaport , 1.2.3.0/99 ")
        #expect(list.entries == ["a.test", "b.test", "c.test", "d.test:notaport", "1.2.3.0/99"])
        for host in ["a.test", "b.test", "c.test"] { #expect(list.matches(host: host, port: 80), "\(host)") }
        #expect(!list.matches(host: "d.test", port: 80))
        #expect(!list.matches(host: "1.2.3.4", port: 80))
        #expect(!NoProxyList("").matches(host: "a.test", port: 80))
        #expect(!NoProxyList(" , ").matches(host: "a.test", port: 80))
    }

    @Test("Proxy URLs: scheme optional, default port 1080, percent-decoded credentials, IPv6")
    func proxyURLs() throws {
        #expect(try ProxyServer(url: "http://proxy.test:3128") == ProxyServer(host: "proxy.test", port: 3128))
        #expect(try ProxyServer(url: "proxy.test") == ProxyServer(host: "proxy.test", port: 1080))
        #expect(try ProxyServer(url: "HTTP://u%40x:p%3Aw%2Fd@proxy.test:8/") == ProxyServer(host: "proxy.test", port: 8, username: "u@x", password: "p:w/d"))
        #expect(try ProxyServer(url: "http://[::1]:3128") == ProxyServer(host: "::1", port: 3128))
        #expect(try ProxyServer(url: "http://user@proxy.test:1").password == nil)
    }

    @Test("Unusable proxy URLs fail with a reason that never quotes the URL or its password")
    func badProxyURLs() {
        let canary = "canary-proxy-pw-77e1"
        let cases: [(String, String)] = [
            ("https://u:\(canary)@proxy.test:443", "scheme must be http"),
            ("socks5://u:\(canary)@proxy.test", "scheme must be http"),
            ("http://u:\(canary)@proxy.test:99999", "port must be a number"),
            ("http://u:\(canary)@proxy.test/path", "no path"),
            ("http://u:\(canary)%zz@proxy.test", "password is not valid percent-encoding"),
            ("http://u:\(canary)@", "names no host"),
        ]
        for (text, reason) in cases {
            do {
                _ = try ProxyServer(url: text)
                Issue.record("\(reason): accepted")
            } catch {
                #expect(error.reason.contains(reason), "\(error)")
                #expect(!error.description.contains(canary))
            }
        }
    }

    @Test("A proxy prints, dumps and reflects with its password masked")
    func redactedDescription() {
        let canary = "canary-proxy-pw-3b9d"
        let proxy = ProxyServer(host: "proxy.test", port: 3128, username: "alice", password: canary)
        #expect(proxy.description == "http://alice:***@proxy.test:3128")
        #expect(String(reflecting: proxy) == proxy.description)
        var dumped = ""
        dump(proxy, to: &dumped)
        #expect(!dumped.contains(canary), "\(dumped)")
        let configuration = ProxyConfiguration(proxy: proxy)
        #expect(!"\(configuration)".contains(canary) && !String(reflecting: configuration).contains(canary))
    }

    @Test("The environment: lower case before upper case, per scheme; empty is unset; NO_PROXY applies")
    func environment() throws {
        #expect(try ProxyConfiguration.fromEnvironment([:]) == nil)
        #expect(try ProxyConfiguration.fromEnvironment(["NO_PROXY": "x", "HTTP_PROXY": " "]) == nil)
        let configuration = try #require(try ProxyConfiguration.fromEnvironment([
            "http_proxy": "http://lower.test:1", "HTTP_PROXY": "http://upper.test:2",
            "HTTPS_PROXY": "upper-tls.test:3", "NO_PROXY": "internal.test", "no_proxy": "",
        ]))
        #expect(configuration.httpProxy == ProxyServer(host: "lower.test", port: 1))
        #expect(configuration.httpsProxy == ProxyServer(host: "upper-tls.test", port: 3))
        #expect(configuration.proxy(scheme: "https", host: "api.test", port: 443)?.host == "upper-tls.test")
        #expect(configuration.proxy(scheme: "HTTP", host: "api.test", port: 80)?.host == "lower.test")
        #expect(configuration.proxy(scheme: "https", host: "a.internal.test", port: 443) == nil)
        #expect(configuration.proxy(scheme: "ws", host: "api.test", port: 80) == nil)
        let httpsOnly = try #require(try ProxyConfiguration.fromEnvironment(["https_proxy": "p.test:9"]))
        #expect(httpsOnly.proxy(scheme: "http", host: "api.test", port: 80) == nil)
    }

    @Test("A bad proxy variable is named in the error, its password is not")
    func environmentError() {
        let canary = "canary-env-pw-51ac"
        #expect {
            try ProxyConfiguration.fromEnvironment(["HTTPS_PROXY": "https://u:\(canary)@p.test"])
        } throws: { error in
            let error = error as? ProxySettingError
            return error?.setting == "HTTPS_PROXY" && error.map { !$0.description.contains(canary) } == true
        }
    }
}
