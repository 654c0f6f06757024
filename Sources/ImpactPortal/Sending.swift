import Crypto
import Foundation
import Impact
import TableSchema

// MARK: - Sending a return

/// What a partner gets back when a return is sent: a reference, and each file's name and SHA-256.
public struct SendReceipt: Sendable, Equatable {
    /// The reference to quote to the impact lead.
    public var reference: String
    /// The partner.
    public var partnerID: String
    /// The quarter.
    public var quarter: String
    /// When it was received (seconds since 1970, UTC).
    public var receivedAt: Int64
    /// Each file as written under the workspace, with its SHA-256 and size.
    public var files: [(path: String, sha256: String, size: Int)]

    public static func == (left: SendReceipt, right: SendReceipt) -> Bool {
        left.reference == right.reference && left.partnerID == right.partnerID && left.quarter == right.quarter
            && left.receivedAt == right.receivedAt && left.files.map(\.path) == right.files.map(\.path)
            && left.files.map(\.sha256) == right.files.map(\.sha256)
    }
}

/// Why a return was not sent.
public enum SendRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The token matches no partner.
    case unknownToken
    /// The files have errors; the check shows them.
    case hasErrors
    /// A file holds another partner's rows (or none).
    case otherPartner(file: String, found: [String], partnerID: String)
    /// The files are not all for one quarter.
    case quarters([String])
    /// The file could not be written.
    case notWritten(String)

    public var description: String {
        switch self {
        case .unknownToken:
            "That token is not right. Check it (it is case-sensitive), or ask the impact lead for a new one."
        case .hasErrors: "The return has errors, so it was not sent. Fix them and send it again."
        case .otherPartner(let file, let found, let partnerID):
            found.isEmpty
                ? "\(file) has no partner_id, so it cannot be sent as \(partnerID)'s return."
                : "\(file) holds rows for \(found.joined(separator: " and ")), but your token is for \(partnerID). Send only your own return."
        case .quarters(let quarters):
            quarters.isEmpty
                ? "The files do not say which quarter they are for. Fill in the quarter column."
                : "The files are for more than one quarter (\(quarters.joined(separator: ", "))). Send one quarter's return at a time."
        case .notWritten(let reason): "The return could not be saved: \(reason). Please tell the impact lead."
        }
    }
}

/// Sends a checked return into the workspace: `returns/<quarter>/`, as if copied there by hand, with its
/// received time recorded so that the next `impact run` uses it (and a resent return supersedes).
public struct ReturnSender: Sendable {
    /// The workspace folder.
    public let workspace: String
    /// The workspace's history store (tokens and receipts).
    public let store: Store
    /// The check every return passes first.
    public let check: ReturnCheck

    /// Creates a sender.
    public init(workspace: String, store: Store, check: ReturnCheck) {
        self.workspace = workspace
        self.store = store
        self.check = check
    }

    /// Checks and, when it has no errors and is the token's partner's own, writes the return.
    ///
    /// - Returns: the receipt, or the refusal with the check's result (to show the problems).
    public func send(_ files: [UploadedFile], partnerID: String, now: Int64) -> (Result<SendReceipt, SendRefusal>, [CheckedFile]) {
        send(files, checked: check.check(files), partnerID: partnerID, now: now)
    }

    /// Writes a return already checked (`checked`, one per file, in order) when it has no errors and is the
    /// token's partner's own.
    public func send(
        _ files: [UploadedFile], checked: [CheckedFile], partnerID: String, now: Int64
    ) -> (Result<SendReceipt, SendRefusal>, [CheckedFile]) {
        if checked.contains(where: { $0.errors > 0 }) { return (.failure(.hasErrors), checked) }
        for file in checked where file.partnerIDs != [partnerID] {
            return (.failure(.otherPartner(file: file.name, found: file.partnerIDs, partnerID: partnerID)), checked)
        }
        let quarters = Set(checked.flatMap(\.quarters)).sorted()
        guard quarters.count == 1, let quarter = Quarter(quarters[0]) else { return (.failure(.quarters(quarters)), checked) }
        let folder = "returns/\(quarter)"
        let stamp = Self.stamp(now)
        var written: [(path: String, sha256: String, size: Int)] = []
        for (file, result) in zip(files, checked) {
            let kind = result.table ?? "return"
            let ext = (file.name as NSString).pathExtension.lowercased()
            var relative = "\(folder)/\(partnerID)-\(kind)-\(stamp).\(ext.isEmpty ? "csv" : ext)"
            var attempt = 1
            while FileManager.default.fileExists(atPath: (workspace as NSString).appendingPathComponent(relative)) {
                attempt += 1
                relative = "\(folder)/\(partnerID)-\(kind)-\(stamp)-\(attempt).\(ext.isEmpty ? "csv" : ext)"
            }
            do {
                try AtomicFile.write(Data(file.bytes), to: (workspace as NSString).appendingPathComponent(relative))
            } catch {
                return (.failure(.notWritten("\(error)")), checked)
            }
            let hash = Secrets.hex(SHA256.hash(data: Data(file.bytes)))
            written.append((relative, hash, file.bytes.count))
        }
        let digest = SHA256.hash(data: Data((written.map(\.sha256).sorted() + [partnerID, String(now)]).joined(separator: "\n").utf8))
        let reference = "R-" + digest.prefix(6).map { String(format: "%02X", $0) }.joined()
        let receipt = SendReceipt(reference: reference, partnerID: partnerID, quarter: quarter.description, receivedAt: now, files: written)
        do {
            try store.record(
                receipts: written.map {
                    Store.PortalReceipt(
                        reference: reference, partnerID: partnerID, quarter: quarter.description, path: $0.path, sha256: $0.sha256,
                        size: $0.size, receivedAt: now)
                })
        } catch {
            return (.failure(.notWritten("\(error)")), checked)
        }
        return (.success(receipt), checked)
    }

