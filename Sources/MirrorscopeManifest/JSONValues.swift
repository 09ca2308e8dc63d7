import Foundation

/// Reading typed values out of JSONSerialization's output. On Linux a JSON number also answers
/// `is Bool`, and a boolean `as? Int`: booleans are the NSNumbers whose C type is "c".
enum JSONValues {
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    /// A whole number (not a boolean, not a fraction).
    static func int(_ value: Any?) -> Int? {
        guard let n = value as? NSNumber, !isBoolean(n) else { return nil }
        let d = n.doubleValue
        guard d.rounded() == d, abs(d) < 1e15 else { return nil }
        return n.intValue
    }

    static func bool(_ value: Any?) -> Bool? {
        guard let n = value as? NSNumber, isBoolean(n) else { return nil }
        return n.boolValue
    }
}

/// Reading a JSON document whose top level must be an object.
enum JSONDocument {
    static func object(_ data: Data, format: PageFormat) throws(ManifestError) -> [String: Any] {
        guard data.count <= ManifestLimits.maxDocumentBytes else {
            throw ManifestError("\(format.title): larger than \(ManifestLimits.maxDocumentBytes / 1024 / 1024) MiB")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw ManifestError("\(format.title): not valid JSON (\(JSONErrorText.describe(error, in: data)))")
        }
        guard let root = object as? [String: Any] else { throw ManifestError("\(format.title): the top level must be a JSON object") }
        return root
    }
}
