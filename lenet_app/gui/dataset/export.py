"""File → Export images…: ask where and what, write the pictures on a job, say how it went."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lenet_app.core.mnist import ExportResult, export_splits
from lenet_app.gui.jobs import Job, JobRunner
from lenet_app.gui.language import Retranslating
from lenet_app.gui.state import DatasetState
from lenet_app.gui.text import arg, format_count


class ExportImagesDialog(Retranslating, QDialog):
    """Asks where to write the MNIST pictures, which splits and in which format."""

    def __init__(self, counts: dict[str, int], folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportImagesDialog")
        self._counts = counts
        self.intro = QLabel()
        self.intro.setWordWrap(True)

        self.folder_edit = QLineEdit(folder)
        self.folder_edit.setObjectName("exportFolderEdit")
        self.browse_button = QPushButton()
        self.browse_button.setObjectName("exportBrowseButton")
        self.browse_button.clicked.connect(self._on_browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)

        self.split_checks: dict[str, QCheckBox] = {}
        split_box = QVBoxLayout()
        for name in ("train", "test"):
            check = QCheckBox()
            check.setObjectName(f"export{name.title()}Check")
            check.setChecked(name == "test")
            check.setEnabled(name in counts)
            check.toggled.connect(self._on_changed)
            self.split_checks[name] = check
            split_box.addWidget(check)

        self.format_combo = QComboBox()
        self.format_combo.setObjectName("exportFormatCombo")
        for fmt in ("png", "jpg"):
            self.format_combo.addItem("", fmt)

        self.row_labels = [QLabel() for _ in range(3)]  # Folder:, Splits:, Format:
        self.row_labels[2].setBuddy(self.format_combo)
        form = QFormLayout()
        for label, field in zip(self.row_labels, (folder_row, split_box, self.format_combo)):
            form.addRow(label, field)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportStartButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.folder_edit.textChanged.connect(self._on_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.resize(520, self.sizeHint().height())
        self._on_changed()

    def retranslate(self) -> None:
        """Title, labels, items and tooltips (the Cancel button is Qt's own)."""
        self.setWindowTitle(self.tr("Export MNIST images"))
        self.intro.setText(self.tr(
            "Writes every image as a picture named <i>split_index_label</i> "
            "(for example <tt>test_0_7.png</tt>). Pictures already in the folder are kept, "
            "so a stopped export continues where it left off."))
        self.folder_edit.setAccessibleName(self.tr("Export folder"))
        self.folder_edit.setToolTip(self.tr("The pictures are written into this folder; it is created when missing"))
        self.folder_edit.setPlaceholderText(self.tr("Folder for the pictures"))
        self.browse_button.setText(self.tr("Browse…"))
        self.browse_button.setAccessibleName(self.tr("Browse for the folder"))
        self.browse_button.setToolTip(self.tr("Choose the export folder"))
        split_texts = {"train": self.tr("Training set (%1 images)"), "test": self.tr("Test set (%1 images)")}
        for name, check in self.split_checks.items():
            text = arg(split_texts[name], format_count(self._counts.get(name, 0)))
            check.setText(text)
            check.setAccessibleName(text)
            check.setToolTip(self.tr("Export this split"))
        self.format_combo.setAccessibleName(self.tr("Picture format"))
        self.format_combo.setToolTip(self.tr("PNG keeps every pixel exactly; JPEG files are smaller"))
        self.format_combo.setItemText(self.format_combo.findData("png"), self.tr("PNG (lossless)"))
        self.format_combo.setItemText(self.format_combo.findData("jpg"), self.tr("JPEG"))
        for label, text in zip(self.row_labels, (self.tr("Folder:"), self.tr("Splits:"), self.tr("Format:"))):
            label.setText(text)
        self.export_button.setText(self.tr("Export"))
        self.export_button.setAccessibleName(self.tr("Export"))
        self.export_button.setToolTip(self.tr("Write the pictures (needs a folder and a split)"))

    def folder(self) -> str:
        return self.folder_edit.text().strip()

    def splits(self) -> list[str]:
        return [name for name, check in self.split_checks.items() if check.isChecked() and check.isEnabled()]

    def image_format(self) -> str:
        return str(self.format_combo.currentData())

    @Slot()
    def _on_changed(self) -> None:
        self.export_button.setEnabled(bool(self.folder()) and bool(self.splits()))

    @Slot()
    def _on_browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export images to"), self.folder())
        if folder:
            self.folder_edit.setText(folder)


class ImageExporter(QObject):
    """Runs one export at a time as a job, with a cancellable progress dialog over `window`."""

    def __init__(self, dataset: DatasetState, jobs: JobRunner, window: QWidget) -> None:
        super().__init__(window)
        self._dataset = dataset
        self._jobs = jobs
        self._window = window  # parent of the dialogs and messages
        self._job: Job | None = None
        self._progress: QProgressDialog | None = None
        self._progress_text: Callable[[], str] = lambda: ""  # what the progress dialog says now
        self._folder = ""  # the last export's folder, offered again

    def exporting(self) -> bool:
        return self._job is not None

    def cancel(self) -> None:
        """Ask a running export to stop (the pictures written so far are complete); does not wait."""
        if self._job is not None:
            self._job.cancel()

    @Slot()
    def ask(self) -> None:
        """Ask where and what, then export; or say why there is nothing to export now."""
        if self._job is not None:
            self._message(QMessageBox.Icon.Information, self.tr("Export images"),
                          self.tr("An export is already running."))
            return
        if not self._dataset.available:
            self._message(QMessageBox.Icon.Information, self.tr("Export images"), self.tr(
                "MNIST is not loaded, so there are no images to export. Open the Dataset tab to "
                "download MNIST or to choose the folder that holds it.") + "\n\n" + (self._dataset.error or ""))
            return
        counts = {name: len(split) for name, split in self._dataset.splits.items()}
        dialog = ExportImagesDialog(counts, self._folder, self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.start(dialog.folder(), dialog.splits(), dialog.image_format())

    def start(self, folder: str | Path, split_names: list[str], fmt: str = "png") -> None:
        """Export the named splits into `folder` on a job, with a cancellable progress dialog."""
        splits = [self._dataset.split(name) for name in split_names if self._dataset.split(name) is not None]
        if not splits or self._job is not None:
            return
        self._folder = str(folder)
        total = sum(len(split) for split in splits)
        job = Job(lambda control: export_splits(splits, folder, fmt, progress=control.progress,
                                                cancel=control.is_cancelled), "export-images")
        job.progress.connect(self._on_progress)
        job.succeeded.connect(self._on_succeeded)
        job.failed.connect(self._on_failed)
        job.cancelled.connect(self._on_cancelled)
        job.finished.connect(self._on_finished)
        self._job = job
        progress = QProgressDialog(self._window)
        progress.setObjectName("exportProgressDialog")
        progress.setRange(0, total)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(self._on_cancel_requested)
        progress.installEventFilter(self)  # its texts follow the language (it is not a Retranslating)
        self._progress = progress
        self._progress_text = lambda: arg(self.tr("Exporting %1 images to %2…"), format_count(total), folder)
        self._retranslate_progress()
        progress.show()
        self._jobs.start(job)

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.setValue(min(done, self._progress.maximum()))

    @Slot()
    def _on_cancel_requested(self) -> None:
        if self._job is not None:
            self._job.cancel()
            if self._progress is not None:
                self._progress_text = lambda: self.tr("Cancelling…")
                self._retranslate_progress()

    def _retranslate_progress(self) -> None:
        self._progress.setWindowTitle(self.tr("Export images"))
        self._progress.setLabelText(self._progress_text())
        self._progress.setCancelButtonText(self.tr("Cancel"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._progress and event.type() == QEvent.Type.LanguageChange:
            self._retranslate_progress()
        return super().eventFilter(watched, event)

    @Slot(object)
    def _on_succeeded(self, results: list[ExportResult]) -> None:
        written = sum(r.written for r in results)
        skipped = sum(r.skipped for r in results)
        text = arg(self.tr("Wrote %1 images to %2."), format_count(written), self._folder)
        if skipped:
            text += " " + arg(self.tr("%1 were already there and were kept."), format_count(skipped))
        self._message(QMessageBox.Icon.Information, self.tr("Export finished"), text)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._message(QMessageBox.Icon.Warning, self.tr("Export failed"), message)

    @Slot()
    def _on_cancelled(self) -> None:
        self._message(QMessageBox.Icon.Information, self.tr("Export cancelled"), self.tr(
            "The export was stopped. The pictures written so far are complete; exporting to the same "
            "folder again continues where it stopped."))

    @Slot()
    def _on_finished(self) -> None:
        self._job = None
        if self._progress is not None:
            self._progress.canceled.disconnect(self._on_cancel_requested)
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _message(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """A window-modal message that does not block the event loop (jobs keep reporting)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._window)
        box.setObjectName("datasetMessage")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        return box
