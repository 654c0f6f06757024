/// HTML text, escaped where it is built: every value that came from a request goes through ``escape(_:)``.
public enum HTML {
    /// Escapes text for an element's content or a quoted attribute value.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{0}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// What the checking pages say of the files they are given (and only they: a sent return is kept).
    public static let checkedNotKept = "Files you check here are read in memory and not kept."

    /// A whole page: the layout every page shares, with `body` inside `<main>` and `footer`, when given, in
    /// the page's footer.
    public static func page(title: String, programme: String, body: String, footer: String? = nil) -> String {
        """
        <!doctype html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) – \(escape(programme))</title>
        <link rel="stylesheet" href="/style.css">
        </head>
        <body>
        <a class="skip" href="#main">Skip to the main content</a>
        <header><p class="service"><a href="/">\(escape(programme)): check a quarterly return</a></p>
        <nav aria-label="Portal"><a href="/">Check</a> <a href="/send">Send</a> <a href="/feedback">Your feedback</a> <a href="/guide">Field guide</a> <a href="/templates">Blank templates</a></nav></header>
        <main id="main">
        \(body)
        </main>
        \(footer.map { "<footer><p>\(escape($0))</p></footer>" } ?? "")
        </body>
        </html>

        """
    }

    /// The portal's style sheet: readable on a phone and a laptop, contrast at least 4.5:1, a visible
    /// focus ring, and marked cells that do not rely on colour alone.
    public static let styleSheet = """
        :root { color: #1b1b1b; background: #ffffff; font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; line-height: 1.5; }
        body { margin: 0 auto; max-width: 60rem; padding: 0 1rem 3rem; }
        a { color: #1d4f91; } a:hover { color: #0b2e5c; }
        :focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
        header { border-bottom: 4px solid #1d4f91; padding: 1rem 0; display: flex; flex-wrap: wrap; justify-content: space-between; gap: 1rem; }
        header .service { margin: 0; font-weight: 700; } nav a { margin-left: 1rem; }
        h1 { font-size: 1.8rem; line-height: 1.2; } h2 { font-size: 1.35rem; margin-top: 2rem; } h3 { font-size: 1.1rem; }
        label { display: block; font-weight: 700; margin-top: 1.25rem; } .hint { color: #505a5f; margin: .25rem 0; }
        input[type=file], textarea, select { font: inherit; max-width: 100%; }
        fieldset.narrative { border: 2px solid #b1b4b6; padding: 0 1rem 1rem; margin: 1.5rem 0; }
        .thread { border-left: 4px solid #b1b4b6; padding-left: 1rem; margin: 1rem 0; }
        th.number, td.number { text-align: right; }
        .message .who { font-weight: bold; margin-bottom: 0; }
        form.reply textarea { min-height: 4rem; }
        button.secondary { background: #f3f2f1; color: #0b0c0c; border: 2px solid #0b0c0c; }
        textarea { width: 100%; min-height: 8rem; border: 2px solid #1b1b1b; padding: .5rem; box-sizing: border-box; }
        button { font: inherit; font-weight: 700; background: #00703c; color: #fff; border: 0; padding: .6rem 1.2rem; margin-top: 1.5rem; cursor: pointer; }
        .summary { border: 4px solid #b10e1e; padding: 1rem; margin: 1.5rem 0; } .summary.ok { border-color: #00703c; }
        .summary h2 { margin-top: 0; } .counts { font-weight: 700; }
        .problem { border-left: 5px solid #b10e1e; padding: .25rem 0 .25rem 1rem; margin: 1rem 0; } .problem.warning { border-color: #b35c00; }
        .fix { background: #f3f2f1; padding: .5rem .75rem; }
        .grid { overflow-x: auto; } .grid th, .grid td { white-space: nowrap; overflow-wrap: normal; max-width: none; } table { border-collapse: collapse; margin: .5rem 0; font-variant-numeric: tabular-nums; }
        th, td { border: 1px solid #6f777b; padding: .25rem .5rem; text-align: left; vertical-align: top; max-width: 16rem; overflow-wrap: anywhere; }
        thead th, th[scope=row] { background: #f3f2f1; }
        td.bad { background: #fde8e8; border: 3px solid #b10e1e; font-weight: 700; } td.bad::before { content: "▶ "; }
        tr.bad th { background: #fde8e8; }
        .empty { color: #505a5f; font-style: italic; }
        code { background: #f3f2f1; padding: 0 .2rem; }
        @media (max-width: 40rem) { nav a { margin: 0 1rem 0 0; } h1 { font-size: 1.5rem; } }

        """
}
