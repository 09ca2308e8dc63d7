import MirrorscopeCore

/// The well-known objects of the formats that have them (docs/formats.md, "Presets"): where a
/// distribution's mirrors keep their sync time and an object large enough to time a download.
/// A preset fills only what the page left unset; the user's flags come after it and win.
///
/// - Arch (pacman mirrorlist, Arch status): the mirror root is the URL before `$repo`;
///   freshness is `lastsync` (unix time) at the root; throughput downloads the `core` database,
///   `core/os/x86_64/core.db`, or `$repo/os/$arch/$repo.db` with the `--var` values.
/// - Debian and Ubuntu (masterlist, apt mirror lists): freshness is the `Date:` of
///   `dists/<suite>/Release` (suite `stable` unless `--var suite=`); throughput downloads
///   `ls-lR.gz`, the archive's file listing. It sits at the root of every Debian and Ubuntu archive
///   mirror whatever the suite or architecture, and runs to tens of MiB, more than one download
///   reads; the suite's `Contents` files are not at the same path on both (`main/Contents-amd64.gz`
///   on Debian, `Contents-amd64.gz` on Ubuntu).
/// - Fedora (Metalink 3): the `mm0:timestamp` of `repomd.xml` is the reference; each mirror's
///   `repomd.xml` `Last-Modified` is compared with it. No throughput object (repomd.xml is a few KiB).
public enum Presets {
    /// The `--var` names presets read, so that they are not reported as unused by any template.
    public static func variables(for format: String?) -> Set<String> {
        switch format {
        case PageFormat.pacman.rawValue?, PageFormat.archStatus.rawValue?: ["repo", "arch"]
        case PageFormat.debian.rawValue?, PageFormat.apt.rawValue?: ["suite"]
        default: []
        }
    }

    /// Applies the preset of `page.format`, if it has one, to the phases the page left unset.
    /// `values` are the `--var` values. Call after the templates are filled.
    public static func apply(to page: inout Page, values: [String: String]) {
        switch page.format {
        case PageFormat.pacman.rawValue?, PageFormat.archStatus.rawValue?: arch(&page, values: values)
        case PageFormat.debian.rawValue?, PageFormat.apt.rawValue?: debian(&page, values: values)
        case PageFormat.metalink3.rawValue?: fedora(&page)
        default: break
        }
    }

    static func arch(_ page: inout Page, values: [String: String]) {
        let origin = "the Arch preset"
        let repo = values["repo"] ?? "core", arch = values["arch"] ?? "x86_64"
        let setFreshness = page.probe.freshness == nil, setThroughput = page.probe.throughput.path == nil
        if setFreshness { page.probe.freshness = FreshnessSettings(path: "lastsync", format: .unixTime, origin: origin) }
        if setThroughput {
            page.probe.throughput.path = "\(repo)/os/\(arch)/\(repo).db"
            page.probe.throughput.origin = origin
        }
        // A templated mirror's URL is its repository folder (or its root, when variables were
        // left unfilled): its objects get URLs of their own. Other mirrors are roots (the status).
        var filling = values
        filling["repo"] = repo
        filling["arch"] = arch
        for i in page.mirrors.indices {
            guard let template = page.mirrors[i].template else { continue }
            guard let root = MirrorURLs.resolve(TemplateVariables.root(of: template), against: page.url)
                .flatMap(MirrorURLs.normaliseBase) else { continue }
            if setFreshness { page.mirrors[i].freshnessURL = URLParts.join(root, "lastsync") }
            let filled = TemplateVariables.fill(template, with: filling)
            if setThroughput, TemplateVariables.names(in: filled).isEmpty,
               let folder = MirrorURLs.resolve(filled, against: page.url).flatMap(MirrorURLs.normaliseBase) {
                page.mirrors[i].throughputURL = URLParts.join(folder, "\(repo).db")
            }
        }
    }

    static func debian(_ page: inout Page, values: [String: String]) {
        let origin = "the Debian preset"
        if page.probe.freshness == nil {
            let suite = values["suite"] ?? "stable"
            page.probe.freshness = FreshnessSettings(path: "dists/\(suite)/Release", format: .releaseDate, origin: origin)
        }
        if page.probe.throughput.path == nil {
            page.probe.throughput.path = "ls-lR.gz"
            page.probe.throughput.origin = origin
        }
    }

    static func fedora(_ page: inout Page) {
        guard page.probe.freshness == nil,
              let file = page.files.first(where: { $0.name == "repomd.xml" || $0.name.hasSuffix("/repomd.xml") }),
              let timestamp = file.timestamp else { return }
        // The mirrors' base is the folder of repomd.xml; the probe object is repomd.xml itself.
        let path = page.probe.path.isEmpty ? "repomd.xml" : page.probe.path
        page.probe.freshness = FreshnessSettings(path: path, format: .lastModified, reference: .time(timestamp),
                                                 origin: "the Fedora Metalink preset")
    }
}
