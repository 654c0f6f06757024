import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImpactPortal
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// A partner reads its feedback on the portal and replies, signed in with its token; it sees only its own.
@Suite(.serialized) struct PortalFeedbackTests {
    /// A copy of SampleData with 2026-Q2 run (so every partner has a feedback page), and tokens for P001 and P003.
    static func workspace() throws -> (PortalSendTests.Workspace, p001: String, p003: String) {
        let workspace = try PortalSendTests.Workspace()
        _ = try RunStage(
            options: RunOptions(
                workspace: workspace.path, quarter: Quarter("2026-Q2")!, out: workspace.folder.path + "/out",
                receivedOn: Int32(Quarter("2026-Q2")!.lastDay + 5), now: PortalSendTests.now - 3_600)
        ).run()
        return (workspace, try workspace.token("P001"), try workspace.token("P003"))
    }

    static func form(_ fields: [(String, String)], cookie: String?) -> (HTTPFields, ByteBuffer) {
        var headers = HTTPFields()
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let cookie { headers[.cookie] = cookie }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return (headers, ByteBuffer(string: body))
    }

    static func cookieValue(_ response: TestResponse, _ name: String) -> String? {
        guard let header = response.headers[.setCookie], header.hasPrefix(name + "=") else { return nil }
        return header.split(separator: ";").first.map { String($0.dropFirst(name.count + 1)) }
    }

