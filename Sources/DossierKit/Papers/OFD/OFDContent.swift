import Foundation

/// A piece of text as placed on a page: millimetres from the page's top left, `y` on the
/// baseline, `width` an estimate of the advance (from `DeltaX` where given).
struct OFDTextRun: Sendable, Equatable {
    var text: String
    var x: Double
    var y: Double
    var size: Double
    var width: Double
}

/// An affine transform (a, b, c, d, e, f): x' = a·x + c·y + e, y' = b·x + d·y + f.
struct Affine: Sendable {
    var a, b, c, d, e, f: Double
    static let identity = Affine(a: 1, b: 0, c: 0, d: 1, e: 0, f: 0)

    /// The transform that applies `inner` first, then `self` (ofdkit's `_compose`).
    func composed(with inner: Affine) -> Affine {
        Affine(
            a: a * inner.a + c * inner.b, b: b * inner.a + d * inner.b,
            c: a * inner.c + c * inner.d, d: b * inner.c + d * inner.d,
            e: a * inner.e + c * inner.f + e, f: b * inner.e + d * inner.f + f)
    }
}

/// Collects the text runs of a page or template `Content.xml`, following the rules of ofdkit's
/// `_collect_text` so that the text comes out the same: every `Layer` of `Content`, `TextObject`s
/// anywhere inside `PageBlock`s, composite objects through their resource units; each object's
/// `CTM` and `Boundary` place its `TextCode`s, and a `TextCode` without X or Y keeps the previous one.
struct OFDTextCollector {
    /// Deepest nesting of PageBlock and CompositeObject elements that is followed (as ofdkit).
    static let maximumNesting = 32

    let member: String
    let units: [String: XMLElement]
    let limits: OFDLimits
    var runs: [OFDTextRun] = []
    var visited = 0

    init(member: String, units: [String: XMLElement], limits: OFDLimits) {
        self.member = member
        self.units = units
        self.limits = limits
    }

    /// The runs of a parsed `Content.xml` root (`Page` element).
    static func runs(of root: XMLElement, member: String, units: [String: XMLElement], limits: OFDLimits) throws(OFDError) -> [OFDTextRun] {
        var collector = OFDTextCollector(member: member, units: units, limits: limits)
        if let content = root.child("Content") {
            for layer in content.children(named: "Layer") {
                try collector.walk(layer.children, transform: .identity, depth: 0)
            }
        }
        return collector.runs
    }

    mutating func walk(_ elements: [XMLElement], transform: Affine, depth: Int) throws(OFDError) {
        for element in elements {
            visited += 1
            if visited > limits.maximumObjectsPerPage {
                throw OFDError.contentLimit(member: member, problem: "more than the limit of \(limits.maximumObjectsPerPage) page objects (PageBlock and composite objects included)")
            }
            if element.name == "TextObject" {
                try textObject(element, transform: transform)
            } else if depth >= OFDTextCollector.maximumNesting {
                continue
            } else if element.name == "PageBlock" {
                try walk(element.children, transform: transform, depth: depth + 1)
            } else if element.name == "CompositeObject" {
                let unit = units[PythonText.strip(element.attribute("ResourceID") ?? "")]
                if let content = unit?.child("Content") {
                    try walk(content.children, transform: transform.composed(with: OFDTextCollector.objectTransform(element)), depth: depth + 1)
                }
            }
        }
    }

    mutating func textObject(_ element: XMLElement, transform: Affine) throws(OFDError) {
        try checkGlyphTransforms(element)
        let t = transform.composed(with: OFDTextCollector.objectTransform(element))
        let size = PythonText.finiteFloat(element.attribute("Size"), default: 0)
        let scale = (abs(t.a * t.d - t.b * t.c)).squareRoot()
        let effectiveSize = size * (scale == 0 ? 1 : scale)
        let hypotenuse = hypot(t.a, t.b)
        let xScale = hypotenuse == 0 ? 1 : hypotenuse
        var x = 0.0
        var y = 0.0
        for code in element.children(named: "TextCode") {
            let scalars = OFDTextCollector.clean(code.text)
            x = PythonText.finiteFloat(code.attribute("X"), default: x)
            y = PythonText.finiteFloat(code.attribute("Y"), default: y)
            if scalars.isEmpty { continue }
            if scalars.count > limits.maximumGlyphsPerTextCode {
                throw OFDError.contentLimit(member: member, problem: "a TextCode of \(scalars.count) characters, more than the limit of \(limits.maximumGlyphsPerTextCode)")
            }
            if let deltaY = code.attribute("DeltaY") { _ = try deltas(deltaY, keeping: 0, list: "DeltaY") }
            let deltaX = try deltas(code.attribute("DeltaX"), keeping: scalars.count - 1, list: "DeltaX")
            runs.append(OFDTextRun(
                text: String(String.UnicodeScalarView(scalars)),
                x: t.a * x + t.c * y + t.e,
                y: t.b * x + t.d * y + t.f,
                size: effectiveSize,
                width: OFDTextCollector.advance(scalars, deltas: deltaX, size: size) * xScale))
            if runs.count > limits.maximumRunsPerPage {
                throw OFDError.contentLimit(member: member, problem: "more than the limit of \(limits.maximumRunsPerPage) text runs on one page")
            }
        }
    }

