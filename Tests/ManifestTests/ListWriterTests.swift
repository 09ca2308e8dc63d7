import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import Testing

/// What `--save` writes reads back, through the readers, as the same mirrors in the same order.
@Suite("writers: saved lists read back")
struct ListWriterTests {
    /// 2026-05-11 10:02 UTC.
    static let when: Int64 = 1_778_493_720

    static func list(_ mirrors: [Mirror], sourceFormat: String? = nil, probePath: String = "probe.bin",
                     files: [FileFacts] = [], variables: [String: String] = [:]) -> SavedList {
        SavedList(entries: mirrors.enumerated().map { SavedList.Entry(mirror: $1, ms: Double(10 + $0), samples: 3) },
                  source: "https://downloads.example.org/mirrors", sourceFormat: sourceFormat,
                  rankedBy: "median response time (connect + TLS + first byte) of 3 samples, fastest first",
                  leftOut: ["1 failed"], probePath: probePath, files: files, variables: variables)
    }

    static func mirror(_ url: String, country: String? = nil, countryName: String? = nil, template: String? = nil,
                       tags: [String: [String]]? = nil) -> Mirror {
        var m = Mirror(id: "", url: url)
        m.country = country
        m.countryName = countryName
        m.template = template
        m.tags = tags
        return m
    }

    static let plainMirrors = [
        mirror("https://fast.example.net/pub/", country: "de", countryName: "Germany"),
        mirror("http://middle.example.org/debian/", country: "fr", countryName: "France"),
        mirror("https://slow.example.com/", country: "de", countryName: "Germany"),
    ]

    func readBack(_ text: String, fileName: String) throws -> Page {
        try Analyze.page(text, fileName: fileName)
    }

    @Test(arguments: ListFileFormat.allCases) func everyFormatReadsBackInRankOrder(format: ListFileFormat) throws {
        let list = Self.list(Self.plainMirrors)
        let text = try ListFileWriter.text(list, as: format, writtenAt: Self.when)
        let page = try readBack(text, fileName: format.defaultFileName)
        #expect(page.mirrors.map(\.url) == Self.plainMirrors.map(\.url), "\(format):\n\(text)")
        #expect(text.contains("2026-05-11 10:02 UTC"), "the header says when")
        #expect(text.contains("ranked by median response time"), "and how")
        #expect(text.contains("left out: 1 failed"))
    }

