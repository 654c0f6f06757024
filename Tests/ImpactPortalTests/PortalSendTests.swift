import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImpactPortal
import TableSchema
import TestSupport
import Testing

@testable import Impact

/// Sending a return through the portal: token, CSRF, limits, refusals, the receipt, and the next run.
@Suite(.serialized) struct PortalSendTests {
    static let now: Int64 = 1_795_600_000  // 2026-11-25 09:46:40 UTC, after every sample quarter

    /// A copy of SampleData's workspace (reference tables, settings, returns) in a temporary folder.
    final class Workspace: @unchecked Sendable {
        let folder = TemporaryFolder(prefix: "impact-portal")
        var path: String { folder.path + "/ws" }
        init() throws {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            for item in ["impact.yaml", "reference", "returns"] {
                try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData/" + item), toPath: path + "/" + item)
            }
        }
        func token(_ partner: String) throws -> String {
            try Store(path: path + "/" + Store.defaultRelativePath).createPartnerToken(partnerID: partner, now: PortalSendTests.now)
        }
        func portal(attempts: Int = 5) throws -> Portal {
            var options = Portal.Options(workspace: path)
            options.clock = { PortalSendTests.now }
            options.signInAttempts = attempts
            return try Portal(options: options)
        }
        func file(_ relative: String) throws -> [UInt8] {
            try #require(FileManager.default.contents(atPath: path + "/" + relative)).map { $0 }
        }
    }

    /// The send form's body, and its CSRF cookie.
    static func sendForm(
        token: String, csrf: String?, cookie: String?, files: [(String, [UInt8])], fields: [(String, String)] = []
    ) -> (HTTPFields, ByteBuffer) {
        let boundary = "----impact-send-test"
        var body: [UInt8] = []
        func field(_ name: String, _ value: String) {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let csrf { field("csrf", csrf) }
        field("token", token)
        for (name, value) in fields { field(name, value) }
        for (name, bytes) in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(name)\"\r\n\r\n".utf8)
            body += bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        if let cookie { headers[.cookie] = "impact_csrf=\(cookie)" }
        return (headers, ByteBuffer(bytes: body))
    }

