#!/usr/bin/env python3
"""An independent check of an SM2 detached CMS (the tests' oracle): asn1crypto reads the CMS, hashlib's
SM3 hashes the content, and `openssl pkeyutl -verify` with the GM/T 0009 default signer ID checks the
signature over the signed attributes (re-tagged [0] -> SET, as RFC 5652 §5.4 says).

usage: sm2_oracle.py SIGNATURE.p7s CONTENT
       sm2_oracle.py --pdf FILE.pdf        (the first signature: /Contents over its /ByteRange)
prints {"digestMatches": bool, "signatureVerifies": bool}
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

from asn1crypto import cms, core


class AnyContentInfo(core.Sequence):
    """ContentInfo with any content type (GM/T 0010 renames signedData)."""
    _fields = [('content_type', core.ObjectIdentifier), ('content', core.Any, {'explicit': 0})]


def from_pdf(path):
    """The CMS and the signed bytes of the PDF's first signature, read with pyHanko."""
    import logging
    import warnings
    warnings.simplefilter('ignore')
    logging.disable(logging.CRITICAL)
    from pyhanko.pdf_utils.reader import PdfFileReader
    with open(path, 'rb') as f:
        sig = PdfFileReader(f, strict=False).embedded_signatures[0]
        start, first, second, length = sig.byte_range
        f.seek(start)
        signed = f.read(first)
        f.seek(second)
        signed += f.read(length)
        return sig.signed_data, signed


def main():
    if sys.argv[1] == '--pdf':
        sd, content = from_pdf(sys.argv[2])
    else:
        with open(sys.argv[1], 'rb') as f:
            sd = AnyContentInfo.load(f.read())['content'].parse(cms.SignedData)
        with open(sys.argv[2], 'rb') as f:
            content = f.read()
    signer = sd['signer_infos'][0]
    attrs = signer['signed_attrs']
    stated = next(a['values'][0].native for a in attrs if a['type'].dotted == '1.2.840.113549.1.9.4')
    actual = hashlib.new('sm3', content).digest()
    tbs = bytearray(attrs.dump(force=False))
    tbs[0] = 0x31
    sid = signer['sid'].chosen
    cert = next(c.chosen for c in sd['certificates']
                if c.chosen.serial_number == sid['serial_number'].native and c.chosen.issuer == sid['issuer'])
    with tempfile.TemporaryDirectory() as work:
        paths = {name: os.path.join(work, name) for name in ('tbs', 'sig', 'cert.der', 'pub.pem')}
        open(paths['tbs'], 'wb').write(bytes(tbs))
        open(paths['sig'], 'wb').write(signer['signature'].native)
        open(paths['cert.der'], 'wb').write(cert.dump())
        subprocess.run(['openssl', 'x509', '-inform', 'DER', '-in', paths['cert.der'], '-pubkey', '-noout',
                        '-out', paths['pub.pem']], check=True)
        verify = subprocess.run(['openssl', 'pkeyutl', '-verify', '-pubin', '-inkey', paths['pub.pem'], '-rawin',
                                 '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-in', paths['tbs'],
                                 '-sigfile', paths['sig']], capture_output=True)
    print(json.dumps({'digestMatches': stated == actual, 'signatureVerifies': verify.returncode == 0}))


if __name__ == '__main__':
    main()
