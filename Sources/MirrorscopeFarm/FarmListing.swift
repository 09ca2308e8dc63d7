import MirrorscopeCore
/// Directory listings in the style of nginx's autoindex, which is what mirror users meet.
enum FarmListing {
    struct Entry {
        /// Ends with "/" for a directory.
        var name: String
        /// nil for a directory.
        var size: Int?
    }

    /// A fixed date: listings are the same from run to run.
    private static let date = "01-Jan-2025 00:00"

    static func html(path: String, entries: [Entry]) -> String {
        var rows = path == "/" ? [] : [#"<a href="../">../</a>"#]
        for entry in entries {
            let shown = entry.name.htmlEscaped
            let pad = String(repeating: " ", count: max(1, 51 - entry.name.count))
            let size = entry.size.map(String.init) ?? "-"
            rows.append(#"<a href="\#(shown)">\#(shown)</a>\#(pad)\#(date)\#(String(repeating: " ", count: max(1, 20 - size.count)))\#(size)"#)
        }
        let title = "Index of \(path)".htmlEscaped
        return """
        <html>
        <head><title>\(title)</title></head>
        <body>
        <h1>\(title)</h1><hr><pre>\(rows.joined(separator: "\n"))
        </pre><hr></body>
        </html>

        """
    }
}
