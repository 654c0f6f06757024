// MARK: - Relationships

/// Reads a `.rels` part: relationship IDs to their targets and types.
struct RelationshipsHandler: XMLEventHandler {
    struct Relationship {
        var id: String
        var type: String
        var target: String
        var external: Bool
    }

    var relationships: [Relationship] = []

    mutating func handle(_ event: XMLEvent) throws(WorkbookReadError) {
        guard case .start(let element) = event, element.name == "Relationship" else { return }
        guard let id = element.attribute("Id"), let target = element.attribute("Target") else { return }
        relationships.append(
            Relationship(
                id: id, type: element.attribute("Type") ?? "", target: target,
                external: element.attribute("TargetMode") == "External"))
    }
}

// MARK: - Workbook

/// Reads `workbook.xml`: the sheets in order, the date system and the defined names.
struct WorkbookPartHandler: XMLEventHandler {
    struct SheetReference {
        var name: String
        var relationshipID: String
        var visibility: SheetVisibility
    }

    var sheets: [SheetReference] = []
    var dateSystem = DateSystem.from1900
    var definedNames: [String: String] = [:]
    private var definedName: String?
    private var definedText: [UInt8] = []

    mutating func handle(_ event: XMLEvent) throws(WorkbookReadError) {
        switch event {
        case .start(let element):
            switch element.name {
            case "workbookPr":
                if let flag = element.attribute("date1904") { dateSystem = flag == "1" || flag == "true" ? .from1904 : .from1900 }
            case "sheet":
                guard let name = element.attribute("name"), let id = element.attribute("id") else { return }
                let visibility: SheetVisibility
                switch element.attribute("state") {
                case "hidden": visibility = .hidden
                case "veryHidden": visibility = .veryHidden
                default: visibility = .visible
                }
                sheets.append(SheetReference(name: name, relationshipID: id, visibility: visibility))
            case "definedName":
                // Names scoped to one sheet are left out: only workbook-wide names are reported.
                definedName = element.attribute("localSheetId") == nil ? element.attribute("name") : nil
                definedText = []
            default:
                break
            }
        case .text(let bytes):
            if definedName != nil { definedText += bytes }
        case .end(let name):
            if name == "definedName", let definedName {
                definedNames[definedName] = String(decoding: definedText, as: UTF8.self)
            }
            if name == "definedName" { definedName = nil }
        }
    }
}

// MARK: - Styles

/// Reads `styles.xml`: which cell formats (`s` indexes into `cellXfs`) show dates, and what each says of
/// the text's room (wrap, font size, bold).
struct StylesHandler: XMLEventHandler {
    var customFormats: [Int: String] = [:]
    var cellFormatIDs: [Int] = []
    /// Each cell format's font (an index into `fonts`) and whether it wraps text.
    var cellFormatFonts: [(font: Int, wraps: Bool)] = []
    /// The fonts of `fonts`: size and boldness.
    var fonts: [(size: Double, bold: Bool)] = []
    private var inCellFormats = false
    private var inFonts = false
    private var inFont = false
    private var inCellFormat = false

    /// Each cell format's layout, in `cellXfs` order.
    var layouts: [CellFormatLayout] {
        cellFormatFonts.map { entry in
            let font = fonts.indices.contains(entry.font) ? fonts[entry.font] : (size: 11, bold: false)
            return CellFormatLayout(wrapsText: entry.wraps, fontSize: font.size, bold: font.bold)
        }
    }

    /// For each cell format index, whether it shows a date or time.
    var dateStyles: [Bool] {
        cellFormatIDs.map { id in
            if NumberFormat.builtInDateIDs.contains(id) { return true }
            return customFormats[id].map(NumberFormat.isDateFormat) ?? false
        }
    }

    mutating func handle(_ event: XMLEvent) throws(WorkbookReadError) {
        switch event {
        case .start(let element):
            switch element.name {
            case "numFmt":
                if let id = element.attribute("numFmtId").flatMap(Int.init), let code = element.attribute("formatCode") {
                    customFormats[id] = code
                }
            case "cellXfs":
                inCellFormats = true
            case "xf" where inCellFormats:
                cellFormatIDs.append(element.attribute("numFmtId").flatMap(Int.init) ?? 0)
                cellFormatFonts.append((font: element.attribute("fontId").flatMap(Int.init) ?? 0, wraps: false))
                inCellFormat = true
            case "alignment" where inCellFormat:
                let wrap = element.attribute("wrapText")
                cellFormatFonts[cellFormatFonts.count - 1].wraps = wrap == "1" || wrap == "true"
            case "fonts":
                inFonts = true
            case "font" where inFonts:
                fonts.append((size: 11, bold: false))
                inFont = true
            case "sz" where inFont:
                if let size = element.attribute("val").flatMap(Double.init) { fonts[fonts.count - 1].size = size }
            case "b" where inFont:
                let value = element.attribute("val")
                fonts[fonts.count - 1].bold = value == nil || value == "1" || value == "true"
            default:
                break
            }
        case .end(let name):
            switch name {
            case "cellXfs": inCellFormats = false
            case "xf": inCellFormat = false
            case "fonts": inFonts = false
            case "font": inFont = false
            default: break
            }
        case .text:
            break
        }
    }
}

// MARK: - Shared strings

/// Reads `sharedStrings.xml`: every `<si>` as one text (rich-text runs joined, phonetic guides left out), into
/// one run of bytes.
struct SharedStringsHandler: XMLEventHandler {
    var strings = SharedStringTable()
    let maxCount: Int
    let maxBytes: Int
    private var totalBytes = 0
    private var current: [UInt8] = []
    private var inItem = false
    private var inText = false
    private var phoneticDepth = 0

    init(maxCount: Int, maxBytes: Int) {
        self.maxCount = maxCount
        self.maxBytes = maxBytes
    }

    mutating func handle(_ event: XMLEvent) throws(WorkbookReadError) {
        switch event {
        case .start(let element):
            switch element.name {
            case "si":
                guard strings.count < maxCount else { throw .tooManySharedStrings(limit: maxCount) }
                inItem = true
                current.removeAll(keepingCapacity: true)
            case "rPh": phoneticDepth += 1
            case "t": inText = inItem && phoneticDepth == 0
            default: break
            }
        case .text(let bytes):
            guard inText else { return }
            totalBytes += bytes.count
            guard totalBytes <= maxBytes else { throw .tooManySharedStrings(limit: maxCount) }
            current += bytes
        case .end(let name):
            switch name {
            case "si":
                // libxml2 hands over well-formed UTF-8; should a text not be, it is repaired as a String would be.
                if current.allSatisfy({ $0 < 0x80 }) || String(validating: current, as: UTF8.self) != nil {
                    strings.bytes += current
                } else {
                    strings.bytes += String(decoding: current, as: UTF8.self).utf8
                }
                strings.ends.append(strings.bytes.count)
                inItem = false
            case "rPh": phoneticDepth -= 1
            case "t": inText = false
            default: break
            }
        }
    }
}
