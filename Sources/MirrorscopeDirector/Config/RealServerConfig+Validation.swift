extension RealServerConfig {
    /// The first of this server's own fields that breaks a rule, and why (`id` first). The rules
    /// between servers (unique ids, backups that exist) are `DirectorConfig.validate()`'s.
    func problem() -> (key: CodingKeys, message: String)? {
        if let problem = DirectorConfig.identifierProblem(id) { return (.id, problem) }
        if id == "primary" { return (.id, "\"primary\" is reserved (it names re-balancing in `backup`)") }
        if let problem = DirectorConfig.baseURLProblem(url, httpsOnly: false) { return (.url, problem) }
        if let httpsURL, let problem = DirectorConfig.baseURLProblem(httpsURL, httpsOnly: true) { return (.httpsURL, problem) }
        if !(0...10_000).contains(weight) { return (.weight, "must be between 0 and 10000") }
        if let location, location.count > 64 || location.unicodeScalars.contains(where: isControl) {
            return (.location, "must be at most 64 characters, without control characters")
        }
        if let name, name.isEmpty || name.count > 80 || name.unicodeScalars.contains(where: isControl) {
            return (.name, "must be 1 to 80 characters, without control characters")
        }
        return nil
    }
}
