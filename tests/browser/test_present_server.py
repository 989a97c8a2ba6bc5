"""The lecture-hall server (`make present`, issue 21): a foreign Host header gets 403 as in JupyterLab, and
a kernel left behind by a page load is culled after the timeout (a short one here, set on the command line)."""

import subprocess
import time
import urllib.error
import urllib.request

import labharness as lh
import pytest

PRESENT = lh.ROOT / "present" / "stepper.ipynb"
CULL = 4


@pytest.fixture(scope="module")
def voila(tmp_path_factory):
    server = lh.VoilaServer(PRESENT, state_dir=tmp_path_factory.mktemp("voila-cull"), cull_seconds=CULL).start()
    yield server
    server.stop()


def status(req) -> int:
    """The answer's status; a redirect to the login page counts as 401."""
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            r.read()
            return 401 if "/login" in r.url else r.status
    except urllib.error.HTTPError as err:
        return err.code


def kernels(server) -> int:
    """Kernel processes started by the server (its children running ipykernel)."""
    out = subprocess.run(["ps", "-o", "args=", "--ppid", str(server.proc.pid)], capture_output=True, text=True)
    return sum("ipykernel" in line for line in out.stdout.splitlines())


def test_a_foreign_host_header_gets_403(voila):
    req = voila.request("/")
    req.add_header("Host", f"evil.example:{voila.port}")
    assert status(req) == 403
    assert status(urllib.request.Request(voila.url + "/")) in (401, 403)    # no token: no page


def test_the_page_with_the_token_loads_and_its_kernel_is_culled_when_idle(voila):
    assert status(urllib.request.Request(voila.page_url("/"))) == 200
    assert kernels(voila) >= 1
    deadline = time.monotonic() + CULL + 30
    while kernels(voila) and time.monotonic() < deadline:
        time.sleep(1)
    assert kernels(voila) == 0, voila.log()[-2000:]
    assert "Culling 'idle' kernel" in voila.log()


def test_the_default_timeout_is_the_one_the_readme_states():
    import json
    conf = json.loads((lh.ROOT / "present" / "voila.json").read_text())
    assert conf["MappingKernelManager"]["cull_idle_timeout"] == 600
    assert conf["Voila"]["tornado_settings"] == {"allow_remote_access": False}
    assert "stopped after **10 minutes** idle" in (lh.ROOT / "README.md").read_text()
