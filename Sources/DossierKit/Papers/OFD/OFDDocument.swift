import DossierModel

/// Document metadata from OFD.xml (`DocBody/DocInfo` of the first document), as written.
public struct OFDInfo: Sendable, Equatable {
    /// `DocID`.
    public var documentID: String?
    /// `Title`.
    public var title: String?
    /// `Author`.
    public var author: String?
    /// `Subject`.
    public var subject: String?
    /// `CreationDate`, as written (usually `YYYY-MM-DD`).
    public var creationDate: String?
    /// `ModDate`, as written.
    public var modificationDate: String?
    /// `Creator`: the producing application.
    public var creator: String?
    /// `CreatorVersion`.
    public var creatorVersion: String?
}

/// One page: its physical box and the text runs placed on it (templates first).
struct OFDPage: Sendable {
    var member: String
    var box: (x: Double, y: Double, width: Double, height: Double)
    var runs: [OFDTextRun]
}

/// Where one document's signature list lives and what it names.
struct OFDSignatureList: Sendable {
    /// The Signatures.xml member.
    var member: String
    /// Its folder (with a trailing "/"); members below it are not expected to be signed.
    var folder: String
}

/// An OFD document (GB/T 33190-2016): the package read once, within ``OFDLimits``, every page
/// parsed, and what the seal checker needs kept.
///
/// ```swift
/// let document = try OFDDocument.open(path: "合同.ofd")
/// print(document.info.title ?? "", document.text())
/// ```
///
/// Its seals and signatures are checked through ``SignatureCheck``.
///
/// ## Topics
/// - ``open(path:limits:fileName:)``
/// - ``info``
/// - ``text()``
/// - ``pageTexts()``
public struct OFDDocument: Sendable {
    /// Document metadata from OFD.xml.
    public let info: OFDInfo
    let pages: [OFDPage]
    let path: String
    let fileName: String
    let limits: OFDLimits
    /// Every regular member of the package, in archive order.
    let members: [String]
    let signatureLists: [OFDSignatureList]
    /// Bytes of the XML members inside the signature folders (Signatures.xml, Signature.xml …).
    let signatureParts: [String: [UInt8]]
    /// Signature lists OFD.xml names that are not in the package: the signature check refuses them.
    let missingSignatureLists: [OFDError]
    /// What was tolerated while reading: resource files that OFD.xml or a page names but the
    /// package lacks (producers write such references for pages without resources; text never
    /// needs them unless a composite object does), and signature lists that are missing.
    public let warnings: [String]

    /// The number of pages.
    public var pageCount: Int { pages.count }

    /// Reads and checks the OFD file at `path`: the zip within `limits`, OFD.xml, each document's
    /// Document.xml, every page, template page and resource it names.
    /// - Parameters:
    ///   - path: the `.ofd` file.
    ///   - limits: bounds on size, compression, XML and content; ``OFDLimits/default`` suits real documents.
    ///   - fileName: names the file in errors (default: the last component of `path`).
    /// - Returns: the document, ready for ``text()`` and the signature check.
    /// - Throws: ``OFDError``: a one-line reason naming the member and the limit or expectation.
    public static func open(path: String, limits: OFDLimits = .default, fileName: String? = nil) throws(OFDError) -> OFDDocument {
        let fileName = fileName ?? FileSystem.lastComponent(of: path)
        let package = try OFDPackage.scan(path: path, file: fileName, limits: limits, keep: { name in
            name.lowercased().hasSuffix(".xml")
        })
        var loader = OFDLoader(package: package, limits: limits, fileName: fileName)
        let loaded = try loader.load()
        var signatureParts: [String: [UInt8]] = [:]
        for (name, bytes) in package.kept where loaded.signatureLists.contains(where: { name.hasPrefix($0.folder) }) {
            signatureParts[name] = bytes
        }
        return OFDDocument(
            info: loaded.info, pages: loaded.pages, path: path, fileName: fileName, limits: limits,
            members: package.members, signatureLists: loaded.signatureLists, signatureParts: signatureParts,
            missingSignatureLists: loaded.missingSignatureLists, warnings: loaded.warnings)
    }

