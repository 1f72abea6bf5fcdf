"""Packaging: one resource lookup in all three settings, the wheel, the desktop files, the icons.

The wheel test builds the wheel from a copy of the sources, installs it into a fresh virtual
environment that reuses this environment's PyTorch and Qt, and runs the installed entry points
from an empty folder. It takes about a minute; deselect it with `-m "not slow"`.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from lenet_app import __version__
from lenet_app.core import resources

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
APP_ID = "io.github.lenet_app.LeNetDigits"
ICON_SIZES = (16, 32, 48, 64, 128, 256)


def _clean_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp / "config"),
               XDG_DATA_HOME=str(tmp / "data"))
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


# --- the one resource lookup, in its three settings -----------------------------------------


def test_source_checkout_finds_the_repository_resources(monkeypatch):
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert resources.resources_dir() == ROOT / "resources"
    assert resources.resource_path("models", "lenet5.pt").is_file()
    assert resources.resource_path("samples", "digit_7.png").is_file()
    assert resources.resource_path("icons", "lenet-app.svg").is_file()


def test_frozen_app_finds_the_bundled_resources(monkeypatch, tmp_path):
    bundled = tmp_path / "lenet_app" / "resources"
    (bundled / "models").mkdir(parents=True)
    (bundled / "models" / "lenet5.pt").write_bytes(b"not a real model")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_dir() == bundled
    assert resources.resource_path("models", "lenet5.pt").read_bytes() == b"not a real model"


def test_frozen_app_without_resources_falls_back_and_reports(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_dir() == ROOT / "resources"  # nothing bundled: the next candidate

    monkeypatch.setattr(resources, "_PACKAGE_DIR", tmp_path / "nowhere" / "pkg")
    with pytest.raises(FileNotFoundError, match="resources not found") as info:
        resources.resources_dir()
    assert str(tmp_path / "lenet_app" / "resources") in str(info.value)


def test_installed_package_layout_finds_package_resources(monkeypatch, tmp_path):
    """The wheel's layout (site-packages/lenet_app/resources), with a copy of the real module."""
    site = tmp_path / "site-packages"
    (site / "lenet_app" / "core").mkdir(parents=True)
    (site / "lenet_app" / "resources" / "models").mkdir(parents=True)
    shutil.copy(Path(resources.__file__), site / "lenet_app" / "core" / "resources.py")
    spec = importlib.util.spec_from_file_location("_wheel_resources",
                                                  site / "lenet_app" / "core" / "resources.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert module.resources_dir() == site / "lenet_app" / "resources"


# --- the wheel, installed for real ---------------------------------------------------------


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def _venv_script(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if sys.platform == "win32" else "bin") / (
        name + (".exe" if sys.platform == "win32" else ""))


@pytest.mark.slow
def test_wheel_installs_entry_points_and_resources(tmp_path):
    # Build from a copy of what the wheel is made of, so no build output lands in the tree.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("lenet_app", "resources"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "--wheel-dir", str(wheels), str(src)], check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("lenet_app-*.whl")

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    for needed in ["lenet_app/resources/models/lenet5.pt", "lenet_app/resources/samples/digit_7.png",
                   "lenet_app/resources/icons/lenet-app.svg",
                   *(f"lenet_app/resources/icons/lenet-app-{n}.png" for n in ICON_SIZES)]:
        assert needed in names
    assert re.search(r"\[gui_scripts\]\s*\nlenet-app = lenet_app\.cli:main", entry_points)
    assert re.search(r"\[console_scripts\]\s*\nlenet-app-cli = lenet_app\.cli:main", entry_points)

    # A fresh environment that sees this one's heavy packages (torch, PySide6) through a .pth
    # line: `venv --system-site-packages` would reach the base interpreter's, not this venv's.
    # Path lines of a .pth come after the venv's own site-packages, and the .pth files of the
    # added folder (this checkout's editable install) are not run, so `lenet_app` comes from
    # the wheel.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = _venv_python(venv)
    venv_site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    (venv_site / "_lenet_app_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--ignore-installed", str(wheel)], check=True, cwd=tmp_path)

    work = tmp_path / "work"  # an empty folder: nothing of the source tree to pick up
    work.mkdir()
    shutil.copy(ROOT / "resources" / "samples" / "digit_7.png", work / "seven.png")
    env = _clean_env(tmp_path)

    def run(*cmd: str | Path) -> str:
        proc = subprocess.run([str(c) for c in cmd], cwd=work, env=env, capture_output=True,
                              text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    where = run(python, "-c", "import lenet_app.core.resources as r; print(r.__file__); "
                              "print(r.resources_dir())").split()
    assert Path(where[0]).is_relative_to(venv_site)
    assert Path(where[1]) == venv_site / "lenet_app" / "resources"

    line = run(_venv_script(venv, "lenet-app-cli"), "predict", "--json", "seven.png")
    assert json.loads(line)["digit"] == 7
    assert run(_venv_script(venv, "lenet-app-cli"), "--version").strip() == f"LeNet Digits {__version__}"
    assert "self-test passed" in run(_venv_script(venv, "lenet-app"), "--self-test")


# --- desktop integration and icons ----------------------------------------------------------


def test_icons_exist_in_every_size():
    from PIL import Image

    svg = (ROOT / "resources" / "icons" / "lenet-app.svg").read_text(encoding="utf-8")
    assert 'viewBox="0 0 256 256"' in svg
    for size in ICON_SIZES:
        with Image.open(ROOT / "resources" / "icons" / f"lenet-app-{size}.png") as image:
            assert image.size == (size, size)
            assert image.mode == "RGBA"


def test_app_icon_loads_every_size(qapp):
    from lenet_app.gui.app import app_icon

    sizes = {(s.width(), s.height()) for s in app_icon().availableSizes()}
    assert {(n, n) for n in ICON_SIZES} <= sizes


def test_desktop_entry_and_metainfo_are_valid():
    desktop = (LINUX / "lenet-app.desktop").read_text(encoding="utf-8")
    assert "\nExec=lenet-app\n" in desktop and "\nIcon=lenet-app\n" in desktop
    metainfo = (LINUX / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    assert f"<id>{APP_ID}</id>" in metainfo
    assert "<launchable type=\"desktop-id\">lenet-app.desktop</launchable>" in metainfo
    assert f'<release version="{__version__}"' in metainfo
    if shutil.which("desktop-file-validate"):
        proc = subprocess.run(["desktop-file-validate", str(LINUX / "lenet-app.desktop")],
                              capture_output=True, text=True)
        assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr
    if shutil.which("appstreamcli"):
        proc = subprocess.run(["appstreamcli", "validate", "--no-net",
                               str(LINUX / f"{APP_ID}.metainfo.xml")], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG desktop integration is Linux's")
def test_install_desktop_script_installs_and_uninstalls(tmp_path):
    data = tmp_path / "share"
    env = dict(os.environ, XDG_DATA_HOME=str(data))
    exe = tmp_path / "my apps" / "lenet-app"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    script = LINUX / "install-desktop.sh"
    subprocess.run(["sh", str(script), "install", "--exec", str(exe)], env=env, check=True,
                   capture_output=True)
    desktop = data / "applications" / "lenet-app.desktop"
    text = desktop.read_text(encoding="utf-8")
    assert f'\nExec="{exe}"\n' in text and f"\nTryExec={exe}\n" in text
    installed = [desktop, data / "metainfo" / f"{APP_ID}.metainfo.xml",
                 data / "icons" / "hicolor" / "scalable" / "apps" / "lenet-app.svg",
                 *(data / "icons" / "hicolor" / f"{n}x{n}" / "apps" / "lenet-app.png" for n in ICON_SIZES)]
    assert all(path.is_file() for path in installed)
    if shutil.which("desktop-file-validate"):
        proc = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
        assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout

    subprocess.run(["sh", str(script), "uninstall"], env=env, check=True, capture_output=True)
    assert not any(path.exists() for path in installed)

    proc = subprocess.run(["sh", str(script), "install"], env=env, capture_output=True, text=True)
    assert proc.returncode == 2 and "--exec" in proc.stderr  # from a checkout it needs the path


# --- the PyInstaller spec and its helper ----------------------------------------------------


def test_spec_keeps_every_qt_module_the_app_imports():
    spec = (PACKAGING / "lenet-app.spec").read_text(encoding="utf-8")
    compile(spec, "lenet-app.spec", "exec")
    excluded = set(re.findall(r'"(Qt\w+)"', spec))
    used = set()
    for path in (ROOT / "lenet_app").rglob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert used, "found no Qt imports"
    assert not used & excluded, f"the spec excludes Qt modules the app imports: {used & excluded}"
    assert '"lenet_app/resources"' in spec


def test_bundle_helper_lists_dependencies_without_torch():
    proc = subprocess.run([sys.executable, str(PACKAGING / "bundle.py"), "deps", "--without",
                           "torch", "torchvision"], capture_output=True, text=True, check=True)
    deps = proc.stdout.split()
    assert any(d.startswith("PySide6") for d in deps)
    assert not any(re.match(r"torch", d) for d in deps)
