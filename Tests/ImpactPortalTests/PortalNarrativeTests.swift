import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImpactPortal
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// The narrative typed into the portal's boxes: checked with the files, sent as the return's narrative file,
/// kept in the boxes when a send is refused, and read by the next run.
@Suite(.serialized) struct PortalNarrativeTests {
    static let boxes: [(String, String)] = [
        ("highlights", "Typed on the portal.\r\n\r\nA second paragraph, with \"quotes\", commas."),
        ("challenges", "Rooms."), ("what_would_help", ""),
    ]

    @Test("The check and send forms have three labelled narrative boxes")
    func boxesOnTheForms() async throws {
        let workspace = try PortalSendTests.Workspace()
        let app = Application(router: try workspace.portal().router())
        try await app.test(.router) { client in
            for uri in ["/", "/send"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let page = String(buffer: response.body)
                    for field in ["highlights", "challenges", "what_would_help"] {
                        #expect(page.contains("<label for=\"\(field)\">"), "\(uri): \(field)")
                        #expect(page.contains("<textarea id=\"\(field)\" name=\"\(field)\""), "\(uri): \(field)")
                    }
                    #expect(page.contains("<legend>Your narrative (optional)</legend>"))
                }
            }
        }
    }

    @Test("A check takes the boxes as the narrative of the files' partner and quarter, and checks it like a file")
    func checked() async throws {
        let workspace = try PortalSendTests.Workspace()
        let app = Application(router: try workspace.portal().router())
        let files = try PortalSendTests.p001Return(workspace)
        try await app.test(.router) { client in
            var (headers, body) = PortalSendTests.sendForm(
                token: "", csrf: nil, cookie: nil, files: files, fields: Self.boxes)
            try await client.execute(uri: "/check", method: .post, headers: headers, body: body) { response in
                let page = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(page.contains("narrative (typed on the portal).csv"), "\(page.prefix(3_000))")
                #expect(page.contains("no errors"))
            }
            // A way to reach someone is a warning, on the box's column; the text itself is not repeated.
            (headers, body) = PortalSendTests.sendForm(
                token: "", csrf: nil, cookie: nil, files: files, fields: [("challenges", "Call 07700 900123 about it.")])
            try await client.execute(uri: "/check", method: .post, headers: headers, body: body) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("challenges"))
                #expect(page.contains("looks like an email address, a phone number or a postcode"))
            }
        }
    }

    @Test("A send writes the boxes as the return's narrative file; a refused send keeps what was typed")
    func sent() async throws {
        let workspace = try PortalSendTests.Workspace()
        let token = try workspace.token("P001")
        let app = Application(router: try workspace.portal().router())
        // P001's 2025-Q3 tables without its narrative file: the boxes give it.
        try FileManager.default.removeItem(atPath: workspace.path + "/returns/2025-Q3/P001-narrative.csv")
        let files = try PortalSendTests.p001Return(workspace)
        try await app.test(.router) { client in
            let csrf = try await PortalSendTests.csrf(client)
            // A wrong token: refused, and the boxes come back filled in.
            var (headers, body) = PortalSendTests.sendForm(
                token: "wrong", csrf: csrf, cookie: csrf, files: files, fields: Self.boxes)
            try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unauthorized)
                let page = String(buffer: response.body)
                #expect(page.contains("Typed on the portal."))
                #expect(page.contains("A second paragraph, with &quot;quotes&quot;, commas.</textarea>"))
            }
            (headers, body) = PortalSendTests.sendForm(token: token, csrf: csrf, cookie: csrf, files: files, fields: Self.boxes)
            try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("Your return has been sent"))
            }
        }
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        let receipts = try store.portalReceipts(in: "2025-Q3")
        let narrative = try #require(receipts.first { $0.path.contains("P001-narrative-") })
        #expect(receipts.count == 4)
        let written = String(decoding: try workspace.file(narrative.path), as: UTF8.self)
        #expect(written.hasPrefix("partner_id,quarter,highlights,challenges,what_would_help\n\"P001\",\"2025-Q3\",\"Typed on the portal."))
        // The next run reads it as P001's narrative.
        let out = workspace.folder.path + "/out"
        let summary = try RunStage(
            options: RunOptions(
                workspace: workspace.path, quarter: Quarter("2025-Q3")!, out: out,
                receivedOn: Int32(Quarter("2025-Q3")!.lastDay + 5), now: PortalSendTests.now + 60)
        ).run()
        #expect(summary.returns.first { $0.partnerID == "P001" }?.verdict == .accepted)
        let feedback = try String(contentsOfFile: out + "/2025-Q3/feedback/P001.md", encoding: .utf8)
        #expect(feedback.contains("> Typed on the portal.\n>\n> A second paragraph, with \"quotes\", commas."))
    }

    @Test("A story sent through the portal is checked, written with the return, and reaches the partner's feedback")
    func storySent() async throws {
        let workspace = try PortalSendTests.Workspace()
        let token = try workspace.token("P001")
        let app = Application(router: try workspace.portal().router())
        try FileManager.default.removeItem(atPath: workspace.path + "/returns/2025-Q3/P001-stories.csv")
        let story = Array(
            """
            partner_id,quarter,story_id,title,text,outcome_ids,consent
            P001,2025-Q3,S9,Told on the portal,"She came to the walking group, then the peer circle, and now helps run it.",OG05,quote

            """.utf8)
        let files = try PortalSendTests.p001Return(workspace) + [("stories.csv", story)]
        try await app.test(.router) { client in
            let csrf = try await PortalSendTests.csrf(client)
            let (headers, body) = PortalSendTests.sendForm(token: token, csrf: csrf, cookie: csrf, files: files)
            try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body).prefix(2_000))")
            }
        }
        let receipts = try Store(path: workspace.path + "/" + Store.defaultRelativePath).portalReceipts(in: "2025-Q3")
        #expect(receipts.contains { $0.path.contains("P001-stories-") })
        let out = workspace.folder.path + "/out"
        _ = try RunStage(
            options: RunOptions(
                workspace: workspace.path, quarter: Quarter("2025-Q3")!, out: out,
                receivedOn: Int32(Quarter("2025-Q3")!.lastDay + 5), now: PortalSendTests.now + 60)
        ).run()
        let feedback = try String(contentsOfFile: out + "/2025-Q3/feedback/P001.md", encoding: .utf8)
        #expect(feedback.contains("- S9, \"Told on the portal\": may be quoted with the partner's name;"))
        let report = try String(contentsOfFile: out + "/2025-Q3/impact-report.md", encoding: .utf8)
        #expect(report.contains("| Bothy Light Counselling (P001) | S9 | Told on the portal | quote |"))
    }
}
