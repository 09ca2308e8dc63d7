import Foundation
import MirrorscopeFarm
import NIOHTTP1
import TestSupport
import Testing

/// Terminal escapes, bidi overrides, C1 controls and invalid UTF-8 in everything the network
/// gives the screen (the page's title, mirror names and locations, link texts, a file preview),
/// through the real binary in tmux. tmux interprets what the program writes, so an escape that got
/// through would show as its effect: a pane title, a colour no theme uses (`capture-pane -e`
/// prints the cells' attributes as SGR sequences), or a screen cleared of the text around it.
@Suite("hostile text in tmux", .serialized)
struct HostileTextTests {
    static let esc = "\\u001b"
    /// A colour no theme uses: if it reaches a cell, the network's escape got through.
    static let colour = "38;5;201"

    @Test func escapesFromTheNetworkNeverReachTheTerminal() async throws {
        let preview: [UInt8] = Array("preview \u{1B}]0;PWNED-PREVIEW\u{07}plain \u{1B}[\(Self.colour)mtinted \u{1B}[2J".utf8)
            + [0xFF, 0xFE, 0xC3] + Array(" \u{202E}reversed \u{9B}2Jend\n".utf8)
            // Enough plain text that the one BEL stays under the preview's 1 % of controls (more is binary).
            + Array(String(repeating: "an ordinary line of a text file\n", count: 10).utf8)
        let server = try await WildcardMirror.start(body: preview)
        defer { Task { await server.stop() } }
        let e = Self.esc
        let mirrors = (0..<3).map { n in
            #"{"url": "\#(server.url(ofMirror: n))", "id": "m\#(n)", "name": "Mal\#(e)[\#(Self.colour)mware\#(n)\#(e)]0;PWNED\#(n)\u0007", "#
                + #""location": "Bad\u009b2Jplace\u202e\#(n)"}"#
        }
        let script = #"{"version": 1, "title": "Evil\#(e)]0;PWNED-TITLE\u0007 title\#(e)[\#(Self.colour)m\u202e", "#
            + #""mirrors": [\#(mirrors.joined(separator: ", "))], "#
            + #""links": [{"path": "notes.txt", "text": "note\#(e)[2Jbook\#(e)]0;PWNED-LINK\u0007s"}], "#
            + #""probe": {"path": "probe.bin", "samples": 1, "timeout_ms": 3000}}"#
        let (folder, page) = try Self.writePage(script)
        defer { try? FileManager.default.removeItem(at: folder) }

        let tmux = try TmuxSession(command: "'\(try BuiltBinary.path())' '\(page)'", width: 100, height: 30)
        defer { tmux.stop() }
        var screen = try await tmux.waitFor("Fastest:")
        check(tmux, screen, expecting: ["Evil title", "Malware0", "badpl"])
        try tmux.send("Enter")
        screen = try await tmux.waitFor("notebooks")
        check(tmux, screen, expecting: ["notebooks"])
        try tmux.send("Enter")
        screen = try await tmux.waitFor("the preview") { $0.contains("tinted") && $0.contains("end") }
        check(tmux, screen, expecting: ["plain", "tinted", "reversed"])
        try tmux.send("q")
    }

