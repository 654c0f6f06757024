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

    /// The free-text fields of the tables and of a form's envelope.
    static let textFieldNames: Set<String> = ["note", "highlights", "challenges", "what_would_help"]

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
            guard values.withText(index, { contact.appear(in: String(decoding: $0, as: UTF8.self)) }) == true else { continue }
            findings.append(
                Finding(
                    .warning, .personalData, rowNumber: rowNumber, fieldName: name, fieldNumber: index + 1,
                    message: "Row \(rowNumber), column \(name): \(Self.contactAdvice)"))
        }
        return findings
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
    private let keepRows: Bool
    private let personalData: PersonalDataScan?

    init(schema: Schema, keepRows: Bool) {
        self.keepRows = keepRows
        personalData = PersonalDataScan(schema: schema)
    }

    /// Sets the validator's row callback, when there is anything to do for each row.
    func observe(_ validator: TableValidator) {
        guard keepRows || personalData != nil else { return }
        validator.onRow = { rowNumber, values, valid in  // no cycle: the observer does not hold the validator
            if let personalData = self.personalData {
                self.personalFindings += personalData.check(values, rowNumber: rowNumber)
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
        guard keepRows else { return }
        for var row in batch.kept {
            if invalidated.contains(row.rowNumber) { row.valid = false }
            kept.append(row)
        }
    }
}
