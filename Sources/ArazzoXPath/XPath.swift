internal import CLibXML2

/// XPath 1.0 over libxml2, safe for untrusted expressions and documents.
///
/// Every failure (malformed XML, bad expression, unknown prefix, empty input) comes back as an
/// `XPathError` value; nothing is printed to stderr and nothing crashes. Documents are parsed
/// without network access, without loading DTDs or external entities and without substituting
/// entities; a document that declares entities at all is refused, which rules out XXE and
/// entity-expansion bombs whatever the libxml2 version.
///
/// Namespaces: the prefixes declared on the document element are registered, then the caller's
/// `namespaces` (which win on conflict). XPath 1.0 has no default element namespace, so elements
/// in a default namespace (`<a xmlns="urn:x">`) cannot be selected by an unprefixed name: pass a
/// prefix for that URI in `namespaces`, or use `*[local-name()='a']`.
///
/// Calls may run concurrently from many tasks: each call uses its own libxml2 document and
/// context, and installs its error handlers only on the calling thread for its duration.
package enum XPath {
    /// The Arazzo `version` strings this module accepts. Only XPath 1.0 is implemented (libxml2);
    /// for the 2.0/3.x versions, expressions that are also valid XPath 1.0 are evaluated as such.
    package static let supportedVersions: Set<String> = ["xpath-10", "xpath-20", "xpath-30", "xpath-31"]

    /// Compiles `expression` without evaluating it, for validation time; `nil` when it is valid.
    ///
    /// Namespace prefixes are not checked here (they depend on the document).
    ///
    /// `version` is the criterion's Arazzo version string (`xpath-10`, `xpath-20`, `xpath-30`,
    /// `xpath-31`); `nil` means XPath 1.0. An expression that needs a later XPath than 1.0, or
    /// that XPath 1.0 would read differently from the version asked for, is refused with an
    /// ``XPathError/Kind/unsupportedVersion`` error naming the construct
    /// (``laterVersionFeatures(in:laterSemantics:)``), never evaluated to a wrong answer.
    package static func validate(_ expression: String, version: String? = nil) -> XPathError? {
        if let problem = versionProblem(version) ?? nulProblem(expression) ?? versionFeatureProblem(expression, version: version) {
            return problem
        }
        return withLibXML { collector in
            guard let context = xmlXPathNewContext(nil) else {
                return XPathError(kind: .invalidExpression, message: "libxml2 could not allocate an XPath context")
            }
            defer { xmlXPathFreeContext(context) }
            collector.attach(to: context)
            let compiled = expression.withCString { text in
                text.withMemoryRebound(to: xmlChar.self, capacity: expression.utf8.count + 1) {
                    xmlXPathCtxtCompile(context, $0)
                }
            }
            guard let compiled else {
                return collector.expressionError(expression: expression, version: version)
            }
            xmlXPathFreeCompExpr(compiled)
            return nil
        }
    }

    /// Parses `xml` and evaluates `expression` against the document (context node: the document).
    ///
    /// `namespaces` maps prefixes to URIs in addition to those declared on the document element;
    /// `version` is as for `validate`.
    package static func evaluate(
        _ expression: String, xml: [UInt8], namespaces: [String: String] = [:], version: String? = nil
    ) -> Result<XPathValue, XPathError> {
        if let problem = versionProblem(version) ?? nulProblem(expression) ?? versionFeatureProblem(expression, version: version) {
            return .failure(problem)
        }
        return withSafeDocument(xml) { collector, document, root -> Result<XPathValue, XPathError> in
            guard let context = xmlXPathNewContext(document) else {
                return .failure(XPathError(kind: .invalidExpression, message: "libxml2 could not allocate an XPath context"))
            }
            defer { xmlXPathFreeContext(context) }
            collector.attach(to: context)

            var declared: [String: String] = [:]
            var namespace = root.pointee.nsDef
            while let current = namespace {
                if let prefix = current.pointee.prefix, let href = current.pointee.href {
                    declared[string(prefix)] = string(href)
                }
                namespace = current.pointee.next
            }
            declared.merge(namespaces) { _, caller in caller }
            for (prefix, uri) in declared where !prefix.isEmpty && !prefix.utf8.contains(0) && !uri.utf8.contains(0) {
                _ = prefix.withCString { prefixText in
                    uri.withCString { uriText in
                        prefixText.withMemoryRebound(to: xmlChar.self, capacity: prefix.utf8.count + 1) { p in
                            uriText.withMemoryRebound(to: xmlChar.self, capacity: uri.utf8.count + 1) { u in
                                xmlXPathRegisterNs(context, p, u)
                            }
                        }
                    }
                }
            }

            let result = expression.withCString { text in
                text.withMemoryRebound(to: xmlChar.self, capacity: expression.utf8.count + 1) {
                    xmlXPathEvalExpression($0, context)
                }
            }
            guard let result else {
                return .failure(collector.expressionError(expression: expression, version: version))
            }
            defer { xmlXPathFreeObject(result) }
            return .success(value(of: result))
        }
    }

    // MARK: - Internals

    private static func versionProblem(_ version: String?) -> XPathError? {
        guard let version, !supportedVersions.contains(version) else { return nil }
        return XPathError(
            kind: .unsupportedVersion,
            message: "unknown XPath version `\(version)`; use xpath-10, xpath-20 or xpath-30")
    }

    /// libxml2 reads C strings, so a NUL would silently cut the expression short.
    private static func nulProblem(_ expression: String) -> XPathError? {
        guard expression.utf8.contains(0) else { return nil }
        return XPathError(kind: .invalidExpression, message: "the XPath expression contains a NUL character")
    }

    /// Parses `xml` the one safe way both the evaluator and `parseTree` use — no network, no DTD
    /// loading, no entity substitution, a document that declares entities refused, at most 2 GiB —
    /// and hands `body` the document and its root element while libxml2's errors are collected.
    static func withSafeDocument<T>(
        _ xml: [UInt8], _ body: (ErrorCollector, xmlDocPtr, xmlNodePtr) -> Result<T, XPathError>
    ) -> Result<T, XPathError> {
        guard xml.contains(where: { !isXMLWhitespace($0) }) else {
            return .failure(XPathError(kind: .emptyDocument, message: "the XML document is empty"))
        }
        guard xml.count < Int(Int32.max) else {
            return .failure(XPathError(kind: .malformedXML, message: "the XML document is larger than 2 GiB"))
        }
        return withLibXML { collector -> Result<T, XPathError> in
            let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
            let parsed = xml.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) {
                    xmlReadMemory($0.baseAddress, Int32($0.count), "body.xml", nil, options)
                }
            }
            guard let document = parsed else { return .failure(collector.documentError()) }
            defer { xmlFreeDoc(document) }
            if let subset = document.pointee.intSubset, subset.pointee.entities != nil || subset.pointee.pentities != nil {
                return .failure(XPathError(
                    kind: .malformedXML,
                    message: "the XML document declares entities; entity declarations are refused for safety"))
            }
            guard let root = xmlDocGetRootElement(document) else {
                return .failure(XPathError(kind: .emptyDocument, message: "the XML document has no root element"))
            }
            return body(collector, document, root)
        }
    }

    private static func isXMLWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// libxml2 keeps process-wide tables that `xmlInitParser` builds; Swift runs a `static let`
    /// initializer exactly once, even under contention.
    private static let parserInitialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// Runs `body` with libxml2's error output captured instead of printed, restoring the calling
    /// thread's previous handlers afterwards (libxml2 keeps them per thread).
    static func withLibXML<T>(_ body: (ErrorCollector) -> T) -> T {
        _ = parserInitialized
        let collector = ErrorCollector()
        let previousStructured = __xmlStructuredError().pointee
        let previousStructuredContext = __xmlStructuredErrorContext().pointee
        let previousGeneric = __xmlGenericError().pointee
        let previousGenericContext = __xmlGenericErrorContext().pointee
        let unmanaged = Unmanaged.passRetained(collector)
        xmlSetStructuredErrorFunc(unmanaged.toOpaque(), collectStructuredError)
        // The generic handler is C-variadic, which Swift cannot define; a function that takes the
        // fixed leading parameters and ignores the rest is ABI-compatible on the platforms we build for.
        xmlSetGenericErrorFunc(nil, unsafeBitCast(ignoreGenericError, to: xmlGenericErrorFunc.self))
        defer {
            xmlSetStructuredErrorFunc(previousStructuredContext, previousStructured)
            xmlSetGenericErrorFunc(previousGenericContext, previousGeneric)
            unmanaged.release()
        }
        return body(collector)
    }

    fileprivate static func string(_ text: UnsafePointer<xmlChar>) -> String {
        String(cString: text)
    }

    private static func value(of object: xmlXPathObjectPtr) -> XPathValue {
        switch object.pointee.type {
        case XPATH_NODESET, XPATH_XSLT_TREE:
            var strings: [String] = []
            if let set = object.pointee.nodesetval, let nodes = set.pointee.nodeTab {
                let count = Int(set.pointee.nodeNr)
                strings.reserveCapacity(count)
                for index in 0..<count {
                    guard let node = nodes[index], let text = xmlXPathCastNodeToString(node) else {
                        strings.append("")
                        continue
                    }
                    strings.append(String(cString: text))
                    cxml_free(text)
                }
            }
            return .nodeSet(strings)
        case XPATH_BOOLEAN:
            return .boolean(object.pointee.boolval != 0)
        case XPATH_NUMBER:
            return .number(object.pointee.floatval)
        case XPATH_STRING:
            return .string(object.pointee.stringval.map { String(cString: $0) } ?? "")
        default:
            guard let text = xmlXPathCastToString(object) else { return .string("") }
            defer { cxml_free(text) }
            return .string(String(cString: text))
        }
    }
}

