import Testing

@testable import ImpactPortal

/// The feedback's Markdown as HTML: the subset `impact` writes, every value escaped.
@Suite struct MarkdownHTMLTests {
    @Test(
        "Inline: escapes become characters, entities are shown as written, bold and code become elements",
        arguments: [
            ("plain & simple", "plain &amp; simple"), ("\\*not bold\\* \\| \\# \\[x\\](y)", "*not bold* | # [x](y)"),
            ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("<b>raw</b>", "&lt;b&gt;raw&lt;/b&gt;"), ("**Highlights**", "<strong>Highlights</strong>"),
            ("`code` and **open", "<code>code</code> and <strong>open</strong>"), ("Smith &amp;lt; Sons", "Smith &amp;lt; Sons"),
            ("\"quoted\" it's", "&quot;quoted&quot; it&#39;s"),
        ])
    func inline(markdown: String, html: String) {
        #expect(MarkdownHTML.inline(markdown) == html)
    }

    @Test("Blocks: headings start sections; tables, quotes, lists and paragraphs; a pipe escaped in a cell stays in it")
    func blocks() {
        let markdown = """
            # P003: feedback

            Intro line
            continued.

            ## Your return

            | Received | Files |
            |---|---:|
            | 2026-07-20 | a\\|b.csv |

            ## What you told us

            **Highlights**

            > First.
            >
            > Second.

            - one
            - two &lt;3
            """
        let sections = MarkdownHTML.sections(markdown)
        #expect(sections.map(\.heading) == [nil, "Your return", "What you told us"])
        #expect(sections[0].html.contains("<h1 id=\"s-p003-feedback\">P003: feedback</h1>"))
        #expect(sections[0].html.contains("<p>Intro line continued.</p>"))
        #expect(sections[1].html.contains("<th scope=\"col\">Received</th><th scope=\"col\" class=\"number\">Files</th>"))
        #expect(sections[1].html.contains("<td class=\"number\">a|b.csv</td>"))
        #expect(sections[2].html.contains("<blockquote><p>First.</p><p>Second.</p></blockquote>"))
        #expect(sections[2].html.contains("<ul><li>one</li><li>two &lt;3</li></ul>"))
        #expect(!sections.map(\.html).joined().contains("<script"))
    }
}
