/// Greedy word wrap by display width, for the help, the detail pane and long notices.
enum TextWrap {
    /// The lines of `text` at most `width` cells wide; with `breakWords`, a word longer than a line
    /// is split rather than left to overflow.
    static func lines(_ text: String, width: Int, breakWords: Bool = false) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            var word = String(word)
            while breakWords, DisplayWidth.of(word) > width {
                if !current.isEmpty { lines.append(current); current = "" }
                var head = ""
                for c in word {
                    if DisplayWidth.of(head) + DisplayWidth.of(c) > width { break }
                    head.append(c)
                }
                if head.isEmpty { break }
                lines.append(head)
                word = String(word.dropFirst(head.count))
            }
            if word.isEmpty { continue }
            let candidate = current.isEmpty ? word : current + " " + word
            if DisplayWidth.of(candidate) > width, !current.isEmpty {
                lines.append(current)
                current = word
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
