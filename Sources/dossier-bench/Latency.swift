import DossierKit
import Foundation

func printJSON(_ value: JSONValue) {
    FileHandle.standardOutput.write(value.serializedData(.pretty))
}

/// `dossier-bench search-latency VAULT FILE`: search latencies measured inside one process, so that process start
/// and the freshness check are not counted (the benchmark script times those separately).
enum SearchBenchmark {
    static func run(vault: Vault, file: String, limit: Int, candidates: Int) throws {
        let text = String(decoding: try FileSystem.readFile(file), as: UTF8.self)
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
                case "flag": filter.flag = DossierFlag(rawValue: parts[1])
                case "status": filter.status = DossierStatus(rawValue: parts[1])
                case "since": filter.since = LocalDate(parts[1])
                case "until": filter.until = LocalDate(parts[1])
                default: break
                }
            }
            cases.append((try SearchQuery(fields[0]), filter))
        }
        let index = try vault.index.open { _ in }
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
        printJSON([
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

/// `dossier-bench freshness VAULT N`: the index's freshness check alone, timed inside one process after a
/// first check that brings the index up to date (the benchmark script times whole commands
/// separately).
enum FreshnessBenchmark {
    static func run(vault: Vault, count: Int) throws {
        let maintainer = vault.index
        let index = try maintainer.open { _ in }
        var latencies: [Double] = []
        var last = IndexFreshness()
        for _ in 0..<max(1, count) {
            let start = DispatchTime.now().uptimeNanoseconds
            last = try maintainer.refresh(index)
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        }
        let sorted = latencies.sorted()
        func rounded(_ value: Double) -> JSONValue { .number((value * 1000).rounded() / 1000) }
        printJSON([
            "checks": .number(Double(sorted.count)),
            "medianMs": rounded(sorted[(sorted.count - 1) / 2]),
            "minMs": rounded(sorted.first ?? 0),
            "maxMs": rounded(sorted.last ?? 0),
            "foldersChecked": .number(Double(last.foldersChecked)),
            "objectsChecked": .number(Double(last.objectsChecked)),
            "foldersListed": .number(Double(last.foldersListed)),
            "inventoriesVerified": .number(Double(last.inventoriesVerified)),
            "dossiersRead": .number(Double(last.dossiersRead)),
        ])
    }
}
