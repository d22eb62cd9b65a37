import DossierKit
import Foundation

/// Headless Chromium (Debian's `chromium`) and poppler's `pdftotext`/`pdftoppm`, to check what a
/// reader of a page sees and how it prints. The tests that use them fail, loudly, when either is
/// missing (scripts/setup.sh --validators installs them).
public enum PrintedPage {
    public static let chromium = "/usr/bin/chromium"

    /// Prints an HTML file to PDF as Chromium does (its own headers and footers off: the page's
    /// CSS `@page` rules decide).
    public static func printToPDF(_ html: String, _ pdf: String) throws {
        guard FileSystem.exists(chromium) else { throw MissingValidator(name: "chromium (Debian's chromium package); run scripts/setup.sh --validators") }
        let profile = "\(FileSystem.parent(of: pdf))/.chromium-profile"
        let outcome = try runProgram(chromium, [
            "--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile)",
            "--no-pdf-header-footer", "--print-to-pdf=\(pdf)", URL(fileURLWithPath: html).absoluteString,
        ])
        try? FileSystem.removeTree(profile)
        guard outcome.status == 0, FileSystem.exists(pdf) else { throw MissingValidator(name: "chromium could not print \(html): \(outcome.stderr)") }
    }

    /// The text of a PDF as poppler lays it out (`pdftotext -layout`): a word broken across
    /// lines shows as two pieces.
    public static func text(_ pdf: String, layout: Bool = true) throws -> String {
        let outcome = try runProgram("/usr/bin/pdftotext", (layout ? ["-layout"] : []) + [pdf, "-"])
        guard outcome.status == 0 else { throw MissingValidator(name: "pdftotext (poppler-utils): \(outcome.stderr)") }
        return outcome.stdout
    }

    /// Page count and size in points, from `pdfinfo`.
    public static func info(_ pdf: String) throws -> (pages: Int, width: Double, height: Double) {
        let outcome = try runProgram("/usr/bin/pdfinfo", [pdf])
        guard outcome.status == 0 else { throw MissingValidator(name: "pdfinfo (poppler-utils): \(outcome.stderr)") }
        var pages = 0
        var size = (0.0, 0.0)
        for line in outcome.stdout.split(separator: "\n") {
            if line.hasPrefix("Pages:") { pages = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0 }
            if line.hasPrefix("Page size:") {
                let parts = line.dropFirst(10).split(separator: " ")
                if parts.count >= 3 { size = (Double(parts[0]) ?? 0, Double(parts[2]) ?? 0) }
            }
        }
        return (pages, size.0, size.1)
    }

    /// One page rendered in grey (`pdftoppm -gray`, PGM): width, height and one byte per pixel.
    public struct Raster {
        public var width: Int
        public var height: Int
        public var pixels: [UInt8]

        /// The darkest pixel in the columns `columns` (over the rows `rows`, all by default).
        public func darkest(columns: Range<Int>, rows: Range<Int>? = nil) -> UInt8 {
            var darkest: UInt8 = 255
            for y in rows ?? 0..<height {
                for x in columns { darkest = min(darkest, pixels[y * width + x]) }
            }
            return darkest
        }
    }

    /// Every page of a PDF at `dpi`.
    public static func rasters(_ pdf: String, dpi: Int) throws -> [Raster] {
        let prefix = "\(FileSystem.parent(of: pdf))/page-\(UUID().uuidString.prefix(8))"
        let outcome = try runProgram("/usr/bin/pdftoppm", ["-gray", "-r", "\(dpi)", pdf, prefix])
        guard outcome.status == 0 else { throw MissingValidator(name: "pdftoppm (poppler-utils): \(outcome.stderr)") }
        let folder = FileSystem.parent(of: pdf)
        let name = FileSystem.lastComponent(of: prefix)
        var pages: [Raster] = []
        for file in try FileSystem.contents(of: folder).filter({ $0.hasPrefix(name) && $0.hasSuffix(".pgm") }).sorted() {
            let bytes = try FileSystem.readFile("\(folder)/\(file)", limit: 256 << 20)
            pages.append(try parsePGM(bytes))
            try FileSystem.removeFile("\(folder)/\(file)")
        }
        return pages
    }

    /// A binary PGM (`P5 W H 255`, then the pixels).
    static func parsePGM(_ bytes: [UInt8]) throws -> Raster {
        var fields: [String] = []
        var index = 0
        while fields.count < 4, index < bytes.count {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
            var token = ""
            while index < bytes.count, ![0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) {
                token.unicodeScalars.append(Unicode.Scalar(bytes[index]))
                index += 1
            }
            fields.append(token)
        }
        index += 1
        guard fields.count == 4, fields[0] == "P5", let width = Int(fields[1]), let height = Int(fields[2]), bytes.count - index >= width * height else {
            throw MissingValidator(name: "pdftoppm wrote no readable PGM")
        }
        return Raster(width: width, height: height, pixels: Array(bytes[index..<(index + width * height)]))
    }
}
