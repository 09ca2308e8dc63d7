/// Everything a key can do. The keymap table below both dispatches keys and generates the help
/// overlay and the footer, so what the help says is what the keys do (as Bubble Tea's key bindings).
public enum Action: String, Sendable, Hashable, CaseIterable {
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case useMirror, reprobe, cycleSort, toggleDetail, saveList
    case openLink, goUp, saveFile, backToMirrors
    case confirm, cancel
    case toggleDownloads, cancelDownload, stopMirror
    case help, quit
}

/// Where a binding applies.
public enum KeyContext: Sendable, Hashable {
    case mirrors   // the mirror list
    case using     // the chosen mirror's links
    case confirm   // a question on the notice line (write this file?) waits for yes or no
    case downloads // the downloads pane (D)
}

public struct KeyBinding: Sendable {
    public var keys: [Key]
    /// How the help names the keys ("↑/k").
    public var label: String
    /// Short word for the footer; nil keeps the binding out of the footer.
    public var footer: String?
    public var help: String
    public var action: Action
    public var contexts: Set<KeyContext>
    /// Bound only in the demo (`UIOptions.canStopMirrors`): help and footer show it only there.
    public var demoOnly = false

    /// Footer hints are dropped from the highest number first when the line is too narrow.
    public var footerPriority: Int {
        switch action {
        case .quit: return 0
        case .help: return 1
        case .useMirror, .openLink: return 2
        case .reprobe, .backToMirrors: return 3
        case .saveFile, .confirm, .cancel, .cancelDownload: return 4
        case .toggleDownloads: return 3
        case .moveDown: return 5
        case .saveList: return 7
        default: return 6
        }
    }

    /// Movement keys share one line of the help.
    public var isMovement: Bool { [.moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom].contains(action) }
}

public enum Keymap {
    private static let both: Set<KeyContext> = [.mirrors, .using]
    private static let all: Set<KeyContext> = [.mirrors, .using, .downloads]

    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.up, .char("k")], label: "↑/k", footer: nil, help: "move up", action: .moveUp, contexts: all),
        KeyBinding(keys: [.down, .char("j")], label: "↓/j", footer: "move", help: "move down", action: .moveDown, contexts: all),
        KeyBinding(keys: [.pageUp], label: "PgUp", footer: nil, help: "page up", action: .pageUp, contexts: all),
        KeyBinding(keys: [.pageDown], label: "PgDn", footer: nil, help: "page down", action: .pageDown, contexts: all),
        KeyBinding(keys: [.home, .char("g")], label: "Home/g", footer: nil, help: "first row", action: .top, contexts: all),
        KeyBinding(keys: [.end, .char("G")], label: "End/G", footer: nil, help: "last row", action: .bottom, contexts: all),
        KeyBinding(keys: [.enter], label: "Enter", footer: "use", help: "use the highlighted mirror (also before the round ends)",
                   action: .useMirror, contexts: [.mirrors]),
        KeyBinding(keys: [.char("r")], label: "r", footer: "re-probe", help: "re-probe: cancel what is in flight, start a new round",
                   action: .reprobe, contexts: [.mirrors]),
        KeyBinding(keys: [.char("s")], label: "s", footer: "sort", help: "sort by response time, name, page order",
                   action: .cycleSort, contexts: [.mirrors]),
        KeyBinding(keys: [.char("d"), .right], label: "d/→", footer: "details", help: "details of the highlighted mirror",
                   action: .toggleDetail, contexts: [.mirrors]),
        KeyBinding(keys: [.char("S")], label: "S", footer: "save list",
                   help: "save the ranked list to a file (--save FILE, or it asks)",
                   action: .saveList, contexts: [.mirrors]),
        KeyBinding(keys: [.char("y"), .enter], label: "y/Enter", footer: "write it", help: "yes: write the file",
                   action: .confirm, contexts: [.confirm]),
        KeyBinding(keys: [.char("n"), .escape], label: "n/Esc", footer: "cancel", help: "no: leave it unwritten",
                   action: .cancel, contexts: [.confirm]),
        KeyBinding(keys: [.enter, .right], label: "Enter/→", footer: "open", help: "open the link through the chosen mirror",
                   action: .openLink, contexts: [.using]),
        KeyBinding(keys: [.backspace, .left], label: "←/Bksp", footer: nil, help: "back to the enclosing listing",
                   action: .goUp, contexts: [.using]),
        KeyBinding(keys: [.char("w")], label: "w", footer: "save", help: "download the highlighted file to the download folder (resumable, verified; D shows it)",
                   action: .saveFile, contexts: [.using]),
        KeyBinding(keys: [.char("m")], label: "m", footer: "mirrors", help: "back to the mirror list (re-probe, choose another)",
                   action: .backToMirrors, contexts: [.using]),
        KeyBinding(keys: [.char("D")], label: "D", footer: "downloads",
                   help: "the downloads pane: every download's progress, mirror and state",
                   action: .toggleDownloads, contexts: both),
        KeyBinding(keys: [.char("c")], label: "c", footer: "cancel",
                   help: "cancel the selected download (NAME.part is kept: w on the file again resumes it)",
                   action: .cancelDownload, contexts: [.downloads]),
        KeyBinding(keys: [.char("D"), .escape], label: "D/Esc", footer: "back", help: "back from the downloads pane",
                   action: .toggleDownloads, contexts: [.downloads]),
        KeyBinding(keys: [.char("X")], label: "X", footer: "stop mirror (demo)",
                   help: "demo: stop the highlighted mirror (in the downloads pane: the one serving the selected download), "
                       + "to watch its downloads move to the next mirror",
                   action: .stopMirror, contexts: [.mirrors, .downloads], demoOnly: true),
        KeyBinding(keys: [.char("?")], label: "?", footer: "help", help: "this help", action: .help, contexts: all),
        KeyBinding(keys: [.char("q"), .escape, .ctrl("c")], label: "q/Esc", footer: "quit",
                   help: "quit (prints the chosen mirror's URL)", action: .quit, contexts: both),
        KeyBinding(keys: [.char("q"), .ctrl("c")], label: "q", footer: "quit",
                   help: "quit (prints the chosen mirror's URL; running downloads stop, their NAME.part kept)",
                   action: .quit, contexts: [.downloads]),
    ]

    /// The action bound to `key` in `context`, if any (`demo`: with the demo's own keys).
    public static func action(for key: Key, in context: KeyContext, demo: Bool = false) -> Action? {
        bindings.first { $0.contexts.contains(context) && $0.keys.contains(key) && (demo || !$0.demoOnly) }?.action
    }

    public static func bindings(in context: KeyContext, demo: Bool = false) -> [KeyBinding] {
        bindings.filter { $0.contexts.contains(context) && (demo || !$0.demoOnly) }
    }
}
