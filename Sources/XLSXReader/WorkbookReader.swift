import CZlibChecksum
import Foundation
import ZIPFoundation

/// Whether a sheet shows in Excel's tabs.
public enum SheetVisibility: String, Sendable, Hashable {
    case visible, hidden, veryHidden
}

/// One sheet of a workbook, in tab order.
public struct WorkbookSheet: Sendable, Hashable {
    /// The name on its tab.
    public var name: String
    /// Shown, hidden, or hidden so that only a macro can show it.
    public var visibility: SheetVisibility
    /// The zip part holding its cells, such as `xl/worksheets/sheet1.xml`; nil when the workbook does not say.
    public var part: String?
}

/// The limits a workbook is read within; exceeding one is an error, never a silent cut.
public struct WorkbookReadLimits: Sendable, Equatable {
    /// The most bytes one sheet part may unpack to.
    public var maxSheetBytes = 512 * 1024 * 1024
    /// The most bytes any other part (workbook, styles, relationships, shared strings) may unpack to.
    public var maxPartBytes = 128 * 1024 * 1024
    /// The most shared strings.
    public var maxSharedStrings = 2_000_000
    /// The most bytes of shared-string text in all.
    public var maxSharedStringBytes = 128 * 1024 * 1024
    /// The longest text in one cell (Excel's own limit is 32,767 characters).
    public var maxCellBytes = 1024 * 1024
    /// The most entries the zip may have.
    public var maxEntries = 10_000

    /// The defaults.
    public init() {}
}

/// A streaming reader of Excel workbooks (Office Open XML `.xlsx`, transitional or strict).
///
/// Opening reads the small parts (relationships, workbook, styles, shared strings); each sheet is then
/// read on demand, its XML parsed as it is unpacked, and handed over a row at a time. Hostile files are
/// refused with a ``WorkbookReadError``: a part that unpacks beyond its limit (zip bombs), a document type
/// declaration (entity expansion), a missing part, a damaged checksum.
///
/// Not thread-safe: keep a reader within one task.
public final class WorkbookReader {
    /// The sheets, in tab order.
    public let sheets: [WorkbookSheet]
    /// How the workbook counts dates.
    public let dateSystem: DateSystem
    /// The workbook-wide defined names and what they refer to.
    public let definedNames: [String: String]
    /// What each cell format (a cell's `s`, in `styles.xml`'s `cellXfs`) says of its text's room.
    public let cellFormats: [CellFormatLayout]

    private let archive: Archive
    private let entries: [String: Entry]
    private let limits: WorkbookReadLimits
    private var sharedStrings: SharedStringTable?
    private let sharedStringsPart: String?
    private let dateStyles: [Bool]

