#!/usr/bin/env python3
"""The Locus test runner (make test).

Runs, in order:
  1. host unit tests (tests/host, built with ASan and UBSan);
  2. host-side checks of the built kernel (tests/scripts/*.sh);
  3. QEMU boots (tests/suites.py) for every requested core count.

Everything reports in one protocol, read from stdout or the serial port:
    TEST <name> ok | TEST <name> FAIL <why> | TEST <name> skip <why>
and the runner ends with one line "N passed, M failed". Each serial
transcript is kept under <build>/test-logs/; a failure names its log.
"""

import argparse
import concurrent.futures
import fnmatch
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suites  # noqa: E402

QEMU_EXIT_PASS = 33
QEMU_EXIT_FAIL = 35
QEMU_EXIT_PANIC = 37
EXIT_NAMES = {QEMU_EXIT_PASS: "pass", QEMU_EXIT_FAIL: "fail", QEMU_EXIT_PANIC: "panic"}

SHARED_BOOT_MAX_CPUS = 2
TEST_LINE = re.compile(r"^TEST (\S+) (ok|FAIL|skip)(?: (.*))?$")
RUN_LINE = re.compile(r"^RUN (\S+)$")


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []

    def add(self, name, status, reason="", log=None, where=""):
        label = f"{where} {name}".strip()
        if status == "ok":
            self.passed += 1
            print(f"  ok    {label}", flush=True)
        elif status == "skip":
            self.skipped += 1
            print(f"  skip  {label}: {reason}", flush=True)
        else:
            self.failed += 1
            detail = f"{label}: {reason}" + (f" (log: {log})" if log else "")
            self.failures.append(detail)
            print(f"  FAIL  {detail}", flush=True)


def parse_test_lines(text):
    """Yields (name, status, reason, announced) for TEST lines, plus
    unfinished RUNs. announced: the result of a test its RUN line named
    (the kernel's own tests; user programs print TEST lines of their own
    for their parts)."""
    running = None
    for raw in text.splitlines():
        line = raw.strip("\r")
        m = RUN_LINE.match(line)
        if m:
            if running:
                # Its TEST line never came, or came glued to other output.
                yield running, "fail", "started but its result line never came", True
            running = m.group(1)
            continue
        m = TEST_LINE.match(line)
        if m:
            name, status, reason = m.group(1), m.group(2), m.group(3) or ""
            announced = name == running
            if announced:
                running = None
            yield name, status.lower() if status != "FAIL" else "fail", reason, announced
    if running:
        yield running, "fail", "started but never finished (crash or hang)", True


def run_host_tests(args, results):
    binaries = [b for b in args.host_tests.split() if b]
    if not binaries:
        return
    print(f"== host unit tests ({len(binaries)} programs)", flush=True)
    for binary in binaries:
        name = os.path.basename(binary)
        log = os.path.join(args.logdir, f"host-{name}.log")
        try:
            proc = subprocess.run([binary], capture_output=True, text=True, timeout=300)
            output, code = proc.stdout + proc.stderr, proc.returncode
        except subprocess.TimeoutExpired as e:
            output, code = (e.stdout or b"").decode(errors="replace"), "timeout"
        with open(log, "w") as f:
            f.write(output)
        reported = False
        for test, status, reason, _ in parse_test_lines(output):
            if selected(args, test):
                results.add(test, status, reason, log, "[host]")
            reported = True
        if code != 0 or not reported:
            results.add(f"host.{name}", "fail",
                        f"exited with {code}" if reported else "reported no tests",
                        log, "[host]")


