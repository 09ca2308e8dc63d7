import ArgumentParser

let mirrorscopeVersion = "0.1.0"

struct Mirrorscope: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mirrorscope",
        abstract: "Find the fastest mirror, then use it.",
        discussion: """
            Point it at a page: a download page with a probe script, a mirror list (Metalink, apt, pacman, \
            the Arch mirror status, Debian's masterlist, CRAN, CPAN, yum), or a probe script. \
            It probes every mirror concurrently, draws a response-time bar for each as its probe completes, \
            names the fastest, and lets you accept it, choose another, or re-probe. On quit it prints the \
            chosen mirror's URL on stdout, so `m=$(mirrorscope URL)` works.

            Exit codes: 0 a mirror was chosen (or the command succeeded), 1 `probe`: no mirror answered, \
            2 bad input or an unreachable page, 130 quit without choosing.
            """,
        version: mirrorscopeVersion,
        subcommands: [Browse.self, Probe.self, List.self, Get.self, History.self, Demo.self, Serve.self],
        defaultSubcommand: Browse.self)
}
