import Foundation
import HTTPTypes
import Hummingbird
import Impact
import Logging
import NIOCore
import TableSchema

/// The partner portal: a web page where a partner checks a return before sending it.
///
/// Built from a workspace (its schemas, reference tables and settings); `impact serve` runs it. Every
/// route's HTML is made by ``Pages``; checks run through ``ReturnCheck`` in memory.
public struct Portal: Sendable {
    /// What the portal serves and its limits.
    public struct Options: Sendable {
        /// The workspace folder.
        public var workspace: String
        /// A schemas folder overriding the workspace's and the built-in ones.
        public var schemas: String?
        /// The largest request body accepted (all files together).
        public var maxUploadBytes = 10 * 1024 * 1024
        /// The most files in one check.
        public var maxFiles = 10
        /// How long a connection may stay idle before it is closed.
        public var idleTimeout: TimeAmount = .seconds(30)
        /// How long a request's body may take to arrive in all, however it trickles in.
        public var bodyDeadline: Duration = .seconds(120)
        /// Failed sign-ins allowed per client address in 15 minutes.
        public var signInAttempts = 5
        /// The time now, in seconds since 1970 (tests fix it).
        public var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

        /// Options for a workspace; the limits have defaults.
        public init(workspace: String) {
            self.workspace = workspace
        }
    }

    /// The options in force.
    public let options: Options
    /// The pages, with the workspace's schemas and programme name.
    public private(set) var pages: Pages
    /// The check, with the workspace's reference tables loaded once.
    public let check: ReturnCheck
    /// Sends checked returns into the workspace.
    public let sender: ReturnSender
    /// Failed sign-ins by client address.
    public let limiter: SignInLimiter
    /// Partners signed in to read and answer their feedback.
    public let sessions = PartnerSessions()
    /// What refused sends keep for a while.
    public let held = HeldReturns()
    /// The Excel template (`impact template` for no partner or quarter), made once at start.
    public let excelTemplate: [UInt8]

    /// Loads the workspace's schemas, settings and reference tables.
    public init(options: Options) throws(ImpactError) {
        self.options = options
        let workspace = try Workspace.load(folder: options.workspace, schemas: options.schemas, requireReferences: true)
        var validation = ValidationOptions(workspace: workspace)
        validation.limits.maxFileBytes = options.maxUploadBytes
        self.check = ReturnCheck(stage: ValidationStage(options: validation))
        let store: Store
        do {
            store = try Store(path: workspace.path(Store.defaultRelativePath))
        } catch {
            throw .store(error)
        }
        self.sender = ReturnSender(workspace: options.workspace, store: store, check: check)
        self.excelTemplate = try Self.makeExcelTemplate(workspace: workspace)
        self.limiter = SignInLimiter(limit: options.signInAttempts)
        self.pages = Pages(
            programme: workspace.settings.programme, schemas: workspace.schemas, maxUploadBytes: options.maxUploadBytes,
            maxFiles: options.maxFiles)
        self.pages.dueDays = workspace.settings.dueDays
        self.pages.contact = workspace.settings.contact
    }

