import MirrorscopeCore

/// Mirror URLs with variables, as pacman (`$repo/os/$arch`) and yum (`$releasever/$basearch`)
/// write them. A variable is `$name` or `${name}`, the name a letter or "_" then letters, digits, "_".
public enum TemplateVariables {
    /// The variables of `template`, each once, in order of appearance.
    public static func names(in template: String) -> [String] {
        var names: [String] = []
        scan(template) { token in
            if case .variable(let name, _) = token, !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// `template` with the variables that `values` names replaced; the others stay as written.
    public static func fill(_ template: String, with values: [String: String]) -> String {
        var out = ""
        scan(template) { token in
            switch token {
            case .text(let text): out += text
            case .variable(let name, let written): out += values[name] ?? String(written)
            }
        }
        return out
    }

    /// The part of `template` before its first variable, cut back to the last "/": the folder
    /// that holds every URL the template can make (`https://host/archlinux/`).
    public static func root(of template: String) -> String {
        var prefix = ""
        var stop = false
        scan(template) { token in
            guard !stop else { return }
            switch token {
            case .text(let text): prefix += text
            case .variable: stop = true
            }
        }
        if let slash = prefix.lastIndex(of: "/") { return String(prefix[...slash]) }
        return prefix
    }

    /// Whether `name` can be a variable name (what `--var NAME=VALUE` accepts).
    public static func isName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isNameStart(first) else { return false }
        return name.unicodeScalars.allSatisfy(isNameByte)
    }

    /// Fills the templates of `page` with `values`. A mirror whose variables are all filled gets
    /// the filled URL; one with variables left keeps the folder before the first of them (its root
    /// answers a probe; a URL with `$repo` in it would not). Returns warnings for the user: values
    /// no template uses (unless `alsoUsed`, the names a preset reads), and variables left unfilled.
    public static func apply(_ values: [String: String], to page: inout Page, alsoUsed: Set<String> = []) -> [String] {
        var warnings: [String] = []
        var used: Set<String> = []
        var unfilled: [String] = []
        var unfilledCount = 0
        for index in page.mirrors.indices {
            guard let template = page.mirrors[index].template else { continue }
            let all = names(in: template)
            used.formUnion(all.filter { values[$0] != nil })
            let filled = fill(template, with: values)
            let left = names(in: filled)
            let target = left.isEmpty ? filled : root(of: filled)
            if let resolved = MirrorURLs.resolve(target, against: page.url), let url = MirrorURLs.normaliseBase(resolved) {
                page.mirrors[index].url = url
            } else {
                warnings.append("\(TerminalText.sanitize(template, maxCharacters: 80)) filled is not a URL; probing its root")
            }
            page.mirrors[index].unfilledVariables = left
            if !left.isEmpty {
                unfilledCount += 1
                for name in left where !unfilled.contains(name) { unfilled.append(name) }
            }
        }
        for name in values.keys.sorted() where !used.contains(name) && !alsoUsed.contains(name) {
            warnings.append("--var \(name): no mirror URL uses $\(name)")
        }
        if unfilledCount > 0 {
            let list = unfilled.map { "$" + $0 }.joined(separator: ", ")
            let hint = unfilled.map { "--var \($0)=VALUE" }.joined(separator: " ")
            warnings.append("\(unfilledCount) mirror URL\(unfilledCount == 1 ? "" : "s") hold\(unfilledCount == 1 ? "s" : "") \(list); probing each mirror's root instead (fill with \(hint))")
        }
        return warnings
    }

    enum Token {
        case text(Substring)
        case variable(name: String, written: Substring)
    }

    static func scan(_ template: String, _ visit: (Token) -> Void) {
        let s = template.unicodeScalars
        var textStart = s.startIndex
        var i = s.startIndex
        while i < s.endIndex {
            guard s[i] == "$" else { i = s.index(after: i); continue }
            let dollar = i
            var j = s.index(after: i)
            var braced = false
            if j < s.endIndex, s[j] == "{" { braced = true; j = s.index(after: j) }
            let nameStart = j
            if j < s.endIndex, isNameStart(s[j]) {
                j = s.index(after: j)
                while j < s.endIndex, isNameByte(s[j]) { j = s.index(after: j) }
            }
            var end = j
            if braced {
                guard j < s.endIndex, s[j] == "}" else { i = s.index(after: dollar); continue }
                end = s.index(after: j)
            }
            guard j > nameStart else { i = s.index(after: dollar); continue }
            if textStart < dollar { visit(.text(Substring(s[textStart..<dollar]))) }
            visit(.variable(name: String(s[nameStart..<j]), written: Substring(s[dollar..<end])))
            textStart = end
            i = end
        }
        if textStart < s.endIndex { visit(.text(Substring(s[textStart...]))) }
    }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    static func isNameByte(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || (c >= "0" && c <= "9") }
}
