import Foundation
import TableSchema
import Yams

/// What the impact lead chose to feature in a quarter's report, from `Reports/featured.yaml`, by reference:
/// `P003/S1` for partner P003's story S1, `P001/R4` for its ripple-effect note R4.
///
/// ```yaml
/// 2026-Q2:
///   stories: [P003/S1, P010/S2]
///   notes: [P001/R4]
/// ```
///
/// A quarter the file does not list is featured by the default rule (``Featured``).
struct FeaturedChoice: Sendable, Hashable {
    var stories: [String]
    var notes: [String]

    /// The file, relative to the workspace.
    static let relativePath = "Reports/featured.yaml"

    private struct Entry: Decodable {
        var stories: [String]?
        var notes: [String]?
    }

    /// The choice for a quarter, or nil when the workspace has no file or the file does not list the quarter.
    static func load(workspace: Workspace, quarter: Quarter) throws(ImpactError) -> FeaturedChoice? {
        let path = workspace.path(relativePath)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 20 else {
            throw .unreadablePath(path, reason: "the list of featured stories cannot be read (or is over 1 MB)")
        }
        let entries: [String: Entry]
        do {
            entries = try YAMLDecoder().decode([String: Entry].self, from: String(decoding: data, as: UTF8.self))
        } catch {
            throw .invalidSettings(
                path: path,
                reason:
                    "it should list quarters, each with stories and notes by reference, like 2026-Q2: {stories: [P003/S1], notes: [P001/R4]} (\(error))"
            )
        }
        for key in entries.keys.sorted() where Quarter(key) == nil {
            throw .invalidSettings(path: path, reason: "\"\(key)\" is not a quarter like 2026-Q2")
        }
        guard let entry = entries[quarter.description] else { return nil }
        for reference in (entry.stories ?? []) + (entry.notes ?? []) {
            let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .invalidSettings(
                    path: path,
                    reason: "\(quarter): \"\(reference)\" is not a reference like P003/S1 (partner ID, a slash, the story or note ID)")
            }
        }
        return FeaturedChoice(stories: entry.stories ?? [], notes: entry.notes ?? [])
    }
}
