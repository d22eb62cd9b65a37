#!/usr/bin/env python3
"""Makes the signature fixtures in this folder (test-only keys; never use them for anything else).

Run with the validators' python (pyHanko; `scripts/setup.sh --validators` makes it):
  .venv/bin/python Tests/Fixtures/signatures/make-fixtures.py
Needs `openssl` (3.0) on PATH. Regenerating changes every file (fresh keys, times, IDs); the tests
only rely on what this script guarantees, never on particular bytes.

PKI (made with openssl):
  pki/rsa-ca        RSA 2048 root          pki/rsa-signer     RSA leaf (digitalSignature, nonRepudiation)
  pki/ec-ca         ECDSA P-256 root       pki/ec-signer      ECDSA P-256 leaf
  pki/sm2-ca        SM2 root (SM3, ID 1234567812345678)     pki/sm2-signer  SM2 leaf signed by it
  pki/tsa           RSA timestamping leaf of rsa-ca (extendedKeyUsage timeStamping, critical)
  pki/other-ca      an unrelated RSA root, the "wrong anchor" for untrusted verdicts
  pki/ed-ca         Ed25519 root            pki/ed-signer      Ed25519 leaf
  pki/expired-signer  RSA leaf of rsa-ca that expired in 2021
Every certificate is issued by `openssl ca` with fixed dates (2020-01-01 to 2045-01-01).
PDFs (signed by pyHanko):
  unsigned.pdf           one page, classic xref table
  unsigned-objstm.pdf    one page, xref stream, AcroForm and fields in an object stream: a
                         non-terminal field "Parties" (/FT /Sig) whose kid "Approval" is an empty
                         signature widget, and a text field "Name"
  rsa-pades.pdf          RSA, /SubFilter ETSI.CAdES.detached (signing time only in /M)
  ecdsa-objstm.pdf       ECDSA P-256 in unsigned-objstm.pdf's field "Parties.Approval",
                         /SubFilter adbe.pkcs7.detached (signingTime attribute)
  rsa-timestamped.pdf    RSA PAdES with an RFC 3161 signature timestamp (pki/tsa)
  two-signatures.pdf     rsa-pades.pdf + an ECDSA signature in a second field (incremental update)
  doc-timestamp.pdf      rsa-pades.pdf + a document timestamp (/DocTimeStamp, pki/tsa)
  expired-signer.pdf     RSA PAdES by pki/expired-signer
  ed25519.pdf            Ed25519 PAdES (OpenSSL 3.0's CMS code cannot verify EdDSA; the module does it directly)
  sm2-pdf.pdf            SM2/SM3 (GM/T 0009 default ID), adbe.pkcs7.detached: pyHanko builds the CMS,
                         `openssl pkeyutl` signs (pyHanko itself cannot validate SM2)
Detached CMS:
  agreement.txt(.p7s)        RSA, `openssl cms -sign -binary` (DER, detached)
  sm2-agreement.txt(.p7s)    SM2/SM3 with the GM/T 0009 default signer ID, built with asn1crypto and
                             `openssl pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:1234567812345678`
  sm2-gm-oids.txt(.p7s)      the same made with the GM/T 0010 content-type OIDs (1.2.156.10197.6.1.4.2.x)
"""
import datetime
import hashlib
import os
import subprocess
import sys
import tempfile

from asn1crypto import algos, cms, core

# asn1crypto does not name SM3 or SM2-with-SM3; pyHanko needs names to build the CMS of sm2-pdf.pdf.
algos.DigestAlgorithmId._map['1.2.156.10197.1.401'] = 'sm3'
algos.DigestAlgorithmId._reverse_map = None
algos.SignedDigestAlgorithmId._map['1.2.156.10197.1.501'] = 'sm2_sm3'
algos.SignedDigestAlgorithmId._reverse_map = None

from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils import generic, writer
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

HERE = os.path.dirname(os.path.abspath(__file__))
PKI = os.path.join(HERE, 'pki')
SM2_ID = '1234567812345678'


def run(*args, **kwargs):
    subprocess.run(args, check=True, cwd=PKI, stdout=subprocess.DEVNULL, **kwargs)


