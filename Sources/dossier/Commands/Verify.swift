import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("Prove that nothing in the vault changed since it was filed, or validate any OCFL object."),
            discussion: L("""
                Without --ocfl: checks the vault's store (every object, or the dossiers named)
                against OCFL 1.1 and recomputes every content digest (sha512 manifest, sha256
                fixity); then checks that each version's dossier.json lists exactly the
                documents of that version, with their digests and sizes, and that each object
                sits where the layout puts its id.

                With --ocfl: validates each path, an OCFL 1.1 (or 1.0) object or storage root,
                told apart by its 0=ocfl_object_1.x or 0=ocfl_1.x declaration. A storage root
                is valid only if every object in it is.

                Each finding is one line: the spec's code (E… error, W… warning, D… the vault's
                own rules for dossiers), the object, the path and what is wrong. Hashing uses
                every core.

                EXIT STATUS
                  0   valid (warnings may have been printed)
                  1   invalid: at least one error was found
                  2   could not run: no vault, no such dossier or path, bad id
                  64  usage: unknown option or argument
                """))

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var output: OutputOptions

        @Flag(name: .long, help: ArgumentHelp(L("Check structure only: do not recompute content digests.")))
        var noDigests = false

        @Flag(name: .long, help: ArgumentHelp(L("Validate the given paths as OCFL objects or storage roots (not the vault).")))
        var ocfl = false

        @Argument(help: ArgumentHelp(L("Dossier ids (all when none); with --ocfl, object or storage root folders."), valueName: "id-or-path"))
        var targets: [String] = []

        func validate() throws {
            if ocfl && targets.isEmpty { throw ValidationError("--ocfl needs at least one object or storage root folder") }
        }

        func run() throws {
            try runReporting {
                let options = VerifyOptions(checkDigests: !noDigests)
                let line = ProgressLine(L("verify"), total: nil)
                let progress: (VerifyProgress) -> Void = { status in
                    guard Terminal.stderrIsTerminal else { return }
                    let rate = Double(status.bytesHashed) / max(status.elapsedSeconds, 0.001) / 1_048_576
                    line.show(L("{done}/{total} objects, {size}, {rate} MiB/s", ["done": String(status.objectsDone), "total": String(status.objectsTotal), "size": ByteCount.format(status.bytesHashed), "rate": String(format: "%.0f", rate)]))
                }
                let started = Date()
                let report: VerificationReport
                if ocfl {
                    report = try OCFLValidator.validate(paths: targets, options: options, progress: progress)
                } else {
                    let vault = try vaultOptions.open()
                    let ids = try targets.map { try parseDossierID($0) }
                    report = try vault.verify(ids, options: options, progress: progress)
                }
                line.finish()
                if output.json {
                    Terminal.json(report.json())
                } else {
                    // The audit cross-check's findings (A…) are the vault's own words; OCFL's stay as the spec has them.
                    var lines = report.findings.map { $0.code.rawValue.hasPrefix("A") ? translated($0.description) : $0.description }
                    lines.append(Self.summary(report, digests: options.checkDigests, seconds: Date().timeIntervalSince(started)))
                    Terminal.out(lines.joined(separator: "\n"))
                }
                if !report.isValid { throw ExitCode(ExitStatus.problems) }
            }
        }

        static func summary(_ report: VerificationReport, digests: Bool, seconds: Double) -> String {
            var values = [
                "objects": String(report.objectsChecked), "files": String(report.filesHashed), "size": sizeText(report.bytesHashed),
                "seconds": String(format: "%.2f", seconds), "errors": String(report.errorCount), "warnings": String(report.warningCount),
            ]
            values["verdict"] = report.isValid ? L("valid") : L("INVALID")
            return digests
                ? L("{verdict}: {objects} {objects|object|objects}, {files} files ({size}) hashed in {seconds} s; {errors} {errors|error|errors}, {warnings} {warnings|warning|warnings}", values)
                : L("{verdict}: {objects} {objects|object|objects}, structure only, no digests recomputed in {seconds} s; {errors} {errors|error|errors}, {warnings} {warnings|warning|warnings}", values)
        }
    }
}
