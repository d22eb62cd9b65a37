import DossierKit
import Testing
import _DossierTestSupport

@Suite("dossier binary")
struct SmokeTests {
    @Test("--help lists the exit statuses")
    func helpListsExitStatuses() throws {
        let outcome = try runDossier(["--help"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("64  usage"))
        #expect(outcome.stdout.contains("2   refused"))
    }
}
