#!/usr/bin/env python3
"""Runs a Qt test under ThreadSanitizer and accepts only the reports Qt's own event queue explains.

Debian's Qt is not instrumented, and QCoreApplication::postEvent guards its queue with Qt's own
futex-based mutex, which ThreadSanitizer cannot see. So every queued call and every queued
signal looks unsynchronised to it: the payload (a functor, a copied signal argument) is written
on one thread and read or destroyed on the other. Those reports are expected. This script fails
on any other report: one whose memory was not allocated as the payload of a queued call, or a
report of another kind (lock order, use after free, signal safety), and it fails when the test
itself fails. docs/reliability.md, section Sanitizers.

    tsan_qt_handoff.py TEST_EXECUTABLE [test arguments...]
"""
import collections
import os
import re
import subprocess
import sys

# How Qt carries a call or a signal to another thread: the allocation stack of the memory in a
# report must pass through one of these (on the sending side).
PAYLOAD = re.compile(
    r"queued_activate|QMetaObject::activate|doActivate|QMetaObject::invokeMethod|invokeMethodImpl|"
    r"QFunctorSlotObject|QMetaCallEvent|QQueuedMetaCallEvent|QMetaType::construct|QMetaType::copy|"
    r"QtPrivate::QMetaTypeForType|QCoreApplication::postEvent")


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    env = dict(os.environ)
    # Keep going after a report (exitcode=0 so the test's own result decides the exit status).
    env["TSAN_OPTIONS"] = (env.get("TSAN_OPTIONS", "") + ":halt_on_error=0:exitcode=0").lstrip(":")
    run = subprocess.run(sys.argv[1:], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         errors="replace")
    out = run.stdout
    reports = out.split("WARNING: ThreadSanitizer: ")[1:]
    kinds = collections.Counter()
    unexplained = []
    for report in reports:
        kind = report.split(" (pid")[0].strip()
        body = report.split("SUMMARY:")[0]
        alloc = re.search(r"Location is heap block .*? allocated by .*?:\n(.*?)(?:\n  \S|\Z)", body, re.S)
        if kind == "data race" and alloc and PAYLOAD.search(alloc.group(1)):
            kinds["data race on a queued call's payload (Qt's queue is invisible)"] += 1
        else:
            kinds["UNEXPLAINED " + kind] += 1
            unexplained.append(report)
    tail = [line for line in out.splitlines() if line.startswith(("Totals:", "QINFO", "FAIL!", "PASS   :"))]
    print("\n".join(tail))
    print("ThreadSanitizer reports: %d" % len(reports))
    for kind, count in kinds.most_common():
        print("  %5d  %s" % (count, kind))
    for report in unexplained[:5]:
        print("\n---- unexplained report ----\nWARNING: ThreadSanitizer: " + report[:6000])
    if run.returncode != 0:
        print("the test itself failed (exit code %d)" % run.returncode)
        return 1
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
