#!/usr/bin/env python3
"""Writes the index tests' small fixtures (committed; run again only to change them).

- 转让合同.pdf: a two-page PDF whose text layer is Chinese and Latin, drawn with a Type0 font
  (Identity-H, not embedded) and a ToUnicode CMap: what office suites and scanners with OCR
  write. Checked here with poppler's pdftotext, an independent reader.
- 赋权协议.docx: a minimal WordprocessingML document (zip, deflated) with runs split mid-word,
  an entity, a tab and two paragraphs, as Word writes them.
- 旧公示.txt: plain text in GB18030, as older Chinese Windows systems save it.
"""
import os, subprocess, sys, zipfile, zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scripts"))
import pdffile  # noqa: E402

PAGES = [
    "技术转让合同 第一页\n甲方：内蒙古工业大学 乙方：某农业科技有限公司（非国有）\n"
    "标的：玉米新品种“蒙玉7号”的品种权及GB18030编码的配套数据。",
    "第二页\n转让价款：人民币壹佰贰拾万元（1200000元）。\n马铃薯脱毒种薯技术另行约定。",
]

def pdf(path):
    objects = []
    def add(body):
        objects.append(body)
        return len(objects)
    catalog = add(None)
    pages = add(None)
    font = add(None)
    cid_font = add(None)
    descriptor = add(None)
    tounicode_lines = []
    ranges = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256) if not 0xD8 <= hi <= 0xDF]
    for start in range(0, len(ranges), 100):
        block = ranges[start:start + 100]
        tounicode_lines.append(f"{len(block)} beginbfrange\n" + "\n".join(block) + "\nendbfrange")
    cmap = ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "\n".join(tounicode_lines) +
            "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode()
    tounicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    page_ids = []
    for text in PAGES:
        ops = ["BT", "/F1 12 Tf", "14 TL", "50 780 Td"]
        for line in text.split("\n"):
            hexed = "".join(f"{ord(c):04X}" for c in line)
            ops.append(f"<{hexed}> Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode()
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 595 842] "
                            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>".encode()))
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages} 0 R >>".encode()
    objects[pages - 1] = f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {len(page_ids)} >>".encode()
    objects[font - 1] = (f"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
                         f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {tounicode} 0 R >>").encode()
    objects[cid_font - 1] = (f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
                             f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                             f"/FontDescriptor {descriptor} 0 R /DW 1000 /CIDToGIDMap /Identity >>").encode()
    objects[descriptor - 1] = (b"<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 996 855] "
                               b"/ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 683 /StemV 80 >>")
    open(path, "wb").write(pdffile.serialize(objects, root=catalog))

def docx(path):
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        '<w:p><w:r><w:t>赋权（共有）协议</w:t></w:r></w:p>'
        '<w:p><w:r><w:t xml:space="preserve">甲方与王芳团队约定：单位占30%，团队占70%；</w:t></w:r>'
        '<w:r><w:rPr><w:b/></w:rPr><w:t>稀土永</w:t></w:r><w:r><w:t>磁材料</w:t></w:r>'
        '<w:r><w:tab/><w:t>R&amp;D费用由双方分担。</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>羊绒加工工艺ABC-12型</w:t></w:r><w:r><w:br/><w:t>燕麦</w:t></w:r></w:p>'
        '</w:body></w:document>')
    content_types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in [("[Content_Types].xml", content_types), ("word/document.xml", document)]:
            info = zipfile.ZipInfo(name, date_time=(2022, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode())

def gb18030(path):
    open(path, "wb").write("单位内公示记录：公示期十五日，无异议。小麦抗旱品种。\n".encode("gb18030"))

pdf("转让合同.pdf")
docx("赋权协议.docx")
gb18030("旧公示.txt")
print(subprocess.run(["pdftotext", "-enc", "UTF-8", "转让合同.pdf", "-"], capture_output=True, text=True).stdout)
