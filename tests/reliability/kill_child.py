"""Saver process for test_kill_while_saving.py (run as a script, not collected by pytest).

It imports torch once and then, for every `save PATH GENERATION` line on stdin, forks a child
that saves checkpoints of increasing generation to PATH in a tight loop until it is killed.
It prints the child's pid, waits for it, and prints how it ended. Forking keeps each round at
a few milliseconds instead of a two-second interpreter start.

A checkpoint of generation g has every weight equal to g / 1000 and a 4 MB padding tensor
equal to g, so the test can tell a complete file of one generation from anything else.
"""

from __future__ import annotations

import os
import sys


def payload(generation: int):
    import torch

    from lenet_app.core.checkpoint import build_payload
    from lenet_app.core.models import create_model

    module = create_model("lenet5")
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.fill_(generation / 1000)
    padding = {"padding": torch.full((1_000_000,), float(generation))}
    return build_payload("lenet5", module, {"generation": generation}, training_state=padding)


def save_forever(path: str, generation: int) -> None:
    import torch

    from lenet_app.core.checkpoint import save_checkpoint

    torch.set_num_threads(1)
    while True:
        generation += 1
        save_checkpoint(path, payload(generation))


def main() -> int:
    import torch  # noqa: F401 - imported before forking, so children start at once

    import lenet_app.core.checkpoint  # noqa: F401

    print("ready", flush=True)
    for line in sys.stdin:
        command, path, generation = line.split()
        assert command == "save"
        pid = os.fork()
        if pid == 0:
            try:
                save_forever(path, int(generation))
            finally:
                os._exit(3)  # only reached if saving failed
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
              else f"exit {os.WEXITSTATUS(status)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
