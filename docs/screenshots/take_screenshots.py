"""Screenshots of each tab from the real running window (offscreen), driven like a user.

Run: LENET_APP_MNIST_DIR=... QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/take_screenshots.py docs/screenshots
"""
import sys, tempfile, time
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
# Dataset: most confident mistakes.
w.tabs.setCurrentWidget(w.dataset_tab)
wait(lambda: w.dataset_tab.predictions("test") is not None)
w.dataset_tab.browser.filters.misclassified_check.setChecked(True)
sort = w.dataset_tab.browser.filters.sort_combo
for i in range(sort.count()):
    if "confident mistakes" in sort.itemText(i): sort.setCurrentIndex(i)
wait(lambda: False, 0.5)
mistakes = w.dataset_tab.predictions("test").misclassified()
w.dataset_tab.select_image(int(mistakes[0]))
wait(lambda: False, 1.5)  # the pair of Why maps comes from a job
w.grab().save(str(out / "dataset.png"))
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
w.close()
print("saved")
