import Foundation

/// A file given to `impact`, before it is read: where it is and what format its name says.
public struct InputFile: Sendable, Hashable {
    /// The file formats `impact` reads.
    public enum Format: String, Sendable, Hashable {
        case csv, json, yaml
    }

    /// The path as given or found.
    public var path: String
    /// The format, from the file name's extension.
    public var format: Format

    /// File name extensions read as each format.
    static let extensions: [String: Format] = [
        "csv": .csv, "tsv": .csv, "txt": .csv, "json": .json, "yaml": .yaml, "yml": .yaml,
    ]

    /// Names that are never returns (workspace settings, documentation).
    static let ignoredNames: Set<String> = ["impact.yaml", "impact.yml"]

    /// Expands files and folders into the files to read, in a stable order.
    ///
    /// Folders are searched recursively; hidden files and files of other kinds are skipped. A path
    /// that does not exist is returned as a problem rather than thrown, so the other paths still run.
    public static func discover(_ paths: [String]) -> (files: [InputFile], problems: [(path: String, reason: String)]) {
        var files: [InputFile] = []
        var problems: [(String, String)] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append((path, "no such file or folder"))
                continue
            }
            if isDirectory.boolValue {
                guard let enumerator = manager.enumerator(atPath: path) else {
                    problems.append((path, "the folder cannot be read"))
                    continue
                }
                var found: [InputFile] = []
                while let relative = enumerator.nextObject() as? String {
                    let name = (relative as NSString).lastPathComponent
                    if name.hasPrefix(".") || relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                    let full = (path as NSString).appendingPathComponent(relative)
                    var childIsDirectory: ObjCBool = false
                    guard manager.fileExists(atPath: full, isDirectory: &childIsDirectory), !childIsDirectory.boolValue else { continue }
                    if let file = InputFile(path: full) { found.append(file) }
                }
                files.append(contentsOf: found.sorted { $0.path < $1.path })
            } else if let file = InputFile(path: path, explicit: true) {
                files.append(file)
            }
        }
        return (files, problems)
    }

    /// Recognises a file by its extension; nil for files that are not returns. A file named
    /// explicitly is read as CSV whatever its extension.
    public init?(path: String, explicit: Bool = false) {
        let name = (path as NSString).lastPathComponent
        if !explicit && Self.ignoredNames.contains(name.lowercased()) { return nil }
        let ext = (name as NSString).pathExtension.lowercased()
        if let format = Self.extensions[ext] {
            self.path = path
            self.format = format
        } else if explicit {
            self.path = path
            self.format = .csv
        } else {
            return nil
        }
    }
}
