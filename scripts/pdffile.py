"""The file structure every small PDF writer of this project shares (Demo/make-pdf.py,
Tests/Fixtures/index/make-fixtures.py): numbered objects, a cross-reference table of their
byte offsets and a trailer naming the catalog. Deterministic: the same objects give the same bytes.
"""


def serialize(objects, root=1):
    """The bytes of a PDF 1.4 file holding `objects` (bytes each, numbered from 1), whose
    catalog is object number `root`."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)
