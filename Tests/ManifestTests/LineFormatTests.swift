import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import Testing

@Suite("apt, pacman, yum, Debian, CRAN and CPAN lists")
struct LineFormatTests {
    @Test func aptTagsPrioritiesAndSets() throws {
        let list = "# local first\nfile:/srv/mirror/\tpriority:1 type:index\nhttp://a.example/debian/\tpriority:3 arch:amd64 arch:all arch:amd64 junk\n"
            + "https://b.example/debian\ttype:deb\nhttp://c.example/\tpriority:x\n"
        let page = try Analyze.page(list)
        #expect(page.format == "apt")
        #expect(page.mirrors.map(\.url) == ["file:/srv/mirror/", "http://a.example/debian/", "https://b.example/debian/", "http://c.example/"])
        #expect(page.mirrors.map(\.priority) == [1, 3, nil, nil])
        #expect(page.mirrors.map(\.protocolName) == ["file", "http", "https", "http"])
        #expect(page.mirrors[1].tags == ["arch": ["amd64", "all"]], "repeated tags form a set; words without ':' are ignored")
        #expect(page.mirrors[0].tags == ["type": ["index"]])
        #expect(page.warnings == ["line 5: priority \"x\" is not a number; ignored"])
    }

    @Test func pacmanServersInOrderWithCountriesAndTemplates() throws {
        let list = """
            ##
            ## Arch Linux repository mirrorlist
            ##

            ## Germany
            Server = https://de.example.org/archlinux/$repo/os/$arch
            #Server = https://disabled.example.org/$repo/os/$arch
            Server=http://de2.example.org/arch/$repo/os/$arch

            ## United States
            Server = https://us.example.com//archlinux/$repo/os/$arch
            Server = https://us.example.com/archlinux/$repo/os/$arch
            [core]
            """
        let page = try Analyze.page(list.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(page.format == "pacman")
        #expect(page.mirrors.map(\.url) == ["https://de.example.org/archlinux/", "http://de2.example.org/arch/", "https://us.example.com//archlinux/"])
        #expect(page.mirrors.map(\.template) == ["https://de.example.org/archlinux/$repo/os/$arch", "http://de2.example.org/arch/$repo/os/$arch",
                                                 "https://us.example.com//archlinux/$repo/os/$arch"])
        #expect(page.mirrors.map(\.unfilledVariables) == Array(repeating: ["repo", "arch"], count: 3))
        #expect(page.mirrors.map(\.country) == ["de", "de", "us"])
        #expect(page.mirrors.map(\.priority) == [1, 2, 3])
        #expect(page.warnings.contains("1 commented-out #Server line left out"))
        #expect(page.warnings.contains { $0.hasPrefix("1 duplicate entry merged (line 12 repeats") }, "double slashes do not make another mirror")
        #expect(page.warnings.contains("line 13: not a \"Server = URL\" line; ignored"))
    }

    @Test func aStockPacmanListWithEveryServerCommentedOutIsStillRead() throws {
        let page = try Analyze.page("## Worldwide\n#Server = https://geo.example.org/$repo/os/$arch\n## France\n#Server = https://fr.example.org/$repo/os/$arch\n")
        #expect(page.mirrors.map(\.location) == ["worldwide", "fr"])
        #expect(page.warnings.contains("every Server line is commented out (#Server); reading all 2 of them"))
    }

    @Test func yumMirrorlistWithLeadingSpaceAndVariables() throws {
        let list = "# repo = fedora-17 arch = i386\n   http://foo.example/fedora/linux/\n\thttps://bar.example/pub/fedora/releases/$releasever/Everything/${basearch}/os/\nftp://ftp.example/Fedora/17/"
        let page = try Analyze.page(list)
        #expect(page.format == "plain")
        #expect(page.mirrors.map(\.url) == ["http://foo.example/fedora/linux/", "https://bar.example/pub/fedora/releases/", "ftp://ftp.example/Fedora/17/"])
        #expect(page.mirrors[1].unfilledVariables == ["releasever", "basearch"])
    }

    @Test func debianStanzas() throws {
        let list = """
            Site: ftp.de.example.org
            Country: DE Germany
            Location: Dresden
            Type: leaf
            Archive-architecture: amd64 arm64
            Archive-http: /debian/
            Archive-rsync: debian/
            Sponsor: Someone https://someone.example/

            site: cd.example.org
            CDImage-http: /debian-cd/

            Country: FR France
            Archive-http: /debian/

            Site: bad host name
            Archive-http: /debian/

            Site: geo.example.net
            Type: GeoDNS
            Archive-https: /debian/
            """
        let page = try Analyze.page(list)
        #expect(page.format == "debian")
        #expect(page.mirrors.map(\.url) == ["http://ftp.de.example.org/debian/", "rsync://ftp.de.example.org/debian/", "https://geo.example.net/debian/"])
        let de = page.mirrors[0]
        #expect(de.country == "de")
        #expect(de.countryName == "Germany")
        #expect(de.city == "Dresden")
        #expect(de.tags == ["type": ["leaf"], "arch": ["amd64", "arm64"]])
        #expect(page.mirrors[2].country == nil)
        #expect(page.warnings.contains("stanza at line 13: no Site, skipped"))
        #expect(page.warnings.contains { $0.hasPrefix("stanza at line 16 (Site: bad host name): the Site is not a host name") })
        #expect(page.warnings.contains { $0.hasPrefix("1 site without a Debian archive") && $0.contains("cd.example.org") })
        #expect(page.warnings.contains("2 entries skipped"))
    }

    @Test func cranCSVWithQuotedFieldsAndCountryCodes() throws {
        let rows = [
            #""Name","Country","City","URL","Host","Maintainer","OK","CountryCode","Comment""#,
            #""UK (Bristol) [https]","UK","Bristol","https://cran.uk.example/","Univ, of ""Bristol""","x # y",1,"uk","""#,
            #""Asia [https]","Asia","-","https://asia.example/cran/","Cloud","z",1,"asia","""#,
            #""Broken","X","Y","https://down.example/","Host","m",0,"de","""#,
            #""Short","X""#,
        ]
        let csv = rows.joined(separator: "\r\n") + "\r\n"
        let page = try Analyze.page(csv, fileName: "CRAN_mirrors.csv")
        #expect(page.format == "cran")
        #expect(page.mirrors.map(\.url) == ["https://cran.uk.example/", "https://asia.example/cran/"])
        #expect(page.mirrors.map(\.country) == ["gb", nil], "uk is GB's ISO code; asia is no country")
        #expect(page.mirrors.map(\.location) == ["gb", "asia"])
        #expect(page.mirrors[0].name == "UK (Bristol) [https]")
        #expect(page.mirrors[0].city == "Bristol")
        #expect(page.warnings.contains { $0.hasPrefix("line 4: Broken is marked not OK by CRAN, skipped") })
        #expect(page.warnings.contains("line 5: 2 fields where the header has 9, skipped"))
    }

    @Test func cranErrorsNameTheLine() {
        #expect(Analyze.error("Name,Country,Address\nA,B,C\n", fileName: "x.csv")?.contains("line 1: the header has no URL column") == true)
        #expect(Analyze.error("Name,URL\n\"A,https://a.example/\n", fileName: "x.csv")?.contains("line 2: a quoted field opened here is never closed") == true)
    }

    @Test func cpanHostsInISO8859_1() throws {
        var text = "# comment\n\nftp.example.de:\n  frequency        = \"daily\"\n  dst_ftp          = \"ftp://ftp.example.de/pub/CPAN/\"\n"
        text += "  dst_http         = \"http://www.example.de/CPAN/\"\n  dst_rsync        = \"ftp.example.de::CPAN\"\n"
        text += "  dst_location     = \"D\u{FC}sseldorf, Nordrhein-Westfalen, Germany, Europe (51.2 6.7)\"\n\n"
        text += "bad host line with spaces\n  dst_http = \"http://skipped.example/\"\n\n"
        text += "empty.example.org:\n  dst_ftp = \"\"\n  dst_location = \"Kyiv (Kiev), Ukraine, Europe (50.4 30.4)\"\n"
        text += "cpan.example.net:\n  dst_http = \"http://cpan.example.net/\"\n  this is not a key line\n"
        // Encode as ISO-8859-1: "ü" is the single byte 0xFC, which is not valid UTF-8.
        let latin1 = Data(text.unicodeScalars.map { UInt8($0.value) })
        let page = try Analyze.page(latin1, fileName: "MIRRORED.BY")
        #expect(page.format == "cpan")
        #expect(page.mirrors.map(\.url) == ["http://www.example.de/CPAN/", "ftp://ftp.example.de/pub/CPAN/", "rsync://ftp.example.de/CPAN/", "http://cpan.example.net/"])
        #expect(page.mirrors[0].city == "D\u{FC}sseldorf")
        #expect(page.mirrors[0].country == "de")
        #expect(page.mirrors[0].countryName == "Germany")
        #expect(page.warnings.contains { $0.hasPrefix("line 10: \"bad host line with spaces\" is not a \"host.name:\" line, skipped") })
        #expect(page.warnings.contains { $0.hasPrefix("host empty.example.org (line 13): no dst_http, dst_ftp or dst_rsync, skipped") })
        #expect(page.warnings.contains { $0.hasPrefix("line 18: \"this is not a key line\" is not a key = \"value\" line") })
        #expect(page.warnings.contains("2 entries skipped"))
    }

    @Test func listsDoNotResolveRelativeURLsAgainstThemselves() throws {
        let page = try Analyze.page("http://a.example/\nmirror.example.org/pub\n", url: "https://lists.example/mirrors.txt")
        #expect(page.mirrors.map(\.url) == ["http://a.example/"])
        #expect(page.warnings.contains { $0.hasPrefix("line 2: \"mirror.example.org/pub\" is not a URL") })
    }

    @Test(arguments: [
        ("Site: a.example\nCDImage-http: /cd/\n", "Debian Mirrors.masterlist", "1 entry read"),
        ("\"Name\",\"URL\"\n", "CRAN mirror CSV", "0 entries read"),
        ("## Germany\n## nothing else\n", "pacman", nil),
        ("only.example:\n  dst_location = \"x\"\n", "CPAN MIRRORED.BY", "1 entry read"),
    ] as [(String, String, String?)])
    func aListWithoutAUsableMirrorSaysSo(text: String, format: String, detail: String?) {
        let name = format.hasPrefix("CRAN") ? "CRAN_mirrors.csv" : format.hasPrefix("CPAN") ? "MIRRORED.BY" : nil
        let message = Analyze.error(text, fileName: name, format: format == "pacman" ? .pacman : nil)
        #expect(message?.contains("no usable mirror") == true, "\(message ?? "loaded")")
        if let detail { #expect(message?.contains(detail) == true, "\(message ?? "")") }
    }
}

@Suite("text lines")
struct TextLinesTests {
    @Test func valuesEndingInNonASCIIKeepTheirLastCharacter() throws {
        let page = try Analyze.page("Site: a.example\nCountry: CH Suisse\nLocation: Zürich \t\nArchive-http: /debian/\r\n")
        #expect(page.mirrors.first?.city == "Zürich")
    }
}
