import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import Impact
@testable import ImpactPortal

/// Every route of the partner portal over HTTP (Hummingbird's router test client), with SampleData as
/// the workspace: the form, checks of good and broken returns, limits, refusals and headers.
@Suite struct PortalRouteTests {
    static let workspace = TestPaths.repo("SampleData")

    /// A portal over a copy of SampleData (the portal keeps its store in the workspace; the copy keeps
    /// SampleData untouched and the tests apart).
    static func portal(_ configure: (inout Portal.Options) -> Void = { _ in }) throws -> Portal {
        let copy = try PortalSendTests.Workspace()
        var options = Portal.Options(workspace: copy.path)
        configure(&options)
        let portal = try Portal(options: options)
        copies.keep(copy)
        return portal
    }

    /// The copies, kept until the process ends.
    static let copies = Keeper()

    /// Holds values from any thread.
    final class Keeper: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [AnyObject] = []
        func keep(_ value: AnyObject) { lock.withLock { values.append(value) } }
    }

    /// A multipart/form-data body as a browser sends it.
    static func form(
        files: [(name: String, bytes: [UInt8])], pasted: String? = nil, boundary: String = "----impact-test-7MA4YWxk"
    )
        -> (headers: HTTPFields, body: ByteBuffer)
    {
        var body: [UInt8] = []
        func add(_ text: String) { body += Array(text.utf8) }
        for file in files {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(file.name)\"\r\n")
            add("Content-Type: text/csv\r\n\r\n")
            body += file.bytes
            add("\r\n")
        }
        add("--\(boundary)\r\nContent-Disposition: form-data; name=\"pasted\"\r\n\r\n\(pasted ?? "")\r\n--\(boundary)--\r\n")
        var headers = HTTPFields()
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return (headers, ByteBuffer(bytes: body))
    }

    static func sample(_ relative: String) throws -> [UInt8] {
        try #require(FileManager.default.contents(atPath: TestPaths.repo("SampleData/" + relative))).map { $0 }
    }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    @Test("The form page has labelled inputs, a heading and the security headers")
    func home() async throws {
        let app = Application(router: try Self.portal().router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let page = Self.text(response)
                #expect(page.contains("<h1>Check your quarterly return</h1>"))
                #expect(page.contains("<label for=\"files\">") && page.contains("id=\"files\""))
                #expect(page.contains("<label for=\"pasted\">") && page.contains("id=\"pasted\""))
                #expect(page.contains("lang=\"en-GB\""))
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[.cacheControl] == "no-store")
            }
        }
    }

    @Test("A broken return: every problem in the summary, linked to its place, shown on the partner's own rows")
    func brokenReturn() async throws {
        let app = Application(router: try Self.portal().router())
        let (headers, body) = Self.form(files: [("type-error-support.csv", try Self.sample("invalid/type-error-support.csv"))])
        try await app.test(.router) { client in
            try await client.execute(uri: "/check", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                let page = Self.text(response)
                #expect(page.contains("role=\"alert\""), "an error summary at the top")
                #expect(page.contains("<a href=\"#p1\">"), "the summary links to the first problem")
                // Every problem shown is linked from the summary, not only each group's first.
                let anchors = page.matches(of: /id="(p[0-9]+)"/).map { String($0.1) }
                #expect(anchors.count > 1)
                for anchor in anchors { #expect(page.contains("<a href=\"#\(anchor)\">"), "\(anchor) linked") }
                #expect(page.contains("More about this kind of problem") && !page.contains("More about <code>"))
                #expect(page.contains("id=\"p1\""))
                #expect(page.contains("A value is not the kind the column needs"))
                #expect(page.contains("How to fix:"))
                #expect(page.contains("<td class=\"bad\">"), "the bad cell is marked on the grid")
                #expect(page.range(of: #"<th scope="col">[A-Z]+</th>"#, options: .regularExpression) != nil, "column letters")
                #expect(page.range(of: #"<th scope="row">[0-9]+</th>"#, options: .regularExpression) != nil, "row numbers")
                #expect(page.contains("/guide#field-"), "a link to the field's description")
                #expect(
                    page.contains("Row 3, column I (sessions_offered): Expected a whole number"),
                    "the place is said once, with the column's letter")
                // The summary comes before the first problem.
                let summary = try #require(page.range(of: "role=\"alert\""))
                let first = try #require(page.range(of: "id=\"p1\""))
                #expect(summary.lowerBound < first.lowerBound)
            }
        }
    }

    @Test("A group of errors and warnings counts them apart, each problem says which it is, and the title says there is an error")
    func errorsAndWarningsApart() async throws {
        let app = Application(router: try Self.portal().router())
        var lines = String(decoding: try Self.sample("returns/2025-Q3/P001-support.csv"), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
        let header = lines[0]
        let status = try #require(header.firstIndex(of: "support_status"))
        let ending = try #require(header.firstIndex(of: "ending_type"))
        let offered = try #require(header.firstIndex(of: "sessions_offered"))
        let attended = try #require(header.firstIndex(of: "sessions_attended"))
        // Row 2: more sessions attended than offered (an error); rows 3 and 4: an ending type while active (warnings).
        #expect(lines[1][status] == "active" && lines[2][status] == "active" && lines[3][status] == "active")
        lines[1][attended] = String((Int(lines[1][offered]) ?? 0) + 5)
        lines[2][ending] = "planned"
        lines[3][ending] = "planned"
        let csv = lines.map { $0.joined(separator: ",") }.joined(separator: "\n")
        let (headers, body) = Self.form(files: [("P001-support.csv", Array(csv.utf8))])
        try await app.test(.router) { client in
            try await client.execute(uri: "/check", method: .post, headers: headers, body: body) { response in
                let page = Self.text(response)
                #expect(page.contains("Two values in a row do not agree: 1 error and 2 warnings</h3>"), "\(page.prefix(4_000))")
                #expect(page.components(separatedBy: "<strong class=\"severity\">Warning:</strong>").count - 1 == 2)
                #expect(page.components(separatedBy: "<strong class=\"severity\">Error:</strong>").count - 1 == 1)
                #expect(page.contains("<title>Error: 1 error to fix"))
                // A message that opens with a field name keeps it as written, not "Sessions_attended".
                #expect(page.contains("sessions_attended (") && !page.contains("Sessions_attended"))
                #expect(page.contains("ending_type is planned") && !page.contains("Ending_type"))
            }
        }
    }

    @Test("Only the checking pages say files are not kept; the grid scrolls sideways in its own region on a phone")
    func notKeptAndNarrowScreens() async throws {
        let app = Application(router: try Self.portal().router())
        let (headers, body) = Self.form(files: [("type-error-support.csv", try Self.sample("invalid/type-error-support.csv"))])
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(Self.text(response).contains(HTML.checkedNotKept))
            }
            try await client.execute(uri: "/send", method: .get) { response in
                #expect(response.status == .ok)
                #expect(!Self.text(response).contains("not kept"))
            }
            try await client.execute(uri: "/check", method: .post, headers: headers, body: body) { response in
                let page = Self.text(response)
                #expect(page.contains(HTML.checkedNotKept))
                #expect(page.contains("<div class=\"grid\" role=\"region\" tabindex=\"0\" aria-label=\"Your rows around row"))
            }
            try await client.execute(uri: "/style.css", method: .get) { response in
                // Cells keep their words whole (no wrapping anywhere): the region scrolls instead.
                #expect(Self.text(response).contains(".grid th, .grid td { white-space: nowrap; overflow-wrap: normal; max-width: none; }"))
            }
        }
    }

    @Test("A good return: no errors")
    func goodReturn() async throws {
        let app = Application(router: try Self.portal().router())
        let files = try ["support", "outcomes", "ripple"].map { table in
            ("P001-\(table).csv", try Self.sample("returns/2025-Q3/P001-\(table).csv"))
        }
        let (headers, body) = Self.form(files: files)
        try await app.test(.router) { client in
            try await client.execute(uri: "/check", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                let page = Self.text(response)
                #expect(page.contains("no errors"), "\(page.prefix(3_000))")
            }
        }
    }

    @Test("Pasted CSV is checked like a file")
    func pasted() async throws {
        let app = Application(router: try Self.portal().router())
        let csv = String(decoding: try Self.sample("invalid/constraint-error-support.csv"), as: UTF8.self)
        let (headers, body) = Self.form(files: [], pasted: csv)
        try await app.test(.router) { client in
            try await client.execute(uri: "/check", method: .post, headers: headers, body: body) { response in
                let page = Self.text(response)
                #expect(page.contains("pasted.csv"))
                #expect(page.contains("A value is outside what the column allows"))
            }
        }
    }

    @Test("Partner text is escaped: a cell holding HTML shows as text")
    func escaping() async throws {
        let app = Application(router: try Self.portal().router())
        let header = String(decoding: try Self.sample("invalid/type-error-support.csv"), as: UTF8.self).split(separator: "\n")[0]
        let csv = "\(header)\nP001,2026-Q2,<script>alert(1)</script>,counselling,active,2026-04-01,,,4,3,,\n"
        let (headers, body) = Self.form(files: [("<img src=x onerror=alert(1)>.csv", Array(csv.utf8))])
        try await app.test(.router) { client in
            try await client.execute(uri: "/check", method: .post, headers: headers, body: body) { response in
                let page = Self.text(response)
                #expect(!page.contains("<script>alert(1)</script>"))
                #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(!page.contains("<img src=x"))
            }
        }
    }

    @Test("Refusals: too large, too many files, nothing chosen, not a form")
    func refusals() async throws {
        let app = Application(
            router: try Self.portal {
                $0.maxUploadBytes = 4_096
                $0.maxFiles = 2
            }.router())
        try await app.test(.router) { client in
            let big = Self.form(files: [("big.csv", [UInt8](repeating: 0x41, count: 200_000))])
            try await client.execute(uri: "/check", method: .post, headers: big.headers, body: big.body) { response in
                #expect(response.status == .contentTooLarge)
                #expect(Self.text(response).contains("too large"))
            }
            let many = Self.form(files: (1...3).map { ("f\($0).csv", Array("a,b\n1,2\n".utf8)) })
            try await client.execute(uri: "/check", method: .post, headers: many.headers, body: many.body) { response in
                #expect(response.status == .badRequest)
                #expect(Self.text(response).contains("more than 2 files"))
            }
            let none = Self.form(files: [])
            try await client.execute(uri: "/check", method: .post, headers: none.headers, body: none.body) { response in
                #expect(response.status == .badRequest)
                #expect(Self.text(response).contains("Choose at least one file"))
            }
            var plain = HTTPFields()
            plain[.contentType] = "text/plain"
            try await client.execute(uri: "/check", method: .post, headers: plain, body: ByteBuffer(string: "hello")) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("A file name with folders in it is cut to its last part")
    func fileNames() {
        #expect(UploadedFile(name: "../../etc/passwd", bytes: []).name == "passwd")
        #expect(UploadedFile(name: "C:\\Users\\a\\P001-support.csv", bytes: []).name == "P001-support.csv")
        #expect(UploadedFile(name: "..", bytes: []).name == "return.csv")
    }

    @Test("The field guide and the templates come from the schemas")
    func guideAndTemplates() async throws {
        let portal = try Self.portal()
        let app = Application(router: portal.router())
        let schemas = try SchemaSet.resolve(folder: nil, workspace: Self.workspace)
        try await app.test(.router) { client in
            try await client.execute(uri: "/guide", method: .get) { response in
                let page = Self.text(response)
                for table in SchemaSet.builtInReturnTables {
                    for field in schemas[table]?.fields ?? [] {
                        #expect(page.contains("id=\"field-\(field.name)\""), "\(table).\(field.name)")
                    }
                }
                #expect(page.contains("id=\"code-type-error\""))
            }
            try await client.execute(uri: "/templates/support.csv", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                #expect(Self.text(response) == (schemas["support"]?.fields.map(\.name).joined(separator: ",") ?? "") + "\r\n")
            }
            try await client.execute(uri: "/templates/partners.csv", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/templates/..%2F..%2Fimpact.yaml", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/style.css", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/css") == true)
            }
            try await client.execute(uri: "/templates", method: .get) { response in
                let page = Self.text(response)
                for table in SchemaSet.builtInReturnTables { #expect(page.contains("href=\"/templates/\(table).csv\"")) }
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Self.text(response) == "ok\n")
            }
            try await client.execute(uri: "/no-such-page", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "headers on refusals too")
            }
        }
    }
}

