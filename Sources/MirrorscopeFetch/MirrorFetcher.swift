import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import MirrorscopeDownload
import NIOCore

/// Uses the chosen mirror: opens a file (status, size, time, first lines), lists a folder, or saves a file.
extension WebClient {
    /// What "open" keeps of a body for its preview and listing.
    static let previewBytes = 64 * 1024
    /// "Open" reads at most this much to measure a file; bigger files are measured by Content-Length.
    static let openReadLimit = 64 * 1024 * 1024
    static let previewLines = 40

    public func fetch(_ request: FetchRequest) async -> FetchResult {
        let clock = ContinuousClock()
        let start = clock.now
        var result = FetchResult(requestID: request.id, url: request.url)
        func elapsed() -> Double { (clock.now - start).milliseconds }  // one reading of the clock
        do {
            if case .save(let folder) = request.kind {
                let target = try DownloadTarget.choose(path: request.path, folder: folder)
                return try await get(request.url, accept: "*/*", deadline: .seconds(3600)) { response, _ in
                    var result = result
                    result.status = Int(response.status.code)
                    result.contentType = response.headers.first(name: "Content-Type")
                    guard (200..<300).contains(response.status.code) else {
                        result.error = "HTTP \(response.status.code) \(response.status.reasonPhrase): nothing saved"
                        result.elapsedMs = elapsed()
                        return result
                    }
                    result.bytes = try await target.write(response.body)
                    result.savedTo = target.path
                    result.elapsedMs = elapsed()
                    return result
                }
            }
            result = try await get(request.url, accept: "*/*", deadline: configuration.timeout) { response, _ in
                var result = result
                result.status = Int(response.status.code)
                result.contentType = response.headers.first(name: "Content-Type")
                var head = [UInt8]()
                var total = 0
                for try await chunk in response.body {
                    total += chunk.readableBytes
                    if head.count < WebClient.previewBytes {
                        head += chunk.readableBytesView.prefix(WebClient.previewBytes - head.count)
                    }
                    if total >= WebClient.openReadLimit { break }
                }
                if total >= WebClient.openReadLimit, let length = response.headers.first(name: "Content-Length").flatMap(Int.init) {
                    total = length
                }
                result.bytes = total
                result.elapsedMs = elapsed()
                let type = result.contentType?.lowercased() ?? ""
                if type.hasPrefix("text/html"), (200..<300).contains(response.status.code) {
                    let folderURL = request.url.hasSuffix("/") ? request.url : request.url + "/"
                    let links = PageAnalyzer.links(inHTML: String(decoding: head, as: UTF8.self), folderURL: folderURL)
                    let prefix = request.path.isEmpty || request.path.hasSuffix("/") ? request.path : request.path + "/"
                    if case .list = request.kind {
                        result.listing = links.map { PageLink(text: $0.text, path: prefix + $0.path) }
                    }
                }
                if TextPreview.looksLikeText(head, contentType: type) {
                    result.preview = TextPreview.lines(head, limit: WebClient.previewLines)
                }
                return result
            }
        } catch let error as DownloadTarget.Refusal {
            result.error = error.message
            result.elapsedMs = elapsed()
        } catch {
            result.error = "\(request.url): \(NetworkErrorText.describe(error))"
            result.elapsedMs = elapsed()
        }
        return result
    }
}
