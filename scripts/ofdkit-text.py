#!/usr/bin/env python3
"""Prints ofdkit's text of an OFD file, pages separated by a form feed (the oracle for
OFDDocument.text()). Usage: ofdkit-text.py FILE [OUT]"""
import sys

import ofdkit

text = ofdkit.extract_text(sys.argv[1], page_separator="\f")
if len(sys.argv) > 2:
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        out.write(text)
else:
    sys.stdout.write(text)
