#!/usr/bin/env python3
"""Turns a text file into a C++ header holding it as a raw string literal.
Usage: embed_text.py INPUT OUTPUT SYMBOL"""
import sys

src, dst, symbol = sys.argv[1:4]
text = open(src, encoding="utf-8").read()
delim = "WSCHECK_EMBED"
assert ")" + delim + '"' not in text
with open(dst, "w", encoding="utf-8") as out:
    out.write("// Generated from %s by scripts/embed_text.py: edit that file, not this one.\n" % src.split("/src/")[-1])
    out.write("#pragma once\n\nnamespace wscheck {\n\n")
    out.write("inline constexpr char %s[] = R\"%s(%s)%s\";\n\n}  // namespace wscheck\n" % (symbol, delim, text, delim))