def run_scripts(args, results):
    scripts = sorted(
        os.path.join(suites.SCRIPT_DIR, s)
        for s in os.listdir(suites.SCRIPT_DIR) if s.endswith(".sh"))
    if not scripts:
        return
    print(f"== host-side checks of the built kernel ({len(scripts)} scripts)", flush=True)
    env = dict(os.environ, KERNEL=args.kernel, BUILD=args.build)
    for script in scripts:
        name = os.path.basename(script)[:-3]
        log = os.path.join(args.logdir, f"script-{name}.log")
        proc = subprocess.run(["sh", script], capture_output=True, text=True, env=env,
                              timeout=300)
        with open(log, "w") as f:
            f.write(proc.stdout + proc.stderr)
        reported = False
        for test, status, reason, _ in parse_test_lines(proc.stdout):
            if selected(args, test):
                results.add(test, status, reason, log, "[host]")
            reported = True
        # A script that stops early (a crash, say) loses the tests it never
        # reached: its exit status is a result of its own.
        if proc.returncode != 0 or not reported:
            results.add(f"script.{name}", "fail",
                        f"exited with {proc.returncode}" if reported else "reported no tests",
                        log, "[host]")


def selected(args, name):
    if not args.tests:
        return True
    return any(fnmatch.fnmatchcase(name, p) for p in args.tests.split(","))


def build_iso(args, cmdline):
    """An ISO booting the kernel with cmdline and every module (cached)."""
    modules = [m for m in args.modules.split() if m]
    key = hashlib.sha1(cmdline.encode()).hexdigest()[:12]
    iso = os.path.join(args.build, "test-iso", f"{key}.iso")
    inputs = [args.kernel, suites.__file__, os.path.join("tools", "mkiso.sh")] + modules
    if os.path.exists(iso) and all(os.path.getmtime(iso) >= os.path.getmtime(i) for i in inputs):
        return iso
    os.makedirs(os.path.dirname(iso), exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False) as cfg:
        cfg.write(suites.grub_cfg(cmdline, modules))
    try:
        subprocess.run(["tools/mkiso.sh", iso, cfg.name, args.kernel] + modules, check=True)
    finally:
        os.unlink(cfg.name)
    return iso


def boot(args, boot_spec, cpus):
    """Boots one configuration; returns (serial text, exit code, log).

    The exit code is QEMU's, "timeout", or, for a boot with a script,
    "stopped" once the whole script has run (the runner then stops QEMU)
    or "script stuck at step N" if a step never saw its pattern. A script
    is a list of (pattern, text): wait for pattern in the output after
    the previous step's match, then type text (if any).
    """
    iso = build_iso(args, boot_spec.cmdline(args.tests))
    log = os.path.join(args.logdir, f"{boot_spec.name}-cpus{cpus}.log")
    cmd = suites.qemu_command(iso, cpus, boot_spec.memory)
    start = time.monotonic()
    deadline = start + boot_spec.timeout
    output = bytearray()
    stuck = None
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)

        def reader():
            for chunk in iter(lambda: proc.stdout.read1(4096), b""):
                out.write(chunk)
                out.flush()
                output.extend(chunk)
        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        cursor = 0
        for step, (pattern, text) in enumerate(boot_spec.script, 1):
            regex = re.compile(pattern.encode(), re.M)
            match = None
            while time.monotonic() < deadline and proc.poll() is None:
                match = regex.search(bytes(output), cursor)
                if match:
                    break
                time.sleep(0.05)
            if not match:
                stuck = f"script stuck at step {step}: no '{pattern}'"
                break
            cursor = match.end()
            if text:
                proc.stdin.write(text.encode())
                proc.stdin.flush()
        if boot_spec.script and not stuck and boot_spec.stop_after_script:
            proc.kill()
            proc.wait()
            code = "stopped"
        else:
            try:
                code = proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                code = "timeout"
        thread.join(timeout=5)
    if stuck:
        code = stuck if code in ("timeout", "stopped") else f"{code} ({stuck})"
    elapsed = time.monotonic() - start
    text = bytes(output).decode(errors="replace")
    with open(log, "a") as f:
        f.write(f"\n[runner] {' '.join(cmd)}\n[runner] exit {code} after {elapsed:.1f}s\n")
    return text, code, log