    /// The rest of what a server says reaches the screen too: the names of a folder listing (its
    /// links' texts and their percent-decoded file names), and the status of a save that the
    /// server refused with escapes in its reason phrase. (NIO's decoder builds the status from the
    /// code alone, so the phrase shown is the standard one; the test holds that in place.)
    @Test func escapesInListingsAndReasonPhrasesNeverReachTheTerminal() async throws {
        let e = "\u{1B}"
        let listing = """
            <html><head><title>Index of /files/</title></head><body><pre>
            <a href="a%1B%5B\(Self.colour)mtinted.txt">a\(e)[\(Self.colour)mtinted.txt</a>
            <a href="b%E2%80%AEtxt.exe">b\u{202E}txt.exe</a>
            <a href="c%C2%9B2J.txt">c\(e)]0;PWNED-LIST\u{07}listed.txt</a>
            </pre></body></html>
            """
        let reason = "Gone\(e)]0;PWNED-REASON\u{07}\(e)[\(Self.colour)mfor\u{9B}2Jgood"
        let server = try await StaticServer.start([
            "/m/probe.bin": .init(contentType: "application/octet-stream", body: Array("probe".utf8)),
            "/m/files/": .init(contentType: "text/html", body: Array(listing.utf8)),
            "/m/gone.iso": .init(contentType: "text/plain", body: Array("gone\n".utf8), status: .custom(code: 410, reasonPhrase: reason)),
        ])
        defer { Task { try? await server.shutdown() } }
        let script = #"{"version": 1, "title": "Hostile server", "mirrors": [{"url": "\#(server.baseURL)m/", "name": "Plain"}], "#
            + #""links": [{"path": "files/", "text": "the files"}, {"path": "gone.iso", "text": "the image"}], "#
            + #""probe": {"path": "probe.bin", "samples": 1, "timeout_ms": 3000}}"#
        let (folder, page) = try Self.writePage(script)
        defer { try? FileManager.default.removeItem(at: folder) }

        let tmux = try TmuxSession(command: "'\(try BuiltBinary.path())' '\(page)' --download-dir '\(folder.path)'", width: 100, height: 30)
        defer { tmux.stop() }
        _ = try await tmux.waitFor("Fastest:")
        try tmux.send("Enter")
        var screen = try await tmux.waitFor("the image")
        try tmux.send("Enter")
        screen = try await tmux.waitFor("the listing") { $0.contains("tinted") && $0.contains("listed") }
        check(tmux, screen, expecting: ["tinted.txt", "listed.txt"])
        try tmux.send("BSpace")
        _ = try await tmux.waitFor("the image")
        try tmux.send("Down")
        try tmux.send("w")
        screen = try await tmux.waitFor("failed: Plain: HTTP 410")
        check(tmux, screen, expecting: ["410", "failed"])
        #expect(!screen.contains("good"), "the network's reason phrase reached the screen:\n\(screen)")
        try tmux.send("q")
    }

    /// A page the server refuses, with escapes in the reason phrase: the message on stderr (the
    /// user's terminal) carries the code and none of the escapes, and the exit code is 2.
    @Test func aReasonPhraseInAPageErrorIsCleaned() async throws {
        let reason = "Oops\u{1B}]0;PWNED\u{07}\u{1B}[2J\u{9B}31mzzredzz"
        let server = try await StaticServer.start([
            "/page": .init(contentType: "text/html", body: Array("no".utf8), status: .custom(code: 500, reasonPhrase: reason)),
        ])
        defer { Task { try? await server.shutdown() } }
        let result = try await ProcessRunner.run(try BuiltBinary.path(), ["list", server.baseURL + "page"],
                                                 environment: ["PATH": "/usr/bin:/bin", "no_proxy": "*"], timeout: .seconds(30))
        #expect(result.status == 2)
        #expect(result.stderr.contains("500") && !result.stderr.contains("zzred"), "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}") && !result.stderr.contains("\u{9B}") && !result.stderr.contains("\u{07}"),
                "escapes on stderr: \(result.stderr.debugDescription)")
    }

    /// The probe script in a fresh folder of its own (also the download folder): the folder and the page's path.
    static func writePage(_ script: String) throws -> (folder: URL, page: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let page = folder.appendingPathComponent("hostile.json").path
        try script.write(toFile: page, atomically: true, encoding: .utf8)
        return (folder, page)
    }

    /// Nothing of the network's escapes on screen: the texts are there (so the screen was not
    /// cleared), no cell has the injected colour, and no window title was set.
    func check(_ tmux: TmuxSession, _ screen: String, expecting texts: [String]) {
        for text in texts { #expect(screen.contains(text), "\(text) missing:\n\(screen)") }
        // The colour as an attribute (an SGR sequence of capture-pane), not as text of a URL.
        let cells = tmux.screenWithAttributes()
        #expect(cells.range(of: "\u{1B}\\[[0-9;]*\(Self.colour)m", options: .regularExpression) == nil,
                "a cell has the network's colour:\n\(cells)")
        let title = tmux.paneTitle()
        #expect(!title.contains("PWNED"), "the network set the title: \(title)")
        #expect(!screen.contains("\u{202E}") && !screen.contains("\u{9B}") && !screen.contains("\u{1B}"), "\(screen)")
    }
}
