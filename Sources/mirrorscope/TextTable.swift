import MirrorscopeCore

/// The plain-text table `list` and `probe` print: columns padded to their widest cell, two spaces
/// apart, the last column (a URL) left as it is.
enum TextTable {
    static func render(_ lines: [[String]], alignRight: (Int) -> Bool, maxWidths: [Int: Int] = [:]) -> String {
        var widths = Array(repeating: 0, count: lines.first?.count ?? 0)
        for line in lines { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) } }
        for (i, limit) in maxWidths where i < widths.count { widths[i] = min(widths[i], limit) }
        return lines.map { line in
            line.enumerated().map { i, cell in
                i == line.count - 1 ? cell : DisplayWidth.pad(cell, to: widths[i], alignRight: alignRight(i))
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

/// RFC 4180 fields.
enum CSV {
    /// Quoted (with `"` doubled) when it holds a comma, a quote or a line break.
    static func field(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
