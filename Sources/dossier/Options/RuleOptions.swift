import ArgumentParser
import DossierKit
import Foundation

extension LocalDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// `--as-of DATE`: the day date rules count to, so that every verdict can be reproduced.
struct AsOfOptions: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp(L("Check as on this day, YYYY-MM-DD (default: today in the vault's time zone)."), valueName: "date"))
    var asOf: LocalDate?

    func date(in vault: Vault) -> LocalDate { asOf ?? vault.clock.today }
}

/// What a rules command computed for each dossier, read and computed on every core. Dossiers
/// that cannot be read are reported on stderr, one line each; the command goes on with the rest
/// and exits 2 at the end.
struct RuleResults<T: Sendable> {
    var values: [T]
    var unreadable: Int

    init(vault: Vault, ids: [DossierID], _ body: @escaping @Sendable (RuleSubject) -> T) {
        values = []
        unreadable = 0
        for result in vault.judgeEach(ids, body) {
            switch result {
            case .success(let value): values.append(value)
            case .failure(let error):
                Terminal.error(error.description)
                unreadable += 1
            }
        }
    }

    /// Exit 2 when some dossier could not be read: the check is incomplete.
    func finish() throws {
        if unreadable > 0 { throw ExitCode(ExitStatus.refused) }
    }
}

extension Terminal {
    /// Writes many lines at once: one write for a whole report, however long.
    static func lines(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
