import Dates
import TableSchema

// MARK: - The discretionary fund, award by award

/// An award from the `awards` table of an accepted return.
struct AwardRecord: Sendable, Hashable {
    var partnerID: String
    var awardID: String
    var personRef: String
    /// Days since 1970-01-01.
    var date: Int32
    var amount: Money
    var purpose: String
    /// `coordinator` or `panel`.
    var decidedBy: String
}

extension AcceptedReturn {
    /// The return's awards, in the order sent (kept as the `awards` table's rows); nil when it sent none (no
    /// awards table, or an empty one such as the template's).
    var awards: [AwardRecord]? {
        guard let records = tables.first(where: { $0.table == "awards" }), !records.rows.isEmpty else { return nil }
        return records.rows.compactMap { row in
            guard let amount = records.value("amount", in: row).flatMap(Double.init),
                let date = records.value("date", in: row).flatMap(Self.day(iso:))
            else { return nil }
            return AwardRecord(
                partnerID: records.value("partner_id", in: row) ?? partnerID, awardID: records.value("award_id", in: row) ?? "",
                personRef: records.value("person_ref", in: row) ?? "", date: date,
                amount: Money(amount: amount), purpose: records.value("purpose", in: row) ?? "other",
                decidedBy: records.value("decided_by", in: row) ?? "")
        }
    }

    /// The day of an ISO date (`2026-05-12`), as kept in `table_row`.
    static func day(iso text: String) -> Int32? {
        CivilDate(iso: text).map { Int32($0.daysSinceEpoch) }
    }
}

/// Awards of one purpose or one decision route: how many and how much.
struct AwardCount: Sendable, Hashable {
    /// The purpose (`utilities`) or route (`coordinator`, `panel`).
    var key: String
    var awards: Int
    var total: Money
}

/// The fund award by award, for a partner or the network (the partners that send awards).
struct FundFigures: Sendable, Hashable {
    /// Partners whose accepted return holds an awards table.
    var partners = 0
    /// The number of awards.
    var awards = 0
    /// Distinct people who received at least one award (summed over partners for the network).
    var people = 0
    /// The sum of the awards' amounts.
    var total: Money = .zero
    /// Awards and amounts by `purpose`, in the schema's order (purposes with no award left out).
    var byPurpose: [AwardCount] = []
    /// Awards and amounts by `decided_by`: the coordinator's, then the panel's.
    var byRoute: [AwardCount] = []

    /// The panel's share of the amount awarded; no data when nothing was awarded.
    var panelShare: Double? {
        Statistics.ratio(Double(byRoute.first { $0.key == "panel" }?.total.minorUnits ?? 0), Double(total.minorUnits))
    }

    /// The purposes in the schema's order, with their words.
    static let purposes: [(purpose: String, label: String)] = [
        ("housing", "Housing"), ("utilities", "Utilities"), ("travel", "Travel"), ("education", "Education"),
        ("wellbeing", "Wellbeing"), ("other", "Other"),
    ]

    /// A purpose in words.
    static func label(_ purpose: String) -> String { purposes.first { $0.purpose == purpose }?.label ?? Words.fromID(purpose) }

    /// The figures of some partners' awards (each partner's people counted apart).
    init(_ byPartner: [[AwardRecord]]) {
        var purposes: [String: AwardCount] = [:]
        var routes: [String: AwardCount] = [:]
        for awards in byPartner {
            partners += 1
            people += Set(awards.map(\.personRef)).count
            for award in awards {
                self.awards += 1
                total = total + award.amount
                purposes[award.purpose, default: AwardCount(key: award.purpose, awards: 0, total: .zero)].awards += 1
                purposes[award.purpose]!.total = purposes[award.purpose]!.total + award.amount
                routes[award.decidedBy, default: AwardCount(key: award.decidedBy, awards: 0, total: .zero)].awards += 1
                routes[award.decidedBy]!.total = routes[award.decidedBy]!.total + award.amount
            }
        }
        let known = Self.purposes.map(\.purpose)
        byPurpose = (known + purposes.keys.filter { !known.contains($0) }.sorted()).compactMap { purposes[$0] }
        byRoute = (["coordinator", "panel"] + routes.keys.filter { $0 != "coordinator" && $0 != "panel" }.sorted()).compactMap {
            routes[$0]
        }
    }

    /// No awards.
    init() {}
}

/// The fund of the report's quarter: the network's and each partner's that sent awards.
struct FundReport: Sendable, Hashable {
    var network = FundFigures()
    /// By partner ID.
    var partners: [String: FundFigures] = [:]
}
