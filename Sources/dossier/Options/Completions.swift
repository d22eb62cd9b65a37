import ArgumentParser
import DossierKit
import Foundation

/// Completions the shell asks the program for (`dossier --generate-completion-script bash`
/// writes a script that calls back): kinds, units, types and the vault's dossier ids.
enum Completions {
    /// The vault the command line being completed names (`--vault PATH`), else the default.
    static func vault(from arguments: [String]) -> Vault? {
        var path = ProcessInfo.processInfo.environment["DOSSIER_VAULT"] ?? "Vault"
        if let index = arguments.firstIndex(of: "--vault"), index + 1 < arguments.count { path = arguments[index + 1] }
        return try? Vault.open(at: URL(fileURLWithPath: path).standardizedFileURL.path)
    }

    static func matching(_ values: [String], _ prefix: String) -> [String] {
        values.filter { $0.hasPrefix(prefix) }
    }

    @Sendable static func none(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] { [] }

    @Sendable static func kinds(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        matching(DocumentKind.allCases.map(\.rawValue) + DocumentKind.allCases.map(\.chineseName), prefix)
    }

    @Sendable static func units(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        let units = vault(from: arguments)?.settings.units ?? VaultSettings.pilot.units
        return matching(units.map(\.id) + units.map(\.name), prefix)
    }

    @Sendable static func types(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        let types = (try? vault(from: arguments)?.profile().types) ?? Profile.nmg2020.types
        return matching(types.map(\.id.rawValue) + types.map(\.name), prefix)
    }

    @Sendable static func ids(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let vault = vault(from: arguments), let ids = try? vault.dossierIDs() else { return [] }
        return matching(ids.map(\.rawValue), prefix)
    }

    @Sendable static func statuses(_ arguments: [String], _ index: Int, _ prefix: String) -> [String] {
        matching(DossierStatus.allCases.map(\.rawValue), prefix)
    }
}
