import ArgumentParser
import Foundation

/// Parses and runs a command, mapping every failure to the documented exit codes:
/// 0 a mirror was chosen (URL on stdout) or the command succeeded, 1 `probe` found no mirror
/// answering, 2 bad input (flags, page, config) or an unreachable page, 130 quit without a choice.
enum CommandLineRunner {
    static func run(_ arguments: [String]) async -> Int32 {
        do {
            var command = try Mirrorscope.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let failure as CLIFailure {
            Stderr.print("mirrorscope: " + failure.message)
            return failure.code
        } catch let silent as CLIFailureSilent {
            return silent.code
        } catch let exit as ExitCode {
            return exit.rawValue
        } catch {
            let code = Mirrorscope.exitCode(for: error)
            if code == .validationFailure {
                // Usage mistakes exit 2, like every other kind of bad input.
                Stderr.print(Mirrorscope.fullMessage(for: error))
                Stderr.print("See 'mirrorscope --help'.")
                return 2
            }
            let message = Mirrorscope.fullMessage(for: error)
            if code == .success {
                print(message)
            } else if !message.isEmpty {
                Stderr.print(message)
            }
            return code.rawValue
        }
    }
}

/// A failure with a message for the user and an exit code.
struct CLIFailure: Error {
    var message: String
    var code: Int32 = 2
}

enum Stderr {
    static func print(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
