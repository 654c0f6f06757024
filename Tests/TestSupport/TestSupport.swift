import Foundation

/// Paths and helpers shared by the test targets.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// A path inside the repository.
    public static func repo(_ relative: String) -> String {
        (root as NSString).appendingPathComponent(relative)
    }

    /// The `impact` executable built beside the test bundle, or in `.build/debug`; nil when not built.
    public static var impactExecutable: String? {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("impact").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        let fallback = repo(".build/debug/impact")
        return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
    }

    /// A path inside ../shared (design, seeds, conformance data).
    public static func shared(_ relative: String) -> String {
        ((root as NSString).deletingLastPathComponent as NSString).appendingPathComponent("shared/" + relative)
    }
}

/// A temporary folder removed when the value is released.
public final class TemporaryFolder {
    /// The folder's path.
    public let path: String

    /// Creates a fresh folder under the system's temporary directory.
    public init(prefix: String = "impact-test") {
        let name = "\(prefix)-\(UUID().uuidString)"
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes bytes to a file in the folder and returns its path.
    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try? FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }

    /// Writes text (UTF-8) to a file in the folder and returns its path.
    @discardableResult
    public func write(_ name: String, text: String) -> String {
        write(name, bytes: Array(text.utf8))
    }
}

// MARK: - Workbook packages

/// A written .xlsx file, read back part by part with `unzip` (an .xlsx is a zip of XML parts).
public struct XLSXPackage {
    /// The package's path.
    public let path: String

    /// A package on disk.
    public init(path: String) {
        self.path = path
    }

    /// The names of the parts in the package.
    public func partNames() throws -> [String] {
        let out = try run(["-Z1", path])
        return out.split(separator: "\n").map(String.init)
    }

    /// One part's text, or nil when the package has no such part.
    public func part(_ name: String) throws -> String? {
        guard try partNames().contains(name) else { return nil }
        return try run(["-p", path, name])
    }

    /// One part's text; records a failure message naming the part when it is missing.
    public func xml(_ name: String) throws -> String {
        guard let text = try part(name) else { throw MissingPart(name: name, path: path) }
        return text
    }

    public struct MissingPart: Error, CustomStringConvertible {
        let name: String
        let path: String
        public var description: String { "\(path) has no part \(name)" }
    }

    private func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Every file below a folder, by its path relative to the folder, with its bytes: to compare two runs' outputs.
public func folderSnapshot(_ folder: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: folder) else {
        throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: folder])
    }
    for case let relative as String in enumerator {
        var isDirectory: ObjCBool = false
        let path = folder + "/" + relative
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
    }
    return files
}

/// A copy of SampleData that declares a `referrals` return table in its impact.yaml (the schema is
/// Tests/Fixtures/declared/referrals.schema.json: a pattern, two enums, a date and a foreign key to partners).
public enum DeclaredTableWorkspace {
    /// What the copy adds to SampleData's impact.yaml.
    public static let declaration = """

        tables:
          - name: referrals
            schema: tables/referrals.schema.json
            title: Referrals received
            figures:
              - {name: Referrals accepted, measure: count, where: {outcome: accepted}}
              - {name: From GPs or social work, measure: count, where: {source: [gp, social_work]}}
              - {name: Sources, measure: distinct, field: source}

        """

    /// A header and rows of a good referrals CSV file for a partner and quarter.
    public static func referrals(_ partner: String, _ quarter: String, count: Int) -> String {
        let sources = ["self", "gp", "social_work", "police"]
        let outcomes = ["accepted", "waiting", "accepted", "declined"]
        var text = "partner_id,quarter,referral_ref,source,outcome,received_on\n"
        for index in 0..<count {
            text +=
                "\(partner),\(quarter),RF\(String(format: "%04d", index + 1)),\(sources[index % 4]),\(outcomes[index % 4]),2026-05-0\(index % 9 + 1)\n"
        }
        return text
    }

    /// Copies SampleData (without its history and outputs) into `folder`/ws with the declaration added.
    public static func make(in folder: TemporaryFolder) throws -> String {
        let path = folder.path + "/ws"
        try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: path)
        for name in [".impact", "out"] { try? FileManager.default.removeItem(atPath: path + "/" + name) }
        try FileManager.default.createDirectory(atPath: path + "/tables", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: TestPaths.repo("Tests/Fixtures/declared/referrals.schema.json"), toPath: path + "/tables/referrals.schema.json")
        let settings = path + "/impact.yaml"
        let text = try String(contentsOfFile: settings, encoding: .utf8) + declaration
        try text.write(toFile: settings, atomically: true, encoding: .utf8)
        return path
    }
}
