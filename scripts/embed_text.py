#!/usr/bin/env python3
"""Turns a text file into a C++ header holding it as a std::string_view.

Usage: embed_text.py INPUT OUTPUT SYMBOL
Used by meson (src/meson.build) to build docs/scenario.schema.json into the
binary, so `wscheck schema` prints exactly the docs file: one source of truth.
Bytes are written as a hex array, so no content can break the literal.
"""
import sys


def main():
    src, dst, symbol = sys.argv[1:4]
    with open(src, "rb") as f:
        data = f.read()
    lines = []
    for i in range(0, len(data), 16):
        lines.append("  " + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",")
    body = "\n".join(lines)
    out = (f"// Generated from {src.split('/')[-1]} by scripts/embed_text.py: do not edit.\n"
           "#pragma once\n\n#include <string_view>\n\n"
           f"inline constexpr char {symbol}_bytes[] = {{\n{body}\n  0x00}};\n"
           f"inline constexpr std::string_view {symbol}{{{symbol}_bytes, {len(data)}}};\n")
    with open(dst, "w") as f:
        f.write(out)


if __name__ == "__main__":
    main()