def check_boot(boot_spec, cpus, text, code, log, results, args):
    where = f"[cpus={cpus}]"
    if boot_spec.kind == "tests":
        seen = False
        parsed = {"ok": 0, "fail": 0, "skip": 0}
        for name, status, reason, announced in parse_test_lines(text):
            seen = True
            parsed[status] += announced
            results.add(name, status, reason, log if status == "fail" else None, where)
        done = re.search(r"^TESTS DONE passed=(\d+) failed=(\d+)", text, re.M)
        # The kernel's own count must match the result lines read: a
        # result line lost in other output must not hide a failure.
        if done and (int(done.group(1)), int(done.group(2))) != (parsed["ok"], parsed["fail"]):
            results.add(boot_spec.name, "fail",
                        f"the kernel counted passed={done.group(1)} failed={done.group(2)}, "
                        f"the transcript shows {parsed['ok']} and {parsed['fail']}", log, where)
        if code == "timeout":
            results.add(boot_spec.name, "fail", f"timed out after {boot_spec.timeout}s", log,
                        where)
        elif not done:
            panic = re.search(r"^PANIC.*$", text, re.M)
            why = panic.group(0) if panic else f"QEMU exited with {code} before the end"
            results.add(boot_spec.name, "fail", why, log, where)
        elif int(done.group(2)) == 0 and code != QEMU_EXIT_PASS:
            results.add(boot_spec.name, "fail", f"all passed but QEMU exited with {code}", log,
                        where)
        elif not seen and not args.tests:
            results.add(boot_spec.name, "fail", "no tests ran", log, where)
        # Every boot must bring up as many cores as QEMU was given.
        online = re.search(r"^smp: (\d+) cpus online", text, re.M)
        if boot_spec.expect_all_cpus and (not online or int(online.group(1)) != cpus):
            got = online.group(1) if online else "no"
            results.add("smp.cores_online_equals_cpus", "fail",
                        f"{got} cores online, QEMU had {cpus}", log, where)
        elif boot_spec.expect_all_cpus:
            results.add("smp.cores_online_equals_cpus", "ok", "", None, where)
    else:
        ok, why = boot_spec.check(text, code)
        results.add(boot_spec.name, "ok" if ok else "fail", why, log, where)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--cpus", default="1 2 4 8")
    ap.add_argument("--tests", default="", help="comma-separated glob patterns")
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--modules", default="")
    ap.add_argument("--host-tests", default="")
    ap.add_argument("--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    args = ap.parse_args()
    args.logdir = os.path.join(args.build, "test-logs")
    os.makedirs(args.logdir, exist_ok=True)
    results = Results()
    started = time.monotonic()

    run_host_tests(args, results)
    run_scripts(args, results)

    jobs = []
    for cpus in [int(c) for c in args.cpus.split()]:
        for spec in suites.boots(cpus):
            if spec.kind != "tests" and not selected(args, spec.name):
                continue
            if spec.kind == "tests" and args.tests and not spec.may_match(args.tests):
                continue
            jobs.append((spec, cpus))
    print(f"== QEMU boots: {len(jobs)} on {args.cpus} cores, {args.jobs} at a time "
          f"(logs in {args.logdir})", flush=True)
    # ISOs are built up front, one at a time (grub-mkrescue is not parallel-safe).
    for spec, cpus in jobs:
        build_iso(args, spec.cmdline(args.tests))
    # Machines with more virtual cores than the host has real ones run one
    # at a time: two of them side by side starve each other's spinlocks.
    small = [(s, c) for s, c in jobs if c <= SHARED_BOOT_MAX_CPUS]
    large = [(s, c) for s, c in jobs if c > SHARED_BOOT_MAX_CPUS]
    for batch, workers in ((small, args.jobs), (large, 1)):
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [(spec, cpus, pool.submit(boot, args, spec, cpus)) for spec, cpus in batch]
            for spec, cpus, fut in futures:
                text, code, log = fut.result()
                print(f"-- {spec.name} on {cpus} cores: QEMU exit "
                      f"{EXIT_NAMES.get(code, code)}", flush=True)
                check_boot(spec, cpus, text, code, log, results, args)

    minutes = (time.monotonic() - started) / 60
    if results.failures:
        print(f"\nFailures ({len(results.failures)}):")
        for f in results.failures:
            print(f"  {f}")
    print(f"\n{results.skipped} skipped; {minutes:.1f} minutes")
    print(f"{results.passed} passed, {results.failed} failed")
    return 1 if results.failed or results.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