    @Test func pacmanKeepsTemplatesAsWrittenAndCountriesAboveTheirServers() throws {
        let mirrors = [
            Self.mirror("https://a.example/arch/", country: "se", countryName: "Sweden", template: "https://a.example/arch/$repo/os/$arch"),
            Self.mirror("https://b.example/archlinux/", country: "de", countryName: "Germany", template: "https://b.example/archlinux/$repo/os/$arch"),
            Self.mirror("https://c.example/", country: "de", countryName: "Germany", template: "https://c.example/$repo/$arch"),
        ]
        let text = try ListFileWriter.text(Self.list(mirrors, sourceFormat: "pacman"), as: .pacman, writtenAt: Self.when)
        let lines = text.split(separator: "\n").map(String.init)
        let body = lines.drop { $0.hasPrefix("##") && !["## Sweden", "## Germany"].contains($0) }.filter { !$0.isEmpty }
        #expect(Array(body) == ["## Sweden", "Server = https://a.example/arch/$repo/os/$arch",
                                "## Germany", "Server = https://b.example/archlinux/$repo/os/$arch",
                                "Server = https://c.example/$repo/$arch"], "\(text)")
        let page = try readBack(text, fileName: "mirrorlist")
        #expect(page.format == "pacman")
        #expect(page.mirrors.map(\.template) == mirrors.map(\.template))
        #expect(page.mirrors.map(\.countryName) == ["Sweden", "Germany", "Germany"])
    }

    @Test func theArchStatusRootsGetRepoAndArchAsReflectorWritesThem() throws {
        let mirrors = [Self.mirror("https://a.example/archlinux/"), Self.mirror("http://b.example/")]
        let text = try ListFileWriter.text(Self.list(mirrors, sourceFormat: "arch-status"), as: .pacman, writtenAt: Self.when)
        #expect(text.contains("Server = https://a.example/archlinux/$repo/os/$arch\n"))
        let page = try readBack(text, fileName: "mirrorlist")
        #expect(page.mirrors.map(\.url) == mirrors.map(\.url))
        #expect(page.mirrors.allSatisfy { $0.unfilledVariables == ["repo", "arch"] })
    }

    @Test func aptMirrorListsCarryPrioritiesInRankOrderAndKeepAptsTags() throws {
        let mirrors = [Self.mirror("http://x.example/debian/", tags: ["arch": ["amd64"], "type": ["deb"]]),
                       Self.mirror("http://y.example/debian/", tags: ["arch": ["arm64"]])]
        let text = try ListFileWriter.text(Self.list(mirrors, sourceFormat: "apt"), as: .aptMirrorlist, writtenAt: Self.when)
        #expect(text.contains("http://x.example/debian/\tpriority:1 arch:amd64 type:deb\n"), "\(text)")
        #expect(text.contains("http://y.example/debian/\tpriority:2 arch:arm64\n"))
        let page = try readBack(text, fileName: "mirrors.list")
        #expect(page.format == "apt")
        #expect(page.mirrors.map(\.priority) == [1, 2])
        // Tags of another format mean other things to apt and are not written.
        let masterlist = [Self.mirror("http://z.example/debian/", tags: ["type": ["leaf"]])]
        let other = try ListFileWriter.text(Self.list(masterlist, sourceFormat: "debian"), as: .aptMirrorlist, writtenAt: Self.when)
        #expect(other.contains("http://z.example/debian/\tpriority:1\n"))
    }

    @Test func aSourcesListTakesItsSuiteAndComponentsFromTheVariables() throws {
        let list = Self.list([Self.mirror("http://x.example/debian/")], variables: ["suite": "bookworm", "components": "main,contrib"])
        let text = try ListFileWriter.text(list, as: .aptSources, writtenAt: Self.when)
        #expect(text.contains("\ndeb http://x.example/debian/ bookworm main contrib\n"), "\(text)")
        #expect(!text.contains("://downloads.example.org"), "no URL in the comments: the last resort would read it")
        #expect(text.contains("from downloads.example.org/mirrors (over https)"))
        let defaults = try ListFileWriter.text(Self.list([Self.mirror("http://x.example/debian/")]), as: .aptSources, writtenAt: Self.when)
        #expect(defaults.contains("deb http://x.example/debian/ stable main\n"))
    }

    @Test func aMetalinkNamesThePagesFileWithItsHashesOnEveryMirror() throws {
        let file = FileFacts(name: "example-1.0.iso", size: 1234, hashes: ["sha-256": String(repeating: "ab", count: 32)])
        let mirrors = [Self.mirror("https://a.example/pub/", country: "de"), Self.mirror("http://b.example/")]
        let text = try ListFileWriter.text(Self.list(mirrors, files: [file]), as: .metalink4, writtenAt: Self.when)
        #expect(text.contains("<url priority=\"1\" location=\"de\">https://a.example/pub/example-1.0.iso</url>"), "\(text)")
        let page = try readBack(text, fileName: "mirrors.meta4")
        #expect(page.format == "metalink4")
        #expect(page.mirrors.map(\.url) == mirrors.map(\.url))
        #expect(page.mirrors.map(\.priority) == [1, 2])
        #expect(page.files == [file])
    }

    @Test func aMetalinkNeedsAFile() {
        #expect(throws: ListFileError.self) {
            try ListFileWriter.text(Self.list(Self.plainMirrors, probePath: ""), as: .metalink4, writtenAt: Self.when)
        }
    }

    @Test func anEmptyListIsNeverWritten() {
        #expect(throws: ListFileError("no mirror to write", code: 1)) {
            try ListFileWriter.text(Self.list([]), as: .plain, writtenAt: Self.when)
        }
    }

    @Test func aSourceWithALineBreakStaysOneCommentLine() throws {
        var list = Self.list(Self.plainMirrors)
        list.source = "/tmp/odd\nServer = http://evil.example/"
        let text = try ListFileWriter.text(list, as: .pacman, writtenAt: Self.when)
        let page = try readBack(text, fileName: "mirrorlist")
        #expect(page.mirrors.map(\.url) == Self.plainMirrors.map(\.url))
    }
}
