import DossierKit
import Foundation
import Testing
import _DossierTestSupport

/// The Swift decoders and the JSON Schemas in Schemas/ must give the same verdict on every
/// sample of Tests/Fixtures/schema-corpus/<format>/{valid,invalid}/ (FORMATS.md: "the Swift
/// decoder and the schema must agree on every test sample").
@Suite("Schemas/ and the Swift decoders agree")
struct SchemaAgreementTests {
    enum Format: String, CaseIterable, Sendable {
        case vault, dossier, filing, profile

        var schema: String { "\(packageRoot)/Schemas/\(rawValue).schema.json" }

        /// Decodes with the real decoder; the error is the decoder's own message.
        func swiftVerdict(_ path: String) -> String? {
            do {
                let reader = try FieldReader.parse(file: FileSystem.lastComponent(of: path), data: try FileSystem.readFile(path))
                switch self {
                case .vault: _ = try VaultSettings.decode(reader)
                case .dossier: _ = try RecordCodec.decodeRecord(reader)
                case .filing: _ = try FilingManifest.decode(reader)
                case .profile: _ = try Profile.decode(reader)
                }
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    static let corpus = "\(packageRoot)/Tests/Fixtures/schema-corpus"

    static func samples(_ format: Format, _ verdict: String) throws -> [String] {
        try FileSystem.contents(of: "\(corpus)/\(format.rawValue)/\(verdict)").filter { $0.hasSuffix(".json") }.sorted()
    }

    /// The names of the files check-jsonschema rejects, from one run over the whole folder.
    static func schemaRejections(_ format: Format, folder: String, files: [String]) throws -> Set<String> {
        let validators = try #require(validatorsDirectory, "no validators: run `bash scripts/setup.sh --validators` (check-jsonschema from PyPI)")
        let tool = "\(validators)/check-jsonschema"
        #expect(FileSystem.exists(tool), "check-jsonschema is missing from \(validators)")
        let outcome = try runProgram(tool, ["--output-format", "json", "--schemafile", format.schema] + files, directory: folder)
        let report = try JSONValue.parse(outcome.stdout)
        #expect(outcome.status == 0 || outcome.status == 1, "check-jsonschema failed to run: \(outcome.stderr)")
        let errors = (report["errors"]?.arrayValue ?? []) + (report["parse_errors"]?.arrayValue ?? [])
        return Set(errors.compactMap { $0["filename"]?.stringValue })
    }

    @Test("every schema is valid draft 2020-12")
    func schemasAreValid() throws {
        let validators = try #require(validatorsDirectory, "no validators: run `bash scripts/setup.sh --validators`")
        for format in Format.allCases {
            let outcome = try runProgram("\(validators)/check-jsonschema", ["--check-metaschema", format.schema, "\(packageRoot)/Schemas/facts.schema.json"])
            #expect(outcome.status == 0, "\(format.schema): \(outcome.stdout)\(outcome.stderr)")
        }
    }

    @Test("valid samples pass both, invalid samples fail both", arguments: Format.allCases)
    func agreement(format: Format) throws {
        for verdict in ["valid", "invalid"] {
            let folder = "\(Self.corpus)/\(format.rawValue)/\(verdict)"
            let files = try Self.samples(format, verdict)
            #expect(files.count >= 2, "the corpus of \(format.rawValue)/\(verdict) is too small")
            let rejected = try Self.schemaRejections(format, folder: folder, files: files)
            for file in files {
                let swift = format.swiftVerdict("\(folder)/\(file)")
                if verdict == "valid" {
                    #expect(swift == nil, "\(format.rawValue)/valid/\(file): the Swift decoder rejects it: \(swift ?? "")")
                    #expect(!rejected.contains(file), "\(format.rawValue)/valid/\(file): the schema rejects it")
                } else {
                    #expect(swift != nil, "\(format.rawValue)/invalid/\(file): the Swift decoder accepts it")
                    #expect(rejected.contains(file), "\(format.rawValue)/invalid/\(file): the schema accepts it")
                }
            }
        }
    }

    @Test("Schemas/facts.schema.json is what FactSchema generates")
    func factSchemaIsGenerated() throws {
        let file = try readText("\(packageRoot)/Schemas/facts.schema.json")
        #expect(file == FactSchema.jsonSchema().serialized(), "run scripts/make-fact-schema.sh after changing FactSchema")
    }

    @Test("the Swift decoder names the field of a bad date in the corpus")
    func decoderMessage() {
        let path = "\(Self.corpus)/filing/invalid/bad-date-feb-30.json"
        #expect(Format.filing.swiftVerdict(path) == "bad-date-feb-30.json: documents[1].facts.endsOn: expected a date YYYY-MM-DD, got \"2021-02-30\"")
    }
}
