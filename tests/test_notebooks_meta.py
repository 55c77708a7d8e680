"""The book pipeline: committed notebooks, the nbval set-up, Binder, the README and CI."""

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from tests.nbval_fixes import load_execution_script

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
script = load_execution_script()


def read(path):
    return (ROOT / path).read_text(encoding="utf-8")


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


# ---------------------------------------------------------------- committed notebooks

def test_there_are_notebooks():
    assert ROOT / "notebooks" / "00_introduction.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_normalised(path):
    assert script.is_normalised(path), f"run: python .ci/execute_notebooks.py notebooks/{path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_was_executed_top_to_bottom_without_errors(path):
    cells = [c for c in code_cells(path) if c.source.strip()]
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1))
    for cell in cells:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors or "raises-exception" in cell.metadata.get("tags", []), cell.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_shows_figures_as_png_not_svg(path):
    for cell in code_cells(path):
        assert all("image/svg+xml" not in o.get("data", {}) for o in cell.outputs), cell.source


def test_normalise_removes_run_to_run_noise_and_is_idempotent():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("object()", id="a"),
                                         nbformat.v4.new_code_cell("print(1)")])
    nb.cells[1].id = "a"  # a duplicate, as a careless copy between notebooks would make
    nb.metadata = {"language_info": {"name": "python", "version": "3.11.7"}, "vscode": {}}
    nb.cells[0].execution_count, nb.cells[1].execution_count = 7, 9
    nb.cells[0].metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    nb.cells[0].outputs = [nbformat.v4.new_output(
        "execute_result", {"text/plain": "<object object at 0x7f3a2c1d5e80>"}, execution_count=7)]
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1"),
                           nbformat.v4.new_output("stream", name="stdout", text="\n")]
    once = script.normalise(nb, "x")
    assert once.metadata == {"kernelspec": script.KERNELSPEC, "language_info": {"name": "python"}}
    assert [c.execution_count for c in once.cells] == [1, 2]
    assert [c.id for c in once.cells] == ["a", "cell-1"]  # duplicate id replaced
    assert "execution" not in once.cells[0].metadata
    assert once.cells[0].outputs[0].data["text/plain"] == "<object object at 0xADDRESS>"
    assert once.cells[1].outputs == [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    assert script.dumps(script.normalise(once, "x")) == script.dumps(once)


# ---------------------------------------------------------------- strict nbval is live

LIVENESS_CELLS = [
    "import ipywidgets as W\nfrom IPython.display import clear_output, display",
    "print({'a', 'b', 'c'})",                                    # set order: PYTHONHASHSEED
    "x = 41\nx + 1;",                                            # a trailing ; hides the value
    "out = W.Output()\nwith out:\n    print('into the widget')\ndisplay(out)",
    "W.interact(lambda a: print('a =', a), a=(0, 4));",
    "for i in range(3):\n    clear_output(wait=True)\n    print('frame', i)",
    "print('erased')\nclear_output()\nprint('kept')",
    "object()",                                                  # a memory address
    "raise ValueError('shown on purpose')",
    "print(x + 1)",
]


def run_nbval(path, *options):
    """Strict nbval with the project's configuration on one notebook, in a new process."""
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                           "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), *options,
                           str(path)], cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def executed_notebook(tmp_path_factory):
    path = tmp_path_factory.mktemp("liveness") / "liveness.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in LIVENESS_CELLS])
    nb.cells[-2].metadata["tags"] = ["raises-exception"]
    nbformat.write(nb, path)
    executed, _ = script.execute(path)
    path.write_text(script.dumps(executed), encoding="utf-8")
    return path


def test_nbval_passes_on_a_freshly_executed_notebook(executed_notebook):
    result = run_nbval(executed_notebook)
    assert result.returncode == 0, result.stdout[-3000:]
    assert f"{len(LIVENESS_CELLS)} passed" in result.stdout


