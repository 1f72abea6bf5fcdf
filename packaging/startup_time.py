"""Time from launch to the main window shown on screen, as a person sees it.

    python packaging/startup_time.py [--runs 5] -- COMMAND [ARG...]
    python packaging/startup_time.py -- dist/lenet-app/lenet-app       # the bundle
    python packaging/startup_time.py -- .venv/bin/lenet-app            # the source install

Starts COMMAND on an X display (its own Xvfb when $DISPLAY is unset; Debian: xvfb, xdotool),
polls every 20 ms until a visible window titled "LeNet Digits" is mapped, then closes the
app. Each run gets empty settings and data folders and no MNIST, as on a first start. Prints
every run and the median. Linux/X11 only: the README's numbers come from it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TITLE = "^LeNet Digits$"


def _start_xvfb() -> tuple[subprocess.Popen, str]:
    for number in range(90, 120):
        if Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
            continue
        display = f":{number}"
        proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1600x1200x24", "-nolisten", "tcp", "-noreset"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                return proc, display
            time.sleep(0.05)
        proc.terminate()
    raise SystemExit("startup_time.py: could not start Xvfb")


def _window_shown(env: dict[str, str], pid: int) -> bool:
    proc = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(pid), "--name", TITLE],
                          env=env, capture_output=True, text=True)
    return proc.returncode == 0 and bool(proc.stdout.strip())


def measure(command: list[str], env: dict[str, str], timeout: float) -> float:
    with tempfile.TemporaryDirectory(prefix="lenet-app-startup-") as tmp:
        run_env = dict(env, XDG_CONFIG_HOME=f"{tmp}/config", XDG_DATA_HOME=f"{tmp}/data",
                       LENET_APP_MNIST_DIR=f"{tmp}/no-mnist", QT_QPA_PLATFORM="xcb")
        start = time.monotonic()
        log = open(f"{tmp}/output.log", "w+b")
        app = subprocess.Popen(command, env=run_env, cwd=tmp, stdout=log, stderr=subprocess.STDOUT)
        try:
            while time.monotonic() - start < timeout:
                if _window_shown(run_env, app.pid):
                    return time.monotonic() - start
                if app.poll() is not None:
                    log.seek(0)
                    output = log.read().decode(errors="replace")[-3000:]
                    raise SystemExit(f"startup_time.py: {command[0]} exited with {app.returncode}:\n{output}")
                time.sleep(0.02)
            raise SystemExit(f"startup_time.py: no window after {timeout:.0f} s")
        finally:
            app.send_signal(signal.SIGTERM)
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
            log.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--json", action="store_true", help="print one JSON line of the times instead")
    parser.add_argument("command", nargs="+")
    args = parser.parse_args()
    if not shutil.which("xdotool"):
        raise SystemExit("startup_time.py: needs xdotool (apt-get install xdotool)")
    command = list(args.command)
    if os.sep in command[0] or "/" in command[0]:
        command[0] = str(Path(command[0]).resolve())  # it runs from an empty folder
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    xvfb = None
    if not env.get("DISPLAY"):
        xvfb, env["DISPLAY"] = _start_xvfb()
    try:
        times = []
        for run in range(1, args.runs + 1):
            seconds = measure(command, env, args.timeout)
            times.append(seconds)
            if not args.json:
                print(f"run {run}: window shown after {seconds:.2f} s", flush=True)
        if args.json:
            print(json.dumps({"command": args.command, "seconds": times, "median": statistics.median(times)}))
        else:
            print(f"{' '.join(args.command)}: median {statistics.median(times):.2f} s over {len(times)} runs "
                  f"(min {min(times):.2f}, max {max(times):.2f})")
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
