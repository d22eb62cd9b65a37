import DossierModel

/// A4 of a received bag through its export seal (issue 17): `tagmanifest-sha512.txt.sig`, the
/// vault seal key's signature of `tagmanifest-sha512.txt`, checked against the key the unit
/// published. The tag manifest covers every other manifest, and they cover every byte, so a
/// good seal says the package is the one the unit sealed (A1 checks the manifests themselves).
public struct BagSeals: SealVerifying {
    /// The unit's published seal key; `nil` when none was given, and a sealed bag's A4 is then
    /// not run, saying why.
    public var key: SealPublicKey?

    public init(key: SealPublicKey?) {
        self.key = key
    }

    public func packageSeal(of subject: SealSubject) -> ItemResult? {
        guard case .bag(_, let tagFiles) = subject, let seal = tagFiles[BagWriter.sealFile] else { return nil }
        guard let manifest = tagFiles[BagWriter.sealedManifest] else {
            return ItemResult(.A4, .failed, "the bag carries \(BagWriter.sealFile) but no \(BagWriter.sealedManifest) for it to seal")
        }
        guard let key else {
            return ItemResult(.A4, .notRun, "the bag is sealed (\(BagWriter.sealFile)); give --key seal.pem, the unit's published seal key, to check the seal")
        }
        guard key.verifies(seal, of: manifest) else {
            return ItemResult(
                .A4, .failed,
                "\(BagWriter.sealFile) is not the seal of \(BagWriter.sealedManifest) by the key \(key.fingerprint): the bag changed after it was sealed, or another key sealed it")
        }
        return ItemResult(.A4, .passed, "\(BagWriter.sealedManifest) is sealed by the key \(key.fingerprint) (\(key.algorithm.rawValue))")
    }

    /// Bags carry no audit log head: S3 is the vault's (`audit verify --key`).
    public func sealedAuditHead(of subject: SealSubject) -> ItemResult? { nil }
}