    /// The text of every page in reading order, pages separated by a form feed ("\u{0C}").
    ///
    /// Equal to ofdkit's `OFDDocument.text(page_separator="\f")` on the same file: runs off the
    /// page box (by more than 2 mm) are left out, and each page is laid out by ofdkit's reading-order rules.
    public func text() -> String {
        pageTexts().joined(separator: "\u{0C}")
    }

    /// The text of each page in reading order.
    public func pageTexts() -> [String] {
        pages.map { page in
            let box = page.box
            let visible = page.runs.filter { run in
                box.x - 2.0 <= run.x && run.x <= box.x + box.width + 2.0
                    && box.y - 2.0 <= run.y && run.y <= box.y + box.height + 2.0
            }
            return OFDLayout.pageText(visible)
        }
    }
}

/// Resolves locations the way ofdkit does: relative to the referring part, then from the root,
/// without case as a last resort; a location that climbs out of the package resolves to nothing.
struct OFDMemberIndex {
    let names: Set<String>
    let folded: [String: String]

    init(_ members: [String]) {
        names = Set(members)
        var folded: [String: String] = [:]
        for name in members where folded[name.lowercased()] == nil { folded[name.lowercased()] = name }
        self.folded = folded
    }

    static func normalize(_ name: String) -> String {
        var result = Substring(name.replacingOccurrences(of: "\\", with: "/"))
        while true {
            if result.hasPrefix("/") {
                result = result.dropFirst()
            } else if result.hasPrefix("./") {
                result = result.dropFirst(2)
            } else {
                break
            }
        }
        return String(result)
    }

    /// `posixpath.normpath` for a path without leading slashes.
    static func normpath(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            if part.isEmpty || part == "." { continue }
            if part != ".." || parts.isEmpty || parts.last == ".." {
                parts.append(part)
            } else {
                parts.removeLast()
            }
        }
        let joined = parts.joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        var head = String(path[..<slash])
        while head.hasSuffix("/") { head.removeLast() }
        return head
    }

    func find(_ path: String) -> String? {
        let normalized = OFDMemberIndex.normalize(path)
        if names.contains(normalized) { return normalized }
        return folded[normalized.lowercased()]
    }

    /// The member a location written inside `base` names, or `nil`.
    func resolve(base: String?, location: String?) -> String? {
        let location = PythonText.strip(location ?? "").replacingOccurrences(of: "\\", with: "/")
        if location.isEmpty { return nil }
        var candidates: [String]
        if location.hasPrefix("/") {
            candidates = [location]
        } else {
            let baseDirectory = base.map { OFDMemberIndex.directory(of: OFDMemberIndex.normalize($0)) } ?? ""
            candidates = [baseDirectory.isEmpty ? location : baseDirectory + "/" + location, location]
        }
        for candidate in candidates {
            let normalized = OFDMemberIndex.normpath(OFDMemberIndex.normalize(candidate))
            if normalized == ".." || normalized.hasPrefix("../") { continue }
            if let found = find(normalized) { return found }
        }
        return nil
    }
}

/// Walks OFD.xml → Document.xml → pages, templates and resources, parsing each part once.
struct OFDLoader {
    struct Loaded {
        var info: OFDInfo
        var pages: [OFDPage]
        var signatureLists: [OFDSignatureList]
        var missingSignatureLists: [OFDError]
        var warnings: [String]
    }

    struct Body {
        var documentPath: String
        var pageBox: (x: Double, y: Double, width: Double, height: Double)
        var templates: [String: String]
        var resources: [String]
        var units: [String: XMLElement]?
    }

    static let defaultPageBox = (x: 0.0, y: 0.0, width: 210.0, height: 297.0)

    let package: OFDPackage
    let limits: OFDLimits
    let fileName: String
    let index: OFDMemberIndex
    var templateRuns: [String: [OFDTextRun]] = [:]
    var warnings: [String] = []

