import Foundation

/// A file given to `impact`, before it is read: where it is and what format its name says.
///
/// A file may also arrive with its bytes already in memory (a pasted or uploaded return): then
/// `contents` holds them, `path` is only the name used in findings, and nothing is read from disk.
public struct InputFile: Sendable, Hashable {
    /// The file formats `impact` reads.
    public enum Format: String, Sendable, Hashable {
        case csv, json, yaml, xlsx
    }

    /// The path as given or found (for bytes in memory, the name they were sent under).
    public var path: String
    /// The format, from the file name's extension.
    public var format: Format
    /// The file's bytes, when they are already in memory; `nil` for a file on disk.
    public var contents: [UInt8]?

    /// File name extensions read as each format.
    static let extensions: [String: Format] = [
        "csv": .csv, "tsv": .csv, "txt": .csv, "json": .json, "yaml": .yaml, "yml": .yaml,
        // An .xls file is found too, so that the partner is told to save it as .xlsx rather than it being skipped.
        "xlsx": .xlsx, "xlsm": .xlsx, "xls": .xlsx,
    ]

    /// Names that are never returns (workspace settings, documentation).
    static let ignoredNames: Set<String> = ["impact.yaml", "impact.yml"]

    /// Expands files and folders into the files to read, in a stable order.
    ///
    /// Folders are searched recursively; hidden files, the lock files Excel leaves beside an open workbook
    /// (`~$…`) and files of other kinds are skipped. A path
    /// that does not exist is returned as a problem rather than thrown, so the other paths still run. A folder
    /// with no return file in it (empty, or only files of other kinds, whatever its name says) is listed in
    /// `emptyFolders`.
    public static func discover(
        _ paths: [String]
    ) -> (files: [InputFile], problems: [(path: String, reason: String)], emptyFolders: [String]) {
        var files: [InputFile] = []
        var problems: [(String, String)] = []
        var emptyFolders: [String] = []
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
                    // Excel's and LibreOffice's lock files beside an open workbook (~$P001.xlsx, .~lock.P001.xlsx#).
                    if name.hasPrefix("~$") { continue }
                    let full = (path as NSString).appendingPathComponent(relative)
                    var childIsDirectory: ObjCBool = false
                    guard manager.fileExists(atPath: full, isDirectory: &childIsDirectory), !childIsDirectory.boolValue else { continue }
                    if let file = InputFile(path: full) { found.append(file) }
                }
                if found.isEmpty { emptyFolders.append(path) }
                files.append(contentsOf: found.sorted { $0.path < $1.path })
            } else if let file = InputFile(path: path, explicit: true) {
                files.append(file)
            }
        }
        return (files, problems, emptyFolders)
    }

    /// A return whose bytes are already in memory, named `name` in findings; the format comes from the
    /// name's extension (CSV when it has none that `impact` reads).
    public init(name: String, contents: [UInt8]) {
        self.path = name
        self.format = Self.extensions[(name as NSString).pathExtension.lowercased()] ?? .csv
        self.contents = contents
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

// MARK: - Reading

extension InputFile {
    /// Why a file's bytes could not be read; the description names the file and says what to do.
    public struct ReadFailure: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public var description: String
    }

    /// The whole file, read only when it is an ordinary file no larger than `limit` bytes.
    ///
    /// A pipe, device or socket is refused rather than opened (opening a pipe would wait for ever), and the
    /// size is checked before a byte is read, so a huge file never fills memory.
    public func readAll(limit: Int) throws(ReadFailure) -> [UInt8] {
        if let contents {
            guard contents.count <= limit else { throw ReadFailure(description: Self.tooLarge(path, contents.count, limit)) }
            return contents
        }
        let size = try ordinaryFileSize()
        guard size <= limit else { throw ReadFailure(description: Self.tooLarge(path, size, limit)) }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ReadFailure(description: "\(path) cannot be read: \(String(cString: strerror(errno))). Check that the file is readable.")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw ReadFailure(description: "reading \(path) failed: \(String(cString: strerror(errno))).")
            }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
            // The file grew while it was read.
            guard bytes.count <= limit else { throw ReadFailure(description: Self.tooLarge(path, bytes.count, limit)) }
        }
        return bytes
    }

    /// The size of the file on disk, checked to be an ordinary file (not a folder, pipe, device or socket).
    public func ordinaryFileSize() throws(ReadFailure) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ReadFailure(
                description: "\(path) cannot be read: \(String(cString: strerror(errno))). Check the path and that the file is readable.")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw ReadFailure(description: "\(path) is a folder, not a file.")
        default:
            throw ReadFailure(
                description: "\(path) is not an ordinary file (a pipe, device or socket), so it was not read. Save the return as a file.")
        }
        return Int(info.st_size)
    }

    static func tooLarge(_ path: String, _ size: Int, _ limit: Int) -> String {
        "\(path) is \(size) bytes, more than the \(limit)-byte limit for one file, so it was not read. Split the return into smaller files."
    }
}
