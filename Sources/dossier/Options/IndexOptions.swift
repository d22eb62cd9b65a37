import ArgumentParser
import DossierKit
import Foundation

/// How the CLI reports on the index.
enum IndexNotice {
    /// The one line on stderr saying what was repaired before the command could answer.
    static func print(_ repair: IndexRepair) {
        Terminal.note("dossier: \(repair)")
    }
}

/// The filters `search`, `list` and reports share.
struct FilterOptions: ParsableArguments {
    @Option(help: ArgumentHelp(L("Only documents of this kind (and dossiers that have one)."), valueName: "kind"))
    var kind: DocumentKind?

    @Option(help: ArgumentHelp(L("Only this pilot unit's dossiers, e.g. imut."), valueName: "unit"))
    var unit: String?

    @Option(help: ArgumentHelp(L("Only this achievement type, e.g. patent, plant-variety."), valueName: "type"))
    var type: String?

    @Option(help: ArgumentHelp(L("Only dossiers with this flag: {flags}.", ["flags": DossierFlag.allCases.map(\.rawValue).joined(separator: ", ")]), valueName: "flag"))
    var flag: String?

    @Option(help: ArgumentHelp(L("Only dossiers with this status: {statuses}.", ["statuses": DossierStatus.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")]), valueName: "status"))
    var status: String?

    @Option(help: ArgumentHelp(L("Only documents dated (signedOn, else issuedOn) on or after this day."), valueName: "YYYY-MM-DD"))
    var since: LocalDate?

    @Option(help: ArgumentHelp(L("Only documents dated on or before this day."), valueName: "YYYY-MM-DD"))
    var until: LocalDate?

    /// The filter, once `unit` is known to be one of the vault's (a misspelt unit would
    /// otherwise look like a unit with nothing filed).
    func filter(in vault: Vault) throws -> IndexFilter {
        if let unit { try vault.settings.checkUnit(unit, source: "command line", field: "--unit") }
        return IndexFilter(
            kind: kind, unit: unit, type: type, flag: flag.flatMap(DossierFlag.init(rawValue:)), status: status.flatMap(DossierStatus.init(rawValue:)),
            since: since, until: until)
    }

    mutating func validate() throws {
        if let since, let until, until < since { throw ValidationError("--until \(until) is before --since \(since)") }
        // Flags are written in capitals and statuses in small letters, but nobody should have
        // to remember that.
        if let given = flag {
            guard let known = DossierFlag(rawValue: given.uppercased()) else {
                if let suggestion = Suggestion.closest(to: given.uppercased(), among: DossierFlag.allCases.map(\.rawValue)) {
                    throw ValidationError("--flag: unknown flag \"\(given)\"; did you mean \(suggestion)?")
                }
                throw ValidationError("--flag: unknown flag \"\(given)\"; expected one of: \(DossierFlag.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            flag = known.rawValue
        }
        if let given = status {
            guard let known = DossierStatus(rawValue: given.lowercased()) else {
                if let suggestion = Suggestion.closest(to: given.lowercased(), among: DossierStatus.allCases.map(\.rawValue)) {
                    throw ValidationError("--status: unknown status \"\(given)\"; did you mean \(suggestion)?")
                }
                throw ValidationError("--status: unknown status \"\(given)\"; expected one of: \(DossierStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = known.rawValue
        }
    }
}
