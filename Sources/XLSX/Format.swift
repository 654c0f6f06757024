import CXlsxWriter

// MARK: - Color

/// An RGB colour, such as `Color(rgb: 0x1F4E79)` or `Color(hex: "#1F4E79")`.
public struct Color: Hashable, Sendable, CustomStringConvertible {
    /// The colour as 0xRRGGBB.
    public let rgb: UInt32

    /// Creates a colour from 0xRRGGBB; higher bits are dropped.
    public init(rgb: UInt32) {
        self.rgb = rgb & 0xFF_FFFF
    }

    /// Parses "#RRGGBB" or "RRGGBB"; nil for anything else.
    public init?(hex: String) {
        let digits = hex.hasPrefix("#") ? hex.dropFirst() : Substring(hex)
        guard digits.count == 6, let value = UInt32(digits, radix: 16) else { return nil }
        self.init(rgb: value)
    }

    /// Black.
    public static let black = Color(rgb: 0x000000)
    /// White.
    public static let white = Color(rgb: 0xFFFFFF)
    /// Excel's standard red.
    public static let red = Color(rgb: 0xFF0000)
    /// Excel's standard green.
    public static let green = Color(rgb: 0x008000)
    /// Excel's standard blue.
    public static let blue = Color(rgb: 0x0000FF)
    /// Excel's standard yellow.
    public static let yellow = Color(rgb: 0xFFFF00)
    /// Mid grey.
    public static let gray = Color(rgb: 0x808080)

    /// "#RRGGBB".
    public var description: String {
        let hex = String(rgb, radix: 16, uppercase: true)
        return "#" + String(repeating: "0", count: 6 - hex.count) + hex
    }

    /// The value libxlsxwriter expects: it reads 0x000000 as "no colour", so black is `LXW_COLOR_BLACK`.
    var lxw: lxw_color_t {
        rgb == 0 ? lxw_color_t(LXW_COLOR_BLACK.rawValue) : lxw_color_t(rgb)
    }
}

// MARK: - FormatSpec

/// Everything a cell format can say, as plain Swift values; ``Workbook/addFormat(_:)`` turns it into a ``Format``.
///
/// Equal specs give the same ``Format`` (the workbook keeps one libxlsxwriter format per spec).
public struct FormatSpec: Hashable, Sendable {
    /// Horizontal alignment in the cell.
    public enum HorizontalAlignment: Hashable, Sendable {
        /// Left-aligned.
        case left
        /// Centred.
        case center
        /// Right-aligned.
        case right
        /// Justified.
        case justify
        /// Centred across the selection of adjacent blank cells.
        case centerAcross
    }

    /// Vertical alignment in the cell.
    public enum VerticalAlignment: Hashable, Sendable {
        /// At the top.
        case top
        /// In the middle.
        case center
        /// At the bottom (Excel's default).
        case bottom
    }

    /// A border line style.
    public enum BorderStyle: Hashable, Sendable {
        /// A thin line.
        case thin
        /// A medium line.
        case medium
        /// A thick line.
        case thick
        /// A dashed line.
        case dashed
        /// A dotted line.
        case dotted
        /// A double line.
        case double
        /// A hairline.
        case hair

        var lxw: UInt8 {
            switch self {
            case .thin: return UInt8(LXW_BORDER_THIN.rawValue)
            case .medium: return UInt8(LXW_BORDER_MEDIUM.rawValue)
            case .thick: return UInt8(LXW_BORDER_THICK.rawValue)
            case .dashed: return UInt8(LXW_BORDER_DASHED.rawValue)
            case .dotted: return UInt8(LXW_BORDER_DOTTED.rawValue)
            case .double: return UInt8(LXW_BORDER_DOUBLE.rawValue)
            case .hair: return UInt8(LXW_BORDER_HAIR.rawValue)
            }
        }
    }

