import CXlsxWriter
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MARK: - Options

/// What to do with text longer than Excel allows in a cell or comment (32,767 characters).
public enum LongTextPolicy: Hashable, Sendable {
    /// Cut the text at a character boundary and end it with ``Worksheet/truncationMarker`` (the default),
    /// so that one over-long free-text note never stops a whole workbook from being written.
    case truncate
    /// Throw ``XLSXError/textTooLong(sheet:cell:length:limit:)``.
    case reject
}

/// Settings fixed when a workbook is created.
public struct WorkbookOptions: Hashable, Sendable {
    /// The creation time written to docProps/core.xml (both `created` and `modified`).
    ///
    /// Set it for byte-reproducible output: two workbooks built from the same calls with the same
    /// `created` are identical byte for byte (libxlsxwriter stamps every zip entry 1980-01-01).
    /// nil uses the current time. (libxlsxwriter reads the Unix time 0 as "now" too.)
    public var created: Date?
    /// Folder for libxlsxwriter's temporary files while it assembles the package; nil uses the
    /// system's temporary folder.
    public var temporaryDirectory: String?
    /// Use ZIP64 extensions, needed only for parts larger than 4 GB.
    public var useZip64: Bool
    /// What to do with over-long text.
    public var longText: LongTextPolicy
    /// The number format for dates written without one (`dd mmm yyyy` shows 15 Jul 2026).
    public var defaultDateFormat: String

    /// Creates options; the defaults suit most workbooks.
    public init(
        created: Date? = nil, temporaryDirectory: String? = nil, useZip64: Bool = false,
        longText: LongTextPolicy = .truncate, defaultDateFormat: String = "dd mmm yyyy"
    ) {
        self.created = created
        self.temporaryDirectory = temporaryDirectory
        self.useZip64 = useZip64
        self.longText = longText
        self.defaultDateFormat = defaultDateFormat
    }

