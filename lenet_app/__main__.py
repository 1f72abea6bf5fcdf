import sys

from lenet_app.cli import main

sys.exit(main())