    /// Which sides of the cell get the border.
    public struct BorderSides: OptionSet, Hashable, Sendable {
        /// The raw bits.
        public let rawValue: UInt8
        /// Creates sides from raw bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The top edge.
        public static let top = BorderSides(rawValue: 1)
        /// The bottom edge.
        public static let bottom = BorderSides(rawValue: 2)
        /// The left edge.
        public static let left = BorderSides(rawValue: 4)
        /// The right edge.
        public static let right = BorderSides(rawValue: 8)
        /// All four edges.
        public static let all: BorderSides = [.top, .bottom, .left, .right]
    }

    /// Bold text.
    public var bold = false
    /// Italic text.
    public var italic = false
    /// Single underline.
    public var underline = false
    /// Font name; nil keeps the workbook default (Calibri). At most 31 characters.
    public var fontName: String?
    /// Font size in points (1…409); nil keeps 11.
    public var fontSize: Double?
    /// Font colour; nil keeps automatic.
    public var fontColor: Color?
    /// Solid background fill; nil for none.
    public var fillColor: Color?
    /// An Excel number format such as `£#,##0.00`, `0.0%`, `dd mmm yyyy` or `@`; nil for General.
    public var numberFormat: String?
    /// Horizontal alignment; nil for Excel's default (by value type).
    public var horizontalAlignment: HorizontalAlignment?
    /// Vertical alignment; nil for bottom.
    public var verticalAlignment: VerticalAlignment?
    /// Wrap long text onto several lines.
    public var wrapText = false
    /// Indent level (0…15), in steps of about one character.
    public var indent = 0
    /// Border line style; nil for none.
    public var border: BorderStyle?
    /// The sides the border is drawn on.
    public var borderSides: BorderSides = .all
    /// Border colour; nil for automatic.
    public var borderColor: Color?
    /// Whether the cell is locked when the sheet is protected (Excel's default is locked).
    public var locked = true
    /// Whether a formula in the cell is hidden when the sheet is protected.
    public var hidden = false

    /// Creates a spec; every property defaults to Excel's default cell format.
    public init(
        bold: Bool = false, italic: Bool = false, underline: Bool = false,
        fontName: String? = nil, fontSize: Double? = nil, fontColor: Color? = nil,
        fillColor: Color? = nil, numberFormat: String? = nil,
        horizontalAlignment: HorizontalAlignment? = nil, verticalAlignment: VerticalAlignment? = nil,
        wrapText: Bool = false, indent: Int = 0,
        border: BorderStyle? = nil, borderSides: BorderSides = .all, borderColor: Color? = nil,
        locked: Bool = true, hidden: Bool = false
    ) {
        self.bold = bold
        self.italic = italic
        self.underline = underline
        self.fontName = fontName
        self.fontSize = fontSize
        self.fontColor = fontColor
        self.fillColor = fillColor
        self.numberFormat = numberFormat
        self.horizontalAlignment = horizontalAlignment
        self.verticalAlignment = verticalAlignment
        self.wrapText = wrapText
        self.indent = indent
        self.border = border
        self.borderSides = borderSides
        self.borderColor = borderColor
        self.locked = locked
        self.hidden = hidden
    }

    // MARK: - Validation and application

    /// Throws when a value is outside what Excel or libxlsxwriter accepts.
    func validate() throws {
        if let fontSize, !(fontSize.isFinite && fontSize >= 1 && fontSize <= 409) {
            throw XLSXError.invalidArgument(
                context: "format font size", value: "\(fontSize)",
                reason: "is outside Excel's range of 1 to 409 points")
        }
        if let fontName {
            if fontName.isEmpty || fontName.count > 31 || fontName.contains("\0") {
                throw XLSXError.invalidArgument(
                    context: "format font name", value: fontName,
                    reason: "must be 1 to 31 characters without NUL")
            }
        }
        if let numberFormat {
            // libxlsxwriter copies number formats into a 128-byte field and silently cuts longer ones.
            if numberFormat.isEmpty || numberFormat.utf8.count > 127 || numberFormat.contains("\0") {
                throw XLSXError.invalidArgument(
                    context: "format number format", value: numberFormat,
                    reason: "must be 1 to 127 bytes of UTF-8 without NUL")
            }
        }
        if !(0...15).contains(indent) {
            throw XLSXError.invalidArgument(context: "format indent", value: "\(indent)", reason: "is outside 0 to 15")
        }
    }