    /// Opens the send form and returns the CSRF token it carries (in the page and the cookie).
    static func csrf(_ client: some TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/send", method: .get) { response in
            let page = String(buffer: response.body)
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let value = try #require(cookie.split(separator: ";").first?.split(separator: "=").last.map(String.init))
            #expect(page.contains("name=\"csrf\" value=\"\(value)\""))
            #expect(page.contains("<label for=\"token\">"))
            return value
        }
    }

    /// P001's three tables for 2025-Q3.
    static func p001Return(_ workspace: Workspace) throws -> [(String, [UInt8])] {
        return [
            ("P001-support.csv", try workspace.file("returns/2025-Q3/P001-support.csv")),
            ("P001-outcomes.csv", try workspace.file("returns/2025-Q3/P001-outcomes.csv")),
            ("P001-ripple.csv", try workspace.file("returns/2025-Q3/P001-ripple.csv")),
        ]
    }

    @Test("A partner sends a correct return: a receipt, the files in returns/<quarter>/, and the next run uses them")
    func sends() async throws {
        let workspace = try Workspace()
        let token = try workspace.token("P001")
        let app = Application(router: try workspace.portal().router())
        let files = try Self.p001Return(workspace)
        let receiptPage = try await app.test(.router) { client in
            let csrf = try await Self.csrf(client)
            let (headers, body) = Self.sendForm(token: token, csrf: csrf, cookie: csrf, files: files)
            return try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
        }
        #expect(receiptPage.contains("Your return has been sent"), "\(receiptPage.prefix(2_000))")
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        let receipts = try store.portalReceipts(in: "2025-Q3")
        #expect(receipts.count == 3)
        #expect(receipts.allSatisfy { $0.partnerID == "P001" && $0.receivedAt == Self.now })
        for receipt in receipts {
            #expect(receiptPage.contains(receipt.sha256), "the receipt shows each SHA-256")
            #expect(receiptPage.contains(receipt.reference))
            let written = try workspace.file(receipt.path)
            #expect(files.contains { $0.1 == written }, "\(receipt.path) holds exactly what was sent")
        }
        // The next run reads the sent files as P001's return, received when they were sent.
        let summary = try RunStage(
            options: RunOptions(
                workspace: workspace.path, quarter: Quarter("2025-Q3")!, out: workspace.folder.path + "/out",
                receivedOn: Int32(Quarter("2025-Q3")!.lastDay + 5), now: Self.now + 60)
        ).run()
        #expect(summary.returns.first { $0.partnerID == "P001" }?.verdict == .accepted)
        let ledger = try store.ledger(in: Quarter("2025-Q3")!).map(\.file.path)
        for receipt in receipts { #expect(ledger.contains(receipt.path), "\(receipt.path) is in the ledger") }
    }

    @Test("Refused: no CSRF token, a wrong token (then too many), another partner's rows, a return with errors")
    func refusals() async throws {
        let workspace = try Workspace()
        let token = try workspace.token("P001")
        let app = Application(router: try workspace.portal(attempts: 2).router())
        let files = try Self.p001Return(workspace)
        try await app.test(.router) { client in
            let csrf = try await Self.csrf(client)
            // No cookie: the form did not come from this page.
            var (headers, body) = Self.sendForm(token: token, csrf: csrf, cookie: nil, files: files)
            try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("did not come from this page"))
            }
            // Another partner's files with P001's token.
            let p003 = try ["support", "outcomes", "ripple"].map {
                ("P003-\($0).csv", try workspace.file("returns/2025-Q3/P003-\($0).csv"))
            }
            (headers, body) = Self.sendForm(token: token, csrf: csrf, cookie: csrf, files: p003)
            try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("your token is for P001"))
            }
            // A return with errors is not sent, and its problems are shown.
            let bad = try #require(FileManager.default.contents(atPath: TestPaths.repo("SampleData/invalid/type-error-support.csv")))
            let broken = [("support.csv", [UInt8](bad))]
            (headers, body) = Self.sendForm(token: token, csrf: csrf, cookie: csrf, files: broken)
            try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unprocessableContent)
                let page = String(buffer: response.body)
                #expect(page.contains("has errors") && page.contains("id=\"problems\""))
            }
            // Wrong tokens: refused, and after two the connection must wait.
            for attempt in 1...3 {
                (headers, body) = Self.sendForm(token: "not-the-token", csrf: csrf, cookie: csrf, files: files)
                try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == (attempt <= 2 ? .unauthorized : .tooManyRequests), "attempt \(attempt)")
                }
            }
        }
        // Nothing was written or recorded.
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        #expect(try store.portalReceipts(in: "2025-Q3").isEmpty)
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path + "/returns/2025-Q3")
        #expect(!names.contains { $0.contains("-2026") }, "\(names)")
    }

    @Test("A return sent again supersedes the one the last run accepted, as a resubmission does")
    func resendSupersedes() async throws {
        let workspace = try Workspace()
        let quarter = Quarter("2025-Q3")!
        func run(_ now: Int64) throws -> RunSummary {
            try RunStage(
                options: RunOptions(
                    workspace: workspace.path, quarter: quarter, out: workspace.folder.path + "/out",
                    receivedOn: Int32(quarter.lastDay + 5), now: now)
            ).run()
        }
        _ = try run(Self.now - 86_400)
        let token = try workspace.token("P001")
        let app = Application(router: try workspace.portal().router())
        // The same return with one person's sessions corrected (still valid).
        var files = try Self.p001Return(workspace)
        var support = String(decoding: files[0].1, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var cells = support[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[9] = "0"  // sessions_attended
        support[1] = cells.joined(separator: ",")
        files[0].1 = Array(support.joined(separator: "\n").utf8)
        let corrected = files
        try await app.test(.router) { client in
            let csrf = try await Self.csrf(client)
            let (headers, body) = Self.sendForm(token: token, csrf: csrf, cookie: csrf, files: corrected)
            try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body).prefix(1_500))")
            }
        }
        let summary = try run(Self.now + 60)
        #expect(summary.superseded == 1, "\(summary.returns)")
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        let p001 = try store.submissions(in: quarter).filter { $0.partnerID == "P001" }
        #expect(p001.map(\.verdict).sorted { $0.rawValue < $1.rawValue } == [.accepted, .superseded])
        let accepted = try #require(p001.first { $0.verdict == .accepted })
        #expect(accepted.isResubmission)
        #expect(accepted.files.contains { $0.hasPrefix("returns/2025-Q3/P001-support-") }, "\(accepted.files)")
    }

    @Test("A send larger than the limit is refused with its own message")
    func oversizedSend() async throws {
        let workspace = try Workspace()
        var options = Portal.Options(workspace: workspace.path)
        options.maxUploadBytes = 2_048
        let app = Application(router: try Portal(options: options).router())
        try await app.test(.router) { client in
            let csrf = try await Self.csrf(client)
            let (headers, body) = Self.sendForm(
                token: "x", csrf: csrf, cookie: csrf, files: [("big.csv", [UInt8](repeating: 0x41, count: 200_000))])
            try await client.execute(uri: "/send", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .contentTooLarge)
                #expect(String(buffer: response.body).contains("more than"))
            }
        }
    }

    @Test("Tokens: only the hash is stored, a revoked token stops working")
    func tokens() throws {
        let workspace = try Workspace()
        let store = try Store(path: workspace.path + "/" + Store.defaultRelativePath)
        let token = try store.createPartnerToken(partnerID: "P002", now: Self.now)
        #expect(token.count == 43)
        #expect(try store.partner(forToken: token) == "P002")
        #expect(try store.partner(forToken: token + "x") == nil)
        let bytes = try #require(FileManager.default.contents(atPath: workspace.path + "/" + Store.defaultRelativePath))
        #expect(bytes.range(of: Data(token.utf8)) == nil, "the token itself is not in the database")
        #expect(try store.revokePartnerTokens(partnerID: "P002", now: Self.now) == 1)
        #expect(try store.partner(forToken: token) == nil)
    }
}