    /// Writes the workspace's Excel template (from the workspace already loaded) to a temporary file and reads
    /// it back.
    static func makeExcelTemplate(workspace: Workspace) throws(ImpactError) -> [UInt8] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "impact-portal-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let path = folder.appendingPathComponent(Pages.excelTemplateName).path
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .unwritablePath(folder.path, reason: "the portal's template cannot be made (\(error))")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = TemplateOptions(created: Date(timeIntervalSince1970: TimeInterval(RunOptions.currentTime())))
        try TemplateBuilder.forWorkspace(workspace, options: options).write(to: path)
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw .unreadablePath(path, reason: "the portal's template was written but cannot be read back")
        }
        return Array(bytes)
    }

    // MARK: - Routes

    /// The routes: the form, the check, the field guide, the templates, the style sheet.
    public func router() -> Router<PortalContext> {
        let router = Router(context: PortalContext.self)
        router.add(middleware: SecurityHeaders())
        let pages = self.pages
        let check = self.check
        let options = self.options
        router.get("/") { _, _ in Self.html(pages.home()) }
        router.get("/guide") { _, _ in Self.html(pages.guide()) }
        router.get("/templates") { _, _ in Self.html(pages.templates()) }
        let excelTemplate = self.excelTemplate
        router.get("/templates/:file") { _, context in
            let file = context.parameters.get("file") ?? ""
            if file == Pages.excelTemplateName {
                var headers = HTTPFields()
                headers[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                headers[.contentDisposition] = "attachment; filename=\"\(file)\""
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: excelTemplate)))
            }
            guard file.hasSuffix(".csv"), let csv = pages.template(String(file.dropLast(4))) else {
                return Self.html(
                    pages.problem(title: "Page not found", message: "There is no template called that. Choose one from the list."),
                    status: .notFound)
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"\(file)\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: csv)))
        }
        router.get("/style.css") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/css; charset=utf-8"
            headers[.cacheControl] = "max-age=3600"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: HTML.styleSheet)))
        }
        router.get("/health") { _, _ in "ok\n" }
        addFeedbackRoutes(to: router)
        // Every other address: a page that says so, with the same headers as the rest.
        for method in [HTTPRequest.Method.get, .post, .head] {
            router.on("**", method: method) { _, _ in
                Self.html(
                    pages.problem(title: "Page not found", message: "There is no page at that address. Start from the check page."),
                    status: .notFound)
            }
        }
        router.post("/check") { request, context -> Response in
            let parsed: CheckRequest
            switch await Self.form(of: request, options: options) {
            case .success(let form): parsed = form
            case .failure(let refusal) where refusal.status == .badRequest:
                return Self.html(pages.home(problem: refusal.message), status: refusal.status)
            case .failure(let refusal):
                return Self.html(pages.problem(title: refusal.title, message: refusal.message), status: refusal.status)
            }
            let started = Date()
            let checked = check.check(parsed).checked
            context.logger.info(
                "checked a return",
                metadata: [
                    "files": "\(checked.count)", "errors": "\(checked.reduce(0) { $0 + $1.errors })",
                    "ms": "\(Int(Date().timeIntervalSince(started) * 1000))",
                ])
            return Self.html(pages.result(checked))
        }
        router.get("/send") { _, _ in
            let csrf = Self.randomToken()
            var response = Self.html(pages.sendForm(csrf: csrf))
            response.headers[.setCookie] = "\(Self.csrfCookie)=\(csrf); Path=/send; HttpOnly; SameSite=Strict"
            return response
        }
        let sender = self.sender
        let limiter = self.limiter
        let held = self.held
        router.post("/send") { request, context -> Response in
            // A fresh form (and cookie) for whatever page comes back.
            let csrf = Self.randomToken()
            let now = options.clock()
            /// The send form again, keeping what the partner need not give twice (`keep`) for 15 minutes.
            @Sendable func form(
                _ problem: String, _ status: HTTPResponse.Status, _ checked: [CheckedFile] = [], narrative: [String: String] = [:],
                keepFiles: [UploadedFile] = [], keepPartner: String? = nil
            ) async -> Response {
                var kept: Pages.Kept?
                if !keepFiles.isEmpty || keepPartner != nil {
                    let id = await held.hold(
                        files: keepFiles, narrative: narrative, partnerID: keepPartner, csrf: csrf, now: Double(now))
                    kept = Pages.Kept(id: id, files: keepFiles.map(\.name), token: keepPartner != nil)
                }
                var response = Self.html(
                    pages.sendForm(csrf: csrf, problem: problem, checked: checked, narrative: narrative, kept: kept), status: status)
                response.headers[.setCookie] = "\(Self.csrfCookie)=\(csrf); Path=/send; HttpOnly; SameSite=Strict"
                return response
            }
            let parsed: CheckRequest
            switch await Self.form(of: request, options: options) {
            case .success(let form): parsed = form
            case .failure(let refusal): return await form(refusal.message, refusal.status)
            }
            // The form's hidden token must match the cookie set with it (a page elsewhere cannot read it).
            let cookie = Self.cookie(Self.csrfCookie, in: request.headers[.cookie])
            let fromThisPage = parsed.fields["csrf"].flatMap { sent in cookie.map { Secrets.constantTimeEqual(sent, $0) } } ?? false
            // What an earlier refused send kept, for this form only.
            let kept = fromThisPage ? await held.take(parsed.fields["held"], csrf: cookie ?? "", now: Double(now)) : nil
            var send = parsed
            if send.files.isEmpty { send.files = kept?.files ?? [] }
            if send.narrative.isEmpty { send.narrative = kept?.narrative ?? [:] }
            guard fromThisPage else {
                return await form(
                    "This form has expired or did not come from this page. Your files are kept: send again.", .forbidden,
                    narrative: send.narrative, keepFiles: send.files)
            }
            guard !send.files.isEmpty else {
                return await form(
                    "Choose your return's files: what an earlier send kept is no longer held.", .badRequest, narrative: send.narrative)
            }
            guard await limiter.allows(context.remoteAddress, now: Double(now)) else {
                return await form(
                    "Too many wrong tokens from your connection. Wait 15 minutes, then try again, or ask the impact lead for help.",
                    .tooManyRequests)
            }
            let token = parsed.fields["token"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let partnerID: String?
            if token.isEmpty, let keptPartner = kept?.partnerID {
                partnerID = keptPartner
            } else {
                do {
                    partnerID = try sender.store.partner(forToken: token)
                } catch {
                    return await form("The workspace could not be read (\(error)). Please tell the impact lead.", .internalServerError)
                }
            }
            guard let partnerID else {
                await limiter.fail(context.remoteAddress, now: Double(now))
                context.logger.notice("a send with an unknown token was refused")
                return await form(
                    SendRefusal.unknownToken.description + " Your files are kept: enter the token and send again.", .unauthorized,
                    narrative: send.narrative, keepFiles: send.files)
            }
            let prepared = check.check(send, partnerID: partnerID)
            let (result, checked) = sender.send(prepared.files, checked: prepared.checked, partnerID: partnerID, now: now)
            switch result {
            case .success(let receipt):
                context.logger.info(
                    "a return was sent",
                    metadata: ["partner": "\(partnerID)", "reference": "\(receipt.reference)", "files": "\(receipt.files.count)"])
                return Self.html(pages.receipt(receipt))
            case .failure(let refusal):
                // The token was right: it is kept, so that only the corrected files need choosing again.
                return await form(
                    refusal.description, .unprocessableContent, checked, narrative: send.narrative, keepPartner: partnerID)
            }
        }
        return router
    }

    /// Why a request's form was not read: the status to answer, and a title and message for the page.
    struct FormRefusal: Error {
        var status: HTTPResponse.Status
        var title: String
        var message: String
    }

    /// The request's multipart form, read within the size and time limits.
    static func form(of request: Request, options: Options) async -> Result<CheckRequest, FormRefusal> {
        let body: ByteBuffer
        do {
            // Multipart framing adds a little to the files themselves.
            body = try await Deadline.run(within: options.bodyDeadline) {
                try await request.body.collect(upTo: options.maxUploadBytes + 64 * 1024)
            }
        } catch is Deadline.Passed {
            return .failure(FormRefusal(status: .requestTimeout, title: "The upload took too long", message: Deadline.Passed.message))
        } catch {
            return .failure(
                FormRefusal(
                    status: .contentTooLarge, title: "The files are too large",
                    message:
                        "Your files come to more than \(options.maxUploadBytes / (1024 * 1024)) MB, the most this page takes at once. Check or send the tables one at a time."
                ))
        }
        do {
            return .success(try CheckRequest.parse(contentType: request.headers[.contentType], body: body, maxFiles: options.maxFiles))
        } catch {
            return .failure(FormRefusal(status: .badRequest, title: "There is a problem", message: "\(error)"))
        }
    }

    /// The cookie that carries the send form's CSRF token.
    static let csrfCookie = "impact_csrf"

    /// 32 random bytes, hex.
    static func randomToken() -> String { Secrets.hex(Secrets.randomBytes(32)) }

    /// A cookie's value from a `Cookie` header.
    static func cookie(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for pair in header.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// An HTML response that is never cached (it may show a partner's rows).
    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    /// The application serving the routes on `host:port`.
    public func application(host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        Application(
            router: router(), server: .http1(configuration: .init(idleTimeout: options.idleTimeout)),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "impact"),
            logger: logger)
    }
}

/// Headers on every response: no framing, no sniffing, nothing loaded from elsewhere.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = PortalContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        if let name = HTTPField.Name("Referrer-Policy") { response.headers[name] = "no-referrer" }
        if let name = HTTPField.Name("X-Frame-Options") { response.headers[name] = "DENY" }
        return response
    }
}

/// The request context: Hummingbird's core context and the client's address (for sign-in limits).
public struct PortalContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, or "unknown".
    public let remoteAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// Runs an operation with a time limit: the operation is cancelled when the limit passes.
enum Deadline {
    /// The limit passed before the operation finished.
    struct Passed: Error {
        static let message =
            "Your files took too long to arrive, so the upload was stopped. Check your connection and try again, or send fewer files at once."
    }

    /// The operation's result, or ``Passed`` when it takes longer than `limit`.
    static func run<T: Sendable>(within limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw Passed()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw Passed() }
            return first
        }
    }
}
