"""Screenshots of each tab from the real running window (offscreen), driven like a user.

Run: LENET_APP_MNIST_DIR=... QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/take_screenshots.py docs/screenshots
(with LANG=zh_CN.UTF-8 and docs/screenshots/zh for the Chinese ones). The runs it trains go to a
user data folder of its own, so Past runs shows exactly those two.
"""
import os, sys, tempfile, time
os.environ["LENET_APP_DATA_DIR"] = tempfile.mkdtemp(prefix="lenet-shots-")
from pathlib import Path
from PySide6.QtCore import QPoint, QSettings, Qt, QEventLoop, QTimer
from PySide6.QtTest import QTest
from lenet_app.gui.app import create_application
app = create_application([])
from lenet_app.gui.main_window import MainWindow
out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
# Fresh settings each run: a remembered tab or form would change what the pictures show.
settings = QSettings(str(Path(tempfile.mkdtemp()) / "shots.ini"), QSettings.Format.IniFormat)
w = MainWindow(settings); w.resize(1180, 780); w.show()
w.tabs.setCurrentWidget(w.draw_tab)
def wait(cond, timeout=120):
    end = time.time() + timeout
    while not cond() and time.time() < end:
        app.processEvents(); time.sleep(0.01)
wait(lambda: w.dataset.available)
# Draw a "4" like a user, with real mouse events.
canvas = w.draw_tab.canvas
r = canvas.drawing_rect()
def pt(x, y): return QPoint(int(r.left() + x * r.width()), int(r.top() + y * r.height()))
def stroke(points):
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pt(*points[0]))
    for a, b in zip(points, points[1:]):
        for i in range(1, 11):
            QTest.mouseMove(canvas, pt(a[0] + (b[0] - a[0]) * i / 10, a[1] + (b[1] - a[1]) * i / 10), 2)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pt(*points[-1]))
stroke([(0.58, 0.18), (0.27, 0.6), (0.75, 0.6)]); stroke([(0.6, 0.38), (0.6, 0.85)])
wait(lambda: False, 0.3)
print("draw prediction:", w.draw_tab.findChild(type(w.model_status), "predictionLabel").text())
w.grab().save(str(out / "draw.png"))
# Why? on: the attribution heat map over the network input.
from PySide6.QtWidgets import QCheckBox
why = w.draw_tab.findChild(QCheckBox, "whyToggle")
QTest.mouseClick(why, Qt.MouseButton.LeftButton)
wait(lambda: False, 1.5)  # the first attribution imports captum
w.grab().save(str(out / "draw-why.png"))
# Click C1's third map in the network view: the enlarged map, its kernel and one pixel's sums.
view = w.draw_tab.network.view
QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, view.cell_rect("C1", 2).center())
wait(lambda: False, 0.5)
w.draw_tab.network.detail.grab().save(str(out / "network-map.png"))
w.draw_tab.network.detail.close()
QTest.mouseClick(why, Qt.MouseButton.LeftButton)
# Compare all models: a 7 with a hooked top, which the models do not all read alike.
from PySide6.QtWidgets import QPushButton
QTest.mouseClick(w.draw_tab.findChild(QPushButton, "clearButton"), Qt.MouseButton.LeftButton)
stroke([(0.47, 0.24), (0.52, 0.19), (0.63, 0.2), (0.46, 0.86)])
QTest.mouseClick(w.draw_tab.compare_button, Qt.MouseButton.LeftButton)
wait(lambda: w.draw_tab.compare_view.is_loaded() and len(w.draw_tab.compare_view.readings()) == 5)
wait(lambda: False, 0.5)
print("compare:", {name: p.digit for name, p in w.draw_tab.compare_view.readings().items()})
w.grab().save(str(out / "compare.png"))
QTest.mouseClick(w.draw_tab.compare_button, Qt.MouseButton.LeftButton)
# Dataset: most confident mistakes.
w.tabs.setCurrentWidget(w.dataset_tab)
wait(lambda: w.dataset_tab.predictions("test") is not None)
w.dataset_tab.browser.filters.misclassified_check.setChecked(True)
from lenet_app.gui.dataset.filtering import SortOrder
sort = w.dataset_tab.browser.filters.sort_combo
sort.setCurrentIndex(sort.findData(SortOrder.CONFIDENT_MISTAKES))
wait(lambda: False, 0.5)
mistakes = w.dataset_tab.predictions("test").misclassified()
w.dataset_tab.select_image(int(mistakes[0]))
wait(lambda: False, 1.5)  # the pair of Why maps comes from a job
w.grab().save(str(out / "dataset.png"))
# Compare with lenet5-1998: the images only lenet5 reads right (the agreement table's cell).
w.resize(1440, 930)
from PySide6.QtWidgets import QComboBox, QToolButton
combo = w.dataset_tab.findChild(QComboBox, "compareModelCombo")
combo.setCurrentIndex(combo.findData("lenet5-1998"))
wait(lambda: w.dataset_tab.compared_predictions("test") is not None)
wait(lambda: not w.dataset_tab.comparison.store.evaluating(), 300)  # the training set too
sort.setCurrentIndex(sort.findData(SortOrder.INDEX))
cell = w.dataset_tab.findChild(QToolButton, "agreementCell-a-only")
wait(cell.isVisible, 10)
QTest.mouseClick(cell, Qt.MouseButton.LeftButton)
w.dataset_tab.browser.filters.misclassified_check.setChecked(False)
wait(lambda: False, 0.5)
first = w.dataset_tab.browser.view.model().index(0, 0)
QTest.mouseClick(w.dataset_tab.browser.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                 w.dataset_tab.browser.view.visualRect(first).center())
wait(lambda: False, 1.5)
w.dataset_tab.grab().save(str(out / "versus.png"))
combo.setCurrentIndex(0)
w.resize(1180, 780)
# Train: a short real run.
w.tabs.setCurrentWidget(w.train_tab)
form = w.train_tab.form
form.set_value("subset", 20000); form.set_value("epochs", 3)
w.train_tab.start_training()
wait(lambda: not w.train_tab.is_training(), 300)
wait(lambda: False, 0.5)
w.grab().save(str(out / "train.png"))
w.train_tab.views.setCurrentWidget(w.train_tab.inside)
wait(lambda: False, 0.5)
w.grab().save(str(out / "train-inside.png"))
# A second run with SGD, then both overlaid on Past runs.
w.train_tab.views.setCurrentIndex(0)
form.set_value("optimizer", "sgd"); form.set_value("lr", 0.01); form.set_value("schedule", "none")
w.train_tab.start_training()
wait(lambda: not w.train_tab.is_training(), 300)
w.resize(1440, 900)
w.train_tab.views.setCurrentWidget(w.train_tab.past_runs)
wait(lambda: not w.run_history.loading and len(w.run_history.records) == 2)
wait(lambda: False, 0.3)
w.train_tab.past_runs.select_runs([r.id for r in w.run_history.records])
wait(lambda: False, 0.5)
w.grab().save(str(out / "past-runs.png"))
w.close()
print("saved")
