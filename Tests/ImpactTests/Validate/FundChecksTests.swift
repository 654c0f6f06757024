import TableSchema
import Testing

@testable import Impact

/// The discretionary fund award by award: each award against the coordinator's limit, one day's awards to a
/// person that add up past it, and the awards agreeing with the support table's spends.
@Suite("Fund checks")
struct FundChecksTests {
    static let supportHeader =
        "partner_id,quarter,person_ref,support_type,support_status,start_date,end_date,ending_type,sessions_offered,sessions_attended,discretionary_spend,panel_approval_ref"
    static let awardsHeader = "partner_id,quarter,award_id,person_ref,date,amount,purpose,decided_by,panel_approval_ref"

    /// Checks a support file (one person, PERS-1, with the spend given) and an awards file with `awards` rows.
    static func check(spend: String, awards: [String]?) throws -> (support: [Finding], awards: [Finding]) {
        var settings = Settings()
        settings.coordinatorLimit = 1000
        let stage = ValidationStage(options: ValidationOptions(schemas: try SchemaSet.embedded(), settings: settings))
        var files = [
            InputFile(
                name: "P001-support.csv",
                contents: Array((supportHeader + "\nP001,2026-Q2,PERS-1,counselling,active,2026-04-01,,,4,3,\(spend),\n").utf8))
        ]
        if let awards {
            files.append(
                InputFile(
                    name: "P001-awards.csv",
                    contents: Array(([awardsHeader] + awards.map { "P001,2026-Q2," + $0 }).joined(separator: "\n").utf8 + [10])))
        }
        let reports = stage.run(files: files)
        return (reports[0].findings, reports.count > 1 ? reports[1].findings : [])
    }

    @Test("Two £600 coordinator awards to one person on different days raise no finding, though they add up past the limit")
    func twoAwardsOnDifferentDays() throws {
        let (support, awards) = try Self.check(
            spend: "1200", awards: ["A-1,PERS-1,2026-04-10,600,utilities,coordinator,", "A-2,PERS-1,2026-05-20,600,travel,coordinator,"])
        #expect(support.isEmpty, "\(support.map(\.message))")
        #expect(awards.isEmpty, "\(awards.map(\.message))")
    }

    @Test("Without awards, a quarter's spend past the limit still needs the panel")
    func spendWithoutAwards() throws {
        let (support, _) = try Self.check(spend: "1200", awards: nil)
        #expect(support.map(\.rule) == ["spend-above-limit-needs-panel"])
    }

    @Test("An £1,100 award without the panel's approval is an error naming the award")
    func awardAboveLimit() throws {
        let (_, awards) = try Self.check(spend: "", awards: ["A-9,PERS-1,2026-04-10,1100,housing,coordinator,"])
        let finding = try #require(awards.first)
        #expect(awards.count == 1)
        #expect(finding.severity == .error && finding.rule == "award-above-limit-needs-panel")
        #expect(finding.message.contains("Award A-9 of £1,100 is above the coordinator's limit of £1,000"))
        // With the panel and its reference, it is fine.
        #expect(try Self.check(spend: "", awards: ["A-9,PERS-1,2026-04-10,1100,housing,panel,PA-12345"]).awards.isEmpty)
        // The panel without a reference is not.
        #expect(
            try Self.check(spend: "", awards: ["A-9,PERS-1,2026-04-10,900,housing,panel,"]).awards.map(\.rule) == [
                "panel-award-needs-reference"
            ])
    }

    @Test("Three awards on one day adding up to £1,200 are a warning on the first of them")
    func splitOnOneDay() throws {
        let (support, awards) = try Self.check(
            spend: "1200",
            awards: [
                "A-1,PERS-1,2026-05-12,400,utilities,coordinator,", "A-2,PERS-1,2026-05-12,400,travel,coordinator,",
                "A-3,PERS-1,2026-05-12,400,wellbeing,coordinator,",
            ])
        #expect(support.isEmpty)
        let finding = try #require(awards.first)
        #expect(awards.count == 1)
        #expect(finding.severity == .warning && finding.rule == "awards-split-same-day" && finding.rowNumber == 2)
        #expect(finding.message.contains("awards A-1, A-2 and A-3 to person_ref PERS-1 on 2026-05-12 add up to £1,200"))
        // Under the limit, or on different days, they are fine.
        #expect(
            try Self.check(
                spend: "800", awards: ["A-1,PERS-1,2026-05-12,400,utilities,coordinator,", "A-2,PERS-1,2026-05-12,400,travel,coordinator,"]
            ).awards.isEmpty)
    }

    @Test("The awards and the support table's spend must agree, and the finding names the difference")
    func awardsAgreeWithSpend() throws {
        let (support, _) = try Self.check(spend: "500", awards: ["A-1,PERS-1,2026-04-10,600,utilities,coordinator,"])
        let finding = try #require(support.first)
        #expect(finding.severity == .error && finding.rule == "awards-match-spend" && finding.fieldName == "discretionary_spend")
        #expect(finding.message.contains("is £500, but the awards table gives them £600 (award A-1): a difference of £100"))
        // A blank spend is not compared.
        #expect(try Self.check(spend: "", awards: ["A-1,PERS-1,2026-04-10,600,utilities,coordinator,"]).support.isEmpty)
    }

    @Test("An award dated outside the quarter, or for a person the support table does not have, is an error")
    func awardOutsideTheReturn() throws {
        #expect(
            try Self.check(spend: "", awards: ["A-1,PERS-1,2026-07-02,60,travel,coordinator,"]).awards.map(\.rule) == [
                "award-within-quarter"
            ])
        #expect(
            try Self.check(spend: "", awards: ["A-1,PERS-9,2026-05-02,60,travel,coordinator,"]).awards.map(\.code) == [.foreignKey])
    }

    @Test("In a form, a fund finding points at the row and field it is about, as every other form finding does")
    func formFindingsPoint() throws {
        var settings = Settings()
        settings.coordinatorLimit = 1000
        let stage = ValidationStage(options: ValidationOptions(schemas: try SchemaSet.embedded(), settings: settings))
        let form = """
            {"partner_id": "P001", "quarter": "2026-Q2",
             "support": [{"partner_id": "P001", "quarter": "2026-Q2", "person_ref": "PERS-1", "support_type": "counselling",
                          "support_status": "active", "start_date": "2026-04-01", "sessions_offered": 4, "sessions_attended": 3,
                          "discretionary_spend": 500}],
             "awards": [{"partner_id": "P001", "quarter": "2026-Q2", "award_id": "A-1", "person_ref": "PERS-1",
                         "date": "2026-04-10", "amount": 600, "purpose": "travel", "decided_by": "coordinator"}]}
            """
        let report = try #require(stage.run(files: [InputFile(name: "P001.json", contents: Array(form.utf8))]).first)
        let finding = try #require(report.findings.first { $0.rule == "awards-match-spend" }, "\(report.findings.map(\.message))")
        #expect(finding.pointer == "/support/0/discretionary_spend")
        #expect(finding.message.hasPrefix("/support/0/discretionary_spend: discretionary_spend for"), "\(finding.message)")
        #expect(finding.rowNumber == nil)
    }
}
