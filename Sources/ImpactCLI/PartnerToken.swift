import ArgumentParser
import Foundation
import Impact

/// `impact partner-token create|revoke P001 --workspace DIR`: the secret a partner signs in with to send
/// a return through the portal.
struct PartnerToken: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner-token",
        abstract: "Create or revoke the secret token a partner uses to send returns through the portal.",
        subcommands: [Create.self, Revoke.self]
    )

    /// The options both subcommands take.
    typealias Target = PartnerOptions

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new token for a partner and print it once (only its hash is kept).",
            discussion: "Give the token to the partner privately. Older tokens keep working until revoked.")

        @OptionGroup var target: Target

        func run() throws {
            let token = try target.store().createPartnerToken(partnerID: target.partner, now: Int64(Date().timeIntervalSince1970))
            print(token)
            printError(
                "impact: this is the only time the token for \(target.partner) is shown; give it to the partner privately.")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop every token of a partner from working.")

        @OptionGroup var target: Target

        func run() throws {
            let count = try target.store().revokePartnerTokens(partnerID: target.partner, now: Int64(Date().timeIntervalSince1970))
            print("Revoked \(count) token\(count == 1 ? "" : "s") of \(target.partner).")
        }
    }
}
