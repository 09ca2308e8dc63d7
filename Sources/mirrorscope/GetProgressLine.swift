import Foundation
import MirrorscopeCore
import MirrorscopeDownload

/// The one progress line `get` keeps on stderr when stderr is a terminal: redrawn in place
/// (carriage return, erase to the end of the line), finished with a newline.
struct GetProgressLine {
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    static func text(_ p: DownloadProgress) -> String {
        var parts = [TerminalText.sanitize(p.fileName, maxCharacters: 40)]
        if let total = p.total, total > 0 {
            parts.append("\(Int(Double(p.bytes) * 100 / Double(total)))%")
            parts.append("\(size(p.bytes))/\(size(total))")
        } else {
            parts.append(size(p.bytes))
        }
        if p.bytesPerSecond > 0, !p.state.isFinal { parts.append(size(Int64(p.bytesPerSecond)) + "/s") }
        if let eta = p.etaSeconds, !p.state.isFinal, eta.isFinite { parts.append("ETA \(Int(eta) / 60):" + String(format: "%02d", Int(eta) % 60)) }
        if !p.mirrors.isEmpty, !p.state.isFinal { parts.append(p.mirrors.map { TerminalText.sanitize($0, maxCharacters: 24) }.joined(separator: "+")) }
        parts.append(TerminalText.sanitize(p.stateText, maxCharacters: 100))
        return parts.joined(separator: "  ")
    }

    static func size(_ bytes: Int64) -> String {
        let b = Double(bytes), kib = 1024.0
        if b >= kib * kib * kib { return String(format: "%.1f GiB", b / (kib * kib * kib)) }
        if b >= kib * kib { return String(format: "%.1f MiB", b / (kib * kib)) }
        if b >= kib { return String(format: "%.1f KiB", b / kib) }
        return "\(bytes) B"
    }

    static func draw(_ p: DownloadProgress, final: Bool) {
        FileHandle.standardError.write(Data(("\r" + text(p) + "\u{1B}[K" + (final ? "\n" : "")).utf8))
    }
}