def test_without_the_fixes_nbval_would_fail_on_those_cells(executed_notebook):
    plain = ["-o", "addopts=", "--nbval", "--nbval-current-env",
             "--nbval-sanitize-with", "tests/nbval_sanitize.cfg"]
    result = run_nbval(executed_notebook, *plain)
    failed = set(map(int, re.findall(r"FAILED \S*::Cell (\d+)", result.stdout)))
    assert {2, 3, 4, 5, 6} <= failed, result.stdout[-2000:]  # ;  Output  interact  clear_output


def test_executing_twice_gives_identical_files(executed_notebook):
    again, _ = script.execute(executed_notebook)
    assert script.dumps(again) == executed_notebook.read_text(encoding="utf-8")
    stored = nbformat.read(executed_notebook, as_version=4)
    assert stored.metadata["widgets"]  # widget state kept, with ids derived from the name
    assert [o.text for o in stored.cells[6].outputs] == ["kept\n"]


def test_nbval_fails_when_a_stored_output_is_altered(executed_notebook, tmp_path):
    nb = nbformat.read(executed_notebook, as_version=4)
    last = nb.cells[-1].outputs[0]
    assert last.text == "42\n"
    last.text = "43\n"
    altered = tmp_path / "altered.ipynb"
    nbformat.write(nb, altered)
    result = run_nbval(altered)
    assert result.returncode == 1
    assert "Cell outputs differ" in result.stdout and "1 failed" in result.stdout


def test_project_runs_nbval_strictly():
    options = tomllib.loads(read("pyproject.toml"))["tool"]["pytest"]["ini_options"]
    addopts = options["addopts"].split()
    assert "--nbval" in addopts and "--nbval-lax" not in addopts
    assert {"--nbval-current-env", "--nbval-sanitize-with", "tests.nbval_fixes"} <= set(addopts)
    assert "notebooks" in options["testpaths"]


# ---------------------------------------------------------------- Binder and requirements

def requirements(path):
    lines = [line.split("#")[0].strip() for line in read(path).splitlines()]
    return {Requirement(x).name.lower(): Requirement(x) for x in lines if x and x[0] != "-"}


def test_binder_pins_are_exact_and_satisfy_the_bounds_of_requirements_txt():
    bounds, pins = requirements("requirements.txt"), requirements("binder/requirements.txt")
    assert set(pins) == set(bounds), "binder/requirements.txt must pin exactly the book's packages"
    for name, pin in pins.items():
        (spec,) = pin.specifier
        assert spec.operator == "==", f"{name} must be pinned exactly in binder/requirements.txt"
        bound = bounds[name].specifier
        assert bound.contains(Version(spec.version)), f"binder: {name}=={spec.version} not {bound}"


def test_requirements_have_both_bounds_and_install_mathdl():
    for name, req in requirements("requirements.txt").items():
        operators = {s.operator for s in req.specifier}
        assert {">=", "<"} <= operators, f"{name}: give a lower and an upper bound"
    assert read("requirements.txt").rstrip().splitlines()[-1] == "-e ."


def test_book_extra_matches_requirements_txt():
    bounds = requirements("requirements.txt")
    extra = tomllib.loads(read("pyproject.toml"))["project"]["optional-dependencies"]["book"]
    for req in map(Requirement, extra):
        assert req.specifier == bounds[req.name.lower()].specifier, req.name


def test_binder_python_matches_the_project():
    runtime = read("binder/runtime.txt").strip()
    required = tomllib.loads(read("pyproject.toml"))["project"]["requires-python"]
    assert re.fullmatch(r"python-3\.\d+", runtime)
    assert Version(runtime.removeprefix("python-")) in Requirement(f"python{required}").specifier


