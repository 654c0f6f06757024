import Foundation

/// The rule for IDs that name files: a funder's workbook, a partner's feedback and templates.
///
/// The reference tables are checked against it when the workspace loads, so every stage above can use an
/// ID as a file name.
enum FileNames {
    /// Why a funder ID cannot name its workbook, or nil when it can. `seen` maps the lower-cased IDs
    /// already accepted to their spelling.
    static func funderIDProblem(_ id: String, seen: [String: String]) -> String? {
        if let reason = fileNameProblem(id) { return reason }
        let key = id.lowercased()
        if key == "programme" { return "\"programme\" names the impact lead's workbook" }
        if let other = seen[key] { return "it differs from the funder ID \"\(other)\" only in case" }
        return nil
    }

    /// Why an ID cannot be a file name, or nil when it is 1–64 ASCII letters, digits, `-` and `_`.
    static func fileNameProblem(_ id: String) -> String? {
        if id.isEmpty { return "it is empty" }
        if id.count > 64 { return "it is longer than 64 characters" }
        if let bad = id.unicodeScalars.first(where: {
            !(($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_")
        }) {
            let shown = bad.value < 0x20 || bad.value == 0x7F ? String(format: "U+%04X", bad.value) : "\"\(bad)\""
            return "it contains \(shown); only letters A–Z and a–z, digits, \"-\" and \"_\" are allowed"
        }
        return nil
    }

    /// True when an ID can name a file.
    static func isSafe(_ id: String) -> Bool {
        fileNameProblem(id) == nil
    }
}
