import ArazzoTestServer
import Foundation
import Testing

@Suite("RFC 6238 TOTP and base32")
struct TOTPTests {
    /// RFC 6238 Appendix B, SHA1 rows: the seed is the 20-byte ASCII string "12345678901234567890".
    static let rfcKey = Array("12345678901234567890".utf8)

    @Test(
        "RFC 6238 Appendix B SHA1 vectors (8 digits)",
        arguments: [
            (Int64(59), "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ])
    func rfc6238Vectors(time: Int64, expected: String) {
        #expect(TOTP.code(key: Self.rfcKey, unixTime: time, digits: 8) == expected)
    }

    @Test(
        "RFC 4226 Appendix D HOTP vectors (6 digits)",
        arguments: Array(zip(0..<10, [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489",
        ])))
    func hotpVectors(counter: Int, expected: String) {
        #expect(TOTP.code(key: Self.rfcKey, counter: UInt64(counter), digits: 6) == expected)
    }

    @Test("6-digit code from a base32 secret, as an authenticator app computes it")
    func sixDigitsFromBase32() {
        let secret = Base32.encode(Self.rfcKey)
        #expect(secret == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
        #expect(TOTP.code(secretBase32: secret, at: Date(timeIntervalSince1970: 59)) == "287082")
        #expect(TOTP.code(secretBase32: secret.lowercased(), at: Date(timeIntervalSince1970: 1_111_111_109)) == "081804")
        #expect(TOTP.code(secretBase32: "not base32!", at: Date()) == nil)
    }

    @Test("Verification accepts one step of drift either side and nothing beyond")
    func drift() {
        let at = Date(timeIntervalSince1970: 1_000_000_020)
        let current = TOTP.code(key: Self.rfcKey, unixTime: 1_000_000_020)
        let previous = TOTP.code(key: Self.rfcKey, unixTime: 1_000_000_020 - 30)
        let tooOld = TOTP.code(key: Self.rfcKey, unixTime: 1_000_000_020 - 60)
        #expect(TOTP.verify(current, key: Self.rfcKey, at: at))
        #expect(TOTP.verify(previous, key: Self.rfcKey, at: at))
        #expect(!TOTP.verify(tooOld, key: Self.rfcKey, at: at))
        #expect(!TOTP.verify(previous, key: Self.rfcKey, at: at, drift: 0))
    }

    @Test("Base32 round-trips every length and rejects foreign characters")
    func base32RoundTrip() {
        for length in 0..<12 {
            let bytes = (0..<length).map { UInt8(($0 * 37 + 11) & 0xFF) }
            #expect(Base32.decode(Base32.encode(bytes)) == bytes)
        }
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("MZXW6YTBOI======") == Array("foobar".utf8))
        #expect(Base32.decode("MZXW1") == nil)
    }
}
