import DossierModel

/// OFD for the index: the pages' text in reading order (``OFDDocument/text()``, equal to ofdkit's),
/// or why the package was refused.
enum OFDText {
    static func read(_ path: String, fileName: String) -> ExtractedText {
        do {
            return ExtractedText(text: try OFDDocument.open(path: path, fileName: fileName).text(), source: .ofd)
        } catch {
            return ExtractedText(text: "", source: .failed, problem: error.description)
        }
    }
}