/// Gathers libxml2 errors reported during one call.
final class ErrorCollector {
    struct Entry {
        var domain: Int32
        var code: Int32
        var message: String
        var line: Int32
        var column: Int32
        var offset: Int32
    }

    var entries: [Entry] = []

    /// libxml2's wording for XPath error codes 1200…1221, indexed from `XML_XPATH_EXPRESSION_OK`.
    static let xpathMessages: [Int: String] = [
        1: "number encoding error", 2: "unfinished literal", 3: "start of literal expected",
        4: "expected `$` for a variable reference", 5: "undefined variable", 6: "invalid predicate",
        7: "invalid expression", 8: "missing closing curly brace", 9: "unregistered function",
        10: "invalid operand", 11: "invalid type", 12: "invalid number of arguments",
        13: "invalid context size", 14: "invalid context position", 15: "memory allocation error",
        19: "undefined namespace prefix", 20: "character out of XML range", 21: "invalid character",
        26: "expression nested too deeply",
    ]

    /// The expression as quoted in messages, shortened so a hostile one cannot flood a report.
    static func excerpt(_ expression: String) -> String {
        expression.count <= 80 ? expression : String(expression.prefix(77)) + "…"
    }

    func attach(to context: xmlXPathContextPtr) {
        context.pointee.userData = Unmanaged.passUnretained(self).toOpaque()
        context.pointee.error = collectStructuredError
    }

