import ArgumentParser
import DossierKit

extension DossierCommand {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Create a vault home: vault.json and an empty OCFL storage root."),
            discussion: L(ExitStatus.help))

        @OptionGroup var vaultOptions: VaultOptions

        @Option(help: ArgumentHelp(L("The organisation's name, recorded in vault.json and in exported bags.")))
        var organisation: String?

        @Option(name: .customLong("unit"), help: ArgumentHelp(L("A pilot unit as id=name (repeatable; default: the plan's two units)."), valueName: "id=name"))
        var units: [String] = []

        func run() throws {
            try runReporting {
                var settings = VaultSettings.pilot
                if let organisation { settings.organisation = organisation }
                if !units.isEmpty {
                    settings.units = try units.map { text in
                        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
                        guard parts.count == 2, Slug.isValid(parts[0]), !parts[1].isEmpty else {
                            throw FieldError(file: "command line", field: "--unit", problem: "expected id=name such as imut=内蒙古工业大学, got \"\(text)\"")
                        }
                        return (parts[0], parts[1].precomposedNFC)
                    }
                }
                let vault = try Vault.initialize(at: vaultOptions.vaultPath, settings: settings)
                Terminal.out(L("created vault {home} (profile {profile}, units {units})", ["home": vault.home, "profile": settings.profile, "units": settings.units.map(\.id).joined(separator: ", ")]))
            }
        }
    }
}
