#!/usr/bin/env python3
"""Every option of every verb is in the man page and in the bash completion, and neither names an
option the program does not have (issue 26 point 6).

The truth is the program: its verbs come from `bkcheck --help` ("Verbs:"), each verb's options from
`bkcheck <verb> --help`. Only option names are read (tokens starting with "-" at the head of the
lines that start with "  -"), never the wording, so rewording a help text cannot break this test.
- The man page (source) must have a section per verb (a `.BI "<verb> ..."` entry under VERBS) that
  names each of the verb's options, where "the password options" stands for the ones listed under
  "Password options", and whose option lines (.B, .BI, .BR) name no option the verb does not take;
  every option the page names anywhere must exist; GLOBAL OPTIONS lists the global options of
  `bkcheck --help`.
- The completion is run: `bkcheck <verb> -<TAB>` must offer exactly the verb's options plus -q,
  --quiet, -v, --verbose (no --version, nothing twice); `bkcheck -<TAB>` the global options;
  `bkcheck <TAB>` the verbs; after an option that takes a value it must offer no option names
  (and, when the help names the value, folders only for a FILE, DIR or PATH); every option the
  script names must exist.
Usage: check_options_documented.py <bkcheck> <man page source> <completion script>
"""
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

bkcheck, man_path, completion_path = sys.argv[1:4]
problems = []
OPTION = re.compile(r"^--?[A-Za-z0-9][A-Za-z0-9-]*$")
VERBOSITY = {"-q", "--quiet", "-v", "--verbose"}  # taken by every verb, not shown in its help


def run_help(*args):
    result = subprocess.run([bkcheck, *args, "--help"], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"bkcheck {' '.join(args)} --help exited {result.returncode}: {result.stderr}")
    return result.stdout


def options_of(help_text):
    """{option name: the name of its value ("" for none)} from the option lines of a help text
    (both names of "-j [ --jobs ]"). Boost starts every description at one column: the column where most
    option lines have a word start. What is left of it is the option and its value."""
    lines = [line for line in help_text.splitlines() if line.startswith("  -")]
    starts = Counter(i for line in lines for i in range(3, len(line))
                     if line[i - 1] == " " and line[i] != " ")
    column = starts.most_common(1)[0][0] if starts else 0
    options = {}
    for line in lines:
        boundary = len(line) > column and line[column - 1] == " " and line[column] != " "
        spec = line[:column] if boundary else line
        tokens = [token for token in re.split(r"[\s\[\]]+", spec) if token]
        names = [token for token in tokens if OPTION.match(token)]
        values = [token for token in tokens if not OPTION.match(token) and token[0] != "("]
        for name in names:
            options[name] = values[0] if values else ""
    return options


top_help = run_help()
verbs = []
in_verbs = False
for line in top_help.splitlines():
    if line.startswith("Verbs:"):
        in_verbs = True
    elif in_verbs and not line.strip():
        break
    elif in_verbs:
        verbs.append(line.split()[0])
if not verbs:
    sys.exit("found no verbs in bkcheck --help")
global_options = options_of(top_help.split("Options:", 1)[1].split("\n\n", 1)[0])
verb_options = {verb: options_of(run_help(verb)) for verb in verbs}
known = set(global_options) | VERBOSITY
for options in verb_options.values():
    known |= set(options)
if any(not options for options in verb_options.values()):
    sys.exit("a verb's --help lists no option: the help format changed, fix this parser")

# --- the man page -------------------------------------------------------------------------------
with open(man_path, encoding="utf-8") as f:
    man = f.read()
plain = re.sub(r"\\f[BIRP]|\\f\[[A-Z]*\]|\\&", "", man).replace("\\-", "-")
# Long names only: a short one (-j) is the alias of a long one, and "-" starts words in prose.
LONG = r"(?<![\w-])--[A-Za-z][A-Za-z0-9-]*"
for option in sorted(set(re.findall(LONG, plain)) - known):
    problems.append(f"man page: names {option}, which no verb has")


def section(text, start, end):
    body = text.split(start, 1)[1] if start in text else ""
    return re.split(end, body, 1)[0]


