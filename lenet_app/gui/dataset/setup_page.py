"""What the Dataset tab shows until MNIST is loaded: the page to get it (download it, or choose
the folder that holds it) and the page shown while it is being read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from lenet_app.core import mnist as core_mnist
from lenet_app.gui.jobs import Job, JobControl, JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.state import DatasetState
from lenet_app.gui.style import bold_font
from lenet_app.gui.text import arg, format_count
from lenet_app.gui.widgets import Banner


def _heading(scale: float) -> QLabel:
    label = QLabel()
    label.setFont(bold_font(label.font(), scale))
    return label


def _download(control: JobControl) -> Path:
    # `core_mnist.download_mnist` is looked up at call time, so tests can replace the downloader.
    return core_mnist.download_mnist(progress=control.progress, cancel=control.is_cancelled)


class MnistSetupPage(Retranslating, QWidget):
    """Says why MNIST is missing and offers both ways to get it; loads what it gets. The
    user's own digits can be browsed meanwhile (`browse_my_digits`)."""

    browse_my_digits = Signal()

    def __init__(self, dataset: DatasetState, jobs: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mnistMissingPage")
        self._dataset = dataset
        self._jobs = jobs
        self._download_job: Job | None = None
        # What the progress bar and the error banner say, as functions of the moment's state:
        # they are formatted again in another language.
        self._download_format: Callable[[], str] = lambda: ""
        self._error_text: Callable[[], str] | None = None

        self.title = _heading(1.5)
        self.title.setObjectName("mnistMissingTitle")
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setTextFormat(Qt.TextFormat.RichText)
        self.missing_reason = Banner("mnistMissingReason")

        self.download_button = QPushButton()
        self.download_button.setObjectName("downloadMnistButton")
        self.download_button.clicked.connect(self._on_download)
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("chooseMnistFolderButton")
        self.choose_button.clicked.connect(self._on_choose_folder)
        self.browse_my_button = QPushButton()
        self.browse_my_button.setObjectName("browseMyDigitsButton")
        self.browse_my_button.clicked.connect(self.browse_my_digits)
        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.choose_button)
        buttons.addStretch(1)
        buttons.addWidget(self.browse_my_button)

        self.download_bar = QProgressBar()
        self.download_bar.setObjectName("downloadProgressBar")
        self.cancel_download_button = QPushButton()
        self.cancel_download_button.setObjectName("cancelDownloadButton")
        self.cancel_download_button.clicked.connect(self._on_cancel_download)
        self.download_row = QWidget()
        download_layout = QHBoxLayout(self.download_row)
        download_layout.setContentsMargins(0, 0, 0, 0)
        download_layout.addWidget(self.download_bar, 1)
        download_layout.addWidget(self.cancel_download_button)
        self.download_row.hide()
        self.missing_error = Banner("mnistMissingError")

        box = QWidget()
        box.setMaximumWidth(720)
        box_layout = QVBoxLayout(box)
        box_layout.setSpacing(12)
        for widget in (self.title, self.explain, self.missing_reason):
            box_layout.addWidget(widget)
        box_layout.addLayout(buttons)
        box_layout.addWidget(self.download_row)
        box_layout.addWidget(self.missing_error)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 4)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

        dataset.changed.connect(self._on_dataset_changed)
        dataset.my_changed.connect(self._on_my_digits_changed)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text of the page, and the reason, progress and error it shows now."""
        self.title.setText(self.tr("MNIST is not on this computer yet"))
        self.explain.setText(self.tr(
            "The Dataset tab shows the 70,000 handwritten digits of MNIST and how the model "
            "reads each of them. Download MNIST once (about 11 MB), or choose a folder that "
            "already holds it: the four <tt>.gz</tt> files, or torchvision's <tt>MNIST/raw</tt> "
            "folder or its parent. The Draw tab works without it."))
        self.download_button.setText(self.tr("Download MNIST (about 11 MB)"))
        self.download_button.setAccessibleName(self.tr("Download MNIST"))
        self.download_button.setToolTip(arg(self.tr("Fetch the four MNIST files into %1"),
                                            core_mnist.default_mnist_dir()))
        self.choose_button.setText(self.tr("Choose folder…"))
        self.choose_button.setAccessibleName(self.tr("Choose the MNIST folder"))
        self.choose_button.setToolTip(self.tr("Point the app at a folder that already holds MNIST"))
        self.browse_my_button.setAccessibleName(self.tr("Browse my digits"))
        self.browse_my_button.setToolTip(self.tr("Browse the digits you saved in the Draw tab; MNIST "
                                                 "can be fetched later"))
        self.download_bar.setAccessibleName(self.tr("Download progress"))
        self.download_bar.setToolTip(self.tr("Bytes of MNIST downloaded so far"))
        if self._download_job is not None:
            self.download_bar.setFormat(self._download_format())
        self.cancel_download_button.setText(self.tr("Cancel"))
        self.cancel_download_button.setAccessibleName(self.tr("Cancel the download"))
        self.cancel_download_button.setToolTip(self.tr("Stop downloading; complete files are kept"))
        if self._error_text is not None:
            self._show_error(self.missing_error.kind, self._error_text)
        self._on_dataset_changed()
        self._on_my_digits_changed()

    @Slot()
    def _on_my_digits_changed(self) -> None:
        count = 0 if self._dataset.my_digits is None else len(self._dataset.my_digits)
        self.browse_my_button.setText(arg(self.tr("Browse my digits (%1)"), format_count(count)))
        self.browse_my_button.setVisible(count > 0)

    def downloading(self) -> bool:
        return self._download_job is not None

    def cancel(self) -> None:
        """Ask a running download to stop (complete files are kept); does not wait."""
        if self._download_job is not None:
            self._download_job.cancel()

    def _show_error(self, kind: str, text: Callable[[], str]) -> None:
        self._error_text = text
        self.missing_error.show_message(kind, text())

    def _hide_error(self) -> None:
        self._error_text = None
        self.missing_error.hide()

    def _set_download_format(self, text: Callable[[], str]) -> None:
        self._download_format = text
        self.download_bar.setFormat(text())

    def use_mnist_folder(self, folder: str | Path) -> bool:
        """Load MNIST from a folder the user picked; False (and an inline message) if it lacks it."""
        folder = Path(folder)
        found = DatasetState.locate(folder) or DatasetState.locate(folder / "raw")
        if found is None:
            self._show_error("error", lambda: arg(self.tr(
                "No MNIST in %1. Choose the folder that holds the four files %2, torchvision's "
                "MNIST/raw folder, or its parent."), folder, ", ".join(core_mnist.gz_file_names())))
            return False
        self._hide_error()
        self._dataset.load_async(self._jobs, found)
        return True

    @Slot()
    def _on_dataset_changed(self) -> None:
        if self._dataset.available:
            self._hide_error()
        else:
            self.missing_reason.show_message("info", self._dataset.error or self.tr("MNIST has not been loaded."))

    # --- downloading ----------------------------------------------------------------------

    @Slot()
    def _on_download(self) -> None:
        if self._download_job is not None:
            return
        job = Job(_download, "download-mnist")
        job.progress.connect(self._on_download_progress)
        job.succeeded.connect(self._on_download_succeeded)
        job.failed.connect(self._on_download_failed)
        job.cancelled.connect(self._on_download_cancelled)
        job.finished.connect(self._on_download_finished)
        self._download_job = job
        self._hide_error()
        self.download_bar.setRange(0, 0)
        self._set_download_format(lambda: self.tr("Connecting…"))
        self.download_row.show()
        self.cancel_download_button.setEnabled(True)
        self.download_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self._jobs.start(job)

    @Slot(int, int)
    def _on_download_progress(self, done: int, total: int) -> None:
        megabytes = f"{done / 1e6:.1f}"
        if total > 0:
            self.download_bar.setRange(0, 1000)
            self.download_bar.setValue(int(1000 * done / total))
            self._set_download_format(lambda: arg(self.tr("Downloading MNIST… %1 of %2 MB"),
                                                  megabytes, f"{total / 1e6:.1f}"))
        else:
            self._set_download_format(lambda: arg(self.tr("Downloading MNIST… %1 MB"), megabytes))

    @Slot(object)
    def _on_download_succeeded(self, folder: Path) -> None:
        self._dataset.load_async(self._jobs, folder)

    @Slot(str)
    def _on_download_failed(self, message: str) -> None:
        self._show_error("error", lambda: message)  # the core's words, as they came

    @Slot()
    def _on_download_cancelled(self) -> None:
        self._show_error("info", lambda: self.tr(
            "Download cancelled. Files that were complete are kept, so the next download "
            "continues from there."))

    @Slot()
    def _on_download_finished(self) -> None:
        self._download_job = None
        self.download_row.hide()
        self.download_button.setEnabled(True)
        self.choose_button.setEnabled(True)

    @Slot()
    def _on_cancel_download(self) -> None:
        if self._download_job is not None:
            self._download_job.cancel()
            self.cancel_download_button.setEnabled(False)
            self._set_download_format(lambda: self.tr("Cancelling…"))

    @Slot()
    def _on_choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the folder with MNIST"),
                                                  str(self._dataset.directory or Path.home()))
        if folder:
            self.use_mnist_folder(folder)


class MnistLoadingPage(Retranslating, QWidget):
    """A busy bar while MNIST is read (a second or two)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mnistLoadingPage")
        self.label = _heading(1.3)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy = QProgressBar()
        self.busy.setObjectName("mnistLoadingBar")
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(360)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(self.tr("Loading MNIST…"))
        self.busy.setAccessibleName(self.tr("Loading MNIST"))
        self.busy.setToolTip(self.tr("Reading the 70,000 images; this takes a second or two"))
