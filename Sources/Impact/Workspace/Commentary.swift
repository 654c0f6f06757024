import Foundation
import TableSchema

/// The impact lead's own words for a quarter: `Reports/commentary/<quarter>.md` in the workspace, a summary
/// and interpretation placed at the top of the impact report.
///
/// It is Markdown the impact lead writes, so it keeps its lists, emphasis and links; the report still
/// removes person references from it, shows any HTML as text and turns its headings into subheadings of
/// the report's own section (``CommentaryMarkdown``).
struct Commentary: Sendable, Hashable {
    /// The Markdown, as written.
    var markdown: String
    /// Where it was read, relative to the workspace (for messages and the report's note).
    var file: String

    /// The file of a quarter's commentary, relative to the workspace.
    static func relativePath(_ quarter: Quarter) -> String { "Reports/commentary/\(quarter).md" }

    /// The most a commentary may hold (it is read whole).
    static let maxBytes = 1 << 20

    /// The commentary of a quarter, or nil when the workspace has none (or only an empty file).
    static func load(workspace: Workspace, quarter: Quarter) throws(ImpactError) -> Commentary? {
        let relative = relativePath(quarter)
        let path = workspace.path(relative)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        guard !isDirectory.boolValue else {
            throw .unreadablePath(path, reason: "it is a folder; the quarter's commentary is one Markdown file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadablePath(path, reason: "the commentary cannot be read; check its permissions")
        }
        guard data.count <= maxBytes else {
            throw .unreadablePath(path, reason: "the commentary is over 1 MB; keep it to a summary of the quarter")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadablePath(path, reason: "the commentary is not UTF-8 text; save it as UTF-8")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return Commentary(markdown: text, file: relative)
    }
}
