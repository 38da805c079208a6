/// RFC 3986 percent-encoding with the character sets each part of a request needs.
package enum PercentEncoding: Sendable {
    /// Which characters pass through unencoded.
    package enum Allowed: Sendable {
        /// Only RFC 3986 unreserved characters (`A–Z a–z 0–9 - . _ ~`): path segments, query
        /// names and values by default.
        case unreserved
        /// Unreserved plus reserved characters (`:/?#[]@!$&'()*+,;=`), for `allowReserved: true`.
        case unreservedAndReserved
        /// `application/x-www-form-urlencoded`: unreserved characters pass, a space becomes `+`,
        /// everything else is escaped.
        case form
    }

    /// Encodes `text` as UTF-8, escaping every byte outside `allowed` as `%XX` (upper-case hex).
    /// With `.unreservedAndReserved`, existing `%XX` escapes are kept as they are (OpenAPI's
    /// allowReserved passes already-encoded text through).
    package static func encode(_ text: String, allowing allowed: Allowed = .unreserved) -> String {
        let utf8 = Array(text.utf8)
        if utf8.allSatisfy(isUnreserved) { return text }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if isUnreserved(byte) {
                out.append(byte)
            } else if allowed == .unreservedAndReserved && isReserved(byte) {
                out.append(byte)
            } else if allowed == .unreservedAndReserved && byte == UInt8(ascii: "%") && index + 2 < utf8.count
                        && isHex(utf8[index + 1]) && isHex(utf8[index + 2]) {
                out.append(byte)
            } else if allowed == .form && byte == UInt8(ascii: " ") {
                out.append(UInt8(ascii: "+"))
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    static func isReserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "["),
             UInt8(ascii: "]"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
             UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
             UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        default:
            return false
        }
    }
}
