import Testing

@testable import Impact

/// The matcher agrees with `String.contains` over every reference, whatever the text.
@Suite struct PersonRefMatcherTests {
    static let refs: Set<String> = ["K7QM-2041", "AB12", "ZZ-99-ZZ", "", "odd ref"]

    @Test(
        "Finds a reference wherever String.contains would",
        arguments: [
            ("She asked us to share this.", false),
            ("K7QM-2041 now leads the group.", true),
            ("(ref:K7QM-2041)", true),
            ("xK7QM-20415", true),  // inside a longer run: still a leak
            ("k7qm-2041 in lower case", false),  // as String.contains: exact
            ("AB1", false),
            ("…AB12…", true),
            ("ZZ-99-Z", false),
            ("an odd ref here", true),
            ("", false),
            ("Ünïcödé AB12", true),
        ])
    func agreesWithContains(text: String, expected: Bool) {
        let matcher = PersonRefMatcher(refs: Self.refs)
        #expect(matcher.occurs(in: text) == expected)
        #expect(expected == Self.refs.contains { !$0.isEmpty && text.contains($0) })
    }

    @Test("With no references nothing matches")
    func empty() {
        #expect(!PersonRefMatcher(refs: []).occurs(in: "K7QM-2041"))
    }
}