    init(package: OFDPackage, limits: OFDLimits, fileName: String) {
        self.package = package
        self.limits = limits
        self.fileName = fileName
        self.index = OFDMemberIndex(package.members)
    }

    func xml(_ member: String) throws(OFDError) -> XMLElement {
        guard let raw = package.kept[member] else {
            throw OFDError.structure(member: member, problem: "is not an XML part (its name does not end in .xml)")
        }
        if raw.count > limits.maximumXMLBytes {
            throw OFDError.contentLimit(member: member, problem: "an XML part of \(raw.count) bytes, more than the limit of \(limits.maximumXMLBytes)")
        }
        let bytes = try OFDTextEncoding.xmlBytes(raw, member: member)
        let parser = StrictXMLParser(limits: XMLLimits(
            maximumDepth: limits.maximumXMLDepth, maximumAttributes: limits.maximumXMLAttributes, maximumElements: limits.maximumXMLElements))
        do {
            return try parser.parse(bytes)
        } catch {
            throw OFDError.xml(member: member, line: error.line, problem: error.message)
        }
    }

    /// A location that must name a member: `nil` when the location is absent or blank.
    func required(_ location: String?, from base: String, role: String) throws(OFDError) -> String? {
        let written = PythonText.strip(location ?? "")
        if written.isEmpty { return nil }
        guard let found = index.resolve(base: base, location: written) else {
            throw OFDError.missingMember(member: written, referencedBy: base, role: role)
        }
        return found
    }

    /// A location whose absence is tolerated: `nil` (and a warning) when it names no member.
    mutating func optional(_ location: String?, from base: String, role: String) -> String? {
        let written = PythonText.strip(location ?? "")
        if written.isEmpty { return nil }
        guard let found = index.resolve(base: base, location: written) else {
            warnings.append(OFDError.missingMember(member: written, referencedBy: base, role: role).description)
            return nil
        }
        return found
    }

    static func box(_ text: String?) -> (x: Double, y: Double, width: Double, height: Double)? {
        guard let numbers = OFDTextCollector.numbers(text, count: 4) else { return nil }
        return (numbers[0], numbers[1], numbers[2], numbers[3])
    }

    mutating func load() throws(OFDError) -> Loaded {
        guard let entry = index.find("OFD.xml") else {
            throw OFDError.structure(member: fileName, problem: "OFD.xml is missing: not an OFD package")
        }
        let root = try xml(entry)
        guard root.name == "OFD" else {
            throw OFDError.structure(member: entry, problem: "the root element is <\(root.name)>; expected <ofd:OFD>")
        }
        let bodies = root.children(named: "DocBody")
        guard let firstBody = bodies.first else {
            throw OFDError.structure(member: entry, problem: "no DocBody: the package holds no document")
        }
        let info = OFDLoader.info(firstBody.child("DocInfo"))
        var pages: [OFDPage] = []
        var signatureLists: [OFDSignatureList] = []
        var missingSignatureLists: [OFDError] = []
        for (number, body) in bodies.enumerated() {
            guard let documentPath = try required(body.childText("DocRoot"), from: entry, role: "DocRoot") else {
                throw OFDError.structure(member: entry, problem: "DocBody \(number + 1) has no DocRoot")
            }
            let writtenSignatures = body.childText("Signatures")
            if let writtenSignatures, index.resolve(base: entry, location: writtenSignatures) == nil {
                missingSignatureLists.append(OFDError.missingMember(member: writtenSignatures, referencedBy: entry, role: "the signature list"))
            }
            if let signatures = optional(writtenSignatures, from: entry, role: "the signature list") {
                let folder = OFDMemberIndex.directory(of: signatures)
                signatureLists.append(OFDSignatureList(member: signatures, folder: folder.isEmpty ? "" : folder + "/"))
            }
            try loadBody(documentPath, into: &pages)
        }
        return Loaded(info: info, pages: pages, signatureLists: signatureLists, missingSignatureLists: missingSignatureLists, warnings: warnings)
    }