password_section = section(plain, ".SS Password options", r"\n\.S[SH] ")
password_options = set(re.findall(r"--[a-z][a-z0-9-]*", password_section))
global_section = section(plain, ".SH GLOBAL OPTIONS", r"\n\.SH ")
for option in sorted(set(global_options) - set(re.findall(r"--?[a-z][a-z-]*", global_section))):
    problems.append(f"man page: GLOBAL OPTIONS lacks {option}")
verbs_section = section(plain, ".SH VERBS", r"\n\.SS |\n\.SH ")
headers = list(re.finditer(r'^\.BI "([a-z]+) ', verbs_section, re.M))
man_sections = {}
for i, header in enumerate(headers):
    end = headers[i + 1].start() if i + 1 < len(headers) else len(verbs_section)
    man_sections[header.group(1)] = verbs_section[header.start():end]
for verb in verbs:
    if verb not in man_sections:
        problems.append(f"man page: no section for the verb {verb}")
        continue
    text = man_sections[verb]
    named = set(re.findall(LONG, text))
    if re.search(r"password\s+options", text):
        named |= password_options
    long_options = {o for o in verb_options[verb] if o.startswith("--")}
    for option in sorted(long_options - {"--help"} - named):
        problems.append(f"man page: {verb} lacks {option}")
    # What the section sets as an option (the .B/.BI/.BR lines, not the prose that may mention
    # another verb's) the verb takes.
    taken = long_options | (password_options if password_options <= long_options else set())
    set_lines = "\n".join(l for l in text.splitlines() if re.match(r"\.B[IR]? ", l))
    for option in sorted(set(re.findall(LONG, set_lines)) - taken):
        problems.append(f"man page: {verb} names {option}, which it does not take")
for verb in sorted(set(man_sections) - set(verbs)):
    problems.append(f"man page: a section for {verb}, which is no verb")

# --- the completion ---------------------------------------------------------------------------
scratch = tempfile.mkdtemp()
os.mkdir(os.path.join(scratch, "somefolder"))


def complete(*words):
    """What bash offers for `bkcheck <words...>` (the last word being completed)."""
    script = (
        f'source "{os.path.abspath(completion_path)}"\n'
        'COMP_WORDS=(bkcheck "$@"); COMP_CWORD=$#\n'
        '_bkcheck\nprintf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(["bash", "-c", script, "complete", *words], capture_output=True,
                            text=True, cwd=scratch)
    if result.returncode != 0:
        sys.exit(f"completion failed for {words}: {result.stderr}")
    return [line for line in result.stdout.splitlines() if line]


def compare(what, offered, expected):
    for option in sorted(set(expected) - set(offered)):
        problems.append(f"completion: {what} does not offer {option}")
    for option in sorted(set(offered) - set(expected)):
        problems.append(f"completion: {what} offers {option}, which it does not take")
    for option in sorted({o for o in offered if offered.count(o) > 1}):
        problems.append(f"completion: {what} offers {option} twice")


compare("'bkcheck <TAB>'", [w for w in complete("") if not w.startswith("-")], verbs)
compare("'bkcheck -<TAB>'", complete("-"), set(global_options) | VERBOSITY)
for verb in verbs:
    compare(f"'bkcheck {verb} -<TAB>'", complete(verb, "-"), set(verb_options[verb]) | VERBOSITY)
    for option, value in sorted(verb_options[verb].items()):
        if not value:
            continue
        offered = complete(verb, option, "")
        if any(word.startswith("-") for word in offered):
            problems.append(f"completion: after '{verb} {option}' offers options, not a value")
        # Boost's unnamed "arg" says nothing of what the value is; a named one does.
        is_path = re.search(r"FILE|DIR|PATH|ROOT", value)
        if value != "arg" and ("somefolder" in offered) != bool(is_path):
            problems.append(f"completion: after '{verb} {option} {value}' "
                            f"{'offers' if not is_path else 'does not offer'} folders")
with open(completion_path, encoding="utf-8") as f:
    for option in sorted(set(re.findall(LONG, f.read())) - known):
        problems.append(f"completion: names {option}, which no verb has")

for problem in problems:
    print(problem)
print(f"{len(verbs)} verbs, {len(known)} options: {len(problems)} problems")
sys.exit(1 if problems else 0)
