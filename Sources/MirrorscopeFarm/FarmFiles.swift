import Crypto
import MirrorscopeCore
import NIOCore

/// The files every simulated mirror holds. The bytes are the same on every mirror except
/// README.txt, which names its server (so a user can see which mirror answered).
enum FarmFiles {
    static let probeName = "probe.bin"
    static let readmeName = "README.txt"
    static let tarballName = "mirrorscope-demo-1.0.tar.gz"
    static let sumsName = "SHA256SUMS"

    /// The probe object: small, so that the first byte and the end arrive together.
    static let probe: ByteBuffer = pseudoRandomBytes(count: 512, seed: 0x7072_6F62_65)

    /// The throughput sample: large enough that a download stops at its limits (4 MiB by
    /// default) rather than at its end, built once per process and shared by every mirror.
    static let sampleName = "big.bin"
    static let sample: ByteBuffer = pseudoRandomBytes(count: 8 << 20, seed: 0x6269_672E_6269_6E)

    /// What an Arch mirror holds at the paths its presets use: `lastsync` at the root and the
    /// core repository's database.
    static let lastsyncName = "lastsync"
    static let coreDatabasePath = "core/os/x86_64/core.db"
    static let coreDatabase: ByteBuffer = pseudoRandomBytes(count: 512 << 10, seed: 0x636F_7265_2E64_62)
    /// A Debian suite's Release file, and Fedora's repository metadata.
    static let releasePath = "dists/stable/Release"
    static let repomdPath = "repodata/repomd.xml"

    static func lastsync(_ syncedAt: Int64) -> String { "\(syncedAt)\n" }

    /// As a Debian archive writes it: the `Date:` is when the archive was last generated, which a
    /// mirror copies when it syncs.
    static func release(_ syncedAt: Int64) -> String {
        """
        Origin: Mirrorscope
        Label: Mirrorscope demo
        Suite: stable
        Codename: demo
        Date: \(InternetDate.format(syncedAt))
        Architectures: amd64
        Components: main
        Description: The farm's stand-in for a Debian suite

        """
    }

    static func repomd(_ syncedAt: Int64) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <repomd xmlns="http://linux.duke.edu/metadata/repo">
          <revision>\(syncedAt)</revision>
        </repomd>

        """
    }

    /// A stand-in release tarball: 2 MiB of deterministic pseudo-random bytes, built once per
    /// process and shared by every mirror; responses stream slices of it.
    static let tarball: ByteBuffer = pseudoRandomBytes(count: 2 << 20, seed: 0x7461_7262_616C_6C)
    static let tarballSHA256: String = sha256Hex(tarball)

    static func readme(serverName: String, serverID: String, location: String) -> String {
        """
        Mirrorscope demo 1.0
        ====================

        Served by the simulated mirror "\(serverName)" (id \(serverID), location \(location)).
        The tarball holds pseudo-random bytes, the same on every mirror; check a download with
            sha256sum -c SHA256SUMS

        """
    }

    /// `sha256sum` output for the files directory of a server whose README is `readme`.
    static func sums(readme: ByteBuffer) -> String {
        "\(sha256Hex(readme))  \(readmeName)\n\(tarballSHA256)  \(tarballName)\n"
    }

    static func sha256Hex(_ buffer: ByteBuffer) -> String {
        let digest = buffer.withUnsafeReadableBytes { SHA256.hash(data: $0) }
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private static func pseudoRandomBytes(count: Int, seed: UInt64) -> ByteBuffer {
        var random = FarmRandom(seed: seed)
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes in
            var offset = 0
            while offset < count {
                var word = random.next().littleEndian
                let take = min(8, count - offset)
                withUnsafeBytes(of: &word) { bytes.baseAddress!.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: take) }
                offset += take
            }
            return count
        }
        return buffer
    }
}
