import DossierKit
import _DossierTestSupport
import Foundation

// dossier-bench: builds synthetic vaults for the benchmark scripts (never for tests' expected values).
//
//   dossier-bench generate VAULT --dossiers N [--documents M] [--size BYTES] [--text | --realistic | --legal] [--jobs J]
//   dossier-bench queries FILE
//   dossier-bench fact-schema
//   dossier-bench search-latency VAULT QUERIES [--limit N] [--candidates N]
//   dossier-bench freshness VAULT COUNT
//   dossier-bench signatures FILE [--anchor CA.pem]... [--p7s SIG.p7s] [--name NAME]
//   dossier-bench ofd-text FILE [--time N]
//   dossier-bench ocr [--threads N] [--openmp] [--keep-dust] [--dpi N] FILE... | --normalize FILE...
//
// Creates VAULT (must not exist) with N dossiers of M documents of SIZE bytes each, filed
// through the library exactly as `dossier file` would. --text makes the documents Chinese text.
// --realistic files, instead, the papers the rules read with their facts (an ownership grant,
// a contract, reports; some classified, abroad, or with a short publicity), so that
// `dossier validate` has real work. --legal makes pilot-like dossiers whose documents are text,
// PDF and DOCX (LegalGeneration.swift), for the search benchmark. `queries` writes the 100
// search queries of scripts/bench-index.sh. fact-schema prints Schemas/facts.schema.json.
// signatures checks one document's signatures as filing will (scripts/bench-signatures.sh);
// ofd-text prints or times an OFD's text (scripts/bench-ofd.sh, scripts/compare-with-ofdkit.sh);
// ocr reads scans as the index step will (scripts/bench-ocr.sh).

struct Arguments: Sendable {
    var vault = ""
    var dossiers = 100
    var documents = 5
    var size = 4096
    var text = false
    var realistic = false
    var legal = false
    var jobs = 8

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--dossiers": dossiers = Int(iterator.next() ?? "") ?? dossiers
            case "--documents": documents = Int(iterator.next() ?? "") ?? documents
            case "--size": size = Int(iterator.next() ?? "") ?? size
            case "--text": text = true
            case "--realistic": realistic = true
            case "--legal": legal = true
            case "--jobs": jobs = max(1, Int(iterator.next() ?? "") ?? jobs)
            default: vault = argument
            }
        }
    }
}

let kinds: [DocumentKind] = [.teamConsensus, .grantApplication, .unitApproval, .publicityRecord, .ownershipAgreement, .ownershipChangeRecord, .transferContract, .annualReport]
let words = Array("玉米大豆马铃薯风光互补储能系统控制方法草原生态修复稀土永磁材料羊绒加工工艺奶牛疫苗检测装置煤化工催化剂")

func documentBytes(_ seed: Int, size: Int, text: Bool) -> [UInt8] {
    var generator = SeededGenerator(seed: UInt64(seed))
    if text {
        var result = ""
        while result.utf8.count < size {
            for _ in 0..<12 { result.append(words[Int(generator.next() % UInt64(words.count))]) }
            result += " 第\(generator.next() % 1000)条。\n"
        }
        return Array(result.utf8.prefix(size))
    }
    var bytes = [UInt8](repeating: 0, count: size)
    var index = 0
    while index < size {
        var value = generator.next()
        for _ in 0..<8 where index < size {
            bytes[index] = UInt8(truncatingIfNeeded: value)
            value >>= 8
            index += 1
        }
    }
    return bytes
}

func generate(_ arguments: Arguments) throws {
    let vault = try Vault.initialize(at: arguments.vault)
    let agent = Agent(name: "基准测试", email: "bench@example.org")
    let start = Date()
    // Filing is bound by fsync, not by the CPU: several workers keep the disk busy.
    let failure = FirstError()
    let group = DispatchGroup()
    for worker in 0..<arguments.jobs {
        group.enter()
        Thread {
            defer { group.leave() }
            for number in stride(from: worker, to: arguments.dossiers, by: arguments.jobs) where !failure.isSet {
                do {
                    try generateOne(number, vault: vault, agent: agent, arguments: arguments)
                } catch {
                    failure.set(error)
                }
                if number % 500 == 499 {
                    FileHandle.standardError.write(Data("generated about \(number + 1) dossiers in \(Int(Date().timeIntervalSince(start))) s\n".utf8))
                }
            }
        }.start()
    }
    group.wait()
    if let error = failure.error { throw error }
}

