// Fuzz target: XPath 1.0 over libxml2. The first line is the expression; the rest, when present,
// is the XML document (otherwise a fixed one). Validation and evaluation must end in a value or an
// XPathError; libxml2 must not print, crash or expand entities.
import ArazzoXPath

let fixed = Array("""
    <?xml version="1.0"?>
    <r xmlns:p="urn:p"><a id="1">x<b/>y</a><a id="2"><p:c>z</p:c></a><!-- c --><?pi d?></r>
    """.utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: 0x0A) ?? bytes.count
    let expression = String(decoding: bytes[..<split], as: UTF8.self)
    let xml = split < bytes.count ? Array(bytes[(split + 1)...]) : fixed
    _ = XPath.validate(expression)
    _ = XPath.validate(expression, version: "xpath-30")
    if case .success(let value) = XPath.evaluate(expression, xml: xml, namespaces: ["q": "urn:p"]) {
        _ = value.effectiveBooleanValue
    }
    return 0
}
