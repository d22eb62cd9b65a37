import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: L("File a confidentiality officer's review: approve, reject or needs-info (同意, 不同意, 补充材料)."),
            discussion: L("""
                Files a generated confidentiality-review paper (保密审查意见) in a new version:
                the reviewer, the version reviewed (--version, default the latest), the flags
                and findings seen then, the decision and the note. `dossier flags` then shows
                the decision and the version it covers (approved v7, rejected v8, needs-info
                v8) until something else is filed, which reopens the review (pending).
                --classification-reviewed also records the year's review of the
                classification itself (R25).
                """) + "\n\n" + L(ExitStatus.help))
        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var identity: IdentityOptions
        @Argument(help: ArgumentHelp(L("The dossier id."))) var id: String
        @Option(help: ArgumentHelp(L("approve, reject or needs-info (or 同意, 不同意, 补充材料)."))) var decision: String
        @Option(help: ArgumentHelp(L("The version reviewed (default: the latest)."))) var version: VersionNumber?
        @Option(help: ArgumentHelp(L("What the review found (part of the paper)."))) var note: String
        @Flag(help: ArgumentHelp(L("The review also confirms the classification itself (R25)."))) var classificationReviewed = false

        func validate() throws {
            guard ReviewDecision(typed: decision) != nil else {
                throw ValidationError("--decision: expected approve 同意, reject 不同意 or needs-info 补充材料, got \"\(decision)\"")
            }
        }

        func run() throws {
            try runAudited("review", dossier: id, vault: vaultOptions, by: identity.agent) {
                let vault = try vaultOptions.open()
                // swift-format-ignore: NeverForceUnwrap
                // validate() accepted it.
                let decision = ReviewDecision(typed: decision)!
                let agent = identity.agent
                let result = try vault.review(ReviewRequest(
                    id: try parseDossierID(id), decision: decision, version: version, note: note,
                    classificationReviewed: classificationReviewed, reviewer: agent.name, user: agent))
                Terminal.out(L("{id} {version}: filed the review ({decision} {chinese}) as {path}", ["id": result.id.rawValue, "version": result.version.description, "decision": decision.rawValue, "chinese": decision.chineseName, "path": result.documents.first ?? ""]))
                Terminal.warnings(result)
            }
        }
    }
}
