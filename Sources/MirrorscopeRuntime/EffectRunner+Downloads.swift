import Foundation
import MirrorscopeCore
import MirrorscopeDownload

// The terminal's downloads (`w`): each runs the download engine (`DownloadJob`) as a task of its
// own, through the session's connector (its proxies, address family and trust roots), and posts
// what the job publishes back as messages.
extension EffectRunner {
    func startDownload(_ order: DownloadOrder) {
        logger.info("download \(order.id): \(order.path) from \(order.mirrors.first?.url ?? "?") (\(order.mirrors.count) mirrors)")
        start(.download(order.id)) { [post, logger, web, recordDownload] in
            let target: DownloadTarget
            do {
                target = try DownloadTarget.choose(path: order.path, folder: order.folder)
            } catch {
                let message = (error as? DownloadTarget.Refusal)?.message ?? "\(error)"
                logger.warning("download \(order.id): \(message)")
                post(.downloadEnded(DownloadEnd(id: order.id, progress: DownloadProgress(fileName: order.fileName, state: .failed(message)),
                                                path: "")))
                return
            }
            let job = DownloadJob(Self.request(order, destination: target.path, userAgent: web.configuration.userAgent),
                                  connector: web.connector)
            let started = ContinuousClock.now
            // The job ticks five times a second; each tick is a message (the screen redraws at
            // its own capped rate). The final value comes with the end.
            let forwarding = Task {
                var last: DownloadProgress?
                for await progress in job.progress {
                    if !progress.state.isFinal { post(.downloadProgress(id: order.id, progress)) }
                    last = progress
                }
                return last
            }
            let outcome = await job.run()
            let last = await forwarding.value
            let cancelled = Task.isCancelled
            var final = last ?? DownloadProgress(fileName: job.request.fileName, bytes: outcome.bytes, state: outcome.state)
            final.state = outcome.state
            if cancelled { final.note = nil }
            logger.info("download \(order.id): \(cancelled ? "cancelled" : outcome.state.text), \(outcome.bytes) bytes in \(outcome.path)",
                        metadata: ["notes": "\(outcome.notes.joined(separator: "; "))"])
            // A cancelled download is not a result (it is resumed later); every other end is.
            if !cancelled, let recordDownload {
                let server = outcome.mainMirror.map { order.mirrors[$0].url } ?? order.mirrors.first?.url
                recordDownload(DownloadRecord(mirrorURL: server ?? "", path: order.path, bytes: outcome.bytes,
                                              seconds: (ContinuousClock.now - started).milliseconds / 1000, outcome: outcome.state.text))
            }
            post(.downloadEnded(DownloadEnd(id: order.id, progress: final, path: outcome.path, cancelled: cancelled)))
        }
    }

    /// The engine's request for an order: the page's Metalink hashes (and pieces) when it has
    /// them, the page's SHA256SUMS/SHA512SUMS links besides the file's own folder's.
    static func request(_ order: DownloadOrder, destination: String, userAgent: String) -> DownloadRequest {
        var request = DownloadRequest(path: order.path, mirrors: order.mirrors.map { DownloadMirror(name: $0.name, url: $0.url) },
                                      destination: destination)
        request.userAgent = userAgent
        request.sumsPaths = order.sumsPaths
        if let facts = order.facts {
            request.expected = Verification.hashes(in: facts)
            request.pieces = facts.pieces.lazy.compactMap(PieceHashes.init).first
        }
        return request
    }

    /// The demo's `X`: stops the farm mirror; its connections close, so the downloads it served
    /// move to the next mirror.
    func stop(mirror url: String, name: String) {
        guard let stopMirror else {
            post(.mirrorStopped(name: name, error: "only the demo can stop a mirror"))
            return
        }
        logger.info("demo: stopping \(name) at \(url)")
        start(.stopMirror(url)) { [post] in
            do {
                try await stopMirror(url)
                post(.mirrorStopped(name: name, error: nil))
            } catch {
                post(.mirrorStopped(name: name, error: "\(error)"))
            }
        }
    }
}
