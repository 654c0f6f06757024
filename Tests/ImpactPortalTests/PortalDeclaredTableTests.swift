import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import Impact
@testable import ImpactPortal

/// The portal checks a table the workspace declares in impact.yaml as it checks the built-in ones, and
/// explains it in the guide and the templates.
@Suite struct PortalDeclaredTableTests {
    @Test("A referrals file with a bad cell is checked on the portal; the guide and templates include the table")
    func declaredTable() async throws {
        let folder = TemporaryFolder()
        let workspace = try DeclaredTableWorkspace.make(in: folder)
        let app = Application(router: try Portal(options: Portal.Options(workspace: workspace)).router())
        let csv = DeclaredTableWorkspace.referrals("P001", "2026-Q2", count: 2) + "P001,2026-Q2,RF0003,postman,accepted,2026-05-05\n"
        let (headers, body) = PortalRouteTests.form(files: [("P001-referrals.csv", Array(csv.utf8))])
        try await app.test(.router) { client in
            try await client.execute(uri: "/check", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                let page = PortalRouteTests.text(response)
                #expect(page.contains("role=\"alert\""), "an error summary")
                #expect(page.contains("postman"))
                #expect(page.contains("Row 4, column D (source)"), "\(page.prefix(4_000))")
            }
            try await client.execute(uri: "/guide", method: .get) { response in
                let page = PortalRouteTests.text(response)
                #expect(page.contains("referral_ref"))
            }
            try await client.execute(uri: "/templates", method: .get) { response in
                #expect(PortalRouteTests.text(response).contains("href=\"/templates/referrals.csv\""))
            }
            try await client.execute(uri: "/templates/referrals.csv", method: .get) { response in
                #expect(response.status == .ok)
                #expect(PortalRouteTests.text(response).hasPrefix("partner_id,quarter,referral_ref,source,outcome,received_on"))
            }
        }
    }
}
