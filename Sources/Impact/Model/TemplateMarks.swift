/// The marks `impact template` leaves in a workbook so that a filled-in template reads back cleanly.
enum TemplateMarks {
    /// A workbook-wide defined name present in every template.
    static let definedName = "ImpactTemplate"
    /// The columns a template may pre-fill in every row: a row with nothing else is an unused row, not data.
    static let prefilledFields: Set<String> = ["partner_id", "quarter"]
}
