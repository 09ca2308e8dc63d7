import Foundation
import MirrorscopeCore

/// A save request carried out: the list written in its format, then put in place safely
/// (`FileReplacement`). Used by the effect runtime (`S`) and by `probe --save`.
public enum ListFileSaver {
    public static func save(_ request: SaveRequest, writtenAt: Date) -> SaveResult {
        do throws(ListFileError) {
            let outcome = try write(request, writtenAt: writtenAt)
            return SaveResult(requestID: request.id, path: outcome.path, count: request.list.entries.count, backup: outcome.backup)
        } catch {
            return SaveResult(requestID: request.id, path: request.path, count: 0, error: error.message)
        }
    }

    public static func write(_ request: SaveRequest, writtenAt: Date) throws(ListFileError) -> FileReplacement.Outcome {
        let text = try ListFileWriter.text(request.list, as: request.format, writtenAt: Int64(writtenAt.timeIntervalSince1970))
        return try FileReplacement.replace(request.path, with: text)
    }
}
