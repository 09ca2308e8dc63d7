// swift-tools-version:6.0
// The libFuzzer entries, one executable per fuzz target. Built only by fuzz/run.sh, with
// `--sanitize fuzzer -Xswiftc -sanitize=fuzzer,address` (SwiftPM's own flag makes the link use
// libFuzzer's main; the -Xswiftc spelling is what instruments the Swift code for coverage).
// What each target does lives in the root package's FuzzEntries (fuzz/Entries), which the
// regression tests share.
import PackageDescription

let names = ["page", "html", "link-header", "probe-script", "request-target", "session-token", "director-config", "theme", "key-decoder"]

let package = Package(
    name: "mirrorscope-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "mirrorscope", path: "..")],
    targets: names.map { name in
        .executableTarget(name: "fuzz-\(name)", dependencies: [.product(name: "FuzzEntries", package: "mirrorscope")],
                          path: "Targets/\(name)")
    }
)
