import subprocess
import sys
from pathlib import Path

import lenet_app.core as core


def test_core_never_imports_qt():
    modules = sorted(p.stem for p in Path(core.__file__).parent.glob("*.py") if p.stem != "__init__")
    code = (
        "import sys\n"
        + "".join(f"import lenet_app.core.{name}\n" for name in modules)
        + "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6')]\n"
        + "print(len(sys.modules)); assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(modules) >= 7


def test_option_and_error_modules_never_import_torch():
    """The CLI parser is built from these, so `--help` and `--version` stay instant."""
    torch_free = ("architectures", "config", "errors", "formatting")
    code = (
        "import sys\n"
        + "".join(f"import lenet_app.core.{name}\n" for name in torch_free)
        + "import lenet_app.cli\n"
        + "heavy = [m for m in sys.modules if m.split('.')[0] in ('torch', 'numpy', 'PIL')]\n"
        + "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
