import MirrorscopeCore
import Testing

/// `S`: the ranked list written at once to `--save FILE`, or proposed and confirmed.
@Suite("update: saving the ranked list")
struct SaveUpdateTests {
    typealias F = Fixtures

    @Test func withoutSaveSItNamesTheFileAndAsks() throws {
        var state = F.roundDone()
        state.options.save = SaveSettings(format: .pacman)
        #expect(F.keys(&state, .char("S")).isEmpty, "nothing is written before the yes")
        let proposal = try #require(state.saveProposal)
        #expect(proposal.path == "./mirrorlist")
        #expect(proposal.format == .pacman)
        #expect(proposal.list.entries.map(\.mirror.id) == ["fra", "par", "lon", "tok"], "fastest first, failed left out")
        #expect(state.notice?.text.contains("to ./mirrorlist as a pacman mirrorlist?") == true)
        #expect(state.keyContext == .confirm)
        #expect(render(state).rowText(23).contains("y/Enter write it"), "the footer says how to answer")

        // Other keys leave the question standing; y writes.
        #expect(F.keys(&state, .char("r"), .down).isEmpty)
        #expect(state.saveProposal != nil && !state.roundActive, "r did not re-probe under the question")
        #expect(F.keys(&state, .char("y")) == [.saveList(proposal)])
        #expect(state.saveProposal == nil)
    }

    @Test func noLeavesItUnwritten() {
        var state = F.roundDone()
        _ = F.keys(&state, .char("S"))
        #expect(F.keys(&state, .escape).isEmpty)
        #expect(state.saveProposal == nil)
        #expect(state.notice?.text == "Not saved")
        #expect(!state.finished, "Esc answered the question; it did not quit")
    }

    @Test func withSaveSWritesThereAtOnce() throws {
        var state = F.roundDone()
        state.options.save = SaveSettings(path: "/etc/pacman.d/mirrorlist", format: .pacman, keep: 2)
        let effects = F.keys(&state, .char("S"))
        guard case .saveList(let request)? = effects.first else { Issue.record("no save: \(effects)"); return }
        #expect(request.path == "/etc/pacman.d/mirrorlist")
        #expect(request.list.entries.map(\.mirror.id) == ["fra", "par"])
        #expect(request.list.leftOut == ["2 failed", "2 beyond --keep 2"])
        #expect(state.saveProposal == nil)
    }

    @Test func nothingAnsweredMeansNothingToSave() {
        var state = F.started()
        state.options.save = SaveSettings(path: "/tmp/x", format: .plain)
        #expect(F.keys(&state, .char("S")).isEmpty)
        #expect(state.notice?.text.hasPrefix("Nothing to save yet") == true)
    }

    @Test func aSourcesListKeepsTheFastestAloneUnlessAskedForMore() throws {
        var state = F.roundDone()
        state.options.save = SaveSettings(path: "/tmp/sources.list", format: .aptSources)
        guard case .saveList(let request)? = F.keys(&state, .char("S")).first else { Issue.record("no save"); return }
        #expect(request.list.entries.map(\.mirror.id) == ["fra"])
    }

    @Test func theResultIsTold() {
        var state = F.roundDone()
        _ = update(&state, .saved(SaveResult(requestID: 7, path: "./mirrorlist", count: 4, backup: "./mirrorlist.bak")))
        #expect(state.notice?.text == "Saved 4 mirrors to ./mirrorlist (the previous file is kept as ./mirrorlist.bak)")
        _ = update(&state, .saved(SaveResult(requestID: 8, path: "/etc/x", count: 0, error: "cannot write /etc/x: permission denied")))
        #expect(state.notice?.text == "Not saved: cannot write /etc/x: permission denied")
        #expect(state.notice?.kind == .error)
    }

    @Test func theFormatFollowsTheInputs() {
        #expect(ListFileFormat.following(input: "pacman") == .pacman)
        #expect(ListFileFormat.following(input: "arch-status") == .pacman)
        #expect(ListFileFormat.following(input: "apt") == .aptMirrorlist)
        #expect(ListFileFormat.following(input: "metalink4") == .metalink4)
        #expect(ListFileFormat.following(input: "probe-script") == .plain)
        #expect(ListFileFormat.following(input: nil) == .plain)
    }
}