/// The per-request deadline on a body's arrival.
@Suite struct DeadlineTests {
    @Test("An operation that finishes in time gives its result")
    func inTime() async throws {
        #expect(try await Deadline.run(within: .seconds(30)) { 42 } == 42)
    }

    @Test("An operation that does not finish in time is stopped")
    func tooSlow() async throws {
        let cancelled = Flag()
        await #expect(throws: Deadline.Passed.self) {
            try await Deadline.run(within: .milliseconds(50)) {
                do {
                    try await Task.sleep(for: .seconds(30))
                } catch is CancellationError {
                    cancelled.set()
                    throw CancellationError()
                }
                return 0
            }
        }
        #expect(cancelled.value, "the slow operation was cancelled, not waited for")
    }

    /// A flag set from another task.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var isSet = false
        func set() { lock.withLock { isSet = true } }
        var value: Bool { lock.withLock { isSet } }
    }
}

/// Times as the portal writes them: in sent files' names and on the receipt.
@Suite struct PortalTimeTests {
    @Test func fileNameStampAndReceiptTime() {
        #expect(ReturnSender.stamp(1_795_600_000) == "20261125-094640")
        #expect(Pages.utc(1_795_600_000) == "2026-11-25 at 09:46 UTC")
        #expect(ReturnSender.stamp(0) == "19700101-000000")
    }
}

