// MARK: - CellReference

/// One cell, by zero-based row and column, as libxlsxwriter counts them.
///
/// `CellReference(row: 0, column: 0)` is A1 and `CellReference(row: 13, column: 9)` is J14.
/// The value itself may lie outside Excel's grid (so that error messages can name such a cell);
/// ``isInExcelGrid`` says whether it is inside.
public struct CellReference: Hashable, Sendable, CustomStringConvertible {
    /// Rows in an Excel worksheet (the last row is index 1,048,575).
    public static let maxRows = 1_048_576
    /// Columns in an Excel worksheet (the last column, XFD, is index 16,383).
    public static let maxColumns = 16_384

    /// The zero-based row.
    public var row: Int
    /// The zero-based column.
    public var column: Int

    /// Creates a reference from zero-based row and column.
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses A1 notation ("J14", "$J$14", "xfd1048576"); nil when the text is not a cell reference
    /// inside Excel's grid.
    public init?(a1: String) {
        var letters = ""
        var digits = ""
        for ch in a1 where ch != "$" {
            if ch.isASCII, ch.isLetter, digits.isEmpty {
                letters.append(ch)
            } else if ch.isASCII, ch.isNumber {
                digits.append(ch)
            } else {
                return nil
            }
        }
        guard !letters.isEmpty, letters.count <= 3, !digits.isEmpty, digits.count <= 7,
            let rowNumber = Int(digits), rowNumber >= 1,
            let column = CellReference.columnIndex(letters)
        else { return nil }
        self.init(row: rowNumber - 1, column: column)
        guard isInExcelGrid else { return nil }
    }

    /// Whether the cell lies inside Excel's grid (A1:XFD1048576).
    public var isInExcelGrid: Bool {
        (0..<CellReference.maxRows).contains(row) && (0..<CellReference.maxColumns).contains(column)
    }

    /// The cell in A1 notation, such as "J14"; negative indices are shown as "?".
    public var a1: String {
        guard row >= 0, column >= 0 else { return "?" }
        return CellReference.columnLetters(column) + String(row + 1)
    }

    /// The cell in absolute A1 notation, such as "$J$14".
    public var absoluteA1: String {
        guard row >= 0, column >= 0 else { return "?" }
        return "$" + CellReference.columnLetters(column) + "$" + String(row + 1)
    }

    /// The A1 notation.
    public var description: String { a1 }

    /// The column letters for a zero-based column: 0 → "A", 25 → "Z", 26 → "AA", 16383 → "XFD".
    ///
    /// Negative columns give "?".
    public static func columnLetters(_ column: Int) -> String {
        guard column >= 0 else { return "?" }
        var n = column + 1
        var scalars: [Unicode.Scalar] = []
        while n > 0 {
            let remainder = (n - 1) % 26
            scalars.append(Unicode.Scalar(UInt8(65 + remainder)))
            n = (n - 1) / 26
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars.reversed())
        return text
    }

    /// The zero-based column for column letters ("A" → 0, "xfd" → 16383); nil for anything else.
    public static func columnIndex(_ letters: String) -> Int? {
        guard !letters.isEmpty, letters.count <= 7 else { return nil }
        var n = 0
        for scalar in letters.uppercased().unicodeScalars {
            guard scalar.value >= 65, scalar.value <= 90 else { return nil }
            n = n * 26 + Int(scalar.value - 64)
        }
        return n - 1
    }
}

// MARK: - CellRange

/// A rectangle of cells from ``first`` (top left) to ``last`` (bottom right), both inclusive.
public struct CellRange: Hashable, Sendable, CustomStringConvertible {
    /// The top-left cell.
    public var first: CellReference
    /// The bottom-right cell.
    public var last: CellReference

    /// Creates a range from its corner cells.
    public init(from first: CellReference, to last: CellReference) {
        self.first = first
        self.last = last
    }

