import CSV
import Foundation
import Impact
import TableSchema

// MARK: - Checking uploaded returns, in memory

/// A file a partner sent to be checked: its name and bytes, never written to disk.
public struct UploadedFile: Sendable, Equatable {
    /// The name the browser gave (only the last path component is kept).
    public var name: String
    /// The bytes.
    public var bytes: [UInt8]

    /// Creates an upload; any folders in `name` are dropped, so no request path reaches the file system.
    public init(name: String, bytes: [UInt8]) {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        self.name = last.isEmpty || last == "." || last == ".." ? "return.csv" : last
        self.bytes = bytes
    }
}

/// A small picture of the partner's own spreadsheet around one problem: column letters, row numbers,
/// the bad cell marked, and the cells around it for context.
public struct CellGrid: Sendable, Equatable {
    /// One row of the picture.
    public struct Row: Sendable, Equatable {
        /// The spreadsheet row number (the header is row 1).
        public var number: Int
        /// The cells shown, in the order of `CellGrid.columns`; nil where the row has no such cell.
        public var cells: [String?]
    }
    /// The 1-based column numbers shown.
    public var columns: [Int]
    /// The rows shown: the header, then the rows around the problem.
    public var rows: [Row]
    /// The row and column of the cell the problem is in (column nil when the whole row is at fault).
    public var markedRow: Int
    /// The marked column, when the problem is in one cell.
    public var markedColumn: Int?
    /// The workbook sheet the rows are on; nil for a CSV file.
    public var sheet: String? = nil

    /// The spreadsheet letters of a 1-based column number (1 → A, 27 → AA).
    public static func letters(_ column: Int) -> String {
        column > 0 ? Finding.columnLetters(column) : ""
    }
}

/// One problem to show: the finding and, for a CSV file or a workbook, its grid.
public struct ShownProblem: Sendable, Equatable {
    /// An anchor for links from the summary (`p3`).
    public var anchor: String
    /// The finding as the validator reported it.
    public var finding: Finding
    /// The picture of the rows around it, when the problem is in a row of a CSV file.
    public var grid: CellGrid?
}

/// The problems of one kind in one file.
public struct ProblemGroup: Sendable, Equatable {
    /// The finding code.
    public var code: FindingCode
    /// The worst of the group: error when any of it is an error.
    public var severity: Severity
    /// How many of this kind the file has.
    public var count: Int
    /// How many of them are errors (the rest are warnings).
    public var errors: Int
    /// How many of them are warnings.
    public var warnings: Int { count - errors }
    /// The ones shown (the first few).
    public var shown: [ShownProblem]
}

/// What checking one uploaded file found.
public struct CheckedFile: Sendable, Equatable {
    /// The file's name.
    public var name: String
    /// The table it was read as (`support`, `form`…), when recognised.
    public var table: String?
    /// Data rows read.
    public var rows: Int
    /// Errors, which stop a return being accepted.
    public var errors: Int
    /// Warnings, which do not.
    public var warnings: Int
    /// The problems, grouped by code: errors first.
    public var groups: [ProblemGroup]
    /// The partner IDs the file's rows (or form) name.
    public var partnerIDs: [String] = []
    /// The quarters the file's rows (or form) name.
    public var quarters: [String] = []
}

/// Checks uploaded returns exactly as `impact validate` does, in memory: nothing uploaded is kept.
public struct ReturnCheck: Sendable {
    /// The validation stage (schemas, reference tables, quarter).
    public let stage: ValidationStage
    /// The most problems of one kind shown with a grid; the rest are counted.
    public var shownPerGroup = 20

    /// Creates a check with a stage whose reference tables are already loaded.
    public init(stage: ValidationStage) {
        self.stage = stage
    }

    /// Checks a request's files, then the narrative typed into its boxes as one more file: for the partner given
    /// (the send form's token's), else the one the files name, and for the quarter the files name. Each file is
    /// checked once; the narrative file needs nothing of the others but their partner and quarter.
    public func check(_ request: CheckRequest, partnerID: String? = nil) -> (files: [UploadedFile], checked: [CheckedFile]) {
        let checked = check(request.files)
        func single(_ values: [String]) -> String? {
            let distinct = Set(values)
            return distinct.count == 1 ? distinct.first : nil
        }
        let partner = partnerID ?? single(checked.flatMap(\.partnerIDs)) ?? ""
        let quarter = single(checked.flatMap(\.quarters)) ?? ""
        guard let narrative = request.narrativeFile(partnerID: partner, quarter: quarter) else { return (request.files, checked) }
        let anchors = checked.reduce(0) { $0 + $1.groups.reduce(0) { $0 + $1.shown.count } }
        return (request.files + [narrative], checked + check([narrative], firstAnchor: anchors))
    }

