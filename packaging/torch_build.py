"""Pick the torch build for this machine and install it before the app (`make run`, `make test`).

PyPI's torch for Linux is the CUDA build: several GB of NVIDIA libraries that a machine
without an NVIDIA GPU never loads. There, PyTorch's CPU wheel index gives the same torch in a
fraction of the size. Installing torch (and torchvision, from the same index so the pair
matches) first leaves `pip install -e .` nothing to choose.

    python packaging/torch_build.py choose  [--python PY] [--build B] [--index-url URL]
        print the decision and why (cpu, default or installed); installs nothing
    python packaging/torch_build.py install [--python PY] [--build B] [--index-url URL] [--dry-run]
        install the CPU build into PY's environment when that is the decision; otherwise do
        nothing and leave torch to pip's usual choice (--dry-run prints the pip command)

--build (default $TORCH_BUILD, else auto): auto = the CPU build on Linux without an NVIDIA GPU
when the index answers, else the default build (one line says why); cpu = the CPU build,
exit 2 if the index does not answer; default = leave torch to pip. --index-url (default
$TORCH_CPU_INDEX, else PyTorch's) is the CPU index. Standard library only: it runs before
anything else is installed, and imports neither torch nor Qt.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import ssl
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
BUILDS = ("auto", "cpu", "default")
# An unreachable index must cost seconds, not pip's timeout (PIP_DEFAULT_TIMEOUT) times retries.
PROBE_TIMEOUT_S = 5.0
NVIDIA_DRIVER_FILE = Path("/proc/driver/nvidia/version")
SYSTEM = sys.platform  # a name tests can change
DEFAULT_BUILD_NOTE = "installing the default torch build (with CUDA libraries, several GB)"


@dataclass(frozen=True)
class Choice:
    build: str  # "cpu": install from the CPU index; "default": leave it to pip; "installed": keep
    reason: str
    fallback: bool = False  # the CPU build was wanted but cannot be had: say so


def nvidia_gpu() -> str | None:
    """How an NVIDIA GPU shows itself here, or None."""
    if NVIDIA_DRIVER_FILE.exists():
        return f"NVIDIA driver loaded ({NVIDIA_DRIVER_FILE})"
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return None
    try:
        proc = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    gpus = proc.stdout.strip().splitlines()
    return f"nvidia-smi -L: {gpus[0]}" if proc.returncode == 0 and gpus else None


def installed_torch(python: str) -> str | None:
    """The torch version installed in python's environment (read from metadata, not imported)."""
    proc = subprocess.run(
        [python, "-c", "import importlib.metadata as m; print(m.version('torch'))"],
        capture_output=True, text=True)
    return (proc.stdout.strip() or None) if proc.returncode == 0 else None


def probe_index(index_url: str, timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """None when `<index>/torch/` lists torch wheels; else why not, in a few words.

    The whole probe, name lookup included (which urllib's timeout does not cover), gets at most
    `timeout` seconds: it runs in a daemon thread that is abandoned when time is up.
    """
    url = index_url.rstrip("/") + "/torch/"
    result: list[str | None] = []

    def fetch() -> None:
        try:
            context = ssl.create_default_context(cafile=os.environ.get("PIP_CERT") or None)
            with urllib.request.urlopen(url, timeout=timeout, context=context) as response:
                page = response.read(65536)
            result.append(None if b"torch-" in page else "its torch page lists no wheels")
        except urllib.error.HTTPError as exc:
            result.append(f"HTTP {exc.code}")
        except Exception as exc:  # noqa: BLE001 - any failure means: not usable
            reason = getattr(exc, "reason", None) or exc
            result.append(str(getattr(reason, "strerror", None) or reason) or type(exc).__name__)

    thread = threading.Thread(target=fetch, name="torch-index-probe", daemon=True)
    thread.start()
    thread.join(timeout)
    return result[0] if result else f"no answer in {timeout:g} s"


def choose(python: str, build: str, index_url: str, timeout: float = PROBE_TIMEOUT_S) -> Choice:
    """The cheap questions first: the network is asked only when nothing else decides."""
    if build == "default":
        return Choice("default", "TORCH_BUILD=default")
    version = installed_torch(python)
    if version:
        return Choice("installed", f"torch {version} is already installed (delete the environment "
                                   "to change builds)")
    if build == "auto":
        if SYSTEM != "linux":
            return Choice("default", f"PyPI's torch for {SYSTEM} has no CUDA libraries")
        gpu = nvidia_gpu()
        if gpu:
            return Choice("default", gpu)
    if not index_url:
        return Choice("default", "no CPU index set (TORCH_CPU_INDEX is empty)")
    problem = probe_index(index_url, timeout)
    if problem:
        return Choice("default", f"PyTorch's CPU wheel index ({index_url}) is unreachable "
                                 f"({problem})", fallback=True)
    return Choice("cpu", ("no NVIDIA GPU" if build == "auto" else "TORCH_BUILD=cpu")
                  + f", and PyTorch's CPU wheel index ({index_url}) answers")


def pip_command(python: str, index_url: str) -> list[str]:
    """torch and torchvision from the CPU index only, so neither can come from PyPI's CUDA
    build; pip's other settings (find-links, constraints) still apply."""
    return [python, "-m", "pip", "install", "--index-url", index_url, "torch", "torchvision"]


def cmd_choose(args: argparse.Namespace) -> int:
    choice = choose(args.python, args.build, args.index_url)
    print(f"{choice.build}: {choice.reason}")
    return 2 if args.build == "cpu" and choice.build == "default" else 0


def cmd_install(args: argparse.Namespace) -> int:
    choice = choose(args.python, args.build, args.index_url)
    if choice.build == "default" and args.build == "cpu":
        print(f"lenet-app: TORCH_BUILD=cpu, but {choice.reason}", file=sys.stderr)
        return 2
    if choice.fallback:
        print(f"lenet-app: {choice.reason}: {DEFAULT_BUILD_NOTE}", file=sys.stderr)
    if choice.build != "cpu":
        return 0
    command = pip_command(args.python, args.index_url)
    print(f"lenet-app: installing the CPU build of torch from {args.index_url} "
          "(TORCH_BUILD=default for the default build)", file=sys.stderr)
    if args.dry_run:
        print(shlex.join(command))
        return 0
    if subprocess.run(command).returncode == 0:
        return 0
    if args.build == "cpu":
        print(f"lenet-app: pip could not install torch from {args.index_url}", file=sys.stderr)
        return 1
    print(f"lenet-app: pip could not install torch from PyTorch's CPU wheel index "
          f"({args.index_url}): {DEFAULT_BUILD_NOTE}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="torch_build.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func in (("choose", cmd_choose), ("install", cmd_install)):
        p = sub.add_parser(name)
        p.add_argument("--python", default=sys.executable, help="the environment's Python")
        p.add_argument("--build", default=os.environ.get("TORCH_BUILD") or "auto")
        p.add_argument("--index-url", default=os.environ.get("TORCH_CPU_INDEX", DEFAULT_CPU_INDEX))
        if name == "install":
            p.add_argument("--dry-run", action="store_true", help="print the pip command only")
        p.set_defaults(func=func)
    args = parser.parse_args(argv)
    args.build = args.build or "auto"
    if args.build not in BUILDS:
        parser.error(f"TORCH_BUILD must be one of {', '.join(BUILDS)}, not {args.build!r}")
    if shutil.which(args.python) is None:
        parser.error(f"no Python at {args.python}")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
