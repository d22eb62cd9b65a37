import DossierKit
import Foundation
import Glibc

/// `dossier-bench export-seal VAULT ID OUTDIR [--runs N]`: what sealing adds to an export, in
/// one process and one run. Exports the dossier's head as tar N times sealed and N times not,
/// interleaved in pairs whose order alternates (sealed, unsealed, unsealed, sealed, …) so that
/// both see the same page cache, neighbours and position, with the previous bags removed and a
/// `sync` before each run so that no run pays for another's writeback; prints each one's median
/// wall-clock and CPU time and their ratios; then times the seal alone (the key read from its
/// file, and its signature of the tag manifest) as a share of the median export.
/// Both bags hold 说明.html: the summary is part of every export, sealed or not.
enum SealCostCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        guard arguments.count >= 3, let id = DossierID(arguments[1]) else { throw BenchUsage() }
        let vault = try Vault.open(at: arguments[0])
        let folder = arguments[2]
        let runs = arguments.firstIndex(of: "--runs").flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? 7
        let agent = Agent(name: "基准测试", email: "bench@example.org")
        var sealed: [Double] = []
        var unsealed: [Double] = []
        var sealedCPU: [Double] = []
        var unsealedCPU: [Double] = []
        var tagManifest = ""
        for run in 0..<(runs * 2) {
            // Pairs in alternating order: S U, U S, S U, …
            let seal = (run / 2) % 2 == 0 ? run % 2 == 0 : run % 2 == 1
            let output = "\(folder)/\(seal ? "sealed" : "unsealed").tar"
            try? FileManager.default.removeItem(atPath: "\(folder)/sealed.tar")
            try? FileManager.default.removeItem(atPath: "\(folder)/unsealed.tar")
            Glibc.sync()
            var request = ExportRequest(id: id, version: nil, format: .tar, output: output, clearance: nil, reason: nil, user: agent)
            request.sealed = seal
            request.asOf = LocalDate("2026-11-28")
            let startCPU = cpuSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try vault.exporter.export(request)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let cpu = cpuSeconds() - startCPU
            if seal {
                sealed.append(seconds)
                sealedCPU.append(cpu)
                tagManifest = result.bag.tagManifestSHA256
            } else {
                unsealed.append(seconds)
                unsealedCPU.append(cpu)
            }
        }
        // The seal alone, as the export does it: read the key file, sign the tag manifest.
        let manifest = Array(repeating: Array("\(tagManifest)  metadata/dossier.json\n".utf8), count: 64).flatMap { $0 }
        let repetitions = 1000
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<repetitions {
            _ = try vault.sealKey().sign(manifest)
        }
        let sealSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(repetitions)
        let medianSealed = median(sealed)
        let medianUnsealed = median(unsealed)
        print(String(format: "export tar, sealed:   median %.3f s of %d (min %.3f, max %.3f)", medianSealed, runs, sealed.min() ?? 0, sealed.max() ?? 0))
        print(String(format: "export tar, unsealed: median %.3f s of %d (min %.3f, max %.3f)", medianUnsealed, runs, unsealed.min() ?? 0, unsealed.max() ?? 0))
        print(String(format: "sealed / unsealed, wall: %.4f (%+.2f%%)", medianSealed / medianUnsealed, (medianSealed / medianUnsealed - 1) * 100))
        if let fastestSealed = sealed.min(), let fastestUnsealed = unsealed.min() {
            // On a busy machine the fastest run of each is the least disturbed one
            print(String(format: "sealed / unsealed, fastest runs: %.4f (%+.2f%%)", fastestSealed / fastestUnsealed, (fastestSealed / fastestUnsealed - 1) * 100))
        }
        let cpuSealed = median(sealedCPU)
        let cpuUnsealed = median(unsealedCPU)
        print(String(format: "CPU seconds (user + system), median: sealed %.3f, unsealed %.3f; sealed / unsealed %.4f (%+.2f%%)", cpuSealed, cpuUnsealed, cpuSealed / cpuUnsealed, (cpuSealed / cpuUnsealed - 1) * 100))
        print(String(format: "the seal alone (key read + signature of a %d-byte tag manifest): %.1f µs = %.4f%% of the sealed export", manifest.count, sealSeconds * 1e6, sealSeconds / medianSealed * 100))
        return 0
    }

    /// This process's user and system CPU time so far (`getrusage`), in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
