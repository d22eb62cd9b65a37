import ArgumentParser
import DossierKit

/// The exit statuses every command uses, in one place.
enum ExitStatus {
    /// The command did what it was asked.
    static let done: Int32 = 0
    /// A check ran and found problems (a corrupt document, failed rules).
    static let problems: Int32 = 1
    /// The command refused: bad input, no vault, a locked dossier, an I/O failure.
    static let refused: Int32 = 2
    /// The command line itself was wrong (ArgumentParser's EX_USAGE).
    static let usage: Int32 = 64

    static let help = """
        EXIT STATUS
          0   done
          1   the check found problems (e.g. a stored file does not match its digest)
          2   refused: bad input, no vault, a locked dossier, an I/O failure
          64  usage: unknown command, option or argument
        """
}

/// Runs a command body, turning every error into one line on stderr and the right exit status.
/// - Parameter damageIsProblem: whether damage found in the store (``VaultError/isDamage``)
///   exits 1, as a check's finding, for commands that check what they read (`get`, `export`).
func runReporting(damageIsProblem: Bool = false, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as ValidationError {
        throw error
    } catch let failure as CheckFailure {
        Terminal.error(failure.message)
        throw ExitCode(ExitStatus.problems)
    } catch {
        let refusal = VaultError.wrap(error)
        Terminal.error(refusal.description)
        throw ExitCode(damageIsProblem && refusal.isDamage ? ExitStatus.problems : ExitStatus.refused)
    }
}

/// A check that found a problem: printed, exit status 1.
struct CheckFailure: Error {
    var message: String
}
