"""Every command in the README and the guides runs, so the documentation cannot drift.

Which blocks: every fenced block marked ``bash``, ``sh``, ``shell`` or ``console`` in
``README.md`` and ``docs/*.md``, and every ``python`` block in ``docs/*.md`` (the README's
``python`` block is run by ``tests/test_docs.py``). In a ``console`` block the commands
follow ``$ ``, and each line after a command is output it must print (``...`` lines are
skipped). Lines of a ``bash`` block that start with ``#`` are comments.

How: the commands of one document run in order, as a reader would type them, in a fresh
temporary copy of the project's small files (``Makefile``, ``pyproject.toml``, ``conf/``,
``docs/``, ``results/``; ``.venv`` and ``src`` are links). Relative paths such as
``multirun/policy`` land in the copy, a later command sees an earlier one's
outputs, and nothing is written into the repository (checked). The documents are shared
out among one helper process per core (this file run as a script), which run at the same
time: ``collab-sim*`` commands without shell syntax, and ``.venv/bin/python -m
collab_sim.X [> FILE]``, run inside the helper through their entry points (one Python
start-up per helper instead of one per command, and sweeps reuse the helper's worker
processes), ``python`` blocks share one namespace per document, everything else runs with
bash. Each command must exit with 0.

Markers: an HTML comment on the line just before a block changes how its commands are
checked (several may be combined in one comment):

* ``<!-- test: override "KEY=VALUE ..." -->``: in ``collab-sim`` commands, replace these
  keys' values or add them: fast settings for a long sweep (fewer replicates, months or
  scenarios). The reader still sees the full command.
* ``<!-- test: exit N -->``: each command of the block must exit with status N (an
  example of an error).
* ``<!-- test: dry -->``: check without running, for commands that need a cluster or take
  too long: ``make -n TARGET``, or ``collab-sim ARGS --cfg hydra`` (``-m`` dropped), which
  composes the whole configuration, the launcher's included (unknown keys, options and
  wrong types fail), and exits.
* ``<!-- test: covered tests/FILE.py::TEST -->``: the named test runs this very command
  (it must exist); used for the launcher sweeps that ``tests/sweeps/test_launchers.py`` runs.

``make`` targets are checked as :data:`MAKE_TARGETS` says: ``run`` runs (the install step
taken as done, ``make -o .venv/.installed``), ``app`` is started, must answer at the URL it
prints and is stopped, and the others are dry runs (``make -n``): the test suite itself,
linting, and targets that take minutes or rewrite files in the repository. Programs other
than ``make``, the console scripts and :data:`SHELL_PROGRAMS` are refused. A command the
test does not know how to check fails ``test_every_documented_command_has_a_plan``: mark
its block or teach this file.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import runpy
import shlex
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import tomllib
import traceback
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
CONSOLE_SCRIPTS = sorted(PYPROJECT["project"]["scripts"])
SHELL_LANGS = {"bash", "sh", "shell", "console"}
#: How each documented ``make`` target is checked (see the module docstring).
MAKE_TARGETS = {
    "run": "run",
    "app": "serve",
    "test": "dry",
    "test-fast": "dry",
    "lint": "dry",
    "calibrate": "dry",
    "policy-report": "dry",
    "bench": "dry",
    "bench-compare": "dry",
    "install": "dry",
    "clean": "dry",
}
#: Programs run with bash as written (they read, or write into the temporary copy).
SHELL_PROGRAMS = {
    "ls", "cat", "mkdir", "cp", "head", "tail", "grep", "echo", "wc", "diff",
    "python", "python3", ".venv/bin/python",
}  # fmt: skip
#: The project's small files each document's commands see, copied; ``LINKED`` are linked.
PROJECT_FILES = ("Makefile", "pyproject.toml", "conf", "docs", "results")
LINKED = (".venv", "src")  # the environment, and the sources (``make app`` serves a file)
#: Parts of the repository a documented command could write into by mistake.
WATCHED = ("outputs", "multirun", "results", "conf", "docs/parameters.md")
RUN_TIMEOUT = 600  # seconds for all documents together
SERVE_TIMEOUT = 120  # seconds for a server to print its URL and answer
#: A fenced block, also one indented inside a list item (its body is dedented).
FENCE = re.compile(r"^[ \t]*```([\w+-]*)[^\n]*\n(.*?)^[ \t]*```[ \t]*$", re.M | re.S)
MARKER = re.compile(r"^<!--\s*test:\s*(.*?)\s*-->$")
HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)['\"]?")
OPERATOR_CHARS = set("();<>|&")
URL = re.compile(r"https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):\d+[^\s'\"]*")


class UnknownCommand(ValueError):
    """A documented command this file does not know how to check."""


@dataclass
class Step:
    """One documented command (or ``python`` block) and how it is checked."""

    doc: str
    line: int
    text: str
    kind: str  # inproc | module | bash | python | serve | covered
    argv: list[str] = field(default_factory=list)
    script: str = ""
    exit: int = 0
    expect: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------- parsing the docs


def documents() -> list[Path]:
    """README.md and every Markdown file in docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _markers(text: str, start: int) -> dict[str, object]:
    """Directives of the ``<!-- test: ... -->`` comment on the line before ``start``."""
    before = text[:start].rstrip("\n").rsplit("\n", 1)[-1].strip()
    match = MARKER.match(before)
    if not match:
        return {}
    tokens = shlex.split(match.group(1))
    found: dict[str, object] = {}
    while tokens:
        name = tokens.pop(0)
        if name in ("override", "exit", "covered") and not tokens:
            raise UnknownCommand(f"marker {name!r} needs a value: {before}")
        if name == "override":
            found["override"] = shlex.split(tokens.pop(0))
        elif name == "exit":
            found["exit"] = int(tokens.pop(0))
        elif name == "covered":
            found.setdefault("covered", []).append(tokens.pop(0))  # type: ignore[union-attr]
        elif name == "dry":
            found["dry"] = True
        else:
            raise UnknownCommand(f"unknown marker {name!r}: {before}")
    return found


