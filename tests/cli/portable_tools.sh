# Helpers for the CLI cases in place of GNU-only tools (stat -c, realpath -m, sed -i, touch -d
# 'ago', date +%N, find -printf, sha1sum, truncate, timeout, script -qec), so the cases run the same
# on Linux, macOS and the BSDs. Plain POSIX sh, with python3 (which the suite already needs) where
# POSIX has no tool. run_cli_tests.sh sets $CLI_TOOLS to this file; a case sources it: . "$CLI_TOOLS"

# The permission bits of a file in octal, like `stat -c %a`.
file_mode() { python3 -c 'import os, sys; print(format(os.lstat(sys.argv[1]).st_mode & 0o7777, "o"))' "$1"; }
# The owner's uid, like `stat -c %u`.
file_uid() { python3 -c 'import os, sys; print(os.lstat(sys.argv[1]).st_uid)' "$1"; }
# The absolute path with links resolved; the path need not exist (`realpath -m`).
abs_path() { python3 -c 'import os, sys; print(os.path.realpath(sys.argv[1]))' "$1"; }
# SHA-1 of stdin in hex (`sha1sum | cut -c1-40`).
sha1_hex() { python3 -c 'import hashlib, sys; print(hashlib.sha1(sys.stdin.buffer.read()).hexdigest())'; }
# One line per file under a folder: its SHA-1 and relative path, sorted (`find -type f | xargs
# sha1sum`); a second argument names a subfolder left out (e.g. .bkcheck-quarantine).
file_sums() {
  python3 - "$1" "${2:-}" <<'PY'
import hashlib, os, sys
root, skip = sys.argv[1], sys.argv[2]
lines = []
for folder, dirs, files in os.walk(root):
    dirs[:] = [d for d in dirs if os.path.relpath(os.path.join(folder, d), root) != skip]
    for name in files:
        path = os.path.join(folder, name)
        if os.path.islink(path):
            continue
        with open(path, "rb") as f:
            lines.append(hashlib.sha1(f.read()).hexdigest() + "  " + os.path.relpath(path, root))
print("\n".join(sorted(lines)))
PY
}
# A digest of every entry under a folder: path, type, size and mtime (`find -printf '%p %s %T@' |
# sort | md5sum`): equal digests mean nothing was added, removed, resized or touched.
tree_state() {
  python3 - "$1" <<'PY'
import hashlib, os, sys
root = sys.argv[1]
lines = []
for folder, dirs, files in os.walk(root):
    for name in dirs + files:
        path = os.path.join(folder, name)
        info = os.lstat(path)
        lines.append("%s %o %d %d" % (os.path.relpath(path, root), info.st_mode, info.st_size,
                                      info.st_mtime_ns))
print(hashlib.sha1("\n".join(sorted(lines)).encode()).hexdigest())
PY
}
# Edits files in place with a sed expression (`sed -i`), keeping each file's inode and mode.
sed_in_place() {
  expression=$1; shift
  for file in "$@"; do
    sed -e "$expression" "$file" >"$file.sed-tmp" && cat "$file.sed-tmp" >"$file" && rm -f "$file.sed-tmp" || return 1
  done
}
# Sets the modification (and access) time of files to SECONDS ago (`touch -d 'N seconds ago'`).
touch_ago() {
  python3 - "$@" <<'PY'
import os, sys, time
when = time.time() - int(sys.argv[1])
for path in sys.argv[2:]:
    os.utime(path, (when, when), follow_symlinks=False)
PY
}
# Milliseconds since the epoch (`date +%s%N / 1000000`).
now_ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }
# Sets a file's size in bytes, sparse when it grows (`truncate -s`); a leading '-' shrinks it by that.
set_size() {
  python3 - "$1" "$2" <<'PY'
import os, sys
path, size = sys.argv[1], sys.argv[2]
new = os.path.getsize(path) - int(size[1:]) if size.startswith("-") else int(size)
os.truncate(path, new)
PY
}
# Runs a command, killing it after SECONDS: exit 124 then, like GNU `timeout`.
with_timeout() {
  python3 - "$@" <<'PY'
import subprocess, sys
try:
    sys.exit(subprocess.run(sys.argv[2:], timeout=float(sys.argv[1])).returncode)
except subprocess.TimeoutExpired:
    sys.exit(124)
PY
}
# Runs a shell command line on a pseudo-terminal and copies what it writes there to stdout
# (`script -qec CMD /dev/null`); the exit status is the command's.
in_terminal() {
  python3 -c 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(["sh", "-c", sys.argv[1]])))' "$1"
}
# Runs a command as the user nobody when running as root (so permissions apply), else as is.
as_user() {
  if [ "$(id -u)" != 0 ]; then "$@"
  elif command -v runuser >/dev/null; then runuser -u nobody -- "$@"
  else sudo -u nobody -- "$@"
  fi
}