    /// Sets every property on a fresh libxlsxwriter format.
    func apply(to format: UnsafeMutablePointer<lxw_format>) {
        if bold { format_set_bold(format) }
        if italic { format_set_italic(format) }
        if underline { format_set_underline(format, UInt8(LXW_UNDERLINE_SINGLE.rawValue)) }
        if let fontName { format_set_font_name(format, fontName) }
        if let fontSize { format_set_font_size(format, fontSize) }
        if let fontColor { format_set_font_color(format, fontColor.lxw) }
        if let fillColor {
            format_set_pattern(format, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(format, fillColor.lxw)
        }
        if let numberFormat { format_set_num_format(format, numberFormat) }
        if let horizontalAlignment {
            let value: lxw_format_alignments
            switch horizontalAlignment {
            case .left: value = LXW_ALIGN_LEFT
            case .center: value = LXW_ALIGN_CENTER
            case .right: value = LXW_ALIGN_RIGHT
            case .justify: value = LXW_ALIGN_JUSTIFY
            case .centerAcross: value = LXW_ALIGN_CENTER_ACROSS
            }
            format_set_align(format, UInt8(value.rawValue))
        }
        if let verticalAlignment {
            let value: lxw_format_alignments
            switch verticalAlignment {
            case .top: value = LXW_ALIGN_VERTICAL_TOP
            case .center: value = LXW_ALIGN_VERTICAL_CENTER
            case .bottom: value = LXW_ALIGN_VERTICAL_BOTTOM
            }
            format_set_align(format, UInt8(value.rawValue))
        }
        if wrapText { format_set_text_wrap(format) }
        if indent > 0 { format_set_indent(format, UInt8(indent)) }
        if let border {
            if borderSides.contains(.top) { format_set_top(format, border.lxw) }
            if borderSides.contains(.bottom) { format_set_bottom(format, border.lxw) }
            if borderSides.contains(.left) { format_set_left(format, border.lxw) }
            if borderSides.contains(.right) { format_set_right(format, border.lxw) }
            if let borderColor {
                if borderSides.contains(.top) { format_set_top_color(format, borderColor.lxw) }
                if borderSides.contains(.bottom) { format_set_bottom_color(format, borderColor.lxw) }
                if borderSides.contains(.left) { format_set_left_color(format, borderColor.lxw) }
                if borderSides.contains(.right) { format_set_right_color(format, borderColor.lxw) }
            }
        }
        if !locked { format_set_unlocked(format) }
        if hidden { format_set_hidden(format) }
    }
}

// MARK: - Format

/// A cell format registered with one workbook; get one from ``Workbook/addFormat(_:)``.
///
/// A format can only be used with worksheets of the workbook that made it; using it elsewhere
/// throws ``XLSXError/foreignObject(kind:context:)``.
public struct Format: Hashable {
    /// What the format says.
    public let spec: FormatSpec
    let core: WorkbookCore
    let pointer: UnsafeMutablePointer<lxw_format>

    init(spec: FormatSpec, core: WorkbookCore, pointer: UnsafeMutablePointer<lxw_format>) {
        self.spec = spec
        self.core = core
        self.pointer = pointer
    }

    /// Formats are equal when they are the same libxlsxwriter format of the same workbook.
    public static func == (a: Format, b: Format) -> Bool {
        a.core === b.core && a.pointer == b.pointer
    }

    /// Hashes the workbook and the format's identity.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(core))
        hasher.combine(pointer)
    }
}
