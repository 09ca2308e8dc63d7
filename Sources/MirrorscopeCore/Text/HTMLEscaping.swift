extension String {
    /// Safe as HTML text and inside a double- or single-quoted attribute.
    public var htmlEscaped: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// JSON text made safe inside an HTML `<script>` element: `<`, `>` and `&` only occur inside
    /// JSON strings, where their `\u` escapes mean the same, and then `</script>` cannot appear.
    public var scriptSafeJSON: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default: out.append(character)
            }
        }
        return out
    }
}
