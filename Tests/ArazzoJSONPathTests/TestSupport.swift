import ArazzoJSON
import Foundation
import OrderedCollections

/// A small JSON reader for test fixtures that keeps object member order and the integer/double
/// distinction (Foundation's readers lose one or the other).
struct FixtureJSONReader {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let bytes: [UInt8]
    private var pos = 0

    static func parse(_ data: Data) throws -> JSONValue {
        var reader = FixtureJSONReader(bytes: Array(data))
        reader.skipSpace()
        let value = try reader.value()
        reader.skipSpace()
        guard reader.pos == reader.bytes.count else { throw Failure(description: "trailing data at \(reader.pos)") }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
    }

    private mutating func expect(_ literal: String) throws {
        for b in literal.utf8 {
            guard pos < bytes.count, bytes[pos] == b else { throw Failure(description: "expected \(literal) at \(pos)") }
            pos += 1
        }
    }

    private mutating func value() throws -> JSONValue {
        guard pos < bytes.count else { throw Failure(description: "unexpected end") }
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            pos += 1
            var object = JSONObject()
            skipSpace()
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(object) }
            while true {
                skipSpace()
                let key = try string()
                skipSpace()
                try expect(":")
                skipSpace()
                object[key] = try value()
                skipSpace()
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                try expect("}")
                return .object(object)
            }
        case UInt8(ascii: "["):
            pos += 1
            var array: [JSONValue] = []
            skipSpace()
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(array) }
            while true {
                skipSpace()
                array.append(try value())
                skipSpace()
                if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
                try expect("]")
                return .array(array)
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"):
            try expect("true"); return .bool(true)
        case UInt8(ascii: "f"):
            try expect("false"); return .bool(false)
        case UInt8(ascii: "n"):
            try expect("null"); return .null
        default:
            let start = pos
            var isInteger = true
            while pos < bytes.count, let c = Optional(bytes[pos]),
                (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                    || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
            {
                if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { isInteger = false }
                pos += 1
            }
            let text = String(decoding: bytes[start..<pos], as: UTF8.self)
            if isInteger, let i = Int(text) { return .int(i) }
            guard let d = Double(text) else { throw Failure(description: "bad number \(text)") }
            return .double(d)
        }
    }

    private mutating func string() throws -> String {
        try expect("\"")
        var units: [UInt16] = []
        var raw: [UInt8] = []
        func flushRaw() {
            units.append(contentsOf: String(decoding: raw, as: UTF8.self).utf16)
            raw.removeAll()
        }
        while true {
            guard pos < bytes.count else { throw Failure(description: "unterminated string") }
            let b = bytes[pos]
            pos += 1
            if b == UInt8(ascii: "\"") { break }
            if b != UInt8(ascii: "\\") { raw.append(b); continue }
            flushRaw()
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "b"): units.append(8)
            case UInt8(ascii: "f"): units.append(12)
            case UInt8(ascii: "n"): units.append(10)
            case UInt8(ascii: "r"): units.append(13)
            case UInt8(ascii: "t"): units.append(9)
            case UInt8(ascii: "u"):
                let hex = String(decoding: bytes[pos..<pos + 4], as: UTF8.self)
                pos += 4
                guard let v = UInt16(hex, radix: 16) else { throw Failure(description: "bad \\u") }
                units.append(v)
            default: units.append(UInt16(e))
            }
        }
        flushRaw()
        return String(decoding: units, as: UTF16.self)
    }
}