def split_commands(body: str, console: bool) -> list[tuple[int, str, list[str]]]:
    """The commands of a block: ``(line offset, command, expected output lines)``.

    Continuation lines (a trailing backslash) and here-documents belong to their command.
    """
    lines = body.split("\n")
    commands: list[tuple[int, str, list[str]]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if console:
            if not line.startswith("$ "):
                if stripped and stripped != "..." and commands:
                    commands[-1][2].append(stripped)
                i += 1
                continue
            line = line[2:]
        elif not stripped or stripped.startswith("#"):
            i += 1
            continue
        start = i
        parts = [line]
        while parts[-1].rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            parts.append(lines[i])
        heredoc = HEREDOC.search(" ".join(parts))
        if heredoc:
            while i + 1 < len(lines):
                i += 1
                parts.append(lines[i])
                if lines[i].strip() == heredoc.group(1):
                    break
        commands.append((start, "\n".join(parts), []))
        i += 1
    return commands


def _simple_argv(command: str) -> list[str] | None:
    """The words of a command without shell syntax (operators, ``$``, here-documents)."""
    if "$" in command or "`" in command or HEREDOC.search(command):
        return None
    lexer = shlex.shlex(command.replace("\\\n", " "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words = list(lexer)
    if any(w and set(w) <= OPERATOR_CHARS for w in words):
        return None
    return words


def _program(command: str) -> tuple[str, list[str]]:
    """The program a command runs and its words (environment assignments skipped)."""
    first = command.replace("\\\n", " ").split("\n", 1)[0]
    words = shlex.split(first, comments=True)
    while words and re.match(r"^\w+=", words[0]):
        words.pop(0)
    if not words:
        raise UnknownCommand("empty command")
    return words[0], words


def _override(argv: list[str], settings: list[str]) -> list[str]:
    argv = list(argv)
    for setting in settings:
        key = setting.split("=", 1)[0]
        hits = [k for k, w in enumerate(argv) if w.lstrip("+~").split("=", 1)[0] == key]
        if hits:
            argv[hits[0]] = setting
        else:
            argv.append(setting)
    return argv


def plan_command(doc: str, line: int, command: str, markers: dict, expect: list[str]) -> Step:
    """How one documented command is checked; :class:`UnknownCommand` if it cannot be."""
    step = Step(doc, line, command, "bash", exit=int(markers.get("exit", 0)), expect=expect)
    if markers.get("covered"):
        step.kind = "covered"
        step.argv = list(markers["covered"])
        return step
    program, words = _program(command)
    name = program.removeprefix(".venv/bin/")
    if name in CONSOLE_SCRIPTS and program in (name, f".venv/bin/{name}"):
        argv = _simple_argv(command)
        if argv is None:
            if markers.get("dry") or markers.get("override"):
                raise UnknownCommand("dry and override need a command without shell syntax")
            step.script = command
            return step
        argv[0] = name
        if name == "collab-sim" and markers.get("override"):
            argv = _override(argv, markers["override"])
        if markers.get("dry"):
            if name != "collab-sim":
                raise UnknownCommand(f"no dry run for {name}")
            argv = [w for w in argv if w not in ("-m", "--multirun")] + ["--cfg", "hydra"]
        step.kind, step.argv = "inproc", argv
        return step
    if program == "make":
        targets = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        if len(targets) != 1 or targets[0] not in MAKE_TARGETS:
            raise UnknownCommand(f"make target(s) {targets} not in MAKE_TARGETS")
        how = "dry" if markers.get("dry") else MAKE_TARGETS[targets[0]]
        flags = ["-n"] if how == "dry" else ["-o", ".venv/.installed"]
        step.script = shlex.join(["make", *flags, *words[1:]])
        step.kind = "serve" if how == "serve" else "bash"
        return step
    if program in SHELL_PROGRAMS:
        if markers.get("dry") or markers.get("override"):
            raise UnknownCommand(f"no dry run or override for {program}")
        step.script = command
        argv = _simple_argv(command) if program == ".venv/bin/python" else None
        simple = argv and len(argv) >= 3 and argv[1] == "-m" and argv[2].startswith("collab_sim")
        if simple and (">" not in argv or argv.index(">") == len(argv) - 2):
            step.kind, step.argv = "module", argv  # python -m collab_sim.X [> FILE]
        return step
    raise UnknownCommand(f"program {program!r} is not one this test knows how to run")


def plan_document(path: Path) -> list[Step]:
    """Every checked step of one document, in order."""
    text = path.read_text()
    doc = str(path.relative_to(ROOT))
    steps = []
    for match in FENCE.finditer(text):
        lang, body = match.group(1), textwrap.dedent(match.group(2))
        line = text.count("\n", 0, match.start()) + 2
        markers = _markers(text, match.start())
        if lang == "python" and path.parent.name == "docs":
            steps.append(Step(doc, line, body, "python", script=body))
        elif lang in SHELL_LANGS:
            for offset, command, expect in split_commands(body, lang == "console"):
                steps.append(plan_command(doc, line + offset, command, markers, expect))
    return steps


# ----------------------------------------------------------------------- running the steps


def make_project_copy(where: Path) -> Path:
    """A temporary view of the project: its small files copied, ``.venv`` and ``src`` linked."""
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, where / name, symlinks=True)
        elif source.exists():
            shutil.copy2(source, where / name)  # keeps mtimes: make sees nothing to rebuild
    for name in LINKED:
        (where / name).symlink_to(ROOT / name)
    return where


def _entry_point(name: str):
    from importlib.metadata import entry_points

    (found,) = [e for e in entry_points(group="console_scripts") if e.name == name]
    return found.load()


def _in_process(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code: int = 0
    saved = sys.argv
    sys.argv = list(argv)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            _entry_point(argv[0])()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if not isinstance(stop.code, int | None):
            out.write(str(stop.code))
    except BaseException:  # noqa: BLE001 - reported as the command's failure
        out.write(traceback.format_exc())
        code = 1
    finally:
        sys.argv = saved
    return code, out.getvalue()


def _python(script: str, namespace: dict, where: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            exec(compile(script, where, "exec"), namespace)  # noqa: S102
    except BaseException:  # noqa: BLE001 - reported as the block's failure
        return 1, out.getvalue() + traceback.format_exc()
    return 0, out.getvalue()


def _serve(script: str) -> tuple[int, str]:
    """Start a server, wait for the URL it prints, fetch it, stop its process group."""
    proc = subprocess.Popen(
        ["bash", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + SERVE_TIMEOUT
    answered = ""
    try:
        while time.monotonic() < deadline and proc.poll() is None and not answered:
            urls = [u for line in list(lines) for u in URL.findall(line)]
            for url in urls[:1]:
                local = url.replace("0.0.0.0", "127.0.0.1")
                with contextlib.suppress(OSError), urllib.request.urlopen(local, timeout=5):
                    answered = url
            time.sleep(0.5)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        reader.join(timeout=5)
    output = "".join(lines)
    if answered:
        return 0, f"answered at {answered}\n{output}"
    return 1, f"no answer from a local URL within {SERVE_TIMEOUT} s\n{output}"


def _python_module(argv: list[str], stdout_file: str | None) -> tuple[int, str]:
    """``python -m MODULE ARGS [> FILE]``, in this process."""
    out = io.StringIO()
    code, saved = 0, sys.argv
    sys.argv = [argv[2], *argv[3:]]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported as the command's failure
        out.write(traceback.format_exc())
        code = 1
    finally:
        sys.argv = saved
    if stdout_file is None:
        return code, out.getvalue()
    Path(stdout_file).write_text(out.getvalue())
    return code, f"(output written to {stdout_file})"


def run_steps(steps: list[dict], cwd: str, results_path: str) -> None:
    """Run one document's steps in ``cwd``; results go to ``results_path`` as JSON lines."""
    os.chdir(cwd)
    namespace: dict = {"__name__": "__doc__"}
    with open(results_path, "w") as results:
        for raw in steps:
            step = Step(**raw)
            start = time.perf_counter()
            if step.kind == "inproc":
                code, output = _in_process(step.argv)
            elif step.kind == "module":
                redirect = step.argv.index(">") if ">" in step.argv else None
                argv = step.argv[:redirect] if redirect else step.argv
                target = step.argv[redirect + 1] if redirect else None
                code, output = _python_module(argv, target)
            elif step.kind == "python":
                code, output = _python(step.script, namespace, f"{step.doc}:{step.line}")
            elif step.kind == "serve":
                code, output = _serve(step.script)
            else:
                proc = subprocess.run(
                    ["bash", "-o", "pipefail", "-c", step.script],
                    capture_output=True, text=True, timeout=RUN_TIMEOUT,
                )  # fmt: skip
                code, output = proc.returncode, proc.stdout + proc.stderr
            seconds = time.perf_counter() - start
            results.write(json.dumps({"code": code, "output": output, "seconds": seconds}) + "\n")
            results.flush()


# ----------------------------------------------------------------------- tests


def _snapshot() -> dict[str, tuple[int, int]]:
    files: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        path = ROOT / name
        for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
            if item.exists() or item.is_symlink():
                stat = item.lstat()
                files[str(item.relative_to(ROOT))] = (stat.st_mtime_ns, stat.st_size)
    return files


def _steps_by_document() -> dict[str, list[Step]]:
    plans = {}
    for path in documents():
        with contextlib.suppress(UnknownCommand):  # reported by the test below
            steps = [s for s in plan_document(path) if s.kind != "covered"]
            if steps:
                plans[str(path.relative_to(ROOT))] = steps
    return plans


STEPS = _steps_by_document()


def test_every_documented_command_has_a_plan():
    problems, counted = [], 0
    for path in documents():
        try:
            steps = plan_document(path)
        except UnknownCommand as err:
            problems.append(f"{path.relative_to(ROOT)}: {err}")
            continue
        counted += len(steps)
        for step in steps:
            for test_id in step.argv if step.kind == "covered" else []:
                file, _, name = test_id.partition("::")
                source = ROOT / file
                if not source.is_file() or f"def {name}(" not in source.read_text():
                    problems.append(f"{step.doc}:{step.line}: covered by {test_id}: no such test")
    assert not problems, "\n".join(problems)
    assert counted >= 10  # the README and the guides hold commands


def test_commands_are_split_as_a_reader_types_them():
    body = (
        "# a comment\n.venv/bin/collab-sim -m a=1 \\\n  b=2   # sweep\n"
        "cat > x.yaml <<'EOF'\nkey: 1\n# not a comment\nEOF\nls x.yaml\n"
    )
    commands = [c for _, c, _ in split_commands(body, console=False)]
    assert commands == [
        ".venv/bin/collab-sim -m a=1 \\\n  b=2   # sweep",
        "cat > x.yaml <<'EOF'\nkey: 1\n# not a comment\nEOF",
        "ls x.yaml",
    ]
    console = "$ collab-sim power=feudal\ncollab-sim: error: bad\n...\n$ ls\n"
    assert split_commands(console, console=True) == [
        (0, "collab-sim power=feudal", ["collab-sim: error: bad"]),
        (3, "ls", []),
    ]
    step = plan_command("d", 1, ".venv/bin/collab-sim -m a=1 \\\n  b=2   # sweep", {}, [])
    assert step.kind == "inproc" and step.argv == ["collab-sim", "-m", "a=1", "b=2"]
    step = plan_command("d", 1, "collab-sim -m r=20 s=1", {"override": ["r=2", "t=3"]}, [])
    assert step.argv == ["collab-sim", "-m", "r=2", "s=1", "t=3"]
    step = plan_command("d", 1, "collab-sim -m a=1", {"dry": True}, [])
    assert step.argv == ["collab-sim", "a=1", "--cfg", "hydra"]
    assert plan_command("d", 1, "make test", {}, []).script == "make -n test"
    assert plan_command("d", 1, "make run ARGS='seed=3 power=equal'", {}, []).script == (
        "make -o .venv/.installed run 'ARGS=seed=3 power=equal'"
    )
    assert plan_command("d", 1, "collab-sim a=1 | head", {}, []).kind == "bash"
    for unknown in ("rm -rf outputs", "make nonsense", "sudo collab-sim"):
        with pytest.raises(UnknownCommand):
            plan_command("d", 1, unknown, {}, [])


def _balanced(docs: list[str], groups: int) -> list[list[str]]:
    """Documents split into ``groups`` lists of similar cost (sweeps count most)."""

    def cost(doc: str) -> int:
        return sum(5 if "-m" in step.argv or step.kind == "serve" else 1 for step in STEPS[doc])

    lists: list[list[str]] = [[] for _ in range(max(1, min(groups, len(docs))))]
    totals = [0] * len(lists)
    for doc in sorted(docs, key=cost, reverse=True):
        k = totals.index(min(totals))
        lists[k].append(doc)
        totals[k] += cost(doc)
    return lists


@pytest.fixture(scope="module")
def doc_runs(request, tmp_path_factory):
    """Run every selected document's steps; results by document.

    The documents are shared out among one helper process per core; each helper runs its
    documents one after another, each in a fresh copy of the project.
    """
    selected = {
        item.callspec.params["doc"]
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_documented_commands_run"
    } or set(STEPS)
    before = _snapshot()
    env = {**os.environ, "MPLBACKEND": "Agg", "RAY_USAGE_STATS_ENABLED": "0"}
    procs, results = [], {}
    for k, docs in enumerate(_balanced(sorted(selected), os.cpu_count() or 1)):
        jobs = []
        for doc in docs:
            where = make_project_copy(tmp_path_factory.mktemp(Path(doc).stem))
            results[doc] = where.parent / f"{Path(doc).stem}-results.jsonl"
            steps = [asdict(step) for step in STEPS[doc]]
            jobs.append({"steps": steps, "cwd": str(where), "results": str(results[doc])})
        plan = tmp_path_factory.getbasetemp() / f"helper-{k}-plan.json"
        plan.write_text(json.dumps(jobs))
        helper = subprocess.Popen(
            [sys.executable, __file__, str(plan)], cwd=jobs[0]["cwd"], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        procs.append((helper, docs))
    outputs = {}
    deadline = time.monotonic() + RUN_TIMEOUT
    for helper, docs in procs:
        try:
            output = helper.communicate(timeout=max(1.0, deadline - time.monotonic()))[0]
        except subprocess.TimeoutExpired:
            helper.kill()
            output = helper.communicate()[0] + f"\n(killed after {RUN_TIMEOUT} s)"
        outputs.update(dict.fromkeys(docs, output))
    runs = {}
    for doc, path in results.items():
        lines = path.read_text().splitlines() if path.exists() else []
        runs[doc] = ([json.loads(line) for line in lines], outputs[doc])
    return runs, before, _snapshot()


@pytest.mark.parametrize("doc", sorted(STEPS))
def test_documented_commands_run(doc, doc_runs):
    runs, _, _ = doc_runs
    results, helper_output = runs[doc]
    failures, timings = [], []
    for k, step in enumerate(STEPS[doc]):
        where = f"{step.doc}:{step.line}: {step.text.splitlines()[0][:100]}"
        if k >= len(results):
            failures.append(f"{where}\n  did not finish (helper output: {helper_output[-3000:]})")
            break
        result = results[k]
        timings.append(f"{result['seconds']:6.1f} s  {where}")
        if result["code"] != step.exit:
            failures.append(
                f"{where}\n  exit {result['code']}, expected {step.exit}; output:\n"
                f"{result['output'][-3000:]}"
            )
        missing = [line for line in step.expect if line not in result["output"]]
        if missing:
            failures.append(f"{where}\n  output lacks {missing}; output:\n{result['output']}")
    assert not failures, "\n\n".join(failures) + "\n\ntimings:\n" + "\n".join(timings)


def test_documented_commands_leave_the_repository_alone(doc_runs):
    _, before, after = doc_runs
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert not changed, f"written into the repository: {sorted({name for name, _ in changed})}"


def test_walkthrough_runs_top_to_bottom(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    start = time.perf_counter()
    namespace = runpy.run_path(str(ROOT / "docs" / "walkthrough.py"), run_name="__main__")
    seconds = time.perf_counter() - start
    out = tmp_path / "outputs" / "walkthrough"
    results = pd.read_parquet(out / "results.parquet")
    assert len(results) == len(namespace["RULES"]) * namespace["REPLICATES"]
    assert set(results["config.power.rule"]) == set(namespace["RULES"])
    assert {"approvals", "early_ending_share", "value_gini", "seed"} <= set(results.columns)
    assert (out / "value_gini_by_power_rule.png").stat().st_size > 1000
    assert namespace["result"].summary["partnerships_formed"] > 0
    assert set(namespace["table"].index) == set(namespace["RULES"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["outputs"]  # nothing else written
    assert seconds < 60, f"the walk-through should stay small and fast; took {seconds:.0f} s"


def test_citation_cff_is_valid_and_current():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    for key in ("cff-version", "message", "title", "authors", "version", "date-released"):
        assert key in cff, key
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == PYPROJECT["project"]["version"]
    assert cff["license"] == "MIT" and PYPROJECT["project"]["license"]["text"] == "MIT"
    assert all("name" in a or "family-names" in a for a in cff["authors"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"]))
    for reference in cff.get("references", []):
        assert {"type", "title", "authors"} <= set(reference), reference


def test_changelog_has_unreleased_and_the_current_version():
    text = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in text
    assert f"## [{PYPROJECT['project']['version']}]" in text


def test_relative_links_in_readme_and_docs_resolve():
    broken = []
    for path in documents():
        text = FENCE.sub("", path.read_text())
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"^(https?:|mailto:|#)", target):
                continue
            if not (path.parent / target.split("#", 1)[0]).exists():
                broken.append(f"{path.relative_to(ROOT)}: {target}")
    assert not broken, broken


def test_readme_module_map_is_current():
    """Every module is in the README's map: a row per folder (its modules named in the row)."""
    text = (ROOT / "README.md").read_text()
    layout = text.split("## Layout", 1)[1].split("\n## ", 1)[0]
    listed = set()
    for line in layout.splitlines():
        cells = line.split("|")[1:-1]
        if not cells or not cells[0].strip().startswith("`"):
            continue
        folder = cells[0].strip().strip("`")
        prefix = folder if folder.endswith("/") else ""
        names = re.findall(r"`([\w/]+\.py)`", line)
        listed |= {prefix + name for name in names if not name.startswith(prefix) or not prefix}
    package = ROOT / "src" / "collab_sim"
    present = {
        str(p.relative_to(package)) for p in package.rglob("*.py") if p.name != "__init__.py"
    }
    missing, gone = sorted(present - listed), sorted(listed - present)
    assert not missing and not gone, f"not in the map: {missing}; in the map, not in src: {gone}"


if __name__ == "__main__":  # a helper process of doc_runs: PLAN (documents to run in turn)
    for job in json.loads(Path(sys.argv[1]).read_text()):
        run_steps(job["steps"], job["cwd"], job["results"])
