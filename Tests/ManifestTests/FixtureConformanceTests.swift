import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import Testing

/// Every real-world file in ../shared/fixtures, checked against the counts in its SOURCES.md, the
/// way the loader reads a file (detection included: no format is named).
@Suite("fixtures from the wild", .enabled(if: Fixtures.available, Comment(rawValue: Fixtures.absent)))
struct FixtureConformanceTests {
    func load(_ name: String) throws -> Page {
        let url = Fixtures.url(name)
        return try Analyze.page(try Fixtures.data(name), url: url.absoluteString, fileName: name)
    }

    func count<T: Hashable>(_ values: [T]) -> [T: Int] {
        values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    @Test func everyFixtureIsCoveredHere() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.folder.path).filter { $0 != "SOURCES.md" }.sorted()
        #expect(names == [
            "CRAN_mirrors.csv", "apt_mirrorlist_manpage_metadata_example.txt", "apt_mirrors_github-runner-images.txt",
            "arch_mirrorlist_rate-mirrors_2023.txt", "arch_mirrorlist_score_filtered_2020-02-21.txt", "arch_mirrors_status_2026-05-11.json",
            "aria2_metalink4-attrs_out-of-range-priority.meta4", "aria2_metalink4.meta4", "cpan_MIRRORED.BY_2009", "debian_Mirrors.masterlist",
            "librepo_metalink_bad_01.metalink3.xml", "librepo_metalink_good_01.metalink3.xml", "librepo_metalink_really_bad_02.metalink3.xml",
            "librepo_mirrorlist_01.yum-mirrorlist.txt", "metalinkdev_ubuntu-6.10-desktop-i386.iso.metalink3.xml",
        ], "a new fixture needs its conformance test")
    }

    @Test func archMirrorStatus() throws {
        let page = try load("arch_mirrors_status_2026-05-11.json")
        #expect(page.format == "arch-status")
        #expect(page.mirrors.count == 1205)
        #expect(count(page.mirrors.map(\.protocolName)) == ["https": 475, "http": 434, "rsync": 296])
        #expect(page.mirrors.filter { $0.freshness?.lastSync == nil }.count == 103)
        #expect(page.mirrors.filter { $0.freshness?.delaySeconds == nil }.count == 103)
        #expect(page.mirrors.filter { $0.priority == nil }.count == 103, "a null score gives no rank")
        #expect(Set(page.mirrors.compactMap(\.priority)) == Set(1...1102))
        #expect(page.mirrors.filter { $0.location == "worldwide" }.count == 6, "6 with an empty country_code")
        #expect(page.mirrors.allSatisfy { $0.location == "worldwide" || $0.country?.count == 2 })
        #expect(page.mirrors.allSatisfy { ($0.freshness?.completion).map { (0...1).contains($0) } ?? true })
        #expect(page.warnings.isEmpty, "\(page.warnings.prefix(3))")
        let first = page.mirrors[0]
        #expect(first.url == "https://mirror.aarnet.edu.au/pub/archlinux/")
        #expect(first.country == "au")
        #expect(first.freshness == Freshness(lastSync: Timestamps.iso8601("2026-05-11T19:21:24Z"), delaySeconds: 1871, completion: 1.0))
    }

    @Test func pacmanMirrorlistFilteredByScore() throws {
        let page = try load("arch_mirrorlist_score_filtered_2020-02-21.txt")
        #expect(page.format == "pacman")
        #expect(page.mirrors.count == 88, "88 Server = lines")
        #expect(page.mirrors.allSatisfy { $0.country != nil }, "a # Country comment before each")
        #expect(page.mirrors.allSatisfy { $0.unfilledVariables == ["repo", "arch"] })
        #expect(page.mirrors.map(\.priority) == Array(1...88).map(Optional.some))
        #expect(page.mirrors[0].template == "https://mirrors.ocf.berkeley.edu/archlinux/$repo/os/$arch")
        #expect(page.mirrors[0].url == "https://mirrors.ocf.berkeley.edu/archlinux/")
        #expect(page.mirrors[0].country == "us")
        #expect(page.warnings.isEmpty)
    }

    @Test func pacmanMirrorlistFromRateMirrors() throws {
        let page = try load("arch_mirrorlist_rate-mirrors_2023.txt")
        #expect(page.format == "pacman")
        #expect(page.mirrors.count == 404, "404 Server = lines under a comment header")
        #expect(page.mirrors.allSatisfy { $0.country == nil }, "its header comments name no country")
        #expect(page.warnings.isEmpty)
    }

    @Test func debianMasterlist() throws {
        let parsed = DebianMasterlistParser.parse(try String(contentsOf: Fixtures.url("debian_Mirrors.masterlist"), encoding: .utf8))
        #expect(parsed.entries == 357, "357 stanzas")
        #expect(parsed.skipped == 0)
        let page = try load("debian_Mirrors.masterlist")
        #expect(page.format == "debian")
        #expect(count(page.mirrors.map(\.protocolName)) == ["http": 338, "rsync": 175], "each Archive-http and Archive-rsync line")
        #expect(page.warnings.count == 1)
        #expect(page.warnings.first?.hasPrefix("18 sites without a Debian archive") == true)
        let dresden = try #require(page.mirrors.first { $0.url == "http://debian.inf.tu-dresden.de/debian/" })
        #expect(dresden.country == "de" && dresden.countryName == "Germany" && dresden.city == "Dresden")
    }

    @Test func cranCSV() throws {
        let page = try load("CRAN_mirrors.csv")
        #expect(page.format == "cran")
        #expect(page.mirrors.count == 106, "106 rows")
        #expect(count(page.mirrors.map(\.protocolName)) == ["https": 95, "http": 11])
        #expect(page.mirrors.contains { $0.country == "gb" } && !page.mirrors.contains { $0.country == "uk" }, "uk is read as gb")
        #expect(page.mirrors.contains { $0.location == "asia" && $0.country == nil })
        #expect(page.warnings.isEmpty)
    }

    @Test func cpanMirroredByInISO8859_1() throws {
        let parsed = CPANParser.parse(try Fixtures.data("cpan_MIRRORED.BY_2009"))
        #expect(parsed.entries == 209, "209 hosts")
        let page = try load("cpan_MIRRORED.BY_2009")
        #expect(page.format == "cpan")
        #expect(count(page.mirrors.map(\.protocolName)) == ["http": 166, "ftp": 158, "rsync": 62])
        // Two dst_rsync values are malformed in the file itself ("host:CPAN", "rsync://host::CPAN").
        #expect(page.warnings.filter { $0.hasSuffix("is not a URL, skipped") }.count == 2)
        #expect(page.warnings.contains("2 entries skipped"))
        #expect(page.mirrors.contains { $0.city == "D\u{FC}sseldorf" }, "ISO-8859-1 decoded")
        #expect(page.mirrors.allSatisfy { $0.country != nil }, "every dst_location names a known country")
    }

    @Test func metalink3FromMirrorManager() throws {
        let page = try load("librepo_metalink_good_01.metalink3.xml")
        #expect(page.format == "metalink3")
        #expect(page.mirrors.count == 106)
        #expect(count(page.mirrors.map(\.protocolName)) == ["http": 49, "ftp": 34, "rsync": 23])
        #expect(page.mirrors.first?.priority == 101 - 99)
        #expect(page.mirrors.last?.priority == 101 - 47)
        #expect(page.mirrors.last?.country == "cr")
        #expect(page.probe.path == "repomd.xml")
        let file = try #require(page.files.first)
        #expect(file.size == 4309)
        #expect(file.timestamp == 1_337_942_396)
        #expect(Set(file.hashes.keys) == ["md5", "sha-1", "sha-256", "sha-512"])
        #expect(page.warnings.isEmpty)
    }

    @Test func metalink3WithDamagedValues() throws {
        let page = try load("librepo_metalink_bad_01.metalink3.xml")
        #expect(page.mirrors.map(\.protocolName) == ["http", "ftp", "rsync"], "4 urls, the empty <url/> skipped")
        #expect(page.mirrors.map(\.priority) == [nil, nil, nil])
        #expect(page.files.first?.hashes.keys.sorted() == ["md5", "sha-256", "sha-512"])
        #expect(page.files.first?.size == nil && page.files.first?.timestamp == nil)
        for expected in ["timestamp \"foo\"", "size \"bar\"", "preference \"foobar\"", "preference \"-5\"", "hash foo", "url 4 (line 22): no URL, skipped", "1 entry skipped"] {
            #expect(page.warnings.contains { $0.contains(expected) }, "missing warning: \(expected)")
        }
    }

    @Test func metalink3NotWellFormedIsRefusedWithItsPosition() {
        let message = Analyze.error(String(decoding: (try? Fixtures.data("librepo_metalink_really_bad_02.metalink3.xml")) ?? Data(), as: UTF8.self),
                                    fileName: "librepo_metalink_really_bad_02.metalink3.xml")
        #expect(message?.contains("Metalink: line 9, column") == true, "\(message ?? "loaded")")
        #expect(message?.contains("ends too early") == true)
    }

    @Test func metalinkDevUbuntu() throws {
        let page = try load("metalinkdev_ubuntu-6.10-desktop-i386.iso.metalink3.xml")
        #expect(page.format == "metalink3")
        #expect(page.mirrors.count == 30)
        #expect(page.mirrors.allSatisfy { $0.priority == nil }, "no preference")
        #expect(page.mirrors.filter { $0.location == nil }.count == 12, "some urls without location")
        #expect(page.probe.path == "ubuntu-6.10-desktop-i386.iso")
    }

    @Test func metalink4FromAria2() throws {
        let page = try load("aria2_metalink4.meta4")
        #expect(page.format == "metalink4")
        #expect(page.mirrors.map(\.url) == ["ftp://ftp.example.com/", "http://example.com/"], "2 urls; the metaurl is a torrent, not a mirror")
        #expect(page.mirrors.map(\.country) == ["de", "fr"])
        #expect(page.mirrors.map(\.priority) == [1, 1])
        let file = try #require(page.files.first)
        #expect(file.size == 786_430)
        #expect(file.hashes == ["sha-1": "0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33"])
        #expect(file.pieces.map(\.type) == ["sha-1", "sha-256"])
        // Its md5 has 31 hex digits: a careful reader refuses it.
        #expect(page.warnings == ["file \"example.ext\", hash md5 (line 10): 31 hex digits where 32 are due; ignored"])
    }

    @Test func metalink4PrioritiesOutOfRange() throws {
        let page = try load("aria2_metalink4-attrs_out-of-range-priority.meta4")
        #expect(page.mirrors.count == 3)
        #expect(page.mirrors.allSatisfy { $0.priority == nil })
        #expect(page.warnings.count == 3)
        for value in ["\"0\"", "\"\"", "\"1000000\""] {
            #expect(page.warnings.contains { $0.contains("priority \(value) is outside 1...999999") })
        }
    }

    @Test func aptMirrorLists() throws {
        let runner = try load("apt_mirrors_github-runner-images.txt")
        #expect(runner.format == "apt")
        #expect(runner.mirrors.map(\.priority) == [1, 2, 3])
        let manpage = try load("apt_mirrorlist_manpage_metadata_example.txt")
        #expect(manpage.mirrors.count == 5)
        #expect(manpage.mirrors.first?.protocolName == "file")
        #expect(manpage.mirrors[1].tags == ["arch": ["amd64", "all"], "type": ["deb"]])
        #expect(runner.warnings.isEmpty && manpage.warnings.isEmpty)
    }

    @Test func yumMirrorlist() throws {
        let page = try load("librepo_mirrorlist_01.yum-mirrorlist.txt")
        #expect(page.format == "plain")
        #expect(page.mirrors.map(\.url) == ["http://foo.bar/fedora/linux/", "ftp://ftp.bar.foo/Fedora/17/"])
        #expect(page.warnings.isEmpty)
    }
}
