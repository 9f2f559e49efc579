"""The README's example runs as written (against the sample build)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ipfirm

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example(sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)[0]
    assert '"ipfirm.db"' in code
    with ipfirm.Database(sample_path) as db:
        m = db.lookup("77.75.232.1")
    code = code.replace('"ipfirm.db"', repr(str(sample_path)))
    exec(compile(code, str(README), "exec"), {})
    out = capsys.readouterr().out
    if m is not None and m.identified and m.company is not None:
        assert m.company.name in out
    else:
        assert out == ""