def write(path, text):
    with open(os.path.join(PKI, path), 'w') as f:
        f.write(text)


# Fixed validity (not "now + N days"), so the fixtures verify the same whatever the machine's clock says
# between 2020 and 2045.
NOT_BEFORE = '20200101000000Z'
NOT_AFTER = '20450101000000Z'


def make_pki():
    os.makedirs(PKI, exist_ok=True)
    write('ca.ext', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n'
          'subjectKeyIdentifier=hash\n')
    write('signer.ext', 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n'
          'subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n')
    write('tsa.ext', 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n'
          'extendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n')
    # `openssl ca` is the OpenSSL 3.0 tool that takes explicit dates (x509 -req only takes -days).
    work = tempfile.mkdtemp()
    open(os.path.join(work, 'index.txt'), 'w').close()
    with open(os.path.join(work, 'serial'), 'w') as f:
        f.write('1000\n')
    write('ca.cnf', f'[ca]\ndefault_ca=test\n[test]\ndatabase={work}/index.txt\nnew_certs_dir={work}\n'
          f'serial={work}/serial\ndefault_md=sha256\npolicy=any\nunique_subject=no\ncopy_extensions=none\n'
          'preserve=yes\nemail_in_dn=no\nstring_mask=utf8only\n'
          '[any]\ncountryName=optional\norganizationName=optional\ncommonName=supplied\n')

    def issue(name, keygen, subject, ca=None, ext='signer.ext', md='sha256', sm2=False,
              start=NOT_BEFORE, end=NOT_AFTER):
        """Key, CSR, then `openssl ca` (self-signed when `ca` is None) with fixed dates."""
        sigopts = ['-sigopt', f'distid:{SM2_ID}'] if sm2 else []
        vfyopts = ['-vfyopt', f'distid:{SM2_ID}'] if sm2 else []
        run('openssl', *keygen, '-out', f'{name}.key')
        run('openssl', 'req', '-utf8', '-new', '-key', f'{name}.key', *sigopts, '-subj', subject,
            '-out', f'{name}.csr')
        signer = ['-selfsign', '-keyfile', f'{name}.key'] if ca is None else ['-cert', f'{ca}.pem', '-keyfile', f'{ca}.key']
        run('openssl', 'ca', '-batch', '-utf8', '-config', 'ca.cnf', *signer, '-md', md, *sigopts, *vfyopts,
            '-rand_serial', '-startdate', start, '-enddate', end, '-extfile', ext,
            '-in', f'{name}.csr', '-out', f'{name}.pem', '-notext')
        os.remove(os.path.join(PKI, f'{name}.csr'))

    rsa = ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
    ec = ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']
    sm2 = ['genpkey', '-algorithm', 'SM2']
    ed = ['genpkey', '-algorithm', 'ED25519']
    issue('rsa-ca', rsa, '/C=CN/O=Dossier Test/CN=Dossier Test RSA CA', ext='ca.ext')
    issue('rsa-signer', rsa, '/C=CN/O=Dossier Test/CN=张律师 (RSA test signer)', 'rsa-ca')
    issue('tsa', rsa, '/C=CN/O=Dossier Test/CN=Dossier Test TSA', 'rsa-ca', ext='tsa.ext')
    issue('ec-ca', ec, '/C=CN/O=Dossier Test/CN=Dossier Test ECDSA CA', ext='ca.ext')
    issue('ec-signer', ec, '/C=CN/O=Dossier Test/CN=王芳 (ECDSA test signer)', 'ec-ca')
    issue('sm2-ca', sm2, '/C=CN/O=Dossier Test/CN=Dossier Test SM2 CA', ext='ca.ext', md='sm3', sm2=True)
    issue('sm2-signer', sm2, '/C=CN/O=Dossier Test/CN=李强 (SM2 test signer)', 'sm2-ca', md='sm3', sm2=True)
    issue('other-ca', rsa, '/C=CN/O=Somebody Else/CN=Unrelated Test CA', ext='ca.ext')
    issue('ed-ca', ed, '/C=CN/O=Dossier Test/CN=Dossier Test Ed25519 CA', ext='ca.ext', md='default')
    issue('ed-signer', ed, '/C=CN/O=Dossier Test/CN=赵敏 (Ed25519 test signer)', 'ed-ca', md='default')
    # A leaf that expired in 2021.
    issue('expired-signer', rsa, '/CN=Expired Test Signer', 'rsa-ca', end='20210101000000Z')
    os.remove(os.path.join(PKI, 'ca.cnf'))