    /// `20261202-142233`: the UTC time in a file name.
    static func stamp(_ seconds: Int64) -> String {
        // From the canonical `2026-12-02T14:22:33Z`.
        CellValue.datetime(seconds).canonicalText.filter { $0 != "-" && $0 != ":" && $0 != "Z" }.replacingOccurrences(of: "T", with: "-")
    }
}

/// Counts failed sign-ins per client and refuses more than `limit` in `window` seconds.
public actor SignInLimiter {
    private var failures: [String: [Double]] = [:]
    /// Failures allowed per client in the window.
    public let limit: Int
    /// The window, in seconds.
    public let window: Double

    /// Creates a limiter.
    public init(limit: Int = 5, window: Double = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Whether the client may try again now.
    public func allows(_ client: String, now: Double) -> Bool {
        let recent = (failures[client] ?? []).filter { now - $0 < window }
        failures[client] = recent
        return recent.count < limit
    }

    /// Records a failed attempt.
    public func fail(_ client: String, now: Double) {
        failures[client, default: []].append(now)
    }
}

/// What a refused send keeps for a while, so that the partner does not start again: the files when only the
/// token or the form was wrong, the partner (its token was right) when only the files were. Kept in memory
/// under a random ID, which the next form carries in a hidden field, bound to that form's CSRF token; taken
/// once, and forgotten after `lifetime` seconds or when the portal stops.
public actor HeldReturns {
    /// What is kept.
    public struct Held: Sendable {
        public var files: [UploadedFile]
        public var narrative: [String: String]
        /// The partner whose token was right, when the files were what was wrong.
        public var partnerID: String?
        var csrf: String
        var expires: Double
    }

    private var held: [String: Held] = [:]
    /// Seconds a held return is kept.
    public let lifetime: Double
    /// The most bytes kept for all partners together (the oldest go first).
    public let maxBytes: Int

    /// Creates the store.
    public init(lifetime: Double = 15 * 60, maxBytes: Int = 100 * 1024 * 1024) {
        self.lifetime = lifetime
        self.maxBytes = maxBytes
    }

    /// Keeps files, narrative or a partner for the form whose CSRF token is `csrf`; returns the ID.
    public func hold(files: [UploadedFile], narrative: [String: String], partnerID: String?, csrf: String, now: Double) -> String {
        held = held.filter { $0.value.expires > now }
        let size = files.reduce(0) { $0 + $1.bytes.count }
        while !held.isEmpty, held.values.reduce(0, { $0 + $1.files.reduce(0) { $0 + $1.bytes.count } }) + size > maxBytes {
            if let oldest = held.min(by: { $0.value.expires < $1.value.expires })?.key { held[oldest] = nil }
        }
        let id = Secrets.hex(Secrets.randomBytes(24))
        held[id] = Held(files: files, narrative: narrative, partnerID: partnerID, csrf: csrf, expires: now + lifetime)
        return id
    }

    /// Takes what is held under `id` for the form whose CSRF token is `csrf` (nothing when either is wrong or
    /// the time has passed).
    public func take(_ id: String?, csrf: String, now: Double) -> Held? {
        guard let id, let entry = held[id] else { return nil }
        held[id] = nil
        guard entry.expires > now, Secrets.constantTimeEqual(entry.csrf, csrf) else { return nil }
        return entry
    }
}
