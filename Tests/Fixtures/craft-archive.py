#!/usr/bin/env python3
"""Writes archives with exactly the entries a test asks for, including hostile ones
(links, devices, absolute and .. paths, names that are not UTF-8, duplicates) that
well-behaved archivers refuse to produce. Test tooling only; the product reads archives
through libarchive.

usage: craft-archive.py OUT FORMAT < entries.json
FORMAT: tar | tar.gz | zip
entries: [{"name": str | "nameHex": hex, "type": "file"|"dir"|"symlink"|"hardlink"|"chr"|"fifo",
           "data": str, "target": str}]
"""
import io, json, sys, tarfile, zipfile, time

out, fmt = sys.argv[1], sys.argv[2]
entries = json.load(sys.stdin)

def name_bytes(e):
    return bytes.fromhex(e["nameHex"]) if "nameHex" in e else e["name"].encode("utf-8")

if fmt in ("tar", "tar.gz"):
    mode = "w:gz" if fmt == "tar.gz" else "w"
    # GNU format keeps raw name bytes as given (surrogateescape), pax would re-encode them.
    with tarfile.open(out, mode, format=tarfile.GNU_FORMAT, encoding="utf-8", errors="surrogateescape") as t:
        for e in entries:
            info = tarfile.TarInfo(name_bytes(e).decode("utf-8", "surrogateescape"))
            info.mtime = 1600000000
            kind = e.get("type", "file")
            data = e.get("data", "").encode("utf-8")
            if kind == "file":
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
                continue
            info.type = {"dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE,
                         "chr": tarfile.CHRTYPE, "fifo": tarfile.FIFOTYPE}[kind]
            if kind in ("symlink", "hardlink"):
                info.linkname = e["target"]
            if kind == "chr":
                info.devmajor, info.devminor = 1, 3
            t.addfile(info)
elif fmt == "zip":
    class RawNameInfo(zipfile.ZipInfo):
        """Stores the name's bytes exactly, without the UTF-8 flag (as old Windows zippers do)."""
        raw = b""
        def _encodeFilenameFlags(self):
            return self.raw, self.flag_bits

    with zipfile.ZipFile(out, "w") as z:
        for e in entries:
            raw = name_bytes(e)
            kind = e.get("type", "file")
            try:
                info = zipfile.ZipInfo(raw.decode("utf-8"), date_time=(2021, 1, 1, 0, 0, 0))
            except UnicodeDecodeError:
                info = RawNameInfo(raw.decode("latin-1"), date_time=(2021, 1, 1, 0, 0, 0))
                info.raw = raw
            if kind == "symlink":
                info.external_attr = (0o120777 << 16)
                z.writestr(info, e["target"])
            elif kind == "dir":
                info.external_attr = (0o40755 << 16) | 0x10
                z.writestr(info, b"")
            else:
                info.external_attr = (0o100644 << 16)
                z.writestr(info, e.get("data", "").encode("utf-8"))
else:
    sys.exit("unknown format " + fmt)
