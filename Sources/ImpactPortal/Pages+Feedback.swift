import Foundation
import Impact
import TableSchema

// MARK: - Feedback: a partner reads its quarters' feedback and answers it

extension Pages {
    /// The sign-in form of the feedback pages: the partner's token.
    public func feedbackSignIn(csrf: String, problem: String? = nil) -> String {
        let error =
            problem.map {
                "<div class=\"summary\" role=\"alert\" tabindex=\"-1\"><h2>You are not signed in</h2><p>\(HTML.escape($0))</p></div>\n"
            } ?? ""
        return HTML.page(
            title: problem == nil ? "Your feedback" : "Error: not signed in", programme: programme,
            body: """
                <h1>Your feedback</h1>
                \(error)<p>After each quarter the alliance writes feedback on your return: your figures beside your previous \
                quarters and the network, your return's findings, and the actions you agreed. Sign in with your partner \
                token to read it and reply.</p>
                <form method="post" action="/feedback/sign-in">
                <input type="hidden" name="csrf" value="\(HTML.escape(csrf))">
                <label for="token">Your partner token</label>
                <p class="hint" id="token-hint">The secret the impact lead gave your organisation (the one you send returns with).</p>
                <input type="password" id="token" name="token" autocomplete="current-password" required aria-describedby="token-hint">
                <button type="submit">Sign in</button>
                </form>
                """)
    }

    /// The quarters a signed-in partner has feedback for.
    public func feedbackList(partnerID: String, quarters: [String], csrf: String) -> String {
        var body = "<h1>Your feedback</h1>\n<p>Signed in as \(HTML.escape(partnerID)).</p>\n"
        if quarters.isEmpty {
            body += "<p>There is no feedback for you yet: it is written when the alliance runs a quarter.</p>\n"
        } else {
            body += "<ul class=\"quarters\">\n"
            for quarter in quarters {
                body += "<li><a href=\"/feedback/\(HTML.escape(quarter))\">Feedback on your \(HTML.escape(quarter)) return</a></li>\n"
            }
            body += "</ul>\n"
        }
        body += signOut(csrf: csrf)
        return HTML.page(title: "Your feedback", programme: programme, body: body)
    }

    /// A quarter's feedback: the page the run wrote, each section followed by what both sides wrote about it
    /// and a form to reply; the actions agreed on it at the end.
    public func feedbackPage(
        partnerID: String, quarter: String, markdown: String, messages: [FeedbackMessage], actions: [FeedbackAction], csrf: String,
        notice: String? = nil
    ) -> String {
        var body = "<p><a href=\"/feedback\">All your feedback</a></p>\n"
        if let notice { body += "<div class=\"summary ok\" role=\"status\"><p>\(HTML.escape(notice))</p></div>\n" }
        var replyNumber = 0
        for section in MarkdownHTML.sections(markdown) {
            body += section.html
            guard let heading = section.heading, heading != "Definitions" else { continue }
            replyNumber += 1
            let thread = messages.filter { $0.section == heading }
            if !thread.isEmpty {
                body += "<div class=\"thread\" aria-label=\"Replies about \(HTML.escape(heading))\">\n"
                for message in thread {
                    let who = message.author == .partner ? "You (\(message.name))" : "\(message.name) (impact lead)"
                    body += """
                        <div class="message \(message.author.rawValue)"><p class="who">\(HTML.escape(who)), \
                        \(HTML.escape(Self.utc(message.writtenAt)))</p><p>\(HTML.escape(message.body))</p></div>

                        """
                }
                body += "</div>\n"
            }
            body += """
                <form method="post" action="/feedback/\(HTML.escape(quarter))/reply" class="reply">
                <input type="hidden" name="csrf" value="\(HTML.escape(csrf))">
                <input type="hidden" name="section" value="\(HTML.escape(heading))">
                <label for="reply-\(replyNumber)">Reply about “\(HTML.escape(heading))”</label>
                <textarea id="reply-\(replyNumber)" name="reply" rows="3" maxlength="4000" required></textarea>
                <button type="submit">Send reply</button>
                </form>

                """
        }
        let agreed = actions.filter { $0.quarter == quarter }
        body += "<h2 id=\"s-actions-agreed\">Actions agreed on this feedback</h2>\n"
        if agreed.isEmpty {
            body += "<p>None yet. The impact lead records the actions you agree at your contract review meeting.</p>\n"
        } else {
            body += "<ul>\n"
            for action in agreed {
                let status =
                    action.doneAt.map { "done on \(Self.utc($0).prefix(10))" } ?? "open" + (action.due.map { ", due \($0)" } ?? "")
                body += "<li>\(HTML.escape(action.text)) (\(HTML.escape(status)))</li>\n"
            }
            body += "</ul>\n"
        }
        body += signOut(csrf: csrf)
        return HTML.page(title: "Feedback on your \(quarter) return", programme: programme, body: body)
    }

    private func signOut(csrf: String) -> String {
        """
        <form method="post" action="/feedback/sign-out"><input type="hidden" name="csrf" value="\(HTML.escape(csrf))">\
        <button type="submit" class="secondary">Sign out</button></form>

        """
    }
}
