import MirrorscopeCore
import Testing

@Suite("text from the network")
struct TerminalTextTests {
    @Test func escapeSequencesAndControlsAreRemoved() {
        #expect(TerminalText.sanitize("Fra\u{1B}[31mnk\u{1B}[0mfurt") == "Frankfurt")
        #expect(TerminalText.sanitize("evil\u{1B}]0;pwned title\u{07}name") == "evilname", "OSC (window title) removed")
        #expect(TerminalText.sanitize("a\u{1B}]8;;http://x\u{1B}\\link\u{1B}]8;;\u{1B}\\b") == "alinkb", "OSC 8 hyperlinks removed")
        #expect(TerminalText.sanitize("x\u{9B}2Jy") == "xy", "C1 CSI removed")
        #expect(TerminalText.sanitize("bell\u{07}\u{08}\u{7F}s") == "bells")
        #expect(TerminalText.sanitize("a\u{202E}txt.exe") == "atxt.exe", "bidi override removed")
        #expect(TerminalText.sanitize("\tline\none\r\n") == "line one")
        #expect(TerminalText.sanitize("Zürich 東京") == "Zürich 東京", "printable text is kept")
    }

    @Test func longTextIsCut() {
        let s = TerminalText.sanitize(String(repeating: "x", count: 1000), maxCharacters: 10)
        #expect(s.count == 10)
        #expect(s.hasSuffix("…"))
    }
}

@Suite("display width")
struct DisplayWidthTests {
    @Test func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("東京") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1, "combining mark")
        #expect(DisplayWidth.of("█▏") == 2)
    }

    @Test func truncateAndPadRespectWideCharacters() {
        #expect(DisplayWidth.truncate("東京大阪", to: 5) == "東京…")
        #expect(DisplayWidth.of(DisplayWidth.pad("東京", to: 7)) == 7)
        #expect(DisplayWidth.pad("12", to: 5, alignRight: true) == "   12")
    }
}

@Suite("formatting")
struct FormatTests {
    @Test func figures() {
        #expect(Format.ms(0.42) == "0.4 ms")
        #expect(Format.ms(23.4) == "23 ms")
        #expect(Format.ms(1234.6) == "1235 ms")
        #expect(Format.bytes(512) == "512 B")
        #expect(Format.bytes(2 * 1024 * 1024) == "2.0 MiB")
        #expect(Format.fixed(-0.04, decimals: 1) == "0.0")
    }

    @Test func durationsAndDates() {
        #expect(Format.duration(seconds: 45) == "45s")
        #expect(Format.duration(seconds: 3900) == "1h 5m")
        #expect(Format.duration(seconds: 183_600) == "2d 3h")
        #expect(Format.duration(seconds: 0) == "0s")
        #expect(Format.utc(epochSeconds: 0) == "1970-01-01 00:00 UTC")
        #expect(Format.utc(epochSeconds: 1_778_493_720) == "2026-05-11 10:02 UTC")
        #expect(Format.utc(epochSeconds: 951_782_400) == "2000-02-29 00:00 UTC", "a leap day")
    }

    @Test func noticeShortensItsURLBeforeCuttingTheText() {
        let notice = Notice("Fastest: Frankfurt (https://fra.example.org/pub/) 23 ms — Enter to use it", .success,
                            elidable: "https://fra.example.org/pub/")
        let fitted = notice.fitted(to: 60)
        #expect(DisplayWidth.of(fitted) <= 60)
        #expect(fitted.hasSuffix("23 ms — Enter to use it"))
        #expect(fitted.contains("https://…") || fitted.contains("https://fra"))
    }
}
