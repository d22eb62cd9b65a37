#!/usr/bin/env python3
"""Runs a command several times and prints its median wall time and peak resident memory.

usage: measure.py RUNS LABEL -- COMMAND...   (prints: LABEL seconds peak_KiB)
Peak memory comes from wait4()'s rusage for that child alone.
"""
import os, subprocess, sys, time, statistics

runs, label = int(sys.argv[1]), sys.argv[2]
command = sys.argv[sys.argv.index("--") + 1:]
times, peaks = [], []
for _ in range(runs):
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    times.append(time.perf_counter() - start)
    peaks.append(usage.ru_maxrss)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{label}: {' '.join(command)} exited {os.waitstatus_to_exitcode(status)}")
print(f"{label} {statistics.median(times):.3f} {max(peaks)}")
