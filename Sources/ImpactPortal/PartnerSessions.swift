import Foundation
import Impact

/// Partners signed in to read their feedback: a random session ID (the cookie) for each, with its partner, its
/// own CSRF token for the reply forms, and when it was last used. A session ends after `idle` seconds unused
/// or when the partner signs out; the portal forgets every session when it stops.
public actor PartnerSessions {
    struct Session {
        var partnerID: String
        var csrf: String
        var lastUsed: Double
    }

    private var sessions: [String: Session] = [:]
    /// Seconds a session lasts unused.
    public let idle: Double
    /// The most sessions kept at once (the oldest go first).
    public let limit: Int

    /// Creates the store of sessions.
    public init(idle: Double = 60 * 60, limit: Int = 10_000) {
        self.idle = idle
        self.limit = limit
    }

    /// Starts a session for a partner; returns its ID.
    public func start(partnerID: String, now: Double) -> String {
        sessions = sessions.filter { now - $0.value.lastUsed < idle }
        if sessions.count >= limit, let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
            sessions[oldest] = nil
        }
        let id = Secrets.hex(Secrets.randomBytes(32))
        sessions[id] = Session(partnerID: partnerID, csrf: Secrets.hex(Secrets.randomBytes(32)), lastUsed: now)
        return id
    }

    /// The partner and CSRF token of a live session, which is used now.
    public func session(_ id: String?, now: Double) -> (partnerID: String, csrf: String)? {
        guard let id, let session = sessions[id] else { return nil }
        guard now - session.lastUsed < idle else {
            sessions[id] = nil
            return nil
        }
        sessions[id]?.lastUsed = now
        return (session.partnerID, session.csrf)
    }

    /// Ends a session.
    public func end(_ id: String?) {
        if let id { sessions[id] = nil }
    }
}

/// A form sent as `application/x-www-form-urlencoded`, by name.
enum URLEncodedForm {
    /// The fields of a body (the last value of a repeated name wins).
    static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]) else { continue }
            fields[name] = parts.count == 2 ? decode(parts[1]) ?? "" : ""
        }
        return fields
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
