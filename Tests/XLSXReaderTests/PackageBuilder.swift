import Foundation
import TestSupport

@testable import XLSXReader

extension PackageBuilder {
    /// Every row of every sheet, by sheet name.
    static func readAll(_ path: String, limits: WorkbookReadLimits = WorkbookReadLimits()) throws -> [String: [SheetRow]] {
        let reader = try WorkbookReader(path: path, limits: limits)
        var result: [String: [SheetRow]] = [:]
        for sheet in reader.sheets {
            var rows: [SheetRow] = []
            try reader.readRows(of: sheet) { row in
                rows.append(row)
                return true
            }
            result[sheet.name] = rows
        }
        return result
    }
}
