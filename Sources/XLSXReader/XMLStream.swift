import CLibXML2

// MARK: - Events

/// An element's start as the stream parser reports it: its local name (namespace prefix dropped) and
/// its attributes by local name.
struct XMLElementStart {
    /// The local name, such as `c` for `<x:c>`.
    var name: String
    /// The attributes in document order, by local name (a slice of the chunk's attribute store).
    var attributes: ArraySlice<(name: String, value: String)>

    /// The value of an attribute, by local name.
    func attribute(_ name: String) -> String? {
        for attribute in attributes where attribute.name == name { return attribute.value }
        return nil
    }
}

/// What a part's handler is told, in document order.
enum XMLEvent {
    case start(XMLElementStart)
    case end(String)
    /// Text, as UTF-8 (a slice of the chunk's text store).
    case text(ArraySlice<UInt8>)
}

/// Takes what the parser's callbacks recorded, after each chunk of a part.
protocol XMLPartReader {
    /// True for a sheet's cells (the callbacks record rows: ``SheetRecorder``), false for events.
    static var recordsSheetRows: Bool { get }
    /// Takes what the callbacks recorded from the last chunk, and empties it; throwing stops the part.
    mutating func take(from state: inout XMLStreamParser.SAXState) throws(WorkbookReadError)
}

/// Receives one XML part's events.
protocol XMLEventHandler: XMLPartReader {
    /// Handles one event; throwing stops the part.
    mutating func handle(_ event: XMLEvent) throws(WorkbookReadError)
}

extension XMLEventHandler {
    static var recordsSheetRows: Bool { false }

    mutating func take(from state: inout XMLStreamParser.SAXState) throws(WorkbookReadError) {
        let events = state.events
        let attributes = state.attributes
        let texts = state.texts
        state.events.removeAll(keepingCapacity: true)
        state.attributes.removeAll(keepingCapacity: true)
        // Text still being gathered (its node goes on in the next chunk) stays.
        let pending = state.textStart
        state.texts = Array(texts[pending...])
        state.textStart = 0
        for event in events {
            switch event {
            case .start(let name, let range): try handle(.start(XMLElementStart(name: name, attributes: attributes[range])))
            case .end(let name): try handle(.end(name))
            case .text(let range): try handle(.text(texts[range]))
            }
        }
    }
}

// MARK: - Parser

/// A streaming XML parser over libxml2's SAX2 push interface: bytes go in chunk by chunk, events come out.
///
/// Office Open XML parts never have a document type declaration, so one stops the parse: no entity is
/// ever declared, expanded or fetched (no "billion laughs", no external entities). libxml2's own
/// limits also hold (text nodes at most 10 MB), and elements may nest at most ``maxDepth`` deep. A text node longer
/// than `maxTextBytes` stops the parse too.
final class XMLStreamParser {
    private var context: xmlParserCtxtPtr?
    private let state: UnsafeMutablePointer<SAXState>
    private let handlerTable: UnsafeMutablePointer<xmlSAXHandler>
    private let partName: String

    /// The deepest element nesting accepted; workbook parts need a dozen levels at most.
    static let maxDepth = 128