def test_repo2docker_accepts_the_binder_configuration():
    command = [sys.executable, "-m", "repo2docker", "--no-build", "--debug", str(ROOT)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "python=3.11" in log
    assert '-r "binder/requirements.txt"' in log and "./binder/postBuild" in log


def test_a_notebook_finds_mathdl_without_installing_it():
    link = ROOT / "notebooks" / "mathdl"
    assert link.is_symlink() and link.resolve() == (ROOT / "mathdl").resolve()
    # a kernel started in notebooks/ has that folder first on sys.path, like `python -c` there
    command = [sys.executable, "-c", "import mathdl; print(mathdl.__file__)"]
    result = subprocess.run(command, cwd=ROOT / "notebooks", capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": ""})
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).resolve() == (ROOT / "mathdl" / "__init__.py").resolve()


# ---------------------------------------------------------------- README and CI

BADGE = re.compile(r"\(https://mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/HEAD"
                   r"\?urlpath=lab/tree/notebooks/00_introduction\.ipynb\)")


COLAB = re.compile(r'%pip install -q "ipywidgets>=8" "git\+https://github\.com/([\w.-]+/[\w.-]+)"')


def test_readme_binder_badge_is_well_formed_and_the_repository_named_once_besides_colab():
    """The repository is named in the Binder badge, and otherwise only in the one Colab install
    line that the README and the introduction give a reader to paste (the same line in both)."""
    readme = read("README.md")
    intro = "".join(c.source for c in nbformat.read(ROOT / "notebooks" / "00_introduction.ipynb",
                                                     as_version=4).cells)
    (repository,) = BADGE.findall(readme)
    assert COLAB.findall(readme) == [repository] and COLAB.findall(intro) == [repository]
    texts = [read(p) for p in ["README.md", "CONTRIBUTING.md", "pyproject.toml"]]
    texts += [p.read_text() for p in NOTEBOOKS + sorted((ROOT / "binder").iterdir())]
    assert sum(t.count(repository) for t in texts) == 1 + 2


def test_readme_gives_exactly_two_commands_and_ci_runs_the_test_command():
    blocks = re.findall(r"```bash\n(.*?)```", read("README.md"), flags=re.S)
    assert blocks == [
        "pip install -r requirements.txt && jupyter lab notebooks/00_introduction.ipynb\n",
        'pip install -e ".[test]" && python -m pytest\n']
    ci = [line for line in read(".ci/run").splitlines() if line and not line.startswith("#")]
    assert ci[-1] == blocks[1].strip()
    assert ci[0] == "set -euo pipefail"


def test_readme_lists_every_notebook_and_links_only_existing_ones():
    linked = re.findall(r"\]\((notebooks/[\w.]+\.ipynb)\)", read("README.md"))
    assert all((ROOT / p).is_file() for p in linked)
    assert sorted(set(linked)) == [f"notebooks/{p.name}" for p in NOTEBOOKS]


def test_widget_ids_follow_the_shown_widgets_and_unreachable_models_are_dropped():
    """Two identical models that no shown widget reaches (a widget made but never displayed)
    would swap ids between runs; they are dropped, and renaming is idempotent."""
    ids = [f"{i:032x}" for i in (7, 3, 9, 5, 1)]
    def model(name, **refs):
        return {"model_name": name, "state": {k: f"IPY_MODEL_{v}" for k, v in refs.items()}}
    state = {ids[0]: model("VBoxModel", child=ids[1]), ids[1]: model("HTMLModel"),
             ids[2]: model("HTMLModel", layout=ids[3]), ids[3]: model("LayoutModel"),
             ids[4]: model("HTMLModel")}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("w", id="a")])
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", {
        "application/vnd.jupyter.widget-view+json": {"model_id": ids[0], "version_major": 2}})]
    nb.cells[0].execution_count = 1
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    once = script.normalise(nb, "x")
    kept = once.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert len(kept) == 2 and not set(kept) & set(ids)
    shown = once.cells[0].outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]
    assert kept[shown["model_id"]]["model_name"] == "VBoxModel"
    assert script.dumps(script.normalise(once, "x")) == script.dumps(once)
