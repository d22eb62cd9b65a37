import DossierKit
import Foundation

/// Writes to stdout and stderr. Progress goes to stderr, and only when it is a terminal,
/// so that scripts reading stdout (or logs of stderr) see no carriage-return noise.
enum Terminal {
    /// Stored text — titles, names, messages, facts, audit lines — is printed with its control
    /// characters escaped (`\x1B`, `\x07`, `\x0D`, C1 as `\x9B` …), line feeds and tabs
    /// kept: a title holding ESC or BEL could otherwise clear an officer's screen, retitle
    /// their terminal or rewrite the line above (stored by an older vault, or edited in).
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out.append(contentsOf: String(format: "\\x%02X", scalar.value).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 ? scalar != "\n" && scalar != "\t" : (0x7F...0x9F).contains(scalar.value)
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((escaped(text) + "\n").utf8))
    }

    static func write(_ data: Data) {
        FileHandle.standardOutput.write(data)
    }

    static func json(_ value: JSONValue) {
        FileHandle.standardOutput.write(value.serializedData(.pretty))
    }

    /// A line on stderr (a warning, a notice), in the language of the run.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((escaped(translated(text)) + "\n").utf8))
    }

    /// The one line of an error: `dossier: error: <file>: <field>: <problem>`, in the language
    /// of the run (`dossier: 错误: …`; file and field names stay as they are).
    static func error(_ text: String) {
        let label = Lang.isChinese ? "dossier: 错误: " : "dossier: error: "
        FileHandle.standardError.write(Data((label + escaped(translated(text)) + "\n").utf8))
    }

    static let stderrIsTerminal = isatty(2) == 1

    /// The warnings of a filing that committed: the index or the audit line left for later.
    /// The version is filed either way, so the exit status stays 0 (documented in `file --help`).
    static func warnings(_ result: FilingResult) {
        if let warning = result.auditWarning { note("dossier: warning: \(warning)") }
        if let warning = result.indexWarning { note("dossier: warning: \(warning)") }
    }
}

/// A progress line on stderr for long work: bytes done, total and rate, redrawn at most ten
/// times a second, erased when done.
final class ProgressLine {
    private let label: String
    private let total: Int64?
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(_ label: String, total: Int64?) {
        self.label = label
        self.total = total
    }

    func update(_ done: Int64) {
        guard Terminal.stderrIsTerminal else { return }
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(done) / elapsed / 1_048_576
        var text = "\(ByteCount.format(done))"
        if let total, total > 0 { text += L(" of {total} ({percent}%)", ["total": ByteCount.format(total), "percent": String(Int(Double(done) * 100 / Double(total)))]) }
        text += String(format: ", %.0f MiB/s", rate)
        show(text)
    }

    /// Draws `label: text`, at most ten times a second, when stderr is a terminal.
    func show(_ text: String) {
        guard Terminal.stderrIsTerminal else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        FileHandle.standardError.write(Data(("\r\u{1B}[K\(label): " + text).utf8))
        drawn = true
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// One progress line per file, for work that reads several files one after another.
struct ProgressLines {
    private var line: ProgressLine?
    private var name: String?

    mutating func update(_ progress: FileProgress) {
        if progress.name != name {
            line?.finish()
            line = ProgressLine(L("reading {file}", ["file": progress.name]), total: progress.total)
            name = progress.name
        }
        line?.update(progress.done)
    }

    func finish() { line?.finish() }
}

enum ByteCount {
    static func format(_ bytes: Int64) -> String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f %@", value, units[unit])
    }
}
