"""No limit is silent: an analysis that gives up on a function leaves a notice naming it."""
from __future__ import annotations

import pytest

from awslint import Config, analyse_source


def test_a_taint_budget_spent_is_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    import awslint.analysis.taint_interp as interp

    monkeypatch.setattr(interp, "_BUDGET", 0)
    monkeypatch.setattr(interp, "_BUDGET_PER_LINE", 0)
    source = "import os\nimport sys\n\n\ndef main():\n    cmd = sys.argv[1]\n    os.system(cmd)\n"
    result = analyse_source(source, "app.py", Config(select=("AWS401",)))
    assert (5, "injection", "not analysed for injection: the taint budget ran out") in {
        (n.line, n.family, n.reason) for n in result.notices
    }
