import Foundation
import MirrorscopeCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a small XML document, as the Metalink parsers walk it.
struct XMLNode {
    /// Local name, without a prefix.
    var name: String
    /// Namespace URI ("" when none).
    var namespace: String
    var attributes: [String: String]
    /// The element's own character data, trimmed.
    var text: String
    var children: [XMLNode]
    /// Where the element starts (1-based), for messages.
    var line: Int

    func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }
    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
}

/// Reads an XML document into `XMLNode`s with FoundationXML's `XMLParser`, refusing what could
/// make a small document expensive or reach outside it: a DTD (`<!DOCTYPE`, hence entity
/// declarations and their expansion), external entities, deep nesting, too many elements.
/// Errors carry the line and column the parser reports.
enum XMLTree {
    static let maxDepth = 32
    static let maxElements = 200_000

    struct Failure: Error {
        var message: String
        var line: Int?
        var column: Int?

        /// "line 3, column 7: what was wrong" (without the position when it is unknown).
        var description: String {
            guard let line else { return message }
            return "line \(line)" + (column.map { ", column \($0)" } ?? "") + ": " + message
        }
    }

    static func parse(_ data: Data) throws(Failure) -> XMLNode {
        // libxml2 reads internal DTD subsets whatever the options say (and expands their entities):
        // no DTD may reach it. Metalinks never carry one.
        if let offset = declarationOffset(in: data) {
            let (line, column) = TextPosition.lineAndColumn(of: offset, in: data)
            throw Failure(message: "document type declarations (<!DOCTYPE>, <!ENTITY>) are refused", line: line, column: column)
        }
        // FoundationXML traps on element or attribute names that are not UTF-8 (libxml2 passes
        // them through when it recovers from an error): only valid UTF-8 reaches it. Metalinks are
        // UTF-8 (RFC 5854), and MirrorManager writes UTF-8.
        if let offset = invalidUTF8Offset(in: data) {
            let (line, column) = TextPosition.lineAndColumn(of: offset, in: data)
            throw Failure(message: "not valid UTF-8 (Metalinks are UTF-8)", line: line, column: column)
        }
        if let encoding = declaredEncoding(data), !["utf-8", "utf8", "us-ascii", "ascii"].contains(encoding) {
            throw Failure(message: "the document declares encoding \"\(TerminalText.sanitize(encoding, maxCharacters: 20))\"; Metalinks are UTF-8", line: 1, column: nil)
        }
        let parser = XMLParser(data: data)
        let builder = TreeBuilder()
        parser.delegate = builder
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        let ok = parser.parse()
        if let refusal = builder.refusal {
            throw Failure(message: refusal, line: builder.refusalLine ?? parser.lineNumber, column: builder.refusalLine == nil ? parser.columnNumber : nil)
        }
        // parse() can return true after libxml2 reported an error (a truncated document): both count.
        if let error = parser.parserError {
            throw Failure(message: describe(error), line: parser.lineNumber, column: parser.columnNumber)
        }
        guard ok, let root = builder.root else { throw Failure(message: "the document holds no element") }
        return root
    }

    /// The byte offset of the first `<!DOCTYPE` or `<!ENTITY` outside comments, if any.
    static func declarationOffset(in data: Data) -> Int? {
        let bytes = [UInt8](data)
        let doctype = Array("<!DOCTYPE".utf8), entity = Array("<!ENTITY".utf8), comment = Array("<!--".utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "!") {
                if matches(bytes, at: i, comment) {
                    i = HTMLScanner.find(bytes, from: i + 4, "-->").map { $0 + 3 } ?? bytes.count
                    continue
                }
                if matches(bytes, at: i, doctype) || matches(bytes, at: i, entity) { return i }
            }
            i += 1
        }
        return nil
    }

    /// The byte offset of the first byte that does not belong to a valid UTF-8 sequence.
    static func invalidUTF8Offset(in data: Data) -> Int? {
        var offset = 0
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// The `encoding` of the XML declaration, lower-cased, if there is one.
    static func declaredEncoding(_ data: Data) -> String? {
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>"),
              let key = head[..<end.lowerBound].range(of: "encoding") else { return nil }
        let rest = head[key.upperBound..<end.lowerBound].drop(while: { $0 == " " || $0 == "=" })
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix(while: { $0 != quote })).lowercased()
    }

    static func matches(_ bytes: [UInt8], at i: Int, _ word: [UInt8]) -> Bool {
        guard i + word.count <= bytes.count else { return false }
        for k in 0..<word.count where bytes[i + k] != word[k] { return false }
        return true
    }

    /// libxml2's messages name its own codes; say what a user can act on.
    static func describe(_ error: any Error) -> String {
        let ns = error as NSError
        switch ns.code {
        case 4: return "the document is empty or not XML"
        case 5: return "the document ends too early (truncated?)"
        case 76: return "a closing tag does not match its opening tag"
        case 73: return "a tag is not closed (\">\" expected)"
        case 26: return "an undefined entity is used"
        case 9: return "a character that XML does not allow"
        case 41, 39, 40: return "a malformed attribute"
        case 64: return "an XML declaration in the wrong place"
        default: return "not well-formed XML (libxml2 error \(ns.code))"
        }
    }

    /// Builds the tree; the first refusal stops the parser.
    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var stack: [XMLNode] = []
        var text: [String] = []
        var count = 0
        var refusal: String?
        var refusalLine: Int?

        func refuse(_ parser: XMLParser, _ message: String) {
            guard refusal == nil else { return }
            refusal = message
            parser.abortParsing()
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            count += 1
            if stack.count >= XMLTree.maxDepth { return refuse(parser, "elements nested deeper than \(XMLTree.maxDepth)") }
            if count > XMLTree.maxElements { return refuse(parser, "more than \(XMLTree.maxElements) elements") }
            stack.append(XMLNode(name: elementName, namespace: namespaceURI ?? "", attributes: attributeDict, text: "",
                                 children: [], line: parser.lineNumber))
            text.append("")
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard var node = stack.popLast(), let own = text.popLast() else { return }
            node.text = own.trimmed()
            if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !text.isEmpty else { return }
            if text[text.count - 1].utf8.count + string.utf8.count > ManifestLimits.maxURLLength * 64 {
                return refuse(parser, "an element holds too much text")
            }
            text[text.count - 1] += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
        }

        // Belt and braces behind the DOCTYPE check: any declaration or external entity aborts.
        func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
            refuse(parser, "entity declarations are refused")
        }

        func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
            refuse(parser, "external entities are refused")
        }

        func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
            refuse(parser, "external entities are refused")
            return nil
        }
    }
}
