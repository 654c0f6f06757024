import Testing

@testable import Impact

/// What counts as a contact detail in a note: enough to catch the usual ways of writing one, and none of
/// the values a return is full of.
@Suite struct ContactDetailsTests {
    @Test(
        "Finds email addresses, UK phone numbers and postcodes",
        arguments: [
            "write to jo.bloggs@example.net", "call 07700 900123", "or 07700900123", "on +44 7700 900123",
            "0131 496 0000 is the office", "she moved to EH1 1YZ", "near G2 3AB now", "SW1A 1AA",
        ])
    func finds(text: String) {
        #expect(ContactDetails().appear(in: text))
    }

    @Test(
        "Leaves the values a return is full of alone",
        arguments: [
            "2026-07-15", "£1,200.50", "P001", "K7QM-2041", "OG01", "2026-Q2", "PA-20417", "sessions 12 of 14",
            "She now leads the group's weekly walk.", "1000000", "15/07/2026",
        ])
    func ignores(text: String) {
        #expect(!ContactDetails().appear(in: text))
    }

    @Test("The programme's own address may be printed")
    func allowed() {
        #expect(!ContactDetails(allowed: ["impact@example.org"]).appear(in: "Questions: impact@example.org"))
        #expect(ContactDetails(allowed: ["impact@example.org"]).appear(in: "Questions: jo@example.org"))
    }
}