/// Returns sent as Excel workbooks through the portal.
@Suite struct PortalWorkbookTests {
    @Test("The Excel template downloads, and a filled-in workbook is checked with its problems placed by sheet and cell")
    func workbook() async throws {
        let portal = try PortalRouteTests.portal()
        let app = Application(router: portal.router())
        #expect(portal.excelTemplate.starts(with: [0x50, 0x4B]))
        let workbook = try PortalRouteTests.sample("../Tests/Fixtures/workbooks/libreoffice-type-error.xlsx")
        let (headers, body) = PortalRouteTests.form(files: [("P003.xlsx", workbook)])
        try await app.test(.router) { client in
            try await client.execute(uri: "/templates/return.xlsx", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                #expect(Array(buffer: response.body).starts(with: [0x50, 0x4B]))
            }
            try await client.execute(uri: "/templates", method: .get) { response in
                #expect(PortalRouteTests.text(response).contains("href=\"/templates/return.xlsx\""))
            }
            try await client.execute(uri: "/check", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                let page = PortalRouteTests.text(response)
                #expect(page.contains("Sheet support, cell I3 (sessions_offered): Expected a whole number"), "\(page.prefix(4_000))")
                #expect(!page.contains("support!I3"), "the place is said once")
                #expect(page.contains("Your rows around row 3 of sheet support"), "the problem is shown among the partner's rows")
                #expect(page.contains("<td class=\"bad\">"), "the bad cell is marked on the grid")
                #expect(page.contains("twelve"), "the cell's own value is on the grid")
            }
        }
    }
}
