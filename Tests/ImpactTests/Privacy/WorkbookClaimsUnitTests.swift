import Testing

@testable import Impact

/// Headers with their units are still found by the disclosure audit.
@Suite struct WorkbookClaimsUnitTests {
    @Test(
        "a unit in brackets at the end is dropped",
        arguments: [
            ("Attendance rate (%)", "Attendance rate"), ("Share improved OG01 (%)", "Share improved OG01"),
            ("Mean change in score (points on the 1–10 scale)", "Mean change in score"), ("People supported", "People supported"),
            ("Discretionary spend (£)", "Discretionary spend"), ("(%)", "(%)"),
        ])
    func withoutUnit(header: String, bare: String) {
        #expect(WorkbookClaims.withoutUnit(header) == bare)
    }

    @Test("a column is found by its name with or without its unit, the exact header first")
    func column() {
        let table = AuditTable(
            name: "T", sheet: "S", headerRow: 1, columns: ["Partner ID", "Attendance rate (%)", "Referrals (external)", "Referrals"],
            rows: [])
        #expect(table.column("Attendance rate") == 1)
        #expect(table.column("Attendance rate (%)") == 1)
        #expect(table.column("Referrals") == 3)
        #expect(table.column("Referrals (external)") == 2)
        #expect(table.column("Partner") == nil)
    }
}
