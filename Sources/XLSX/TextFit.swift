// MARK: - How much room text needs

/// The sizing rule for wrapped text: how many lines a text takes in a column, how tall its row must be,
/// and how wide a column must be for its values. libxlsxwriter does not autofit, and neither Excel nor
/// LibreOffice grows a row when it opens a file, so every row holding wrapped text is set from this rule.
///
/// Widths are in Excel's unit, the width of the default font's digit "0" (Calibri or Aptos 11 pt). A text's
/// display width adds up its characters' widths in that unit, by class and rounded up from Calibri's own
/// (``characterWidth(_:)``): digits and most lower-case letters 1, narrow ones such as `i`, `l`, `.` and the
/// space ½, `f`, `r`, `t` and brackets 0.7, capitals 1.3, `m`, `w` and `%` 1.6, `M`, `W` and `@` 1.8, East
/// Asian wide characters 2; bold text 5% more. Text wraps at spaces, greedily, as Excel and LibreOffice wrap
/// it; a word wider than the line breaks across lines. So a paragraph never takes fewer lines than
/// `ceil(display width / usable width)`.
public enum TextFit {
    /// The font size every other size is measured against (Calibri or Aptos 11 pt).
    public static let defaultFontSize = 11.0
    /// The height of one line of the default font, and of a row Excel has not been told about, in points.
    public static let lineHeight = 15.0
    /// The default row height, in points.
    public static let defaultRowHeight = lineHeight
    /// The default column width, in characters (Excel's 8.43).
    public static let defaultColumnWidth = 8.43
    /// Characters of a column's width lost to the cell's margins (and kept spare).
    public static let padding = 0.75

    /// The factor by which bold text is wider than regular text.
    public static let boldFactor = 1.05

    /// A text's width in digits of the default font (``characterWidth(_:)`` added up; 5% more when bold).
    public static func displayWidth<S: StringProtocol>(_ text: S, bold: Bool = false) -> Double {
        var width = 0.0
        for character in text { width += characterWidth(character) }
        return bold ? width * boldFactor : width
    }

    /// One character's width in digits of Calibri 11 pt, by class (each class's widest, rounded up).
    public static func characterWidth(_ character: Character) -> Double {
        guard let scalar = character.unicodeScalars.first else { return 1 }
        if isWide(scalar) { return 2 }
        switch scalar {
        case " ", "i", "l", "j", "I", "'", ".", ",", ":", ";", "|", "!", "\u{2019}", "\u{2018}": return 0.5
        case "f", "r", "t", "(", ")", "[", "]", "{", "}", "-", "/", "\\", "\"", "J", "\u{201C}", "\u{201D}": return 0.7
        case "M", "W", "@", "\u{2026}": return 1.8
        case "m", "w", "%", "&", "\u{2014}": return 1.6
        default:
            return character.isUppercase ? 1.3 : 1
        }
    }

    /// Whether a character takes two columns (CJK ideographs, kana, Hangul, full-width forms).
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The characters of the default font's size that fit on one line of a column `columnWidth` wide, for text
    /// of `fontSize` points: the width less the padding, scaled down for larger fonts; at least one.
    public static func usableWidth(columnWidth: Double, fontSize: Double = defaultFontSize) -> Double {
        let size = fontSize > 0 ? fontSize : defaultFontSize
        return max(1, (columnWidth - padding) * defaultFontSize / size)
    }

    /// How many lines `text` takes when wrapped in a column `columnWidth` characters wide: the sum over its
    /// paragraphs (split at line breaks) of the lines each wraps to; an empty paragraph is one line.
    public static func lines(
        _ text: String, columnWidth: Double, fontSize: Double = defaultFontSize, bold: Bool = false
    ) -> Int {
        let usable = usableWidth(columnWidth: columnWidth, fontSize: fontSize)
        var total = 0
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            total += paragraphLines(paragraph.hasSuffix("\r") ? paragraph.dropLast() : paragraph, usable: usable, bold: bold)
        }
        return max(1, total)
    }

    /// Lines of one paragraph, wrapped greedily at spaces.
    static func paragraphLines(_ paragraph: Substring, usable: Double, bold: Bool) -> Int {
        let space = characterWidth(" ") * (bold ? boldFactor : 1)
        var lines = 1
        var used = 0.0
        for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
            let width = displayWidth(word, bold: bold)
            let needed = used == 0 ? width : used + space + width
            if needed <= usable {
                used = needed
                continue
            }
            if used > 0 {
                lines += 1
                used = 0
            }
            // A word wider than a line runs on over as many lines as it needs.
            if width > usable {
                let whole = (width / usable).rounded(.up)
                lines += Int(whole) - 1
                used = width - (whole - 1) * usable
            } else {
                used = width
            }
        }
        return lines
    }

    /// The height in points of a row showing `text` wrapped in a column `columnWidth` characters wide (for a
    /// merged cell, the merged columns' widths added): lines × 15 points for 11 pt text, in proportion for
    /// other sizes (bold takes the same), rounded up to a quarter point, and never below the default row height.
    public static func rowHeight(
        _ text: String, columnWidth: Double, fontSize: Double = defaultFontSize, bold: Bool = false
    ) -> Double {
        let size = fontSize > 0 ? fontSize : defaultFontSize
        let count = lines(text, columnWidth: columnWidth, fontSize: size, bold: bold)
        let height = Double(count) * lineHeight * size / defaultFontSize
        return max(defaultRowHeight, (height * 4).rounded(.up) / 4)
    }

    /// A column width for values and a bold header: the widest value plus the padding, at least the
    /// header's longest word and a third of the header (headers wrap, on about three lines at most) and
    /// `minimum`, and at most `maximum` (wider values wrap or are cut), rounded up to a quarter of a character.
    public static func columnWidth(
        values: [String], header: String = "", minimum: Double = 6, maximum: Double = 60
    ) -> Double {
        let widest = values.map { displayWidth($0) }.max() ?? 0
        let headerWord =
            header.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { displayWidth($0, bold: true) }.max() ?? 0
        let headerThird = displayWidth(header, bold: true) / 3
        let width = ((max(widest, headerWord, headerThird) + padding + 0.5) * 4).rounded(.up) / 4
        return min(max(width, minimum), max(minimum, maximum))
    }
}
