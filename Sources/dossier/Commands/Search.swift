import ArgumentParser
import DossierKit
import Foundation

extension DossierCommand {
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find documents and dossiers by their text, names and facts, in Chinese or not.",
            discussion: """
                Words separated by spaces must all match; OR between two words accepts either.
                A Chinese word of any length (玉米, 非国有企业) matches those characters in a row;
                mixed words such as GB18030玉米 work too. "…" keeps a phrase with spaces; a word
                ending in * matches as a prefix. Searched: document text (plain text, PDF text
                layer, DOCX), file names, kinds, parties and facts (e.g. counterparty.kind
                non-state 非国有), dossier titles, completers and units.

                Each hit names the dossier, its head version, the document's path and kind, a
                snippet with the matches between « and », and a score (higher is better, BM25).
                When the words are in more than 1,000 documents (boilerplate such as 甲方), only
                the 1,000 most recently indexed of them are ranked, and each hit says so
                ("ranking": "common-terms" in --json; a note in text). --since/--until compare
                each document's date (signedOn, else issuedOn); with them or --kind, only
                documents are listed.

                Example: dossier search 非国有 --kind transfer-contract --since 2022-01-01

                \(ExitStatus.help)
                """)

        @OptionGroup var vaultOptions: VaultOptions
        @OptionGroup var filters: FilterOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "What to look for.")
        var query: [String] = []

        @Option(help: "At most this many hits.")
        var limit = 20

        @Option(help: ArgumentHelp("Run the queries in FILE (one per line, filters as TAB key=value) and print latencies as JSON.", visibility: .hidden))
        var benchQueries: String?

        @Option(help: ArgumentHelp("Score at most this many matches (for measuring).", visibility: .hidden))
        var candidates = DossierIndex.candidateLimit

        func validate() throws {
            if query.isEmpty, benchQueries == nil { throw ValidationError("give something to search for") }
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
            if candidates < 1 { throw ValidationError("--candidates must be at least 1") }
        }

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                if let benchQueries {
                    try SearchBenchmark.run(vault: vault, file: benchQueries, limit: limit, candidates: candidates)
                    return
                }
                let parsed = try SearchQuery(query.joined(separator: " "))
                let filter = try filters.filter(in: vault)
                let hits = try vault.withIndex(enricher: IndexWiring.enricher(vault), notice: IndexWiring.notice) { index in
                    try index.search(parsed, filter: filter, limit: limit, candidates: candidates)
                }
                if output.json {
                    Terminal.json(.array(hits.map(Self.json)))
                } else if hits.isEmpty {
                    Terminal.out("no matches")
                } else {
                    for hit in hits {
                        Terminal.out("\(hit.dossier) \(hit.version)  \(hit.path)  [\(hit.kind)]  \(String(format: "%.3f", hit.score))")
                        Terminal.out("    \(hit.title)")
                        Terminal.out("    \(hit.snippet)")
                    }
                    if hits.contains(where: { $0.ranking == .commonTerms }) {
                        Terminal.out("(common words: ranked among the \(DossierIndex.candidateLimit) most recently indexed matches)")
                    }
                }
            }
        }

        static func json(_ hit: SearchHit) -> JSONValue {
            [
                "dossier": .string(hit.dossier.rawValue),
                "title": .string(hit.title),
                "version": .string(hit.version.description),
                "path": .string(hit.path),
                "kind": .string(hit.kind),
                "snippet": .string(hit.snippet),
                "score": .number((hit.score * 10000).rounded() / 10000),
                "ranking": .string(hit.ranking.rawValue),
            ]
        }
    }
}

/// `search --bench-queries FILE`: latencies measured inside one process, so that process start
/// and the freshness check are not counted (the benchmark script times those separately).
enum SearchBenchmark {
    static func run(vault: Vault, file: String, limit: Int, candidates: Int) throws {
        let text = String(decoding: try DossierKit.FileSystem.readFile(file), as: UTF8.self)
        var cases: [(SearchQuery, IndexFilter)] = []
        for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: "\t").map(String.init)
            var filter = IndexFilter()
            for field in fields.dropFirst() {
                let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                switch parts[0] {
                case "kind": filter.kind = DocumentKind(rawValue: parts[1])
                case "unit": filter.unit = parts[1]
                case "type": filter.type = parts[1]
                case "flag": filter.flag = parts[1]
                case "status": filter.status = parts[1]
                case "since": filter.since = LocalDate(parts[1])
                case "until": filter.until = LocalDate(parts[1])
                default: break
                }
            }
            cases.append((try SearchQuery(fields[0]), filter))
        }
        let index = try vault.openIndex(enricher: IndexWiring.enricher(vault), notice: IndexWiring.notice)
        // One warm-up pass, as a person's second search would find the pages cached.
        for (query, filter) in cases { _ = try index.search(query, filter: filter, limit: limit, candidates: candidates) }
        var latencies: [Double] = []
        var hits = 0
        var commonTerms = 0
        var perQuery: [JSONValue] = []
        for (query, filter) in cases {
            let start = DispatchTime.now().uptimeNanoseconds
            let found = try index.search(query, filter: filter, limit: limit, candidates: candidates)
            let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
            latencies.append(milliseconds)
            hits += found.count
            commonTerms += found.contains { $0.ranking == .commonTerms } ? 1 : 0
            perQuery.append(["query": .string(query.text), "ms": .number((milliseconds * 1000).rounded() / 1000), "hits": .number(Double(found.count))])
        }
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(max(rank, 0), sorted.count - 1)]
        }
        func rounded(_ value: Double) -> JSONValue { .number((value * 1000).rounded() / 1000) }
        Terminal.json([
            "queries": .number(Double(cases.count)),
            "hits": .number(Double(hits)),
            "commonTerms": .number(Double(commonTerms)),
            "medianMs": rounded(percentile(0.5)),
            "p95Ms": rounded(percentile(0.95)),
            "maxMs": rounded(sorted.last ?? 0),
            "meanMs": rounded(latencies.reduce(0, +) / Double(max(latencies.count, 1))),
            "perQuery": .array(perQuery),
        ])
    }
}
