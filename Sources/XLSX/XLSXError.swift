/// Everything that can go wrong while building or writing a workbook.
///
/// Every libxlsxwriter return code that is not `LXW_NO_ERROR` becomes ``libraryError(code:message:operation:sheet:cell:)``
/// with the library's own explanation (`lxw_strerror`) and the place it happened. Limits that the
/// library would only report vaguely (or not at all) are checked in Swift first and get their own cases,
/// so a message always says which sheet, which cell and which value.
public enum XLSXError: Error, Sendable, Equatable, CustomStringConvertible {
    // MARK: - Names

    /// A worksheet name Excel would not accept.
    case invalidSheetName(String, reason: String)
    /// A worksheet name already used in the workbook (Excel compares names without regard to case).
    case duplicateSheetName(String, existing: String)
    /// A defined name, table name or other identifier Excel would not accept.
    case invalidName(kind: String, name: String, reason: String)
    /// A sheet name used in a reference that no worksheet in the workbook has.
    case unknownSheet(String, context: String)

    // MARK: - Cells and ranges

    /// A row or column outside Excel's grid (1,048,576 rows × 16,384 columns; both zero-based here).
    case cellOutOfRange(sheet: String, row: Int, column: Int)
    /// A range whose corners are out of order, or that is not allowed where it is used.
    case invalidRange(sheet: String, range: String, reason: String)
    /// A range that overlaps another merge or table on the same sheet.
    case overlappingRange(sheet: String, range: String, existing: String, kind: String)
    /// Text longer than Excel's limit for where it goes, under ``LongTextPolicy/reject``.
    case textTooLong(sheet: String, cell: String, length: Int, limit: Int)
    /// A value that cannot be stored, such as NaN in a number cell or 31 February.
    case invalidValue(sheet: String, cell: String, value: String, reason: String)

    // MARK: - Arguments

    /// An argument outside what Excel or libxlsxwriter accepts (a font size of 500, a 40-character
    /// validation title, a chart style of 99, …).
    case invalidArgument(context: String, value: String, reason: String)
    /// A format or chart from a different workbook, or one whose workbook is gone.
    case foreignObject(kind: String, context: String)
    /// A chart passed to `insertChart` a second time (libxlsxwriter can place a chart only once).
    case chartAlreadyInserted(sheet: String, cell: String)
    /// Sheet visibility that Excel would repair on opening (every sheet hidden, or the active sheet hidden).
    case invalidVisibility(sheet: String, reason: String)

    // MARK: - The library and the file system

    /// libxlsxwriter returned an error code.
    case libraryError(code: Int, message: String, operation: String, sheet: String?, cell: String?)
    /// libxlsxwriter could not allocate memory for an object.
    case outOfMemory(operation: String)
    /// The workbook was already closed (written or discarded); nothing more can be added to it.
    case workbookClosed(path: String)
    /// The folder the workbook should be written to does not exist.
    case folderNotFound(path: String)
    /// Moving the finished file into place (or another file operation) failed.
    case fileError(path: String, operation: String, reason: String)

    /// A message that quotes the offending value and says where it was.
    public var description: String {
        switch self {
        case .invalidSheetName(let name, let reason):
            return "invalid worksheet name \"\(name)\": \(reason)."
        case .duplicateSheetName(let name, let existing):
            return existing == name
                ? "a worksheet named \"\(name)\" already exists in this workbook."
                : "a worksheet named \"\(name)\" clashes with the existing worksheet \"\(existing)\" (Excel ignores case in sheet names)."
        case .invalidName(let kind, let name, let reason):
            return "invalid \(kind) \"\(name)\": \(reason)."
        case .unknownSheet(let name, let context):
            return "\(context) refers to a worksheet \"\(name)\" that this workbook does not have."
        case .cellOutOfRange(let sheet, let row, let column):
            let place =
                row >= 0 && column >= 0
                ? "cell \(CellReference(row: row, column: column).a1) (row \(row + 1), column \(column + 1))"
                : "row index \(row), column index \(column)"
            return "\(place) on sheet \"\(sheet)\" is outside Excel's grid of "
                + "\(CellReference.maxRows) rows and \(CellReference.maxColumns) columns (A1:XFD1048576)."
        case .invalidRange(let sheet, let range, let reason):
            return "invalid range \(range) on sheet \"\(sheet)\": \(reason)."
        case .overlappingRange(let sheet, let range, let existing, let kind):
            return "range \(range) on sheet \"\(sheet)\" overlaps the \(kind) at \(existing); Excel would repair the file."
        case .textTooLong(let sheet, let cell, let length, let limit):
            return "text in cell \(cell) on sheet \"\(sheet)\" is \(length) characters long; Excel's limit is \(limit)."
        case .invalidValue(let sheet, let cell, let value, let reason):
            return "cannot store \"\(value)\" in cell \(cell) on sheet \"\(sheet)\": \(reason)."
        case .invalidArgument(let context, let value, let reason):
            return "\(context): \"\(value)\" \(reason)."
        case .foreignObject(let kind, let context):
            return "\(context): the \(kind) belongs to another workbook (or to one already closed)."
        case .chartAlreadyInserted(let sheet, let cell):
            return
                "cannot insert the chart at \(cell) on sheet \"\(sheet)\": it is already placed in the workbook; add a new chart instead."
        case .invalidVisibility(let sheet, let reason):
            return "sheet \"\(sheet)\": \(reason)."
        case .libraryError(let code, let message, let operation, let sheet, let cell):
            var place = ""
            if let sheet { place += " on sheet \"\(sheet)\"" }
            if let cell { place += " at \(cell)" }
            return "libxlsxwriter error \(code) in \(operation)\(place): \(message)"
        case .outOfMemory(let operation):
            return "libxlsxwriter could not allocate memory in \(operation)."
        case .workbookClosed(let path):
            return "the workbook for \"\(path)\" is already closed; nothing more can be added to it."
        case .folderNotFound(let path):
            return "cannot write \"\(path)\": the folder \"\(parentFolder(of: path))\" does not exist."
        case .fileError(let path, let operation, let reason):
            return "cannot \(operation) \"\(path)\": \(reason)."
        }
    }
}

/// The folder part of a path ("." when there is none).
func parentFolder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let folder = String(path[..<slash])
    return folder.isEmpty ? "/" : folder
}
