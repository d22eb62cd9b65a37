import Testing
@testable import DossierKit

@Suite("Hostile OFD files are refused with one line naming the member and the limit")
struct OFDHostileTests {
    func refusal(_ name: String, limits: OFDLimits = .default) -> String {
        do {
            _ = try OFDDocument.open(path: OFDFixtures.path(name), limits: limits)
            return "opened"
        } catch {
            return error.description
        }
    }

    func limits(_ change: (inout OFDLimits) -> Void) -> OFDLimits {
        var limits = OFDLimits.default
        change(&limits)
        return limits
    }

    @Test("zip bombs: compression ratio, member size, total size, member count")
    func bombs() {
        // Given an 8 MiB member of zeros that deflates to 8 KiB, six 256 KiB members, 300 members
        // When each is opened within the limits shown
        // Then each is refused at the first limit it passes
        #expect(refusal("bomb-ratio.ofd").hasPrefix("Doc_0/Res/bomb.bin: expands more than 100 times its "))
        #expect(refusal("bomb-ratio.ofd").hasSuffix(" compressed bytes (the compression-ratio limit)"))
        #expect(refusal("bomb-ratio.ofd", limits: limits { $0.maximumCompressionRatio = 100_000; $0.maximumMemberBytes = 4 << 20 })
            == "Doc_0/Res/bomb.bin: decompresses to more than the limit of 4194304 bytes per member")
        #expect(refusal("bomb-total.ofd", limits: limits { $0.maximumTotalBytes = 1 << 20 })
            == "Doc_0/Res/part3.bin: the members decompress to more than the limit of 1048576 bytes in total")
        #expect(refusal("many-members.ofd", limits: limits { $0.maximumMembers = 100 })
            == "many-members.ofd: 304 members, more than the limit of 100")
        #expect(refusal("contract-chars.ofd", limits: limits { $0.maximumXMLBytes = 1000 })
            == "Doc_0/Pages/Page_0/Content.xml: a part read into memory (XML or signature data) of more than the limit of 1000 bytes")
        // And the same files open within the default limits
        #expect(refusal("bomb-total.ofd") == "opened")
        #expect(refusal("many-members.ofd") == "opened")
    }

    @Test("member names that escape the package, links and duplicates")
    func names() {
        // Given members named with "..", an absolute path, a backslash; a symbolic link; a name twice
        // When they are opened
        // Then each is refused naming the member
        #expect(refusal("dotdot.ofd") == "Doc_0/../../evil.xml: unsafe member name (\"..\" segment); expected a relative path inside the package")
        #expect(refusal("absolute.ofd") == "/etc/evil.xml: unsafe member name (absolute path); expected a relative path inside the package")
        #expect(refusal("backslash.ofd") == "Doc_0\\evil.xml: unsafe member name (contains a backslash); expected a relative path inside the package")
        #expect(refusal("symlink.ofd") == "Doc_0/link.xml: is a symbolic link; expected a regular file")
        #expect(refusal("duplicate.ofd") == "Doc_0/Document.xml: the package holds two members with this name")
        #expect(refusal("not-zip.ofd") == "not-zip.ofd: not an OFD file: expected a zip container, no end-of-central-directory record")
    }

    @Test("XML attacks: billion laughs, external entities, undefined entities, deep nesting")
    func xml() {
        // Given parts with a DTD, an external entity, an undeclared entity and 10,000 nested elements
        // When they are opened
        // Then each is refused at its line, nothing expanded and nothing read from outside
        let doctype = "<!DOCTYPE is not allowed: OFD needs no DTD, and refusing it rules out entity expansion and external files"
        #expect(refusal("billion-laughs.ofd") == "OFD.xml:2: \(doctype)")
        #expect(refusal("external-entity.ofd") == "Doc_0/Pages/Page_0/Content.xml:2: \(doctype)")
        #expect(refusal("undefined-entity.ofd") == "Doc_0/Pages/Page_0/Content.xml:2: undefined entity &nbsp;: only &amp; &lt; &gt; &quot; &apos; and character references are allowed")
        #expect(refusal("deep.ofd") == "Doc_0/Pages/Page_0/Content.xml:2: elements nested deeper than the limit of 256")
    }

    @Test("content limits: DeltaX repetition and length, CodeCount, self-drawing composite objects")
    func content() {
        // Given a DeltaX "g 1000000000 3.5", a DeltaX of 200,000 values, a CodeCount of 99,999,999,
        // and a composite unit that draws itself twice (2^32 objects if followed blindly)
        // When they are opened
        // Then each is refused naming the page and the limit
        #expect(refusal("huge-repeat.ofd") == "Doc_0/Pages/Page_0/Content.xml: a DeltaX repeat \"g 1000000000 3.5\", more than the limit of 100000 values")
        #expect(refusal("long-deltax.ofd") == "Doc_0/Pages/Page_0/Content.xml: a DeltaX list of 200000 values, more than the limit of 100000")
        #expect(refusal("huge-codecount.ofd") == "Doc_0/Pages/Page_0/Content.xml: CGTransform CodeCount=99999999, more than the limit of 100000")
        #expect(refusal("composite-loop.ofd") == "Doc_0/Pages/Page_0/Content.xml: more than the limit of 500000 page objects (PageBlock and composite objects included)")
    }

    @Test("a page that Document.xml names but the package lacks")
    func missingPage() {
        // Given a package without its only page's Content.xml
        // When it is opened
        // Then the refusal names the missing file and who named it
        #expect(refusal("missing-page.ofd") == "Doc_0/Document.xml: page 1 Pages/Page_0/Content.xml is not in the package")
    }
}