    /// Checks files sent together (one partner's return); the problems shown are anchored `p<firstAnchor + 1>` on.
    public func check(_ files: [UploadedFile], firstAnchor: Int = 0) -> [CheckedFile] {
        let inputs = files.map { InputFile(name: $0.name, contents: $0.bytes) }
        let reports = stage.run(files: inputs)
        var anchor = firstAnchor
        return zip(zip(files, inputs), reports).map { pair, report in
            let (file, input) = pair
            let isCSV = input.format == .csv
            var byCode: [FindingCode: [Finding]] = [:]
            for finding in report.findings { byCode[finding.code, default: []].append(finding) }
            let codes = byCode.keys.sorted { a, b in
                let left = byCode[a]!.contains { $0.severity == .error }
                let right = byCode[b]!.contains { $0.severity == .error }
                return left != right ? left : a.rawValue < b.rawValue
            }
            // The rows around each problem shown: by sheet for a workbook ("" for a CSV file).
            var neededRows: [String: Set<Int>] = [:]
            for code in codes {
                for finding in byCode[code]!.prefix(shownPerGroup) {
                    if let row = finding.rowNumber { neededRows[finding.sheet ?? "", default: [1]].formUnion([row - 1, row, row + 1]) }
                }
            }
            var rows: [String: [Int: [String]]] = [:]
            if isCSV, let wanted = neededRows[""] {
                rows[""] = Self.rows(of: file.bytes, numbered: wanted)
            } else if input.format == .xlsx, !neededRows.isEmpty {
                rows = ValidationStage.workbookRows(file.bytes, wanted: neededRows)
            }
            let groups = codes.map { code -> ProblemGroup in
                let findings = byCode[code]!
                let shown = findings.prefix(shownPerGroup).map { finding -> ShownProblem in
                    anchor += 1
                    return ShownProblem(
                        anchor: "p\(anchor)", finding: finding,
                        grid: rows[finding.sheet ?? ""].flatMap { Self.grid(for: finding, rows: $0) })
                }
                let errors = findings.filter { $0.severity == .error }.count
                return ProblemGroup(
                    code: code, severity: errors > 0 ? .error : .warning, count: findings.count, errors: errors, shown: shown)
            }
            return CheckedFile(
                name: file.name, table: report.kind, rows: report.rows, errors: report.errorCount,
                warnings: report.findings.count - report.errorCount, groups: groups, partnerIDs: report.partnerIDs,
                quarters: report.quarters)
        }
    }

    /// The cells of some rows of a CSV file, by row number (the reader's own numbering).
    static func rows(of bytes: [UInt8], numbered wanted: Set<Int>) -> [Int: [String]] {
        var result: [Int: [String]] = [:]
        guard let reader = try? CSVReader(bytes: bytes) else { return result }
        let last = wanted.max() ?? 0
        struct Done: Error {}
        do {
            _ = try reader.read { record in
                if wanted.contains(record.rowNumber) { result[record.rowNumber] = record.strings }
                if record.rowNumber >= last { throw Done() }
            }
        } catch {}
        return result
    }

    /// The grid around a finding: the header, the row before, the row, the row after; the bad column and
    /// up to two columns either side.
    static func grid(for finding: Finding, rows: [Int: [String]]) -> CellGrid? {
        guard let row = finding.rowNumber, row >= 1 else { return nil }
        let width = max(rows.values.map(\.count).max() ?? 0, finding.fieldNumber ?? 0)
        guard width > 0 else { return nil }
        let centre = finding.fieldNumber ?? 1
        let first = max(1, min(centre - 2, width - 4))
        let columns = Array(first...min(width, first + 4))
        let numbers = [1] + [row - 1, row, row + 1].filter { $0 > 1 && rows[$0] != nil }
        let shownRows = numbers.map { number in
            CellGrid.Row(
                number: number,
                cells: columns.map { column in
                    guard let cells = rows[number], column - 1 < cells.count else { return nil }
                    return cells[column - 1]
                })
        }
        return CellGrid(columns: columns, rows: shownRows, markedRow: row, markedColumn: finding.fieldNumber, sheet: finding.sheet)
    }
}
