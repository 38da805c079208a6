#if Networking  // Package.swift: this file needs the Networking trait (docs/embedding.md)
import Crypto
public import Foundation

/// RFC 4648 base32 (the alphabet authenticator apps use for TOTP secrets).
public enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Encodes bytes as upper-case base32 without padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 8 + 4) / 5)
        var buffer: UInt32 = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[Int((buffer >> UInt32(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 {
            output.append(alphabet[Int((buffer << UInt32(5 - bits)) & 31)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base32, ignoring case, spaces, dashes and `=` padding; `nil` on any other character.
    public static func decode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for character in text.utf8 {
            let value: UInt8
            switch character {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = character - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = character - UInt8(ascii: "a")
            case UInt8(ascii: "2")...UInt8(ascii: "7"): value = character - UInt8(ascii: "2") + 26
            case UInt8(ascii: "="), UInt8(ascii: " "), UInt8(ascii: "-"): continue
            default: return nil
            }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                output.append(UInt8((buffer >> UInt32(bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return output
    }
}

/// Time-based one-time passwords (RFC 6238) over HMAC-SHA1, as authenticator apps compute them.
public enum TOTP {
    /// The HOTP value (RFC 4226 §5.3) of `key` at `counter`, zero-padded to `digits` digits.
    public static func code(key: [UInt8], counter: UInt64, digits: Int = 6) -> String {
        var message = [UInt8](repeating: 0, count: 8)
        for index in 0..<8 {
            message[index] = UInt8((counter >> UInt64(56 - 8 * index)) & 0xFF)
        }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: key)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let truncated =
            (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let clampedDigits = min(max(digits, 1), 9)
        var modulus: UInt32 = 1
        for _ in 0..<clampedDigits { modulus *= 10 }
        let text = String(truncated % modulus)
        return String(repeating: "0", count: clampedDigits - text.count) + text
    }

    /// The TOTP value of `key` at Unix time `unixTime` (seconds), with a `period`-second step.
    public static func code(key: [UInt8], unixTime: Int64, digits: Int = 6, period: Int64 = 30) -> String {
        let step = period > 0 ? period : 30
        let counter = unixTime >= 0 ? UInt64(unixTime / step) : 0
        return code(key: key, counter: counter, digits: digits)
    }

    /// The 6-digit code an authenticator app shows for the base32 `secretBase32` at `date`;
    /// `nil` when the secret is not base32.
    public static func code(secretBase32: String, at date: Date, digits: Int = 6) -> String? {
        guard let key = Base32.decode(secretBase32) else { return nil }
        return code(key: key, unixTime: unixSeconds(date), digits: digits)
    }

    /// Whole seconds since 1970, clamped to zero for dates before it or too far away to count.
    private static func unixSeconds(_ date: Date) -> Int64 {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return seconds < 9.0e18 ? Int64(seconds) : Int64.max / 2
    }

    /// Whether `code` is valid for `key` at `date`, allowing `drift` steps either side.
    public static func verify(_ code: String, key: [UInt8], at date: Date, drift: Int = 1) -> Bool {
        let counter = unixSeconds(date) / 30
        for delta in -Int64(max(0, drift))...Int64(max(0, drift)) where counter + delta >= 0 {
            if Self.code(key: key, counter: UInt64(counter + delta), digits: code.count) == code { return true }
        }
        return false
    }
}
#endif
