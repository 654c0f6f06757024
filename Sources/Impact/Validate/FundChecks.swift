import Dates
import TableSchema

// MARK: - The discretionary fund, award by award: checks across rows and tables

/// What the fund checks need of a return's rows, gathered as the rows are validated (whether or not the rows
/// are kept): each award, and each person's `discretionary_spend` where the support table gives one.
struct FundLedger: Sendable, Hashable {
    /// An award of the `awards` table.
    struct Award: Sendable, Hashable {
        /// The file it is in, among the files checked together (set when the files' ledgers are merged).
        var file = 0
        var rowNumber: Int
        var partnerID: String
        var quarter: String
        var personRef: String
        var awardID: String
        /// Days since 1970-01-01.
        var date: Int32
        /// In hundredths of the currency unit.
        var minorUnits: Int
        var decidedBy: String
    }

    /// A person's spend in the support table: numbers only (a support table may have a million rows), the person
    /// as the hash of their partner, quarter and reference (``FundLedger/personKey(_:)``).
    struct Spend: Sendable, Hashable {
        /// The file it is in, among the files checked together (set when the files' ledgers are merged).
        var file = 0
        var rowNumber: Int
        /// The column of `discretionary_spend`.
        var fieldNumber: Int
        var person: UInt64
        /// In hundredths of the currency unit.
        var minorUnits: Int
    }

