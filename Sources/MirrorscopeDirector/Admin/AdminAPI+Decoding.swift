import Foundation
import NIOCore

/// Request bodies: JSON decoded into the real-server schema, every mistake worded so an operator
/// can act on it.
extension AdminAPI {
    /// Decodes a JSON body, turning decoding errors into a reason an operator can act on.
    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws(AdminError) -> T {
        guard body.readableBytes > 0 else { throw AdminError(status: 400, "a JSON object is required in the body") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
        } catch RealServerSchemaError.unknownKey(let key, let expected) {
            throw AdminError(status: 400, "unknown key \"\(key)\" (expected: \(expected.joined(separator: ", ")))")
        } catch RealServerSchemaError.notPatchable(let key) {
            throw AdminError(status: 400, "\(key) cannot be patched (delete the server and add it again)")
        } catch DecodingError.keyNotFound(let key, _) {
            throw AdminError(status: 400, "\(key.stringValue) is required")
        } catch DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw AdminError(status: 400, "\(key.isEmpty ? "body" : key): expected \(Self.describe(type))")
        } catch DecodingError.dataCorrupted {
            throw AdminError(status: 400, "the body is not valid JSON")
        } catch {
            throw AdminError(status: 400, "the body is not a valid JSON object: \(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "an integer"
        case is Bool.Type: return "true or false"
        default: return "a JSON object"
        }
    }

    /// `weight, drain, backup, location or name`: what a PATCH body may hold.
    static var patchableKeys: String {
        let keys = RealPatch.keys.map(\.stringValue)
        return keys.dropLast().joined(separator: ", ") + " or " + keys.last!
    }
}