    /// The time in the `SOURCE_DATE_EPOCH` environment variable (seconds since 1970), if it is set
    /// to a whole number; use it as ``created`` for reproducible builds.
    public static func sourceDateEpoch(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Date? {
        guard let text = environment["SOURCE_DATE_EPOCH"]?.trimmingCharacters(in: .whitespaces),
            let seconds = Int64(text)
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}

/// The document properties Excel shows under File › Info, written to docProps/core.xml and docProps/app.xml.
public struct DocumentProperties: Hashable, Sendable {
    /// The title.
    public var title: String?
    /// The subject.
    public var subject: String?
    /// The author (dc:creator).
    public var author: String?
    /// The manager.
    public var manager: String?
    /// The company.
    public var company: String?
    /// The category.
    public var category: String?
    /// Keywords, usually comma-separated.
    public var keywords: String?
    /// Comments (dc:description).
    public var comments: String?
    /// The status.
    public var status: String?

    /// Creates properties; unset ones are left out of the file.
    public init(
        title: String? = nil, subject: String? = nil, author: String? = nil, manager: String? = nil,
        company: String? = nil, category: String? = nil, keywords: String? = nil,
        comments: String? = nil, status: String? = nil
    ) {
        self.title = title
        self.subject = subject
        self.author = author
        self.manager = manager
        self.company = company
        self.category = category
        self.keywords = keywords
        self.comments = comments
        self.status = status
    }
}

// MARK: - Shared state

/// The libxlsxwriter workbook and what every sheet, format and chart of it needs to know.
///
/// Worksheets, formats and charts hold the core (not the ``Workbook``), and check ``pointer``
/// before every C call, so none of them can touch freed memory after the workbook is closed or
/// released: they throw ``XLSXError/workbookClosed(path:)`` instead.
final class WorkbookCore {
    /// The C workbook; nil once it has been written or freed.
    var pointer: UnsafeMutablePointer<lxw_workbook>?
    /// Where the finished file goes.
    let path: String
    /// Where libxlsxwriter writes it first.
    let temporaryPath: String
    let options: WorkbookOptions
    /// One libxlsxwriter format per distinct spec.
    var formats: [FormatSpec: UnsafeMutablePointer<lxw_format>] = [:]
    /// Sheet names in order.
    var sheetNames: [String] = []
    /// Table names in use (lowercased; Excel table names are unique across a workbook).
    var tableNames: Set<String> = []
    /// The sheet Excel opens on.
    var activeSheetIndex = 0

    init(pointer: UnsafeMutablePointer<lxw_workbook>, path: String, temporaryPath: String, options: WorkbookOptions) {
        self.pointer = pointer
        self.path = path
        self.temporaryPath = temporaryPath
        self.options = options
    }

    /// The C workbook, or ``XLSXError/workbookClosed(path:)``.
    func open() throws -> UnsafeMutablePointer<lxw_workbook> {
        guard let pointer else { throw XLSXError.workbookClosed(path: path) }
        return pointer
    }

    /// Turns a libxlsxwriter return code into a thrown error.
    func check(_ code: lxw_error, _ operation: String, sheet: String? = nil, cell: String? = nil) throws {
        guard code != LXW_NO_ERROR else { return }
        throw XLSXError.libraryError(
            code: Int(code.rawValue), message: String(cString: lxw_strerror(code)),
            operation: operation, sheet: sheet, cell: cell)
    }

    /// The format for a spec, made on first use.
    func format(for spec: FormatSpec) throws -> Format {
        if let existing = formats[spec] { return Format(spec: spec, core: self, pointer: existing) }
        try spec.validate()
        let workbook = try open()
        guard let made = workbook_add_format(workbook) else { throw XLSXError.outOfMemory(operation: "workbook_add_format") }
        spec.apply(to: made)
        formats[spec] = made
        return Format(spec: spec, core: self, pointer: made)
    }

    /// The sheet name as stored, matched without regard to case.
    func existingSheetName(_ name: String) -> String? {
        let key = name.lowercased()
        return sheetNames.first { $0.lowercased() == key }
    }

    /// Frees the C workbook without writing it, if that has not happened yet, and removes the
    /// temporary file if one was started. Safe to call more than once.
    func discard() {
        guard let workbook = pointer else { return }
        pointer = nil
        lxw_workbook_free(workbook)
        unlink(temporaryPath)
    }
}

// MARK: - Workbook

/// An Excel workbook being built, written to its path by ``close()``.
///
/// ```swift
/// let book = try Workbook(path: "out/funder.xlsx", options: WorkbookOptions(created: fixedDate))
/// let sheet = try book.addWorksheet(name: "Summary")
/// let money = try book.addFormat(FormatSpec(numberFormat: "£#,##0.00"))
/// try sheet.write(string: "Spend", row: 0, column: 0)
/// try sheet.write(number: 1200.5, row: 0, column: 1, format: money)
/// try book.close()
/// ```
///
/// Writing is atomic: libxlsxwriter writes to a hidden temporary file in the destination folder,
/// and only a complete file is renamed onto the destination. A workbook released without
/// ``close()`` is freed without writing anything. Not thread-safe: use one workbook from one task.
public final class Workbook {
    /// Where the workbook will be written.
    public let path: String
    /// The options it was created with.
    public let options: WorkbookOptions
    /// Document properties, written at ``close()``.
    public var properties = DocumentProperties()
    /// The worksheets in tab order.
    public private(set) var worksheets: [Worksheet] = []

    let core: WorkbookCore

    /// Creates an empty workbook that ``close()`` will write to `path`.
    ///
    /// Throws ``XLSXError/folderNotFound(path:)`` when the destination folder does not exist and
    /// ``XLSXError/fileError(path:operation:reason:)`` when the path is a folder.
    public init(path: String, options: WorkbookOptions = WorkbookOptions()) throws {
        guard !path.isEmpty, !path.contains("\0") else {
            throw XLSXError.invalidArgument(context: "workbook path", value: path, reason: "is not a usable file path")
        }
        let folder = parentFolder(of: path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw XLSXError.folderNotFound(path: path)
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw XLSXError.fileError(path: path, operation: "write a workbook to", reason: "it is a folder")
        }
        if let tmp = options.temporaryDirectory {
            guard FileManager.default.fileExists(atPath: tmp, isDirectory: &isFolder), isFolder.boolValue else {
                throw XLSXError.invalidArgument(
                    context: "workbook temporary directory", value: tmp,
                    reason: "is not an existing folder")
            }
        }
        let dateSpec = FormatSpec(numberFormat: options.defaultDateFormat)
        try dateSpec.validate()

        let name = (path as NSString).lastPathComponent
        let temporaryPath = (folder as NSString).appendingPathComponent(".\(name).\(UUID().uuidString).partial")

        let bag = CStringBag(operation: "workbook_new_opt")
        var lxwOptions = lxw_workbook_options()
        lxwOptions.constant_memory = 0
        lxwOptions.tmpdir = try bag.optional(options.temporaryDirectory)
        lxwOptions.use_zip64 = options.useZip64 ? 1 : 0
        let made = withExtendedLifetime(bag) { workbook_new_opt(temporaryPath, &lxwOptions) }
        guard let made else { throw XLSXError.outOfMemory(operation: "workbook_new_opt") }

        self.path = path
        self.options = options
        self.core = WorkbookCore(pointer: made, path: path, temporaryPath: temporaryPath, options: options)
    }

    deinit {
        core.discard()
    }

    /// Whether ``close()`` has run (successfully or not); a closed workbook accepts nothing more.
    public var isClosed: Bool { core.pointer == nil }

    // MARK: - Worksheets

    /// Adds a worksheet at the end of the tabs.
    ///
    /// The name must be 1–31 characters, must not contain `[ ] : * ? / \`, must not start or end
    /// with an apostrophe, must not be "History" (Excel reserves it) and must differ from every
    /// other sheet's name ignoring case; otherwise ``XLSXError/invalidSheetName(_:reason:)`` or
    /// ``XLSXError/duplicateSheetName(_:existing:)`` is thrown and nothing is added.
    @discardableResult
    public func addWorksheet(name: String) throws -> Worksheet {
        let workbook = try core.open()
        try Workbook.validateSheetName(name)
        if let existing = core.existingSheetName(name) {
            throw XLSXError.duplicateSheetName(name, existing: existing)
        }
        let code = workbook_validate_sheet_name(workbook, name)
        try core.check(code, "workbook_validate_sheet_name", sheet: name)
        guard let made = workbook_add_worksheet(workbook, name) else {
            throw XLSXError.outOfMemory(operation: "workbook_add_worksheet(\"\(name)\")")
        }
        let sheet = Worksheet(name: name, index: worksheets.count, core: core, pointer: made)
        worksheets.append(sheet)
        core.sheetNames.append(name)
        return sheet
    }

    /// The worksheet with this name (ignoring case), if any.
    public func worksheet(named name: String) -> Worksheet? {
        let key = name.lowercased()
        return worksheets.first { $0.name.lowercased() == key }
    }

    /// Throws ``XLSXError/invalidSheetName(_:reason:)`` unless Excel would accept the name.
    public static func validateSheetName(_ name: String) throws {
        if name.isEmpty { throw XLSXError.invalidSheetName(name, reason: "it is empty") }
        let length = name.utf16.count
        if length > 31 {
            throw XLSXError.invalidSheetName(name, reason: "it is \(length) characters long; Excel's limit is 31")
        }
        if let bad = name.first(where: { "[]:*?/\\".contains($0) }) {
            throw XLSXError.invalidSheetName(name, reason: "it contains \"\(bad)\"; Excel does not allow [ ] : * ? / \\ in sheet names")
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw XLSXError.invalidSheetName(name, reason: "it contains a control character")
        }
        if name.hasPrefix("'") || name.hasSuffix("'") {
            throw XLSXError.invalidSheetName(name, reason: "it starts or ends with an apostrophe")
        }
        if name.lowercased() == "history" {
            throw XLSXError.invalidSheetName(name, reason: "Excel reserves the name \"History\"")
        }
    }

    // MARK: - Formats and charts

    /// The format for a spec; equal specs return the same format.
    ///
    /// Throws ``XLSXError/invalidArgument(context:value:reason:)`` for values Excel does not accept
    /// (a font size outside 1–409, a number format over 127 bytes, an indent over 15).
    public func addFormat(_ spec: FormatSpec) throws -> Format {
        try core.format(for: spec)
    }

    /// Adds a chart to the workbook; give it series, then place it with ``Worksheet/insertChart(_:row:column:placement:)``.
    public func addChart(_ type: ChartType) throws -> Chart {
        let workbook = try core.open()
        guard let made = workbook_add_chart(workbook, type.lxw) else {
            throw XLSXError.outOfMemory(operation: "workbook_add_chart")
        }
        return Chart(type: type, core: core, pointer: made)
    }

    // MARK: - Defined names

    /// Defines a workbook-wide name for a range, such as `Partners` for `=Partners!$A$2:$A$70`.
    public func defineName(_ name: String, refersTo range: SheetRange) throws {
        guard core.existingSheetName(range.sheet) != nil else {
            throw XLSXError.unknownSheet(range.sheet, context: "defined name \"\(name)\"")
        }
        guard range.range.first.isInExcelGrid, range.range.last.isInExcelGrid else {
            throw XLSXError.cellOutOfRange(
                sheet: range.sheet, row: max(range.range.first.row, range.range.last.row),
                column: max(range.range.first.column, range.range.last.column))
        }
        try defineName(name, formula: range.formula)
    }

    /// Defines a workbook-wide name for a trusted formula or constant, such as `=0.05`.
    public func defineName(_ name: String, formula: String) throws {
        let workbook = try core.open()
        try Workbook.validateDefinedName(name)
        guard !formula.isEmpty, formula.count <= 8192, !formula.contains("\0") else {
            throw XLSXError.invalidArgument(
                context: "defined name \"\(name)\"", value: formula,
                reason: "must be a formula of 1 to 8,192 characters")
        }
        let code = workbook_define_name(workbook, name, formula)
        try core.check(code, "workbook_define_name(\"\(name)\")")
    }

    static func validateDefinedName(_ name: String) throws {
        func fail(_ reason: String) -> XLSXError { .invalidName(kind: "defined name", name: name, reason: reason) }
        guard let first = name.first else { throw fail("it is empty") }
        if name.count > 255 { throw fail("it is longer than 255 characters") }
        if !(first.isLetter || first == "_" || first == "\\") {
            throw fail("it must start with a letter, an underscore or a backslash")
        }
        if name.contains(where: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "\\") }) {
            throw fail("it may contain only letters, digits, underscores, full stops and backslashes")
        }
        if SheetRange.readsAsCellReference(name) {
            throw fail("it reads as a cell reference")
        }
    }

