import AsyncHTTPClient
import Foundation
import MirrorscopeCore
import MirrorscopeManifest
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
                let (response, _) = try await get(request.url, accept: "*/*", deadline: .seconds(3600))
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
            let (response, _) = try await get(request.url, accept: "*/*", deadline: configuration.timeout)
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

enum TextPreview {
    static func looksLikeText(_ bytes: [UInt8], contentType: String) -> Bool {
        if bytes.isEmpty { return false }
        if contentType.hasPrefix("text/") || contentType.contains("json") || contentType.contains("xml") { return true }
        if bytes.contains(0) { return false }
        return String(validating: bytes, as: UTF8.self) != nil || String(validating: bytes.dropLast(3), as: UTF8.self) != nil
    }

    /// The first lines, each cleaned of control and escape sequences (the content is untrusted).
    static func lines(_ bytes: [UInt8], limit: Int) -> [String] {
        TextLines.lines(String(decoding: bytes, as: UTF8.self))  // LF, CRLF or CR
            .prefix(limit)
            .map { TerminalText.sanitize(String($0).replacingOccurrences(of: "\t", with: "    "), maxCharacters: 400) }
    }
}

/// Where a saved file goes. The name comes from the network, so it must not leave the download
/// folder: no separators, no "..", no hidden names, no control characters; never overwrite.
struct DownloadTarget {
    struct Refusal: Error { var message: String }

    let path: String

    static func choose(path: String, folder: String) throws(Refusal) -> DownloadTarget {
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        let name = last.removingPercentEncoding ?? last
        guard !name.isEmpty, name != ".", name != "..", !name.hasPrefix("."), !name.contains("/"), !name.contains("\\"),
              !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }), name.utf8.count <= 255 else {
            throw Refusal(message: "refusing to save \"\(TerminalText.sanitize(last, maxCharacters: 60))\": not a plain file name")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Refusal(message: "download folder \(folder) does not exist")
        }
        let base = (folder as NSString).appendingPathComponent(name)
        var candidate = base
        var n = 1
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = base + ".\(n)"
            n += 1
        }
        return DownloadTarget(path: candidate)
    }

    /// Streams the body to a temporary name beside the target, then renames it: an interrupted
    /// download never leaves a file that looks complete.
    func write(_ body: HTTPClientResponse.Body) async throws -> Int {
        let partial = path + ".part"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial) else {
            throw Refusal(message: "cannot write \(partial)")
        }
        var total = 0
        do {
            for try await chunk in body {
                try handle.write(contentsOf: Data(chunk.readableBytesView))
                total += chunk.readableBytes
            }
            try handle.close()
            try FileManager.default.moveItem(atPath: partial, toPath: path)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        return total
    }
}
