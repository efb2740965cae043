#!/usr/bin/env python3
"""Reads a CLI case's output as bkcheck.exe printed it under Wine, writes it as the Linux build
prints it, path-wise: the cases' patterns are written for POSIX paths. Wine shows the Linux root as
drive Z: ("Z:\\tmp\\x" for /tmp/x); each such path (also JSON-escaped, "Z:\\\\tmp\\\\x") becomes
/tmp/x, and the quotes bkcheck put around it only for its backslashes go with them. Nothing else
is touched, so every other difference still fails the case."""
import re
import sys

SAFE = re.compile(r"[A-Za-z0-9_./:+@%=,-]+")


def posix(match: re.Match) -> str:
    """A Z: path as /path; without the quotes bkcheck put around it for its backslashes alone."""
    path = "/" + match.group(2).replace("\\\\", "/").replace("\\", "/")
    return path if not match.group(1) or SAFE.fullmatch(path) else "'" + path + "'"


def relative(match: re.Match) -> str:
    path = match.group(2).replace("\\\\", "/").replace("\\", "/")
    return path if not match.group(1) or SAFE.fullmatch(path) else "'" + path + "'"


def main() -> None:
    text = sys.stdin.read()
    # JSON-escaped first (a backslash doubled), then plain; a path ends at a space or a quote.
    text = re.sub(r"(')?Z:\\\\((?:[^\s'\"\\]|\\\\)*)(?(1)')", posix, text)
    text = re.sub(r"(')?Z:\\([^\s'\"]*)(?(1)')", posix, text)
    # Relative paths ("root\\0000...\\Snapshot") and rooted ones without a drive ("\\work\\x"): names
    # of letters, digits, '.', '_' and '-' between backslashes (an escape bkcheck prints for a
    # hostile name, "\\x1b", "\\u202e", is not a name of a path and stays).
    name = r"[A-Za-z0-9_.-]+"
    separator = r"(?:\\\\|\\)(?![xu][0-9a-fA-F]{2})"
    text = re.sub(r"(?<![\w\\/:.-])(')?((?:" + separator + r")?" + name + r"(?:" + separator + name +
                  r")+)(?(1)')", relative, text)
    sys.stdout.write(text)


main()
