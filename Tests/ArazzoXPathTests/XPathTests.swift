import ArazzoXPath
import Foundation
import ArazzoTesting
import Testing

private let pets = Array("""
    <?xml version="1.0" encoding="UTF-8"?>
    <pets xmlns:m="urn:meta" xmlns="urn:default">
      <pet id="1" status="available"><name>Tom</name><price>5</price></pet>
      <pet id="2" status="sold"><name>Rex</name><price>12.5</price></pet>
      <m:meta>generated</m:meta>
    </pets>
    """.utf8)

private let plain = Array("<pets><pet id=\"1\"><name>Tom</name></pet><pet id=\"2\"><name>Rex</name></pet></pets>".utf8)

@Test("node-set results are the string-values of the nodes, in document order")
func nodeSets() {
    #expect(XPath.evaluate("/pets/pet/name", xml: plain) == .success(.nodeSet(["Tom", "Rex"])))
    #expect(XPath.evaluate("//pet/@id", xml: plain) == .success(.nodeSet(["1", "2"])))
    #expect(XPath.evaluate("/pets/pet[1]/name/text()", xml: plain) == .success(.nodeSet(["Tom"])))
    #expect(XPath.evaluate("//pet[@id='3']", xml: plain) == .success(.nodeSet([])))
    #expect(XPath.evaluate("/pets/pet[2]", xml: plain) == .success(.nodeSet(["Rex"])))
}

@Test("count(), string() and comparisons keep their XPath types")
func scalarResults() {
    #expect(XPath.evaluate("count(//pet)", xml: plain) == .success(.number(2)))
    #expect(XPath.evaluate("string(//pet[2]/name)", xml: plain) == .success(.string("Rex")))
    #expect(XPath.evaluate("count(//pet) > 1", xml: plain) == .success(.boolean(true)))
    #expect(XPath.evaluate("boolean(//missing)", xml: plain) == .success(.boolean(false)))
    #expect(XPath.evaluate("sum(//*[local-name()='price'])", xml: pets) == .success(.number(17.5)))
}

@Test("effective boolean value follows XPath 1.0 boolean()")
func effectiveBoolean() {
    #expect(XPathValue.nodeSet(["x"]).effectiveBooleanValue)
    #expect(!XPathValue.nodeSet([]).effectiveBooleanValue)
    #expect(XPathValue.nodeSet([""]).effectiveBooleanValue)
    #expect(!XPathValue.number(0).effectiveBooleanValue)
    #expect(!XPathValue.number(.nan).effectiveBooleanValue)
    #expect(XPathValue.number(-1).effectiveBooleanValue)
    #expect(!XPathValue.string("").effectiveBooleanValue)
    #expect(XPathValue.string("false").effectiveBooleanValue)
    #expect(XPathValue.boolean(true).effectiveBooleanValue)
}

@Test("prefixes declared on the document element are usable")
func documentNamespaces() {
    #expect(XPath.evaluate("//m:meta", xml: pets) == .success(.nodeSet(["generated"])))
}

@Test("the default namespace is not usable unprefixed; a caller prefix reaches it")
func defaultNamespace() {
    #expect(XPath.evaluate("/pets/pet", xml: pets) == .success(.nodeSet([])))
    #expect(XPath.evaluate("count(/d:pets/d:pet)", xml: pets, namespaces: ["d": "urn:default"]) == .success(.number(2)))
    #expect(
        XPath.evaluate("//d:pet[@status='sold']/d:name", xml: pets, namespaces: ["d": "urn:default"])
            == .success(.nodeSet(["Rex"])))
}

@Test("caller namespaces override document ones")
func callerNamespacesWin() {
    #expect(XPath.evaluate("count(//m:meta)", xml: pets, namespaces: ["m": "urn:other"]) == .success(.number(0)))
}

@Test("an invalid expression is an error value, not a crash")
func invalidExpression() {
    #expect(
        XPath.evaluate("//pet[", xml: plain).failure
            == XPathError(kind: .invalidExpression, message: "invalid expression at offset 6 in `//pet[`"))
    #expect(
        XPath.evaluate("unknownfn(1)", xml: plain).failure
            == XPathError(kind: .invalidExpression, message: "unregistered function at offset 12 in `unknownfn(1)`"))
}

@Test("an unknown prefix is reported as such")
func unknownPrefix() {
    #expect(
        XPath.evaluate("//x:meta", xml: plain).failure
            == XPathError(
                kind: .unknownPrefix,
                message: "undefined namespace prefix in `//x:meta`; declare it on the document element or pass it in namespaces"))
}

@Test("malformed XML is rejected with a position, not repaired")
func malformed() {
    #expect(
        XPath.evaluate("/a", xml: Array("<a><b></a>".utf8)).failure
            == XPathError(
                kind: .malformedXML, message: "malformed XML at line 1:11: Opening and ending tag mismatch: b line 1 and a"))
    #expect(
        XPath.evaluate("/a", xml: Array("not xml".utf8)).failure
            == XPathError(kind: .malformedXML, message: "malformed XML at line 1:1: Start tag expected, '<' not found"))
}

