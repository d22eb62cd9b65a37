#!/usr/bin/env python3
"""Makes the OCR test fixtures: a one-page "scanned agreement" in Chinese (greyscale, 300 dpi,
a red round seal over part of the text, dust and grain, turned by 1.5 degrees), wrapped as
  agreement.pdf        an image-only PDF (no text layer; the scan is a JPEG, as scanners write)
  agreement.png        the page as PNG
  agreement.jpg        the page as JPEG
  agreement-2p.tiff    a two-page TIFF: the agreement, then its annex page
  text-layer.pdf       two pages that have a text layer and no image (must not be OCRed)
  mixed.pdf            page 1 has a text layer, page 2 is the scanned annex (only page 2 is OCRed)
  rotated.pdf          the annex stored sideways on a landscape page that /Rotate 90 shows upright
  huge-page.pdf        one blank page of 200 x 200 inches (the largest PDF allows), with no text layer
  huge-claim.png       a PNG whose header claims 100000 x 100000 pixels (a few dozen bytes)
  huge-claim.tiff      a TIFF whose header claims 100000 x 100000 pixels
  cmyk.jpg             a small CMYK JPEG (print, not a scan: refused with its reason)
and, with --bench N OUT.pdf, an N-page image-only PDF of such pages for scripts/bench-ocr.sh.

Deterministic: seeded noise, fixed layout. Needs Pillow (pinned in scripts/setup.sh --bench) and the
WenQuanYi Zen Hei font (Debian fonts-wqy-zenhei).

Usage: make-fixtures.py [OUTPUT_DIR]          (default: this script's folder)
       make-fixtures.py --bench N OUT.pdf [BODY_PX]   (body text height in pixels at 300 dpi:
                                                   50 is 12 pt, the default; 37 is 9 pt)
       make-fixtures.py --bench-typed N OUT.pdf [BODY_PX]   (the same pages with a text layer)
"""

import io
import math
import os
import random
import struct
import sys
import zlib

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
DPI = 300
WIDTH, HEIGHT = 2480, 3508  # A4 at 300 dpi

# The words the tests look for; each appears in the page's text at least once.
WORDS = ["技术转让", "收益分配", "合同专用章", "甲方", "乙方", "保密义务", "违约责任", "专利权", "许可使用", "争议解决"]
ANNEX_WORDS = ["验收标准", "附件清单"]

AGREEMENT = [
    ("title", "技术转让合同"),
    ("line", "合同编号：NMG-2023-0417"),
    ("line", "甲方：内蒙古工业大学"),
    ("line", "乙方：内蒙古草原新材料科技有限公司"),
    ("para", "第一条 甲方将其拥有的一种稀土永磁材料制备方法的专利权以技术转让方式转让给乙方，乙方在约定的范围内享有许可使用的权利。"),
    ("para", "第二条 转让价款为人民币壹佰贰拾万元整。成果转化取得的收益分配按照甲方内部管理制度及双方约定的比例执行。"),
    ("para", "第三条 乙方对甲方提供的技术资料、试验数据和工艺参数负有保密义务，保密期限自本合同生效之日起五年。"),
    ("para", "第四条 任何一方违反本合同约定的，应当承担违约责任，并赔偿由此给对方造成的损失。"),
    ("para", "第五条 争议解决：因本合同引起的争议，双方应协商解决；协商不成的，提交呼和浩特仲裁委员会仲裁。"),
    ("para", "第六条 本合同一式四份，甲乙双方各执两份，自双方签字并加盖合同专用章之日起生效。"),
    ("gap", ""),
    ("line", "甲方（盖合同专用章）：                 乙方（盖合同专用章）："),
    ("line", "日期：2023年4月17日                      日期：2023年4月20日"),
]

ANNEX = [
    ("title", "附件清单"),
    ("para", "附件一 专利证书复印件。附件二 技术资料交接记录。附件三 验收标准及验收程序说明。"),
    ("para", "乙方应当在收到技术资料之日起三十日内按照验收标准组织验收，验收合格后支付余款。"),
    ("para", "本附件清单与合同正文具有同等法律效力。"),
]

