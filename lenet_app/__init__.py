"""LeNet Digits: a desktop app to draw digits, train LeNet on MNIST and browse its mistakes."""

__version__ = "0.1.0"