func generateOne(_ number: Int, vault: Vault, agent: Agent, arguments: Arguments) throws {
    if arguments.legal { return try generateLegalOne(number, vault: vault, agent: agent, arguments: arguments) }
    // swift-format-ignore: NeverForceUnwrap
    let id = DossierID(String(format: "BENCH-%06d", number))!
    var record = DossierRecord(
        id: id, title: "基准成果\(number) \(String(words.shuffled().prefix(8)))", unit: number % 2 == 0 ? "imut" : "imaaahs",
        type: .patent, funding: .fiscal, grant: .ownership,
        completers: [Completer(name: "王芳", share: 60, representative: true), Completer(name: "李强", share: 40)])
    try vault.withStaging { staging in
        var documents: [IncomingDocument] = []
        let papers: [RealisticDossier.Paper] = arguments.realistic
            ? RealisticDossier.papers(number: number, record: &record)
            : (0..<arguments.documents).map { index in
                RealisticDossier.Paper(
                    kind: kinds[index % kinds.count], fileName: "文件\(index).\(arguments.text ? "txt" : "pdf")",
                    facts: ["signedOn": "2021-04-20", "parties": ["内蒙古工业大学", "王芳团队"]])
            }
        for (index, paper) in papers.enumerated() {
            let path = "\(staging)/source-\(index)"
            try Data(documentBytes(number * 1000 + index, size: arguments.size, text: arguments.text || arguments.realistic)).write(to: URL(fileURLWithPath: path))
            let staged = try vault.stage(fileAt: path, into: staging)
            documents.append(IncomingDocument(kind: paper.kind, fileName: paper.fileName, facts: paper.facts, content: staged, origin: path))
        }
        _ = try vault.apply(DossierChange(target: .create(record), documents: documents, user: agent, source: "dossier-bench"), to: id, staging: staging)
    }
}

/// The first error any worker hit; the others stop at their next dossier.
final class FirstError: @unchecked Sendable {
    // Guarded by `lock`: written by workers, read by workers and the caller.
    private let lock = NSLock()
    private var stored: (any Error)?

    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return stored != nil }
    var error: (any Error)? { lock.lock(); defer { lock.unlock() }; return stored }
    func set(_ error: any Error) { lock.lock(); if stored == nil { stored = error }; lock.unlock() }
}

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "fact-schema" {
    // Schemas/facts.schema.json is this output (scripts/make-fact-schema.sh).
    FileHandle.standardOutput.write(FactSchema.jsonSchema().serializedData(.pretty))
    exit(0)
}
let usage = """
    usage: dossier-bench generate VAULT --dossiers N [--documents M] [--size BYTES] [--text | --realistic | --legal] [--jobs J]
           dossier-bench queries FILE
           dossier-bench fact-schema
           dossier-bench search-latency VAULT QUERIES [--limit N] [--candidates N]
           dossier-bench freshness VAULT COUNT
           dossier-bench signatures FILE [--anchor CA.pem]... [--p7s SIG.p7s] [--name NAME]
           dossier-bench ofd-text FILE [--time N]
           dossier-bench ocr [--threads N] [--openmp] [--keep-dust] [--dpi N] FILE... | --normalize FILE...

    """
guard let verb = arguments.first, ["generate", "queries", "search-latency", "freshness", "signatures", "ofd-text", "ocr"].contains(verb) else {
    FileHandle.standardError.write(Data(usage.utf8))
    exit(64)
}
do {
    if verb == "ocr" {
        exit(try OCRCommand.run(Array(arguments.dropFirst())))
    }
    if verb == "signatures" || verb == "ofd-text" {
        let rest = Array(arguments.dropFirst())
        exit(verb == "signatures" ? try SignaturesCommand.run(rest) : try OFDTextCommand.run(rest))
    }
    if verb == "search-latency" || verb == "freshness" {
        let rest = Array(arguments.dropFirst())
        guard rest.count >= 2 else {
            FileHandle.standardError.write(Data(usage.utf8))
            exit(64)
        }
        let vault = try Vault.open(at: rest[0])
        if verb == "freshness" {
            try FreshnessBenchmark.run(vault: vault, count: Int(rest[1]) ?? 11)
        } else {
            func option(_ name: String) -> Int? { rest.firstIndex(of: name).flatMap { rest.indices.contains($0 + 1) ? Int(rest[$0 + 1]) : nil } }
            try SearchBenchmark.run(vault: vault, file: rest[1], limit: option("--limit") ?? 20, candidates: option("--candidates") ?? DossierIndex.candidateLimit)
        }
    } else if verb == "queries" {
        try writeQueries(to: arguments.dropFirst().first ?? "queries.tsv")
    } else {
        try generate(Arguments(Array(arguments.dropFirst())))
    }
} catch is BenchUsage {
    FileHandle.standardError.write(Data(usage.utf8))
    exit(64)
} catch {
    FileHandle.standardError.write(Data("dossier-bench: \(error)\n".utf8))
    exit(2)
}