    // MARK: - Writing

    /// Writes the workbook to ``path`` and frees it.
    ///
    /// The file is assembled under a hidden temporary name in the same folder, flushed to disk and
    /// then renamed onto the destination, so the destination holds either the previous file or the
    /// complete new one. On failure the temporary file is removed and the error says what failed:
    /// ``XLSXError/libraryError(code:message:operation:sheet:cell:)`` with libxlsxwriter's explanation,
    /// or ``XLSXError/fileError(path:operation:reason:)``. Whatever the outcome, the workbook is closed
    /// afterwards — except when the sheets' visibility is invalid
    /// (``XLSXError/invalidVisibility(sheet:reason:)``), which is checked first so it can be fixed.
    public func close() throws {
        let workbook = try core.open()
        try validateVisibility()

        let bag = CStringBag(operation: "workbook_set_properties")
        var props = lxw_doc_properties()
        props.title = try bag.optional(properties.title)
        props.subject = try bag.optional(properties.subject)
        props.author = try bag.optional(properties.author)
        props.manager = try bag.optional(properties.manager)
        props.company = try bag.optional(properties.company)
        props.category = try bag.optional(properties.category)
        props.keywords = try bag.optional(properties.keywords)
        props.comments = try bag.optional(properties.comments)
        props.status = try bag.optional(properties.status)
        if let created = options.created {
            props.created = time_t(created.timeIntervalSince1970.rounded(.down))
        }
        let propsCode = withExtendedLifetime(bag) { workbook_set_properties(workbook, &props) }
        try core.check(propsCode, "workbook_set_properties")

        // workbook_close frees the workbook whatever it returns, so the core lets go first.
        core.pointer = nil
        let code = workbook_close(workbook)
        guard code == LXW_NO_ERROR else {
            unlink(core.temporaryPath)
            throw XLSXError.libraryError(
                code: Int(code.rawValue), message: String(cString: lxw_strerror(code)),
                operation: "workbook_close writing \"\(path)\"", sheet: nil, cell: nil)
        }
        try moveIntoPlace()
    }

