#!/usr/bin/env python3
"""Inflates a zlib stream from standard input to standard output (the testkit's `compressed: zlib`
vectors; Foundation on Linux has no zlib API, and a C target only for tests is not worth it)."""
import sys, zlib
sys.stdout.buffer.write(zlib.decompress(sys.stdin.buffer.read()))
