import Foundation
import TableSchema

/// Warns, in the manner of 360Giving's data quality checks, when a value looks like personal data that a
/// return must never carry: a person reference that looks like a name or a date of birth, or a note or a
/// narrative holding an email address, a phone number or a postcode.
///
/// The findings never quote the value (it may be exactly what must not spread): they name the row and the
/// column, and say what to do.
struct PersonalDataScan {
    /// The person reference column, by field position.
    private let refField: Int?
    /// Free-text columns, by field position, with their names.
    private let textFields: [(index: Int, name: String)]
    private let contact = ContactDetails.standard

    /// The free-text fields of the tables (notes, narrative, stories) and of a form's envelope.
    static let textFieldNames: Set<String> = ["note", "highlights", "challenges", "what_would_help", "title", "text"]

    /// A scan for a table schema; `nil` when the table has nothing to look at.
    init?(schema: Schema) {
        refField = schema.fields.firstIndex { $0.name == "person_ref" }
        textFields = schema.fields.enumerated().filter { Self.textFieldNames.contains($0.element.name) }.map {
            ($0.offset, $0.element.name)
        }
        if refField == nil && textFields.isEmpty { return nil }
    }

    /// The warnings for one row's typed values.
    func check(_ values: TypedRow, rowNumber: Int) -> [Finding] {
        var findings: [Finding] = []
        if let refField, refField < values.count, let problem = values.withText(refField, Self.refProblem), let what = problem {
            findings.append(
                Finding(
                    .warning, .personalData, rowNumber: rowNumber, fieldName: "person_ref", fieldNumber: refField + 1,
                    message:
                        "Row \(rowNumber), column person_ref: the reference looks like \(what). Use the pseudonymous reference your service gives each person, never a name, initials or a date of birth."
                ))
        }
        for (index, name) in textFields where index < values.count {
            guard let found = values.withText(index, { Self.textProblem(String(decoding: $0, as: UTF8.self)) }), let problem = found
            else { continue }
            findings.append(
                Finding(
                    .warning, .personalData, rowNumber: rowNumber, fieldName: name, fieldNumber: index + 1,
                    message: "Row \(rowNumber), column \(name): \(Self.advice(problem))"))
        }
        return findings
    }

    /// What free text holds that must not be there.
    enum TextProblem: Sendable, Hashable {
        /// An email address, a phone number or a postcode.
        case contact
        /// A title such as Mrs before a capitalised word.
        case name
        /// A whole date (day, month and year), or the words "date of birth".
        case fullDate
        /// A house number, a street's name and a word such as Road.
        case streetAddress
    }

