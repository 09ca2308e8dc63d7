import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import MirrorscopeNetwork
import NIOCore

/// Why the page cannot be used: unreachable, not found, too large, or without mirrors.
/// The CLI prints `message` on stderr and exits 2.
public struct PageLoadError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A page with what reading it cost: `mirrorscope list --timing` reports the parse alone.
public struct LoadedPage: Sendable {
    public var page: Page
    /// Reading the document (and a linked one), from the disk or the network.
    public var readDuration: Duration
    /// Analysing it: detection and parsing, without the reading.
    public var parseDuration: Duration
}

extension WebClient {
    // Metalink types are asked for by name, as aria2 does: MirrorBrain and MirrorManager answer a
    // download URL with its Metalink then, instead of redirecting to one mirror.
    static let pageAccept = "text/html, \(ProbeScript.mediaType), application/metalink4+xml, application/metalink+xml, text/plain;q=0.9, */*;q=0.5"
    /// With `--input-format rfc6249` the user wants the redirect's `Link` headers: a redirector that
    /// also speaks Metalink (MirrorBrain, mirrorbits, `mirrorscope serve`) would answer a Metalink
    /// to the types above instead of redirecting.
    static let duplicatesAccept = "text/html, text/plain;q=0.9, */*;q=0.5"

    /// Reads the page the user pointed at (http(s) URL, file path, file:// URL, or "-" for stdin),
    /// follows a linked probe script or Metalink, and returns a page with at least one mirror.
    /// `format` overrides the detection (`--input-format`).
    public func loadPage(_ source: String, format: PageFormat? = nil) async throws(PageLoadError) -> Page {
        try await loadPageTimed(source, format: format).page
    }

    public func loadPageTimed(_ source: String, format: PageFormat? = nil) async throws(PageLoadError) -> LoadedPage {
        try await Self.loadPageTimed(source, format: format) { self }
    }

    /// `loadPageTimed` for callers that need the network only for http(s) pages (`list` of a file
    /// starts no HTTP client): `web` is asked for a client the first time one is needed.
    public static func loadPageTimed(_ source: String, format: PageFormat?,
                                     web: () throws(PageLoadError) -> WebClient) async throws(PageLoadError) -> LoadedPage {
        let clock = ContinuousClock()
        var start = clock.now
        let document = try await readDocument(source, accept: format == .rfc6249 ? WebClient.duplicatesAccept : WebClient.pageAccept,
                                              web: web)
        var readDuration = clock.now - start
        var parseDuration = Duration.zero
        var page: Page
        do {
            start = clock.now
            let analysis = try PageAnalyzer.analyze(document, format: format)
            parseDuration += clock.now - start
            switch analysis {
            case .page(let p):
                page = p
            case .follow(let linkedURL, let partial):
                start = clock.now
                let linked = try await readDocument(linkedURL, describedAs: "the document linked from \(source)", web: web)
                readDuration += clock.now - start
                start = clock.now
                page = try PageAnalyzer.complete(partial, script: linked)
                parseDuration += clock.now - start
            }
        } catch let error as ManifestError {
            throw PageLoadError(error.message)
        } catch let error as PageLoadError {
            throw error
        } catch {
            throw PageLoadError("\(source): \(error)")
        }
        guard !page.mirrors.isEmpty else {
            throw PageLoadError("no mirrors found in \(source)" + (page.warnings.isEmpty ? "" : " (" + page.warnings.joined(separator: "; ") + ")"))
        }
        return LoadedPage(page: page, readDuration: readDuration, parseDuration: parseDuration)
    }

