#!/usr/bin/env python3
"""Reads a CLI case's output as bkcheck.exe printed it under Wine, writes it as the Linux build
prints it, path-wise: the cases' patterns are written for POSIX paths. Wine shows the Linux root as
drive Z: ("Z:\\tmp\\x" for /tmp/x); each such path (also JSON-escaped, "Z:\\\\tmp\\\\x") becomes
/tmp/x, and the double quotes bkcheck puts around a path on Windows (where a POSIX shell takes
single quotes, and only when the path needs them) become what the Linux build prints. Nothing else
is touched, so every other difference still fails the case."""
import re
import sys

SAFE = re.compile(r"[A-Za-z0-9_./:+@%=,-]+")


def shell_word(path: str, quoted: bool) -> str:
    """The path as the Linux build prints it: quoted (single quotes) only when it needs it."""
    if not quoted or SAFE.fullmatch(path):
        return path
    return "'" + path.replace("'", "'\\''") + "'"


def posix(match: re.Match) -> str:
    """A Z: path as /path."""
    path = "/" + match.group(2).replace("\\\\", "/").replace("\\", "/")
    return shell_word(path, bool(match.group(1)))


def relative(match: re.Match) -> str:
    path = match.group(2).replace("\\\\", "/").replace("\\", "/")
    return shell_word(path, bool(match.group(1)))


def main() -> None:
    text = sys.stdin.read()
    # In double quotes (a path with a space stays whole): JSON-escaped (\"Z:\\\\tmp\\\\x y\") and plain.
    text = re.sub(r'(\\")Z:\\\\((?:[^"\\]|\\\\)*)\\"', posix, text)
    text = re.sub(r'(")Z:\\(?!\\)([^"\n]*)"', posix, text)
    # JSON-escaped first (a backslash doubled), then plain; a path ends at a space or a quote.
    text = re.sub(r"(')?Z:\\\\((?:[^\s'\"\\]|\\\\)*)(?(1)')", posix, text)
    text = re.sub(r"(')?Z:\\([^\s'\"]*)(?(1)')", posix, text)
    # Relative paths ("root\\0000...\\Snapshot") and rooted ones without a drive ("\\work\\x"): names
    # of letters, digits, '.', '_' and '-' between backslashes (an escape bkcheck prints for a
    # hostile name, "\\x1b", "\\u202e", is not a name of a path and stays).
    name = r"[A-Za-z0-9_.-]+"
    separator = r"(?:\\\\|\\)(?![xu][0-9a-fA-F]{2})"
    # In double quotes a name may hold spaces and more; one backslash between names (two are JSON's).
    quoted_name = r'[^"\n\\]+'
    single = r"\\(?![xu][0-9a-fA-F]{2})"
    text = re.sub(r'(")((?:' + single + r")?" + quoted_name + r"(?:" + single + quoted_name + r')+)"',
                  relative, text)
    text = re.sub(r"(?<![\w\\/:.-])(')?((?:" + separator + r")?" + name + r"(?:" + separator + name +
                  r")+)(?(1)')", relative, text)
    sys.stdout.write(text)


main()
