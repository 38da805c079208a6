// One `%XX` decoder for every place that reads percent-encoded text: URL references, JSON Pointer
// fragments (RFC 6901 §6), query strings the test server reports. It lives here, the lowest module
// they all build on.

/// `text` with `%XX` escapes decoded. A malformed escape (a `%` not followed by two hex digits) is
/// kept as written, and decoded bytes that are not UTF-8 become U+FFFD: callers compare or look up
/// the result, so it never fails.
package func percentDecoded(_ text: some StringProtocol) -> String {
    guard text.contains("%") else { return String(text) }
    return String(decoding: percentDecodedBytes(text).bytes, as: UTF8.self)
}

/// The UTF-8 bytes of `text` with `%XX` escapes decoded, and whether every `%` began a valid escape
/// (a malformed one is kept as written). For callers that fall back to the text as written when
/// it does not decode cleanly.
package func percentDecodedBytes(_ text: some StringProtocol) -> (bytes: [UInt8], allEscapesValid: Bool) {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var allEscapesValid = true
    var rest = Array(text.utf8)[...]
    while let byte = rest.popFirst() {
        guard byte == UInt8(ascii: "%") else {
            bytes.append(byte)
            continue
        }
        if rest.count >= 2, let high = hexValue(rest[rest.startIndex]), let low = hexValue(rest[rest.startIndex + 1]) {
            bytes.append(high << 4 | low)
            rest = rest.dropFirst(2)
        } else {
            bytes.append(byte)
            allEscapesValid = false
        }
    }
    return (bytes, allEscapesValid)
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
}
