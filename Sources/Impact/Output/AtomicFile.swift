import Foundation

/// Writes output files so that a reader (or a crash) never sees half a file.
///
/// The bytes go to a temporary file in the destination's folder, are flushed to disk, and the file is
/// renamed over the destination in one step; on any failure the temporary file is removed and the
/// previous file, if any, is left as it was.
public enum AtomicFile {
    /// Writes `data` to `path`, creating the folder when needed.
    public static func write(_ data: Data, to path: String) throws(ImpactError) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        } catch {
            throw .unwritablePath(folder, reason: "the folder cannot be created (\(error.localizedDescription))")
        }
        let name = (path as NSString).lastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(".\(name).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw .unwritablePath(path, reason: "the file cannot be written")
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .unwritablePath(path, reason: "the file cannot be flushed to disk (\(error.localizedDescription))")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw .unwritablePath(path, reason: "the file cannot be moved into place (\(reason))")
        }
    }

    /// Writes text as UTF-8.
    public static func write(_ text: String, to path: String) throws(ImpactError) {
        try write(Data(text.utf8), to: path)
    }
}