    /// The first thing in a text that looks like personal data, or nil. Contact details are looked for first
    /// (their advice is the one partners know); the rest by patterns that are cheap to run on every note.
    static func textProblem(_ text: String) -> TextProblem? {
        if ContactDetails.standard.appear(in: text) { return .contact }
        // Every pattern below needs a capital letter or a digit: most notes are rejected here at once.
        guard text.utf8.contains(where: { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) }) else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        for (problem, pattern) in patterns where pattern.firstMatch(in: text, range: range) != nil { return problem }
        return nil
    }

    private static let patterns: [(TextProblem, NSRegularExpression)] =
        ([

            (.name, #"\b(Mr|Mrs|Ms|Miss|Mx|Dr)\.? [A-Z][a-z]+"#),
            (.fullDate, #"\b[0-3]?[0-9][/.-][01]?[0-9][/.-](19|20)[0-9]{2}\b"#),
            (
                .fullDate,
                #"\b[0-3]?[0-9](st|nd|rd|th)? (of )?(January|February|March|April|May|June|July|August|September|October|November|December) (19|20)[0-9]{2}\b"#
            ),
            (.fullDate, #"(?i)\b(date of birth|d\.?o\.?b\.?:|born on)\b"#),
            (
                .streetAddress,
                #"\b[0-9]{1,4}[A-Za-z]? [A-Z][a-z]+( [A-Z][a-z]+)? (Street|Road|Avenue|Lane|Drive|Close|Crescent|Place|Terrace|Gardens|Grove|Square|Court|Way)\b"#
            ),
        ] as [(TextProblem, String)]).map { ($0.0, try! NSRegularExpression(pattern: $0.1)) }

    /// What to do about personal data in free text.
    static func advice(_ problem: TextProblem) -> String {
        switch problem {
        case .contact: return contactAdvice
        case .name: return advice("a person's name (a title such as Mrs before a name)")
        case .fullDate: return advice("a whole date or a date of birth")
        case .streetAddress: return advice("a street address")
        }
    }

    private static func advice(_ what: String) -> String {
        "the text holds something that looks like \(what). Take it out: a note, narrative or story must never identify a person, and a text with it is never published."
    }

    /// What to do about a contact detail in free text.
    static let contactAdvice =
        "the text holds something that looks like an email address, a phone number or a postcode. Take it out: a return must never carry a way to reach a person, and such a note is never quoted."

    /// Why a person reference looks like personal data, or nil. Pseudonymous references mix letters and digits
    /// or are random letters; one made of capitalised words ("Jane-Doe", "JaneDoe", "Smith") reads as a name,
    /// and one of digits in day-month-year order ("01-02-1990") as a date of birth.
    static func refProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var letters = 0
        var digits = 0
        for byte in bytes {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A: letters += 1
            case 0x30...0x39: digits += 1
            default: break
            }
        }
        if digits == 0 && letters >= 3 && bytes.split(separator: 0x2D).allSatisfy({ isCapitalisedWords($0) }) { return "a name" }
        guard letters == 0, digits >= 4 else { return nil }
        let groups = bytes.split(separator: 0x2D).map { Int(String(decoding: $0, as: UTF8.self)) }
        if groups.count == 3, let a = groups[0], let b = groups[1], let c = groups[2] {
            let dayMonthYear = (1...31).contains(a) && (1...12).contains(b) && (1900...2099).contains(c)
            let yearMonthDay = (1900...2099).contains(a) && (1...12).contains(b) && (1...31).contains(c)
            if dayMonthYear || yearMonthDay { return "a date of birth" }
        }
        return nil
    }

    /// "Jane", "JaneDoe", "McLean": a capital, then lower case, perhaps again.
    private static func isCapitalisedWords(_ part: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let first = part.first, (0x41...0x5A).contains(first), part.count >= 2 else { return false }
        var previousUpper = true
        var lowerCount = 0
        for byte in part.dropFirst() {
            if (0x61...0x7A).contains(byte) {
                lowerCount += 1
                previousUpper = false
            } else if (0x41...0x5A).contains(byte) {
                if previousUpper { return false }  // two capitals in a row: an acronym or random letters
                previousUpper = true
            } else {
                return false
            }
        }
        return lowerCount >= 1 && !previousUpper
    }
}

/// What a validation keeps of each row as the validator passes it on: the typed rows, when asked to keep
/// them, and the personal-data warnings. CSV files and forms share it.
final class RowObserver {
    private(set) var kept: [ReturnRow] = []
    private(set) var personalFindings: [Finding] = []
    /// What the fund checks need of the awards and support tables' rows (``FundChecks``).
    private(set) var fund = FundLedger()
    private let keepRows: Bool
    private let personalData: PersonalDataScan?
    /// Where the awards or support table's fields are, for the fund checks; nil for other tables.
    private let fundColumns: FundLedger.Columns?

    init(schema: Schema, keepRows: Bool, gathersFund: Bool = true) {
        self.keepRows = keepRows
        personalData = PersonalDataScan(schema: schema)
        fundColumns =
            schema.isReference || !gathersFund ? nil : FundLedger.Columns(table: schema.name, fields: schema.fields.map(\.name))
    }

    /// Sets the validator's row callback, when there is anything to do for each row.
    func observe(_ validator: TableValidator) {
        guard keepRows || personalData != nil || fundColumns != nil else { return }
        validator.onRow = { rowNumber, values, valid in  // no cycle: the observer does not hold the validator
            if let personalData = self.personalData {
                self.personalFindings += personalData.check(values, rowNumber: rowNumber)
            }
            if let columns = self.fundColumns {
                self.fund.note(columns, rowNumber: rowNumber, values: values, valid: valid)
            }
            if self.keepRows {
                self.kept.append(ReturnRow(rowNumber: rowNumber, values: values.ownedValues, valid: valid))
            }
        }
    }

    /// Takes in what another observer saw of the next batch of the same file; `invalidated` are its rows
    /// that turned out to have an error only when the batches were merged (a key used in an earlier batch).
    func absorb(_ batch: RowObserver, invalidated: Set<Int>) {
        personalFindings += batch.personalFindings
        // A row found invalid only when the batches merged leaves the fund's entries as they are: its error rejects
        // the return, and the fund checks only add to its findings.
        fund.merge(batch.fund)
        guard keepRows else { return }
        for var row in batch.kept {
            if invalidated.contains(row.rowNumber) { row.valid = false }
            kept.append(row)
        }
    }
}
