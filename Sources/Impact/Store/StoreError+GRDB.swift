import Foundation
import GRDB

extension StoreError {
    // MARK: - From GRDB

    /// Maps any error thrown while using the database at `path` to a store error.
    static func from(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if error is RowDecodingError {
            return .corrupt(path: path, detail: "a stored value cannot be read back: \(error)")
        }
        guard let error = error as? DatabaseError else {
            return .database(path: path, code: -1, message: String(describing: error))
        }
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB: return .notAnImpactDatabase(path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path)
        case .SQLITE_READONLY, .SQLITE_PERM: return .readOnly(path: path)
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_CORRUPT: return .corrupt(path: path, detail: message)
        case .SQLITE_CANTOPEN: return .cannotOpen(path: path, reason: message)
        default: return .database(path: path, code: error.resultCode.rawValue, message: message)
        }
    }
}
