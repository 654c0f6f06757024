/// Why a workbook, or one of its sheets, could not be read. Each description says what to do.
public enum WorkbookReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not a zip package at all.
    case notAWorkbook(reason: String)
    /// The file is an encrypted (password-protected) or legacy binary Office file.
    case legacyOrEncrypted
    /// A part the workbook needs is missing.
    case missingPart(String)
    /// A part is not well-formed XML, or breaks the structure a workbook part must have.
    case malformedPart(part: String, reason: String)
    /// A part is larger, once unpacked, than the limit.
    case partTooLarge(part: String, limit: Int)
    /// The workbook holds more shared strings, or more shared-string text, than the limit.
    case tooManySharedStrings(limit: Int)
    /// A part's bytes do not match its checksum: the file is damaged.
    case damaged(part: String)
    /// The zip library could not read a part.
    case unreadablePart(part: String, reason: String)
    /// Rows out of order or out of Excel's range in a sheet.
    case badRow(part: String, row: String)
    /// A cell reference or column out of Excel's range.
    case badCellReference(part: String, reference: String)

    public var description: String {
        switch self {
        case .notAWorkbook(let reason):
            return
                "it is not an Excel workbook (.xlsx): \(reason). Open it in Excel or LibreOffice and save it as \"Excel Workbook (.xlsx)\"."
        case .legacyOrEncrypted:
            return
                "it is a password-protected workbook or an older Excel 97-2003 (.xls) file, which cannot be read. Remove the password, or save it as \"Excel Workbook (.xlsx)\"."
        case .missingPart(let part):
            return "the workbook is incomplete: its part \(part) is missing. Open it in Excel or LibreOffice and save it again."
        case .malformedPart(let part, let reason):
            return "the workbook's part \(part) cannot be read: \(reason). Open it in Excel or LibreOffice and save it again."
        case .partTooLarge(let part, let limit):
            return
                "the workbook's part \(part) unpacks to more than \(limit / 1_048_576) MiB, more than a return can hold, so it was not read. Split the return, or remove what it does not need."
        case .tooManySharedStrings(let limit):
            return
                "the workbook holds more than \(limit) distinct texts, more than a return can hold, so it was not read. Split the return, or remove the sheets it does not need."
        case .damaged(let part):
            return "the workbook is damaged: its part \(part) does not match its checksum. Send the file again."
        case .unreadablePart(let part, let reason):
            return "the workbook's part \(part) cannot be unpacked (\(reason)). Open it in Excel or LibreOffice and save it again."
        case .badRow(let part, let row):
            return
                "the workbook's part \(part) has a row numbered \(row), out of order or beyond Excel's 1,048,576 rows. Open it in Excel or LibreOffice and save it again."
        case .badCellReference(let part, let reference):
            return
                "the workbook's part \(part) has a cell \"\(reference)\" that is not a cell Excel can hold. Open it in Excel or LibreOffice and save it again."
        }
    }
}