# Sentences the benchmark's pages are drawn from: every page holds the ten words.
BENCH_SENTENCES = [
    "甲方与乙方经友好协商，就下列事项达成一致，签订本合同。",
    "甲方将其拥有的专利权以技术转让方式转让给乙方。",
    "乙方在约定的范围内享有许可使用的权利，不得转授权第三方。",
    "成果转化取得的收益分配按照单位内部管理制度执行。",
    "乙方对甲方提供的技术资料负有保密义务。",
    "任何一方违反本合同约定的，应当承担违约责任并赔偿损失。",
    "争议解决：双方应协商解决；协商不成的，提交仲裁委员会仲裁。",
    "本合同自双方加盖合同专用章之日起生效。",
    "相关费用以银行转账方式支付至甲方指定账户。",
    "乙方应当按照约定实施成果转化，并按年度报告实施情况。",
    "知识产权维护费用由双方按约定比例分担。",
    "经审查，该成果不涉及国家秘密，不影响国家安全和公共利益。",
]


def font(size):
    return ImageFont.truetype(FONT, size)


def wrap(text, face, width):
    """Chinese wraps at any character: cut the paragraph where the next character would overflow."""
    lines, current = [], ""
    for char in text:
        if face.getlength(current + char) > width and current:
            lines.append(current)
            current = char
        else:
            current += char
    if current:
        lines.append(current)
    return lines


