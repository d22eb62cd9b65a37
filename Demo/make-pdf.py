#!/usr/bin/env python3
"""Writes a tiny one-page PDF whose text layer holds Chinese: the demo's scanned-paper stand-ins.

Usage: make-pdf.py OUT.pdf "line 1" "line 2" ...

The font is the standard Adobe CJK font STSong-Light (not embedded; viewers substitute it) with
the predefined UniGB-UCS2-H encoding, so the page shows the characters; a ToUnicode CMap maps
every code back to Unicode, so pdftotext and search indexers read the text. Deterministic: the
same lines give the same bytes.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import pdffile  # noqa: E402


def ucs2(text: str) -> str:
    return "".join("%04X" % ord(ch) for ch in text if ord(ch) <= 0xFFFF)


def to_unicode_cmap() -> bytes:
    ranges = ["<%02X00> <%02XFF> <%02X00>" % (h, h, h) for h in range(256)]
    blocks = []
    for i in range(0, 256, 100):
        chunk = ranges[i:i + 100]
        blocks.append("%d beginbfrange\n%s\nendbfrange" % (len(chunk), "\n".join(chunk)))
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            + "\n".join(blocks) +
            "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode("ascii")


def make(lines):
    content = ["BT", "/F1 14 Tf", "20 TL", "60 780 Td"]
    for line in lines:
        content.append("<%s> Tj T*" % ucs2(line))
    content.append("ET")
    stream = "\n".join(content).encode("ascii")
    cmap = to_unicode_cmap()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 8 0 R /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    return pdffile.serialize(objects)


if __name__ == "__main__":
    with open(sys.argv[1], "wb") as handle:
        handle.write(make(sys.argv[2:]))
