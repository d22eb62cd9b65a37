#!/usr/bin/env bash
# Benchmark: verify the signature of a ~200 MB signed PDF with `dossier-bench signatures` (the
# vault's SignatureCheck, release build) and with `pyhanko sign validate`, printing wall time and
# peak RSS for each. pyHanko's command line (pyhanko-cli, pinned) is added to .venv/ here; the
# rest comes from `scripts/setup.sh --validators`.
# Usage: scripts/bench-signatures.sh [SIZE_MB]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
SIZE_MB=${1:-200}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PKI=Tests/Fixtures/signatures/pki

bash scripts/setup.sh --validators
[[ -x .venv/bin/pyhanko ]] || .venv/bin/python -m pip install -q --disable-pip-version-check "pyhanko-cli==0.6.0"
swift build -c release --product dossier-bench >/dev/null

# An unsigned PDF whose page shows a SIZE_MB image XObject of random bytes (uncompressed), then
# signed by pyHanko (RSA, PAdES) as an incremental update.
.venv/bin/python - "$WORK/big.pdf" "$SIZE_MB" <<'PY'
import os, sys
path, size = sys.argv[1], int(sys.argv[2]) * 1024 * 1024
side = int((size // 3) ** 0.5)
data_length = side * side * 3
objects = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
]
content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
with open(path, "wb") as out:
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell()); out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    offsets.append(out.tell())
    out.write(b"4 0 obj\n<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream\nendobj\n")
    offsets.append(out.tell())
    out.write(b"5 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
              b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (side, side, data_length))
    remaining = data_length
    while remaining:
        chunk = os.urandom(min(remaining, 1 << 20)); out.write(chunk); remaining -= len(chunk)
    out.write(b"\nendstream\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
PY
.venv/bin/python - "$WORK/big.pdf" "$WORK/signed.pdf" "$PKI" <<'PY' 2>/dev/null
import sys
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
source, target, pki = sys.argv[1:]
signer = signers.SimpleSigner.load(f"{pki}/rsa-signer.key", f"{pki}/rsa-signer.pem", ca_chain_files=[f"{pki}/rsa-ca.pem"])
with open(source, "rb") as inf, open(target, "wb") as outf:
    meta = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES)
    signers.sign_pdf(IncrementalPdfFileWriter(inf), meta, signer=signer, output=outf)
PY
SIZE=$(stat -c %s "$WORK/signed.pdf")
echo "signed PDF: $SIZE bytes"
cat "$WORK/signed.pdf" >/dev/null   # page cache warm for both

measure() {  # label, command...
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" || { echo "$label failed:"; cat "$WORK/err"; }
    read -r seconds kilobytes <"$WORK/time"
    printf '%-34s %6.2f s   peak RSS %6.1f MiB   %s\n' "$label" "$seconds" "$(echo "$kilobytes / 1024" | bc -l)" \
        "$(grep -o '"status":"[a-z]*"' "$WORK/out" | head -1)$(grep -v '^ *$' "$WORK/out" | grep -v '"status"' | head -1)"
}
measure "dossier-bench signatures (release)" .build/release/dossier-bench signatures "$WORK/signed.pdf" --anchor "$PKI/rsa-ca.pem"
measure "pyhanko sign validate" .venv/bin/pyhanko sign validate --no-revocation-check --trust "$PKI/rsa-ca.pem" \
    --trust-replace --executive-summary "$WORK/signed.pdf"
