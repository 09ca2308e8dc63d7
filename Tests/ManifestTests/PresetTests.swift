import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import Testing

/// The formats' presets (docs/formats.md, "Presets"): where each distribution's mirrors keep their
/// sync time and a sample object, filled in only where the page left them unset.
@Suite("presets")
struct PresetTests {
    /// As the CLI prepares a page: templates filled, then the preset.
    func prepared(_ body: String, fileName: String? = nil, values: [String: String] = [:]) throws -> Page {
        var page = try Analyze.page(body, fileName: fileName)
        page.warnings += TemplateVariables.apply(values, to: &page, alsoUsed: Presets.variables(for: page.format))
        Presets.apply(to: &page, values: values)
        return page
    }

    static let pacman = """
        ## Germany
        Server = https://de.example.org/archlinux/$repo/os/$arch
        ## France
        Server = http://fr.example.org/arch/$repo/os/$arch
        """

    @Test func archMirrorlistRootIsTheURLBeforeRepo() throws {
        let page = try prepared(Self.pacman)
        #expect(page.format == "pacman")
        #expect(page.probe.freshness?.format == .unixTime)
        #expect(page.probe.freshness?.origin == "the Arch preset")
        #expect(page.mirrors.map { page.probe.freshness!.url(on: $0) }
                == ["https://de.example.org/archlinux/lastsync", "http://fr.example.org/arch/lastsync"])
        #expect(page.mirrors.map { page.probe.throughput.url(on: $0) }
                == ["https://de.example.org/archlinux/core/os/x86_64/core.db", "http://fr.example.org/arch/core/os/x86_64/core.db"])
        #expect(page.probe.throughput.skipReason(page.mirrors) == nil)
    }

    @Test func archFollowsTheVarValues() throws {
        let page = try prepared(Self.pacman, values: ["repo": "extra", "arch": "aarch64"])
        #expect(page.mirrors[0].url == "https://de.example.org/archlinux/extra/os/aarch64/", "the template is filled")
        #expect(page.probe.throughput.url(on: page.mirrors[0]) == "https://de.example.org/archlinux/extra/os/aarch64/extra.db")
        #expect(page.probe.freshness!.url(on: page.mirrors[0]) == "https://de.example.org/archlinux/lastsync",
                "lastsync stays at the root, above $repo")
        #expect(!page.warnings.contains { $0.contains("--var") }, "\(page.warnings)")
    }

    @Test func archStatusMirrorsAreRoots() throws {
        let status = """
            {"version": 3, "urls": [
              {"url": "https://mirror.example.de/archlinux/", "protocol": "https", "country_code": "DE", "country": "Germany",
               "last_sync": "2026-05-11T18:00:00Z", "completion_pct": 1.0, "delay": 3600, "score": 1.2, "active": true}]}
            """
        let page = try prepared(status, values: ["repo": "extra"])
        #expect(page.format == "arch-status")
        #expect(page.probe.freshness!.url(on: page.mirrors[0]) == "https://mirror.example.de/archlinux/lastsync")
        #expect(page.probe.throughput.url(on: page.mirrors[0]) == "https://mirror.example.de/archlinux/extra/os/x86_64/extra.db")
        #expect(!page.warnings.contains { $0.contains("--var repo") }, "the preset reads $repo: \(page.warnings)")
    }

    @Test func debianSuiteIsStableUnlessGiven() throws {
        let masterlist = """
            Site: ftp.de.debian.org
            Type: Push-Primary
            Archive-http: /debian/
            Country: DE Germany

            """
        let stable = try prepared(masterlist, fileName: "Mirrors.masterlist")
        #expect(stable.format == "debian")
        #expect(stable.probe.freshness == FreshnessSettings(path: "dists/stable/Release", format: .releaseDate, origin: "the Debian preset"))
        #expect(stable.probe.throughput.path == "ls-lR.gz")
        #expect(stable.probe.throughput.url(on: stable.mirrors[0]) == "http://ftp.de.debian.org/debian/ls-lR.gz")
        let bookworm = try prepared(masterlist, fileName: "Mirrors.masterlist", values: ["suite": "bookworm"])
        #expect(bookworm.probe.freshness?.path == "dists/bookworm/Release")
        #expect(!bookworm.warnings.contains { $0.contains("--var suite") }, "\(bookworm.warnings)")
    }

    @Test func aptMirrorListsGetTheDebianPreset() throws {
        let list = "http://archive.ubuntu.com/ubuntu/\tpriority:1\nhttp://mirror.example.org/ubuntu/\n"
        let page = try prepared(list, fileName: "mirrors.txt", values: ["suite": "noble"])
        #expect(page.format == "apt")
        #expect(page.probe.freshness?.url(on: page.mirrors[0]) == "http://archive.ubuntu.com/ubuntu/dists/noble/Release")
        #expect(page.probe.throughput.url(on: page.mirrors[1]) == "http://mirror.example.org/ubuntu/ls-lR.gz")
    }

    @Test func fedoraComparesEachMirrorsRepomdWithTheTimestamp() throws {
        let metalink = """
            <?xml version="1.0" encoding="utf-8"?>
            <metalink version="3.0" xmlns="http://www.metalinker.org/" xmlns:mm0="http://fedorahosted.org/mirrormanager">
             <files>
              <file name="repomd.xml">
               <mm0:timestamp>1764590000</mm0:timestamp>
               <size>4000</size>
               <resources maxconnections="1">
                <url protocol="https" type="https" location="DE" preference="100">https://de.example.org/fedora/releases/40/Everything/x86_64/os/repodata/repomd.xml</url>
               </resources>
              </file>
             </files>
            </metalink>
            """
        let page = try prepared(metalink)
        #expect(page.format == "metalink3")
        #expect(page.probe.freshness == FreshnessSettings(path: "repomd.xml", format: .lastModified, reference: .time(1_764_590_000),
                                                          origin: "the Fedora Metalink preset"))
        #expect(page.probe.freshness!.url(on: page.mirrors[0]) == "https://de.example.org/fedora/releases/40/Everything/x86_64/os/repodata/repomd.xml")
        #expect(page.probe.throughput.skipReason(page.mirrors) != nil, "repomd.xml is too small to time a download")
    }

    @Test func theProbeScriptIsNotOverridden() throws {
        let script = #"{"version": 1, "mirrors": [{"url": "https://a.example/"}], "probe": {"throughput": {"path": "big.bin"}}}"#
        let page = try prepared(script)
        #expect(page.probe.throughput.path == "big.bin")
        #expect(page.probe.freshness == nil, "no preset for a probe script")
    }

    @Test func otherFormatsHaveNoPreset() throws {
        let page = try prepared("https://a.example/pub/\nhttps://b.example/pub/\n", fileName: "mirrors.list")
        #expect(page.probe.freshness == nil)
        #expect(page.probe.throughput.path == nil)
    }
}
