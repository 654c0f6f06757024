import Foundation
import Mustache

// MARK: - Templates

/// The Mustache templates of the impact report and the partner feedback, by name (file name without
/// `.mustache`).
///
/// A workspace's `Reports/templates/` folder overrides them file by file; otherwise the copies embedded
/// in the program at build time are used (see `scripts/embed-templates`), so that wording can change
/// without code and `impact` still works without the repository.
///
/// Every `{{value}}` of a template is escaped for Markdown (``MarkdownEscaper``). To keep it so, a template
/// may not change the content type or the delimiters, and may leave unescaped (`{{{name}}}` or `{{&name}}`)
/// only the values in ``trustedValues``, which the program writes itself.
struct ReportTemplates: Sendable {
    /// The templates the reports use.
    static let names = ["impact-report", "feedback", "definitions"]
    /// Values a template may render unescaped: Markdown written by the program, or the impact lead's
    /// commentary as the program made it safe (person references removed, HTML shown as text), never a partner's.
    static let trustedValues: Set<String> = ["definition", "commentaryMarkdown"]
    /// The file extension of templates.
    static let fileExtension = "mustache"

    /// Template texts by name.
    let texts: [String: String]
    /// Where they came from, for messages and provenance.
    let origin: String

    /// Creates templates from texts, checking each.
    init(texts: [String: String], origin: String) throws(ReportError) {
        for name in Self.names where texts[name] == nil { throw .missingTemplate(name: name) }
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) { try Self.check(text, name: name) }
        self.texts = texts
        self.origin = origin
    }

    /// The templates embedded in the program.
    static func embedded() -> ReportTemplates {
        var texts: [String: String] = [:]
        for file in EmbeddedTemplates.files {
            texts[String(file.name.dropLast(fileExtension.count + 1))] = file.text
        }
        // The embedded templates are checked by the tests; fall back to no check only if that ever fails.
        return (try? ReportTemplates(texts: texts, origin: "built-in templates")) ?? ReportTemplates(unchecked: texts)
    }

    private init(unchecked texts: [String: String]) {
        self.texts = texts
        origin = "built-in templates"
    }

    /// The templates in a folder; a template missing from the folder comes from the embedded copies.
    static func load(folder: String) throws(ReportError) -> ReportTemplates {
        var texts = embedded().texts
        let manager = FileManager.default
        var found = 0
        for name in names {
            let path = (folder as NSString).appendingPathComponent("\(name).\(fileExtension)")
            guard manager.fileExists(atPath: path) else { continue }
            guard let data = manager.contents(atPath: path) else {
                throw .unreadableTemplate(path: path, reason: "the file cannot be read")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw .unreadableTemplate(path: path, reason: "it is not UTF-8 text")
            }
            texts[name] = text
            found += 1
        }
        let origin = found == names.count ? folder : found == 0 ? "built-in templates" : "\(folder) and built-in templates"
        return try ReportTemplates(texts: texts, origin: origin)
    }

    /// A workspace's `Reports/templates/` when it has one, else the embedded templates.
    static func forWorkspace(_ workspace: String) throws(ReportError) -> ReportTemplates {
        let folder = ((workspace as NSString).appendingPathComponent("Reports") as NSString).appendingPathComponent("templates")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            return embedded()
        }
        return try load(folder: folder)
    }

    // MARK: - Checks and parsing

    /// Rejects a template that could switch off escaping, or that is not valid Mustache.
    static func check(_ text: String, name: String) throws(ReportError) {
        if text.contains("CONTENT_TYPE") {
            throw .invalidTemplate(name: name, reason: "it sets a CONTENT_TYPE; the renderer escapes every value for Markdown")
        }
        if text.contains("{{=") {
            throw .invalidTemplate(name: name, reason: "it changes the delimiters ({{=...=}}); keep {{ and }}")
        }
        for unescaped in unescapedNames(text) where !trustedValues.contains(unescaped) {
            throw .invalidTemplate(
                name: name,
                reason:
                    "it renders \(unescaped) unescaped; use {{\(unescaped)}} (only \(trustedValues.sorted().joined(separator: ", ")) may be unescaped)"
            )
        }
        _ = try parse(text, name: name)
    }

    /// The names used in `{{{name}}}` and `{{&name}}` tags.
    static func unescapedNames(_ text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            let triple = rest.first == "{"
            let ampersand = rest.first == "&"
            guard triple || ampersand else { continue }
            rest = rest.dropFirst()
            let end = rest.range(of: triple ? "}}}" : "}}")?.lowerBound ?? rest.endIndex
            names.append(rest[..<end].trimmingCharacters(in: .whitespaces))
            rest = rest[end...]
        }
        return names
    }

    /// Parses a template under the Markdown content type.
    static func parse(_ text: String, name: String) throws(ReportError) -> MustacheTemplate {
        _ = MarkdownContentType.registered
        do {
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: \(MarkdownContentType.name) }}\n" + text)
        } catch {
            throw .invalidTemplate(name: name, reason: "it is not valid Mustache (\(error))")
        }
    }

    /// The templates as a Mustache library, each parsed under the Markdown content type.
    func library() throws(ReportError) -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            library.register(try Self.parse(text, name: name), named: name)
        }
        return library
    }
}
