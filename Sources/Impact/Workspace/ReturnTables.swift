import Foundation
import TableSchema

/// A return table a programme declares in `impact.yaml`, beside the built-in ones (support, outcomes, ripple,
/// narrative):
///
/// ```yaml
/// tables:
///   - name: referrals
///     schema: Schemas/referrals.schema.json
///     title: Referrals received
///     required: false
///     figures:
///       - {name: Referrals, measure: count}
///       - {name: People referred, measure: distinct, field: person_ref}
///       - {name: Accepted, measure: count, where: {status: accepted}}
/// ```
///
/// A declared table works everywhere a built-in one does: recognised by its header, checked in CSV files,
/// forms (a list under its name), workbooks (a sheet named after it) and the portal; kept in the history; a
/// sheet of the Excel template; and in the outputs a section of the report and a sheet of the programme's
/// workbook with its rows and figures per partner.
struct ReturnTable: Sendable, Hashable {
    /// The table's name, as its schema names it (a form's list and a workbook's sheet are called this).
    var name: String
    /// The heading of its section in reports.
    var title: String
    /// Whether every return must hold it.
    var required: Bool
    /// The figures the outputs show per partner.
    var figures: [TableFigure]
    /// True for support, outcomes and ripple, whose figures are the programme's own (docs/metrics.md).
    var isBuiltIn: Bool
    /// Which figures funders see and the kinds of row they count, worked out from the schema when the
    /// workspace loads; nil before (then funders see the rows only).
    var funderFigures: FunderFigures?

    /// Creates a declaration.
    init(name: String, title: String, required: Bool = false, figures: [TableFigure] = [], isBuiltIn: Bool = false) {
        self.name = name
        self.title = title
        self.required = required
        self.figures = figures
        self.isBuiltIn = isBuiltIn
    }

    /// The tables every programme has: support, outcomes, ripple-effect notes, the partner's narrative (one row
    /// of highlights, challenges and what would help; a form may give it as envelope fields instead) and
    /// stories (case studies, each with its consent), and the discretionary fund's awards, one by one. Stories and
    /// awards are kept in the history as a declared table's rows are (`table_row`).
    static let builtIn: [ReturnTable] = [
        ReturnTable(name: "support", title: "Support", required: true, isBuiltIn: true),
        ReturnTable(name: "outcomes", title: "Outcomes", required: true, isBuiltIn: true),
        ReturnTable(name: "ripple", title: "Ripple effects", isBuiltIn: true),
        ReturnTable(name: "narrative", title: "Narrative", isBuiltIn: true),
        ReturnTable(name: "stories", title: "Stories", isBuiltIn: true),
        ReturnTable(name: "awards", title: "Discretionary fund awards", isBuiltIn: true),
    ]

    /// The fields every return table's schema must have, so that a row says whose return and which quarter
    /// it belongs to.
    static let envelopeFields = ["partner_id", "quarter"]
}

/// A figure a declared table shows per partner and for the programme.
struct TableFigure: Sendable, Hashable {
    /// How the rows are summed up.
    enum Measure: String, Sendable, Hashable, CaseIterable {
        /// The number of rows (that meet `where`).
        case count
        /// The total of a numeric field.
        case sum
        /// The number of different values of a field (for example people, by `person_ref`).
        case distinct
    }

    /// The figure's label.
    var name: String
    /// How it is computed.
    var measure: Measure
    /// The field summed or counted (required for `sum` and `distinct`).
    var field: String?
    /// Only rows whose fields have one of these values count.
    var filter: [String: [String]]

    /// Creates a figure.
    init(name: String, measure: Measure, field: String? = nil, filter: [String: [String]] = [:]) {
        self.name = name
        self.measure = measure
        self.field = field
        self.filter = filter
    }

    /// True when the figure counts people or rows about people, so that a small value in a funder's
    /// workbook would be disclosive.
    var countsPeople: Bool { measure != .sum }
}
