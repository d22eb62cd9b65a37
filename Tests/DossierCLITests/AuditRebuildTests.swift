import DossierKit
import Testing
import _DossierTestSupport

@Suite("index rebuilds in the audit log")
struct AuditRebuildTests {
    @Test("a requested rebuild and an automatic one each write a rebuild line; the chain stays intact")
    func rebuildsAreAudited() throws {
        try withTemporaryDirectory { root in
            // Given a vault with one dossier and no index yet
            let vault = try CLIVault(in: root)
            // When a search heals the missing index, and then a rebuild is asked for
            #expect(try vault.dossier(["search", "风光"]).status == 0)
            expectSuccess(try vault.dossier(["index", "--rebuild", "--by", "档案管理员", "--email", "archive@example.org"]))
            // Then both rebuilds are in the log, with why and by whom
            let lines = try JSONValue.parse(try vault.dossier(["audit", "--json"]).stdout).arrayValue ?? []
            let rebuilds = lines.filter { $0["action"] == "rebuild" }
            #expect(rebuilds.count == 2)
            #expect(rebuilds.first?["reason"] == "the index was missing")
            #expect(rebuilds.first?["dossiers"] == 1)
            #expect(rebuilds.last?["reason"] == "requested")
            #expect(rebuilds.last?["by"]?["name"] == "档案管理员")
            #expect(try vault.dossier(["audit", "verify"]).status == 0)
        }
    }
}
