#!/usr/bin/env python3
"""Recomputes the RFC 6962 known answers in Rfc6962Tests.cs with an independent, naive MTH (hashlib only).

Run: python3 tests/EvidenceChain.Core.Tests/Merkle/rfc6962_kat.py
The W1 root (2^20 leaves) is reproduced by the C reference instead: see Rfc6962Tests.cs.
"""
import hashlib


def h(b):
    return hashlib.sha256(b).digest()


def mth(leaves):
    if not leaves:
        return h(b"")
    if len(leaves) == 1:
        return h(b"\x00" + leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return h(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


# The RFC 6962 test leaves (as in transparency-dev/merkle testonly).
LEAVES = [b"", b"\x00", b"\x10", b"\x20\x21", b"\x30\x31", b"\x40\x41\x42\x43",
          bytes(range(0x50, 0x58)), bytes(range(0x60, 0x70))]

print("empty root     ", mth([]).hex())
print("leaf ''        ", h(b"\x00").hex())
print("leaf 'L123456' ", h(b"\x00L123456").hex())
print("node(empty root, leaf '')", h(b"\x01" + h(b"") + h(b"\x00")).hex())
for n in range(1, len(LEAVES) + 1):
    print("root of", n, "leaves", mth(LEAVES[:n]).hex())
