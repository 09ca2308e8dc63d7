import MirrorscopeCore
@testable import MirrorscopeTerminal
import Testing

/// Keys the terminal sends as escape sequences ncurses does not know must not act as Esc (quit).
@Suite struct KeyDecoderTests {
    func keys(_ inputs: [KeyDecoder.Input]) -> [Key] {
        KeyDecoder.droppingUnknownSequences(inputs).compactMap { if case .key(let k) = $0 { return k } else { return nil } }
    }

    func chars(_ text: String) -> [KeyDecoder.Input] { text.map { .key(.char($0)) } }

    @Test func aLoneEscapeIsKept() {
        #expect(keys([.key(.escape)]) == [.escape])
        #expect(keys([.key(.char("j")), .key(.escape)]) == [.char("j"), .escape])
    }

    @Test func anUnknownCSISequenceIsDroppedWhole() {
        // End as tmux sends it to a terminal whose terminfo does not know it: ESC [ 4 ~
        #expect(keys([.key(.escape)] + chars("[4~") + chars("j")) == [.char("j")])
        // With parameters: ESC [ 1 ; 5 C (Ctrl-Right)
        #expect(keys([.key(.escape)] + chars("[1;5C")) == [])
    }

    @Test func anUnknownSS3SequenceIsDropped() {
        #expect(keys([.key(.escape)] + chars("OF") + [.key(.down)]) == [.down])
    }

    @Test func escapeFollowedByAnOrdinaryKeyStaysTwoKeys() {
        #expect(keys([.key(.escape), .key(.char("q"))]) == [.escape, .char("q")])
    }

    @Test func aTruncatedSequenceDoesNotSwallowWhatFollowsItsEnd() {
        #expect(keys([.key(.escape)] + chars("[")) == [])
        #expect(keys([.key(.escape)] + chars("[12")) == [])
    }

    @Test func resizesPassThrough() {
        let out = KeyDecoder.droppingUnknownSequences([.resize, .key(.escape)] + chars("[4~") + [.resize])
        #expect(out.count == 2)
    }
}
