#!/usr/bin/env python3
"""The Locus benchmarks (make bench).

Boots the kernel with bench=PATTERN and reads the BENCH lines it prints
on the serial port (kernel/bench/bench.h):

  1. instruction counts under -icount shift=0,sleep=off on 2 cores,
     where the guest's TSC advances one tick per executed instruction,
     so the figures are deterministic; booted twice to check that they
     repeat exactly. Kernel benchmarks measure in ring 0; those of system
     calls, threads, IPC, notifications, memory, pthreads and console
     writes run as user programs (user/bench/) that measure in ring 3;
     the IPC rows and the uncontended mutex are also given relative to
     the null system call (the IPC against the target of 3x), a write
     through the console service relative to the debug_write system
     call;
  2. spinlock throughput under multi-threaded TCG on 1, 2 and 4 cores
     (skipping core counts the host cannot run in parallel), as a ratio
     to one core.

Prints progress, then one table, and writes the same data as JSON to
<build>/bench.json. Exits non-zero only if a boot fails or a benchmark's
line is missing or reports an error; never because something is slow.
See docs/performance.md.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402
import suites  # noqa: E402

MEMORY = "128M"
TIMEOUT = 600   # generous: a busy host can slow the throughput runs a lot
# Boot from the CD at once: under -icount shift=0 the BIOS's probing of the
# floppy and hard disk first costs many seconds of busy-waiting.
BOOT_ORDER = ["-boot", "order=d"]

# sleep=off: an idle machine jumps to its next timer instead of letting the
# virtual clock run with the host's, so even timer interrupts land at the
# same instruction in every run (docs/performance.md).
ICOUNT_ACCEL = ["-accel", "tcg", "-icount", "shift=0,sleep=off"]
ICOUNT_CPUS = 2
ICOUNT_RUNS = 2
ICOUNT_PATTERN = ("tsc.*,cpu_local.*,smp.ipi_*,syscall.*,thread.*,ipc.*,notify.*,mem.*,"
                  "pthread.*,console.*")
ICOUNT_BENCHES = [
    "tsc.four_instruction_loop",
    "cpu_local.read",
    "cpu_local.apic_array_read",
    "cpu_local.locked_table_read",
    "cpu_local.increment",
    "cpu_local.apic_array_increment",
    "cpu_local.locked_table_increment",
    "smp.ipi_round_trip",
    # Measured in ring 3 by the programs in user/bench/.
    "syscall.null",
    "thread.yield_switch",
    "thread.create_exit_join",
    "ipc.round_trip_fast_path",
    "ipc.round_trip_full_path",
    "ipc.round_trip_cross_core",
    "notify.round_trip_same_core",
    "notify.round_trip_cross_core",
    "mem.map_touch_unmap",
    "pthread.mutex_uncontended",
    "pthread.mutex_handoff_cross_core",
    "pthread.create_join",
    # One kernel entry (console.write) prints both: the raw system call
    # and the same line through the console service.
    "console.debug_write",
    "console.write",
]
MTTCG_ACCEL = ["-accel", "tcg,thread=multi"]
THROUGHPUT_CPUS = [1, 2, 4]
THROUGHPUT_BENCH = "smp.spinlock_throughput"

# Each alternative is compared with the cpu-local doing the same thing.
RATIO_BASE = {
    "cpu_local.read": "cpu_local.read",
    "cpu_local.apic_array_read": "cpu_local.read",
    "cpu_local.locked_table_read": "cpu_local.read",
    "cpu_local.increment": "cpu_local.increment",
    "cpu_local.apic_array_increment": "cpu_local.increment",
    "cpu_local.locked_table_increment": "cpu_local.increment",
    # IPC is compared with the cheapest way into the kernel and back.
    "ipc.round_trip_fast_path": "syscall.null",
    "ipc.round_trip_full_path": "syscall.null",
    "ipc.round_trip_cross_core": "syscall.null",
    # A lock that never enters the kernel, against one kernel entry.
    "pthread.mutex_uncontended": "syscall.null",
    # What the console service adds to printing the line directly.
    "console.write": "console.debug_write",
}
# The IPC issue's target: a fast-path round trip within 3 null system
# calls (seL4 on ia32 Skylake: call 560 + reply_recv 414 cycles against a
# null system call of 159, a ratio of about 6).
IPC_TARGET = ("ipc.round_trip_fast_path", "syscall.null", 3.0)
# Rows whose figure includes what the second core executes (shared
# instruction counter under -icount).
BOTH_CORES = ["smp.ipi_round_trip", "ipc.round_trip_cross_core", "notify.round_trip_cross_core",
              "pthread.mutex_handoff_cross_core"]

BENCH_LINE = re.compile(r"^BENCH (\S+) (.*)$")


def parse_bench_line(rest):
    """'instructions=1.0 min=..' -> dict; 'skipped why' / 'error why' too."""
    for word in ("skipped", "error"):
        if rest == word or rest.startswith(word + " "):
            return {word: rest[len(word):].strip()}
    fields = {}
    for item in rest.split():
        key, _, value = item.partition("=")
        try:
            fields[key] = int(value) if value.isdigit() else float(value)
        except ValueError:
            fields[key] = value
    return fields


def boot(args, label, cmdline, cpus, accel):
    """Boots once, printing BENCH lines as they come.

    Returns (results by name, problem or None, log path)."""
    iso = run.build_iso(args, cmdline)
    cmd = suites.qemu_command(iso, cpus, MEMORY)
    at = cmd.index("-accel")
    cmd[at:at + 2] = accel + BOOT_ORDER
    log = os.path.join(args.logdir, f"{label}.log")
    results = {}
    start = time.monotonic()
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace")
        killed = threading.Event()

        def kill():
            killed.set()
            proc.kill()

        timer = threading.Timer(TIMEOUT, kill)
        timer.start()
        lines = []
        rejected = None
        for raw in proc.stdout:
            out.write(raw)
            line = raw.rstrip("\r\n")
            lines.append(line)
            if line.startswith("warning: command line:") and "bench=" in line:
                rejected = line    # the kernel will not run the benchmarks
                proc.kill()
            m = BENCH_LINE.match(line)
            if m:
                results[m.group(1)] = parse_bench_line(m.group(2))
                print(f"    {line}", flush=True)
        code = proc.wait()
        timer.cancel()
        elapsed = time.monotonic() - start
        out.write(f"\n[bench] {' '.join(cmd)}\n[bench] exit {code} after {elapsed:.1f}s\n")
    problem = None
    if rejected:
        problem = rejected
    elif killed.is_set():
        problem = f"timed out after {TIMEOUT}s"
    elif "BENCHES DONE" not in lines or code != suites.QEMU_EXIT_PASS:
        panic = next((l for l in lines if l.startswith("PANIC")), None)
        problem = panic or f"QEMU exited with {code} before BENCHES DONE"
    print(f"  {label}: {elapsed:.1f}s" + (f", FAILED: {problem}" if problem else ""),
          flush=True)
    return results, problem, log


def host_cores():
    """Cores this process may run on (what multi-threaded TCG can use)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run_icount(args, failures):
    print(f"== instruction counts: {' '.join(ICOUNT_ACCEL)}, {ICOUNT_CPUS} cores, "
          f"{ICOUNT_RUNS} runs", flush=True)
    runs = []
    for i in range(ICOUNT_RUNS):
        results, problem, log = boot(args, f"icount-run{i + 1}", f"bench={ICOUNT_PATTERN}",
                                     ICOUNT_CPUS, ICOUNT_ACCEL)
        if problem:
            failures.append(f"icount run {i + 1}: {problem} (log: {log})")
        for name in ICOUNT_BENCHES:
            r = results.get(name)
            if r is None:
                failures.append(f"{name}: no BENCH line in icount run {i + 1} (log: {log})")
            elif "error" in r:
                failures.append(f"{name}: {r['error']} (log: {log})")
        runs.append(results)
    check = runs[0].get("tsc.four_instruction_loop", {}).get("instructions")
    if check is not None and check != 4.0:
        print(f"  warning: tsc.four_instruction_loop measured {check}, not 4.0: the TSC "
              "is not counting instructions", flush=True)
    differences = [name for name in ICOUNT_BENCHES
                   if any(r.get(name) != runs[0].get(name) for r in runs[1:])]
    if len(runs) > 1:
        print("  repeat runs: " + ("identical instruction counts" if not differences else
                                   "differ in " + ", ".join(differences)), flush=True)
    return {"cpus": ICOUNT_CPUS, "qemu_accel": " ".join(ICOUNT_ACCEL), "runs": len(runs),
            "repeat_identical": not differences, "repeat_differences": differences,
            "results": runs[0]}


