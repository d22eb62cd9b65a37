#!/usr/bin/env python3
"""pyHanko's own verdict on every signature of a PDF, as one JSON array on stdout (the tests' oracle).

usage: pyhanko_oracle.py FILE.pdf [--anchor CA.pem]...

Each element: {"field", "type" ("signature"|"timestamp"), "intact", "valid", "trusted", "bottomLine",
"coverage", "modificationLevel", "signer", "mdAlgorithm"} or {"field", "error"} when pyHanko raises.
Trust is only what --anchor gives (no OS store, no fetching); revocation is not checked (soft-fail).
A file pyHanko cannot read at all prints {"error": "..."} and exits 0.
"""
import json
import logging
import sys
import warnings

warnings.simplefilter('ignore')
logging.disable(logging.CRITICAL)  # pyHanko logs every failed path build with a traceback

from pyhanko.keys import load_certs_from_pemder  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp  # noqa: E402
from pyhanko_certvalidator import ValidationContext  # noqa: E402


def main():
    path = sys.argv[1]
    anchors = []
    args = sys.argv[2:]
    while args:
        if args[0] == '--anchor':
            anchors += list(load_certs_from_pemder([args[1]]))
            args = args[2:]
        else:
            raise SystemExit(f'unexpected argument {args[0]}')
    results = []
    try:
        with open(path, 'rb') as f:
            reader = PdfFileReader(f, strict=False)
            for sig in reader.embedded_signatures:
                context = ValidationContext(trust_roots=anchors, allow_fetching=False, revocation_mode='soft-fail')
                entry = {'field': sig.field_name}
                try:
                    if sig.sig_object_type == '/DocTimeStamp':
                        entry['type'] = 'timestamp'
                        status = validate_pdf_timestamp(sig, validation_context=context)
                    else:
                        entry['type'] = 'signature'
                        status = validate_pdf_signature(sig, signer_validation_context=context)
                    entry.update({
                        'intact': bool(status.intact), 'valid': bool(status.valid), 'trusted': bool(status.trusted),
                        # A document timestamp's status has no bottom_line: intact, valid and trusted is it.
                        'bottomLine': bool(getattr(status, 'bottom_line',
                                                   status.intact and status.valid and status.trusted)),
                        'coverage': getattr(getattr(status, 'coverage', None), 'name', None),
                        'modificationLevel': getattr(getattr(status, 'modification_level', None), 'name', None),
                        'signer': status.signing_cert.subject.native.get('common_name'),
                        'mdAlgorithm': status.md_algorithm,
                    })
                except Exception as error:  # pyHanko refusing a signature is a verdict too
                    entry['error'] = f'{type(error).__name__}: {error}'
                results.append(entry)
    except Exception as error:
        print(json.dumps({'error': f'{type(error).__name__}: {error}'}))
        return
    print(json.dumps(results, ensure_ascii=False))


if __name__ == '__main__':
    main()
