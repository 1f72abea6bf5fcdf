"""Work on the frozen app in dist/: smoke-test it, report its size, pack it into an archive.

    python packaging/bundle.py check   [--dist DIR]   run the bundle's executables (exit 1 if wrong)
    python packaging/bundle.py size    [--dist DIR]   total size, and what CUDA and Triton take
    python packaging/bundle.py archive [--dist DIR] [--suffix cpu]
                                                     dist/lenet-app-VERSION-OS-ARCH[-cpu].tar.gz
                                                     (.zip on Windows)
    python packaging/bundle.py deps --without torch torchvision
                                                     the project's dependencies minus some, one a line

Standard library only, the same on Linux, Windows and macOS: `make dist`, `make dist-check`
and the release workflow (.github/workflows/release.yml) all call it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_BUNDLE = "LeNet Digits.app"
# File names that belong to CUDA (torch's CUDA build, NVIDIA's libraries) or to Triton.
CUDA_PATTERNS = re.compile(
    r"(^|/)(nvidia|cuda|triton)(/|$)|lib(cu[a-z]*|nccl|nvrtc|nvJitLink|nvshmem|nvToolsExt|cufile"
    r"|torch_cuda|c10_cuda|caffe2_nvrtc|torch_nvshmem)[^/]*\.so", re.IGNORECASE)


def version() -> str:
    text = (ROOT / "lenet_app" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__\s*=\s*"([^"]+)"', text).group(1)


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{system}-{machine}"


def executable(folder: Path, name: str) -> Path:
    return folder / (name + ".exe" if sys.platform == "win32" else name)


def folder_size(path: Path) -> tuple[int, int]:
    """(all bytes, CUDA/Triton bytes) of the regular files under path, symlinks not followed."""
    total = cuda = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            file = Path(dirpath) / name
            if file.is_symlink():
                continue
            size = file.stat().st_size
            total += size
            if CUDA_PATTERNS.search(file.relative_to(path).as_posix()):
                cuda += size
    return total, cuda


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


# --- commands -----------------------------------------------------------------------------


def cmd_size(args: argparse.Namespace) -> int:
    bundle = args.dist / "lenet-app"
    total, cuda = folder_size(bundle)
    internal = bundle / "_internal"
    parts = []
    if internal.is_dir():
        for child in internal.iterdir():
            if child.is_symlink():
                continue
            size = folder_size(child)[0] if child.is_dir() else child.stat().st_size
            parts.append((size, child.name))
    print(f"{bundle}: {mib(total)} ({total:,} bytes); CUDA and Triton files: {mib(cuda)}")
    for size, name in sorted(parts, reverse=True)[:12]:
        print(f"  {mib(size):>12}  _internal/{name}")
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    app = args.dist / APP_BUNDLE
    source = app if sys.platform == "darwin" and app.is_dir() else args.dist / "lenet-app"
    if not source.is_dir():
        print(f"bundle.py: {source} not found; build it first (make dist)", file=sys.stderr)
        return 1
    stem = f"lenet-app-{version()}-{platform_tag()}" + (f"-{args.suffix}" if args.suffix else "")
    start = time.monotonic()
    if sys.platform == "win32":
        out = Path(shutil.make_archive(str(args.dist / stem), "zip", source.parent, source.name))
    else:
        out = args.dist / f"{stem}.tar.gz"
        # tar keeps symlinks (the macOS .app has some) and the executable bits.
        with tarfile.open(out, "w:gz", compresslevel=6) as tar:
            tar.add(source, arcname=source.name)
    print(f"{out}: {mib(out.stat().st_size)} from {mib(folder_size(source)[0])} "
          f"in {time.monotonic() - start:.0f} s")
    return 0


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str, str, float]:
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    return proc.returncode, proc.stdout.strip(), proc.stderr.strip(), time.monotonic() - start


def _is_onnx(path: Path) -> bool:
    """An ONNX model that names its input `image` (read by the build environment's onnx)."""
    import onnx

    try:
        model = onnx.load(str(path))
        onnx.checker.check_model(model)
    except Exception as exc:  # noqa: BLE001 - onnx's own error types vary by version
        print(f"{path.name}: {exc}")
        return False
    return [value.name for value in model.graph.input] == ["image"]


def cmd_check(args: argparse.Namespace) -> int:
    """Smoke-test every built form of the bundle from an empty folder, as a user would run it."""
    folders = [args.dist / "lenet-app"]
    if sys.platform == "darwin" and (args.dist / APP_BUNDLE).is_dir():
        folders.append(args.dist / APP_BUNDLE / "Contents" / "MacOS")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="lenet-app-check-") as tmp:
        work = Path(tmp)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(work / "config"),
                   XDG_DATA_HOME=str(work / "data"), LENET_APP_MNIST_DIR=str(work / "no-mnist"))
        env.pop("PYTHONPATH", None)
        sample = work / "digit_7.png"
        shutil.copy(ROOT / "resources" / "samples" / "digit_7.png", sample)
        for folder in folders:
            cli = executable(folder, "lenet-app-cli")
            checks = [
                ([str(cli), "--version"], lambda out: out == f"LeNet Digits {version()}"),
                ([str(cli), "--self-test"], lambda out: "self-test passed" in out),
                ([str(cli), "predict", "--json", str(sample)],
                 lambda out: json.loads(out.splitlines()[-1])["digit"] == 7),
                # captum (and the matplotlib it imports), then the page drawn with Agg and
                # written by the PDF backend, with matplotlib's bundled fonts
                ([str(cli), "explain", "--json", str(sample)],
                 lambda out: json.loads(out.splitlines()[-1])["attribution"]["target"] == 7),
                ([str(cli), "explain", str(sample), "--out", "page.pdf"],
                 lambda out: (work / "page.pdf").read_bytes().startswith(b"%PDF")),
                # torch's ONNX exporter imports onnx and onnxscript as it runs: all bundled?
                ([str(cli), "export", "lenet5-1998", "--format", "onnx", "--out", "model.onnx"],
                 lambda out: _is_onnx(work / "model.onnx")),
                ([str(cli), "export", "lenet5-1998", "--format", "torchscript", "--out", "model.ts"],
                 lambda out: zipfile.is_zipfile(work / "model.ts")),
            ]
            if sys.platform.startswith("linux"):
                # On Linux the GUI executable is a console program too, so it can say so itself.
                checks.append(([str(executable(folder, "lenet-app")), "--self-test"],
                               lambda out: "self-test passed" in out))
            for cmd, ok in checks:
                if not Path(cmd[0]).exists():
                    print(f"FAIL {cmd[0]} does not exist")
                    failures += 1
                    continue
                code, out, err, seconds = _run(cmd, work, env)
                try:
                    good = code == 0 and ok(out)
                except (ValueError, KeyError, IndexError, OSError):
                    good = False
                shown = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))
                print(f"{'ok  ' if good else 'FAIL'} {shown} ({seconds:.1f} s, exit {code}): "
                      f"{out.splitlines()[-1] if out else ''}", flush=True)
                if not good:
                    failures += 1
                    print(f"--- stdout\n{out}\n--- stderr\n{err}", flush=True)
    print(f"bundle check: {failures} failed" if failures else "bundle check: all passed")
    return 1 if failures else 0


def cmd_deps(args: argparse.Namespace) -> int:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib

        deps = tomllib.loads(text)["project"]["dependencies"]
    except ImportError:  # Python 3.10
        block = re.search(r"^dependencies\s*=\s*\[(.*?)^\]", text, re.MULTILINE | re.DOTALL).group(1)
        deps = re.findall(r'"([^"]+)"', block)
    without = {name.lower() for name in args.without}
    for dep in deps:
        name = re.match(r"[A-Za-z0-9._-]+", dep).group(0).lower()
        if name not in without:
            print(dep)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bundle.py", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func in (("check", cmd_check), ("size", cmd_size), ("archive", cmd_archive)):
        p = sub.add_parser(name)
        p.add_argument("--dist", type=Path, default=ROOT / "dist")
        p.set_defaults(func=func)
        if name == "archive":
            p.add_argument("--suffix", default="", help="e.g. cpu for the CPU-only build")
    p = sub.add_parser("deps")
    p.add_argument("--without", nargs="*", default=[])
    p.set_defaults(func=cmd_deps)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