def draw_seal(page, centre, radius, text, rng):
    """A red round seal: ring, five-pointed star, the unit's name on the arc, 合同专用章 below."""
    size = radius * 2 + 20
    seal = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    red = (215, 30, 35, 210)
    c = size // 2
    draw.ellipse((c - radius, c - radius, c + radius, c + radius), outline=red, width=14)
    star = []
    for k in range(10):
        r = 70 if k % 2 == 0 else 28
        angle = -math.pi / 2 + k * math.pi / 5
        star.append((c + r * math.cos(angle), c + r * math.sin(angle)))
    draw.polygon(star, fill=red)
    arc_face = font(46)
    span = math.radians(220)
    for index, char in enumerate(text):
        angle = -math.pi / 2 - span / 2 + span * (index + 0.5) / len(text)
        glyph = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((30, 30), char, font=arc_face, fill=red, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x = c + (radius - 52) * math.cos(angle) - 30
        y = c + (radius - 52) * math.sin(angle) - 30
        seal.alpha_composite(glyph, (int(x), int(y)))
    draw.text((c, c + 105), "合同专用章", font=font(38), fill=red, anchor="mm")
    # Ink is uneven: thin out random specks of the seal.
    alpha = seal.getchannel("A")
    holes = Image.effect_noise((size, size), 80).point(lambda v: 0 if v > 200 else 255)
    seal.putalpha(Image.composite(alpha, Image.new("L", (size, size), 0), holes))
    page.alpha_composite(seal, (centre[0] - c, centre[1] - c))


def render(blocks, seed, seal_at=None, seal_text="内蒙古工业大学", body_px=50):
    """A greyscale 300-dpi scan of `blocks` (title, line, para, gap), with a seal at `seal_at`
    (a block index: the seal is drawn over that block's first line)."""
    rng = random.Random(seed)
    page = Image.new("RGBA", (WIDTH, HEIGHT), (255, 255, 255, 255))
    draw = ImageDraw.Draw(page)
    body, title = font(body_px), font(84)
    line = round(body_px * 1.68)
    left, right, y = 250, WIDTH - 250, 300
    positions = []
    for kind, text in blocks:
        positions.append(y)
        if kind == "title":
            draw.text((WIDTH // 2, y + 40), text, font=title, fill=(20, 20, 20, 255), anchor="mm")
            y += 170
        elif kind == "gap":
            y += 90
        elif kind == "line":
            draw.text((left, y), text, font=body, fill=(25, 25, 25, 255))
            y += line
        else:
            for number, text_line in enumerate(wrap(text, body, right - left - 100)):
                x = left + (100 if number == 0 else 0)
                draw.text((x, y), text_line, font=body, fill=(25, 25, 25, 255))
                y += line
            y += 24
    if seal_at is not None:
        draw_seal(page, (620, positions[seal_at] + 40), 250, seal_text, rng)
    grey = page.convert("L")
    # Scanner: slight blur, a turn of 1.5 degrees, paper grain, dust.
    grey = grey.filter(ImageFilter.GaussianBlur(0.7))
    grey = grey.rotate(1.5, resample=Image.BICUBIC, fillcolor=255)
    # Grain on about one pixel in seventy: dense grain would make the PNG and TIFF fixtures megabytes.
    grain = Image.effect_noise((WIDTH, HEIGHT), 10).point(lambda v: max(0, v - 150) * 3)
    grey = ImageChops.subtract(grey, grain)
    draw = ImageDraw.Draw(grey)
    for _ in range(1500):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        r = rng.choice([1, 1, 2, 3])
        draw.ellipse((x, y, x + r, y + r), fill=rng.randrange(40, 160))
    return grey


def agreement_page():
    return render(AGREEMENT, seed=417, seal_at=len(AGREEMENT) - 3)


def annex_page():
    return render(ANNEX, seed=420)


def bench_page(number, body_px=50):
    rng = random.Random(number)
    sentences = BENCH_SENTENCES[:]
    rng.shuffle(sentences)
    paragraphs = []
    for k in range(0, len(sentences), 3):
        paragraphs.append(("para", "".join(sentences[k:k + 3])))
    blocks = [("title", "技术转让合同（第%d页）" % number)] + paragraphs + [("gap", ""), ("line", "甲方（盖合同专用章）：          乙方（盖合同专用章）：")]
    return render(blocks, seed=1000 + number, seal_at=len(blocks) - 1, body_px=body_px)


def jpeg_bytes(image, quality=80):
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, dpi=(DPI, DPI))
    return out.getvalue()


def serialize_pdf(objects, root=1):
    """A PDF 1.4 file of `objects` (bytes each, numbered from 1) with catalog `root`."""
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


def stream(dictionary, data):
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def pdf(pages):
    """A PDF of A4 pages; each page is ("scan", jpeg_bytes, width, height) or ("text", [lines])."""
    objects = [None, None, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for page in pages:
        if page[0] == "scan":
            _, data, width, height = page[:4]
            objects.append(stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode" % (width, height), data))
            image = len(objects)
            content = b"q 595.28 0 0 841.89 0 0 cm /Im0 Do Q"
            if len(page) > 4:
                # A typed page that also shows an image: its text layer needs no OCR.
                content += b" BT /F1 14 Tf 72 770 Td 18 TL " + b" ".join(b"(%s) '" % line.encode("ascii") for line in page[4]) + b" ET"
            objects.append(stream(b"", content))
            resources = b"<< /XObject << /Im0 %d 0 R >> >>" % image
            if len(page) > 4:
                resources = b"<< /XObject << /Im0 %d 0 R >> /Font << /F1 3 0 R >> >>" % image
        else:
            text = b"BT /F1 14 Tf 72 770 Td 18 TL " + b" ".join(b"(%s) '" % line.encode("ascii") for line in page[1]) + b" ET"
            objects.append(stream(b"", text))
            resources = b"<< /Font << /F1 3 0 R >> >>"
        contents = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents %d 0 R /Resources %s >>" % (contents, resources))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    return serialize_pdf(objects)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def huge_claim_png():
    """A valid PNG signature and IHDR for 100000 x 100000 8-bit grey, then one tiny IDAT."""
    ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b"")


def huge_claim_tiff():
    """A little-endian TIFF with one strip, claiming 100000 x 100000 8-bit grey pixels."""
    entries = [
        (256, 4, 1, 100000),  # ImageWidth
        (257, 4, 1, 100000),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 1),  # Photometric: black is zero
        (273, 4, 1, 8),  # StripOffsets
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, 100000),  # RowsPerStrip
        (279, 4, 1, 16),  # StripByteCounts (a lie: the pixels are not there)
    ]
    ifd_offset = 8 + 16
    out = b"II*\x00" + struct.pack("<I", ifd_offset) + b"\x00" * 16
    out += struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        packed = struct.pack("<HHI", tag, kind, count) + (struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value))
        out += packed
    return out + struct.pack("<I", 0)


