/// One fuzz target: the name `fuzz/run.sh TARGET` takes, and what one input does to the parser it
/// drives. `check` returns the promises the parser broke on that input (empty when it kept them
/// all); a crash or a hang is the parser's own finding. The libFuzzer entries in `fuzz/Targets/`
/// and the regression tests in `Tests/*/FuzzRegressionTests.swift` both call `check`, so a saved
/// finding replays through exactly the code the fuzzer ran.
public struct FuzzTarget: Sendable {
    public let name: String
    public let check: @Sendable ([UInt8]) -> [String]

    public init(name: String, check: @escaping @Sendable ([UInt8]) -> [String]) {
        self.name = name
        self.check = check
    }

    /// Every untrusted input the program reads, in the order `fuzz/run.sh --list` prints them.
    public static let all: [FuzzTarget] = [
        .page, .html, .linkHeader, .probeScript, .requestTarget, .sessionToken, .directorConfig, .theme, .keyDecoder,
    ]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    /// For the libFuzzer entry: a broken promise is a crash, so libFuzzer keeps the input.
    public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
        let problems = check(bytes)
        if !problems.isEmpty { fatalError("fuzz target \(name): " + problems.joined(separator: "; ")) }
        return 0
    }
}
