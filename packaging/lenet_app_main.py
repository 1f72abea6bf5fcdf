"""Entry script of the frozen app: both executables (`lenet-app`, `lenet-app-cli`) run this."""

import multiprocessing
import sys

from lenet_app.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # harmless unless a worker process is ever spawned
    sys.exit(main())
