import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// 360Giving-style warnings for personal data in a return, which never quote the value.
@Suite struct PersonalDataTests {
    @Test(
        "Person references that read as a name or a date of birth are flagged; pseudonymous ones are not",
        arguments: [
            ("Jane-Doe", "a name"), ("JaneDoe", "a name"), ("Smith", "a name"), ("McLean-Ross", "a name"),
            ("01-02-1990", "a date of birth"), ("1990-02-01", "a date of birth"),
            ("K7QM-2041", nil), ("wgqb-hcdr", nil), ("H8X-4368-N", nil), ("ABCD-EFGH", nil), ("0001-2345", nil),
            ("12-34-5678", nil), ("ED49-WMHR", nil),
        ] as [(String, String?)])
    func personRefs(ref: String, expected: String?) {
        #expect(Array(ref.utf8).withUnsafeBufferPointer { PersonalDataScan.refProblem($0) } == expected)
    }

    static func validate(_ name: String, _ text: String) throws -> FileReport {
        let folder = TemporaryFolder()
        let path = folder.write(name, text: text)
        return try #require(ValidationStage(options: ValidationOptions(schemas: try SchemaSet.embedded())).run(paths: [path]).files.first)
    }

    @Test("A CSV return: a name as a reference and an email address in a note are warnings at their cells")
    func csv() throws {
        let support = try Self.validate(
            "support.csv",
            """
            partner_id,quarter,person_ref,support_type,support_status,start_date,end_date,ending_type,sessions_offered,sessions_attended,discretionary_spend,panel_approval_ref
            P001,2026-Q2,K7QM-2041,counselling,active,2026-04-01,,,4,3,,
            P001,2026-Q2,Jane-Doe,counselling,active,2026-04-01,,,4,3,,

            """)
        let found = support.findings.filter { $0.code == .personalData }
        #expect(found.map(\.rowNumber) == [3])
        #expect(found.first?.severity == .warning)
        #expect(found.first?.fieldName == "person_ref")
        #expect(found.first?.cell == nil)
        #expect(found.first?.message.contains("Jane") == false)
        #expect(support.valid)

        let ripple = try Self.validate(
            "ripple.csv",
            """
            partner_id,quarter,note_id,theme,outcome_id,note,consent_to_quote
            P001,2026-Q2,R1,housing,,Moved into a settled tenancy.,true
            P001,2026-Q2,R2,housing,,Write to her at jo.bloggs@example.net for more.,true

            """)
        let notes = ripple.findings.filter { $0.code == .personalData }
        #expect(notes.map(\.rowNumber) == [3])
        #expect(notes.first?.fieldName == "note")
        #expect(notes.first?.message.contains("jo.bloggs") == false)
    }

    @Test("A form: the same warnings at JSON pointers, and for the narrative fields")
    func form() throws {
        let report = try Self.validate(
            "P001.json",
            """
            {"partner_id": "P001", "quarter": "2026-Q2", "submitted_on": "2026-07-10",
             "highlights": "Call Sam on 07700 900123 to hear more.",
             "support": [{"partner_id": "P001", "quarter": "2026-Q2", "person_ref": "Jane-Doe", "support_type": "counselling",
                          "support_status": "active", "start_date": "2026-04-01", "sessions_offered": 4, "sessions_attended": 3}],
             "outcomes": [], "ripple": []}
            """)
        let found = report.findings.filter { $0.code == .personalData }
        #expect(Set(found.compactMap(\.pointer)) == ["/highlights", "/support/0/person_ref"])
        #expect(found.allSatisfy { $0.severity == .warning && !$0.message.contains("07700") && !$0.message.contains("Jane") })
    }
}
