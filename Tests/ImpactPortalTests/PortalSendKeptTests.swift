import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImpactPortal
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// A refused send keeps what the partner need not give again, for that form only; the receipt says what
/// happens next, in the programme's local time.
@Suite(.serialized) struct PortalSendKeptTests {
    static func field(_ page: String, _ name: String) -> String? {
        guard let range = page.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    static func cookie(_ response: TestResponse) -> String? {
        response.headers[.setCookie]?.split(separator: ";").first?.split(separator: "=").last.map(String.init)
    }

    @Test("A wrong token keeps the files: the token alone, typed again, sends them")
    func wrongTokenKeepsFiles() async throws {
        let workspace = try PortalSendTests.Workspace()
        let token = try workspace.token("P001")
        let app = Application(router: try workspace.portal().router())
        let files = try PortalSendTests.p001Return(workspace)
        try await app.test(.router) { client in
            let csrf = try await PortalSendTests.csrf(client)
            var (headers, body) = PortalSendTests.sendForm(token: "wrong", csrf: csrf, cookie: csrf, files: files)
            let (held, next) = try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .unauthorized)
                #expect(page.contains("Your files are kept"))
                #expect(page.contains("Kept for 15 minutes: P001-support.csv, P001-outcomes.csv, P001-ripple.csv."))
                #expect(!page.contains("name=\"files\" multiple required"))
                return (try #require(Self.field(page, "held")), try #require(Self.cookie(response)))
            }
            // The kept files are for the form that was given back, not for another.
            (headers, body) = PortalSendTests.sendForm(token: token, csrf: csrf, cookie: csrf, files: [], fields: [("held", held)])
            try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .badRequest)
            }
            let again = try await PortalSendTests.csrf(client)
            (headers, body) = PortalSendTests.sendForm(token: "wrong", csrf: again, cookie: again, files: files)
            let (held2, next2) = try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                let page = String(buffer: response.body)
                return (try #require(Self.field(page, "held")), try #require(Self.cookie(response)))
            }
            _ = (held, next)
            (headers, body) = PortalSendTests.sendForm(token: token, csrf: next2, cookie: next2, files: [], fields: [("held", held2)])
            try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .ok, "\(page.prefix(1_500))")
                #expect(page.contains("Your return has been sent"))
            }
        }
        let receipts = try Store(path: workspace.path + "/" + Store.defaultRelativePath).portalReceipts(in: "2025-Q3")
        #expect(receipts.count == 3)
    }

    @Test("Another partner's rows: no empty problem list; the right token is kept, so corrected files alone send")
    func otherPartnerKeepsToken() async throws {
        let workspace = try PortalSendTests.Workspace()
        let token = try workspace.token("P001")
        let app = Application(router: try workspace.portal().router())
        let p003 = try ["support", "outcomes", "ripple"].map { ("P003-\($0).csv", try workspace.file("returns/2025-Q3/P003-\($0).csv")) }
        try await app.test(.router) { client in
            let csrf = try await PortalSendTests.csrf(client)
            var (headers, body) = PortalSendTests.sendForm(token: token, csrf: csrf, cookie: csrf, files: p003)
            let (held, next) = try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .unprocessableContent)
                #expect(page.contains("<title>Error: not sent"))
                #expect(page.contains("holds rows for P003, but your token is for P001"))
                #expect(!page.contains("See the problems below") && !page.contains("<div id=\"problems\">"))
                #expect(page.contains("Your token was right and is kept for 15 minutes"))
                #expect(!page.contains(token))
                return (try #require(Self.field(page, "held")), try #require(Self.cookie(response)))
            }
            (headers, body) = PortalSendTests.sendForm(
                token: "", csrf: next, cookie: next, files: try PortalSendTests.p001Return(workspace), fields: [("held", held)])
            try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .ok, "\(page.prefix(1_500))")
                #expect(page.contains("What happens next"))
                #expect(page.contains("due by 2025-10-30"))
                #expect(page.contains("25 November 2026 at 09:46 (UK time)"))
                #expect(page.contains("href=\"/feedback\""))
            }
        }
    }
}
