import DossierModel

/// A4 of a dossier in the vault: every version is unchanged since it was filed when its
/// `inventory.json` — which holds the digest of every file of the version — still hashes to the
/// sha512 its audit line recorded at filing (or at the last rewrite: classify, rekey). The lines
/// are hash-chained and the log's head is sealed with the vault's seal key (`audit verify --key`,
/// S3), so the digests cannot be changed to follow an edit without breaking the chain.
struct FilingLineSeals: SealVerifying {
    let store: StorageRoot
    let expected: [String: [VersionNumber: AuditCrossCheck.Expectation]]

    init(store: StorageRoot, records: [AuditRecord]) {
        self.store = store
        expected = AuditCrossCheck.expectations(records)
    }

    func packageSeal(of subject: SealSubject) -> ItemResult? {
        guard case .dossier(let id, _, _) = subject else { return nil }
        let lines = expected[id.rawValue] ?? [:]
        var details: [CheckDetail] = []
        var compared = 0
        for (version, digest) in store.versionInventoryDigests(of: id) {
            guard let expectation = lines[version], let recorded = expectation.digest else { continue }
            compared += 1
            guard let digest else {
                details.append(CheckDetail(.failed, file: "\(version)/inventory.json", "cannot be read; audit line \(expectation.line) recorded sha512 \(recorded.shortDigest) for it"))
                continue
            }
            if digest != recorded {
                details.append(CheckDetail(
                    .failed, file: "\(version)/inventory.json",
                    "hashes to sha512 \(digest.shortDigest); audit line \(expectation.line) recorded \(recorded.shortDigest) when it was filed: the version changed since"))
            }
        }
        guard compared > 0 else {
            return ItemResult(.A4, .notRun, "no audit line records an inventory digest for \(id) (its versions were filed before the lines carried them)")
        }
        return ItemResult(
            .A4, details: details,
            summary: details.isEmpty
                ? "\(compared) version\(compared == 1 ? "" : "s") unchanged since filed: each inventory.json hashes to the sha512 its audit line recorded"
                : "a version changed after it was filed")
    }

    /// S3 is the audit log's own item (its chain and sealed head), not a dossier's.
    func sealedAuditHead(of subject: SealSubject) -> ItemResult? { nil }
}
