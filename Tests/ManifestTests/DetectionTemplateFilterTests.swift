import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import Testing

@Suite("format detection")
struct DetectionTests {
    static let meta4 = #"<?xml version="1.0"?><metalink xmlns="urn:ietf:params:xml:ns:metalink"><file name="f"><url>https://a.example/f</url></file></metalink>"#

    @Test(arguments: [
        // Media types that name a format win.
        (meta4, "application/metalink4+xml", nil, "metalink4"),
        ("Name,URL\nA,https://a.example/\n", "text/csv", nil, "cran"),
        // Generic media types (what python -m http.server sends) leave it to the name, then the content.
        (meta4, "application/octet-stream", "x.meta4", "metalink4"),
        (meta4, "text/xml", nil, "metalink4"),
        ("Site: a.example\nArchive-http: /debian/\n", "application/octet-stream", "Mirrors.masterlist", "debian"),
        ("Site: a.example\nArchive-http: /debian/\n", nil, nil, "debian"),
        ("x.example:\n  dst_http = \"http://x.example/\"\n", "text/plain", nil, "cpan"),
        ("x.example:\n  dst_http = \"http://x.example/\"\n", nil, "MIRRORED.BY", "cpan"),
        ("\"Name\",\"Country\",\"URL\"\n\"A\",\"B\",\"https://a.example/\"\n", nil, nil, "cran"),
        ("# a comment\nServer = https://a.example/$repo/os/$arch\n", nil, "mirrorlist", "pacman"),
        ("https://a.example/\nhttps://b.example/\tpriority:1\n", nil, nil, "apt"),
        ("https://a.example/\nhttps://b.example/\n", nil, nil, "plain"),
        (#"{"version": 1, "mirrors": [{"url": "https://a.example/"}]}"#, "application/mirror-probe+json", nil, "probe-script"),
    ] as [(String, String?, String?, String)])
    func detectsTheFormat(body: String, type: String?, fileName: String?, format: String) throws {
        #expect(try Analyze.page(body, type: type, fileName: fileName).format == format)
    }

    @Test func theInputFormatOverridesDetection() throws {
        // A pacman list read as a plain list: its "Server = URL" lines are not URLs.
        #expect(Analyze.error("Server = https://a.example/\n", format: .plain)?.contains("no mirror URLs found") == true)
        // A CSV named .txt read as CRAN's.
        #expect(try Analyze.page("Name,URL\nA,https://a.example/\n", fileName: "list.txt", format: .cran).format == "cran")
        #expect(PageFormat.named("yum") == .plain)
        #expect(PageFormat.named("META4") == .metalink4)
        #expect(PageFormat.named("nonsense") == nil)
    }

    @Test func aGuessedFormatSaysHowToOverrideIt() {
        let message = Analyze.error("Site: a.example\nCDImage-http: /cd/\n")
        #expect(message?.contains("told by its content; --input-format NAME reads it as another format") == true, "\(message ?? "loaded")")
    }
}

@Suite("templates")
struct TemplateTests {
    func pacmanPage() throws -> Page {
        try Analyze.page("Server = https://a.example/arch/$repo/os/$arch\nServer = https://b.example/${repo}/$arch\n")
    }

    @Test func variablesAreFoundAndFilled() {
        #expect(TemplateVariables.names(in: "https://h/$repo/os/$arch/${repo}$") == ["repo", "arch"])
        #expect(TemplateVariables.fill("https://h/$repo/os/${arch}/$x", with: ["repo": "core", "arch": "x86_64"]) == "https://h/core/os/x86_64/$x")
        #expect(TemplateVariables.root(of: "https://h/pub/arch$repo/os") == "https://h/pub/")
        #expect(TemplateVariables.isName("arch_64") && !TemplateVariables.isName("9x") && !TemplateVariables.isName("a-b"))
    }

    @Test func fillingEveryVariableGivesTheFullURL() throws {
        var page = try pacmanPage()
        #expect(page.mirrors.map(\.url) == ["https://a.example/arch/", "https://b.example/"])
        let warnings = TemplateVariables.apply(["repo": "core", "arch": "x86_64", "unused": "1"], to: &page)
        #expect(page.mirrors.map(\.url) == ["https://a.example/arch/core/os/x86_64/", "https://b.example/core/x86_64/"])
        #expect(page.mirrors.map(\.unfilledVariables) == [[], []])
        #expect(page.mirrors[0].template == "https://a.example/arch/$repo/os/$arch", "the template is kept")
        #expect(warnings == ["--var unused: no mirror URL uses $unused"])
    }

    @Test func partlyFilledTemplatesProbeTheDeepestRoot() throws {
        var page = try pacmanPage()
        let warnings = TemplateVariables.apply(["repo": "extra"], to: &page)
        #expect(page.mirrors.map(\.url) == ["https://a.example/arch/extra/os/", "https://b.example/extra/"])
        #expect(page.mirrors.map(\.unfilledVariables) == [["arch"], ["arch"]])
        #expect(warnings == ["2 mirror URLs hold $arch; probing each mirror's root instead (fill with --var arch=VALUE)"])
    }