    func record(_ error: UnsafePointer<xmlError>) {
        // XPath errors raised through a context carry only a code, never message text.
        var message = error.pointee.message.map { String(cString: $0) }
            ?? Self.xpathMessages[Int(error.pointee.code) - Int(XML_XPATH_EXPRESSION_OK.rawValue)]
            ?? "libxml2 error \(error.pointee.code)"
        while message.last?.isNewline == true || message.last == " " { message.removeLast() }
        entries.append(Entry(
            domain: error.pointee.domain, code: error.pointee.code, message: message,
            line: error.pointee.line, column: error.pointee.int2, offset: error.pointee.int1))
    }

    func documentError() -> XPathError {
        guard let first = entries.first(where: { $0.domain != Int32(XML_FROM_XPATH.rawValue) }) else {
            return XPathError(kind: .malformedXML, message: "the XML document could not be parsed")
        }
        let column = first.column > 0 ? ":\(first.column)" : ""
        return XPathError(kind: .malformedXML, message: "malformed XML at line \(first.line)\(column): \(first.message)")
    }

    func expressionError(expression: String, version: String?) -> XPathError {
        let xpathEntries = entries.filter { $0.domain == Int32(XML_FROM_XPATH.rawValue) }
        guard let first = xpathEntries.first else {
            return XPathError(kind: .invalidExpression, message: "invalid XPath expression `\(Self.excerpt(expression))`")
        }
        if first.code == Int32(XML_XPATH_UNDEF_PREFIX_ERROR.rawValue) {
            return XPathError(
                kind: .unknownPrefix,
                message: "undefined namespace prefix in `\(Self.excerpt(expression))`; declare it on the document element or pass it in namespaces")
        }
        let detail = "\(first.message) at offset \(first.offset) in `\(Self.excerpt(expression))`"
        if let version, version != "xpath-10" {
            return XPathError(
                kind: .unsupportedVersion,
                message: "\(detail); only the XPath 1.0-compatible part of \(version) is supported")
        }
        return XPathError(kind: .invalidExpression, message: detail)
    }
}

private func collectStructuredError(_ userData: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let userData, let error else { return }
    Unmanaged<ErrorCollector>.fromOpaque(userData).takeUnretainedValue().record(error)
}

private let ignoreGenericError: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Void = { _, _ in }
