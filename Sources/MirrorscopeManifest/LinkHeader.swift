import MirrorscopeCore

/// One link of an HTTP `Link` header (RFC 8288): `<target>; rel=duplicate; pri=1; geo=de; pref`.
public struct LinkValue: Sendable, Hashable {
    public var target: String
    /// Parameters with lower-cased names; valueless ones (like `pref`) map to "".
    public var parameters: [String: String]

    /// The `rel` parameter's relation types, lower-cased (it may list several, space separated).
    public var relations: [String] {
        (parameters["rel"] ?? "").lowercased().split(separator: " ").map(String.init)
    }
}

public enum LinkHeader {
    /// Parses every `Link` header value given (a response may carry several, each with several links).
    /// Malformed links are skipped; the parser never fails.
    public static func parse(_ values: [String]) -> [LinkValue] {
        values.flatMap(parseOne)
    }

    static func parseOne(_ value: String) -> [LinkValue] {
        var links: [LinkValue] = []
        let chars = Array(value.unicodeScalars)
        var i = 0
        func skipSpace() { while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 } }
        while i < chars.count {
            skipSpace()
            guard i < chars.count, chars[i] == "<" else {
                // Not at a link: skip to the next comma outside quotes.
                skipToComma(chars, &i)
                continue
            }
            i += 1
            var target = ""
            while i < chars.count, chars[i] != ">" { target.unicodeScalars.append(chars[i]); i += 1 }
            guard i < chars.count else { break }
            i += 1
            var parameters: [String: String] = [:]
            while true {
                skipSpace()
                guard i < chars.count, chars[i] == ";" else { break }
                i += 1
                skipSpace()
                var name = ""
                while i < chars.count, !"=;, \t".unicodeScalars.contains(chars[i]) { name.unicodeScalars.append(chars[i]); i += 1 }
                skipSpace()
                var val = ""
                if i < chars.count, chars[i] == "=" {
                    i += 1
                    skipSpace()
                    if i < chars.count, chars[i] == "\"" {
                        i += 1
                        while i < chars.count, chars[i] != "\"" {
                            if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                            val.unicodeScalars.append(chars[i]); i += 1
                        }
                        i += 1
                    } else {
                        while i < chars.count, !";, \t".unicodeScalars.contains(chars[i]) { val.unicodeScalars.append(chars[i]); i += 1 }
                    }
                }
                let key = name.lowercased()
                // RFC 8288: only the first occurrence of a parameter counts.
                if !key.isEmpty, parameters[key] == nil { parameters[key] = val }
            }
            links.append(LinkValue(target: target.trimmed(), parameters: parameters))
            skipToComma(chars, &i)
        }
        return links
    }

    private static func skipToComma(_ chars: [Unicode.Scalar], _ i: inout Int) {
        var quoted = false
        while i < chars.count {
            if chars[i] == "\"" { quoted.toggle() }
            if chars[i] == ",", !quoted { i += 1; return }
            i += 1
        }
    }
}
