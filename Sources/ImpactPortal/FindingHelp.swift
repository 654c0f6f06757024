import TableSchema

/// Plain words for each kind of finding: what it means and how to fix it, for people who have never
/// heard of a schema.
public enum FindingHelp {
    /// A short title for a kind of problem.
    public static func title(_ code: FindingCode) -> String {
        switch code {
        case .typeError: "A value is not the kind the column needs"
        case .constraintError: "A value is outside what the column allows"
        case .missingCell: "A row is missing cells"
        case .extraCell: "A row has more cells than the header"
        case .blankRow: "A row is empty"
        case .blankLabel: "A column has no name"
        case .duplicateLabel: "Two columns have the same name"
        case .missingLabel: "A column is missing"
        case .extraLabel: "A column is not part of the return"
        case .primaryKey: "The same row is there twice"
        case .uniqueError: "A value that must be unique appears twice"
        case .foreignKey: "A value does not match the alliance's lists"
        case .encodingError: "Some characters could not be read"
        case .sourceError: "The file could not be read as a return"
        case .ruleViolation: "Two values in a row do not agree"
        case .formError: "The form is missing something or has something extra"
        case .personalData: "Something that looks like personal data"
        }
    }

    /// How to fix it, in a sentence or two.
    public static func howToFix(_ code: FindingCode) -> String {
        switch code {
        case .typeError:
            "Retype the value in the form the column's description shows (dates like 2026-04-01, whole numbers without words or units)."
        case .constraintError:
            "Choose one of the allowed values, or correct the number or date so it is within the limits in the field guide."
        case .missingCell: "Fill in the empty cells at the end of the row, or check that no value has a stray comma in it."
        case .extraCell: "Remove the extra cells, or put quotes round a value that contains a comma."
        case .blankRow: "Delete the empty row."
        case .blankLabel: "Give the column the name from the template, or delete it if it is empty."
        case .duplicateLabel: "Keep one column of each name; delete or rename the other."
        case .missingLabel: "Add the column with the name from the template, even if its cells are empty."
        case .extraLabel: "Delete the column, or rename it to the template's name if it is one of ours."
        case .primaryKey: "Send each person once per table: delete the repeated row or correct its reference."
        case .uniqueError: "Correct one of the repeated values so each is different."
        case .foreignKey:
            "Use the codes the alliance gave you (your partner ID, the outcome goal codes), and references that appear in your support table."
        case .encodingError: "Save the file as \"CSV UTF-8\" and retype the characters shown as \u{FFFD}."
        case .sourceError: "Start from the blank template, or save the spreadsheet as CSV (comma separated) and check again."
        case .ruleViolation: "Check both values named in the message; one of them is wrong."
        case .formError: "Compare the form with the field guide: add what is missing and remove what is not part of it."
        case .personalData:
            "Remove names, dates of birth, emails, phone numbers and postcodes; use only your pseudonymous references."
        }
    }
}
