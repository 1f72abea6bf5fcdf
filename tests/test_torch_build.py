"""packaging/torch_build.py: which torch build `make run` / `make test` install, and the fallback.

No network and no real installs: indexes are a local HTTP server or a closed port, the GPU is
faked, and pip is a stand-in script that records its arguments.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNREACHABLE = "http://127.0.0.1:9/whl/cpu"  # the discard port: nothing listens there
FALLBACK_NOTE = "installing the default torch build (with CUDA libraries, several GB)"


def _load_torch_build():
    spec = importlib.util.spec_from_file_location("torch_build", ROOT / "packaging" / "torch_build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


torch_build = _load_torch_build()


@pytest.fixture
def linux_without_gpu(monkeypatch):
    monkeypatch.setattr(torch_build, "SYSTEM", "linux")
    monkeypatch.setattr(torch_build, "nvidia_gpu", lambda: None)
    monkeypatch.delenv("TORCH_BUILD", raising=False)
    monkeypatch.delenv("TORCH_CPU_INDEX", raising=False)


@pytest.fixture
def fake_python(tmp_path):
    """A Python without torch whose `-m pip` records its arguments and exits with $FAKE_PIP_RC."""
    if sys.platform == "win32":
        pytest.skip("the stand-in Python is a shell script")
    log = tmp_path / "pip-args"
    script = tmp_path / "python"
    script.write_text(f'#!/bin/sh\n[ "$1" = "-m" ] || exit 1\necho "$@" > "{log}"\n'
                      'exit "${FAKE_PIP_RC:-0}"\n')
    script.chmod(0o755)
    return script, log


@pytest.fixture
def cpu_index(tmp_path):
    """A local index whose torch page lists a CPU wheel; yields its URL."""
    page = tmp_path / "site" / "whl" / "cpu" / "torch"
    page.mkdir(parents=True)
    (page / "index.html").write_text('<a href="torch-2.13.0%2Bcpu-cp311.whl">torch-2.13.0+cpu</a>')

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/whl/cpu"
    server.shutdown()
    server.server_close()


def _output_lines(capfd) -> list[str]:
    out, err = capfd.readouterr()
    return (out + err).splitlines()


def test_unreachable_index_falls_back_to_the_default_build_in_one_line(linux_without_gpu,
                                                                       fake_python, capfd):
    python, pip_log = fake_python
    start = time.monotonic()
    rc = torch_build.main(["install", "--python", str(python), "--index-url", UNREACHABLE])
    elapsed = time.monotonic() - start
    assert rc == 0
    assert _output_lines(capfd) == [
        f"lenet-app: PyTorch's CPU wheel index ({UNREACHABLE}) is unreachable "
        f"(Connection refused): {FALLBACK_NOTE}"]
    assert not pip_log.exists()  # pip install -e . then picks the default build
    assert elapsed < 10


def test_an_index_that_never_answers_costs_the_probe_timeout_only():
    with socket.socket() as listener:  # accepts connections, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        start = time.monotonic()
        problem = torch_build.probe_index(f"http://127.0.0.1:{listener.getsockname()[1]}/cpu", 1.0)
        assert time.monotonic() - start < 3
    assert problem in ("no answer in 1 s", "timed out")


def test_reachable_index_installs_torch_and_torchvision_from_it(linux_without_gpu, fake_python,
                                                                cpu_index, capfd):
    python, pip_log = fake_python
    assert torch_build.main(["choose", "--python", str(python), "--index-url", cpu_index]) == 0
    assert _output_lines(capfd) == [
        f"cpu: no NVIDIA GPU, and PyTorch's CPU wheel index ({cpu_index}) answers"]
    assert torch_build.main(["install", "--python", str(python), "--index-url", cpu_index]) == 0
    assert len(_output_lines(capfd)) == 1  # what it installs, from where
    assert pip_log.read_text().split() == ["-m", "pip", "install", "--index-url", cpu_index,
                                           "torch", "torchvision"]


def test_dry_run_prints_the_pip_command(linux_without_gpu, fake_python, cpu_index, capsys):
    python, pip_log = fake_python
    assert torch_build.main(["install", "--dry-run", "--python", str(python),
                             "--index-url", cpu_index]) == 0
    assert capsys.readouterr().out.split() == [str(python), "-m", "pip", "install", "--index-url",
                                               cpu_index, "torch", "torchvision"]
    assert not pip_log.exists()


def test_pip_failing_on_the_cpu_index_falls_back_unless_cpu_was_asked_for(
        linux_without_gpu, fake_python, cpu_index, capfd, monkeypatch):
    python, _ = fake_python
    monkeypatch.setenv("FAKE_PIP_RC", "1")
    assert torch_build.main(["install", "--python", str(python), "--index-url", cpu_index]) == 0
    assert _output_lines(capfd)[-1].endswith(FALLBACK_NOTE)
    assert torch_build.main(["install", "--build", "cpu", "--python", str(python),
                             "--index-url", cpu_index]) == 1


def test_nvidia_gpu_keeps_the_default_build_without_probing(linux_without_gpu, fake_python,
                                                            monkeypatch, capfd):
    python, pip_log = fake_python
    monkeypatch.setattr(torch_build, "nvidia_gpu", lambda: "nvidia-smi -L: GPU 0: NVIDIA H200")
    monkeypatch.setattr(torch_build, "probe_index", lambda *a: pytest.fail("probed the index"))
    assert torch_build.main(["choose", "--python", str(python)]) == 0
    assert _output_lines(capfd) == ["default: nvidia-smi -L: GPU 0: NVIDIA H200"]
    assert torch_build.main(["install", "--python", str(python)]) == 0
    assert _output_lines(capfd) == []
    assert not pip_log.exists()


def test_nvidia_gpu_is_found_by_its_driver_or_by_nvidia_smi(tmp_path, monkeypatch):
    monkeypatch.setattr(torch_build, "NVIDIA_DRIVER_FILE", tmp_path / "no-driver")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert torch_build.nvidia_gpu() is None
    if sys.platform != "win32":
        smi = tmp_path / "nvidia-smi"
        smi.write_text('#!/bin/sh\necho "GPU 0: NVIDIA Test (UUID: GPU-1)"\n')
        smi.chmod(0o755)
        assert torch_build.nvidia_gpu() == "nvidia-smi -L: GPU 0: NVIDIA Test (UUID: GPU-1)"
        smi.write_text("#!/bin/sh\necho 'NVIDIA-SMI has failed'\nexit 9\n")
        assert torch_build.nvidia_gpu() is None
    driver = tmp_path / "version"
    driver.write_text("NVRM version: NVIDIA UNIX x86_64 Kernel Module\n")
    monkeypatch.setattr(torch_build, "NVIDIA_DRIVER_FILE", driver)
    assert torch_build.nvidia_gpu().startswith("NVIDIA driver loaded")


def test_torch_build_default_skips_everything(linux_without_gpu, fake_python, monkeypatch, capfd):
    python, pip_log = fake_python
    monkeypatch.setattr(torch_build, "probe_index", lambda *a: pytest.fail("probed the index"))
    monkeypatch.setenv("TORCH_BUILD", "default")
    assert torch_build.main(["choose", "--python", str(python)]) == 0
    assert _output_lines(capfd) == ["default: TORCH_BUILD=default"]
    assert torch_build.main(["install", "--python", str(python)]) == 0
    assert _output_lines(capfd) == []
    assert not pip_log.exists()


def test_torch_build_cpu_with_an_unreachable_index_is_a_clear_error(linux_without_gpu,
                                                                    fake_python, capfd):
    python, pip_log = fake_python
    rc = torch_build.main(["install", "--build", "cpu", "--python", str(python),
                           "--index-url", UNREACHABLE])
    assert rc == 2
    assert _output_lines(capfd) == [
        f"lenet-app: TORCH_BUILD=cpu, but PyTorch's CPU wheel index ({UNREACHABLE}) is "
        "unreachable (Connection refused)"]
    assert not pip_log.exists()


def test_installed_torch_is_kept(linux_without_gpu, monkeypatch, capfd):
    monkeypatch.setattr(torch_build, "probe_index", lambda *a: pytest.fail("probed the index"))
    assert torch_build.main(["choose", "--python", sys.executable]) == 0  # this one has torch
    assert _output_lines(capfd)[0].startswith("installed: torch ")


def test_make_installs_the_torch_build_before_the_project(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("no make")
    venv = tmp_path / "venv"
    proc = subprocess.run(["make", "-n", f"VENV={venv}", f"{venv}/.installed"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    lines = proc.stdout.splitlines()
    chooser = next(i for i, line in enumerate(lines) if "packaging/torch_build.py install" in line)
    project = next(i for i, line in enumerate(lines) if "pip install -e" in line)
    assert chooser < project
