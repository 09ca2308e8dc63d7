import Foundation
import MirrorscopeCore
import MirrorscopeManifest

extension FuzzTarget {
    /// A user's document through detection, as `mirrorscope FILE` or a fetched page reads it: the
    /// first byte picks a file name (low nibble) and a media type (high nibble), index 0 being none,
    /// so detection by name and by media type is explored as well as by content; the rest is the
    /// body. Every text of the page that reaches the screen must be clean, and limits must hold.
    public static let page = FuzzTarget(name: "page") { bytes in
        guard let selector = bytes.first else { return [] }
        let body = Data(bytes.dropFirst())
        let fileName = pageFileNames[Int(selector & 0x0F) % pageFileNames.count]
        let mediaType = pageMediaTypes[Int(selector >> 4) % pageMediaTypes.count]
        let doc = PageDocument(source: "fuzz", url: fileName.map { "https://fuzz.example/dir/\($0)" } ?? "https://fuzz.example/dir/",
                               contentType: mediaType, body: body, fileName: fileName)
        let analysis: PageAnalysis
        do {
            analysis = try PageAnalyzer.analyze(doc)
        } catch {
            return [ScreenText.problem((error as? ManifestError)?.message ?? "\(error)", "the error")].compactMap { $0 }
        }
        switch analysis {
        case .page(var page):
            var problems = pageProblems(page)
            _ = TemplateVariables.apply(["repo": "core", "arch": "x86_64", "releasever": "40"], to: &page)
            var filter = MirrorFilter()
            filter.countries = ["de"]
            filter.limit = 3
            try? filter.apply(to: &page, now: 1_764_590_000)
            problems += pageProblems(page)
            return problems
        case .follow(let url, let partial):
            return pageProblems(partial) + [ScreenText.problem(url, "the URL to follow")].compactMap { $0 }
        }
    }

    static let pageFileNames: [String?] = [
        nil, "mirrors.meta4", "file.metalink", "mirrorlist", "Mirrors.masterlist", "CRAN_mirrors.csv", "MIRRORED.BY",
        "mirrors.txt", "status.json", "mirrors.json", "index.html", "x.mirrorlist",
    ]
    static let pageMediaTypes: [String?] = [
        nil, "text/html", "application/json", "application/mirror-probe+json", "application/metalink4+xml",
        "application/metalink+xml", "text/plain", "text/csv", "application/xml",
    ]

    static func pageProblems(_ page: Page) -> [String] {
        var problems: [String?] = [ScreenText.problem(page.title, "the title")]
        if page.mirrors.count > ManifestLimits.maxMirrors { problems.append("\(page.mirrors.count) mirrors kept, over the limit") }
        for mirror in page.mirrors {
            problems += [
                ScreenText.problem(mirror.url, "a mirror URL"), ScreenText.problem(mirror.name, "a mirror name"),
                ScreenText.problem(mirror.location, "a location"), ScreenText.problem(mirror.countryName, "a country name"),
                ScreenText.problem(mirror.city, "a city"), ScreenText.problem(mirror.template, "a template"),
                ScreenText.problem(mirror.displayName, "a display name"),
            ]
        }
        for link in page.links { problems.append(ScreenText.problem(link.text, "a link's text")) }
        for warning in page.warnings { problems.append(ScreenText.problem(warning, "a warning")) }
        return problems.compactMap { $0 }
    }
}
