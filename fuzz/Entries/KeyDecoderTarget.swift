import MirrorscopeCore
import MirrorscopeTerminal

extension FuzzTarget {
    /// The terminal's key decoder on what `get_wch` may return: the input is a run of 5-byte
    /// records (a status byte, odd meaning KEY_CODE_YES, then a little-endian code), decoded and
    /// then cleaned of escape sequences ncurses did not know.
    public static let keyDecoder = FuzzTarget(name: "key-decoder") { bytes in
        var inputs: [KeyDecoder.Input] = []
        var i = 0
        while i + 5 <= bytes.count {
            let code = UInt32(bytes[i + 1]) | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3]) << 16 | UInt32(bytes[i + 4]) << 24
            let status = bytes[i] & 1 == 1 ? KeyDecoder.keyCodeStatus : 0
            if let input = KeyDecoder.decode(status: status, code: code) { inputs.append(input) }
            i += 5
        }
        let kept = KeyDecoder.droppingUnknownSequences(inputs)
        return kept.count > inputs.count ? ["\(kept.count) keys out of \(inputs.count) in"] : []
    }
}
