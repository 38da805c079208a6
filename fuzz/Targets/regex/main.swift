// Fuzz target: the ECMA-262 → ICU pattern translator and a bounded search. The first byte picks the
// flags; the rest is the pattern. Searches run against short fixed strings with a small time limit,
// so catastrophic backtracking is reported as a time-out error rather than a fuzzer hang.
import ArazzoRegex

let flagSets = ["", "i", "m", "s", "u", "y", "iu", "ms", "gimsuy", "v", "ii", "x"]
let subjects = [
    "", "aaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "Hello, World 123\nsecond line\r\nthird",
    "caf\u{E9} \u{1F600} \u{212A}elvin \u{0130}",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let flags = flagSets[Int(data[0]) % flagSets.count]
    let pattern = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    guard let regex = try? ECMARegex(pattern, flags: flags) else { return 0 }
    for subject in subjects {
        _ = regex.evaluate(subject, timeLimit: .milliseconds(100))
    }
    return 0
}
