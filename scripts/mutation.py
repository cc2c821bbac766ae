"""Mutation testing of the core modules, with a score per module.

    python scripts/mutation.py                      # every group of scripts/mutation.toml
    python scripts/mutation.py -m numbers -m ratios # some modules (names as in the table)
    python scripts/mutation.py --survivors          # also list what survived, as was → now
    python scripts/mutation.py --report-only        # the last run's table again, running nothing

A mutant is the code (or the rule table) with one planted fault: a flipped comparison, a number
one step off, a dropped argument, `and` for `or`, a changed string, a deleted rule. The tests
"kill" it when one of them fails; a mutant no test notices "survived": the tests do not pin that
behaviour. It is a measurement, like the benchmarks, not part of .ci/run.

scripts/mutation.toml names the modules and, in groups, the fast tests that pin each of them.
Python modules are mutated by mutmut 3 (https://mutmut.readthedocs.io), one run per group in
build/mutation/<group>/ (nothing in the work tree changes): it records which tests run each
function, then runs only those, fastest first, stopping at the first failure. The package lives
in addin/cchc, a layout mutmut does not know: build/mutation/<group>/src is a link to addin/, so
mutmut copies the package to mutants/src/cchc and tests import the mutated copy as `cchc`.

The rule table (`<kind>.rules.toml`, data that mutmut does not read) is mutated by this script
(see table_mutants): each rule deleted, each operator, severity and missing-value strategy
changed, each number one step up, each term of an expression dropped or its sign flipped, each
level, code, section and excluded word dropped, each `skip_if_fired` and `at` removed. The
group's tests then run against the mutated copy, which CCHC_CATALOGUE_DIR puts in place of the
kind's own file, each in a process forked from one that has already imported them.

Score = killed / (mutants − declared equivalent). Exit status: 0 when the total is at least
90 % and no module is below 80 %, 1 otherwise, 2 when mutmut or the unmutated tests failed.
Needs the `mutation` extra of pyproject.toml (mutmut).
"""

from __future__ import annotations

import argparse
import ast
import difflib
import gc
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "scripts" / "mutation.toml"
TOTAL_MIN, MODULE_MIN = 90.0, 80.0

# mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code), reduced to what the table shows.
KILLED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout",
          255: "timeout", 37: "killed"}
NOT_COVERED = {5, 33}
STATUS = {0: "survived", 5: "not covered", 33: "not covered"}


def toml_list(items) -> str:
    return "[" + ", ".join(json.dumps(str(x)) for x in items) + "]"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


# pytest plugins a mutant's run has no use for: pytest starts once per mutant, thousands of
# times, and each plugin costs at every start.
UNUSED_PLUGINS = ("cacheprovider", "randomly", "doctest", "junitxml", "pastebin", "legacypath", "stepwise",
                  "faulthandler", "unraisableexception", "threadexception", "setuponly", "setupplan", "debugging",
                  "nose", "hypothesispytest", "platformdirs")


def pytest_args(cfg: dict) -> list[str]:
    args = [arg for name in UNUSED_PLUGINS for arg in ("-p", f"no:{name}")]
    for node in cfg["run"].get("deselect", []):
        args += ["--deselect", node]
    return args


# ============================================================================ Python modules: mutmut
def prepare(work: Path, cfg: dict, files: list[str], tests: list[str], keep: bool) -> None:
    work.mkdir(parents=True, exist_ok=True)
    if not keep and (work / "mutants").exists():
        shutil.rmtree(work / "mutants")
    for name, target in (("src", ROOT / "addin"), ("tests", ROOT / "tests")):
        link = work / name
        if not link.is_symlink():
            if link.exists():
                shutil.rmtree(link)
            link.symlink_to(target, target_is_directory=True)
    (work / "pyproject.toml").write_text(
        "# Written by scripts/mutation.py; edit scripts/mutation.toml instead.\n"
        "[tool.mutmut]\n"
        'source_paths = ["src/cchc"]\n'
        f"only_mutate = {toml_list('src/' + p for p in files)}\n"
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
        f"pytest_add_cli_args = {toml_list(pytest_args(cfg))}\n"
        "use_git_change_detection = false\n"
        "\n[tool.pytest.ini_options]\n"
        'testpaths = ["tests"]\n',
        encoding="utf-8",
    )


