#!/usr/bin/env python3
"""Builds the OFD test fixtures in Tests/Fixtures/ofd by hand: zip members and XML written
here, SM2 keys and certificates made with `openssl`, the SES_Signature (GB/T 38540 V4 and
GM/T 0031 V1) and the GB/T 35275 SignedData encoded here in DER and signed with
`openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:1234567812345678`.

Usage: make-ofd-fixtures.py [OUTDIR]          the committed fixtures (default Tests/Fixtures/ofd)
       make-ofd-fixtures.py --bench OUTFILE   a 100-page per-character OFD for the benchmark
       make-ofd-fixtures.py --bombs OUTDIR    large zip bombs for the peak-RSS measurement

Signatures are randomized, so rerunning changes the sealed fixtures' bytes (not their meaning).
Needs Python 3.11 with hashlib's sm3 (OpenSSL 3) and the openssl command.
"""
import base64
import datetime
import hashlib
import os
import subprocess
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path

NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
DATE = (2021, 4, 20, 9, 30, 0)
SM2_ID = "1234567812345678"
SM2_SM3 = "1.2.156.10197.1.501"
SM3_OID = "1.2.156.10197.1.401"


# --------------------------------------------------------------------------- zip


def write_zip(path, members, compression=zipfile.ZIP_DEFLATED):
    """members: list of (name, bytes) or (ZipInfo, bytes); written in order with a fixed date."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members:
            info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name, DATE)
            info.compress_type = compression
            if isinstance(data, str):
                data = data.encode("utf-8")
            archive.writestr(info, data)


# --------------------------------------------------------------------------- OFD parts


def ofd_xml(title="技术转让合同", author="内蒙古工业大学", signatures=None, extra=""):
    sig = f"<ofd:Signatures>{signatures}</ofd:Signatures>" if signatures else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD {NS} Version="1.0" DocType="OFD">
  <ofd:DocBody>
    <ofd:DocInfo>
      <ofd:DocID>b1c5e0d2a9f84c1e9d0b7e5f3a2c4d6e</ofd:DocID>
      <ofd:Title>{title}</ofd:Title>
      <ofd:Author>{author}</ofd:Author>
      <ofd:CreationDate>2021-04-20</ofd:CreationDate>
      <ofd:ModDate>2021-04-21</ofd:ModDate>
      <ofd:Creator>dossier fixture script</ofd:Creator>
    </ofd:DocInfo>
    <ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>{sig}{extra}
  </ofd:DocBody>
</ofd:OFD>
"""


