import ArgumentParser
import Foundation
import MirrorscopeCore
import MirrorscopeManifest

/// How to read the page and which of its mirrors to keep: shared by `list`, `probe`, `browse`
/// and `demo`. The filters run after the page is read and before anything is probed.
struct PageOptions: ParsableArguments {
    @Option(name: .customLong("input-format"), help: ArgumentHelp("""
        Read the page as this format instead of detecting it: \(PageFormat.allCases.map(\.rawValue).joined(separator: ", ")) \
        (links: every absolute link of an HTML page is a mirror).
        """, valueName: "name"))
    var inputFormat: String?

    @Option(name: .customLong("var"), help: ArgumentHelp("Fill a variable of templated mirror URLs ($repo/os/$arch): --var repo=core --var arch=x86_64 (repeatable).", valueName: "name=value"))
    var variables: [String] = []

    @Option(help: ArgumentHelp("Keep mirrors in these countries: codes or names, comma-separated (de,fr or Germany; repeatable).", valueName: "list"))
    var country: [String] = []

    @Option(name: .customLong("protocol"), help: ArgumentHelp("Keep mirrors with these URL schemes, comma-separated (https,http,ftp,rsync,file; repeatable).", valueName: "list"))
    var protocols: [String] = []

    @Option(help: ArgumentHelp("Keep mirrors whose URL matches this regular expression (repeatable: a mirror must match one).", valueName: "regex"))
    var include: [String] = []

    @Option(help: ArgumentHelp("Leave out mirrors whose URL matches this regular expression (repeatable).", valueName: "regex"))
    var exclude: [String] = []

    @Option(name: .customLong("max-age"), help: ArgumentHelp("Keep mirrors that synced within this time: 90m, 6h, 2d (a bare number is hours); needs a list that says when (the Arch mirror status).", valueName: "age"))
    var maxAge: String?

    @Option(name: .customLong("min-completion"), help: ArgumentHelp("Keep mirrors at least this complete: 0.95 or 95%; needs a list that says (the Arch mirror status).", valueName: "fraction"))
    var minCompletion: String?

    @Option(name: .customLong("family"), help: ArgumentHelp("Keep mirrors that serve this address family: ipv4 or ipv6 (ipv4,ipv6: both); needs a list that says (the Arch mirror status). -4/-6 restrict the connections instead.", valueName: "ipv4|ipv6"))
    var families: [String] = []

    @Option(help: ArgumentHelp("Keep the N mirrors the list itself prefers (its priority, then its order), before probing.", valueName: "N"))
    var limit: Int?

    func validate() throws {
        if let inputFormat, PageFormat.named(inputFormat) == nil {
            throw ValidationError("--input-format \(inputFormat): not a format this program reads; one of \(PageFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for pair in variables {
            guard let eq = pair.firstIndex(of: "="), TemplateVariables.isName(String(pair[..<eq])) else {
                throw ValidationError("--var \(pair): give name=value, the name letters, digits and _ (--var arch=x86_64)")
            }
            let value = pair[pair.index(after: eq)...]
            if value.isEmpty || value.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) {
                throw ValidationError("--var \(pair): the value must be non-empty, without spaces or control characters")
            }
        }
        for (flag, patterns) in [("--include", include), ("--exclude", exclude)] {
            for pattern in patterns {
                if let problem = MirrorFilter.problem(inPattern: pattern) {
                    throw ValidationError("\(flag) \(pattern): not a regular expression (\(problem))")
                }
            }
        }
        if let maxAge, Self.seconds(maxAge) == nil {
            throw ValidationError("--max-age \(maxAge): give a time such as 90m, 6h or 2d")
        }
        if let minCompletion, Self.fraction(minCompletion) == nil {
            throw ValidationError("--min-completion \(minCompletion): give a fraction from 0 to 1 (0.95) or a percentage (95%)")
        }
        for family in Self.commaList(families) where !["ipv4", "ipv6"].contains(family.lowercased()) {
            throw ValidationError("--family \(family): give ipv4 or ipv6")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    var format: PageFormat? { inputFormat.flatMap(PageFormat.named) }

    var filter: MirrorFilter {
        var filter = MirrorFilter()
        filter.countries = Self.commaList(country)
        filter.protocols = Self.commaList(protocols).map { $0.lowercased() }
        filter.include = include
        filter.exclude = exclude
        filter.maxAgeSeconds = maxAge.flatMap(Self.seconds)
        filter.minCompletion = minCompletion.flatMap(Self.fraction)
        filter.families = Self.commaList(families).map { $0.lowercased() }
        filter.limit = limit
        return filter
    }

    var values: [String: String] {
        var out: [String: String] = [:]
        for pair in variables {
            guard let eq = pair.firstIndex(of: "=") else { continue }
            out[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        return out
    }

    /// Fills the templates, applies the filters and, when the mirrors are to be probed, says which
    /// of them cannot be (the prober measures http and https only).
    func prepare(_ page: inout Page, forProbing: Bool) throws {
        page.warnings += TemplateVariables.apply(values, to: &page, alsoUsed: Presets.variables(for: page.format))
        do {
            try filter.apply(to: &page, now: Int64(Date().timeIntervalSince1970))
        } catch {
            throw CLIFailure(message: "\(page.source): \(error.message)")
        }
        guard forProbing else { return }
        var unprobeable: [String: Int] = [:]
        for mirror in page.mirrors where mirror.scheme != "http" && mirror.scheme != "https" {
            unprobeable[mirror.protocolName, default: 0] += 1
        }
        if !unprobeable.isEmpty {
            let count = unprobeable.values.reduce(0, +)
            let schemes = unprobeable.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            page.warnings.append("\(count) mirror\(count == 1 ? "" : "s") cannot be probed, only http and https can (\(schemes)); --protocol https,http leaves them out")
        }
    }

    static func commaList(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmed() }.filter { !$0.isEmpty }
    }

    /// "90m", "6h", "2d", "45s"; a bare number is hours (as reflector's --age).
    static func seconds(_ text: String) -> Int64? {
        let t = text.trimmed().lowercased()
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let (number, unit) = t.last.flatMap { units[$0] }.map { (String(t.dropLast()), $0) } ?? (t, 3600)
        guard let value = Double(number), value >= 0, value.isFinite, value * unit < 1e12 else { return nil }
        return Int64(value * unit)
    }

    /// "0.95" or "95%".
    static func fraction(_ text: String) -> Double? {
        let t = text.trimmed()
        if t.hasSuffix("%") {
            guard let p = Double(t.dropLast()), (0...100).contains(p) else { return nil }
            return p / 100
        }
        guard let f = Double(t), (0...1).contains(f) else { return nil }
        return f
    }
}
