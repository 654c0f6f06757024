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
