import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// The admin API under `/-/admin/`, behind `Authorization: Bearer ADMIN_TOKEN`:
///
/// - `GET /-/admin/real`: the real servers with state, weight and sessions;
/// - `GET /-/admin/real/ID`: one of them;
/// - `POST /-/admin/real` with `{"id","url","weight","backup","https_url","location","name","drain"}`
///   (`id` and `url` required): a new server, balanced to at once;
/// - `PATCH /-/admin/real/ID` with any of `{"weight","drain","backup","location","name"}`;
/// - `DELETE /-/admin/real/ID`.
///
/// Changes are written to the config file (see `ConfigFileEditor`) before they run. Errors:
/// 401 without the right token, 403 when no `admin_token` is configured, 400 with the reason for
/// bad JSON or values, 404 unknown id, 409 conflicts.
struct AdminAPI {
    static let prefix = "/-/admin/"
    let controller: DirectorController

    func respond(to request: ControlRequest, snapshot: Snapshot) async -> ControlResponse {
        guard let expected = snapshot.adminTokenDigest else {
            return .text(.forbidden, "the admin API is off: set admin_token in the configuration")
        }
        guard let provided = Self.bearerToken(request.headers), SHA256.hash(data: Array(provided.utf8)) == expected else {
            var response = ControlResponse.text(.unauthorized, "a valid Authorization: Bearer token is required")
            response.headers.add(name: "WWW-Authenticate", value: "Bearer realm=\"mirrorscope\"")
            return response
        }
        let rest = request.path.dropFirst(Self.prefix.count)
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.first == "real", parts.count <= 2 else { return .text(.notFound, "not found: \(request.path)") }
        let id = parts.count == 2 ? String(parts[1]) : nil
        do {
            switch (request.method, id) {
            case (.GET, nil), (.HEAD, nil):
                return .json(.ok, await controller.status())
            case (.GET, let id?), (.HEAD, let id?):
                guard let entry = await controller.status().first(where: { $0.id == id }) else { throw AdminError.unknown(id) }
                return .json(.ok, entry)
            case (.POST, nil):
                let body = try Self.decode(RealBody.self, from: request.body)
                _ = try await controller.perform(.add(try body.newReal()))
                return .json(.created, try await entry(body.id ?? ""))
            case (.PATCH, let id?):
                let body = try Self.decode(RealBody.self, from: request.body)
                _ = try await controller.perform(.patch(id: id, try body.patch()))
                return .json(.ok, try await entry(id))
            case (.DELETE, let id?):
                _ = try await controller.perform(.delete(id: id))
                return .json(.ok, ["deleted": id])
            case (_, nil):
                return methodNotAllowed("GET, POST")
            case (_, .some):
                return methodNotAllowed("GET, PATCH, DELETE")
            }
        } catch let error as AdminError {
            return .json(HTTPResponseStatus(statusCode: error.status), ["error": error.message])
        } catch {
            return .json(.internalServerError, ["error": "\(error)"])
        }
    }

    private func entry(_ id: String) async throws -> RealServerStatus {
        guard let entry = await controller.status().first(where: { $0.id == id }) else { throw AdminError.unknown(id) }
        return entry
    }

    private func methodNotAllowed(_ allowed: String) -> ControlResponse {
        var response = ControlResponse.json(.methodNotAllowed, ["error": "this resource answers \(allowed)"])
        response.headers.add(name: "Allow", value: allowed)
        return response
    }

    static func bearerToken(_ headers: HTTPHeaders) -> String? {
        guard let value = headers.first(name: "authorization") else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    /// Decodes a JSON body, turning decoding errors into a reason an operator can act on.
    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer) throws(AdminError) -> T {
        guard body.readableBytes > 0 else { throw AdminError(status: 400, "a JSON object is required in the body") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
        } catch let error as AdminError {
            throw error
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
}

/// The JSON of POST and PATCH. Unknown keys are refused: a misspelt `"wieght"` must not be
/// silently ignored.
struct RealBody: Decodable {
    var id: String?
    var url: String?
    var httpsURL: String?
    var weight: Int?
    var backup: String?
    var location: String?
    var name: String?
    var drain: Bool?

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static let keys = ["id", "url", "https_url", "weight", "backup", "location", "name", "drain"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys where !Self.keys.contains(key.stringValue) {
            throw AdminError(status: 400, "unknown key \"\(key.stringValue)\" (expected: \(Self.keys.joined(separator: ", ")))")
        }
        id = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "id"))
        url = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "url"))
        httpsURL = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "https_url"))
        weight = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: "weight"))
        backup = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "backup"))
        location = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "location"))
        name = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "name"))
        drain = try container.decodeIfPresent(Bool.self, forKey: Key(stringValue: "drain"))
    }

    func newReal() throws(AdminError) -> RealServerConfig {
        guard let id else { throw AdminError(status: 400, "id is required") }
        guard let url else { throw AdminError(status: 400, "url is required") }
        return RealServerConfig(id: id, url: url, httpsURL: httpsURL, weight: weight ?? 1,
                                backup: backup.map(BackupTarget.init) ?? .primary, location: location, drain: drain ?? false, name: name)
    }

    func patch() throws(AdminError) -> RealPatch {
        for (key, present) in [("id", id != nil), ("url", url != nil), ("https_url", httpsURL != nil)] where present {
            throw AdminError(status: 400, "\(key) cannot be patched (delete the server and add it again)")
        }
        let patch = RealPatch(weight: weight, drain: drain, backup: backup.map(BackupTarget.init), location: location, name: name)
        if patch == RealPatch() { throw AdminError(status: 400, "nothing to change: give weight, drain, backup, location or name") }
        return patch
    }
}
