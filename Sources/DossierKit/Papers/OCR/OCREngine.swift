import CDossierTesseract
import Foundation
import Synchronization

/// One Tesseract engine (`TessBaseAPI`) with its languages loaded: about 0.5 s to create, then
/// reused for every page. Not thread-safe: one engine per thread (``OCRBatch`` makes one per
/// worker thread).
///
/// Tesseract's and Leptonica's messages are silenced (`debug_file` is `/dev/null`, Leptonica's
/// severity is "none"): the library never prints. Related Tesseract documentation:
/// <https://tesseract-ocr.github.io/tessapi/5.x/a02438.html>.
///
/// ```swift
/// let engine = try OCREngine()
/// let text = try OCRReader.read(fileAt: "scan.pdf", using: engine)
/// ```
public final class OCREngine {
    private let api: OpaquePointer
    /// The options the engine was made with, which ``OCRReader`` reads pages by (resolution,
    /// dust removal, limits).
    public let options: OCROptions

    /// Loads `options.languages` from `options.tessdataDirectory`.
    /// - Throws: ``OCRError/missingLanguageData(language:directory:package:)`` naming the Debian
    ///   package to install; ``OCRError/engineFailed(languages:directory:)``.
    public init(options: OCROptions = OCROptions()) throws(OCRError) {
        LibraryMessages.silence()
        let directory = try Self.checkLanguageData(options)
        // Two engines loading at once have raced in Tesseract's start-up (shared parameter
        // tables); loading is a small part of the work, so it is done one engine at a time.
        let api: OpaquePointer? = Self.loading.withLock { _ in
            guard let api = TessBaseAPICreate() else { return nil }
            // Before Init: Tesseract's start-up messages go through the same tprintf.
            _ = TessBaseAPISetVariable(api, "debug_file", "/dev/null")
            guard TessBaseAPIInit3(api, directory, options.languages) == 0 else {
                TessBaseAPIDelete(api)
                return nil
            }
            // The command line's default; the library's own is a single block of text.
            TessBaseAPISetPageSegMode(api, PSM_AUTO)
            return api
        }
        guard let api else { throw .engineFailed(languages: options.languages, directory: directory) }
        self.api = api
        self.options = options
    }

    /// The Tesseract library's version (`5.3.0`), to record with the text it read.
    public static var tesseractVersion: String {
        TessVersion().map { String(cString: $0) } ?? "unknown"
    }

    deinit {
        TessBaseAPIEnd(api)
        TessBaseAPIDelete(api)
    }

    private static let loading = Mutex(())

    /// The tessdata folder for `options` when every language's `.traineddata` is in it.
    /// - Throws: ``OCRError/missingLanguageData(language:directory:package:)`` for the first missing one.
    @discardableResult
    static func checkLanguageData(_ options: OCROptions) throws(OCRError) -> String {
        let directory = options.tessdataDirectory ?? OCROptions.debianTessdataDirectory
        for language in options.languages.split(separator: "+").map(String.init) {
            guard FileManager.default.isReadableFile(atPath: "\(directory)/\(language).traineddata") else {
                let package = "tesseract-ocr-" + language.lowercased().replacingOccurrences(of: "_", with: "-")
                throw .missingLanguageData(language: language, directory: directory, package: package)
            }
        }
        return directory
    }

    /// Tesseract's text for `image`, scanned at `resolution` dpi, and its mean word confidence
    /// (0–100), or `nil` when recognition failed.
    func recognize(_ image: borrowing LeptonicaImage, resolution: Int) -> (text: String, confidence: Int)? {
        if !options.tesseractOpenMP { OpenMP.runParallelRegionsSeriallyOnThisThread() }
        TessBaseAPISetImage2(api, image.pix)
        TessBaseAPISetSourceResolution(api, Int32(resolution))
        defer { TessBaseAPIClear(api) }
        guard TessBaseAPIRecognize(api, nil) == 0, let utf8 = TessBaseAPIGetUTF8Text(api) else { return nil }
        defer { TessDeleteText(utf8) }
        let text = String(cString: utf8)
        return (text, Int(TessBaseAPIMeanTextConf(api)))
    }
}

@available(*, unavailable, message: "one OCREngine per thread")
extension OCREngine: Sendable {}

/// Leptonica's messages, off for the process: Leptonica prints warnings and errors on stderr
/// by default, and library code never prints. Nothing else in dossier uses Leptonica.
enum LibraryMessages {
    private static let silenced: Bool = {
        _ = setMsgSeverity(Int32(L_SEVERITY_NONE))
        return true
    }()

    static func silence() {
        _ = silenced
    }
}

/// Debian builds Tesseract with OpenMP: some of its LSTM steps start a team of 4 threads. With
/// one engine per core these threads only compete for the same cores, and on this machine
/// they made a page 3–10 times slower (busy-waiting; scripts/bench-ocr.sh). `OMP_THREAD_LIMIT`
/// is read once when libgomp loads, before `main`; `omp_set_max_active_levels(0)` does the same
/// for the calling thread only. Looked up at run time: a Tesseract built without OpenMP needs nothing.
enum OpenMP {
    private static let setMaxActiveLevels: UInt = {
        guard let symbol = dlsym(nil, "omp_set_max_active_levels") else { return 0 }
        return UInt(bitPattern: symbol)
    }()

    static func runParallelRegionsSeriallyOnThisThread() {
        guard let symbol = UnsafeRawPointer(bitPattern: setMaxActiveLevels) else { return }
        let function = unsafeBitCast(symbol, to: (@convention(c) (CInt) -> Void).self)
        function(0)
    }
}
