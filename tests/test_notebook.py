"""Jupyter notebooks (issue 11, item 6): code cells checked as one module, magics skipped, findings at
`cell:line` in text and at the notebook file's own line in SARIF, `--fix` writes valid notebook JSON."""
from __future__ import annotations

import json
from pathlib import Path

from helpers import run_awslint, write


def notebook(*cells: tuple[str, str]) -> str:
    """nbformat 4 JSON as Jupyter writes it (indent 1, one source line per array element)."""
    data = {
        "cells": [
            {
                "cell_type": kind,
                "metadata": {},
                "source": source.splitlines(keepends=True),
                **({"execution_count": None, "outputs": []} if kind == "code" else {}),
            }
            for kind, source in cells
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


NB = notebook(
    ("markdown", "# Topics\n"),
    ("code", "%matplotlib inline\n!pip install boto3\nimport boto3\n"),
    ("code", "%%bash\necho not python\n"),
    ("code", "def list_topics(found=[]):\n    found.append(1)\n    return found\n"),
)


def test_findings_are_at_cell_and_line(tmp_path: Path) -> None:
    write(tmp_path, "topics.ipynb", NB)
    proc = run_awslint("--select", "AWS3", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    (line,) = proc.stdout.splitlines()
    assert line.startswith("./topics.ipynb:cell 4:1:23: AWS301 mutable default `found` is changed by `.append()` at line")


def test_json_gives_the_cell_and_its_line(tmp_path: Path) -> None:
    write(tmp_path, "topics.ipynb", NB)
    (item,) = json.loads(run_awslint("--select", "AWS3", "--format", "json", "topics.ipynb", cwd=tmp_path).stdout)
    assert (item["cell"], item["line"], item["column"]) == (4, 1, 23)


def test_sarif_points_at_the_line_of_the_notebook_file(tmp_path: Path) -> None:
    write(tmp_path, "topics.ipynb", NB)
    log = json.loads(run_awslint("--select", "AWS3", "--format", "sarif", "topics.ipynb", cwd=tmp_path).stdout)
    (result,) = log["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    text = NB.splitlines()[region["startLine"] - 1]
    assert text == '    "def list_topics(found=[]):\\n",'
    assert text[region["startColumn"] - 1 :].startswith("[]")


def test_magics_are_skipped_not_errors(tmp_path: Path) -> None:
    write(tmp_path, "only_magic.ipynb", notebook(("code", "%time x = 1\n!ls\nx?\n"), ("code", "%%sql\nSELECT 1\n")))
    proc = run_awslint(".", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_a_cell_that_does_not_parse_is_an_error_at_its_cell(tmp_path: Path) -> None:
    write(tmp_path, "bad.ipynb", notebook(("code", "x = (\n")))
    proc = run_awslint("bad.ipynb", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("bad.ipynb: error: cannot parse: ")


def test_a_file_that_is_not_a_notebook(tmp_path: Path) -> None:
    write(tmp_path, "x.ipynb", "[1, 2]\n")
    write(tmp_path, "y.ipynb", "{not json\n")
    proc = run_awslint(".", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[:2] == [
        "./x.ipynb: error: not a notebook: no list of cells",
        "./y.ipynb: error: not a notebook: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    ]


def test_fix_writes_valid_notebook_json(tmp_path: Path) -> None:
    path = write(tmp_path, "topics.ipynb", NB)
    proc = run_awslint("--select", "AWS3", "--fix", "topics.ipynb", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(path.read_text())
    cells = ["".join(c["source"]) for c in data["cells"]]
    assert cells == [
        "# Topics\n",
        "%matplotlib inline\n!pip install boto3\nimport boto3\n",
        "%%bash\necho not python\n",
        "def list_topics(found=None):\n    if found is None:\n        found = []\n    found.append(1)\n    return found\n",
    ]
    assert data["cells"][3]["outputs"] == [] and data["metadata"] == {"language_info": {"name": "python"}}
    assert run_awslint("--select", "AWS3", "topics.ipynb", cwd=tmp_path).stdout == ""


def test_diff_of_a_notebook_is_a_diff_of_its_json(tmp_path: Path) -> None:
    write(tmp_path, "topics.ipynb", NB)
    proc = run_awslint("--select", "AWS3", "--diff", "topics.ipynb", cwd=tmp_path)
    assert proc.returncode == 1
    assert '-    "def list_topics(found=[]):\\n",' in proc.stdout
    assert '+    "def list_topics(found=None):\\n",' in proc.stdout


def test_a_notebook_of_another_language_is_skipped(tmp_path: Path) -> None:
    data = json.loads(notebook(("code", "x <- c(1, 2)\n")))
    data["metadata"] = {"language_info": {"name": "R"}}
    write(tmp_path, "analysis.ipynb", json.dumps(data))
    proc = run_awslint(".", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


def test_show_source_shows_the_cell_line(tmp_path: Path) -> None:
    write(tmp_path, "topics.ipynb", NB)
    proc = run_awslint("--select", "AWS3", "--show-source", "topics.ipynb", cwd=tmp_path)
    assert proc.stdout.splitlines()[1:] == ["def list_topics(found=[]):", " " * 22 + "^^"]
