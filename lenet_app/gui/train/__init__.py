"""The Train tab, built from parts that each follow one `TrainingRun` (see `tab.py`)."""

from lenet_app.gui.train.tab import TrainTab

__all__ = ["TrainTab"]
