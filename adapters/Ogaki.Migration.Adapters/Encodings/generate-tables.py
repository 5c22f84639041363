#!/usr/bin/env python3
"""Generate the IBM930 / IBM939 mapping tables from glibc iconv (run once; output is committed).

Provenance: glibc 2.36 (Debian 12) iconv modules IBM930 / IBM939, called in-process through
ctypes (iconv_open/iconv), so every table entry is exactly what glibc decodes/encodes.

Output Tables/<name>.tbl (then deflate-compressed as <name>.tbl.deflate), little-endian:
  magic  b"OGKEBC1\0"
  u16    sbcs[256]          byte -> UTF-16 code unit, 0xFFFF = undefined (0x0E/0x0F are the shifts)
  u32    n_dbcs             then u16 code[n_dbcs] (ascending), u16 unicode[n_dbcs]   DBCS decode
  u32    n_enc_extra        then u16 unicode[n], u16 code[n], u8 kind[n]
                            encoder mappings that are NOT the inverse of the decode tables
                            (one-way mappings, or a different choice for duplicates);
                            kind 1 = SBCS byte (code < 0x100), kind 2 = DBCS code.
                            glibc's silent substitutions to SUB 0x3F are left out: our encoder rejects them.
Usage: python3 generate-tables.py [outdir]
"""
import ctypes, ctypes.util, struct, sys, zlib, os

libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
libc.iconv_open.restype = ctypes.c_void_p
libc.iconv_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.iconv.restype = ctypes.c_size_t
libc.iconv.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_size_t),
                       ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_size_t)]
libc.iconv_close.argtypes = [ctypes.c_void_p]
ERR = ctypes.c_size_t(-1).value

def conv(frm, to, data):
    cd = libc.iconv_open(to.encode(), frm.encode())
    if cd == ERR or cd is None:
        raise SystemExit(f"iconv_open {frm}->{to} failed")
    try:
        inbuf = ctypes.create_string_buffer(data, len(data))
        outbuf = ctypes.create_string_buffer(64 + 8 * len(data))
        inp = ctypes.c_char_p(ctypes.addressof(inbuf)); inl = ctypes.c_size_t(len(data))
        outp = ctypes.c_char_p(ctypes.addressof(outbuf)); outl = ctypes.c_size_t(len(outbuf))
        r = libc.iconv(cd, ctypes.byref(inp), ctypes.byref(inl), ctypes.byref(outp), ctypes.byref(outl))
        if r == ERR:
            return None
        # flush (emits a trailing SI when the encoder is in DBCS mode)
        r = libc.iconv(cd, None, None, ctypes.byref(outp), ctypes.byref(outl))
        if r == ERR:
            return None
        return outbuf.raw[: len(outbuf) - outl.value]
    finally:
        libc.iconv_close(cd)

def decode_one(cs, data):
    out = conv(cs, "UTF-32LE", data)
    if out is None or len(out) != 4:
        return None
    return struct.unpack("<I", out)[0]

def build(cs):
    sbcs = [0xFFFF] * 256
    for b in range(256):
        if b in (0x0E, 0x0F):
            continue
        u = decode_one(cs, bytes([b]))
        if u is not None:
            assert u < 0x10000, (cs, b, u)
            sbcs[b] = u
    dbcs = []
    for c1 in range(0x40, 0xFF):
        for c2 in range(0x40, 0xFF):
            u = decode_one(cs, bytes([0x0E, c1, c2, 0x0F]))
            if u is not None:
                assert u < 0x10000, (cs, c1, c2, u)
                dbcs.append(((c1 << 8) | c2, u))
    # inverse of decode (first code wins, SBCS before DBCS) = what a naive encoder would write
    naive = {}
    for b, u in enumerate(sbcs):
        if u != 0xFFFF and u not in naive:
            naive[u] = (1, b)
    for code, u in dbcs:
        if u not in naive:
            naive[u] = (2, code)
    extra = []
    for u in range(0x10000):
        if 0xD800 <= u < 0xE000:
            continue
        out = conv("UTF-32LE", cs, struct.pack("<I", u))
        if out is None or len(out) == 0:
            if u in naive:
                raise SystemExit(f"{cs}: U+{u:04X} decodes but does not encode")
            continue
        if len(out) == 1:
            got = (1, out[0])
        elif len(out) == 4 and out[0] == 0x0E and out[3] == 0x0F:
            got = (2, (out[1] << 8) | out[2])
        else:
            raise SystemExit(f"{cs}: unexpected encoding of U+{u:04X}: {out.hex()}")
        if got == (1, 0x3F) and sbcs[0x3F] != u:
            continue  # glibc substitutes SUB 0x3F (an "irreversible" conversion): we stay strict and reject
        if naive.get(u) != got:
            extra.append((u, got[1], got[0]))
    blob = bytearray(b"OGKEBC1\0")
    blob += struct.pack("<256H", *sbcs)
    blob += struct.pack("<I", len(dbcs))
    blob += struct.pack(f"<{len(dbcs)}H", *[c for c, _ in dbcs])
    blob += struct.pack(f"<{len(dbcs)}H", *[u for _, u in dbcs])
    blob += struct.pack("<I", len(extra))
    blob += struct.pack(f"<{len(extra)}H", *[u for u, _, _ in extra])
    blob += struct.pack(f"<{len(extra)}H", *[c for _, c, _ in extra])
    blob += bytes(k for _, _, k in extra)
    return bytes(blob), len(dbcs), len(extra)

outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "Tables")
os.makedirs(outdir, exist_ok=True)
for cs in ("IBM930", "IBM939"):
    blob, nd, ne = build(cs)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate, read with System.IO.Compression.DeflateStream
    data = comp.compress(blob) + comp.flush()
    with open(os.path.join(outdir, cs.lower() + ".tbl.deflate"), "wb") as f:
        f.write(data)
    print(f"{cs}: {nd} DBCS codes, {ne} encoder-only/differing mappings, {len(blob)} bytes raw, {len(data)} deflated")
