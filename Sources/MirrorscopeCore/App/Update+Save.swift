// `S`: saving the ranked list of the round (`SavedList`) through the runtime (`Effect.saveList`),
// at once to `--save FILE` or after a yes to the file it proposes.

/// `S`: with `--save FILE`, writes there at once; otherwise proposes a file and asks. Never an
/// empty list: with no mirror answered yet it says so and writes nothing.
func saveRankedList(_ state: inout AppState) -> [Effect] {
    let settings = state.options.save
    let list = SavedList.from(state, keep: settings.effectiveKeep, variables: settings.variables)
    guard !list.entries.isEmpty else {
        state.notice = Notice(state.roundActive ? "Nothing to save yet: no mirror has answered in this round"
                                                : "Nothing to save: no mirror answered in round \(state.round) — r to re-probe", .warning)
        return []
    }
    let path = settings.path ?? filePath(in: state.options.downloadFolder, settings.format.defaultFileName)
    let request = SaveRequest(id: state.nextRequestID, path: path, format: settings.format, list: list)
    state.nextRequestID += 1
    let count = "\(list.entries.count) mirror\(list.entries.count == 1 ? "" : "s")"
    let sofar = state.roundActive ? " answered so far" : ""
    if settings.path != nil {
        state.notice = Notice("Saving \(count) to \(path)…")
        return [.saveList(request)]
    }
    state.saveProposal = request
    state.notice = Notice("Write the \(count)\(sofar), fastest first, to \(path) as a \(settings.format.title)? "
                          + "y/Enter writes it (a file there is kept as .bak), n/Esc cancels", .warning)
    return []
}

private func filePath(in folder: String, _ name: String) -> String {
    folder.hasSuffix("/") ? folder + name : folder + "/" + name
}

/// The answer to a proposed save: yes writes, no forgets it; other keys leave the question
/// standing (Ctrl-C is `update`'s: it quits).
func answerSaveProposal(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard let request = state.saveProposal else { return [] }
    switch Keymap.action(for: key, in: .confirm) {
    case .confirm:
        state.saveProposal = nil
        state.notice = Notice("Saving \(request.list.entries.count) mirrors to \(request.path)…")
        return [.saveList(request)]
    case .cancel:
        state.saveProposal = nil
        state.notice = Notice("Not saved")
    default:
        break
    }
    return []
}

func applySaveResult(_ state: inout AppState, _ result: SaveResult) {
    if let error = result.error {
        state.notice = Notice("Not saved: \(error)", .error)
    } else {
        let kept = result.backup.map { " (the previous file is kept as \($0))" } ?? ""
        state.notice = Notice("Saved \(result.count) mirror\(result.count == 1 ? "" : "s") to \(result.path)\(kept)", .success)
    }
}