    /// A person's key: FNV-1a over their partner ID, quarter and reference, each followed by 0x1F.
    static func personKey(_ texts: [UnsafeBufferPointer<UInt8>]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for text in texts {
            for byte in text {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            hash ^= 0x1F
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// The key of an award's person.
    static func personKey(partnerID: String, quarter: String, personRef: String) -> UInt64 {
        var partner = partnerID
        var quarter = quarter
        var person = personRef
        return partner.withUTF8 { a in quarter.withUTF8 { b in person.withUTF8 { c in personKey([a, b, c]) } } }
    }

    /// The awards, in row order (valid rows only).
    var awards: [Award] = []
    /// The support table's spends, in row order (valid rows that give one).
    var spends: [Spend] = []
    /// Adds another ledger's entries, of the same file.
    mutating func merge(_ other: FundLedger) {
        awards += other.awards
        spends += other.spends
    }

    /// Adds the entries of file number `file`.
    mutating func merge(_ other: FundLedger, file: Int) {
        awards += other.awards.map { award in
            var award = award
            award.file = file
            return award
        }
        spends += other.spends.map { spend in
            var spend = spend
            spend.file = file
            return spend
        }
    }

    /// Where a table's fields are, worked out once per file: the awards table's, or the support table's (whose
    /// rows matter only when they give a spend); nil for any other table.
    struct Columns {
        var isAwards: Bool
        var partner: Int
        var quarter: Int
        var person: Int
        /// `discretionary_spend` (support) or `amount` (awards).
        var amount: Int
        var awardID = 0
        var date = 0
        var decidedBy: Int?

        init?(table: String, fields: [String]) {
            func index(_ name: String) -> Int? { fields.firstIndex(of: name) }
            guard let partner = index("partner_id"), let quarter = index("quarter"), let person = index("person_ref") else {
                return nil
            }
            self.partner = partner
            self.quarter = quarter
            self.person = person
            switch table {
            case "awards":
                guard let amount = index("amount"), let awardID = index("award_id"), let date = index("date") else { return nil }
                isAwards = true
                self.amount = amount
                self.awardID = awardID
                self.date = date
                decidedBy = index("decided_by")
            case "support":
                guard let amount = index("discretionary_spend") else { return nil }
                isAwards = false
                self.amount = amount
            default:
                return nil
            }
        }
    }

    /// Reads what the checks need from a valid typed row of the awards or support table.
    mutating func note(_ columns: Columns, rowNumber: Int, values: TypedRow, valid: Bool) {
        // Most support rows give no spend: that is looked at first.
        guard valid, let number = values[columns.amount].numeric else { return }
        let amount = Int((number * 100).rounded(.toNearestOrAwayFromZero))
        if columns.isAwards {
            guard let partner = values[columns.partner].text, let quarter = values[columns.quarter].text,
                let person = values[columns.person].text, let award = values[columns.awardID].text,
                case .date(let day) = values[columns.date]
            else { return }
            awards.append(
                Award(
                    rowNumber: rowNumber, partnerID: partner, quarter: quarter, personRef: person, awardID: award, date: day,
                    minorUnits: amount, decidedBy: columns.decidedBy.flatMap { values[$0].text } ?? ""))
        } else {
            let key = values.withText(columns.partner) { partner in
                values.withText(columns.quarter) { quarter in
                    values.withText(columns.person) { person in Self.personKey([partner, quarter, person]) }
                }
            }
            guard let key = key ?? nil, let person = key else { return }
            spends.append(Spend(rowNumber: rowNumber, fieldNumber: columns.amount + 1, person: person, minorUnits: amount))
        }
    }
}

/// The checks of the fund that no single row can make: a coordinator's awards to one person on one day that add
/// up past the limit (one need split to stay under it), and the awards and the support table's spends disagreeing.
/// When a partner sends awards, each award is checked against the limit on its own row, so the support table's
/// check of the quarter's sum (`spend-above-limit-needs-panel`) gives way: two £600 awards on different days
/// need no panel.
struct FundChecks {
    /// The coordinator's limit, in hundredths.
    var limit: Int
    /// The programme's currency, for messages.
    var currency: String
    /// The partners each file names, by its number in the ledger.
    var filePartners: [Int: Set<String>] = [:]

    /// A finding about a row of one table, before it is placed on its file.
    struct RowFinding {
        /// The file it is in, as the ledger numbers them.
        var file: Int
        var table: String
        var finding: Finding
    }

    /// The support table's rule that the awards table replaces.
    static let replacedRule = "spend-above-limit-needs-panel"

    func money(_ minorUnits: Int) -> String { Finding.moneyText(Double(minorUnits) / 100, currency: currency) }

    /// The findings across the ledger's rows; `partnersSendingAwards` are the partners whose files hold an awards
    /// table.
    func findings(_ ledger: FundLedger, partnersSendingAwards: Set<String>) -> [RowFinding] {
        var result: [RowFinding] = []
        // One need split into several awards on one day.
        var sameDay: [String: [FundLedger.Award]] = [:]
        var order: [String] = []
        for award in ledger.awards where award.decidedBy == "coordinator" {
            let key = "\(award.partnerID)\u{1F}\(award.quarter)\u{1F}\(award.personRef)\u{1F}\(award.date)"
            if sameDay[key] == nil { order.append(key) }
            sameDay[key, default: []].append(award)
        }
        for key in order {
            guard let awards = sameDay[key], awards.count > 1 else { continue }
            let total = awards.reduce(0) { $0 + $1.minorUnits }
            guard total > limit, let first = awards.first else { continue }
            let names = Self.list(awards.map(\.awardID))
            result.append(
                RowFinding(
                    file: first.file, table: "awards",
                    finding: Finding(
                        .warning, .ruleViolation, rowNumber: first.rowNumber, fieldName: "amount",
                        message:
                            "Row \(first.rowNumber): awards \(names) to person_ref \(first.personRef) on \(CivilDate(daysSinceEpoch: Int(first.date)).iso) add up to \(money(total)), above the coordinator's limit of \(money(limit)). If they meet one need, the panel should decide them as one award; if they meet different needs, say so to the impact lead.",
                        rule: "awards-split-same-day")))
        }
        // The awards and the support table's spends must agree, person by person.
        var awarded: [UInt64: (total: Int, ids: [String], person: String)] = [:]
        var partnerOf: [UInt64: String] = [:]
        for award in ledger.awards {
            let key = FundLedger.personKey(partnerID: award.partnerID, quarter: award.quarter, personRef: award.personRef)
            awarded[key, default: (0, [], award.personRef)].total += award.minorUnits
            awarded[key, default: (0, [], award.personRef)].ids.append(award.awardID)
            partnerOf[key] = award.partnerID
        }
        for spend in ledger.spends where spendChecked(spend, partnerOf: partnerOf, sending: partnersSendingAwards) {
            let given = awarded[spend.person] ?? (0, [], "")
            guard given.total != spend.minorUnits else { continue }
            let whom = given.person.isEmpty ? "this person" : "person_ref \(given.person)"
            let awards = given.ids.isEmpty ? "no award" : "\(given.ids.count == 1 ? "award" : "awards") \(Self.list(given.ids))"
            result.append(
                RowFinding(
                    file: spend.file, table: "support",
                    finding: Finding(
                        .error, .ruleViolation, rowNumber: spend.rowNumber, fieldName: "discretionary_spend",
                        fieldNumber: spend.fieldNumber,
                        message:
                            "Row \(spend.rowNumber): discretionary_spend for \(whom) is \(money(spend.minorUnits)), but the awards table gives them \(money(given.total)) (\(awards)): a difference of \(money(abs(spend.minorUnits - given.total))). Make the two agree, or leave discretionary_spend blank when you send awards.",
                        rule: "awards-match-spend")))
        }
        return result
    }

    /// Whether a spend is compared with the awards: its person has awards, or its file is of a partner that sends
    /// awards (`sending`, by the partner IDs the support file names, given per file).
    func spendChecked(_ spend: FundLedger.Spend, partnerOf: [UInt64: String], sending: Set<String>) -> Bool {
        partnerOf[spend.person] != nil || filePartners[spend.file].map { !$0.isDisjoint(with: sending) } ?? false
    }

    /// "A-1, A-2 and A-3".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }
}
