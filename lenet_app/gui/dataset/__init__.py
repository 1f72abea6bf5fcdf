"""The Dataset tab and its parts (see `tab.py` for how they fit together)."""

from lenet_app.gui.dataset.tab import DatasetTab

__all__ = ["DatasetTab"]
