import Testing

@testable import ImpactCLI

@Suite struct ArgumentTests {
    @Test func parses() throws {
        _ = try ImpactCommand.parseAsRoot(["validate", "x"])
    }
}