def document_xml(pages, templates=(), page_res=True):
    tpl = "".join(f'<ofd:TemplatePage ID="{tid}" BaseLoc="{loc}"/>' for tid, loc in templates)
    page_list = "".join(f'<ofd:Page ID="{10 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(pages))
    res = "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>" if page_res else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document {NS}>
  <ofd:CommonData>
    <ofd:MaxUnitID>999</ofd:MaxUnitID>
    <ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>
    {res}{tpl}
  </ofd:CommonData>
  <ofd:Pages>{page_list}</ofd:Pages>
</ofd:Document>
"""


PUBLIC_RES = f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Res {NS} BaseLoc="Res">
  <ofd:Fonts><ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts>
  <ofd:CompositeGraphicUnits>
    <ofd:CompositeGraphicUnit ID="77" Width="40" Height="10">
      <ofd:Content>
        <ofd:TextObject ID="78" Boundary="0 0 40 10" Font="3" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="g 2 5">签章处</ofd:TextCode></ofd:TextObject>
      </ofd:Content>
    </ofd:CompositeGraphicUnit>
  </ofd:CompositeGraphicUnits>
</ofd:Res>
"""


class Ids:
    def __init__(self, start=100):
        self.value = start

    def next(self):
        self.value += 1
        return self.value


def char_objects(ids, text, x, y, size=5.0, advance=None, gap_after=None):
    """One TextObject per character, each with its own Boundary, as PDF-to-OFD converters write."""
    advance = advance or size
    out = []
    for index, char in enumerate(text):
        width = advance if ord(char) > 0x2E80 else advance * 0.5
        out.append(
            f'<ofd:TextObject ID="{ids.next()}" Boundary="{x:.3f} {y - size:.3f} {width:.3f} {size * 1.2:.3f}" Font="3" Size="{size}">'
            f'<ofd:TextCode X="0" Y="{size:.3f}">{escape(char)}</ofd:TextCode></ofd:TextObject>'
        )
        x += width
        if gap_after and index in gap_after:
            x += gap_after[index]
    return "".join(out), x


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def layer_type(kind):
    return f' Type="{kind}"' if kind else ""


def page_xml(layers, area=None):
    area_xml = f"<ofd:Area><ofd:PhysicalBox>{area}</ofd:PhysicalBox></ofd:Area>" if area else ""
    body = "".join(f'<ofd:Layer ID="{lid}"{layer_type(kind)}>{content}</ofd:Layer>' for lid, kind, content in layers)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Page {NS}>{area_xml}<ofd:Content>{body}</ofd:Content></ofd:Page>
"""


def contract_page():
    ids = Ids()
    parts = []
    title, _ = char_objects(ids, "技术转让合同", 70, 30, size=10)
    parts.append(title)
    line, _ = char_objects(ids, "第三条收益分配：甲方占30%，乙方占70%。", 20, 50, size=5, gap_after={2: 5})
    parts.append(line)
    english, _ = char_objects(ids, "Patent", 20, 60, size=5)
    parts.append(english)
    number, _ = char_objects(ids, "CN202110345678.9", 40, 60, size=5)
    parts.append(number)
    # A whole word in one TextCode, placed by DeltaX with the g repetition syntax.
    parts.append(
        f'<ofd:TextObject ID="{ids.next()}" Boundary="20 65 100 8" Font="3" Size="5">'
        '<ofd:TextCode X="0" Y="5" DeltaX="g 4 5">转让方式为独占许可</ofd:TextCode>'
        '<ofd:TextCode X="60" DeltaX="5 5 g 2 5">合同专用章</ofd:TextCode></ofd:TextObject>'
    )
    # Fake bold: the same characters drawn twice at the same spot.
    bold, _ = char_objects(ids, "保密条款", 20, 80, size=5)
    parts.append(bold)
    parts.append(bold.replace('ID="', 'ID="9'))
    # A vertical label: 购/买/方 stacked, each alone on its line.
    for index, char in enumerate("购买方"):
        obj, _ = char_objects(ids, char, 12, 100 + index * 6, size=5)
        parts.append(obj)
    # A page block, and a composite object whose text lives in PublicRes.xml.
    block, _ = char_objects(ids, "甲方：内蒙古工业大学", 20, 130, size=5)
    parts.append(f'<ofd:PageBlock ID="{ids.next()}">{block}</ofd:PageBlock>')
    parts.append(f'<ofd:CompositeObject ID="{ids.next()}" ResourceID="77" Boundary="120 140 40 10"/>')
    # Text outside the page box is not read.
    outside, _ = char_objects(ids, "页外", 250, 20, size=5)
    parts.append(outside)
    layer2, _ = char_objects(ids, "附件一：技术资料清单", 20, 160, size=5)
    return page_xml([("1", "Body", "".join(parts)), ("2", "Foreground", layer2)])


def contract_ofd():
    return [
        ("OFD.xml", ofd_xml()),
        ("Doc_0/Document.xml", document_xml(1)),
        ("Doc_0/PublicRes.xml", PUBLIC_RES),
        ("Doc_0/Pages/Page_0/Content.xml", contract_page()),
    ]


def template_ofd(pages=3, bench=False):
    ids = Ids(500)
    header, _ = char_objects(ids, "内蒙古工业大学科技成果转化档案", 40, 15, size=4)
    footer, _ = char_objects(ids, "密级：内部", 150, 285, size=4)
    template = page_xml([("1", "Background", header + footer)])
    members = [
        ("OFD.xml", ofd_xml(title="赋权协议", author="张律师")),
        ("Doc_0/Document.xml", document_xml(pages, templates=[("5", "Tpls/Tpl_0/Content.xml")])),
        ("Doc_0/PublicRes.xml", PUBLIC_RES),
        ("Doc_0/Tpls/Tpl_0/Content.xml", template),
    ]
    clauses = [
        "第一条 本协议依据《中华人民共和国促进科技成果转化法》订立。",
        "第二条 学校将职务科技成果所有权的百分之七十赋予完成人团队。",
        "第三条 收益分配：转化净收入的百分之七十归完成人团队，百分之三十归学校。",
        "第四条 决策机制：转化方式由团队代表与学校技术转移中心共同决定。",
        "第五条 费用分担：专利维持费用按所有权份额分担。",
    ]
    for number in range(pages):
        ids = Ids(1000 + number * 10000)
        body = []
        heading, _ = char_objects(ids, f"第{number + 1}页", 95, 40, size=6)
        body.append(heading)
        lines = clauses * (6 if bench else 1)
        for row, clause in enumerate(lines):
            text, _ = char_objects(ids, clause, 20, 60 + row * 7, size=4.5)
            body.append(text)
        layers = [("1", "Body", "".join(body))]
        if number == 1:
            note, _ = char_objects(ids, "批注：已核对", 150, 270, size=4)
            layers.append(("2", "Foreground", note))
        content = page_xml(layers).replace("<ofd:Content>", '<ofd:Template TemplateID="5" ZOrder="Background"/><ofd:Content>', 1)
        members.append((f"Doc_0/Pages/Page_{number}/Content.xml", content))
    return members


# --------------------------------------------------------------------------- DER


def der_length(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag, content):
    return bytes([tag]) + der_length(len(content)) + content


def seq(*items):
    return tlv(0x30, b"".join(items))


def der_int(value):
    body = value.to_bytes(max(1, (value.bit_length() + 8) // 8), "big", signed=True)
    return tlv(0x02, body)


def oid(dotted):
    arcs = [int(a) for a in dotted.split(".")]
    body = bytearray()
    for arc in [arcs[0] * 40 + arcs[1]] + arcs[2:]:
        chunk = [arc & 0x7F]
        arc >>= 7
        while arc:
            chunk.insert(0, 0x80 | (arc & 0x7F))
            arc >>= 7
        body.extend(chunk)
    return tlv(0x06, bytes(body))


def ia5(text):
    return tlv(0x16, text.encode("ascii"))


def utf8(text):
    return tlv(0x0C, text.encode("utf-8"))


def octets(data):
    return tlv(0x04, data)


def bits(data):
    return tlv(0x03, b"\x00" + data)


def gtime(moment):
    return tlv(0x18, moment.strftime("%Y%m%d%H%M%SZ").encode())


def explicit(number, content):
    return tlv(0xA0 | number, content)


# --------------------------------------------------------------------------- keys and signing


def run(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, **kw)


class PKI:
    """An SM2 CA, a signer certificate it issued, and an unrelated CA."""

    def __init__(self, folder):
        self.folder = Path(folder)
        f = self.folder
        for name in ("ca", "signer", "other"):
            run("openssl", "genpkey", "-algorithm", "SM2", "-out", str(f / f"{name}.key"))
        sig = ["-sigopt", f"distid:{SM2_ID}"]
        run("openssl", "req", "-new", "-x509", "-key", str(f / "ca.key"), "-sm3", "-days", "7300", "-utf8",
            "-subj", "/C=CN/O=内蒙古工业大学/CN=IMUT Test Seal CA", "-set_serial", "1",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            "-out", str(f / "ca.pem"), *sig)
        run("openssl", "req", "-new", "-x509", "-key", str(f / "other.key"), "-sm3", "-days", "7300", "-utf8",
            "-subj", "/C=CN/CN=Unrelated CA", "-set_serial", "9", "-out", str(f / "other-ca.pem"), *sig)
        run("openssl", "req", "-new", "-key", str(f / "signer.key"), "-sm3", "-utf8",
            "-subj", "/C=CN/O=内蒙古工业大学/CN=内蒙古工业大学合同专用章", "-out", str(f / "signer.csr"), *sig)
        ext = f / "ext.cnf"
        ext.write_text("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n")
        run("openssl", "x509", "-req", "-in", str(f / "signer.csr"), "-CA", str(f / "ca.pem"), "-CAkey", str(f / "ca.key"),
            "-sm3", "-days", "3650", "-set_serial", "4660", "-extfile", str(ext), "-out", str(f / "signer.pem"),
            *sig, "-vfyopt", f"distid:{SM2_ID}")
        # The validity starts now: back-date signing times no earlier than this.
        self.ca_der = self.der("ca.pem")
        self.signer_der = self.der("signer.pem")
        self.other_der = self.der("other-ca.pem")

    def der(self, pem):
        return run("openssl", "x509", "-in", str(self.folder / pem), "-outform", "DER").stdout

    def sign(self, key, message):
        with tempfile.NamedTemporaryFile(dir=self.folder, delete=False) as handle:
            handle.write(message)
        out = run("openssl", "pkeyutl", "-sign", "-inkey", str(self.folder / f"{key}.key"), "-rawin", "-digest", "sm3",
                  "-pkeyopt", f"distid:{SM2_ID}", "-in", handle.name).stdout
        os.unlink(handle.name)
        return out


TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def seal_v4(pki, now):
    property_info = seq(
        der_int(1), utf8("合同专用章"), der_int(1), seq(octets(pki.signer_der)),
        gtime(now), gtime(now), gtime(now + datetime.timedelta(days=3650)),
    )
    seal_info = seq(
        seq(ia5("ES"), der_int(4), ia5("dossier-fixtures")),
        ia5("IMUT-SEAL-0001"),
        property_info,
        seq(ia5("PNG"), octets(TINY_PNG), der_int(40), der_int(40)),
    )
    maker_signature = pki.sign("ca", seal_info)
    return seq(seal_info, octets(pki.ca_der), oid(SM2_SM3), bits(maker_signature))


def seal_v1(pki, now):
    property_info = seq(
        der_int(1), utf8("合同专用章"), seq(octets(pki.signer_der)),
        tlv(0x17, now.strftime("%y%m%d%H%M%SZ").encode()), tlv(0x17, now.strftime("%y%m%d%H%M%SZ").encode()),
        tlv(0x17, (now + datetime.timedelta(days=3650)).strftime("%y%m%d%H%M%SZ").encode()),
    )
    seal_info = seq(
        seq(ia5("ES"), der_int(1), ia5("dossier-fixtures")),
        ia5("IMUT-SEAL-0001"),
        property_info,
        seq(ia5("PNG"), octets(TINY_PNG), der_int(40), der_int(40)),
    )
    maker_signature = pki.sign("ca", seal_info)
    sign_info = seq(octets(pki.ca_der), oid(SM2_SM3), bits(maker_signature))
    return seq(seal_info, sign_info)


def ses_signature_v4(pki, signature_xml, now):
    seal = seal_v4(pki, now)
    tbs = seq(der_int(4), seal, gtime(now), bits(hashlib.new("sm3", signature_xml).digest()),
              ia5("/Doc_0/Signs/Sign_0/Signature.xml"))
    signature = pki.sign("signer", tbs)
    return seq(tbs, octets(pki.signer_der), oid(SM2_SM3), bits(signature)), seal, tbs, signature


def ses_signature_v1(pki, signature_xml, now):
    seal = seal_v1(pki, now)
    # V1 producers (ofdrw among them) write local China time as text.
    local = now + datetime.timedelta(hours=8)
    tbs = seq(der_int(1), seal, bits(local.strftime("%Y-%m-%d %H:%M:%S").encode()),
              bits(hashlib.new("sm3", signature_xml).digest()), ia5("/Doc_0/Signs/Sign_0/Signature.xml"),
              octets(pki.signer_der), oid(SM2_SM3))
    signature = pki.sign("signer", tbs)
    return seq(tbs, bits(signature)), seal, tbs, signature


def signed_data(pki, signature_xml):
    """GB/T 35275 SignedData: content = SM3(Signature.xml), signature over it (no attributes)."""
    digest = hashlib.new("sm3", signature_xml).digest()
    signature = pki.sign("signer", digest)
    serial = der_int(4660)
    issuer = certificate_issuer(pki.signer_der)
    signer_info = seq(
        der_int(1), seq(issuer, serial), seq(oid(SM3_OID)), seq(oid("1.2.156.10197.1.301.1")), octets(signature)
    )
    body = seq(
        der_int(1), tlv(0x31, seq(oid(SM3_OID))),
        seq(oid("1.2.156.10197.6.1.4.2.1"), explicit(0, octets(digest))),
        explicit(0, pki.signer_der), tlv(0x31, signer_info),
    )
    return seq(oid("1.2.156.10197.6.1.4.2.2"), explicit(0, body))


def certificate_issuer(cert_der):
    """The issuer Name of a certificate, read with a minimal DER walk."""
    def element(data, offset):
        tag = data[offset]
        length = data[offset + 1]
        start = offset + 2
        if length & 0x80:
            count = length & 0x7F
            length = int.from_bytes(data[start:start + count], "big")
            start += count
        return tag, offset, start, start + length

    _, _, start, _ = element(cert_der, 0)            # Certificate
    _, _, tbs_start, _ = element(cert_der, start)    # TBSCertificate
    offset = tbs_start
    fields = []
    while len(fields) < 4:
        tag, head, _, end = element(cert_der, offset)
        fields.append((tag, head, end))
        offset = end
    if fields[0][0] == 0xA0:                         # [0] version
        fields = fields[1:]
    _, head, end = fields[2]                         # serial, signature, issuer
    return cert_der[head:end]


def signature_xml(references, kind_method=SM2_SM3, check_method=SM3_OID, when="20210421093000"):
    refs = "".join(
        f'<ofd:Reference FileRef="/{name}"><ofd:CheckValue>{base64.b64encode(hashlib.new("sm3", data).digest()).decode()}</ofd:CheckValue></ofd:Reference>'
        for name, data in references
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Signature {NS}><ofd:SignedInfo><ofd:Provider ProviderName="dossier-fixtures" Company="IMUT" Version="1.0"/><ofd:SignatureMethod>{kind_method}</ofd:SignatureMethod><ofd:SignatureDateTime>{when}</ofd:SignatureDateTime><ofd:References CheckMethod="{check_method}">{refs}</ofd:References><ofd:StampAnnot ID="1" PageRef="10" Boundary="120 130 40 40"/><ofd:Seal><ofd:BaseLoc>Seal.esl</ofd:BaseLoc></ofd:Seal></ofd:SignedInfo><ofd:SignedValue>/Doc_0/Signs/Sign_0/SignedValue.dat</ofd:SignedValue></ofd:Signature>
""".encode("utf-8")


def signatures_list(kind="Seal"):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ofd:Signatures {NS}><ofd:MaxSignId>1</ofd:MaxSignId><ofd:Signature ID="1" Type="{kind}" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>
"""


def sealed_members(pki, version="v4", kind="Seal", value_override=None, unreferenced=None):
    base = contract_ofd()
    base[0] = ("OFD.xml", ofd_xml(signatures="Doc_0/Signs/Signatures.xml"))
    protected = [(name, data.encode("utf-8") if isinstance(data, str) else data) for name, data in base]
    if unreferenced:
        base.append(unreferenced)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    # SignatureDateTime is the signer's claim of when (local China time, as producers write it):
    # the chain is checked then, so it must fall inside the certificates' validity, which starts now.
    xml = signature_xml(protected, when=(now + datetime.timedelta(hours=8)).strftime("%Y%m%d%H%M%S"))
    extra = []
    if kind == "Sign":
        value = value_override if value_override is not None else signed_data(pki, xml)
    elif version == "v4":
        value, seal, tbs, sig = ses_signature_v4(pki, xml, now)
        extra = [("Doc_0/Signs/Sign_0/Seal.esl", seal)]
    else:
        value, seal, tbs, sig = ses_signature_v1(pki, xml, now)
        extra = [("Doc_0/Signs/Sign_0/Seal.esl", seal)]
    if kind == "Sign":
        xml = xml.replace(b"<ofd:Seal><ofd:BaseLoc>Seal.esl</ofd:BaseLoc></ofd:Seal>", b"")
        value = value_override if value_override is not None else signed_data(pki, xml)
    members = base + [
        ("Doc_0/Signs/Signatures.xml", signatures_list(kind)),
        ("Doc_0/Signs/Sign_0/Signature.xml", xml),
        ("Doc_0/Signs/Sign_0/SignedValue.dat", value),
    ] + extra
    return members


def replace_member(members, name, transform):
    return [(n, transform(d.encode("utf-8") if isinstance(d, str) else d) if n == name else d) for n, d in members]


# --------------------------------------------------------------------------- hostile files


def hostile(out):
    minimal = contract_ofd()
    write_zip(out / "bomb-ratio.ofd", minimal + [("Doc_0/Res/bomb.bin", b"\0" * (8 << 20))])
    write_zip(out / "bomb-total.ofd", minimal + [(f"Doc_0/Res/part{i}.bin", b"\0" * (256 << 10)) for i in range(6)])
    write_zip(out / "many-members.ofd", minimal + [(f"Doc_0/Res/r{i}.txt", b"x") for i in range(300)])
    for label, name in [("dotdot", "Doc_0/../../evil.xml"), ("absolute", "/etc/evil.xml"), ("backslash", "Doc_0\\evil.xml")]:
        write_zip(out / f"{label}.ofd", minimal + [(name, b"<x/>")])
    link = zipfile.ZipInfo("Doc_0/link.xml", DATE)
    link.create_system = 3
    link.external_attr = (0o120777 << 16)
    write_zip(out / "symlink.ofd", minimal + [(link, b"/etc/passwd")], compression=zipfile.ZIP_STORED)
    with warnings.catch_warnings(), zipfile.ZipFile(out / "duplicate.ofd", "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")
        for name, data in minimal + [("Doc_0/Document.xml", document_xml(1))]:
            archive.writestr(zipfile.ZipInfo(name, DATE), data)
    laughs = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10)
    ) + ']>\n<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocInfo><ofd:Title>&lol9;</ofd:Title></ofd:DocInfo></ofd:DocBody></ofd:OFD>\n'
    write_zip(out / "billion-laughs.ofd", [("OFD.xml", laughs)] + minimal[1:])
    xxe = contract_page().replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                                  '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n')
    xxe = xxe.replace("附件一", "&xxe;")
    write_zip(out / "external-entity.ofd", replace_member(minimal, "Doc_0/Pages/Page_0/Content.xml", lambda _: xxe.encode()))
    undefined = contract_page().replace(">技<", ">&nbsp;<", 1)
    write_zip(out / "undefined-entity.ofd", replace_member(minimal, "Doc_0/Pages/Page_0/Content.xml", lambda _: undefined.encode()))
    deep = page_xml([("1", None, "<ofd:PageBlock>" * 10000 + "</ofd:PageBlock>" * 10000)])
    write_zip(out / "deep.ofd", replace_member(minimal, "Doc_0/Pages/Page_0/Content.xml", lambda _: deep.encode()))
    def text_object(code):
        return page_xml([("1", None, f'<ofd:TextObject ID="1" Boundary="0 0 100 10" Size="5">{code}</ofd:TextObject>')])
    for label, code in [
        ("huge-repeat", '<ofd:TextCode X="0" Y="5" DeltaX="g 1000000000 3.5">技术</ofd:TextCode>'),
        ("long-deltax", '<ofd:TextCode X="0" Y="5" DeltaX="' + " ".join(["1"] * 200_000) + '">技术</ofd:TextCode>'),
        ("huge-codecount", '<ofd:CGTransform CodePosition="0" CodeCount="99999999" GlyphCount="1"><ofd:Glyphs>5</ofd:Glyphs></ofd:CGTransform><ofd:TextCode X="0" Y="5">技术</ofd:TextCode>'),
    ]:
        write_zip(out / f"{label}.ofd", replace_member(minimal, "Doc_0/Pages/Page_0/Content.xml", lambda _, c=code: text_object(c).encode()))
    # Composite units that draw themselves twice: 2^32 objects if followed blindly.
    loop_res = PUBLIC_RES.replace(
        '<ofd:TextObject ID="78" Boundary="0 0 40 10" Font="3" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="g 2 5">签章处</ofd:TextCode></ofd:TextObject>',
        '<ofd:CompositeObject ID="79" ResourceID="77" Boundary="0 0 1 1"/><ofd:CompositeObject ID="80" ResourceID="77" Boundary="1 1 1 1"/>')
    write_zip(out / "composite-loop.ofd", replace_member(minimal, "Doc_0/PublicRes.xml", lambda _: loop_res.encode()))
    missing = [(n, d) for n, d in minimal if n != "Doc_0/Pages/Page_0/Content.xml"]
    write_zip(out / "missing-page.ofd", missing)
    (out / "not-zip.ofd").write_text("这不是一个 OFD 文件\n", encoding="utf-8")


def bombs(out):
    """Large bombs for the peak-RSS script (not committed)."""
    out.mkdir(parents=True, exist_ok=True)
    minimal = contract_ofd()
    for file, member_name in [("bomb-1g.ofd", "Doc_0/Res/bomb.xml"), ("bomb-1g-bin.ofd", "Doc_0/Res/bomb.bin")]:
        with zipfile.ZipFile(out / file, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name, data in minimal:
                archive.writestr(zipfile.ZipInfo(name, DATE), data)
            info = zipfile.ZipInfo(member_name, DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as member:
                block = b"\0" * (1 << 20)
                for _ in range(1024):
                    member.write(block)
    # Many members of incompressible data: the total limit, not the ratio, stops it.
    with zipfile.ZipFile(out / "bomb-total.ofd", "w", zipfile.ZIP_STORED) as archive:
        for name, data in minimal:
            archive.writestr(zipfile.ZipInfo(name, DATE), data)
        block = os.urandom(1 << 20)
        for index in range(40):
            info = zipfile.ZipInfo(f"Doc_0/Res/part{index}.bin", DATE)
            with archive.open(info, "w", force_zip64=True) as member:
                for _ in range(16):
                    member.write(block)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--bench":
        write_zip(sys.argv[2], template_ofd(pages=100, bench=True))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--bombs":
        bombs(Path(sys.argv[2]))
        return
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "Tests/Fixtures/ofd"
    out.mkdir(parents=True, exist_ok=True)
    write_zip(out / "contract-chars.ofd", contract_ofd())
    write_zip(out / "multipage-template.ofd", template_ofd())
    with tempfile.TemporaryDirectory() as folder:
        pki = PKI(folder)
        (out / "ca.pem").write_bytes((Path(folder) / "ca.pem").read_bytes())
        (out / "other-ca.pem").write_bytes((Path(folder) / "other-ca.pem").read_bytes())
        (out / "signer.pem").write_bytes((Path(folder) / "signer.pem").read_bytes())
        sealed = sealed_members(pki)
        write_zip(out / "sealed.ofd", sealed)
        # One content byte changed after sealing (30% → 31%).
        write_zip(out / "sealed-changed-content.ofd", replace_member(
            sealed, "Doc_0/Pages/Page_0/Content.xml", lambda d: d.replace(b">3<", b">4<", 1)))
        # The last byte of the SM2 signature flipped.
        def flip_signature(data):
            data = bytearray(data)
            data[-1] ^= 0x01
            return bytes(data)
        write_zip(out / "sealed-changed-signature.ofd", replace_member(sealed, "Doc_0/Signs/Sign_0/SignedValue.dat", flip_signature))
        # A member added after sealing: still valid, but no longer covering the whole document.
        write_zip(out / "sealed-added-member.ofd", sealed + [("Doc_0/Attachs/added.txt", "后加的附件")])
        write_zip(out / "sealed-v1.ofd", sealed_members(pki, version="v1"))
        write_zip(out / "signed-cms.ofd", sealed_members(pki, kind="Sign"))
        write_zip(out / "signed-raw.ofd", sealed_members(pki, kind="Sign", value_override=os.urandom(64)))
        # Sidecars for checking the V4 seal's signature with openssl directly.
        value = dict(sealed)["Doc_0/Signs/Sign_0/SignedValue.dat"]
        (out / "sealed.SignedValue.dat").write_bytes(value)
    hostile(out)
    print(f"fixtures written to {out}")


if __name__ == "__main__":
    main()
