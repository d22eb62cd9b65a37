import DossierKit
import Foundation

/// `dossier-bench signatures FILE [--anchor CA.pem]... [--p7s SIG.p7s] [--name NAME]`: the vault's
/// signature check on one document, one compact JSON line per signature (the record's verdict with
/// where it was found), then the elapsed time and peak resident memory on stderr
/// (scripts/bench-signatures.sh). Exit 1 when the signatures cannot be looked for.
enum SignaturesCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        var anchors: [TrustAnchor] = []
        var detached: String?
        var name: String?
        var file: String?
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--anchor": anchors += try TrustAnchor.load(contentsOfFile: rest.popFirst() ?? "")
            case "--p7s": detached = rest.popFirst()
            case "--name": name = rest.popFirst()
            default: file = argument
            }
        }
        guard let file else { throw BenchUsage() }
        let started = Date()
        let now = Timestamp.rfc3339(unixSeconds: Int64(started.timeIntervalSince1970), offsetSeconds: 0)
        switch SignatureCheck.signatures(ofFileAt: file, fileName: name ?? FileSystem.lastComponent(of: file),
                                         detachedSignature: detached, anchors: anchors, checkedAt: now) {
        case .failure(let error):
            FileHandle.standardError.write(Data("dossier-bench: \(error)\n".utf8))
            return 1
        case .success(let signatures):
            for signature in signatures {
                var line = JSONObject()
                line["location"] = .string(signature.location)
                if let time = signature.timestampedAt { line["timestampedAt"] = .string(time) }
                if let seal = signature.sealName { line["sealName"] = .string(seal) }
                if let provider = signature.provider { line["provider"] = .string(provider) }
                line["verdict"] = signature.verdict.json
                print(JSONValue.object(line).serialized(.compact))
            }
        }
        FileHandle.standardError.write(Data(String(format: "elapsed %.3f s, peak RSS %.1f MiB\n", Date().timeIntervalSince(started), peakResidentMiB()).utf8))
        return 0
    }
}

/// `dossier-bench ofd-text FILE [--time N]`: the OFD reader's text (pages separated by form feeds,
/// what scripts/compare-with-ofdkit.sh compares with ofdkit), or with `--time N` the mean seconds of
/// N opens and extractions, in process. `OFD_RATIO`, `OFD_MEMBER_BYTES` and `OFD_TOTAL_BYTES` raise
/// the limits for the zip-bomb measurements of scripts/bench-ofd.sh. Exit 1 when the file is refused.
enum OFDTextCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        guard let file = arguments.first else { throw BenchUsage() }
        var limits = OFDLimits.default
        let environment = ProcessInfo.processInfo.environment
        if let value = environment["OFD_RATIO"].flatMap(Int.init) { limits.maximumCompressionRatio = value }
        if let value = environment["OFD_MEMBER_BYTES"].flatMap(Int.init) { limits.maximumMemberBytes = value }
        if let value = environment["OFD_TOTAL_BYTES"].flatMap(Int.init) { limits.maximumTotalBytes = value }
        do {
            if let flag = arguments.firstIndex(of: "--time") {
                let runs = max(1, arguments.indices.contains(flag + 1) ? Int(arguments[flag + 1]) ?? 1 : 1)
                let started = Date()
                var characters = 0
                for _ in 0..<runs { characters += try OFDDocument.open(path: file, limits: limits).text().count }
                print(String(format: "%.4f s per open+text (%d characters)", Date().timeIntervalSince(started) / Double(runs), characters / runs))
            } else {
                FileHandle.standardOutput.write(Data(try OFDDocument.open(path: file, limits: limits).text().utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            return 1
        }
        return 0
    }
}

/// The arguments do not match the usage.
struct BenchUsage: Error {}

/// This process's peak resident memory (`getrusage`), in MiB.
func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}