def write(path, data):
    with open(path, "wb") as handle:
        handle.write(data)


def fixtures(folder):
    os.makedirs(folder, exist_ok=True)
    agreement, annex = agreement_page(), annex_page()
    agreement_jpeg, annex_jpeg = jpeg_bytes(agreement), jpeg_bytes(annex)
    write(os.path.join(folder, "agreement.jpg"), agreement_jpeg)
    agreement.save(os.path.join(folder, "agreement.png"), "PNG", dpi=(DPI, DPI), optimize=True)
    # Copies: Pillow 13 keeps an earlier save's encoder options on an image, and its TIFF writer trips on them.
    agreement.copy().save(os.path.join(folder, "agreement-2p.tiff"), "TIFF", dpi=(DPI, DPI), compression="tiff_adobe_deflate", save_all=True, append_images=[annex.copy()])
    write(os.path.join(folder, "agreement.pdf"), pdf([("scan", agreement_jpeg, WIDTH, HEIGHT)]))
    text_pages = [
        ("text", ["TECHNOLOGY TRANSFER AGREEMENT", "Party A: Inner Mongolia University of Technology", "Party B: Grassland New Materials Co., Ltd."]),
        ("text", ["Article 1. Party A transfers the patent right to Party B.", "Article 2. Confidentiality obligations apply for five years."]),
    ]
    write(os.path.join(folder, "text-layer.pdf"), pdf(text_pages))
    write(os.path.join(folder, "mixed.pdf"), pdf([text_pages[0], ("scan", annex_jpeg, WIDTH, HEIGHT)]))
    # A scanner feeding the sheet sideways stores the image turned; /Rotate 90 (clockwise)
    # shows it upright, as a viewer and poppler's renderer do.
    sideways = annex.rotate(90, expand=True)
    write(os.path.join(folder, "rotated.pdf"), serialize_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode" % sideways.size, jpeg_bytes(sideways)),
        stream(b"", b"q 841.89 0 0 595.28 0 0 cm /Im0 Do Q"),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 841.89 595.28] /Rotate 90 /Contents 4 0 R /Resources << /XObject << /Im0 3 0 R >> >> >>",
    ]))
    write(os.path.join(folder, "huge-page.pdf"), serialize_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R /Resources << >> >>",
        stream(b"", b"0.5 g 0 0 14400 14400 re f"),
    ]))
    agreement.crop((250, 300, 890, 700)).convert("CMYK").save(os.path.join(folder, "cmyk.jpg"), "JPEG", quality=60)
    write(os.path.join(folder, "huge-claim.png"), huge_claim_png())
    write(os.path.join(folder, "huge-claim.tiff"), huge_claim_tiff())


def bench(count, output, body_px=50, typed=False):
    """N scanned pages; with typed, the same pages each with a text layer too (a born-digital
    PDF of the same size, which needs no OCR: the filing benchmark's comparison)."""
    pages = []
    for number in range(1, count + 1):
        image = bench_page(number, body_px)
        page = ("scan", jpeg_bytes(image), WIDTH, HEIGHT)
        if typed:
            page += (["TECHNOLOGY TRANSFER AGREEMENT, page %d" % number],)
        pages.append(page)
    write(output, pdf(pages))


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] in ("--bench", "--bench-typed"):
        bench(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 50, typed=sys.argv[1] == "--bench-typed")
    else:
        fixtures(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
