import DossierModel

/// A file already written (and synced) into the staging area, with its digests.
public struct StagedFile: Sendable, Equatable {
    public var path: String
    public var digests: ContentDigests

    public init(path: String, digests: ContentDigests) {
        self.path = path
        self.digests = digests
    }
}