def page_content(text):
    stream = f'BT /F1 24 Tf 72 720 Td ({text}) Tj ET'.encode('ascii')
    return generic.StreamObject(stream_data=stream)


def make_unsigned():
    font = generic.DictionaryObject({
        pdf_name('/Type'): pdf_name('/Font'), pdf_name('/Subtype'): pdf_name('/Type1'),
        pdf_name('/BaseFont'): pdf_name('/Helvetica')})
    resources = generic.DictionaryObject({
        pdf_name('/Font'): generic.DictionaryObject({pdf_name('/F1'): font})})

    w = writer.PdfFileWriter(stream_xrefs=False)
    page = writer.PageObject(contents=w.add_object(page_content('Ownership agreement, test copy')),
                             media_box=(0, 0, 595, 842), resources=resources)
    w.insert_page(page)
    with open(os.path.join(HERE, 'unsigned.pdf'), 'wb') as f:
        w.write(f)

    # Cross-reference stream, catalog content in an object stream, an empty signature field.
    w = writer.PdfFileWriter(stream_xrefs=True)
    objstm = w.prepare_object_stream()
    page = writer.PageObject(contents=w.add_object(page_content('Use-right agreement, test copy')),
                             media_box=(0, 0, 595, 842), resources=resources)
    w.insert_page(page)
    page_ref = w.find_page_for_modification(0)[0]
    # A non-terminal field "Parties" (type /Sig, inherited) whose kid "Approval" is the empty signature
    # widget, and a text field "Name": all in the object stream, so that finding the signature after
    # pyHanko fills "Parties.Approval" walks /Kids through objects that stay compressed.
    parent_ref = w.add_object(generic.DictionaryObject({
        pdf_name('/FT'): pdf_name('/Sig'), pdf_name('/T'): generic.TextStringObject('Parties')}), obj_stream=objstm)
    field = generic.DictionaryObject({
        pdf_name('/T'): generic.TextStringObject('Approval'), pdf_name('/Parent'): parent_ref,
        pdf_name('/Type'): pdf_name('/Annot'), pdf_name('/Subtype'): pdf_name('/Widget'),
        pdf_name('/F'): generic.NumberObject(132), pdf_name('/P'): page_ref,
        pdf_name('/Rect'): generic.ArrayObject([generic.NumberObject(0)] * 4)})
    field_ref = w.add_object(field, obj_stream=objstm)
    parent_ref.get_object()[pdf_name('/Kids')] = generic.ArrayObject([field_ref])
    name_ref = w.add_object(generic.DictionaryObject({
        pdf_name('/FT'): pdf_name('/Tx'), pdf_name('/T'): generic.TextStringObject('Name'),
        pdf_name('/V'): generic.TextStringObject('王芳')}), obj_stream=objstm)
    page_ref.get_object()[pdf_name('/Annots')] = generic.ArrayObject([field_ref])
    form = generic.DictionaryObject({pdf_name('/Fields'): generic.ArrayObject([parent_ref, name_ref])})
    w.root[pdf_name('/AcroForm')] = w.add_object(form, obj_stream=objstm)
    with open(os.path.join(HERE, 'unsigned-objstm.pdf'), 'wb') as f:
        w.write(f)


def signer(name, chain):
    return signers.SimpleSigner.load(
        os.path.join(PKI, f'{name}.key'), os.path.join(PKI, f'{name}.pem'),
        ca_chain_files=[os.path.join(PKI, f'{c}.pem') for c in chain])


def timestamper():
    return DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(os.path.join(PKI, 'tsa.pem')),
        tsa_key=load_private_key_from_pemder(os.path.join(PKI, 'tsa.key'), passphrase=None),
        certs_to_embed=[load_cert_from_pemder(os.path.join(PKI, 'rsa-ca.pem'))])