    private func validateVisibility() throws {
        guard !worksheets.isEmpty else { return }
        if worksheets.allSatisfy(\.isHidden), let first = worksheets.first {
            throw XLSXError.invalidVisibility(sheet: first.name, reason: "every worksheet is hidden; at least one must be visible")
        }
        let active = worksheets[core.activeSheetIndex]
        if active.isHidden {
            throw XLSXError.invalidVisibility(
                sheet: active.name,
                reason: "the active sheet (the one Excel opens on) is hidden; activate a visible sheet")
        }
    }

    private func moveIntoPlace() throws {
        let temporary = core.temporaryPath
        let descriptor = open(temporary, O_RDONLY)
        if descriptor >= 0 {
            let synced = fsync(descriptor)
            let syncErrno = errno
            closeDescriptor(descriptor)
            if synced != 0 {
                unlink(temporary)
                throw XLSXError.fileError(
                    path: temporary, operation: "flush the finished workbook",
                    reason: String(cString: strerror(syncErrno)))
            }
        } else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw XLSXError.fileError(path: temporary, operation: "open the finished workbook", reason: reason)
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw XLSXError.fileError(path: path, operation: "move the finished workbook to", reason: reason)
        }
        // Make the rename itself durable.
        let folder = open(parentFolder(of: path), O_RDONLY)
        if folder >= 0 {
            _ = fsync(folder)
            closeDescriptor(folder)
        }
    }
}

/// Closes a file descriptor (a free function, so the call does not resolve to ``Workbook/close()``).
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
