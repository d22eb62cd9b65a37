#if canImport(Glibc)
import Glibc
#endif
import DossierKit

/// The fuzzing harness of the parsers of hostile input (``FuzzTarget``): one binary, the target
/// named by `DOSSIER_FUZZ_TARGET` under libFuzzer (its command line is libFuzzer's), or as the
/// first argument when replaying files. See scripts/fuzz.sh.
enum Harness {
    static let scratch: String = {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/dossier-fuzz-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer in
            guard let start = buffer.baseAddress, let made = mkdtemp(start) else { fatalError("cannot make a scratch folder in \(base)") }
            return String(cString: made)
        }
    }()

    static func complain(_ message: String) {
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    static func target(_ name: String?) -> FuzzTarget {
        guard let name, let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            Harness.complain("dossier-fuzz: name a target (\(names))")
            exit(64)
        }
        return target
    }
}

#if FUZZING
import CDossierFuzzer

nonisolated(unsafe) let fuzzTarget = Harness.target(getenv("DOSSIER_FUZZ_TARGET").map { String(cString: $0) })

@_cdecl("LLVMFuzzerTestOneInput")
public func dossierFuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [], scratch: Harness.scratch)
    return 0
}

var argc = CommandLine.argc
var argv = Optional(CommandLine.unsafeArgv)
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in dossierFuzzTestOneInput(data, size) })
#else
// Replays files (a seed corpus, a crash) through the target: dossier-fuzz TARGET FILE…
let arguments = Array(CommandLine.arguments.dropFirst())
let target = Harness.target(arguments.first)
var count = 0
for path in arguments.dropFirst() {
    guard let file = fopen(path, "rb") else { Harness.complain("dossier-fuzz: cannot open \(path)"); exit(2) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let got = fread(&buffer, 1, buffer.count, file)
        if got <= 0 { break }
        bytes += buffer[..<got]
    }
    fclose(file)
    target.run(bytes, scratch: Harness.scratch)
    count += 1
}
print("dossier-fuzz \(target.rawValue): \(count) inputs replayed, no crash")
#endif
