import DossierKit
import Foundation

/// The language of this run: `--lang en|zh` anywhere on the command line, else the locale
/// (`LC_ALL`, `LC_MESSAGES`, `LANG`; `zh_*` is Chinese). Chosen once, before the arguments are
/// parsed, so that help texts (which ArgumentParser builds from the commands' declarations)
/// come out in it too.
enum Lang {
    static let localizer: Localizer = {
        let environment = ProcessInfo.processInfo.environment
        let language = requested(in: Array(CommandLine.arguments.dropFirst())) ?? Language.fromEnvironment(environment)
        return Localizer(language: language, strict: environment["DOSSIER_L10N_STRICT"] == "1")
    }()

    static var language: Language { localizer.language }
    static var isChinese: Bool { language == .zh }

    /// The language `--lang X` or `--lang=X` asks for, if given (the last one wins).
    static func requested(in arguments: [String]) -> Language? {
        var chosen: Language?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            if argument == "--lang", index + 1 < arguments.count {
                chosen = Language(argument: arguments[index + 1]) ?? chosen
                index += 1
            } else if argument.hasPrefix("--lang=") {
                chosen = Language(argument: String(argument.dropFirst(7))) ?? chosen
            }
            index += 1
        }
        return chosen
    }

    /// The arguments without `--lang X` (every command accepts it; none declares it).
    static func removingLanguage(from arguments: [String]) throws -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                result += arguments[index...]
                break
            }
            if argument == "--lang" {
                guard index + 1 < arguments.count, Language(argument: arguments[index + 1]) != nil else {
                    throw LanguageError(given: index + 1 < arguments.count ? arguments[index + 1] : "")
                }
                index += 2
                continue
            }
            if argument.hasPrefix("--lang=") {
                guard Language(argument: String(argument.dropFirst(7))) != nil else { throw LanguageError(given: String(argument.dropFirst(7))) }
                index += 1
                continue
            }
            result.append(argument)
            index += 1
        }
        return result
    }

    struct LanguageError: Error {
        var given: String
    }
}

/// A label, message or help text in the language of this run; `text` is the English template
/// (a key of `MessageCatalog`) and `values` fill its `{names}`.
func L(_ text: String, _ values: [String: String] = [:]) -> String {
    Lang.record(text)
    return Lang.localizer.text(text, values)
}

extension Lang {
    /// `DOSSIER_L10N_KEYS=FILE` appends every key asked for to FILE (separated by U+001E):
    /// how the catalog's maintainers collect the texts to translate.
    static let keysFile = ProcessInfo.processInfo.environment["DOSSIER_L10N_KEYS"]

    static func record(_ key: String) {
        guard let keysFile, let handle = FileHandle(forWritingAtPath: keysFile) ?? {
            _ = FileManager.default.createFile(atPath: keysFile, contents: nil)
            return FileHandle(forWritingAtPath: keysFile)
        }() else { return }
        handle.seekToEndOfFile()
        handle.write(Data((key + "\u{1E}").utf8))
        try? handle.close()
    }
}

/// A message made in English below the CLI (an error, a refusal), in the language of this run.
func translated(_ english: String) -> String {
    Lang.localizer.translate(english)
}