def sign(source, target, who, chain, field, subfilter, stamp=False, md='sha256'):
    with open(os.path.join(HERE, source), 'rb') as inf:
        w = IncrementalPdfFileWriter(inf)
        meta = signers.PdfSignatureMetadata(field_name=field, subfilter=subfilter, md_algorithm=md)
        with open(os.path.join(HERE, target), 'wb') as outf:
            signers.sign_pdf(w, meta, signer=signer(who, chain), timestamper=timestamper() if stamp else None,
                             output=outf)


class SM2Signer(signers.Signer):
    """pyHanko builds the CMS; `openssl pkeyutl` makes the SM2 signature with the GM/T 0009 default ID."""

    def __init__(self):
        leaf = load_cert_from_pemder(os.path.join(PKI, 'sm2-signer.pem'))
        ca = load_cert_from_pemder(os.path.join(PKI, 'sm2-ca.pem'))
        super().__init__(signing_cert=leaf, cert_registry=SimpleCertificateStore.from_certs([leaf, ca]),
                         signature_mechanism=algos.SignedDigestAlgorithm({'algorithm': 'sm2_sm3'}))

    async def async_sign_raw(self, data, digest_algorithm, dry_run=False):
        if dry_run:
            return bytes(72)
        with tempfile.TemporaryDirectory() as work:
            with open(os.path.join(work, 'tbs'), 'wb') as f:
                f.write(data)
            subprocess.run(['openssl', 'pkeyutl', '-sign', '-inkey', os.path.join(PKI, 'sm2-signer.key'), '-rawin',
                            '-digest', 'sm3', '-pkeyopt', f'distid:{SM2_ID}', '-in', os.path.join(work, 'tbs'),
                            '-out', os.path.join(work, 'sig')], check=True)
            with open(os.path.join(work, 'sig'), 'rb') as f:
                return f.read()


def make_pdfs():
    pades = fields.SigSeedSubFilter.PADES
    pkcs7 = fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED
    sign('unsigned.pdf', 'rsa-pades.pdf', 'rsa-signer', ['rsa-ca'], 'Signature1', pades)
    sign('unsigned-objstm.pdf', 'ecdsa-objstm.pdf', 'ec-signer', ['ec-ca'], 'Parties.Approval', pkcs7)
    sign('unsigned.pdf', 'rsa-timestamped.pdf', 'rsa-signer', ['rsa-ca'], 'Signature1', pades, stamp=True)
    sign('rsa-pades.pdf', 'two-signatures.pdf', 'ec-signer', ['ec-ca'], 'Signature2', pades)
    sign('unsigned.pdf', 'expired-signer.pdf', 'expired-signer', ['rsa-ca'], 'Signature1', pades)
    sign('unsigned.pdf', 'ed25519.pdf', 'ed-signer', ['ed-ca'], 'Signature1', pades, md='sha512')
    with open(os.path.join(HERE, 'unsigned.pdf'), 'rb') as inf, open(os.path.join(HERE, 'sm2-pdf.pdf'), 'wb') as outf:
        meta = signers.PdfSignatureMetadata(field_name='Signature1', subfilter=pkcs7, md_algorithm='sm3')
        signers.sign_pdf(IncrementalPdfFileWriter(inf), meta, signer=SM2Signer(), output=outf)
    with open(os.path.join(HERE, 'rsa-pades.pdf'), 'rb') as inf:
        w = IncrementalPdfFileWriter(inf)
        with open(os.path.join(HERE, 'doc-timestamp.pdf'), 'wb') as outf:
            signers.PdfTimeStamper(timestamper()).timestamp_pdf(w, 'sha256', output=outf)


def make_rsa_p7s():
    with open(os.path.join(HERE, 'agreement.txt'), 'w') as f:
        f.write('赋权协议（测试）\n甲方：内蒙古工业大学\n乙方：王芳团队\n单位 30%，团队 70%。\n')
    subprocess.run(['openssl', 'cms', '-sign', '-binary', '-in', 'agreement.txt', '-signer', 'pki/rsa-signer.pem',
                    '-inkey', 'pki/rsa-signer.key', '-certfile', 'pki/rsa-ca.pem', '-outform', 'DER',
                    '-out', 'agreement.txt.p7s'], check=True, cwd=HERE)


