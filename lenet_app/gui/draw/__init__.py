"""The Draw tab: a canvas panel and a prediction panel, composed by `DrawTab`."""

from lenet_app.gui.draw.tab import DrawTab

__all__ = ["DrawTab"]
