import DossierModel
/// Why a verification could not run at all (as opposed to finding problems).
public enum VerifyError: Error, Sendable, CustomStringConvertible {
    case missing(path: String)
    case notAFolder(path: String)

    public var description: String {
        switch self {
        case .missing(let path): "\(path): no such file or folder"
        case .notAFolder(let path): "\(path): is not a folder; give an OCFL object or storage root folder"
        }
    }
}

/// A validator for any OCFL 1.1 (or 1.0) object or storage root, reporting every problem with
/// the spec's code, and recomputing every content digest (manifest and fixity) on all cores.
///
/// Unlike ocfl-py's storage-root mode, a storage root is valid only if every object in it is.
///
/// ```swift
/// let report = try OCFLValidator.validate(paths: ["fixtures/1.1/good-objects/spec-ex-minimal"])
/// report.isValid   // true
/// ```
public enum OCFLValidator {
    /// Validates each path: a storage root (it has a `0=ocfl_1.x` declaration) with every
    /// object in its hierarchy, or else an object.
    /// - Parameters:
    ///   - paths: object or storage root folders.
    ///   - options: whether to recompute digests, and on how many threads.
    ///   - progress: called on the calling thread about ten times a second while work runs.
    /// - Throws: ``VerifyError`` when a path is missing or not a folder.
    public static func validate(
        paths: [String], options: VerifyOptions = VerifyOptions(), progress: (VerifyProgress) -> Void = { _ in }
    ) throws(VerifyError) -> VerificationReport {
        var sources: [Source] = []
        for path in paths {
            switch FileSystem.kind(of: path) {
            case .missing: throw .missing(path: path)
            case .directory: break
            default: throw .notAFolder(path: path)
            }
            let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
            if isStorageRoot(trimmed) {
                sources.append(.storageRoot(StorageRootCheck(path: trimmed, name: trimmed, dossierChecks: false) { "\(trimmed)/\($0)" }))
            } else {
                sources.append(.objects([ObjectTask(path: trimmed, name: trimmed)]))
            }
        }
        return run(sources, options: options, progress: progress)
    }

    /// A storage root declares itself with `0=ocfl_1.x`; an object with `0=ocfl_object_1.x`.
    static func isStorageRoot(_ path: String) -> Bool {
        guard let entries = try? DirectoryListing.entries(of: path) else { return false }
        return entries.contains { $0.name.hasPrefix("0=ocfl_") && !$0.name.hasPrefix("0=ocfl_object_") }
    }

    /// What to verify: a storage root (walked for its objects) or objects given directly.
    enum Source {
        case storageRoot(StorageRootCheck)
        case objects([ObjectTask])
    }

    /// Runs every source's objects together (so the cores stay busy across them) and
    /// assembles the report source by source, in the order given: a storage root's own
    /// findings, then its objects', then its duplicate ids.
    static func run(_ sources: [Source], options: VerifyOptions, progress: (VerifyProgress) -> Void) -> VerificationReport {
        let run = VerificationRun(options: options)
        var groups: [(rootFindings: [OCFLFinding], range: Range<Int>, rootName: String?)] = []
        let result = run.run(feed: {
            for source in sources {
                let start = run.count
                switch source {
                case .storageRoot(let check):
                    let findings = check.walk { run.add($0) }
                    groups.append((findings, start..<run.count, check.name))
                case .objects(let tasks):
                    run.add(tasks)
                    groups.append(([], start..<run.count, nil))
                }
            }
        }, progress: progress)
        var report = VerificationReport(objectsChecked: result.tasks.count, filesHashed: result.filesHashed, bytesHashed: result.bytesHashed)
        for task in result.tasks { report.objectFolders[task.name, default: []].append(task.path) }
        for (task, observation) in zip(result.tasks, result.observations) {
            if let observation { report.observations[task.name] = observation }
        }
        for (task, versions) in zip(result.tasks, result.versions) {
            if let versions { report.objectVersions[task.path] = versions }
        }
        for group in groups {
            report.findings += group.rootFindings
            for index in group.range { report.findings += result.findings[index] }
            if let rootName = group.rootName {
                report.findings += duplicateIDs(tasks: Array(result.tasks[group.range]), ids: Array(result.ids[group.range]), root: rootName)
            }
        }
        return report
    }

    /// Ids must be unique within a storage root (E037).
    static func duplicateIDs(tasks: [ObjectTask], ids: [String?], root: String) -> [OCFLFinding] {
        var holders: [String: [String]] = [:]
        for (task, id) in zip(tasks, ids) {
            guard let id else { continue }
            holders[id, default: []].append(task.storage?.relativePath ?? task.path)
        }
        return holders.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map { id, paths in
            OCFLFinding(.E037, object: root, path: "", message: "the id \"\(id)\" is used by \(paths.count) objects: \(paths.joined(separator: ", "))")
        }
    }
}
