import Foundation
import HTTPTypes
import Hummingbird
import Impact
import NIOCore

// MARK: - Feedback routes

extension Portal {
    /// The cookie of a signed-in partner's session (feedback pages only).
    static let sessionCookie = "impact_session"
    /// The cookie that carries the feedback sign-in form's CSRF token.
    static let feedbackCSRFCookie = "impact_feedback_csrf"
    /// The largest reply form accepted.
    static let maxReplyBytes = 64 * 1024

    /// The feedback routes: sign in with the partner token, list the quarters, read a quarter's feedback and
    /// reply section by section, sign out. Every page is the signed-in partner's own: no address names a partner.
    func addFeedbackRoutes(to router: Router<PortalContext>) {
        let pages = self.pages
        let options = self.options
        let sessions = self.sessions
        let limiter = self.limiter
        let store = sender.store

        @Sendable func signIn(problem: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
            let csrf = Self.randomToken()
            var response = Self.html(pages.feedbackSignIn(csrf: csrf, problem: problem), status: status)
            response.headers[.setCookie] = "\(Self.feedbackCSRFCookie)=\(csrf); Path=/feedback; HttpOnly; SameSite=Strict"
            return response
        }
        @Sendable func redirect(_ location: String, cookie: String? = nil) -> Response {
            var headers = HTTPFields()
            headers[.location] = location
            headers[.cacheControl] = "no-store"
            if let cookie { headers[.setCookie] = cookie }
            return Response(status: .seeOther, headers: headers)
        }
        @Sendable func session(_ request: Request) async -> (id: String?, partnerID: String, csrf: String)? {
            let id = Self.cookie(Self.sessionCookie, in: request.headers[.cookie])
            guard let found = await sessions.session(id, now: Double(options.clock())) else { return nil }
            return (id, found.partnerID, found.csrf)
        }
        @Sendable func unavailable(_ error: any Error) -> Response {
            Self.html(
                pages.problem(
                    title: "Feedback unavailable", message: "The workspace could not be read (\(error)). Please tell the impact lead."),
                status: .internalServerError)
        }

        router.get("/feedback") { request, _ -> Response in
            guard let current = await session(request) else { return signIn() }
            do {
                let quarters = try store.feedbackQuarters(partnerID: current.partnerID)
                return Self.html(pages.feedbackList(partnerID: current.partnerID, quarters: quarters, csrf: current.csrf))
            } catch {
                return unavailable(error)
            }
        }
        router.post("/feedback/sign-in") { request, context -> Response in
            guard let fields = await Self.urlEncodedForm(request) else {
                return signIn(problem: "The sign-in form did not arrive whole. Try again.", status: .badRequest)
            }
            let cookie = Self.cookie(Self.feedbackCSRFCookie, in: request.headers[.cookie])
            guard let sent = fields["csrf"], let cookie, Secrets.constantTimeEqual(sent, cookie) else {
                return signIn(problem: "This form has expired or did not come from this page. Sign in again.", status: .forbidden)
            }
            let now = options.clock()
            guard await limiter.allows(context.remoteAddress, now: Double(now)) else {
                return signIn(
                    problem:
                        "Too many wrong tokens from your connection. Wait 15 minutes, then try again, or ask the impact lead for help.",
                    status: .tooManyRequests)
            }
            let partnerID: String?
            do {
                partnerID = try store.partner(forToken: fields["token"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
            } catch {
                return unavailable(error)
            }
            guard let partnerID else {
                await limiter.fail(context.remoteAddress, now: Double(now))
                context.logger.notice("a feedback sign-in with an unknown token was refused")
                return signIn(problem: SendRefusal.unknownToken.description, status: .unauthorized)
            }
            let id = await sessions.start(partnerID: partnerID, now: Double(now))
            return redirect("/feedback", cookie: "\(Self.sessionCookie)=\(id); Path=/feedback; HttpOnly; SameSite=Strict")
        }
        router.post("/feedback/sign-out") { request, _ -> Response in
            if let current = await session(request), let fields = await Self.urlEncodedForm(request),
                let sent = fields["csrf"], Secrets.constantTimeEqual(sent, current.csrf)
            {
                await sessions.end(current.id)
            }
            return redirect("/feedback", cookie: "\(Self.sessionCookie)=; Path=/feedback; HttpOnly; SameSite=Strict; Max-Age=0")
        }
        router.get("/feedback/:quarter") { request, context -> Response in
            guard let current = await session(request) else {
                return signIn(problem: "Sign in with your partner token to read your feedback.", status: .unauthorized)
            }
            let quarter = context.parameters.get("quarter") ?? ""
            return Self.feedbackPage(
                pages: pages, store: store, partnerID: current.partnerID, quarter: quarter, csrf: current.csrf,
                notice: request.uri.queryParameters.get("replied") == nil ? nil : "Your reply was sent to the impact lead.")
        }
        router.post("/feedback/:quarter/reply") { request, context -> Response in
            guard let current = await session(request) else {
                return signIn(problem: "Sign in with your partner token to reply to your feedback.", status: .unauthorized)
            }
            let quarter = context.parameters.get("quarter") ?? ""
            guard let fields = await Self.urlEncodedForm(request), let sent = fields["csrf"],
                Secrets.constantTimeEqual(sent, current.csrf)
            else {
                return Self.html(
                    pages.problem(
                        title: "Reply not sent", message: "This form has expired or did not come from this page. Open your feedback again."),
                    status: .forbidden)
            }
            let markdown: String?
            do {
                markdown = try store.feedbackPage(partnerID: current.partnerID, quarter: quarter)
            } catch {
                return unavailable(error)
            }
            // Only a section the page has: the reply is about the partner's own page, never another.
            let section = fields["section"] ?? ""
            guard let markdown, MarkdownHTML.sections(markdown).contains(where: { $0.heading == section }) else {
                return Self.html(
                    pages.problem(title: "Page not found", message: "There is no feedback of yours for that quarter and section."),
                    status: .notFound)
            }
            do {
                try store.recordFeedbackMessage(
                    partnerID: current.partnerID, quarter: quarter, section: section, author: .partner, name: current.partnerID,
                    body: fields["reply"] ?? "", at: options.clock())
            } catch let error as FeedbackRecordError {
                return Self.feedbackPage(
                    pages: pages, store: store, partnerID: current.partnerID, quarter: quarter, csrf: current.csrf,
                    notice: "Your reply was not sent: \(error.description).", status: .unprocessableContent)
            } catch {
                return unavailable(error)
            }
            context.logger.info("a partner replied to its feedback", metadata: ["partner": "\(current.partnerID)"])
            return redirect("/feedback/\(quarter)?replied=1#\(MarkdownHTML.anchor(section))")
        }
    }

    /// A quarter's feedback page for a partner, or a page saying there is none.
    static func feedbackPage(
        pages: Pages, store: Store, partnerID: String, quarter: String, csrf: String, notice: String?,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        do {
            guard let markdown = try store.feedbackPage(partnerID: partnerID, quarter: quarter) else {
                return html(
                    pages.problem(
                        title: "Page not found", message: "There is no feedback of yours for that quarter. Choose one from your list."),
                    status: .notFound)
            }
            let messages = try store.feedbackMessages(partnerID: partnerID, quarter: quarter)
            let actions = try store.feedbackActions(partnerID: partnerID)
            return html(
                pages.feedbackPage(
                    partnerID: partnerID, quarter: quarter, markdown: markdown, messages: messages, actions: actions, csrf: csrf,
                    notice: notice), status: status)
        } catch {
            return html(
                pages.problem(
                    title: "Feedback unavailable", message: "The workspace could not be read (\(error)). Please tell the impact lead."),
                status: .internalServerError)
        }
    }

    /// A request's `application/x-www-form-urlencoded` body, or nil when it is too large or not one.
    static func urlEncodedForm(_ request: Request) async -> [String: String]? {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true,
            let body = try? await request.body.collect(upTo: maxReplyBytes)
        else { return nil }
        return URLEncodedForm.parse(String(buffer: body))
    }
}