    static func info(_ element: XMLElement?) -> OFDInfo {
        guard let element else { return OFDInfo() }
        return OFDInfo(
            documentID: element.childText("DocID"), title: element.childText("Title"), author: element.childText("Author"),
            subject: element.childText("Subject"), creationDate: element.childText("CreationDate"),
            modificationDate: element.childText("ModDate"), creator: element.childText("Creator"),
            creatorVersion: element.childText("CreatorVersion"))
    }

    mutating func loadBody(_ documentPath: String, into pages: inout [OFDPage]) throws(OFDError) {
        let document = try xml(documentPath)
        let common = document.child("CommonData")
        var body = Body(
            documentPath: documentPath,
            pageBox: OFDLoader.box(common?.child("PageArea")?.childText("PhysicalBox")) ?? OFDLoader.defaultPageBox,
            templates: [:], resources: [])
        if let common {
            for template in common.children(named: "TemplatePage") {
                let id = PythonText.strip(template.attribute("ID") ?? "")
                guard let location = try required(template.attribute("BaseLoc"), from: documentPath, role: "template page \(id)") else { continue }
                if !id.isEmpty { body.templates[id] = location }
            }
            for element in common.children where element.name == "PublicRes" || element.name == "DocumentRes" {
                if let location = optional(element.text, from: documentPath, role: element.name) {
                    body.resources.append(location)
                }
            }
        }
        for page in document.child("Pages")?.children(named: "Page") ?? [] {
            if pages.count >= limits.maximumPages {
                throw OFDError.contentLimit(member: documentPath, problem: "more than the limit of \(limits.maximumPages) pages")
            }
            guard let location = try required(page.attribute("BaseLoc"), from: documentPath, role: "page \(pages.count + 1)") else {
                throw OFDError.structure(member: documentPath, problem: "page \(pages.count + 1) has no BaseLoc")
            }
            pages.append(try loadPage(location, body: &body))
        }
    }

    func units(_ paths: [String]) throws(OFDError) -> [String: XMLElement] {
        var units: [String: XMLElement] = [:]
        for path in paths {
            let root = try xml(path)
            for unit in root.child("CompositeGraphicUnits")?.children(named: "CompositeGraphicUnit") ?? [] {
                let id = PythonText.strip(unit.attribute("ID") ?? "")
                if !id.isEmpty && units[id] == nil { units[id] = unit }
            }
        }
        return units
    }

    mutating func loadPage(_ location: String, body: inout Body) throws(OFDError) -> OFDPage {
        let root = try xml(location)
        let box = OFDLoader.box(root.child("Area")?.childText("PhysicalBox")) ?? body.pageBox
        if body.units == nil { body.units = try units(body.resources) }
        var units = body.units ?? [:]
        var pageResources: [String] = []
        for resource in root.children(named: "PageRes") {
            if let found = optional(resource.text, from: location, role: "PageRes") { pageResources.append(found) }
        }
        if !pageResources.isEmpty {
            units.merge(try self.units(pageResources)) { _, page in page }
        }
        var runs: [OFDTextRun] = []
        for reference in root.children(named: "Template") {
            guard let template = body.templates[PythonText.strip(reference.attribute("TemplateID") ?? "")] else { continue }
            if templateRuns[template] == nil {
                templateRuns[template] = try OFDTextCollector.runs(of: try xml(template), member: template, units: units, limits: limits)
            }
            runs.append(contentsOf: templateRuns[template] ?? [])
        }
        runs.append(contentsOf: try OFDTextCollector.runs(of: root, member: location, units: units, limits: limits))
        if runs.count > limits.maximumRunsPerPage {
            throw OFDError.contentLimit(member: location, problem: "more than the limit of \(limits.maximumRunsPerPage) text runs on one page (templates included)")
        }
        return OFDPage(member: location, box: box, runs: runs)
    }
}
