"""The user's own digits as the whole window shares them: one `MyDigitsState` per main window.

It wraps the core's `MyDigitsStore` so that every tab sees the same digits and the same undo
history: the Draw tab adds, the Dataset tab relabels and deletes, the Train tab fine-tunes on
`split()`. Each action writes a few small PNGs and the manifest (milliseconds), so it runs on
the GUI thread; the split is kept in memory and updated in place, so an action never re-reads
every image, and the images are only read when the split is first needed (the manifest alone
answers how many there are, so start-up reads one small file). A problem the user can fix (a damaged manifest, a full disk) arrives as `failed`
with one sentence, and nothing is changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image
from PySide6.QtCore import QObject, Signal

from lenet_app.core.mnist import MnistSplit
from lenet_app.core.my_digits import MY_DIGITS_SPLIT, DigitRecord, MyDigitsError, MyDigitsStore

#: How many actions Undo can take back.
UNDO_DEPTH = 100


@dataclass(frozen=True)
class _Undo:
    """One action to take back: what was done, and what restoring it needs."""

    kind: str  # "add", "remove" or "relabel"
    record: DigitRecord  # the added record, the removed one, or the one before the relabel
    pixels: np.ndarray | None = None
    drawing: Image.Image | None = None


class MyDigitsState(QObject):
    """The store, its digits as a split (index i is `records()[i]`) and an undo stack."""

    changed = Signal()  # digits were added, removed, relabelled or restored
    failed = Signal(str)  # an action could not be done: why, in one sentence

    def __init__(self, store: MyDigitsStore | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store if store is not None else MyDigitsStore()
        self._records: list[DigitRecord] | None = None  # read on first use
        self._pixels: dict[str, np.ndarray] = {}
        self._split: MnistSplit | None = None
        self._undo: list[_Undo] = []

    # --- reading -----------------------------------------------------------------------

    def records(self) -> list[DigitRecord]:
        self._load()
        return list(self._records or [])

    def __len__(self) -> int:
        self._load()
        return len(self._records or [])

    def record_at(self, index: int) -> DigitRecord | None:
        """The record of image `index` of `split()`."""
        records = self.records()
        return records[index] if 0 <= index < len(records) else None

    def index_of(self, digit_id: str) -> int | None:
        for index, record in enumerate(self.records()):
            if record.id == digit_id:
                return index
        return None

    def split(self) -> MnistSplit:
        """The digits as an MNIST-like split named MY_DIGITS_SPLIT; a new object after each change."""
        if self._split is None:
            records = self.records()
            try:
                for record in records:
                    if record.id not in self._pixels:
                        self._pixels[record.id] = self.store.pixels(record.id)
            except (MyDigitsError, OSError) as exc:
                # A damaged store shows as empty (indices must match records), with the reason.
                self._records, records = [], []
                self.failed.emit(str(exc))
            images = (np.stack([self._pixels[r.id] for r in records]) if records
                      else np.zeros((0, 28, 28), np.uint8))
            labels = np.array([r.label for r in records], dtype=np.int64)
            self._split = MnistSplit(MY_DIGITS_SPLIT, images, labels)
        return self._split

    def _load(self) -> None:
        if self._records is not None:
            return
        self._records = []
        try:
            self._records = self.store.records()
        except (MyDigitsError, OSError) as exc:
            self.failed.emit(str(exc))

    # --- changing ----------------------------------------------------------------------

    def add(self, pixels: np.ndarray, label: int, source: str = "drawn", drawing=None) -> DigitRecord | None:
        """Save a digit (28×28 network input, optional full-size drawing); None when it failed."""
        self._load()
        try:
            record = self.store.add(pixels, int(label), source, drawing)
        except (MyDigitsError, OSError) as exc:
            self.failed.emit(str(exc))
            return None
        self._pixels[record.id] = np.array(pixels, dtype=np.uint8, copy=True)
        self._records.append(record)
        self._push(_Undo("add", record))
        self._changed()
        return record

    def remove(self, digit_id: str) -> DigitRecord | None:
        self._load()
        try:  # what Undo needs is read first: removing deletes the PNGs
            pixels = self._pixels.get(digit_id)
            if pixels is None:
                pixels = self.store.pixels(digit_id)
            drawing = self._drawing(digit_id)
            record = self.store.remove(digit_id)
        except (MyDigitsError, OSError) as exc:
            self.failed.emit(str(exc))
            return None
        self._pixels.pop(digit_id, None)
        self._records = [r for r in self._records if r.id != digit_id]
        self._push(_Undo("remove", record, pixels, drawing))
        self._changed()
        return record

    def relabel(self, digit_id: str, label: int) -> DigitRecord | None:
        """Give a digit another label; returns the record as it was before."""
        self._load()
        try:
            old = self.store.relabel(digit_id, int(label))
        except (MyDigitsError, OSError) as exc:
            self.failed.emit(str(exc))
            return None
        self._push(_Undo("relabel", old))
        self._reread_records()
        self._changed()
        return old

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo_kind(self) -> str | None:
        """"add", "remove" or "relabel": what Undo would take back (None: nothing)."""
        return self._undo[-1].kind if self._undo else None

    def undo(self) -> DigitRecord | None:
        """Take back the last add, remove or relabel; the record concerned, None when nothing was."""
        if not self._undo:
            return None
        action = self._undo[-1]
        record = action.record
        try:
            if action.kind == "add":
                self.store.remove(record.id)
            elif action.kind == "remove":
                pixels = action.pixels if action.pixels is not None else np.zeros((28, 28), np.uint8)
                self.store.restore(record, pixels, action.drawing)
                self._pixels[record.id] = pixels
            else:
                self.store.relabel(record.id, record.label)
        except (MyDigitsError, OSError) as exc:
            self.failed.emit(str(exc))
            return None
        self._undo.pop()
        if action.kind == "add":
            self._pixels.pop(record.id, None)
        self._reread_records()
        self._changed()
        return record

    # --- internals ---------------------------------------------------------------------

    def _drawing(self, digit_id: str) -> Image.Image | None:
        path = self.store.drawing_path(digit_id)
        if path is None or not path.exists():
            return None
        with Image.open(path) as image:
            return image.copy()

    def _push(self, action: _Undo) -> None:
        self._undo.append(action)
        del self._undo[:-UNDO_DEPTH]

    def _reread_records(self) -> None:
        """The manifest again (one small file): restore and relabel may reorder or rewrite it."""
        try:
            records = self.store.records()
        except (MyDigitsError, OSError) as exc:
            self.failed.emit(str(exc))
            return
        self._records = records

    def _changed(self) -> None:
        self._split = None
        self.changed.emit()