    static func readDocument(_ source: String, describedAs what: String? = nil, accept: String = WebClient.pageAccept,
                             web: () throws(PageLoadError) -> WebClient) async throws(PageLoadError) -> PageDocument {
        let name = what ?? source
        if source == "-" {
            return PageDocument(source: "(stdin)", url: nil, body: try readStandardInput())
        }
        let lower = source.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            return try await web().readHTTP(source, name: name, accept: accept)
        }
        if lower.hasPrefix("file://") {
            guard let url = URL(string: source), url.isFileURL else { throw PageLoadError("\(name): not a usable file URL") }
            return try readFile(url.path, source: source)
        }
        if let colon = source.firstIndex(of: ":"), source[colon...].hasPrefix("://") {
            throw PageLoadError("\(name): \(source[..<colon]) is not supported; give an http(s) URL, a file path, or - for stdin")
        }
        return try readFile(source, source: source)
    }

    func readHTTP(_ url: String, name: String, accept: String = WebClient.pageAccept) async throws(PageLoadError) -> PageDocument {
        // The whole page, body included, must come within the timeout: the connector bounds only
        // the head and each stall, so a page served a byte a second would otherwise never end.
        let until = ContinuousClock.now + configuration.timeout
        do {
            return try await get(url, accept: accept, deadline: configuration.timeout,
                                 keepRedirect: { PageAnalyzer.linkHeadersMakeAPage($0.headers["Link"]) }) { response, finalURL in
                let links = response.headers["Link"]
                if (300..<400).contains(response.status.code), PageAnalyzer.linkHeadersMakeAPage(links) {
                    // A redirect kept for its Link headers: they are the page (mirrors of the file the
                    // URL names, which is then what gets probed); its body is a "moved" note.
                    return PageDocument(source: url, url: finalURL, linkHeaders: links, body: Data(),
                                        digestHeaders: response.headers["Digest"])
                }
                guard (200..<300).contains(response.status.code) else {
                    throw PageLoadError("\(name) answered HTTP \(response.status.code) \(response.status.reasonPhrase)")
                }
                var body = Data()
                do {
                    body = try await Self.collect(response.body, name: name, until: until, timeout: configuration.timeout)
                } catch is NIOTooManyBytesError {
                    // A large file answered with RFC 6249 mirrors or a Metalink link: the headers are
                    // the page, the file itself is not needed.
                    guard PageAnalyzer.linkHeadersMakeAPage(links) else {
                        throw PageLoadError("\(name) is larger than \(ManifestLimits.maxDocumentBytes / 1024 / 1024) MiB; not a page this program reads")
                    }
                }
                return PageDocument(source: url, url: finalURL, contentType: response.headers.first(name: "Content-Type"),
                                    linkHeaders: links, body: body, digestHeaders: response.headers["Digest"])
            }
        } catch let error as PageLoadError {
            throw error
        } catch {
            throw PageLoadError("cannot fetch \(name): \(NetworkErrorText.describe(error))")
        }
    }

    /// The body up to the document limit (`NIOTooManyBytesError` past it), refused once `until`
    /// has passed (checked as each chunk arrives; a body that stops arriving ends at the
    /// connector's read timeout).
    static func collect(_ body: HTTPAnswerBody, name: String, until: ContinuousClock.Instant, timeout: Duration) async throws -> Data {
        var data = Data()
        for try await chunk in body {
            guard data.count + chunk.readableBytes <= ManifestLimits.maxDocumentBytes else {
                throw NIOTooManyBytesError(maxBytes: ManifestLimits.maxDocumentBytes)
            }
            data.append(contentsOf: chunk.readableBytesView)
            if ContinuousClock.now > until {
                throw PageLoadError("\(name) did not arrive within \(timeout.components.seconds) s (\(data.count) bytes so far); not a page this program reads")
            }
        }
        return data
    }

    static func readFile(_ path: String, source: String) throws(PageLoadError) -> PageDocument {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PageLoadError("\(source): no such file (give an http(s) URL, a file path, or - for stdin)")
        }
        guard !isDirectory.boolValue else { throw PageLoadError("\(source): is a folder, not a page") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw PageLoadError("\(source): cannot be read (permission?)") }
        defer { try? handle.close() }
        let data = try readBounded(handle, name: source)
        let url = URL(fileURLWithPath: path).standardizedFileURL
        return PageDocument(source: source, url: url.absoluteString, body: data, fileName: url.lastPathComponent)
    }

    static func readStandardInput() throws(PageLoadError) -> Data {
        try readBounded(FileHandle.standardInput, name: "standard input")
    }

    /// Reads to the end, refusing more than the document limit (so `cat /dev/zero | mirrorscope -` ends).
    static func readBounded(_ handle: FileHandle, name: String) throws(PageLoadError) -> Data {
        var data = Data()
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 64 * 1024) ?? Data()
            } catch {
                throw PageLoadError("\(name): cannot be read (\(error.localizedDescription))")
            }
            if chunk.isEmpty { return data }
            data.append(chunk)
            if data.count > ManifestLimits.maxDocumentBytes {
                throw PageLoadError("\(name) is larger than \(ManifestLimits.maxDocumentBytes / 1024 / 1024) MiB; not a page this program reads")
            }
        }
    }
}
