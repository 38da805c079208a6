import ArazzoXPath
import Testing

/// `XPath.parseTree`, the element reader behind the contract checks' XML bodies.
@Suite("XML trees")
struct XMLTreeTests {
    @Test("elements, attributes, own text and CDATA by local name; comments ignored")
    func reads() throws {
        let xml = "<m:pets xmlns:m=\"urn:m\" n=\"2\"><pet id=\"1\">Tom<!-- c --><![CDATA[ & co]]></pet><pet/></m:pets>"
        let tree = try XPath.parseTree(Array(xml.utf8)).get()
        #expect(tree.name == "pets")
        #expect(tree.prefix == "m")
        #expect(tree.attributes.map(\.name) == ["n"])
        #expect(tree.children.map(\.name) == ["pet", "pet"])
        #expect(tree.children.first?.attributes.first?.value == "1")
        #expect(tree.children.first?.text == "Tom & co")
    }

    @Test("malformed, empty, entity-declaring and too-deep documents are errors, never crashes or expansions")
    func refuses() {
        if case .failure(let error) = XPath.parseTree(Array("<a>\n<b></a>".utf8)) {
            #expect(error.kind == .malformedXML)
            #expect(error.message.hasPrefix("malformed XML at line 2"))
        } else {
            Issue.record("malformed XML was accepted")
        }
        #expect((try? XPath.parseTree(Array("  \n".utf8)).get()) == nil)
        let bomb = "<!DOCTYPE a [<!ENTITY x \"xxxxxxxx\"><!ENTITY y \"&x;&x;&x;&x;\">]><a>&y;</a>"
        if case .failure(let error) = XPath.parseTree(Array(bomb.utf8)) {
            #expect(error.message.contains("declares entities"))
        } else {
            Issue.record("an entity declaration was accepted")
        }
        let deep = String(repeating: "<a>", count: XPath.maxTreeDepth + 1) + String(repeating: "</a>", count: XPath.maxTreeDepth + 1)
        if case .failure(let error) = XPath.parseTree(Array(deep.utf8)) {
            #expect(error.message.contains("nested deeper"))
        } else {
            Issue.record("a document past the depth bound was accepted")
        }
    }
}
