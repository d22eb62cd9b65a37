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
                layer, DOCX, OFD, and scans once `dossier index` has read them by OCR), file names, kinds, parties and facts (e.g. counterparty.kind
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

        func validate() throws {
            if query.isEmpty { throw ValidationError("give something to search for") }
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            try runReporting {
                let vault = try vaultOptions.open()
                let parsed = try SearchQuery(query.joined(separator: " "))
                let filter = try filters.filter(in: vault)
                let (hits, awaiting) = try vault.index.withIndex(notice: IndexNotice.print) { index in
                    (try index.search(parsed, filter: filter, limit: limit), try index.awaitingScanCount())
                }
                // Whatever the output: a scan not yet read by OCR cannot be among the hits.
                if awaiting > 0 {
                    Terminal.note("dossier: note: \(awaiting) scan\(awaiting == 1 ? " is" : "s are") still waiting for OCR and not searched by their text; `dossier index` reads them")
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