    /// Creates a range from zero-based corner indices.
    public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
        self.init(
            from: CellReference(row: firstRow, column: firstColumn),
            to: CellReference(row: lastRow, column: lastColumn))
    }

    /// A range of one cell.
    public init(_ cell: CellReference) {
        self.init(from: cell, to: cell)
    }

    /// Parses "A1:C5" or "B2" (dollar signs allowed); nil otherwise.
    public init?(a1: String) {
        let parts = a1.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let cell = CellReference(a1: String(parts[0])) else { return nil }
            self.init(cell)
        case 2:
            guard let a = CellReference(a1: String(parts[0])), let b = CellReference(a1: String(parts[1])) else {
                return nil
            }
            self.init(from: a, to: b)
        default:
            return nil
        }
    }

    /// Number of rows covered.
    public var rowCount: Int { last.row - first.row + 1 }
    /// Number of columns covered.
    public var columnCount: Int { last.column - first.column + 1 }

    /// "A1:C5", or "A1" for a single cell.
    public var a1: String {
        first == last ? first.a1 : first.a1 + ":" + last.a1
    }

    /// "$A$1:$C$5", or "$A$1" for a single cell.
    public var absoluteA1: String {
        first == last ? first.absoluteA1 : first.absoluteA1 + ":" + last.absoluteA1
    }

    /// The A1 notation.
    public var description: String { a1 }

    /// Whether the two ranges share at least one cell.
    public func overlaps(_ other: CellRange) -> Bool {
        first.row <= other.last.row && other.first.row <= last.row
            && first.column <= other.last.column && other.first.column <= last.column
    }

    /// Whether the cell lies inside the range.
    public func contains(_ cell: CellReference) -> Bool {
        (first.row...last.row).contains(cell.row) && (first.column...last.column).contains(cell.column)
    }
}

// MARK: - SheetRange

/// A range on a named worksheet, for references that cross sheets: chart series, list validations,
/// defined names.
///
/// The sheet name is quoted the way Excel needs it, so `SheetRange(sheet: "Summary", …).formula`
/// is `=Summary!$A$2:$A$5` and a sheet called `Data quality` gives `='Data quality'!$A$2:$A$5`.
public struct SheetRange: Hashable, Sendable, CustomStringConvertible {
    /// The worksheet's name, unquoted.
    public var sheet: String
    /// The cells on that sheet.
    public var range: CellRange

    /// Creates a reference to a range on a sheet.
    public init(sheet: String, range: CellRange) {
        self.sheet = sheet
        self.range = range
    }

    /// Creates a reference from zero-based corner indices.
    public init(sheet: String, firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
        self.init(
            sheet: sheet,
            range: CellRange(
                firstRow: firstRow, firstColumn: firstColumn,
                lastRow: lastRow, lastColumn: lastColumn))
    }

    /// The reference without a leading "=", such as `'Data quality'!$A$2:$A$5`.
    public var reference: String {
        SheetRange.quotedSheetName(sheet) + "!" + range.absoluteA1
    }

    /// The reference as a formula, such as `=Summary!$A$2:$A$5`.
    public var formula: String { "=" + reference }

    /// The reference.
    public var description: String { reference }

    /// A sheet name as it must appear in a formula: bare when Excel allows it, otherwise in single
    /// quotes with inner quotes doubled (`Bob's` → `'Bob''s'`).
    ///
    /// Quoting is needed for anything but ASCII letters, digits, `_` and `.`, for names that start
    /// with a digit or `.`, and for names that read as a cell reference (`A1`, `XFD10`) or an R1C1
    /// reference (`R`, `C2`, `R1C1`).
    public static func quotedSheetName(_ name: String) -> String {
        needsQuoting(name) ? "'" + name.replacingOccurrences(of: "'", with: "''") + "'" : name
    }

    private static func needsQuoting(_ name: String) -> Bool {
        guard let firstScalar = name.unicodeScalars.first else { return true }
        let isPlain = name.unicodeScalars.allSatisfy { s in
            (s.value >= 65 && s.value <= 90) || (s.value >= 97 && s.value <= 122)
                || (s.value >= 48 && s.value <= 57) || s == "_" || s == "."
        }
        if !isPlain { return true }
        if (firstScalar.value >= 48 && firstScalar.value <= 57) || firstScalar == "." { return true }
        if readsAsCellReference(name) { return true }
        let upper = name.uppercased()
        return upper == "TRUE" || upper == "FALSE"
    }

    /// Whether a bare name would read as an A1 or R1C1 cell reference.
    static func readsAsCellReference(_ name: String) -> Bool {
        looksLikeA1(name) || looksLikeR1C1(name)
    }

    private static func looksLikeA1(_ name: String) -> Bool {
        let letters = name.prefix { $0.isLetter }
        let rest = name.dropFirst(letters.count)
        guard (1...3).contains(letters.count), !rest.isEmpty, rest.allSatisfy({ $0.isNumber }) else { return false }
        return true
    }

    private static func looksLikeR1C1(_ name: String) -> Bool {
        var rest = Substring(name.uppercased())
        func digits() { rest = rest.drop { $0.isNumber } }
        if rest.first == "R" {
            rest = rest.dropFirst(); digits()
            if rest.first == "C" { rest = rest.dropFirst(); digits() }
            return rest.isEmpty
        }
        if rest.first == "C" {
            rest = rest.dropFirst(); digits()
            return rest.isEmpty
        }
        return false
    }
}
