import ArgumentParser
import Foundation
import MirrorscopeCore

extension ListFileFormat: ExpressibleByArgument {}

/// Where the ranked list goes (`probe --save`, and `S` in the terminal UI).
struct SaveOptions: ParsableArguments {
    @Option(name: .customLong("save"), help: ArgumentHelp("""
        Write the ranked list, fastest first, to this file (failed mirrors left out): after the round \
        for `probe`, when S is pressed in the UI. Written safely: the old file is kept as FILE.bak.
        """, valueName: "file"))
    var path: String?

    @Option(name: .customLong("save-format"), help: ArgumentHelp("""
        The format to save in: \(ListFileFormat.allCases.map(\.rawValue).joined(separator: ", ")) \
        (default: the input's own, else the nearest; a list of URLs for the rest).
        """, valueName: "name"))
    var format: ListFileFormat?

    @Option(help: ArgumentHelp("Save only the N fastest (default: every answered mirror; 1 for apt-sources).", valueName: "N"))
    var keep: Int?

    func validate() throws {
        if let keep, keep < 1 { throw ValidationError("--keep must be at least 1") }
    }

    /// Before a round is spent: a target that cannot be a file, or a folder that is not there,
    /// is a clear message and exit 2 (the write itself checks again, and says why it failed).
    func checkTarget() throws {
        guard let path else { return }
        if path.isEmpty { throw CLIFailure(message: "--save needs a file name") }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw CLIFailure(message: "--save \(path): is a folder, not a file")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let parent = folder.isEmpty ? "." : folder
        if !FileManager.default.fileExists(atPath: parent, isDirectory: &isFolder) || !isFolder.boolValue {
            throw CLIFailure(message: "--save \(path): no such folder \(parent)")
        }
    }

    /// What `S` and `probe --save` write, for this page (the format follows the page's).
    func settings(for page: Page, variables: [String: String]) -> SaveSettings {
        SaveSettings(path: path, format: format ?? .following(input: page.format), keep: keep, variables: variables)
    }
}
