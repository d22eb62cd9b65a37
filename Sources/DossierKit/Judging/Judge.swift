import DossierModel
import Foundation

/// A dossier as the rules see it: the record at one version and its history as values.
public struct RuleSubject: Sendable {
    public var record: DossierRecord
    public var history: DossierHistory

    public init(record: DossierRecord, history: DossierHistory) {
        self.record = record
        self.history = history
    }
}

extension DossierSnapshot {
    /// The record and history of this snapshot's version, as they stood when it was filed:
    /// later versions are not part of its history. Earlier records are read only when an
    /// approving review might cover an earlier version.
    func ruleSubject() throws(StoreError) -> RuleSubject {
        let record = self.record
        let history = try DossierHistory.derive(
            versions: versions, head: version, needsReviewBaseline: RuleEngine.hasReview(record)
        ) { (number: VersionNumber) throws(StoreError) -> JSONObject in
            RecordCodec.encodeFields(try self.record(at: number))
        }
        return RuleSubject(record: record, history: history)
    }
}

/// The vault's policy profile applied on one day: what the rules, flags and deadlines say of
/// a dossier. Pure once made: the profile and the day are fixed.
public struct Judge: Sendable {
    public let profile: Profile
    /// The day date rules count to.
    public let asOf: LocalDate

    public init(profile: Profile, asOf: LocalDate) {
        self.profile = profile
        self.asOf = asOf
    }

    /// Findings, flags, review and status of a dossier at the snapshot's version.
    public func verdict(of snapshot: DossierSnapshot) throws(StoreError) -> Verdict {
        verdict(of: try snapshot.ruleSubject())
    }

    public func verdict(of subject: RuleSubject) -> Verdict {
        Verdict.evaluate(record: subject.record, history: subject.history, profile: profile, asOf: asOf)
    }
}

extension Profile {
    /// The ids of the profiles built into this binary.
    static var builtInIDs: [String] { BuiltInProfiles.texts.keys.sorted() }

    /// A vault's profile: its own `<folder>/<id>.json` when there is one, else the built-in one.
    /// - Returns: the profile and the bytes it was decoded from (its fingerprint is part of what
    ///   the index's findings depend on).
    /// - Throws: ``FieldError`` naming the file and field when the profile is unknown or wrong.
    static func load(id: String, folder: String, settingsFile: String) throws(FieldError) -> (profile: Profile, source: [UInt8]) {
        let path = "\(folder)/\(id).\(Profile.fileExtension)"
        if FileSystem.exists(path) {
            let bytes: [UInt8]
            do { bytes = try FileSystem.readFile(path) } catch { throw FieldError(file: path, field: "", problem: error.description) }
            let profile = try Profile.decode(try FieldReader.parse(file: path, data: bytes))
            guard profile.id == id else {
                throw FieldError(file: path, field: "profile", problem: "expected \"\(id)\" (the name vault.json gives), got \"\(profile.id)\"")
            }
            return (profile, bytes)
        }
        guard let profile = Profile.builtIn(id), let text = BuiltInProfiles.texts[id] else {
            throw FieldError(
                file: settingsFile, field: "profile",
                problem: "no profile \"\(id)\": neither built in (\(builtInIDs.joined(separator: ", "))) nor at \(path)")
        }
        return (profile, Array(text.utf8))
    }
}
