import MirrorscopeCore
import NIOCore
import NIOHTTP1

/// The large file's answers: the file itself with `Range`/`If-Range` (and the mirror's download
/// fault), and the documents that describe its current version (`SHA256SUMS`, a Metalink).
struct LargeFileAnswer {
    enum Kind { case file, sums, metalink }
    var kind: Kind
}

extension FarmHTTPHandler {
    func largeFileAnswer(_ file: FarmLargeFile, _ head: HTTPRequestHead) -> LargeFileAnswer? {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? head.uri
        if path.hasSuffix("/files/" + FarmLargeFile.name) { return LargeFileAnswer(kind: .file) }
        if path.hasSuffix("/files/" + FarmLargeFile.name + ".meta4") { return LargeFileAnswer(kind: .metalink) }
        if path.hasSuffix("/files/" + FarmFiles.sumsName) { return LargeFileAnswer(kind: .sums) }
        return nil
    }

    /// The head and body of an answer about the large file; nil body for the documents' resources.
    func largeFileResponse(_ file: FarmLargeFile, _ answer: LargeFileAnswer, to request: HTTPRequestHead,
                           fault: FarmDownloadFault?) -> (HTTPResponseStatus, HTTPHeaders, FarmBody) {
        var headers = HTTPHeaders()
        switch answer.kind {
        case .sums:
            let routes = site.resource(forURI: request.uri)
            var text = routes.body
            text.writeString("\(file.sha256)  \(FarmLargeFile.name)\n")
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            return (.ok, headers, FarmBody(source: .buffer(text)))
        case .metalink:
            headers.add(name: "Content-Type", value: "application/metalink4+xml")
            return (.ok, headers, FarmBody(source: .buffer(ByteBuffer(string: file.metalink()))))
        case .file:
            let version = file.version
            let etag = file.etag(version: version), lastModified = file.lastModified(version: version)
            headers.add(name: "Content-Type", value: "application/octet-stream")
            headers.add(name: "ETag", value: etag)
            headers.add(name: "Last-Modified", value: lastModified)
            headers.add(name: "Accept-Ranges", value: "bytes")
            // If-Range: the range only while the client's validator is still the file's (RFC 9110 13.1.5).
            let validatorHolds = request.headers.first(name: "If-Range").map { $0 == etag || $0 == lastModified } ?? true
            var range = 0..<file.size
            var status = HTTPResponseStatus.ok
            if fault != .ignoreRange, validatorHolds,
               let asked = request.headers.first(name: "Range").flatMap({ Self.byteRange($0, size: file.size) }) {
                range = asked
                status = .partialContent
                headers.add(name: "Content-Range", value: "bytes \(asked.lowerBound)-\(asked.upperBound - 1)/\(file.size)")
            }
            var body = FarmBody(source: .file(file, version: version, next: range.lowerBound, end: range.upperBound))
            switch fault {
            case .resetAfter(let n): body.cut = (n, true)
            case .stallAfter(let n): body.cut = (n, false)
            case .wrongBytes(let bad): body.corrupt = bad
            case .ignoreRange, nil: break
            }
            if request.method == .HEAD { body = FarmBody(source: .buffer(ByteBuffer())) }
            return (status, headers, body)
        }
    }
}
