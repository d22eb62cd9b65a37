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
        @Option(help: ArgumentHelp("The unit's published seal key (PEM): the seal must be its signature.", valueName: "seal.pem"))
        var key: String?
        @Option(help: ArgumentHelp("The sha256 (or sha512) of tagmanifest-sha512.txt recorded at export.", valueName: "sha256"))
        var expect: String?

        func validate() throws {
            if let expect, !([64, 128].contains(expect.utf8.count) && expect.allSatisfy(\.isHexDigit)) {
                throw ValidationError("--expect takes the tag manifest's sha256 (64 hexadecimal digits) or sha512 (128), as `dossier export` prints it")
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
                let progress = ProgressLine("checking \(DossierKit.FileSystem.lastComponent(of: path))", total: nil)
                let report = try BagVerifier.verify(path, expecting: BagExpectation(key: sealKey, tagManifest: expect), progress: progress.update)
                progress.finish()
                if output.json {
                    Terminal.json(Self.json(report))
                } else {
                    Terminal.out(Self.text(report, sealAsked: sealKey != nil || expect != nil))
                }
                if !report.isValid {
                    let first = report.errors[0].description
                    let more = report.errors.count > 1 ? " (and \(report.errors.count - 1) more)" : ""
                    throw CheckFailure(message: "\(path) is not a valid bag: \(first)\(more)")
                }
            }
        }

        func verifySet(_ key: SealPublicKey?) throws {
            var progress: ProgressLine?
            var current = ""
            let report = ExportSetVerifier.verify(path, key: key) { file, done in
                if file != current {
                    progress?.finish()
                    progress = ProgressLine("checking \(file)", total: nil)
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
                let first = (report.problems.first ?? failing.first?.allProblems.first).map(\.description) ?? "not valid"
                let which = names.isEmpty ? "its index fails" : "\(names.count) of \(report.bags.count) bag\(report.bags.count == 1 ? "" : "s") fail\(names.count == 1 ? "s" : ""): \(names.joined(separator: ", "))"
                throw CheckFailure(message: "\(path) is not a valid set: \(which) (\(first))")
            }
        }

        static func text(_ report: ExportSetReport) -> String {
            var lines = report.problems.map { "error: \($0)" } + report.warnings.map { "warning: \($0)" }
            for bag in report.bags {
                let what = bag.entry.map { "\($0.dossier) \($0.version)" } ?? "not in the index"
                if bag.isValid {
                    let sealed = bag.report?.sealVerified == true ? ", seal verified" : ""
                    lines.append("ok    \(bag.file)  \(what)\(sealed)")
                } else {
                    let problems = bag.allProblems
                    let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
                    lines.append("FAIL  \(bag.file)  \(what): \(problems.first?.description ?? "not valid")\(more)")
                }
            }
            let valid = report.bags.filter(\.isValid).count
            let sealed = report.sealVerified == true ? "; the index's seal verified" : ""
            lines.append("\(report.folder): \(valid) of \(report.bags.count) bag\(report.bags.count == 1 ? "" : "s") valid\(sealed)")
            return lines.joined(separator: "\n")
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
            var lines = report.errors.map { "error: \($0)" } + report.warnings.map { "warning: \($0)" }
            let version = report.version.map { "BagIt \($0) " } ?? ""
            let summary = "\(report.payloadFiles) payload file\(report.payloadFiles == 1 ? "" : "s"), \(ByteCount.format(report.payloadBytes))"
                + (report.manifests.isEmpty ? "" : "; manifests \(report.manifests.joined(separator: ", "))")
            if report.isValid {
                let warned = report.warnings.isEmpty ? "" : " with \(report.warnings.count) warning\(report.warnings.count == 1 ? "" : "s")"
                lines.append("\(report.bag): valid \(version)bag\(warned) (\(summary))")
            } else {
                lines.append("\(report.bag): not a valid \(version)bag: \(report.errors.count) error\(report.errors.count == 1 ? "" : "s") (\(summary))")
            }
            if report.isSealed || sealAsked {
                switch (report.isSealed, report.sealVerified) {
                case (_, true?): lines.append("seal: verified with the key given (\(report.sealKeyNamed ?? "the key given"))")
                case (_, false?): lines.append("seal: NOT the seal of the key given")
                case (true, nil): lines.append("seal: present, not checked (bag-info.txt names the key \(report.sealKeyNamed ?? "?"); give --key seal.pem to check it)")
                case (false, nil): lines.append("seal: none")
                }
                if let digest = report.tagManifestSHA256 { lines.append("tag manifest sha256: \(digest)") }
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
