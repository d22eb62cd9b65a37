#!/usr/bin/env python3
"""Copies the C2SP/CCTV age test vectors that apply to this implementation into this folder.

usage: import-testkit.py CCTV_CHECKOUT [COMMIT]

A vector applies when it is binary (no `armored: yes`) and names at least one X25519 identity
(`identity: AGE-SECRET-KEY-1…`): post-quantum-only, passphrase-only and armored vectors test
features this module does not have. Files are copied byte for byte; SOURCE records the upstream
commit and each file's sha256. The vectors are 0BSD / CC0 / Unlicense (see LICENSE), which allows
redistribution without attribution.
"""
import hashlib, os, shutil, sys

checkout, commit = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "unknown")
source = os.path.join(checkout, "age", "testdata")
here = os.path.dirname(os.path.abspath(__file__))
vectors = os.path.join(here, "testdata")
shutil.rmtree(vectors, ignore_errors=True)
os.makedirs(vectors)
kept, skipped = [], []
for name in sorted(os.listdir(source)):
    data = open(os.path.join(source, name), "rb").read()
    head = data.split(b"\n\n", 1)[0].decode()
    keys = [line.split(": ", 1) for line in head.split("\n")]
    armored = any(k == "armored" and v == "yes" for k, v in keys)
    x25519 = any(k == "identity" and v.startswith("AGE-SECRET-KEY-1") for k, v in keys)
    if armored or not x25519:
        skipped.append(name)
        continue
    open(os.path.join(vectors, name), "wb").write(data)
    kept.append((name, hashlib.sha256(data).hexdigest()))
with open(os.path.join(here, "SOURCE"), "w") as out:
    out.write(f"https://github.com/C2SP/CCTV age/testdata at commit {commit}\n")
    out.write(f"{len(kept)} vectors copied unchanged; {len(skipped)} not applicable (armored, post-quantum-only or passphrase-only)\n\n")
    for name, digest in kept:
        out.write(f"{digest}  testdata/{name}\n")
print(f"copied {len(kept)} vectors, skipped {len(skipped)}")
