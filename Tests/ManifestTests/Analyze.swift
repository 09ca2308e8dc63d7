import Foundation
import MirrorscopeCore
import MirrorscopeManifest

/// Runs the analyser the way the loader does, on a document written in the test.
enum Analyze {
    static func page(_ body: String, type: String? = nil, links: [String] = [], digests: [String] = [],
                     url: String? = nil, fileName: String? = nil, format: PageFormat? = nil) throws(ManifestError) -> Page {
        try page(Data(body.utf8), type: type, links: links, digests: digests, url: url, fileName: fileName, format: format)
    }

    static func page(_ body: Data, type: String? = nil, links: [String] = [], digests: [String] = [],
                     url: String? = nil, fileName: String? = nil, format: PageFormat? = nil) throws(ManifestError) -> Page {
        let doc = PageDocument(source: fileName ?? url ?? "-", url: url, contentType: type, linkHeaders: links, body: body,
                               digestHeaders: digests, fileName: fileName)
        switch try PageAnalyzer.analyze(doc, format: format) {
        case .page(let page): return page
        case .follow(let target, _): throw ManifestError("unexpected follow to \(target)")
        }
    }

    /// The message of the error analysing `body` throws, or nil when it loads.
    static func error(_ body: String, type: String? = nil, url: String? = nil, fileName: String? = nil, format: PageFormat? = nil) -> String? {
        do {
            _ = try page(body, type: type, url: url, fileName: fileName, format: format)
            return nil
        } catch {
            return error.message
        }
    }
}
