"""Editors: the real python-lsp-server (pylsp) over stdio, with its flake8 and its pylint plugin.

The test speaks the Language Server Protocol as an editor does: initialize, configure the plugin,
open a document holding the seed `list_sns` case, and wait for `textDocument/publishDiagnostics`
with AWS301 on the default value's range. pylsp runs flake8 and pylint as subprocesses, feeding the
buffer on stdin, which is exactly the path editors take.
"""
from __future__ import annotations

import json
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from helpers import SEED

BIN = Path(sys.executable).parent
PYLSP = BIN / "pylsp"

pytestmark = [
    pytest.mark.skipif(
        not PYLSP.exists() and shutil.which("pylsp") is None,
        reason="python-lsp-server (pylsp, a test dependency) is not installed",
    ),
    pytest.mark.slow,
]


class LanguageClient:
    """A minimal LSP client: Content-Length framed JSON-RPC over the server's stdin/stdout."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.proc = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        assert self.proc.stdout is not None
        threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True).start()

    def _read(self, stream: BinaryIO) -> None:
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: dict[str, Any], timeout: float = 60) -> dict[str, Any]:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m, timeout)

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def wait(self, accept: Any, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("timed out waiting for the language server")
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if message.get("method") in ("workspace/configuration", "window/workDoneProgress/create"):
                self.send({"id": message["id"], "result": None})  # a request from the server: answer it
            if accept(message):
                return message

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=20)
            self.notify("exit", {})
            self.proc.wait(timeout=20)
        except Exception:
            self.proc.kill()
            self.proc.wait(timeout=20)


def diagnostics_for(tmp_path: Path, plugins: dict[str, Any], code: str) -> dict[str, Any]:
    """Open the seed in pylsp with `plugins` configured; the first diagnostic whose code is `code`."""
    document = tmp_path / "topics.py"
    document.write_text(SEED)
    uri = document.as_uri()
    command = [str(PYLSP)] if PYLSP.exists() else [str(shutil.which("pylsp"))]
    client = LanguageClient(command, tmp_path)
    try:
        quiet = {name: {"enabled": False} for name in ("pycodestyle", "pyflakes", "mccabe", "pylint", "flake8")}
        settings = {"pylsp": {"plugins": {**quiet, **plugins}}}
        client.request(
            "initialize",
            {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}, "initializationOptions": settings},
        )
        client.notify("initialized", {})
        client.notify("workspace/didChangeConfiguration", {"settings": settings})
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": SEED}},
        )
        message = client.wait(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and any(d.get("code") == code for d in m["params"]["diagnostics"]),
            timeout=120,
        )
        (found,) = [d for d in message["params"]["diagnostics"] if d.get("code") == code]
        return found
    finally:
        client.close()


def test_documented_settings_are_the_ones_tested() -> None:
    """The pylsp settings in docs/integrations.md parse and enable what the tests below enable."""
    import re

    from conftest import ROOT

    text = (ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, re.S)]
    pylsp = [b["pylsp"]["plugins"] for b in blocks if "pylsp" in b]
    assert pylsp[0]["flake8"] == {"enabled": True, "select": ["AWS"]}
    assert "--load-plugins=pylint_awslint" in pylsp[1]["pylint"]["args"]
    vscode = [b for b in blocks if "pylsp" not in b]
    assert vscode[0]["flake8.args"] == ["--extend-select=AWS"]
    assert vscode[1]["pylint.args"] == ["--load-plugins=pylint_awslint"]


def test_flake8_plugin_reports_aws301_on_the_default(tmp_path: Path) -> None:
    pytest.importorskip("flake8")
    found = diagnostics_for(
        tmp_path, {"flake8": {"enabled": True, "select": ["AWS"], "executable": str(BIN / "flake8")}}, "AWS301"
    )
    assert found["source"] == "flake8"
    # `sns_topics=[]`: the list display starts at line 1, column 40 (0-based: line 0, character 39).
    assert found["range"]["start"] == {"line": 0, "character": 39}
    assert found["range"]["end"]["line"] == 0
    assert found["message"].startswith("AWS301 mutable default `sns_topics` is changed by `.append()` at line 5")


def test_pylint_plugin_reports_aws301_on_the_default(tmp_path: Path) -> None:
    pytest.importorskip("pylint")
    found = diagnostics_for(
        tmp_path,
        {
            "pylint": {
                "enabled": True,
                "executable": str(BIN / "pylint"),
                "args": ["--load-plugins=pylint_awslint", "--disable=all", "--enable=mutated-mutable-default"],
            }
        },
        "W7331",
    )
    assert found["source"] == "pylint"
    assert found["range"]["start"] == {"line": 0, "character": 39}
    assert found["range"]["end"]["line"] == 0  # pylsp computes the end itself, from the identifier there
    assert "mutable default `sns_topics` is changed by `.append()` at line 5" in found["message"]
    assert "mutated-mutable-default" in found["message"]