    /// Opens a workbook file.
    public convenience init(path: String, limits: WorkbookReadLimits = WorkbookReadLimits()) throws(WorkbookReadError) {
        let archive: Archive
        try Self.checkSignature(path: path)
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .notAWorkbook(reason: "the zip package cannot be opened")
        }
        try self.init(archive: archive, limits: limits)
    }

    /// Opens a workbook held in memory.
    ///
    /// The bytes go through a private file (in `/dev/shm`, which is memory, where there is one), opened and
    /// at once removed, rather than through ZIPFoundation's in-memory archive: that one (0.9.20) traps on a
    /// zip whose entries point past its end (found by the `workbook` fuzz target), where the file route
    /// reports an error.
    public convenience init(bytes: [UInt8], limits: WorkbookReadLimits = WorkbookReadLimits()) throws(WorkbookReadError) {
        try Self.checkSignature(Array(bytes.prefix(8)))
        let archive = try Self.archiveThroughPrivateFile(bytes)
        try self.init(archive: archive, limits: limits)
    }

    /// Writes the bytes to a new file only this process can read, opens it as an archive, and removes it;
    /// the open archive keeps reading the removed file.
    private static func archiveThroughPrivateFile(_ bytes: [UInt8]) throws(WorkbookReadError) -> Archive {
        var isDirectory: ObjCBool = false
        let base =
            FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory) && isDirectory.boolValue
            ? "/dev/shm" : NSTemporaryDirectory()
        var template = Array(((base as NSString).appendingPathComponent("impact-xlsx-XXXXXX")).utf8CString)
        guard let folder = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) }) else {
            throw .notAWorkbook(reason: "no private folder could be made to read it in (\(String(cString: strerror(errno))))")
        }
        let path = (folder as NSString).appendingPathComponent("return.xlsx")
        defer {
            unlink(path)
            rmdir(folder)
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .notAWorkbook(reason: "it could not be written to a private file to be read") }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                close(descriptor)
                throw .notAWorkbook(reason: "it could not be written to a private file to be read")
            }
            written += count
        }
        close(descriptor)
        do {
            return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .notAWorkbook(reason: "the zip package cannot be opened")
        }
    }

    private init(archive: Archive, limits: WorkbookReadLimits) throws(WorkbookReadError) {
        self.archive = archive
        self.limits = limits
        var entries: [String: Entry] = [:]
        var count = 0
        for entry in archive {
            count += 1
            guard count <= limits.maxEntries else {
                throw .notAWorkbook(reason: "the zip package has more than \(limits.maxEntries) parts")
            }
            entries[Self.normalised(entry.path)] = entry
        }
        self.entries = entries

        // The package's relationships name the workbook part; most files use xl/workbook.xml.
        var workbookPart = "xl/workbook.xml"
        if entries["_rels/.rels"] != nil {
            var root = RelationshipsHandler()
            try Self.parse(part: "_rels/.rels", entries: entries, archive: archive, limit: limits.maxPartBytes, limits, into: &root)
            if let office = root.relationships.first(where: { $0.type.hasSuffix("/officeDocument") && !$0.external }) {
                workbookPart = Self.resolve(office.target, from: "")
            }
        }
        guard entries[workbookPart] != nil else {
            throw entries.isEmpty ? .notAWorkbook(reason: "the zip package is empty") : .missingPart(workbookPart)
        }
        var workbook = WorkbookPartHandler()
        try Self.parse(part: workbookPart, entries: entries, archive: archive, limit: limits.maxPartBytes, limits, into: &workbook)

        let folder = (workbookPart as NSString).deletingLastPathComponent
        let relsPart = Self.relationshipsPart(of: workbookPart)
        var relationships = RelationshipsHandler()
        if entries[relsPart] != nil {
            try Self.parse(part: relsPart, entries: entries, archive: archive, limit: limits.maxPartBytes, limits, into: &relationships)
        }
        var targets: [String: String] = [:]
        for relationship in relationships.relationships where !relationship.external {
            targets[relationship.id] = Self.resolve(relationship.target, from: folder)
        }
        sheets = workbook.sheets.map { sheet in
            WorkbookSheet(name: sheet.name, visibility: sheet.visibility, part: targets[sheet.relationshipID])
        }
        dateSystem = workbook.dateSystem
        definedNames = workbook.definedNames

        var styles = StylesHandler()
        if let stylesPart = relationships.relationships.first(where: { $0.type.hasSuffix("/styles") && !$0.external }) {
            let part = Self.resolve(stylesPart.target, from: folder)
            if entries[part] != nil {
                try Self.parse(part: part, entries: entries, archive: archive, limit: limits.maxPartBytes, limits, into: &styles)
            }
        }
        dateStyles = styles.dateStyles
        cellFormats = styles.layouts
        let shared = relationships.relationships.first { $0.type.hasSuffix("/sharedStrings") && !$0.external }
        sharedStringsPart = shared.map { Self.resolve($0.target, from: folder) }
    }

    // MARK: - Reading sheets

    /// Reads one sheet, handing each stored row to `body` in order; `body` returns false to stop early.
    ///
    /// Rows and cells the workbook does not store (empty ones) are not handed over.
    public func readRows(
        of sheet: WorkbookSheet, _ body: @escaping (SheetRow) throws(WorkbookReadError) -> Bool
    ) throws(WorkbookReadError) {
        try readRowCells(of: sheet) { (cells) throws(WorkbookReadError) in try body(cells.row) }
    }

    /// Reads one sheet as ``readRows(of:_:)`` does, lending each row's cells as the workbook records them, to be
    /// read as bytes where they need no conversion (the fast way: no `String` per cell).
    public func readRowCells(
        of sheet: WorkbookSheet, _ body: @escaping (SheetRowCells) throws(WorkbookReadError) -> Bool
    ) throws(WorkbookReadError) {
        let part = try cellsPart(of: sheet)
        let strings = try loadSharedStrings()
        var reader = SheetRowReader(strings: strings, dateStyles: dateStyles, emit: body)
        try Self.parse(
            part: part, entries: entries, archive: archive, limit: limits.maxSheetBytes, limits, into: &reader,
            stopWhen: { $0.stopped })
    }

    /// Reads every row of one sheet as ``readRowCells(of:_:)`` does, the XML read on a thread of its own
    /// while `body` checks the rows already read on this one (at most a few chunks ahead). `body` sees the same
    /// rows, then the same error, as ``readRowCells(of:_:)`` gives; the reader is not used by the other thread
    /// once this returns.
    public func readRowCellsAhead(
        of sheet: WorkbookSheet, _ body: (SheetRowCells) throws(WorkbookReadError) -> Void
    ) throws(WorkbookReadError) {
        let part = try cellsPart(of: sheet)
        let strings = try loadSharedStrings()
        let channel = RecordedRowsChannel(capacity: 16)
        let reading = SheetReading(reader: self, part: part, channel: channel)
        let thread = Thread { reading.run() }
        thread.stackSize = 8 << 20
        thread.start()
        do {
            while let next = channel.receive() {
                let chunk = try next.get()
                _ = try RecordedRows.forEach(
                    bytes: chunk.bytes, cells: chunk.cells, rows: chunk.rows, strings: strings, dateStyles: dateStyles
                ) { (row) throws(WorkbookReadError) in
                    try body(row)
                    return true
                }
            }
        } catch {
            channel.cancel()
            throw error
        }
    }

    /// The reading thread's side of ``readRowCellsAhead(of:_:)``.
    private final class SheetReading: @unchecked Sendable {
        let reader: WorkbookReader
        let part: String
        let channel: RecordedRowsChannel

        init(reader: WorkbookReader, part: String, channel: RecordedRowsChannel) {
            self.reader = reader
            self.part = part
            self.channel = channel
        }

        func run() {
            var forwarder = SheetRowForwarder(channel: channel)
            do throws(WorkbookReadError) {
                try WorkbookReader.parse(
                    part: part, entries: reader.entries, archive: reader.archive, limit: reader.limits.maxSheetBytes,
                    reader.limits, into: &forwarder, stopWhen: { $0.stopped })
                channel.end(nil)
            } catch {
                channel.end(error)
            }
        }
    }

    /// A sheet's layout: row heights, column widths, merged ranges and each cell's format index (into
    /// ``cellFormats``). The whole part is read; the cells' values are not kept.
    public func layout(of sheet: WorkbookSheet) throws(WorkbookReadError) -> SheetLayout {
        let part = try cellsPart(of: sheet)
        var handler = SheetLayoutHandler()
        try Self.parse(part: part, entries: entries, archive: archive, limit: limits.maxSheetBytes, limits, into: &handler)
        return handler.layout
    }

    // MARK: - Tables

    /// The tables of a sheet, in the order its relationships list them.
    ///
    /// The tables are found through the sheet's relationships (`xl/worksheets/_rels/sheet1.xml.rels`), not
    /// through its cells, so a table is found wherever an edit has moved it; a relationship to a part outside
    /// the package is left out, and one part named twice is read once. A sheet without relationships has no
    /// tables. A table part that is missing, or whose range is not a range of cells, is an error.
    public func tables(of sheet: WorkbookSheet) throws(WorkbookReadError) -> [WorkbookTable] {
        let part = try cellsPart(of: sheet)
        let relsPart = Self.relationshipsPart(of: part)
        guard entries[relsPart] != nil else { return [] }
        var relationships = RelationshipsHandler()
        try Self.parse(part: relsPart, entries: entries, archive: archive, limit: limits.maxPartBytes, limits, into: &relationships)
        let tableRelationships = relationships.relationships.filter { $0.type.hasSuffix("/table") && !$0.external }
        // Each table is a part of its own, so a sheet cannot honestly have more tables than the zip has entries.
        guard tableRelationships.count <= limits.maxEntries else {
            throw .malformedPart(part: relsPart, reason: "it lists more than \(limits.maxEntries) tables")
        }
        let folder = (part as NSString).deletingLastPathComponent
        var seen: Set<String> = []
        var tables: [WorkbookTable] = []
        for relationship in tableRelationships {
            let tablePart = Self.resolve(relationship.target, from: folder)
            guard seen.insert(tablePart).inserted else { continue }
            var handler = TableHandler(part: tablePart, sheet: sheet.name)
            try Self.parse(part: tablePart, entries: entries, archive: archive, limit: limits.maxPartBytes, limits, into: &handler)
            guard let table = handler.table else { throw .malformedPart(part: tablePart, reason: "it holds no table") }
            tables.append(table)
        }
        return tables
    }

    /// The part holding a sheet's cells, when the package has it.
    private func cellsPart(of sheet: WorkbookSheet) throws(WorkbookReadError) -> String {
        guard let part = sheet.part, entries[part] != nil else {
            throw .missingPart(sheet.part ?? "the cells of sheet \"\(sheet.name)\"")
        }
        return part
    }

    /// Reads the shared strings once, when a sheet first needs them.
    private func loadSharedStrings() throws(WorkbookReadError) -> SharedStringTable {
        if let sharedStrings { return sharedStrings }
        var handler = SharedStringsHandler(maxCount: limits.maxSharedStrings, maxBytes: limits.maxSharedStringBytes)
        if let part = sharedStringsPart, entries[part] != nil {
            try Self.parse(part: part, entries: entries, archive: archive, limit: limits.maxPartBytes, limits, into: &handler)
        }
        sharedStrings = handler.strings
        return handler.strings
    }

    // MARK: - Parts

    /// Thrown inside the zip library's consumer to stop unpacking early; never escapes.
    private struct StopReading: Error {}

    /// Unpacks one part and parses it as it comes, within `limit` unpacked bytes.
    private static func parse<Handler: XMLPartReader>(
        part: String, entries: [String: Entry], archive: Archive, limit: Int, _ limits: WorkbookReadLimits,
        into handler: inout Handler, stopWhen: (Handler) -> Bool = { _ in false }
    ) throws(WorkbookReadError) {
        guard let entry = entries[part] else { throw .missingPart(part) }
        guard entry.type == .file else { throw .malformedPart(part: part, reason: "it is not a file in the zip package") }
        guard entry.uncompressedSize <= UInt64(limit) else { throw .partTooLarge(part: part, limit: limit) }
        let parser = try XMLStreamParser(
            partName: part, maxTextBytes: limits.maxCellBytes, recordsSheetRows: Handler.recordsSheetRows)
        var unpacked = 0
        var failure: WorkbookReadError?
        var stopped = false
        var local = handler
        // The checksum is zlib's, taken as the bytes come: ZIPFoundation's own is a slower one on Linux.
        var checksum: uLong = 0
        do {
            _ = try archive.extract(entry, bufferSize: 64 * 1024, skipCRC32: true) { data in
                unpacked += data.count
                guard unpacked <= limit else {
                    failure = .partTooLarge(part: part, limit: limit)
                    throw StopReading()
                }
                let problem = data.withUnsafeBytes { bytes -> WorkbookReadError? in
                    checksum = crc32(checksum, bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(bytes.count))
                    do throws(WorkbookReadError) {
                        try parser.parse(bytes, into: &local)
                        return nil
                    } catch {
                        return error
                    }
                }
                if let problem {
                    failure = problem
                    throw StopReading()
                }
                if stopWhen(local) {
                    stopped = true
                    throw StopReading()
                }
            }
        } catch {
            handler = local
            if stopped { return }
            if let failure { throw failure }
            throw .unreadablePart(part: part, reason: "\(error)")
        }
        handler = local
        guard CRC32(truncatingIfNeeded: checksum) == entry.checksum else { throw .damaged(part: part) }
        try parser.finish(into: &handler)
    }

    /// The `.rels` part that belongs to a part: `xl/workbook.xml` → `xl/_rels/workbook.xml.rels`.
    static func relationshipsPart(of part: String) -> String {
        let folder = (part as NSString).deletingLastPathComponent
        let name = (part as NSString).lastPathComponent
        return folder.isEmpty ? "_rels/\(name).rels" : "\(folder)/_rels/\(name).rels"
    }

    /// A relationship target resolved against the folder of its source part, with `..` followed.
    static func resolve(_ target: String, from folder: String) -> String {
        let absolute = target.hasPrefix("/")
        var segments: [Substring] = absolute ? [] : folder.split(separator: "/")
        for segment in target.split(separator: "/") {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        return normalised(segments.joined(separator: "/"))
    }

    /// Zip entry names compared without a leading slash and with backslashes as slashes.
    static func normalised(_ path: String) -> String {
        var text = path.replacingOccurrences(of: "\\", with: "/")
        while text.hasPrefix("/") { text.removeFirst() }
        return text
    }

    // MARK: - Signatures

    private static func checkSignature(path: String) throws(WorkbookReadError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .notAWorkbook(reason: "the file cannot be opened")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        try checkSignature(Array(head))
    }

    /// Refuses what is plainly not a zip package before the zip library sees it.
    private static func checkSignature(_ head: [UInt8]) throws(WorkbookReadError) {
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { throw .legacyOrEncrypted }
        guard head.count >= 4 else { throw .notAWorkbook(reason: "the file is empty or too short") }
        guard head.starts(with: [0x50, 0x4B]) else {
            throw .notAWorkbook(reason: "it is not a zip package (perhaps a CSV or text file named .xlsx)")
        }
    }
}