    /// Signs in with a token; returns the session cookie header, or nil.
    static func signIn(_ client: some TestClientProtocol, token: String) async throws -> String? {
        let csrf = try await client.execute(uri: "/feedback", method: .get) { response in
            #expect(String(buffer: response.body).contains("<label for=\"token\">"))
            return try #require(cookieValue(response, "impact_feedback_csrf"))
        }
        let (headers, body) = form([("csrf", csrf), ("token", token)], cookie: "impact_feedback_csrf=\(csrf)")
        return try await client.execute(uri: "/feedback/sign-in", method: .post, headers: headers, body: body) { response in
            guard response.status == .seeOther else { return nil }
            #expect(response.headers[.location] == "/feedback")
            #expect(response.headers[.setCookie]?.contains("HttpOnly") == true)
            return cookieValue(response, "impact_session").map { "impact_session=\($0)" }
        }
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, cookie: String?) async throws -> (HTTPResponse.Status, String) {
        var headers = HTTPFields()
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .get, headers: headers) { ($0.status, String(buffer: $0.body)) }
    }

    static func csrf(in page: String) throws -> String {
        let marker = "name=\"csrf\" value=\""
        let start = try #require(page.range(of: marker)).upperBound
        return String(page[start...].prefix { $0 != "\"" })
    }

    @Test("A partner signs in, lists its quarters, reads its feedback as HTML, replies to a section and sees the reply")
    func readAndReply() async throws {
        let (workspace, p001, _) = try Self.workspace()
        let app = Application(router: try workspace.portal().router())
        try await app.test(.router) { client in
            let cookie = try #require(try await Self.signIn(client, token: p001))
            var (status, page) = try await Self.get(client, "/feedback", cookie: cookie)
            #expect(status == .ok && page.contains("href=\"/feedback/2026-Q2\""))
            (status, page) = try await Self.get(client, "/feedback/2026-Q2", cookie: cookie)
            #expect(status == .ok)
            #expect(page.contains("<h1 id=") && page.contains("Bothy Light Counselling (P001): feedback on the 2026-Q2 return"))
            #expect(page.contains("<h2 id=\"s-your-return\">Your return</h2>"))
            #expect(page.contains("<label for=\"reply-1\">Reply about “Your return”</label>"))
            let csrf = try Self.csrf(in: page)
            let (headers, body) = Self.form(
                [("csrf", csrf), ("section", "Your return"), ("reply", "We will resend the <b>notes</b> & dates.")], cookie: cookie)
            try await client.execute(uri: "/feedback/2026-Q2/reply", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/feedback/2026-Q2?replied=1#s-your-return")
            }
            (status, page) = try await Self.get(client, "/feedback/2026-Q2?replied=1", cookie: cookie)
            #expect(page.contains("Your reply was sent to the impact lead."))
            #expect(page.contains("We will resend the &lt;b&gt;notes&lt;/b&gt; &amp; dates."))
        }
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        let thread = try store.feedbackMessages(partnerID: "P001", quarter: "2026-Q2")
        #expect(thread.map(\.body) == ["We will resend the <b>notes</b> & dates."])
        #expect(thread.first?.author == .partner && thread.first?.name == "P001" && thread.first?.section == "Your return")
    }

    @Test("Only its own pages: no token, a wrong token, another partner's session, a guessed quarter or section, a forged form")
    func onlyItsOwn() async throws {
        let (workspace, p001, p003) = try Self.workspace()
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        try store.recordFeedbackMessage(
            partnerID: "P001", quarter: "2026-Q2", section: "Your return", author: .partner, name: "P001", body: "P001 SECRET REPLY",
            at: PortalSendTests.now)
        let app = Application(router: try workspace.portal().router())
        try await app.test(.router) { client in
            // No session: the sign-in form, never the page.
            var (status, page) = try await Self.get(client, "/feedback/2026-Q2", cookie: nil)
            #expect(status == .unauthorized && !page.contains("feedback on the 2026-Q2 return"))
            (status, page) = try await Self.get(client, "/feedback/2026-Q2", cookie: "impact_session=guessed")
            #expect(status == .unauthorized)
            // A wrong token: refused.
            #expect(try await Self.signIn(client, token: "not-a-token") == nil)
            // P003 sees its own page, never P001's words.
            let cookie = try #require(try await Self.signIn(client, token: p003))
            (status, page) = try await Self.get(client, "/feedback/2026-Q2", cookie: cookie)
            #expect(status == .ok && page.contains("(P003): feedback on the 2026-Q2 return"))
            #expect(!page.contains("P001 SECRET REPLY") && !page.contains("Bothy Light"))
            for uri in ["/feedback/2026-Q2?partner=P001", "/feedback/2026-Q2/../P001", "/feedback/P001"] {
                (status, page) = try await Self.get(client, uri, cookie: cookie)
                #expect(!page.contains("P001 SECRET REPLY") && !page.contains("(P001): feedback"), "\(uri)")
            }
            (status, page) = try await Self.get(client, "/feedback/2025-Q1", cookie: cookie)
            #expect(status == .notFound)
            // A reply with the wrong CSRF token, or about a section the page does not have: not recorded.
            let csrf = try Self.csrf(in: try await Self.get(client, "/feedback/2026-Q2", cookie: cookie).1)
            var (headers, body) = Self.form([("csrf", "forged"), ("section", "Your return"), ("reply", "x")], cookie: cookie)
            try await client.execute(uri: "/feedback/2026-Q2/reply", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .forbidden)
            }
            (headers, body) = Self.form([("csrf", csrf), ("section", "Invented"), ("reply", "x")], cookie: cookie)
            try await client.execute(uri: "/feedback/2026-Q2/reply", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .notFound)
            }
            (headers, body) = Self.form([("csrf", csrf), ("section", "Your return"), ("reply", "x")], cookie: cookie)
            try await client.execute(uri: "/feedback/2025-Q1/reply", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .notFound)
            }
            // Signing out ends the session.
            (headers, body) = Self.form([("csrf", csrf)], cookie: cookie)
            try await client.execute(uri: "/feedback/sign-out", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .seeOther)
            }
            (status, _) = try await Self.get(client, "/feedback/2026-Q2", cookie: cookie)
            #expect(status == .unauthorized)
        }
        #expect(try store.feedbackMessages(partnerID: "P003", quarter: "2026-Q2").isEmpty)
        #expect(try store.feedbackMessages(partnerID: "P001", quarter: "2026-Q2").count == 1)
        _ = p001
    }

    @Test("The impact lead's replies and the agreed actions show on the partner's page")
    func leadsWords() async throws {
        let (workspace, _, p003) = try Self.workspace()
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        try store.recordFeedbackMessage(
            partnerID: "P003", quarter: "2026-Q2", section: "Findings", author: .lead, name: "Jo Impact", body: "Thanks for fixing these.",
            at: PortalSendTests.now)
        try store.recordFeedbackAction(
            partnerID: "P003", quarter: "2026-Q2", text: "Send the notes", due: "2026-09-30", by: "Jo Impact", at: PortalSendTests.now)
        let app = Application(router: try workspace.portal().router())
        try await app.test(.router) { client in
            let cookie = try #require(try await Self.signIn(client, token: p003))
            let (_, page) = try await Self.get(client, "/feedback/2026-Q2", cookie: cookie)
            #expect(page.contains("Jo Impact (impact lead), "))
            #expect(page.contains("Thanks for fixing these."))
            #expect(page.contains("<li>Send the notes (open, due 2026-09-30)</li>"))
        }
    }
}