    @Test func aTemplateWhoseHostIsAVariableIsNoMirror() throws {
        let page = try Analyze.page("Server = https://$mirror/arch/$repo\nServer = https://ok.example/$repo\n")
        #expect(page.mirrors.map(\.url) == ["https://ok.example/"])
        #expect(page.warnings.contains { $0.hasPrefix("line 1: \"https://$mirror/arch/$repo\" is not a URL, skipped") })
    }
}

@Suite("filters")
struct MirrorFilterTests {
    func page() -> Page {
        func m(_ id: String, _ url: String, country: String? = nil, name: String? = nil, location: String? = nil, priority: Int? = nil,
               preferred: Bool = false, sync: Int64? = nil, completion: Double? = nil, order: Int) -> Mirror {
            var mirror = Mirror(id: id, url: url, location: location ?? country, priority: priority, preferred: preferred, pageOrder: order)
            mirror.country = country
            mirror.countryName = name
            if sync != nil || completion != nil { mirror.freshness = Freshness(lastSync: sync, completion: completion) }
            return mirror
        }
        var page = Page(source: "test", mirrors: [
            m("de1", "https://de1.example/archlinux/", country: "de", name: "Germany", priority: 3, sync: 1000, completion: 1, order: 0),
            m("de2", "http://de2.example/arch/", country: "de", name: "Germany", priority: 1, sync: 100, completion: 0.5, order: 1),
            m("fr1", "rsync://fr1.example/archlinux/", country: "fr", name: "France", priority: 2, sync: 990, order: 2),
            m("gb1", "https://gb1.example/pub/", country: "gb", priority: nil, preferred: true, order: 3),
            m("ww", "https://cdn.example/archlinux/", location: "worldwide", priority: 4, completion: 1, order: 4),
        ])
        page.format = "arch-status"
        return page
    }

    func kept(_ configure: (inout MirrorFilter) -> Void) throws(ManifestError) -> [String] {
        var filter = MirrorFilter()
        configure(&filter)
        var p = page()
        try filter.apply(to: &p, now: 1000)
        #expect(p.mirrors.map(\.pageOrder) == Array(0..<p.mirrors.count), "page order is renumbered")
        return p.mirrors.map(\.id)
    }

    @Test func countryByCodeNameOrLocation() throws {
        #expect(try kept { $0.countries = ["de"] } == ["de1", "de2"])
        #expect(try kept { $0.countries = ["France", "UK"] } == ["fr1", "gb1"], "names and uk for gb")
        #expect(try kept { $0.countries = ["worldwide"] } == ["ww"])
    }

    @Test func protocolAndPatterns() throws {
        #expect(try kept { $0.protocols = ["https"] } == ["de1", "gb1", "ww"])
        #expect(try kept { $0.include = ["archlinux", "^http://"] } == ["de1", "de2", "fr1", "ww"])
        #expect(try kept { $0.exclude = ["cdn\\.", "(?i)DE\\d"] } == ["fr1", "gb1"])
    }

    @Test func freshnessFilters() throws {
        #expect(try kept { $0.maxAgeSeconds = 60 } == ["de1", "fr1"], "mirrors without a sync time are left out")
        #expect(try kept { $0.minCompletion = 0.9 } == ["de1", "ww"])
    }

    @Test func limitKeepsThePreferredThenTheBestPriority() throws {
        #expect(try kept { $0.limit = 3 } == ["de2", "fr1", "gb1"], "gb1 is marked preferred; then priorities 1 and 2")
        #expect(try kept { $0.countries = ["de"]; $0.limit = 1 } == ["de2"])
    }

    @Test func familiesKeepMirrorsThatServeEachOneGiven() throws {
        func withFamilies(_ filter: MirrorFilter) throws(ManifestError) -> [String] {
            var p = page()
            let families: [String: [String]] = ["de1": ["ipv4", "ipv6"], "de2": ["ipv4"], "fr1": ["ipv6"], "gb1": [], "ww": ["ipv4", "ipv6"]]
            for i in p.mirrors.indices { p.mirrors[i].addressFamilies = families[p.mirrors[i].id] }
            try filter.apply(to: &p, now: 1000)
            return p.mirrors.map(\.id)
        }
        var filter = MirrorFilter()
        filter.families = ["ipv6"]
        #expect(try withFamilies(filter) == ["de1", "fr1", "ww"])
        filter.families = ["ipv4", "ipv6"]
        #expect(try withFamilies(filter) == ["de1", "ww"], "both: dual-stack mirrors")
        // A list that does not say which families its mirrors serve cannot be filtered by them.
        #expect(throws: ManifestError("--family: this Arch mirror status JSON does not say which address families its mirrors serve (the Arch mirror status does); -4 or -6 connects over one family instead")) {
            _ = try kept { $0.families = ["ipv6"] }
        }
    }

    @Test func freshnessFiltersNeedAListThatHasFreshness() {
        var p = page()
        for i in p.mirrors.indices { p.mirrors[i].freshness = nil }
        p.format = "debian"
        var filter = MirrorFilter()
        filter.maxAgeSeconds = 3600
        #expect(throws: ManifestError("--max-age: this Debian Mirrors.masterlist does not say when its mirrors last synced (the Arch mirror status does)")) {
            try filter.apply(to: &p, now: 0)
        }
    }

    @Test func nothingLeftSaysWhatEachFilterKept() {
        do {
            _ = try kept { $0.countries = ["de"]; $0.protocols = ["ftp"] }
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "no mirror left after the filters: 5 listed; --country de kept 2, --protocol ftp kept 0")
        }
    }

    @Test func badPatternsAreNamed() {
        #expect(MirrorFilter.problem(inPattern: "(unclosed") != nil)
        #expect(MirrorFilter.problem(inPattern: "^https://.*\\.de/") == nil)
    }
}
