import AsyncHTTPClient
import Foundation
import MirrorscopeCore
import MirrorscopeManifest
import NIOCore

/// Why the page cannot be used: unreachable, not found, too large, or without mirrors.
/// The CLI prints `message` on stderr and exits 2.
public struct PageLoadError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension WebClient {
    static let pageAccept = "text/html, application/mirror-probe+json, text/plain;q=0.9, */*;q=0.5"

    /// Reads the page the user pointed at (http(s) URL, file path, file:// URL, or "-" for stdin),
    /// follows a linked probe script, and returns a page with at least one mirror.
    public func loadPage(_ source: String) async throws(PageLoadError) -> Page {
        let document = try await readDocument(source)
        var page: Page
        do {
            switch try PageAnalyzer.analyze(document) {
            case .page(let p):
                page = p
            case .follow(let scriptURL, let partial):
                let script = try await readDocument(scriptURL, describedAs: "the probe script linked from \(source)")
                page = try PageAnalyzer.complete(partial, script: script)
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
        return page
    }

    func readDocument(_ source: String, describedAs what: String? = nil) async throws(PageLoadError) -> PageDocument {
        let name = what ?? source
        if source == "-" {
            return PageDocument(source: "(stdin)", url: nil, body: try readStandardInput())
        }
        let lower = source.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            return try await readHTTP(source, name: name)
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

    func readHTTP(_ url: String, name: String) async throws(PageLoadError) -> PageDocument {
        do {
            let response = try await get(url, accept: WebClient.pageAccept, deadline: configuration.timeout)
            guard (200..<300).contains(response.status.code) else {
                throw PageLoadError("\(name) answered HTTP \(response.status.code) \(response.status.reasonPhrase)")
            }
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: ManifestLimits.maxDocumentBytes)
            } catch is NIOTooManyBytesError {
                throw PageLoadError("\(name) is larger than \(ManifestLimits.maxDocumentBytes / 1024 / 1024) MiB; not a page this program reads")
            }
            return PageDocument(source: url, url: response.url?.absoluteString ?? url,
                                contentType: response.headers.first(name: "Content-Type"),
                                linkHeaders: response.headers["Link"], body: Data(body.readableBytesView))
        } catch let error as PageLoadError {
            throw error
        } catch {
            throw PageLoadError("cannot fetch \(name): \(NetworkErrorText.describe(error))")
        }
    }

    func readFile(_ path: String, source: String) throws(PageLoadError) -> PageDocument {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PageLoadError("\(source): no such file (give an http(s) URL, a file path, or - for stdin)")
        }
        guard !isDirectory.boolValue else { throw PageLoadError("\(source): is a folder, not a page") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw PageLoadError("\(source): cannot be read (permission?)") }
        defer { try? handle.close() }
        let data = try readBounded(handle, name: source)
        let url = URL(fileURLWithPath: path).standardizedFileURL.absoluteString
        return PageDocument(source: source, url: url, body: data)
    }

    func readStandardInput() throws(PageLoadError) -> Data {
        try readBounded(FileHandle.standardInput, name: "standard input")
    }

    /// Reads to the end, refusing more than the document limit (so `cat /dev/zero | mirrorscope -` ends).
    func readBounded(_ handle: FileHandle, name: String) throws(PageLoadError) -> Data {
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
