"""What a child process is doing, read from /proc, so a test sends Ctrl-C when the child is where the test
means it to be: blocked waiting in poll(2) (a request or a sleep), or busy running Lua code."""

import os
import time

import pytest


def wait_for(condition, what, give_up=60):
    """Returns once `condition()` holds; fails the test naming `what` if it still does not after `give_up` s."""
    deadline = time.monotonic() + give_up
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("gave up waiting for " + what)
        time.sleep(0.01)


def _stat_fields(pid):
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        # The command name in parentheses may hold spaces; the fields after it start with the state.
        return stat.read().rsplit(")", 1)[1].split()


def cpu_seconds(pid):
    fields = _stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_busy(pid, seconds=0.3):
    """Waits until the process has spent `seconds` more CPU time: it is running a loop, not reading input."""
    start = cpu_seconds(pid)
    wait_for(lambda: cpu_seconds(pid) - start >= seconds, f"process {pid} to run {seconds} s of CPU")


def wait_until_polling(pid):
    """Waits until the process's main thread sleeps in poll(2)."""
    def polling():
        with open(f"/proc/{pid}/wchan", encoding="ascii") as wchan:
            return _stat_fields(pid)[0] == "S" and "poll" in wchan.read()
    wait_for(polling, f"process {pid} to wait in poll(2)")
