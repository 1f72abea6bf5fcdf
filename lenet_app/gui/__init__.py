"""The PySide6 desktop application; all Qt code lives here, the work is done by `lenet_app.core`."""
