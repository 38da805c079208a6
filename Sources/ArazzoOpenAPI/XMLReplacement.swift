// Foundation stays out of this file: its ICU module clashes with libxml2's headers (see CLibXML2).
internal import CLibXML2
import ArazzoXPath

/// Payload replacements for XML bodies: the target is an XPath 1.0 expression (notes A21).
/// Every selected element gets its children replaced by one text node holding the value; every
/// selected attribute or text node gets the value. Selecting nothing is an error.
package enum XMLReplacement {
    package static func replacing(in xml: String, target: String, with value: String) -> Result<String, RequestBodyEncoder.Failure> {
        if let problem = XPath.validate(target) {
            return .failure(.init(message: "replacement target '\(target)' is not a valid XPath expression: \(problem.message)"))
        }
        guard !xml.utf8.contains(0), !value.utf8.contains(0), !target.utf8.contains(0) else {
            return .failure(.init(message: "replacement target '\(target)': the payload or value contains a NUL character"))
        }
        let bytes = Array(xml.utf8)
        guard bytes.count < Int(Int32.max) else {
            return .failure(.init(message: "the XML payload is too large"))
        }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                xmlReadMemory($0.baseAddress, Int32($0.count), "payload.xml", "UTF-8", options)
            }
        }
        guard let document = parsed else {
            return .failure(.init(message: "the XML payload is not well-formed, so replacement '\(target)' cannot be applied"))
        }
        defer { xmlFreeDoc(document) }
        if let subset = document.pointee.intSubset, subset.pointee.entities != nil || subset.pointee.pentities != nil {
            return .failure(.init(message: "the XML payload declares entities; they are refused for safety"))
        }
        guard let root = xmlDocGetRootElement(document), let context = xmlXPathNewContext(document) else {
            return .failure(.init(message: "the XML payload has no root element"))
        }
        defer { xmlXPathFreeContext(context) }
        // Errors raised while evaluating go to this handler instead of stderr.
        context.pointee.error = { _, _ in }
        var namespace = root.pointee.nsDef
        while let current = namespace {
            if let prefix = current.pointee.prefix, let href = current.pointee.href {
                xmlXPathRegisterNs(context, prefix, href)
            }
            namespace = current.pointee.next
        }
        let result = target.withCString { text in
            text.withMemoryRebound(to: xmlChar.self, capacity: target.utf8.count + 1) { xmlXPathEvalExpression($0, context) }
        }
        guard let result else {
            return .failure(.init(message: "replacement target '\(target)' could not be evaluated (an undeclared namespace prefix?)"))
        }
        defer { xmlXPathFreeObject(result) }
        var nodes: [xmlNodePtr] = []
        if result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval, let table = set.pointee.nodeTab {
            for index in 0..<Int(set.pointee.nodeNr) {
                if let node = table[index] { nodes.append(node) }
            }
        }
        guard !nodes.isEmpty else {
            return .failure(.init(message: "replacement target '\(target)' selects nothing in the XML payload"))
        }
        // A node inside another selected element is replaced with it; touching it afterwards
        // would use freed memory.
        let selected = Set(nodes.map { UnsafeMutableRawPointer($0) })
        let outermost = nodes.filter { node in
            var parent = node.pointee.parent
            while let p = parent {
                if selected.contains(UnsafeMutableRawPointer(p)) { return false }
                parent = p.pointee.parent
            }
            return true
        }
        value.withCString { text in
            text.withMemoryRebound(to: xmlChar.self, capacity: value.utf8.count + 1) { content in
                for node in outermost {
                    switch node.pointee.type {
                    case XML_ELEMENT_NODE:
                        xmlNodeSetContent(node, nil)
                        xmlNodeAddContent(node, content)
                    case XML_ATTRIBUTE_NODE:
                        if let owner = node.pointee.parent {
                            let attribute = UnsafeMutableRawPointer(node).assumingMemoryBound(to: xmlAttr.self)
                            xmlSetNsProp(owner, attribute.pointee.ns, attribute.pointee.name, content)
                        }
                    case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                        xmlNodeSetContent(node, nil)
                        xmlNodeAddContent(node, content)
                    default:
                        break
                    }
                }
            }
        }
        // Serialize the way the payload was written: with an XML declaration only if it had one.
        let leading = xml.drop(while: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
        if leading.hasPrefix("<?xml") {
            var memory: UnsafeMutablePointer<xmlChar>?
            var size: Int32 = 0
            xmlDocDumpMemoryEnc(document, &memory, &size, "UTF-8")
            guard let memory else { return .failure(.init(message: "the XML payload could not be written back")) }
            defer { cxml_free(memory) }
            return .success(String(decoding: UnsafeBufferPointer(start: memory, count: Int(size)), as: UTF8.self))
        }
        guard let buffer = xmlBufferCreate() else { return .failure(.init(message: "the XML payload could not be written back")) }
        defer { xmlBufferFree(buffer) }
        xmlNodeDump(buffer, document, root, 0, 0)
        guard let content = xmlBufferContent(buffer) else { return .failure(.init(message: "the XML payload could not be written back")) }
        return .success(String(cString: UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self)))
    }
}