    /// Creates a parser for one part, named in errors, that records events or, for a sheet, rows.
    init(partName: String, maxTextBytes: Int, recordsSheetRows: Bool = false) throws(WorkbookReadError) {
        self.partName = partName
        state = .allocate(capacity: 1)
        state.initialize(to: SAXState(maxTextBytes: maxTextBytes))
        if recordsSheetRows { state.pointee.sheet = SheetRecorder(part: partName) }
        handlerTable = .allocate(capacity: 1)
        handlerTable.initialize(to: recordsSheetRows ? Self.makeSheetHandlerTable() : Self.makeHandlerTable())
        context = xmlCreatePushParserCtxt(handlerTable, state, nil, 0, partName)
        guard let context else {
            state.deinitialize(count: 1)
            state.deallocate()
            handlerTable.deinitialize(count: 1)
            handlerTable.deallocate()
            throw .malformedPart(part: partName, reason: "the XML parser could not start")
        }
        // No network, no entity substitution, no DTD loading; keep libxml2's size limits (no XML_PARSE_HUGE).
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue) | Int32(XML_PARSE_NOCDATA.rawValue))
        state.pointee.context = context
    }

    deinit {
        if let context {
            if let document = context.pointee.myDoc { xmlFreeDoc(document) }
            xmlFreeParserCtxt(context)
        }
        state.deinitialize(count: 1)
        state.deallocate()
        handlerTable.deinitialize(count: 1)
        handlerTable.deallocate()
    }

    /// Parses the next chunk of the part and hands what it holds to `handler`.
    func parse<Handler: XMLPartReader>(
        _ bytes: UnsafeRawBufferPointer, into handler: inout Handler
    ) throws(WorkbookReadError) {
        var offset = 0
        // xmlParseChunk takes an Int32 length; hand over at most 1 MiB at a time.
        repeat {
            let count = min(bytes.count - offset, 1 << 20)
            let base = bytes.baseAddress.map { $0.advanced(by: offset).assumingMemoryBound(to: CChar.self) }
            let code = xmlParseChunk(context, base, Int32(count), 0)
            try drain(into: &handler, code: code)
            offset += count
        } while offset < bytes.count
    }

    /// Ends the part: checks that the document was complete and well formed.
    func finish<Handler: XMLPartReader>(into handler: inout Handler) throws(WorkbookReadError) {
        let code = xmlParseChunk(context, nil, 0, 1)
        try drain(into: &handler, code: code)
        if let context, context.pointee.wellFormed == 0 {
            throw .malformedPart(part: partName, reason: state.pointee.failure ?? "the XML is not well formed")
        }
    }

    private func drain<Handler: XMLPartReader>(into handler: inout Handler, code: Int32) throws(WorkbookReadError) {
        precondition(Handler.recordsSheetRows == (state.pointee.sheet != nil), "a part read with the other kind of parser")
        try handler.take(from: &state.pointee)
        // A sheet's row or cell out of order stopped the parser: `take` threw it, or the reader had stopped.
        if state.pointee.sheet?.error != nil { return }
        if let failure = state.pointee.failure {
            throw .malformedPart(part: partName, reason: failure)
        }
        if code != 0 {
            let reason = state.pointee.lastError ?? "XML error \(code)"
            throw .malformedPart(part: partName, reason: reason)
        }
    }

    // MARK: - libxml2 callbacks

    /// What the C callbacks write to: the events since the last chunk, with their attributes and text in two
    /// stores (no allocation per element), the first failure.
    struct SAXState {
        /// An event as the callbacks record it: attributes and text as ranges of the stores.
        enum Recorded {
            case start(String, Range<Int>)
            case end(String)
            case text(Range<Int>)
        }

        var events: [Recorded] = []
        var attributes: [(name: String, value: String)] = []
        /// The text of this chunk's events, then the text being gathered from `textStart`.
        var texts: [UInt8] = []
        var textStart = 0
        /// Element and attribute names by libxml2's pointer: it keeps each name once, in its dictionary.
        var names: [UnsafePointer<UInt8>: String] = [:]
        var maxTextBytes: Int
        var depth = 0
        var failure: String?
        var lastError: String?
        var context: xmlParserCtxtPtr?
        /// A sheet's rows, when the parser records rows (``XMLStreamParser/makeSheetHandlerTable()``).
        var sheet: SheetRecorder?
        /// The bytes of the sheet's text node being read, for `maxTextBytes`.
        var sheetTextBytes = 0

        init(maxTextBytes: Int) {
            self.maxTextBytes = maxTextBytes
        }

        /// An element starts: false (and the parse stopped) when it nests deeper than ``XMLStreamParser/maxDepth``.
        mutating func enterElement() -> Bool {
            depth += 1
            guard depth <= XMLStreamParser.maxDepth else {
                stop("elements are nested more than \(XMLStreamParser.maxDepth) deep, far deeper than any workbook needs")
                return false
            }
            return true
        }

        /// A text node has reached `bytes`: false (and the parse stopped) when that is more than `maxTextBytes`.
        mutating func admitsText(_ bytes: Int) -> Bool {
            guard bytes <= maxTextBytes else {
                stop("a text value is longer than \(maxTextBytes) bytes")
                return false
            }
            return true
        }

        mutating func name(_ pointer: UnsafePointer<UInt8>) -> String {
            if let known = names[pointer] { return known }
            let name = String(cString: pointer)
            names[pointer] = name
            return name
        }

        mutating func flushText() {
            guard texts.count > textStart else { return }
            events.append(.text(textStart..<texts.count))
            textStart = texts.count
        }

        mutating func stop(_ reason: String) {
            if failure == nil { failure = reason }
            if let context { xmlStopParser(context) }
        }
    }

    private static func makeHandlerTable() -> xmlSAXHandler {
        var table = xmlSAXHandler()
        table.initialized = UInt32(XML_SAX2_MAGIC)
        table.startElementNs = { context, localName, _, _, _, _, attributeCount, _, attributes in
            guard let context, let localName else { return }
            let state = context.assumingMemoryBound(to: SAXState.self)
            state.pointee.flushText()
            guard state.pointee.enterElement() else { return }
            let first = state.pointee.attributes.count
            if let attributes, attributeCount > 0 {
                for index in 0..<Int(attributeCount) {
                    // Five pointers per attribute: local name, prefix, namespace, value start, value end.
                    guard let name = attributes[index * 5], let start = attributes[index * 5 + 3],
                        let end = attributes[index * 5 + 4]
                    else { continue }
                    let bytes = UnsafeBufferPointer(start: start, count: end - start)
                    state.pointee.attributes.append((state.pointee.name(name), XMLStreamParser.attributeValue(bytes)))
                }
            }
            let name = state.pointee.name(localName)
            state.pointee.events.append(.start(name, first..<state.pointee.attributes.count))
        }
        table.endElementNs = { context, localName, _, _ in
            guard let context, let localName else { return }
            let state = context.assumingMemoryBound(to: SAXState.self)
            state.pointee.flushText()
            state.pointee.depth -= 1
            state.pointee.events.append(.end(state.pointee.name(localName)))
        }
        let characters: charactersSAXFunc = { context, bytes, count in
            guard let context, let bytes, count > 0 else { return }
            let state = context.assumingMemoryBound(to: SAXState.self)
            guard state.pointee.admitsText(state.pointee.texts.count - state.pointee.textStart + Int(count)) else { return }
            state.pointee.texts.append(contentsOf: UnsafeBufferPointer(start: bytes, count: Int(count)))
        }
        table.characters = characters
        table.cdataBlock = characters
        addGuards(to: &table)
        return table
    }

    /// The callbacks both tables share: a document type or an entity declaration stops the part, and the
    /// first error's message is kept.
    private static func addGuards(to table: inout xmlSAXHandler) {
        table.internalSubset = { context, _, _, _ in
            guard let context else { return }
            context.assumingMemoryBound(to: SAXState.self).pointee.stop(
                "it declares a document type (<!DOCTYPE>), which workbook parts never have; it may be an attempt to expand entities")
        }
        table.entityDecl = { context, _, _, _, _, _ in
            guard let context else { return }
            context.assumingMemoryBound(to: SAXState.self).pointee.stop("it declares an entity, which workbook parts never do")
        }
        table.serror = { context, error in
            guard let context, let error else { return }
            let state = context.assumingMemoryBound(to: SAXState.self)
            if state.pointee.lastError == nil, let message = error.pointee.message {
                let text = String(cString: message).trimmingCharacters(in: [" ", "\n"])
                state.pointee.lastError = "line \(error.pointee.line): \(text)"
            }
        }
    }

    /// The callbacks for a sheet's cells: rows go straight into ``SheetRecorder`` as bytes, with no event,
    /// name or attribute made per element.
    private static func makeSheetHandlerTable() -> xmlSAXHandler {
        var table = xmlSAXHandler()
        table.initialized = UInt32(XML_SAX2_MAGIC)
        table.startElementNs = { context, localName, _, _, _, _, attributeCount, _, attributes in
            guard let context, let localName else { return }
            let state = context.assumingMemoryBound(to: SAXState.self)
            state.pointee.sheetTextBytes = 0
            guard state.pointee.enterElement() else { return }
            let element = SheetRecorder.element(localName)
            if element == .other { return }
            func attribute(_ wanted: StaticString) -> UnsafeBufferPointer<UInt8>? {
                guard let attributes, attributeCount > 0 else { return nil }
                for index in 0..<Int(attributeCount) {
                    // Five pointers per attribute: local name, prefix, namespace, value start, value end.
                    guard let name = attributes[index * 5], let start = attributes[index * 5 + 3],
                        let end = attributes[index * 5 + 4]
                    else { continue }
                    if SheetRecorder.isName(name, wanted) { return UnsafeBufferPointer(start: start, count: end - start) }
                }
                return nil
            }
            state.pointee.sheet!.start(element, attribute: attribute)
            if state.pointee.sheet!.error != nil, let parser = state.pointee.context { xmlStopParser(parser) }
        }
        table.endElementNs = { context, localName, _, _ in
            guard let context, let localName else { return }
            let state = context.assumingMemoryBound(to: SAXState.self)
            state.pointee.sheetTextBytes = 0
            state.pointee.depth -= 1
            let element = SheetRecorder.element(localName)
            if element != .other { state.pointee.sheet!.end(element) }
        }
        let characters: charactersSAXFunc = { context, bytes, count in
            guard let context, let bytes, count > 0 else { return }
            let state = context.assumingMemoryBound(to: SAXState.self)
            state.pointee.sheetTextBytes += Int(count)
            guard state.pointee.admitsText(state.pointee.sheetTextBytes) else { return }
            state.pointee.sheet!.text(UnsafeBufferPointer(start: bytes, count: Int(count)))
        }
        table.characters = characters
        table.cdataBlock = characters
        addGuards(to: &table)
        return table
    }
}

extension XMLStreamParser {
    /// An attribute value as libxml2 hands it over, decoded.
    ///
    /// Without entity substitution (which stays off: see the type's notes) libxml2 decodes every reference in
    /// an attribute value but one: an ampersand, written `&amp;`, `&#38;` or `&#x26;`, comes through as the five
    /// characters `&#38;` (a long-standing libxml2 behaviour, kept so that its own tree builder can tell it from
    /// an entity reference). Since no entity is ever declared, every `&` libxml2 hands over starts such a
    /// `&#38;`, so each is turned back into `&`, left to right (`&amp;#38;` is the text `&#38;`).
    static func attributeValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let ampersand = UInt8(ascii: "&")
        guard bytes.contains(ampersand) else { return String(decoding: bytes, as: UTF8.self) }
        let escape: [UInt8] = Array("&#38;".utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == ampersand, index + escape.count <= bytes.count,
                bytes[index..<(index + escape.count)].elementsEqual(escape)
            {
                decoded.append(ampersand)
                index += escape.count
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
