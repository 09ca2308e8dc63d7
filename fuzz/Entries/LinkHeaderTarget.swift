import Foundation
import MirrorscopeManifest

extension FuzzTarget {
    /// `Link` header values (one per line of the input), parsed and, when they make a page (RFC
    /// 6249 duplicates, a linked probe script or Metalink), analysed as the response they came on.
    public static let linkHeader = FuzzTarget(name: "link-header") { bytes in
        let values = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        _ = LinkHeader.parse(values)
        guard PageAnalyzer.linkHeadersMakeAPage(values) else { return [] }
        let doc = PageDocument(source: "fuzz", url: "https://fuzz.example/pub/file.iso", linkHeaders: values, body: Data(),
                               digestHeaders: values.filter { $0.contains("=") })
        switch try? PageAnalyzer.analyze(doc) {
        case .page(let page)?: return pageProblems(page)
        case .follow(let url, let partial)?: return pageProblems(partial) + [ScreenText.problem(url, "the URL to follow")].compactMap { $0 }
        case nil: return []
        }
    }
}
