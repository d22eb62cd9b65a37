import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct VerifyBundle: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-bundle",
            abstract: L("Check any BagIt bag, a folder or a tar, tar.gz or zip archive, ours or not; or a set of exported bags."),
            discussion: L("""
                A strict BagIt 1.0 validator (RFC 8493). Archives are read in place, never
                unpacked; nothing is ever written. Every checksum of every manifest and tag
                manifest is checked. Bags declaring BagIt 0.93–0.97 are checked by their own
                version's rules where they differ. Problems are printed one per line, each
                naming the file and what is wrong.

                A bag can be made again by anyone who edits a paper and recomputes its manifests,
                so a valid bag proves little by itself. --key seal.pem (the unit's published seal
                key) also requires the bag's seal, tagmanifest-sha512.txt.sig, to be that key's
                signature of its tag manifest; --expect SHA256 requires the tag manifest to be
                the one `dossier export` printed and the audit log recorded (its sha256, or sha512).

                A folder holding export-index.json is a set (`dossier export ID… -o DIR`): every
                bag it lists is checked (with the tag manifest the index recorded), the index's
                own seal too with --key, and the bags that fail are named, as are files the index
                does not list.

                EXIT STATUS
                  0   the bag (every bag of the set) is valid, and sealed by --key when given
                  1   the bag is not valid, its seal or tag manifest is not the one expected, or a bag of the set fails
                  2   refused: the path or the key cannot be read
                  64  usage: unknown command, option or argument
                """))

        @OptionGroup var output: OutputOptions

        @Argument(help: ArgumentHelp(L("The bag: a folder or a tar, tar.gz or zip archive; or a set's folder."), valueName: "file | dir"))
        var path: String
        @Option(help: ArgumentHelp(L("The unit's published seal key (PEM): the seal must be its signature."), valueName: "seal.pem"))
        var key: String?
        @Option(help: ArgumentHelp(L("The sha256 (or sha512) of tagmanifest-sha512.txt recorded at export."), valueName: "sha256"))
        var expect: String?

        func validate() throws {
            if let expect, !([64, 128].contains(expect.utf8.count) && expect.allSatisfy(\.isHexDigit)) {
                throw ValidationError(L("--expect takes the tag manifest's sha256 (64 hexadecimal digits) or sha512 (128), as `dossier export` prints it"))
            }
        }

        func run() throws {
            try runReporting {
                let sealKey = try key.map { try loadPublicKey($0) }
                if ExportSetVerifier.isSet(path) {
                    guard expect == nil else {
                        throw FieldError(file: path, field: "--expect", problem: "a set's index records each bag's tag manifest; --expect is for one bag")
                    }
                    try verifySet(sealKey)
                    return
                }
                let progress = ProgressLine(L("checking {file}", ["file": DossierKit.FileSystem.lastComponent(of: path)]), total: nil)
                let report = try BagVerifier.verify(path, expecting: BagExpectation(key: sealKey, tagManifest: expect), progress: progress.update)
                progress.finish()
                if output.json {
                    Terminal.json(Self.json(report))
                } else {
                    Terminal.out(Self.text(report, sealAsked: sealKey != nil || expect != nil))
                }
                if !report.isValid {
                    let first = translated(report.errors[0].description)
                    let more = report.errors.count > 1 ? L(" (and {count} more)", ["count": String(report.errors.count - 1)]) : ""
                    throw CheckFailure(message: L("{path} is not a valid bag: {problem*}", ["path": path, "problem*": first]) + more)
                }
            }
        }

        func verifySet(_ key: SealPublicKey?) throws {
            var progress: ProgressLine?
            var current = ""
            let report = ExportSetVerifier.verify(path, key: key) { file, done in
                if file != current {
                    progress?.finish()
                    progress = ProgressLine(L("checking {file}", ["file": file]), total: nil)
                    current = file
                }
                progress?.update(done)
            }
            progress?.finish()
            if output.json {
                Terminal.json(Self.json(report))
            } else {
                Terminal.out(Self.text(report))
            }
            let failing = report.failing
            guard report.isValid else {
                let names = failing.map(\.file)
                let first = (report.problems.first ?? failing.first?.allProblems.first).map { translated($0.description) } ?? L("not valid")
                let which = names.isEmpty
                    ? L("its index fails")
                    : L("{count} of {total} {total|bag|bags} {count|fails|fail}: {names}", ["count": String(names.count), "total": String(report.bags.count), "names": names.joined(separator: ", ")])
                throw CheckFailure(message: L("{path} is not a valid set: {which} ({problem*})", ["path": path, "which": which, "problem*": first]))
            }
        }

        static func text(_ report: ExportSetReport) -> String {
            var lines = problemLines(report.problems, report.warnings)
            for bag in report.bags {
                let what = bag.entry.map { "\($0.dossier) \($0.version)" } ?? L("not in the index")
                if bag.isValid {
                    let sealed = bag.report?.sealVerified == true ? L(", seal verified") : ""
                    lines.append(L("ok    {file}  {what}", ["file": bag.file, "what": what]) + sealed)
                } else {
                    let problems = bag.allProblems
                    let more = problems.count > 1 ? L(" (and {count} more)", ["count": String(problems.count - 1)]) : ""
                    let first = problems.first.map { translated($0.description) } ?? L("not valid")
                    lines.append(L("FAIL  {file}  {what}: {problem*}", ["file": bag.file, "what": what, "problem*": first]) + more)
                }
            }
            let valid = report.bags.filter(\.isValid).count
            let sealed = report.sealVerified == true ? L("; the index's seal verified") : ""
            lines.append(L("{folder}: {valid} of {total} {total|bag|bags} valid", ["folder": report.folder, "valid": String(valid), "total": String(report.bags.count)]) + sealed)
            return lines.joined(separator: "\n")
        }

        /// `error: …` and `warning: …` lines, each problem in the language of the run.
        static func problemLines(_ errors: [BagProblem], _ warnings: [BagProblem]) -> [String] {
            errors.map { L("error: {problem*}", ["problem*": translated($0.description)]) }
                + warnings.map { L("warning: {problem*}", ["problem*": translated($0.description)]) }
        }

        static func json(_ report: ExportSetReport) -> JSONValue {
            func problems(_ list: [BagProblem]) -> JSONValue {
                .array(list.map { ["file": .string($0.file), "problem": .string($0.problem)] })
            }
            return [
                "set": .string(report.folder),
                "valid": .bool(report.isValid),
                "sealVerified": report.sealVerified.map { .bool($0) } ?? .null,
                "errors": problems(report.problems),
                "warnings": problems(report.warnings),
                "bags": .array(report.bags.map { bag in
                    [
                        "file": .string(bag.file),
                        "dossier": bag.entry.map { .string($0.dossier) } ?? .null,
                        "version": bag.entry.map { .string($0.version) } ?? .null,
                        "valid": .bool(bag.isValid),
                        "sealVerified": bag.report?.sealVerified.map { .bool($0) } ?? .null,
                        "errors": problems(bag.allProblems),
                    ]
                }),
            ]
        }

        static func text(_ report: BagReport, sealAsked: Bool = false) -> String {
            var lines = problemLines(report.errors, report.warnings)
            let version = report.version.map { "BagIt \($0) " } ?? ""
            let summary = L("{count} payload {count|file|files}, {size}", ["count": String(report.payloadFiles), "size": sizeText(report.payloadBytes)])
                + (report.manifests.isEmpty ? "" : L("; manifests {list}", ["list": report.manifests.joined(separator: ", ")]))
            let values = [
                "bag": report.bag, "version": version, "summary": summary,
                "warnings": String(report.warnings.count), "errors": String(report.errors.count),
            ]
            if report.isValid {
                lines.append(report.warnings.isEmpty
                    ? L("{bag}: valid {version}bag ({summary})", values)
                    : L("{bag}: valid {version}bag with {warnings} {warnings|warning|warnings} ({summary})", values))
            } else {
                lines.append(L("{bag}: not a valid {version}bag: {errors} {errors|error|errors} ({summary})", values))
            }
            if report.isSealed || sealAsked {
                switch (report.isSealed, report.sealVerified) {
                case (_, true?): lines.append(L("seal: verified with the key given ({key})", ["key": report.sealKeyNamed ?? L("the key given")]))
                case (_, false?): lines.append(L("seal: NOT the seal of the key given"))
                case (true, nil): lines.append(L("seal: present, not checked (bag-info.txt names the key {key}; give --key seal.pem to check it)", ["key": report.sealKeyNamed ?? "?"]))
                case (false, nil): lines.append(L("seal: none"))
                }
                if let digest = report.tagManifestSHA256 { lines.append(L("tag manifest sha256: {digest}", ["digest": digest])) }
            }
            return lines.joined(separator: "\n")
        }

        static func json(_ report: BagReport) -> JSONValue {
            func problems(_ list: [BagProblem]) -> JSONValue {
                .array(list.map { ["file": .string($0.file), "problem": .string($0.problem)] })
            }
            return [
                "bag": .string(report.bag),
                "valid": .bool(report.isValid),
                "bagitVersion": report.version.map { .string($0) } ?? .null,
                "root": report.root.map { .string($0) } ?? .null,
                "payload": ["files": .number(Double(report.payloadFiles)), "bytes": .number(Double(report.payloadBytes))],
                "manifests": .array(report.manifests.map { .string($0) }),
                "errors": problems(report.errors),
                "warnings": problems(report.warnings),
                "tagManifestSHA256": report.tagManifestSHA256.map { .string($0) } ?? .null,
                "sealed": .bool(report.isSealed),
                "sealKeyNamed": report.sealKeyNamed.map { .string($0) } ?? .null,
                "sealVerified": report.sealVerified.map { .bool($0) } ?? .null,
            ]
        }
    }
}