    /// `CGTransform` maps characters to glyphs; the text does not need it, but a huge count is refused.
    func checkGlyphTransforms(_ element: XMLElement) throws(OFDError) {
        for transform in element.children(named: "CGTransform") {
            for attribute in ["CodeCount", "GlyphCount", "CodePosition"] {
                guard let value = transform.attribute(attribute), let number = PythonText.float(value) else { continue }
                if !(number <= Double(limits.maximumGlyphsPerTextCode)) {
                    throw OFDError.contentLimit(member: member, problem: "CGTransform \(attribute)=\(PythonText.strip(value)), more than the limit of \(limits.maximumGlyphsPerTextCode)")
                }
            }
            if let glyphs = transform.child("Glyphs") {
                let count = PythonText.split(glyphs.text).count
                if count > limits.maximumGlyphsPerTextCode {
                    throw OFDError.contentLimit(member: member, problem: "CGTransform Glyphs lists \(count) glyphs, more than the limit of \(limits.maximumGlyphsPerTextCode)")
                }
            }
        }
    }

    /// ofdkit's `_parse_deltas`: the first `keeping` values of a DeltaX list, `g <count> <value>`
    /// expanded. Lists longer than the glyph limit, before or after expansion, are refused.
    func deltas(_ value: String?, keeping limit: Int, list: String) throws(OFDError) -> [Double] {
        guard let value, !value.isEmpty else { return [] }
        let tokens = PythonText.split(value)
        let maximum = limits.maximumGlyphsPerTextCode
        if tokens.count > maximum {
            throw OFDError.contentLimit(member: member, problem: "a \(list) list of \(tokens.count) values, more than the limit of \(maximum)")
        }
        // One pass over every token: values past `limit` are only counted (ofdkit stops reading
        // there, which leaves the same result), so that the whole list is held to the limit.
        var result: [Double] = []
        var expanded = 0
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token == "g" && index + 2 < tokens.count {
                // Python: int(float(count)) raises for inf/nan and float(value) for text; then only the "g" is skipped.
                if let count = PythonText.float(tokens[index + 1]), count.isFinite, let delta = PythonText.float(tokens[index + 2]) {
                    if count > Double(maximum) {
                        throw OFDError.contentLimit(member: member, problem: "a \(list) repeat \"g \(tokens[index + 1]) \(tokens[index + 2])\", more than the limit of \(maximum) values")
                    }
                    let repeats = max(0, Int(count))
                    expanded += repeats
                    let take = min(repeats, limit - result.count)
                    if take > 0 { result.append(contentsOf: repeatElement(delta, count: take)) }
                    index += 3
                } else {
                    index += 1
                }
            } else {
                if let number = PythonText.float(token) {
                    expanded += 1
                    if result.count < limit { result.append(number) }
                }
                index += 1
            }
            if expanded > maximum {
                throw OFDError.contentLimit(member: member, problem: "a \(list) list expanding to more than the limit of \(maximum) values")
            }
        }
        return result
    }

    /// Object space to parent space: the CTM, then a move to the Boundary's origin.
    static func objectTransform(_ element: XMLElement) -> Affine {
        let box = numbers(element.attribute("Boundary"), count: 4) ?? [0, 0, 0, 0]
        let ctm = numbers(element.attribute("CTM"), count: 6) ?? [1, 0, 0, 1, 0, 0]
        return Affine(a: ctm[0], b: ctm[1], c: ctm[2], d: ctm[3], e: ctm[4] + box[0], f: ctm[5] + box[1])
    }

    /// ofdkit's `_parse_numbers`: every field must be a number, the first `count` finite.
    static func numbers(_ value: String?, count: Int) -> [Double]? {
        guard let value, !value.isEmpty else { return nil }
        var result: [Double] = []
        // `value.replace(",", " ").split()`: commas and whitespace separate fields.
        var start: String.Index?
        var index = value.unicodeScalars.startIndex
        let end = value.unicodeScalars.endIndex
        while index <= end {
            let separates = index == end || value.unicodeScalars[index] == "," || PythonText.isSpace(value.unicodeScalars[index])
            if separates {
                if let begin = start {
                    guard let number = PythonText.float(value[begin..<index]) else { return nil }
                    result.append(number)
                    start = nil
                }
                if index == end { break }
            } else if start == nil {
                start = index
            }
            index = value.unicodeScalars.index(after: index)
        }
        guard result.count >= count, result.prefix(count).allSatisfy(\.isFinite) else { return nil }
        return Array(result.prefix(count))
    }

    /// Control characters dropped, tabs made spaces (ofdkit's `_clean`).
    static func clean(_ text: String) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                result.append(" ")
            } else if !PythonText.isControl(scalar) {
                result.append(scalar)
            }
        }
        return result
    }

    /// The advance width of the text in object space: DeltaX where given, else a full or half
    /// em by the character's East Asian width.
    static func advance(_ scalars: [Unicode.Scalar], deltas: [Double], size: Double) -> Double {
        var total = 0.0
        let last = scalars.count - 1
        for (index, scalar) in scalars.enumerated() {
            if index < last && index < deltas.count {
                total += deltas[index]
            } else {
                total += PythonText.isWide(scalar) ? size : size * 0.5
            }
        }
        return total
    }
}
