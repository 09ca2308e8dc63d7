import ArgumentParser

struct Browse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "browse",
        abstract: "Probe a page's mirrors in the terminal UI, choose one, and use it (the default command).")

    @Argument(help: ArgumentHelp("The page: an http(s) URL, a file path, or - for stdin.", valueName: "source"))
    var source: String

    @OptionGroup(title: "Mirror selection") var selection: PageOptions
    @OptionGroup(title: "Probing") var probe: ProbeOptions
    @OptionGroup(title: "Interface") var ui: InterfaceOptions
    @OptionGroup(title: "Saving the ranked list (S)") var save: SaveOptions

    func run() async throws {
        try await InteractiveSession.run(source: source, selection: selection, probe: probe, ui: ui, save: save)
    }
}