def run_throughput(args, failures):
    cores = host_cores()
    print(f"== spinlock throughput: multi-threaded TCG on {THROUGHPUT_CPUS} cores "
          f"(host: os.cpu_count()={os.cpu_count()}, usable={cores})", flush=True)
    per_cpus = {}
    for cpus in THROUGHPUT_CPUS:
        if cpus > cores:
            why = f"the host has only {cores} usable cores"
            print(f"  {cpus} core{'s' if cpus > 1 else ''}: skipped, {why}", flush=True)
            per_cpus[cpus] = {"skipped": why}
            continue
        # Other busy host threads take cores from the vCPUs, which hurts a
        # ticket lock badly: report how busy the host was.
        load = os.getloadavg()[0]
        print(f"  {cpus} core{'s' if cpus > 1 else ''}: host load average {load:.1f}", flush=True)
        results, problem, log = boot(args, f"throughput-cpus{cpus}",
                                     f"bench={THROUGHPUT_BENCH}", cpus, MTTCG_ACCEL)
        r = results.get(THROUGHPUT_BENCH)
        if problem:
            failures.append(f"throughput on {cpus} cores: {problem} (log: {log})")
        if r is None:
            failures.append(f"{THROUGHPUT_BENCH}: no BENCH line on {cpus} cores (log: {log})")
            r = {"error": "missing"}
        elif "error" in r:
            failures.append(f"{THROUGHPUT_BENCH} on {cpus} cores: {r['error']} (log: {log})")
        per_cpus[cpus] = dict(r, host_load_average=load)
    return {"host_cpu_count": os.cpu_count(), "host_usable_cores": cores,
            "qemu_accel": " ".join(MTTCG_ACCEL), "results": per_cpus}


