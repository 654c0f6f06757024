import Foundation
import MultipartKit
import NIOCore

/// The parts of a `multipart/form-data` request the check form sends: files, and pasted text.
public struct CheckRequest: Sendable, Equatable {
    /// The files, in the order sent (empty file inputs left out).
    public var files: [UploadedFile] = []
    /// Text pasted into the box, when there is any.
    public var pasted: String?
    /// The other fields of the form (the send form's token and CSRF token), by name.
    public var fields: [String: String] = [:]
    /// The narrative typed into the form's boxes, by field (`highlights`, `challenges`, `what_would_help`); blank
    /// boxes left out. It becomes the return's narrative file (``narrativeFile(partnerID:quarter:)``).
    public var narrative: [String: String] = [:]

    /// The narrative boxes of the forms, in the order shown, with their labels and hints.
    public static let narrativeBoxes: [(field: String, label: String, hint: String)] = [
        ("highlights", "Highlights", "What went well this quarter, in your own words."),
        ("challenges", "Challenges", "What was hard this quarter."),
        ("what_would_help", "What would help", "What the alliance or funders could do that would help."),
    ]
    /// The most bytes a narrative box may send (its 4,000 characters, even when each takes four bytes).
    static let maxNarrativeBytes = 16_384

    /// Why a request was refused, in words for the page.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// More files than the limit.
        case tooManyFiles(limit: Int)
        /// Not a form the page sends.
        case notAForm
        /// Nothing to check.
        case empty

        public var description: String {
            switch self {
            case .tooManyFiles(let limit):
                "You chose more than \(limit) files. Check up to \(limit) at a time: one return is three CSV files or one form."
            case .notAForm: "The request was not the check form. Use the form on this page."
            case .empty: "Choose at least one file, or paste your table into the box."
            }
        }
    }

    /// Reads a request body sent with `Content-Type: multipart/form-data; boundary=…`.
    public static func parse(contentType: String?, body: ByteBuffer, maxFiles: Int) throws(Refusal) -> CheckRequest {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.boundary(of: contentType)
        else { throw .notAForm }
        struct Part {
            var headers: [(String, String)] = []
            var body: [UInt8] = []
        }
        var parts: [Part] = []
        var current = Part()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in current.headers.append((name.lowercased(), value)) }
        parser.onBody = { buffer in current.body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? []) }
        parser.onPartComplete = {
            parts.append(current)
            current = Part()
        }
        do {
            try parser.execute(body)
        } catch {
            throw .notAForm
        }
        var request = CheckRequest()
        for part in parts {
            guard let disposition = part.headers.first(where: { $0.0 == "content-disposition" })?.1 else { continue }
            let parameters = Self.parameters(of: disposition)
            switch parameters["name"] {
            case "files":
                guard let name = parameters["filename"], !name.isEmpty else { continue }  // no file chosen
                request.files.append(UploadedFile(name: name, bytes: part.body))
                if request.files.count > maxFiles { throw .tooManyFiles(limit: maxFiles) }
            case "pasted":
                let text = String(decoding: part.body, as: UTF8.self)
                if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { request.pasted = text }
            case let name? where Self.narrativeBoxes.contains(where: { $0.field == name }):
                // Longer than a box allows: kept whole up to the limit so that the check says it is too long.
                let text = String(decoding: part.body.prefix(Self.maxNarrativeBytes), as: UTF8.self)
                if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { request.narrative[name] = text }
            case let name?:
                guard part.body.count <= 4_096 else { continue }
                request.fields[name] = String(decoding: part.body, as: UTF8.self)
            default:
                continue
            }
        }
        if let pasted = request.pasted {
            request.files.append(UploadedFile(name: "pasted.csv", bytes: Array(pasted.utf8)))
            if request.files.count > maxFiles { throw .tooManyFiles(limit: maxFiles) }
        }
        // A send form may leave the files to what a refused send kept (its `held` field).
        if request.files.isEmpty && (request.fields["held"] ?? "").isEmpty { throw .empty }
        return request
    }

    /// The typed narrative as the narrative table's CSV file, for the partner and quarter the return is for; nil
    /// when every box was left blank. It is checked, sent and kept like any file of the return.
    public func narrativeFile(partnerID: String, quarter: String) -> UploadedFile? {
        guard !narrative.isEmpty else { return nil }
        func cell(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        let fields = ["partner_id", "quarter"] + Self.narrativeBoxes.map(\.field)
        let values = [partnerID, quarter] + Self.narrativeBoxes.map { narrative[$0.field] ?? "" }
        let text = fields.joined(separator: ",") + "\n" + values.map(cell).joined(separator: ",") + "\n"
        return UploadedFile(name: Self.narrativeFileName, bytes: Array(text.utf8))
    }

    /// The name of the file made from the narrative boxes.
    public static let narrativeFileName = "narrative (typed on the portal).csv"

    /// The `boundary` parameter of a content type.
    static func boundary(of contentType: String) -> String? {
        let value = parameters(of: contentType)["boundary"]
        return value.flatMap { $0.isEmpty || $0.count > 200 ? nil : $0 }
    }

    /// `key=value` and `key="value"` parameters after the first `;` of a header value.
    static func parameters(of header: String) -> [String: String] {
        var result: [String: String] = [:]
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            result[key] = value
        }
        return result
    }
}
