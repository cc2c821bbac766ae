"""Mutation testing of the core modules, with a score per module.

    python scripts/mutation.py                      # every module of scripts/mutation.toml
    python scripts/mutation.py -m numbers -m ratios # some modules (names as in the table)
    python scripts/mutation.py --survivors          # also list what survived, as was → now
    python scripts/mutation.py -m numbers -t tests/test_pins_numbers.py   # other tests

Runs mutmut 3 (https://mutmut.readthedocs.io) on the modules and tests named in
scripts/mutation.toml, in build/mutation/ (nothing in the work tree changes), and prints per
module: mutants, killed, survived, not covered, declared equivalent, score = killed / (mutants −
equivalent). The package lives in addin/cchc, a layout mutmut does not know: build/mutation/src
is a link to addin/, so mutmut copies the package to mutants/src/cchc and tests import the
mutated copy as `cchc`, the same module names as everywhere else.

Exit status: 0 when the total score is at least 90 % and no module is below 80 %, 1 otherwise,
2 when mutmut itself failed. Needs `pip install mutmut` (the `mutation` extra of pyproject.toml).
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import os
import shutil
import subprocess
import sys
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


def toml_list(items) -> str:
    return "[" + ", ".join(json.dumps(str(x)) for x in items) + "]"


def prepare(work: Path, cfg: dict, modules: dict[str, str], tests: list[str], keep: bool) -> None:
    work.mkdir(parents=True, exist_ok=True)
    if not keep and (work / "mutants").exists():
        shutil.rmtree(work / "mutants")
    for name, target in (("src", ROOT / "addin"), ("tests", ROOT / "tests")):
        link = work / name
        if not link.is_symlink():
            if link.exists():
                shutil.rmtree(link)
            link.symlink_to(target, target_is_directory=True)
    args = ["-p", "no:cacheprovider", "-p", "no:randomly"]
    for node in cfg["run"].get("deselect", []):
        args += ["--deselect", node]
    (work / "pyproject.toml").write_text(
        "# Written by scripts/mutation.py; edit scripts/mutation.toml instead.\n"
        "[tool.mutmut]\n"
        'source_paths = ["src/cchc"]\n'
        f"only_mutate = {toml_list('src/' + p for p in modules.values())}\n"
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
        f"pytest_add_cli_args = {toml_list(args)}\n"
        "use_git_change_detection = false\n"
        "\n[tool.pytest.ini_options]\n"
        'testpaths = ["tests"]\n',
        encoding="utf-8",
    )


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


def results(work: Path, modules: dict[str, str], equivalents: list[dict]) -> dict:
    report: dict = {"modules": {}, "stale_equivalents": []}
    used = set()
    for name, rel in modules.items():
        mutated = work / "mutants" / "src" / rel
        meta = mutated.with_name(mutated.name + ".meta")
        row = {"mutants": 0, "killed": 0, "timeout": 0, "survived": 0, "not_covered": 0, "other": 0,
               "equivalent": 0, "survivors": []}
        report["modules"][name] = row
        if not meta.exists():
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        sources = function_sources(mutated)
        for key, code in sorted(codes.items()):
            row["mutants"] += 1
            status = KILLED.get(code)
            if status:
                row["killed" if status == "killed" else "timeout"] += 1
                continue
            mangled = key.rpartition(".")[2]
            base = mangled.partition("__mutmut_")[0]
            function = base.split("ǁ")[-1].removeprefix("x_")
            was, now = change(sources.get(base + "__mutmut_orig", ""), sources.get(mangled, ""))
            eq = [i for i, e in enumerate(equivalents) if e["module"] == name and e["function"] == function
                  and e["was"] == was and e["now"] == now]
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
            row["survivors"].append({"mutant": key, "function": function, "was": was, "now": now,
                                     "status": {0: "survived", 5: "not covered", 33: "not covered"}.get(code, f"exit {code}")})
        countable = row["mutants"] - row["equivalent"]
        row["score"] = 100.0 * (row["killed"] + row["timeout"]) / countable if countable else 100.0
    for i, e in enumerate(equivalents):
        if i not in used and e["module"] in modules and (work / "mutants" / "src" / modules[e["module"]]).exists():
            report["stale_equivalents"].append(e)
    return report


def print_table(report: dict) -> tuple[float, float]:
    head = f"{'module':<20} {'mutants':>7} {'killed':>7} {'survived':>8} {'no test':>7} {'equiv':>5} {'score':>7}"
    print(head)
    print("-" * len(head))
    tot = {"mutants": 0, "killed": 0, "survived": 0, "not_covered": 0, "equivalent": 0, "other": 0}
    lowest = 100.0
    for name, r in report["modules"].items():
        killed = r["killed"] + r["timeout"]
        print(f"{name:<20} {r['mutants']:>7} {killed:>7} {r['survived'] + r['other']:>8} {r['not_covered']:>7} "
              f"{r['equivalent']:>5} {r['score']:>6.1f}%")
        for k in tot:
            tot[k] += r[k] if k != "killed" else killed
        if r["mutants"]:
            lowest = min(lowest, r["score"])
    countable = tot["mutants"] - tot["equivalent"]
    total = 100.0 * tot["killed"] / countable if countable else 100.0
    print("-" * len(head))
    print(f"{'total':<20} {tot['mutants']:>7} {tot['killed']:>7} {tot['survived'] + tot['other']:>8} "
          f"{tot['not_covered']:>7} {tot['equivalent']:>5} {total:>6.1f}%")
    return total, lowest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-m", "--module", action="append", help="a module name of scripts/mutation.toml (repeatable)")
    ap.add_argument("-t", "--tests", action="append", help="test files or node ids instead of the configured ones")
    ap.add_argument("-j", "--max-children", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--keep", action="store_true", help="reuse the mutants and results of the last run")
    ap.add_argument("--report-only", action="store_true", help="print the last run's results, run nothing")
    ap.add_argument("--survivors", action="store_true", help="list every surviving mutant")
    ap.add_argument("--work", type=Path, default=ROOT / "build" / "mutation")
    args = ap.parse_args(argv)

    cfg = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    modules = cfg["modules"]
    if args.module:
        unknown = [m for m in args.module if m not in modules]
        if unknown:
            ap.error(f"unknown module(s) {unknown}; known: {', '.join(modules)}")
        modules = {m: modules[m] for m in args.module}
    tests = args.tests or cfg["run"]["tests"]
    work = args.work.resolve()

    elapsed = None
    if not args.report_only:
        mutmut = shutil.which("mutmut", path=str(Path(sys.executable).parent)) or shutil.which("mutmut")
        if not mutmut:
            print("mutmut is not installed: pip install -e '.[mutation]'", file=sys.stderr)
            return 2
        prepare(work, cfg, modules, tests, args.keep)
        env = dict(os.environ)
        env.setdefault("CCHC_SHARED", str(ROOT.parent / "shared"))
        env.pop("CCHC_CATALOGUE_DIR", None)
        log = work / "mutmut.log"
        print(f"mutmut run in {work} (log: {log}) …", flush=True)
        start = time.monotonic()
        with open(log, "w", encoding="utf-8") as out:
            rc = subprocess.call([mutmut, "run", "--max-children", str(args.max_children)],
                                 cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT)
        elapsed = time.monotonic() - start
        if rc != 0:
            print(f"mutmut failed (exit {rc}); the end of {log}:", file=sys.stderr)
            print("\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]), file=sys.stderr)
            return 2

    report = results(work, modules, cfg.get("equivalent", []))
    total, lowest = print_table(report)
    if elapsed is not None:
        print(f"\nrun time: {elapsed / 60:.1f} min on {args.max_children} worker(s)")
    for e in report["stale_equivalents"]:
        print(f"WARNING: declared equivalent mutant not found any more: {e['module']}.{e['function']}: "
              f"{e['was']!r} → {e['now']!r}")
    if args.survivors:
        for name, r in report["modules"].items():
            for s in r["survivors"]:
                print(f"\n[{name}] {s['function']} ({s['status']}) {s['mutant']}\n  - {s['was']}\n  + {s['now']}")
    report.update(total=total, lowest=lowest, seconds=elapsed, tests=tests)
    (work / "result.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if total >= TOTAL_MIN and lowest >= MODULE_MIN else 1


if __name__ == "__main__":
    sys.exit(main())
