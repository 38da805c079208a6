import ArazzoExecutor
import Testing

/// The one header-name comparison: ASCII case-insensitive (RFC 9110 §5.1).
@Suite struct HeaderFieldsTests {
    @Test("names match ignoring ASCII case only")
    func namesMatch() {
        #expect(HeaderFields.namesMatch("Content-Type", "content-type"))
        #expect(HeaderFields.namesMatch("X-API-KEY", "x-api-key"))
        #expect(!HeaderFields.namesMatch("Content-Type", "Content-Typ"))
        #expect(!HeaderFields.namesMatch("x-a", "x-b"))
        // No Unicode case folding: these are not the same token.
        #expect(!HeaderFields.namesMatch("X-Straße", "X-STRASSE"))
        #expect(!HeaderFields.namesMatch("X-É", "x-é"))
        #expect(HeaderFields.canonicalName("X-Request-ID") == "x-request-id")
        #expect(HeaderFields.canonicalName("X-É") == "x-É")
    }

    @Test("the String comparison and the generic one agree")
    func stringAndGenericAgree() {
        // The String overload (every lookup) compares bytes directly; any other StringProtocol
        // goes through the generic one. Both must give the same answer for every pair.
        let names = ["Content-Type", "content-type", "CONTENT-TYPE", "Content-Typ", "Content-Typf", "", "X-É", "x-é",
                     "x-É", "X-Straße", "X-STRASSE", "a", "A", "[", "{", "@", "`"]
        for a in names {
            for b in names {
                #expect(HeaderFields.namesMatch(a, b) == HeaderFields.namesMatch(a[...], b[...]), "\(a) vs \(b)")
            }
        }
        // `[` and `{` differ by 0x20 like a letter's cases, but are not letters.
        #expect(!HeaderFields.namesMatch("[", "{"))
        #expect(!HeaderFields.namesMatch("@", "`"))
    }

    @Test("lookup, values and removal use the same comparison")
    func lookup() {
        var headers: HeaderFields = ["Set-Cookie": "a=1", "set-cookie": "b=2", "Accept": "*/*"]
        #expect(headers["SET-COOKIE"] == "a=1")
        #expect(headers.values(for: "Set-cookie") == ["a=1", "b=2"])
        headers.remove(name: "SET-cookie")
        #expect(headers.fields.map(\.name) == ["Accept"])
        headers.set(name: "accept", value: "application/json")
        #expect(headers.values(for: "ACCEPT") == ["application/json"])
    }
}
