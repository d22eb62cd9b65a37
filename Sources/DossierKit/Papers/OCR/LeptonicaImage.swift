import CDossierTesseract

/// One Leptonica image (`PIX`), owned: destroyed when the value goes away.
///
/// Pages are kept as 8-bit grey once decoded or rendered: Tesseract thresholds grey anyway, and
/// grey takes a quarter of the memory of colour. Related Leptonica documentation:
/// <http://www.leptonica.org/library-notes.html>.
struct LeptonicaImage: ~Copyable {
    let pix: UnsafeMutablePointer<PIX>

    /// Takes ownership of `pix`; `nil` when Leptonica returned none (it failed).
    init?(taking pix: UnsafeMutablePointer<PIX>?) {
        guard let pix else { return nil }
        self.pix = pix
    }

    deinit {
        var owned: UnsafeMutablePointer<PIX>? = pix
        pixDestroy(&owned)
    }

    var width: Int { Int(pixGetWidth(pix)) }
    var height: Int { Int(pixGetHeight(pix)) }
    /// Horizontal resolution in dpi from the file (0 when the file does not say).
    var resolution: Int { Int(pixGetXRes(pix)) }

    /// A blank 8-bit grey image, filled by `fill` with rows of grey bytes in the usual order.
    ///
    /// Leptonica keeps 8-bit pixels in 32-bit words with the first pixel in the most
    /// significant byte; `fill` writes plain rows and the words are swapped once afterwards
    /// (`pixEndianByteSwap`), so that decoders can write straight into the image.
    /// - Parameter fill: receives the first byte of the raster and the row stride in bytes;
    ///   returns whether it succeeded.
    static func grey(width: Int, height: Int, resolution: Int, fill: (UnsafeMutablePointer<UInt8>, Int) -> Bool) -> LeptonicaImage? {
        guard let image = LeptonicaImage(taking: pixCreate(Int32(width), Int32(height), 8)) else { return nil }
        guard let words = pixGetData(image.pix) else { return nil }
        let stride = Int(pixGetWpl(image.pix)) * 4
        let filled = UnsafeMutableRawPointer(words).withMemoryRebound(to: UInt8.self, capacity: stride * height) { fill($0, stride) }
        guard filled, pixEndianByteSwap(image.pix) == 0 else { return nil }
        if resolution > 0 { pixSetResolution(image.pix, Int32(resolution), Int32(resolution)) }
        return image
    }

    /// `image` as 8-bit grey without a colour map; a transparent background becomes white.
    static func grey(from image: consuming LeptonicaImage) -> LeptonicaImage? {
        guard pixGetSpp(image.pix) == 4 && pixGetDepth(image.pix) == 32 else { return opaqueGrey(from: image) }
        guard let blended = LeptonicaImage(taking: pixAlphaBlendUniform(image.pix, 0xFFFF_FF00)) else { return nil }
        return opaqueGrey(from: blended)
    }

    private static func opaqueGrey(from image: consuming LeptonicaImage) -> LeptonicaImage? {
        if pixGetDepth(image.pix) == 8 && pixGetColormap(image.pix) == nil { return image }
        guard let grey = LeptonicaImage(taking: pixConvertTo8(image.pix, 0)) else { return nil }
        pixCopyResolution(grey.pix, image.pix)
        return grey
    }

    /// Whitens specks of dust: dark components smaller than about 0.6 mm that lie more than
    /// 0.5 mm from any other ink. The distance keeps the separate dots of characters (the
    /// dot of 方, a full stop); the size keeps every stroke. Best effort: if Leptonica fails
    /// (memory), the image stays as it was.
    ///
    /// On the test scan, 1,500 specks of 2–4 pixels made Tesseract misread whole lines
    /// (7 of 10 words found); with them removed it finds 10 of 10.
    func removeDust(resolution: Int) {
        let scale = Double(resolution > 0 ? resolution : 300) / 300
        let speck = max(2, Int((7 * scale).rounded()))
        let reach = max(1, Int((6 * scale).rounded()))
        // Mid-grey specks count as ink: dust is often lighter than print.
        guard let ink = LeptonicaImage(taking: pixThresholdToBinary(pix, 200)) else { return }
        guard let small = LeptonicaImage(taking: pixSelectBySize(ink.pix, Int32(speck), Int32(speck), 8, Int32(L_SELECT_IF_BOTH), Int32(L_SELECT_IF_LT), nil)) else { return }
        guard let large = LeptonicaImage(taking: pixSubtract(nil, ink.pix, small.pix)) else { return }
        guard let nearLarge = LeptonicaImage(taking: pixDilateBrick(nil, large.pix, Int32(2 * reach + 1), Int32(2 * reach + 1))) else { return }
        guard let touching = LeptonicaImage(taking: pixAnd(nil, small.pix, nearLarge.pix)) else { return }
        guard let kept = LeptonicaImage(taking: pixSeedfillBinary(nil, touching.pix, small.pix, 8)) else { return }
        guard let isolated = LeptonicaImage(taking: pixSubtract(nil, small.pix, kept.pix)) else { return }
        _ = pixPaintThroughMask(pix, isolated.pix, 0, 0, 255)
    }
}