@Test("an empty or blank document is reported as empty", arguments: ["", "  \n\t"])
func emptyDocument(_ text: String) {
    #expect(XPath.evaluate("/a", xml: Array(text.utf8)).failure?.kind == .emptyDocument)
}

@Test("external entities are never read (XXE)")
func externalEntity() throws {
    let directory = try TemporaryDirectory(prefix: "arazzo-xpath-")
    defer { directory.cleanup() }
    try directory.write(["secret.txt": "TOP-SECRET"])
    let secret = URL(fileURLWithPath: directory.file("secret.txt"))
    let xml = """
        <?xml version="1.0"?>
        <!DOCTYPE a [ <!ENTITY xxe SYSTEM "\(secret.absoluteString)"> ]>
        <a>&xxe;</a>
        """
    let result = XPath.evaluate("string(/a)", xml: Array(xml.utf8))
    if case .success(let value) = result {
        #expect(value != .string("TOP-SECRET"))
    }
    #expect(result.failure?.kind == .malformedXML)
}

@Test("parameter entities are refused too")
func parameterEntity() {
    let xml = "<!DOCTYPE a [ <!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p; ]><a>x</a>"
    #expect(XPath.evaluate("string(/a)", xml: Array(xml.utf8)).failure?.kind == .malformedXML)
}

@Test("entity expansion bombs are refused")
func billionLaughs() {
    var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 \"lol\">\n"
    for level in 1...9 {
        xml += "<!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">\n"
    }
    xml += "]>\n<lolz>&lol9;</lolz>"
    #expect(XPath.evaluate("string(/lolz)", xml: Array(xml.utf8)).failure?.kind == .malformedXML)
}

@Test("a DOCTYPE without entities is fine")
func doctypeWithoutEntities() {
    let xml = "<!DOCTYPE a [ <!ELEMENT a (#PCDATA)> ]><a>ok</a>"
    #expect(XPath.evaluate("string(/a)", xml: Array(xml.utf8)) == .success(.string("ok")))
}

@Test("hostile nesting in expressions and documents fails cleanly, with a short message")
func hostileNesting() {
    let deep = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
    let error = XPath.validate(deep)
    #expect(error?.kind == .invalidExpression)
    #expect(error?.message.hasPrefix("expression nested too deeply at offset") == true)
    #expect((error?.message.count ?? .max) < 200)
    let sum = Array(repeating: "1", count: 100_000).joined(separator: "+")
    #expect(XPath.evaluate(sum, xml: plain).failure?.kind == .invalidExpression)
    let xml = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
    #expect(XPath.evaluate("count(//a)", xml: Array(xml.utf8)).failure?.kind == .malformedXML)
}

@Test("validate compiles without a document")
func validate() {
    #expect(XPath.validate("//pet[@id = 2]/name") == nil)
    #expect(XPath.validate("count(//x:pet) > 0") == nil)
    #expect(XPath.validate("//pet[")?.kind == .invalidExpression)
    #expect(XPath.validate("1 +") == XPathError(kind: .invalidExpression, message: "invalid expression at offset 3 in `1 +`"))
}

@Test("versions: 1.0-compatible expressions run under xpath-30; 2.0 syntax gets a version diagnostic")
func versions() {
    #expect(XPath.validate("//pet", version: "xpath-30") == nil)
    #expect(XPath.evaluate("count(//pet)", xml: plain, version: "xpath-20") == .success(.number(2)))
    #expect(XPath.validate("for $p in //pet return $p/name", version: "xpath-30")?.kind == .unsupportedVersion)
    #expect(XPath.validate("for $p in //pet return $p/name", version: "xpath-10")?.kind == .invalidExpression)
    #expect(
        XPath.validate("//pet", version: "xpath-40")
            == XPathError(kind: .unsupportedVersion, message: "unknown XPath version `xpath-40`; use xpath-10, xpath-20 or xpath-30"))
}

@Test("concurrent calls from many tasks are safe")
func concurrent() async {
    let outcomes = await withTaskGroup(of: Bool.self) { group in
        for index in 0..<64 {
            group.addTask {
                switch index % 3 {
                case 0: return XPath.evaluate("count(//pet)", xml: plain) == .success(.number(2))
                case 1: return XPath.evaluate("//pet[", xml: plain).failure?.kind == .invalidExpression
                default: return XPath.evaluate("/a", xml: Array("<a><b></a>".utf8)).failure?.kind == .malformedXML
                }
            }
        }
        var all: [Bool] = []
        for await outcome in group { all.append(outcome) }
        return all
    }
    #expect(outcomes.count == 64 && outcomes.allSatisfy { $0 })
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
