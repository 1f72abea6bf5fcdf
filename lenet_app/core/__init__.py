"""The Qt-free core of LeNet Digits: data, models, training, evaluation, checkpoints.

Everything the GUI does goes through here, so it can all run headless (see `lenet_app.cli`).
"""

from lenet_app.core.inference import Prediction, default_model_path, load_model, predict

__all__ = ["Prediction", "default_model_path", "load_model", "predict"]
