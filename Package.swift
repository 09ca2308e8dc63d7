// swift-tools-version:6.0
// Mirrorscope: find the fastest mirror and use it (client), and send clients to mirrors (director).
// One folder per module under Sources/, one test target per module under Tests/ (see ../shared/GUIDE.md).
import PackageDescription

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
    .product(name: "NIOSSL", package: "swift-nio-ssl"),
]

let package = Package(
    name: "mirrorscope",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mirrorscope", targets: ["mirrorscope"]),
        // The parsers the fuzz targets in fuzz/ drive (fuzz/Package.swift depends on this package).
        .library(name: "FuzzEntries", targets: ["FuzzEntries"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // The director's shared store (a cluster of instances on one PostgreSQL, LISTEN/NOTIFY).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // Pure core: model, state, update, render-to-grid, keymap, theme model. No I/O, no clocks.
        // (`rounded()` needs libm; nothing else links it when the core is used alone.)
        .target(name: "MirrorscopeCore", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),

        // Page analysis ("script analyzer"): any supported page format -> mirrors + probe settings + links.
        .target(name: "MirrorscopeManifest", dependencies: ["MirrorscopeCore"]),

        // Prober ("script executor"): per-phase timed probes over fresh connections.
        .target(name: "MirrorscopeProber", dependencies: ["MirrorscopeCore", "MirrorscopeNetwork"] + nio + [
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOTLS", package: "swift-nio"),
        ]),

        // Page fetching and using the chosen mirror (open a link, list, download).
        .target(name: "MirrorscopeFetch", dependencies: [
            "MirrorscopeCore", "MirrorscopeManifest",
            "MirrorscopeNetwork", "MirrorscopeDownload",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),

        // Downloads users can trust: resume (NAME.part + sidecar), verification, failover, segments.
        .target(name: "MirrorscopeDownload", dependencies: [
            "MirrorscopeCore", "MirrorscopeNetwork",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),

        // Connections as users' networks need them: proxy rules (curl's environment, no_proxy).
        .target(name: "MirrorscopeNetwork", dependencies: nio + ["MirrorscopeCore",
            .product(name: "NIOExtras", package: "swift-nio-extras"),
            .product(name: "NIOTLS", package: "swift-nio"),
        ]),

        // Simulated mirrors on loopback with scripted latency and faults (demo, tests, benchmarks).
        .target(name: "MirrorscopeFarm", dependencies: nio + [
            "MirrorscopeCore",
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "X509", package: "swift-certificates"),
            .product(name: "SwiftASN1", package: "swift-asn1"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Configuration files: themes (TOML) and XDG paths.
        .target(name: "MirrorscopeConfig", dependencies: [
            "MirrorscopeCore",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),

        // ncurses binding: the only module that sees the C library is the terminal backend.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .target(name: "MirrorscopeTerminal", dependencies: ["MirrorscopeCore", "CNcursesw"]),

        // The effect runtime: carries out every effect (probe rounds, fetches, saved lists, bell,
        // quit) and feeds results back as messages.
        .target(name: "MirrorscopeRuntime", dependencies: [
            "MirrorscopeCore", "MirrorscopeProber", "MirrorscopeFetch", "MirrorscopeManifest", "MirrorscopeDownload",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // The history across runs: every round and download in SQLite (GRDB), read back as trends.
        // Where a client is: MaxMind DB files read with libmaxminddb (Debian: libmaxminddb-dev),
        // and the director's selection tiers (ASN, country, continent, nearest, anywhere).
        .systemLibrary(name: "CMaxMindDB", path: "Sources/CMaxMindDB"),
        .target(name: "MirrorscopeGeo", dependencies: ["CMaxMindDB"]),

        .target(name: "MirrorscopeHistory", dependencies: [
            "MirrorscopeCore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),

        // Appending log lines to a file: the director's access log and the CLI's --log-file.
        .target(name: "MirrorscopeLogFile", dependencies: [.product(name: "Logging", package: "swift-log")]),

        // The director: redirecting/proxying virtual server in front of real servers.
        .target(name: "MirrorscopeDirector", dependencies: nio + [
            "MirrorscopeCore", "MirrorscopeLogFile", "MirrorscopeNetwork", "MirrorscopeGeo", "MirrorscopeProber",
            "MirrorscopeDownload",  // its SHA256SUMS reader and hash names, for the files' Metalinks
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),

        .executableTarget(name: "mirrorscope", dependencies: [
            "MirrorscopeCore", "MirrorscopeManifest", "MirrorscopeProber", "MirrorscopeFetch",
            "MirrorscopeFarm", "MirrorscopeConfig", "MirrorscopeTerminal", "MirrorscopeRuntime",
            "MirrorscopeDirector", "MirrorscopeLogFile", "MirrorscopeDownload", "MirrorscopeNetwork",
            "MirrorscopeHistory",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // What each fuzz target does with one input, shared by the libFuzzer entries (fuzz/Package.swift)
        // and the regression tests that replay the saved findings.
        .target(name: "FuzzEntries", dependencies: [
            "MirrorscopeCore", "MirrorscopeManifest", "MirrorscopeConfig", "MirrorscopeTerminal", "MirrorscopeDirector",
        ], path: "fuzz/Entries"),

        // Measures the TUI's frame cost (render + diff) for bench/probe-vs-curl.sh.
        .executableTarget(name: "FrameBench", dependencies: ["MirrorscopeCore"]),

        // Shared test helpers: deadlines, locating the built binary, driving tmux, an HTTP client.
        .target(name: "TestSupport", dependencies: nio, path: "Tests/TestSupport"),

        .testTarget(name: "CoreTests", dependencies: ["MirrorscopeCore", "TestSupport"],
                    exclude: ["__Snapshots__"]),
        // Fetching through the chosen mirror, against a small HTTP server of the test's own.
        .testTarget(name: "FetchTests", dependencies: [
            "MirrorscopeFetch", "MirrorscopeCore", "MirrorscopeNetwork", "TestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // The effect runtime against the farm: rounds started and cancelled through it.
        .testTarget(name: "RuntimeTests", dependencies: [
            "MirrorscopeRuntime", "MirrorscopeCore", "MirrorscopeProber", "MirrorscopeFetch", "MirrorscopeFarm", "TestSupport",
            "MirrorscopeDownload",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ManifestTests", dependencies: ["MirrorscopeManifest", "MirrorscopeCore", "TestSupport", "FuzzEntries"], exclude: ["FuzzRegressions"]),
        .testTarget(name: "ProberTests", dependencies: ["MirrorscopeProber", "MirrorscopeCore", "MirrorscopeNetwork", "MirrorscopeFarm", "TestSupport",
                                                .product(name: "Crypto", package: "swift-crypto"),
                                                .product(name: "NIOConcurrencyHelpers", package: "swift-nio")] + nio),
        .testTarget(name: "TerminalTests", dependencies: ["MirrorscopeTerminal", "MirrorscopeCore", "FuzzEntries"], exclude: ["FuzzRegressions"]),
        .testTarget(name: "ConfigTests", dependencies: ["MirrorscopeConfig", "MirrorscopeCore", "TestSupport", "FuzzEntries"], exclude: ["FuzzRegressions"]),
        .testTarget(name: "LogFileTests", dependencies: ["MirrorscopeLogFile", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "DirectorTests", dependencies: ["MirrorscopeDirector", "MirrorscopeCore", "MirrorscopeFarm", "MirrorscopeGeo", "TestSupport", "FuzzEntries"],
                    exclude: ["FuzzRegressions"]),
        .testTarget(name: "NetworkTests", dependencies: ["MirrorscopeNetwork", "MirrorscopeCore", "MirrorscopeFarm", "TestSupport"] + nio),
        .testTarget(name: "CLITests", dependencies: ["MirrorscopeFarm", "TestSupport"]),
        // The download engine against the farm's download faults.
        .testTarget(name: "DownloadTests", dependencies: [
            "MirrorscopeDownload", "MirrorscopeNetwork", "MirrorscopeCore", "MirrorscopeFarm", "TestSupport",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The history store, writer and reader against temporary SQLite files.
        .testTarget(name: "GeoTests", dependencies: ["MirrorscopeGeo", "TestSupport"]),
        .testTarget(name: "HistoryTests", dependencies: ["MirrorscopeHistory", "MirrorscopeCore", "TestSupport",
                                                 .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "EndToEndTests", dependencies: ["MirrorscopeCore", "MirrorscopeFarm", "TestSupport",
                                                  .product(name: "NIOHTTP1", package: "swift-nio")]),
    ]
)