def fmt(v):
    return f"{v:.1f}" if isinstance(v, (int, float)) else "-"


def table_rows(icount, throughput):
    rows = []
    results = icount["results"]
    for name in ICOUNT_BENCHES:
        r = results.get(name, {"error": "missing"})
        row = {"benchmark": name, "unit": "instructions/op"}
        if "instructions" in r:
            row.update(median=r["instructions"], min=r["min"], max=r["max"])
            base = results.get(RATIO_BASE.get(name), {}).get("instructions")
            if base:
                row["ratio"] = r["instructions"] / base
                row["ratio_to"] = RATIO_BASE[name]
        else:
            row["note"] = "skipped: " + r["skipped"] if "skipped" in r else \
                "error: " + r.get("error", "")
        rows.append(row)
    one = throughput["results"].get(1, {}).get("ops_per_mtsc")
    for cpus, r in throughput["results"].items():
        row = {"benchmark": f"{THROUGHPUT_BENCH} ({cpus} core{'s' if cpus > 1 else ''})",
               "unit": "acquisitions/Mtsc", "cpus": cpus}
        if "ops_per_mtsc" in r:
            row.update(median=r["ops_per_mtsc"], min=r["min"], max=r["max"])
            if one:
                row["ratio"] = r["ops_per_mtsc"] / one
                row["ratio_to"] = f"{THROUGHPUT_BENCH} (1 core)"
        else:
            row["note"] = "skipped: " + r["skipped"] if "skipped" in r else \
                "error: " + r.get("error", "")
        rows.append(row)
    return rows


def print_table(rows):
    print()
    print(f"{'benchmark':<40} {'median':>9} {'min..max':>17}  {'unit':<18} ratio")
    for row in rows:
        if "median" not in row:
            print(f"{row['benchmark']:<40} {row['note']}")
            continue
        spread = f"{fmt(row['min'])}..{fmt(row['max'])}"
        ratio = ""
        if "ratio" in row:
            ratio = f"{row['ratio']:.2f}" if "cpus" in row else f"{row['ratio']:.1f}x"
        print(f"{row['benchmark']:<40} {fmt(row['median']):>9} {spread:>17}  "
              f"{row['unit']:<18} {ratio}")
    print("\nratio: cpu-local rows, instructions relative to the cpu-local doing the same thing;"
          "\n       ipc rows and pthread.mutex_uncontended, instructions relative to syscall.null;"
          "\n       console.write, instructions relative to console.debug_write;"
          "\n       throughput rows, acquisitions per tick relative to one core"
          "\nboth cores' instructions count in: " + ", ".join(BOTH_CORES))


def ipc_target(results):
    """How the fast-path round trip compares with the issue's target."""
    name, base, limit = IPC_TARGET
    ipc = results.get(name, {}).get("instructions")
    null = results.get(base, {}).get("instructions")
    if not ipc or not null:
        return None
    return {"benchmark": name, "relative_to": base, "ratio": ipc / null, "target": limit,
            "met": ipc / null <= limit}


def print_ipc_target(target):
    if target is None:
        print("\nIPC target: not measured")
        return
    print(f"\nIPC target: {target['benchmark']} is {target['ratio']:.1f}x {target['relative_to']} "
          f"(target <= {target['target']:.0f}x; seL4 ia32 about 6x): "
          + ("met" if target["met"] else "not met"))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--modules", default="")
    args = ap.parse_args()
    args.logdir = os.path.join(args.build, "bench-logs")
    os.makedirs(args.logdir, exist_ok=True)
    print(f"host: os.cpu_count()={os.cpu_count()}, "
          f"os.sched_getaffinity()={len(os.sched_getaffinity(0))} cores; "
          f"serial logs in {args.logdir}", flush=True)

    failures = []
    icount = run_icount(args, failures)
    throughput = run_throughput(args, failures)
    rows = table_rows(icount, throughput)
    print_table(rows)
    target = ipc_target(icount["results"])
    print_ipc_target(target)

    path = os.path.join(args.build, "bench.json")
    with open(path, "w") as f:
        json.dump({"icount": icount, "throughput": throughput, "table": rows,
                   "ipc_target": target}, f, indent=2)
        f.write("\n")
    print(f"\nwritten to {path}")
    if failures:
        print(f"\nFailures ({len(failures)}):")
        for failure in failures:
            print(f"  {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
