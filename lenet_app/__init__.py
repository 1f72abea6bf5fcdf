"""LeNet Digits: a desktop app to draw digits, train LeNet on MNIST and browse its mistakes."""

import os as _os

__version__ = "0.1.0"

# OpenMP threads that spin while waiting collapse training as soon as anything else (the GUI
# thread, another program) wants a core of a small machine; passive waiting costs a little on
# an idle one (benchmarks/NOTES.md, "Torch threads"). It must be set before torch loads its
# OpenMP runtime; a user's value wins.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
