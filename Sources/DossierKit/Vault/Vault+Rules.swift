import DossierModel
import Foundation

/// A dossier as the rules see it: the head record and its history as values.
public struct RuleSubject: Sendable {
    public var record: DossierRecord
    public var history: DossierHistory
}

extension Vault {
    /// Where a vault keeps its own profiles, which win over the built-in ones.
    public var profilesPath: String { "\(home)/profiles" }

    /// The policy profile vault.json names: the vault's own `profiles/<id>.json`, else the built-in one.
    /// - Throws: ``VaultError`` when the profile is unknown or its file is wrong (naming the field).
    public func profile() throws(VaultError) -> Profile {
        let id = settings.profile
        let path = "\(profilesPath)/\(id).\(Profile.fileExtension)"
        if FileSystem.exists(path) {
            do {
                let profile = try Profile.decode(try FieldReader.parse(file: path, data: try FileSystem.readFile(path)))
                guard profile.id == id else {
                    throw FieldError(file: path, field: "profile", problem: "expected \"\(id)\" (the name vault.json gives), got \"\(profile.id)\"")
                }
                return profile
            } catch {
                throw .wrap(error)
            }
        }
        guard let profile = Profile.builtIn(id) else {
            throw .badSettings(FieldError(
                file: "\(home)/\(VaultSettings.fileName)", field: "profile",
                problem: "no profile \"\(id)\": neither built in (\(Profile.builtInIDs.joined(separator: ", "))) nor at \(path)"))
        }
        return profile
    }

    /// The record and history of one dossier at `version` (the head when `nil`), as they
    /// stood when that version was filed: later versions are not part of its history.
    public func ruleSubject(of id: DossierID, version: VersionNumber? = nil) throws(VaultError) -> RuleSubject {
        do {
            var inventory = try store.inventory(of: id)
            if let version {
                guard let earlier = inventory.upTo(version) else { throw StoreError.versionMissing(id, version, head: inventory.head) }
                inventory = earlier
            }
            let record = try store.record(of: id, inventory: inventory)
            let history = try DossierHistory.derive(from: inventory, needsReviewBaseline: RuleEngine.hasApprovingReview(record)) { version in
                RecordCodec.encodeFields(try store.record(of: id, inventory: inventory, version: version))
            }
            return RuleSubject(record: record, history: history)
        } catch {
            throw .wrap(error)
        }
    }

    /// The rules' verdict on a dossier at a version (the head when `nil`), as of a day.
    public func verdict(of id: DossierID, version: VersionNumber? = nil, asOf: LocalDate) throws(VaultError) -> Verdict {
        let subject = try ruleSubject(of: id, version: version)
        return Verdict.evaluate(record: subject.record, history: subject.history, profile: try profile(), asOf: asOf)
    }

    /// Today in the vault's time zone: the default day the rules judge by.
    public var today: LocalDate {
        let unix = Int64(now().timeIntervalSince1970.rounded(.down))
        // swift-format-ignore: NeverForceUnwrap
        return Timestamp.localDate(of: Timestamp.rfc3339(unixSeconds: unix, offsetSeconds: settings.offsetSeconds))!
    }

    /// Reads many dossiers and runs `body` on each, on every core; results in the order of `ids`.
    ///
    /// - Parameter body: pure work on one dossier (rules, flags, deadlines), run where it was read.
    public func withRuleSubjects<T: Sendable>(_ ids: [DossierID], _ body: @escaping @Sendable (RuleSubject) -> T) -> [Result<T, VaultError>] {
        var results: [Result<T, VaultError>] = []
        results.reserveCapacity(ids.count)
        let vault = self
        // orderedParallelMap rethrows only what `consume` throws, and this one cannot throw.
        try? orderedParallelMap(
            count: ids.count, workers: ProcessInfo.processInfo.activeProcessorCount, window: 256,
            produce: { index in Result { () throws(VaultError) -> T in body(try vault.ruleSubject(of: ids[index])) } },
            consume: { _, result in results.append(result) })
        return results
    }
}

extension Profile {
    /// The ids of the profiles built into this binary.
    public static var builtInIDs: [String] { BuiltInProfiles.texts.keys.sorted() }
}