def sm2_p7s(content_name, gm_oids):
    content = ('技术转让合同（SM2 测试）\n转让方：内蒙古农牧业科学院\n受让方：内蒙古草原科技有限公司\n'
               f'价款：人民币 500,000 元。{content_name}\n').encode('utf-8')
    with open(os.path.join(HERE, content_name), 'wb') as f:
        f.write(content)
    leaf = load_cert_from_pemder(os.path.join(PKI, 'sm2-signer.pem'))
    ca = load_cert_from_pemder(os.path.join(PKI, 'sm2-ca.pem'))
    sm3 = '1.2.156.10197.1.401'
    sm2_with_sm3 = '1.2.156.10197.1.501'
    data_oid = '1.2.156.10197.6.1.4.2.1' if gm_oids else 'data'
    # Signed now: the test CA is only valid from when this script made it.
    when = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    attributes = [
        cms.CMSAttribute({'type': 'content_type', 'values': [data_oid]}),
        cms.CMSAttribute({'type': 'signing_time', 'values': [cms.Time({'utc_time': when})]}),
        cms.CMSAttribute({'type': 'message_digest', 'values': [hashlib.new('sm3', content).digest()]}),
    ]
    # DER orders a SET OF by the encodings of its members.
    attributes.sort(key=lambda a: a.dump())
    signed_attrs = cms.CMSAttributes(attributes)
    with tempfile.TemporaryDirectory() as work:
        tbs = os.path.join(work, 'tbs.der')
        sig = os.path.join(work, 'sig.der')
        with open(tbs, 'wb') as f:
            f.write(signed_attrs.dump())
        subprocess.run(['openssl', 'pkeyutl', '-sign', '-inkey', os.path.join(PKI, 'sm2-signer.key'), '-rawin',
                        '-digest', 'sm3', '-pkeyopt', f'distid:{SM2_ID}', '-in', tbs, '-out', sig], check=True)
        with open(sig, 'rb') as f:
            signature = f.read()
    signer_info = cms.SignerInfo({
        'version': 'v1',
        'sid': cms.SignerIdentifier({'issuer_and_serial_number': cms.IssuerAndSerialNumber(
            {'issuer': leaf.issuer, 'serial_number': leaf.serial_number})}),
        'digest_algorithm': algos.DigestAlgorithm({'algorithm': sm3}),
        'signed_attrs': signed_attrs,
        'signature_algorithm': algos.SignedDigestAlgorithm({'algorithm': sm2_with_sm3}),
        'signature': signature,
    })
    signed_data = cms.SignedData({
        'version': 'v1',
        'digest_algorithms': [algos.DigestAlgorithm({'algorithm': sm3})],
        'encap_content_info': cms.ContentInfo({'content_type': data_oid}),
        'certificates': [leaf, ca],
        'signer_infos': [signer_info],
    })
    if gm_oids:
        # ContentInfo with the GM/T 0010 signedData OID, written by hand (asn1crypto only maps RFC 5652's).
        oid = core.ObjectIdentifier('1.2.156.10197.6.1.4.2.2')
        content_info = der_sequence(oid.dump() + der_tagged(0, signed_data.dump()))
    else:
        content_info = cms.ContentInfo({'content_type': 'signed_data', 'content': signed_data}).dump()
    with open(os.path.join(HERE, content_name + '.p7s'), 'wb') as f:
        f.write(content_info)


def der_length(n):
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(body)]) + body


def der_sequence(body):
    return b'\x30' + der_length(len(body)) + body


def der_tagged(number, body):
    return bytes([0xA0 | number]) + der_length(len(body)) + body


def main():
    if '--pdfs-only' not in sys.argv:
        make_pki()
    make_unsigned()
    make_pdfs()
    make_rsa_p7s()
    sm2_p7s('sm2-agreement.txt', gm_oids=False)
    sm2_p7s('sm2-gm-oids.txt', gm_oids=True)


if __name__ == '__main__':
    main()
