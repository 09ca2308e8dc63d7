import Foundation
import MirrorscopeCore
import MirrorscopeManifest

extension FuzzTarget {
    /// A probe script (this project's JSON) read against a base URL, as the director's mirror page
    /// is: settings stay in their documented ranges and every text is clean.
    public static let probeScript = FuzzTarget(name: "probe-script") { bytes in
        guard let result = try? ProbeScriptParser.parse(Data(bytes), baseURL: "https://fuzz.example/-/mirrors.json") else { return [] }
        var problems: [String?] = [ScreenText.problem(result.title, "the title")]
        if result.mirrors.count > ManifestLimits.maxMirrors { problems.append("\(result.mirrors.count) mirrors kept, over the limit") }
        for mirror in result.mirrors {
            problems += [ScreenText.problem(mirror.url, "a mirror URL"), ScreenText.problem(mirror.name, "a mirror name"),
                         ScreenText.problem(mirror.location, "a location")]
        }
        for link in result.links { problems.append(ScreenText.problem(link.text, "a link's text")) }
        for warning in result.warnings { problems.append(ScreenText.problem(warning, "a warning")) }
        let probe = result.probe
        if !(1...20).contains(probe.samples) { problems.append("samples \(probe.samples) outside 1...20") }
        if !(1...1024).contains(probe.concurrency) { problems.append("concurrency \(probe.concurrency) outside 1...1024") }
        return problems.compactMap { $0 }
    }
}
