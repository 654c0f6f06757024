import Crypto
import Foundation
import GRDB

// MARK: - Partner tokens and portal receipts

extension Store {
    /// A file a partner sent through the portal, as recorded.
    public struct PortalReceipt: Sendable, Equatable {
        /// The receipt's reference, shared by the files sent together.
        public var reference: String
        /// The partner.
        public var partnerID: String
        /// The quarter the return is for.
        public var quarter: String
        /// Where the file was written, relative to the workspace.
        public var path: String
        /// The file's SHA-256, in hex.
        public var sha256: String
        /// Its size in bytes.
        public var size: Int
        /// When it was received (seconds since 1970).
        public var receivedAt: Int64

        /// Creates a receipt.
        public init(
            reference: String, partnerID: String, quarter: String, path: String, sha256: String, size: Int, receivedAt: Int64
        ) {
            self.reference = reference
            self.partnerID = partnerID
            self.quarter = quarter
            self.path = path
            self.sha256 = sha256
            self.size = size
            self.receivedAt = receivedAt
        }
    }

    /// Makes a new secret token for a partner and keeps only its SHA-256; the token is returned once.
    ///
    /// The token is 32 random bytes from the system's generator, written in base64url (43 characters).
    public func createPartnerToken(partnerID: String, now: Int64) throws(StoreError) -> String {
        let token = Data(Secrets.randomBytes(32)).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let hash = Self.tokenHash(token)
        try perform {
            try queue.write { db in
                try db.execute(
                    sql: "INSERT INTO partner_token (partner_id, token_sha256, created_at) VALUES (?, ?, ?)",
                    arguments: [partnerID, hash, now])
            }
        }
        return token
    }

    /// Revokes every token of a partner; returns how many were active.
    public func revokePartnerTokens(partnerID: String, now: Int64) throws(StoreError) -> Int {
        try perform {
            try queue.write { db in
                try db.execute(
                    sql: "UPDATE partner_token SET revoked_at = ? WHERE partner_id = ? AND revoked_at IS NULL", arguments: [now, partnerID])
                return db.changesCount
            }
        }
    }

    /// The partner a token belongs to, or nil. Every active token's hash is compared in constant time
    /// (no early exit), so the time taken says nothing about how close a guess was.
    public func partner(forToken token: String) throws(StoreError) -> String? {
        let presented = Self.tokenHash(token)
        let rows = try perform {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT partner_id, token_sha256 FROM partner_token WHERE revoked_at IS NULL ORDER BY id")
                    .map { (try $0.decode(String.self, atIndex: 0), try $0.decode(String.self, atIndex: 1)) }
            }
        }
        var found: String?
        for (partnerID, stored) in rows where Secrets.constantTimeEqual(stored, presented) { found = partnerID }
        return found
    }

    /// Records files sent through the portal.
    public func record(receipts: [PortalReceipt]) throws(StoreError) {
        try perform {
            try queue.write { db in
                for receipt in receipts {
                    try db.execute(
                        sql: """
                            INSERT INTO portal_receipt (reference, partner_id, quarter, path, sha256, size, received_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            receipt.reference, receipt.partnerID, receipt.quarter, receipt.path, receipt.sha256, receipt.size,
                            receipt.receivedAt,
                        ])
                }
            }
        }
    }

    /// The files sent through the portal for a quarter, oldest first.
    public func portalReceipts(in quarter: String) throws(StoreError) -> [PortalReceipt] {
        try perform {
            try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT reference, partner_id, quarter, path, sha256, size, received_at FROM portal_receipt
                        WHERE quarter = ? ORDER BY received_at, id
                        """, arguments: [quarter]
                ).map { row in
                    PortalReceipt(
                        reference: try row.decode(String.self, atIndex: 0), partnerID: try row.decode(String.self, atIndex: 1),
                        quarter: try row.decode(String.self, atIndex: 2), path: try row.decode(String.self, atIndex: 3),
                        sha256: try row.decode(String.self, atIndex: 4), size: try row.decode(Int.self, atIndex: 5),
                        receivedAt: try row.decode(Int64.self, atIndex: 6))
                }
            }
        }
    }

    /// The SHA-256 of a token, in hex.
    static func tokenHash(_ token: String) -> String {
        Secrets.hex(SHA256.hash(data: Data(token.utf8)))
    }
}
