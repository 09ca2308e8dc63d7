import Foundation
import MirrorscopeFarm
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
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ms-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("hostile.json").path
        try script.write(toFile: page, atomically: true, encoding: .utf8)

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

    /// Nothing of the network's escapes on screen: the texts are there (so the screen was not
    /// cleared), no cell has the injected colour, and no window title was set.
    func check(_ tmux: TmuxSession, _ screen: String, expecting texts: [String]) {
        for text in texts { #expect(screen.contains(text), "\(text) missing:\n\(screen)") }
        let cells = tmux.screenWithAttributes()
        #expect(!cells.contains(Self.colour), "a cell has the network's colour:\n\(cells)")
        let title = tmux.paneTitle()
        #expect(!title.contains("PWNED"), "the network set the title: \(title)")
        #expect(!screen.contains("\u{202E}") && !screen.contains("\u{9B}") && !screen.contains("\u{1B}"), "\(screen)")
    }
}
