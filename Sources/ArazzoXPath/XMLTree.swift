internal import CLibXML2

/// An XML element read into plain values, for code that walks a document rather than querying it
/// (the contract checks' schema-guided XML reader).
package struct XMLElementNode: Sendable, Hashable {
    /// The element's local name (without prefix).
    package var name: String
    /// The element's namespace prefix, empty when it has none.
    package var prefix: String
    /// Attributes in document order, by local name (namespace declarations are not attributes).
    package var attributes: [(name: String, value: String)]
    /// Child elements in document order.
    package var children: [XMLElementNode]
    /// The element's own text and CDATA, concatenated (text inside children is theirs).
    package var text: String

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.prefix == rhs.prefix && lhs.children == rhs.children && lhs.text == rhs.text
            && lhs.attributes.map(\.name) == rhs.attributes.map(\.name) && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(text)
        hasher.combine(children)
    }
}

extension XPath {
    /// Elements deeper than this are refused (a body nested this deep is hostile, not data).
    package static let maxTreeDepth = 256
    /// Elements beyond this many in one document are refused.
    package static let maxTreeElements = 1_000_000

    /// Parses `xml` into a tree of elements with the same safety as ``evaluate(_:xml:namespaces:version:)``:
    /// no network, no DTD loading, no entity substitution, and a document that declares entities
    /// is refused. Also bounded by ``maxTreeDepth`` and ``maxTreeElements``.
    package static func parseTree(_ xml: [UInt8]) -> Result<XMLElementNode, XPathError> {
        return withSafeDocument(xml) { _, _, root -> Result<XMLElementNode, XPathError> in
            var budget = maxTreeElements
            guard let tree = element(root, depth: 0, budget: &budget) else {
                return .failure(XPathError(
                    kind: .malformedXML,
                    message: "the XML document is nested deeper than \(maxTreeDepth) elements or has more than \(maxTreeElements)"))
            }
            return .success(tree)
        }
    }

    /// The element at `node`, or nil past the depth or element bound.
    private static func element(_ node: xmlNodePtr, depth: Int, budget: inout Int) -> XMLElementNode? {
        guard depth < maxTreeDepth, budget > 0 else { return nil }
        budget -= 1
        let name = node.pointee.name.map { String(cString: $0) } ?? ""
        let prefix = node.pointee.ns?.pointee.prefix.map { String(cString: $0) } ?? ""
        var attributes: [(name: String, value: String)] = []
        var attribute = node.pointee.properties
        while let current = attribute {
            let attributeName = current.pointee.name.map { String(cString: $0) } ?? ""
            var value = ""
            if let text = xmlNodeGetContent(UnsafeMutableRawPointer(current).assumingMemoryBound(to: xmlNode.self)) {
                value = String(cString: text)
                cxml_free(text)
            }
            attributes.append((attributeName, value))
            attribute = current.pointee.next
        }
        var children: [XMLElementNode] = []
        var text = ""
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                guard let read = element(current, depth: depth + 1, budget: &budget) else { return nil }
                children.append(read)
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { text += String(cString: content) }
            case XML_ENTITY_REF_NODE:
                // Never expanded (no entity substitution): the reference stays as written.
                if let refName = current.pointee.name { text += "&" + String(cString: refName) + ";" }
            default:
                break
            }
            child = current.pointee.next
        }
        return XMLElementNode(name: name, prefix: prefix, attributes: attributes, children: children, text: text)
    }
}
