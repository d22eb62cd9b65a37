#!/usr/bin/env python3
"""Makes the four-properties check's fixtures in this folder: small documents that each carry one
thing an archive must notice (U2, U4, S1 of ../../../../shared/domain/FOUR-PROPERTIES.md).

Run with the validators' python (pyHanko encrypts the password-protected PDF):
  .venv/bin/python Tests/Fixtures/four-properties/make-fixtures.py
Deterministic except encrypted.pdf (pyHanko picks a random key and file id).

  clean.pdf          one page with a Chinese text layer (Demo/make-pdf.py's writer), nothing else
  javascript.pdf     clean.pdf's page with an /OpenAction that runs JavaScript
  launch.pdf         clean.pdf's page with a link annotation whose action is /S /Launch
  embedded-exe.pdf   clean.pdf's page with an embedded file "tool.exe" holding an ELF program's header
  embedded-xml.pdf   clean.pdf's page with an embedded file "invoice.xml" (PDF/A-3 style; not a program)
  pdfa.pdf           clean.pdf's page with XMP metadata claiming PDF/A-2b (pdfaid:part 2, conformance B)
  encrypted.pdf      clean.pdf encrypted by pyHanko with a user password (AES-256): opens only with it
  macro.docm         a Word document (zip) with word/vbaProject.bin
  plain.docx         the same without macros
"""
import io
import os
import sys
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..", "..", "..")
sys.path.insert(0, os.path.join(root, "scripts"))
sys.path.insert(0, os.path.join(root, "Demo"))
import pdffile  # noqa: E402
import importlib.util  # noqa: E402

spec = importlib.util.spec_from_file_location("make_pdf", os.path.join(root, "Demo", "make-pdf.py"))
make_pdf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_pdf)

LINES = ["技术转让合同（检测用样本）", "甲方：内蒙古工业大学", "乙方：某科技有限公司"]


def page_objects(lines, extra_page=b""):
    """The objects of Demo/make-pdf.py's one-page PDF, catalog first; `extra_page` is added to the page."""
    content = ["BT", "/F1 14 Tf", "20 TL", "60 780 Td"]
    for line in lines:
        content.append("<%s> Tj T*" % make_pdf.ucs2(line))
    content.append("ET")
    stream = "\n".join(content).encode("ascii")
    cmap = make_pdf.to_unicode_cmap()
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R" + extra_page + b" >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 8 0 R /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]


def write(name, data):
    with open(os.path.join(here, name), "wb") as handle:
        handle.write(data)


def stream(data, extra=b""):
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def main():
    write("clean.pdf", pdffile.serialize(page_objects(LINES)))

    objects = page_objects(LINES)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 9 0 R >>"
    objects.append(b"<< /Type /Action /S /JavaScript /JS (app.alert\\('hello'\\);) >>")
    write("javascript.pdf", pdffile.serialize(objects))

    objects = page_objects(LINES, b" /Annots [9 0 R]")
    objects.append(b"<< /Type /Annot /Subtype /Link /Rect [60 700 300 720] /A << /S /Launch /F (calc.exe) >> >>")
    write("launch.pdf", pdffile.serialize(objects))

    elf = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + b"\x00" * 40
    objects = page_objects(LINES)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(tool.exe) 9 0 R] >> >> >>"
    objects.append(b"<< /Type /Filespec /F (tool.exe) /UF (tool.exe) /EF << /F 10 0 R >> >>")
    objects.append(stream(elf, b" /Type /EmbeddedFile"))
    write("embedded-exe.pdf", pdffile.serialize(objects))

    xml = "<?xml version='1.0' encoding='UTF-8'?><invoice><total>100</total></invoice>\n".encode()
    objects = page_objects(LINES)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(invoice.xml) 9 0 R] >> >> >>"
    objects.append(b"<< /Type /Filespec /F (invoice.xml) /UF (invoice.xml) /EF << /F 10 0 R >> /AFRelationship /Data >>")
    objects.append(stream(xml, b" /Type /EmbeddedFile /Subtype /text#2Fxml"))
    write("embedded-xml.pdf", pdffile.serialize(objects))

    xmp = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()
    objects = page_objects(LINES)
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /Metadata 9 0 R >>"
    objects.append(stream(xmp, b" /Type /Metadata /Subtype /XML"))
    write("pdfa.pdf", pdffile.serialize(objects))

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    reader = PdfFileReader(io.BytesIO(pdffile.serialize(page_objects(LINES))))
    writer = copy_into_new_writer(reader)
    writer.encrypt("owner-secret", "user-secret")
    out = io.BytesIO()
    writer.write(out)
    write("encrypted.pdf", out.getvalue())

    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>技术转让合同（检测用样本）</w:t></w:r></w:p></w:body></w:document>"
    )
    for name, members in [
        ("plain.docx", []),
        ("macro.docm", [("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)]),
    ]:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in [("[Content_Types].xml", types.encode()), ("word/document.xml", document.encode())] + members:
                info = zipfile.ZipInfo(member, date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        write(name, out.getvalue())


if __name__ == "__main__":
    main()