def run_mutmut(work: Path, env: dict, workers: int) -> int:
    mutmut = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or shutil.which("mutmut")
    if not mutmut:
        print("mutmut is not installed: pip install -e '.[mutation]'", file=sys.stderr)
        return 2
    log = work / "mutmut.log"
    with open(log, "w", encoding="utf-8") as out:
        # Its own process group: stopping this script stops mutmut and the workers it forked.
        proc = subprocess.Popen([mutmut, "run", "--max-children", str(workers)], cwd=work, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            rc = proc.wait()
        except BaseException:
            os.killpg(proc.pid, signal.SIGTERM)
            raise
    if rc != 0:
        print(f"mutmut failed (exit {rc}); the end of {log}:", file=sys.stderr)
        print("\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]), file=sys.stderr)
        return 2
    return 0


def function_sources(path: Path) -> dict[str, str]:
    """Every function of a mutated file by name (`x_fold__mutmut_3`, `xǁCtxǁnum__mutmut_orig`)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    out: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and "__mutmut_" in node.name:
            out[node.name] = "\n".join(lines[node.lineno - 1:node.end_lineno])
    return out


def change(orig: str, mutant: str) -> tuple[str, str]:
    """The line as it was and as the mutant has it, stripped (the first differing pair)."""
    a = orig.splitlines()[1:]  # skip the def line: it carries the mutant's own name
    b = mutant.splitlines()[1:]
    was = now = ""
    for line in difflib.unified_diff(a, b, lineterm="", n=0):
        if line.startswith("---") or line.startswith("+++") or line.startswith("@@"):
            continue
        if line.startswith("-") and not was:
            was = line[1:].strip()
        elif line.startswith("+") and not now:
            now = line[1:].strip()
    return was, now


def mutmut_outcomes(work: Path, rel: str) -> list[dict] | None:
    """Each mutant of one module: function, was, now, exit code (None: no result yet)."""
    mutated = work / "mutants" / "src" / rel
    meta = mutated.with_name(mutated.name + ".meta")
    if not meta.exists():
        return None
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    sources = function_sources(mutated)
    out = []
    for key, code in sorted(codes.items()):
        mangled = key.rpartition(".")[2]
        base = mangled.partition("__mutmut_")[0]
        function = base.split("ǁ")[-1].removeprefix("x_")
        if code in KILLED:
            out.append({"mutant": key, "function": function, "was": "", "now": "", "code": code})
            continue
        was, now = change(sources.get(base + "__mutmut_orig", ""), sources.get(mangled, ""))
        out.append({"mutant": key, "function": function, "was": was, "now": now, "code": code})
    return out


# ============================================================================ the rule table
_OPS = {"<=": "<", "<": "<=", ">=": ">", ">": ">=", "=": "<=", "!=": "=", "~": "=",
        "both_or_neither": "not_both", "not_both": "both_or_neither", "empty": "filled", "filled": "empty"}
_MISSING = {"skip_if_any": "skip_if_all", "skip_if_all": "zero", "zero": "skip_if_any"}
_WHEN_OPS = {"=": "!=", "!=": "=", "<=": "<", "<": "<=", ">=": ">", ">": ">="}


def _step(x):
    """One step up: 5 → 6, 0.25 → 0.26, 0.5 → 0.6."""
    if isinstance(x, bool):
        return None
    if isinstance(x, int):
        return x + 1
    decimals = len(repr(x).partition(".")[2]) if "." in repr(x) else 0
    return round(x + 10 ** -decimals, decimals)


def _toml(value) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


def _expr_mutants(text: str) -> list[str]:
    """An expression with its last term dropped, with the sign of each term flipped, and a
    constant one step up."""
    tokens = re.split(r"\s*([+\-−])\s*", text.strip())
    tokens = tokens[1:] if tokens[0] == "" else ["+"] + tokens
    terms = [(tokens[i] != "+", tokens[i + 1]) for i in range(0, len(tokens) - 1, 2)]

    def join(ts):
        return " ".join(("- " if neg else "") + item if i == 0 else ("- " if neg else "+ ") + item
                        for i, (neg, item) in enumerate(ts))

    out = [join(terms[:-1])] if len(terms) > 1 else []
    for i, (neg, item) in enumerate(terms):
        if item == "0":
            continue  # − 0 is 0
        out.append(join(terms[:i] + [(not neg, item)] + terms[i + 1:]))
    if len(terms) == 1 and re.fullmatch(r"\d+", terms[0][1]):
        out.append(str(int(terms[0][1]) + 1))
    return out


def table_mutants(text: str) -> list[dict]:
    """Mutants of a rule table: {"rule", "was", "now", "text"} with the whole mutated file."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.strip() == "[[rules]]"]
    out = []

    def add(rule, was, now, new_lines):
        out.append({"rule": rule, "was": was, "now": now, "text": "".join(new_lines)})

    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        while stop > start and (not lines[stop - 1].strip() or lines[stop - 1].lstrip().startswith("#")):
            stop -= 1
        block = {}
        for i in range(start + 1, stop):
            line = lines[i]
            if not line.strip() or line.lstrip().startswith("#") or "=" not in line:
                continue
            key = line.partition("=")[0].strip()
            block[key] = (i, tomllib.loads(line)[key])
        rule = block.get("id", (0, f"#{n + 1}"))[1]
        # A pair or unary rule (both_or_neither, not_both, empty, filled) looks at whether its
        # codes are filled, not at their values: the sign of a code changes nothing there.
        presence = block.get("op", (0, ""))[1] in ("both_or_neither", "not_both", "empty", "filled")

        deleted = lines[:start] + ["# " + line for line in lines[start:stop]] + lines[stop:]
        add(rule, "[[rules]]", "(deleted)", deleted)

        def replace(key, value, i=None):
            i = block[key][0] if i is None else i
            new = list(lines)
            new[i] = f"{key} = {_toml(value)}\n"
            add(rule, lines[i].strip(), new[i].strip(), new)

        def remove(key):
            i = block[key][0]
            add(rule, lines[i].strip(), "(removed)", lines[:i] + lines[i + 1:])

        for key, (i, value) in block.items():
            if key == "op" and value in _OPS:
                replace(key, _OPS[value])
            elif key == "severity":
                replace(key, "warning" if value == "error" else "error")
            elif key in ("missing", "missing_left", "missing_right") and value in _MISSING:
                replace(key, _MISSING[value])
            elif key in ("left", "right") and isinstance(value, str) and not presence:
                for mutated in _expr_mutants(value):
                    replace(key, mutated)
            elif key == "when":
                m = re.match(r"^(.+?)\s*(<=|>=|!=|=|<|>)\s*(.+)$", value)
                if m:
                    replace(key, f"{m[1]} {_WHEN_OPS[m[2]]} {m[3]}")
                    if re.fullmatch(r"\d+", m[3]):
                        replace(key, f"{m[1]} {m[2]} {int(m[3]) + 1}")
            elif key in ("tolerance_abs", "tolerance_rel", "tolerance_days", "error_days",
                         "late_warning_days", "late_error_days") and _step(value) is not None:
                replace(key, _step(value))
            elif key in ("levels", "refs", "sections", "exclude", "clause_exclude") and isinstance(value, list):
                for j in range(len(value)):
                    replace(key, value[:j] + value[j + 1:])
            elif key in ("skip_if_fired", "at"):
                remove(key)
    return out


def run_table(path: Path, catalogue: Path, tests: list[str], cfg: dict, workers: int,
              work: Path, env: dict) -> dict | None:
    """Run the tests against every mutant of a rule table; {rule, was, now, code} per mutant."""
    import pytest

    mutants = table_mutants(path.read_text(encoding="utf-8"))
    folder = Path(tempfile.mkdtemp(prefix="cchc-table-mutants-"))
    os.environ.update({k: v for k, v in env.items() if k == "CCHC_SHARED"})
    os.environ.pop("CCHC_CATALOGUE_DIR", None)
    args = ["-x", "-q", *pytest_args(cfg), *tests]
    os.chdir(ROOT)
    running: dict[int, tuple[str, float]] = {}  # pid → (mutant, start)
    try:
        # Import the tests and the package once; every mutant's run forks from here.
        start = time.monotonic()
        quiet = open(os.devnull, "w")
        saved = os.dup(1), os.dup(2)
        os.dup2(quiet.fileno(), 1)
        os.dup2(quiet.fileno(), 2)
        try:
            rc = pytest.main(args)
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
        clean = time.monotonic() - start
        if rc != 0:
            print(f"the tests fail on the unmutated rule table (pytest exit {rc}): {' '.join(tests)}", file=sys.stderr)
            return None
        timeout = 10 * clean + 10
        results: dict[str, dict] = {}
        gc.freeze()  # the children share the parent's heap instead of collecting it

        def reap() -> None:
            while running:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                key, _ = running.pop(pid)
                results[key]["code"] = os.waitstatus_to_exitcode(status)
            for pid, (key, began) in list(running.items()):
                if time.monotonic() - began > timeout:
                    os.kill(pid, signal.SIGKILL)

        for n, m in enumerate(mutants):
            key = f"{m['rule']}#{n}"
            results[key] = {"mutant": key, "function": m["rule"], "was": m["was"], "now": m["now"], "code": None}
            here = folder / str(n)
            here.mkdir()
            shutil.copy(catalogue, here / catalogue.name)
            (here / path.name).write_text(m["text"], encoding="utf-8")
            while len(running) >= workers:
                reap()
                time.sleep(0.02)
            pid = os.fork()
            if pid == 0:
                os.environ["CCHC_CATALOGUE_DIR"] = str(here)
                os.dup2(quiet.fileno(), 1)
                os.dup2(quiet.fileno(), 2)
                try:
                    code = pytest.main(args)
                except BaseException:
                    code = 3
                os._exit(int(code))
            running[pid] = (key, time.monotonic())
        while running:
            reap()
            time.sleep(0.02)
        for r in results.values():
            # pytest: 0 every test passed; killed by the timeout: -9; any failure, including a
            # table the loader refuses, is observable: killed.
            r["code"] = {0: 0, -signal.SIGKILL: 36}.get(r["code"], 1)
        out = list(results.values())
        (work / "table.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
        return out
    finally:
        for pid in running:
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)


def table_outcomes(work: Path) -> list[dict] | None:
    f = work / "table.json"
    return json.loads(f.read_text(encoding="utf-8")) if f.exists() else None


# ============================================================================ the table of scores
def score(name: str, outcomes: list[dict], equivalents: list[dict], used: set[int]) -> dict:
    row = {"mutants": 0, "killed": 0, "timeout": 0, "survived": 0, "not_covered": 0, "other": 0,
           "equivalent": 0, "survivors": []}
    for o in outcomes:
        row["mutants"] += 1
        code = o["code"]
        status = KILLED.get(code)
        if status:
            row["killed" if status == "killed" else "timeout"] += 1
            continue
        eq = [i for i, e in enumerate(equivalents) if e["module"] == name and e["function"] == o["function"]
              and e["was"] == o["was"] and e["now"] == o["now"]]
        if eq:
            used.update(eq)
            row["equivalent"] += 1
            continue
        if code == 0:
            row["survived"] += 1
        elif code in NOT_COVERED:
            row["not_covered"] += 1
        else:
            row["other"] += 1
        row["survivors"].append({**o, "status": STATUS.get(code, f"exit {code}")})
    countable = row["mutants"] - row["equivalent"]
    row["score"] = 100.0 * (row["killed"] + row["timeout"]) / countable if countable else 100.0
    return row


def print_table(report: dict) -> tuple[float, float]:
    head = f"{'module':<22} {'mutants':>7} {'killed':>7} {'survived':>8} {'no test':>7} {'equiv':>5} {'score':>7}"
    print(head)
    print("-" * len(head))
    tot = {"mutants": 0, "killed": 0, "survived": 0, "not_covered": 0, "equivalent": 0, "other": 0}
    lowest = 100.0
    for name, r in report["modules"].items():
        killed = r["killed"] + r["timeout"]
        print(f"{name:<22} {r['mutants']:>7} {killed:>7} {r['survived'] + r['other']:>8} {r['not_covered']:>7} "
              f"{r['equivalent']:>5} {r['score']:>6.1f}%")
        for k in tot:
            tot[k] += r[k] if k != "killed" else killed
        if r["mutants"]:
            lowest = min(lowest, r["score"])
    countable = tot["mutants"] - tot["equivalent"]
    total = 100.0 * tot["killed"] / countable if countable else 100.0
    print("-" * len(head))
    print(f"{'total':<22} {tot['mutants']:>7} {tot['killed']:>7} {tot['survived'] + tot['other']:>8} "
          f"{tot['not_covered']:>7} {tot['equivalent']:>5} {total:>6.1f}%")
    return total, lowest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-m", "--module", action="append", help="a module name of scripts/mutation.toml (repeatable)")
    ap.add_argument("-t", "--tests", action="append", help="test files or node ids instead of the group's")
    ap.add_argument("-j", "--max-children", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--keep", action="store_true", help="reuse the mutants and results of the last run")
    ap.add_argument("--report-only", action="store_true", help="print the last run's results, run nothing")
    ap.add_argument("--survivors", action="store_true", help="list every surviving mutant")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "mutation")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: stop mutmut and the forked runs too

    cfg = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    modules: dict[str, str] = cfg["modules"]
    if args.module:
        unknown = [m for m in args.module if m not in modules]
        if unknown:
            ap.error(f"unknown module(s) {unknown}; known: {', '.join(modules)}")
    wanted = args.module or list(modules)
    groups = [(g, [m for m in g["modules"] if m in wanted]) for g in cfg["groups"]]
    groups = [(g, ms) for g, ms in groups if ms]
    work_root = args.work.resolve()

    env = dict(os.environ)
    env.setdefault("CCHC_SHARED", str(ROOT.parent / "shared"))
    env.pop("CCHC_CATALOGUE_DIR", None)
    started = time.monotonic()
    timings = {}
    if not args.report_only:
        for group, names in groups:
            work = work_root / slug(group["name"])
            tests = args.tests or group["tests"]
            t0 = time.monotonic()
            print(f"[{group['name']}] {', '.join(names)} …", flush=True)
            py = [modules[m] for m in names if modules[m].endswith(".py")]
            if py:
                prepare(work, cfg, py, tests, args.keep)
                if run_mutmut(work, env, args.max_children):
                    return 2
            for m in names:
                if modules[m].endswith(".toml"):
                    work.mkdir(parents=True, exist_ok=True)
                    table = ROOT / "addin" / modules[m]
                    kind_file = table.with_name(table.name.removesuffix(".rules.toml") + ".toml")
                    if run_table(table, kind_file, tests, cfg, args.max_children, work, env) is None:
                        return 2
            timings[group["name"]] = time.monotonic() - t0
    elapsed = time.monotonic() - started

    equivalents = cfg.get("equivalent", [])
    used: set[int] = set()
    report: dict = {"modules": {}, "stale_equivalents": []}
    for group, names in groups:
        work = work_root / slug(group["name"])
        for m in names:
            outcomes = table_outcomes(work) if modules[m].endswith(".toml") else mutmut_outcomes(work, modules[m])
            report["modules"][m] = score(m, outcomes or [], equivalents, used)
            if outcomes:
                report["modules"][m]["ran"] = True
    for i, e in enumerate(equivalents):
        if i not in used and report["modules"].get(e["module"], {}).get("ran"):
            report["stale_equivalents"].append(e)

    total, lowest = print_table(report)
    if not args.report_only:
        print(f"\nrun time: {elapsed / 60:.1f} min on {args.max_children} worker(s) ("
              + ", ".join(f"{k} {v / 60:.1f}" for k, v in timings.items()) + ")")
    for e in report["stale_equivalents"]:
        print(f"WARNING: declared equivalent mutant not found any more: {e['module']}.{e['function']}: "
              f"{e['was']!r} → {e['now']!r}")
    if args.survivors:
        for name, r in report["modules"].items():
            for s in r["survivors"]:
                print(f"\n[{name}] {s['function']} ({s['status']}) {s['mutant']}\n  - {s['was']}\n  + {s['now']}")
    if not args.report_only:
        report.update(total=total, lowest=lowest, seconds=elapsed, groups=timings)
        (work_root / "result.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if total >= TOTAL_MIN and lowest >= MODULE_MIN else 1


if __name__ == "__main__":
    sys.exit(main())
