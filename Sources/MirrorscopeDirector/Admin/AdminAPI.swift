import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// The admin API under `/-/admin/`, behind `Authorization: Bearer ADMIN_TOKEN`:
///
/// - `GET /-/admin/real`: the real servers with state, weight and sessions;
/// - `GET /-/admin/real/ID`: one of them;
/// - `POST /-/admin/real` with `{"id","url","weight","backup","https_url","location","name","drain"}`
///   (`id` and `url` required; the schema of `RealServerConfig`): a new server, balanced to at once;
/// - `PATCH /-/admin/real/ID` with any of `{"weight","drain","backup","location","name"}` (`RealPatch`);
/// - `DELETE /-/admin/real/ID`.
///
/// Changes are written to the store when `store` is set (see Store/), else to the config file
/// (see `ConfigFileEditor`), before they run. Errors: 401 without the right token, 403 when no
/// `admin_token` is configured, 400 with the reason for bad JSON or values, 404 unknown id, 409
/// conflicts, 503 when the store is unreachable.
struct AdminAPI {
    static let prefix = "/-/admin/"
    let controller: DirectorController

    /// The answer to a request without the admin token (403 when there is none to give), or nil.
    static func refusal(_ request: ControlRequest, snapshot: Snapshot) -> ControlResponse? {
        guard let expected = snapshot.adminTokenDigest else {
            return .text(.forbidden, "the admin API is off: set admin_token in the configuration")
        }
        guard let provided = Self.bearerToken(request.headers), SHA256.hash(data: Array(provided.utf8)) == expected else {
            var response = ControlResponse.text(.unauthorized, "a valid Authorization: Bearer token is required")
            response.headers.add(name: "WWW-Authenticate", value: "Bearer realm=\"mirrorscope\"")
            return response
        }
        return nil
    }

    func respond(to request: ControlRequest, snapshot: Snapshot) async -> ControlResponse {
        if let refusal = Self.refusal(request, snapshot: snapshot) { return refusal }
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
                let real = try Self.decode(RealServerConfig.self, from: request.body)
                _ = try await controller.perform(.add(real))
                return .json(.created, try await entry(real.id))
            case (.PATCH, let id?):
                let patch = try Self.decode(RealPatch.self, from: request.body)
                if patch == RealPatch() { throw AdminError(status: 400, "nothing to change: give \(Self.patchableKeys)") }
                _ = try await controller.perform(.patch(id: id, patch))
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
}
