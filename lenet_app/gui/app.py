"""Start the desktop application (and its offscreen self-test)."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from lenet_app import __version__
from lenet_app.core import runtime
from lenet_app.core.resources import resource_path, resources_dir
from lenet_app.gui.language import chosen_language, use_language
from lenet_app.gui.text import arg

log = logging.getLogger("lenet_app")

ORGANIZATION = "LeNet Digits"
APPLICATION = "LeNet Digits"


def _log_file() -> Path:
    from lenet_app.core.mnist import user_data_dir

    folder = user_data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "lenet-app.log"


def _setup_logging() -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    try:
        handlers.append(logging.FileHandler(_log_file(), encoding="utf-8"))
    except OSError:
        pass
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        handlers=handlers)


def _install_exception_hook() -> None:
    """Show unexpected exceptions in a dialog and the log; the app keeps running."""

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unexpected error\n%s", text)
        app = QApplication.instance()
        if app is not None and not app.closingDown():
            box = QMessageBox(QMessageBox.Icon.Critical,
                              QCoreApplication.translate("app", "Unexpected error"),
                              arg(QCoreApplication.translate(
                                  "app", "Something went wrong, but your work is safe and the app "
                                  "keeps running.\n\n%1: %2"), exc_type.__name__, exc))
            box.setDetailedText(text)
            box.exec()

    sys.excepthook = hook


def app_icon() -> QIcon:
    icon = QIcon()
    icons = resources_dir() / "icons"
    if icons.is_dir():
        for png in sorted(icons.glob("lenet-app-*.png")):
            icon.addFile(str(png))
        svg = icons / "lenet-app.svg"
        if svg.exists():
            icon.addFile(str(svg))
    return icon


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    app.setDesktopFileName("lenet-app")
    app.setWindowIcon(app_icon())
    use_language(chosen_language(), app)
    return app


def run_app() -> int:
    _setup_logging()
    app = create_application()
    _install_exception_hook()
    runtime.reserve_gui_thread()
    from lenet_app.gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    return exit_status(app.exec())


def exit_status(status: int) -> int:
    """The status to exit with once the event loop has returned.

    A job that is still blocked after the window's shutdown waited for it (a download on a
    dead connection) cannot be interrupted, and were it to wake during interpreter teardown it
    would emit signals of Qt objects already destroyed. So the process then ends at once,
    without the destructors: the user has asked to quit, and every file is already either
    complete or a hidden temp file.
    """
    from lenet_app.gui.jobs import running_jobs

    left = running_jobs()
    if left:
        log.warning("quitting with %d background task(s) still blocked; not waiting for them", left)
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


def self_test() -> int:
    """Build the real window offscreen, read a bundled sample digit, report in one line."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        app = create_application([sys.argv[0]])
        runtime.reserve_gui_thread()
        from lenet_app.core import load_model, predict
        from lenet_app.core.preprocess import load_image
        from lenet_app.gui.main_window import MainWindow

        window = MainWindow()
        window.show()
        app.processEvents()
        model = load_model()
        samples = sorted(resource_path("samples").glob("digit_*.png"))
        if not samples:
            raise RuntimeError("no bundled sample digits found")
        for sample in samples:
            expected = int(sample.stem.split("_")[1])
            got = predict(model, load_image(sample)).digit
            if got != expected:
                raise RuntimeError(f"sample {sample.name} read as {got}, expected {expected}")
        window.draw_tab.open_image_file(samples[0])
        QTimer.singleShot(0, window.close)
        app.processEvents()
        window.close()
        print(f"LeNet Digits {__version__} self-test passed: window built, model "
              f"{model.describe()}, {len(samples)} sample digits read correctly")
        return 0
    except Exception as exc:  # noqa: BLE001 - a self-test reports, never crashes
        print(f"LeNet Digits {__version__} self-test FAILED: {type(exc).__name__}: {exc}")
        return 1
