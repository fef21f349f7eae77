#!/usr/bin/env python3
"""Drives `fuq init` at a real terminal (a pty): BINARY, then the answers, one per prompt.
Flags for init come from the FUQ_INIT_FLAGS environment variable (split on '|'). Prints
everything the terminal showed."""
import os, pty, sys, time, select
answers = sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    flags = [f for f in os.environ.get("FUQ_INIT_FLAGS", "").split("|") if f]
    os.execv(sys.argv[1], [sys.argv[1], "init"] + flags)
out = b""
def read(t=3):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try: data = os.read(fd, 4096)
            except OSError: return
            if not data: return
            out += data
        elif out.rstrip().endswith((b":", b"?", b"]", b">")): return
for a in answers:
    read(); os.write(fd, (a + "\n").encode())
read(5)
import signal
try:
    os.kill(pid, signal.SIGTERM)
except Exception: pass
sys.stdout.write(out.decode(errors="replace"))
