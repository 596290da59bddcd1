#!/bin/sh
# The Locus gdb commands (tools/gdb/locus.py, docs/debugging.md) against a
# live kernel. Two boots under QEMU, each halted with a gdb stub; gdb runs
# the kernel to a known point, then runs the commands and checks what they
# print:
#
#   sched boot, 4 cores, stopped as the test thread goes to sleep:
#     locus-cpulocal, locus-cpus, locus-threads, locus-tasks (no tasks)
#   user boot, 2 cores, stopped in the utest_hello task's first write:
#     locus-utcb, locus-tasks (one task)
#
# Reads $KERNEL (the kernel ELF) and $BUILD; the user program comes from
# $BUILD/user/bin. Prints only TEST lines; everything else goes to
# $BUILD/gdb-helpers.log.
set -u
BUILD=${BUILD:-build}
KERNEL=${KERNEL:-$BUILD/locus.elf}
work=$BUILD/gdb-helpers
log=$BUILD/gdb-helpers.log
results=$work/results
TESTS="gdb.cpulocal_reads_each_core gdb.cpus_listed gdb.threads_listed gdb.utcb_dumped
gdb.tasks_listed"

fail_all() {
	for t in $TESTS; do
		echo "TEST $t FAIL $1"
	done
	exit 0
}

for tool in gdb qemu-system-i386 grub-mkrescue python3 timeout; do
	command -v "$tool" >/dev/null 2>&1 ||
		fail_all "$tool not found: run tools/deps.sh"
done
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$KERNEL" ] || fail_all "no kernel $KERNEL: build it with make"
hello=$BUILD/user/bin/utest_hello
[ -f "$hello" ] || fail_all "no user program $hello: build it with make"

mkdir -p "$work"
: >"$log"
: >"$results"

# QEMU and gdb run in the background, each under `timeout` (so that not
# even a SIGKILL of this script leaves them running for long). Both are
# always stopped, also on failure; the script only `wait`s, which a
# signal interrupts at once.
qemu_pid= gdb_pid=
stop() {
	for pid in $gdb_pid $qemu_pid; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	qemu_pid= gdb_pid=
}
trap stop EXIT
trap 'stop; exit 1' INT TERM HUP

# The checks, run inside gdb after locus.py. LOCUS_CHECK says which boot;
# each check appends "name ok" or "name FAIL why" to $LOCUS_RESULTS.
cat >"$work/check.py" <<'EOF'
import os
import re
import threading

import gdb

RESULTS = os.environ["LOCUS_RESULTS"]
CPUS = int(os.environ["LOCUS_CPUS"])
WAIT_SECONDS = 20


def report(name, why):
    with open(RESULTS, "a") as f:
        f.write(f"{name} ok\n" if why is None else f"{name} FAIL {why}\n")


def check(name, test):
    """Runs test(): None means it passed, a string says why not."""
    try:
        why = test()
    except Exception as e:  # a gdb error is a failure, not a crash
        why = f"{type(e).__name__}: {e}"
    report(name, None if why is None else " ".join(str(why).split()))


def run(command):
    """A gdb command's output (also written to the log)."""
    print(f"(gdb) {command}")
    out = gdb.execute(command, to_string=True)
    print(out, end="")
    return out


def run_to(location, thread=None):
    """Continues until the breakpoint at location is hit, or interrupts
    the target after WAIT_SECONDS. Returns why not, or None."""
    run(f"tbreak {location}" + (f" thread {thread}" if thread else ""))
    timer = threading.Timer(WAIT_SECONDS, lambda: gdb.post_event(
        lambda: gdb.execute("interrupt")))
    timer.start()
    try:
        run("continue")
    except gdb.error as e:  # e.g. QEMU exited: the kernel ended first
        return f"running to {location}: {e}"
    finally:
        timer.cancel()
    where = gdb.selected_frame().name()
    if where != location:
        return f"the kernel did not reach {location} in {WAIT_SECONDS} s (stopped in {where})"
    return None


def every_test(names, why):
    for name in names:
        report(name, why)


def sched_boot():
    """Stopped on the switch away from the test thread, as it goes to
    sleep: every core idles, ktest is on a sleepers list."""
    tests = ["gdb.cpulocal_reads_each_core", "gdb.cpus_listed", "gdb.threads_listed",
             "gdb.tasks_listed"]
    why = run_to("sched_sleep_ms")
    if why is None:
        why = run_to("context_switch", gdb.selected_thread().num)
    if why:
        return every_test(tests, why)

    def cpulocal():
        out = run("locus-cpulocal this_cpu_index")
        got = re.findall(r"^cpu (\d+): (\d+)$", out, re.M)
        want = [(str(c), str(c)) for c in range(CPUS)]
        if got != want:
            return f"this_cpu_index per core: want {want}, got {got}"
        for c in range(CPUS):
            one = run(f"locus-cpulocal this_cpu_index {c}").strip()
            if one != f"cpu {c}: {c}":
                return f"locus-cpulocal this_cpu_index {c} printed '{one}'"
        # The same variable through the convenience function.
        last = int(gdb.parse_and_eval(f'$cpulocal("this_cpu_index", {CPUS - 1})'))
        if last != CPUS - 1:
            return f'$cpulocal("this_cpu_index", {CPUS - 1}) is {last}'
        # The compiler's own offset (@ntpoff) must be st_value - block_size:
        # cpu_local_bench_read is one `mov %gs:OFFSET, %eax`.
        insn = run("x/i cpu_local_bench_read")
        m = re.search(r"%gs:(0x[0-9a-f]+)", insn)
        if not m:
            return f"no %gs operand in cpu_local_bench_read: {insn}"
        compiler = int(m.group(1), 16) - (1 << 32)
        base = int(gdb.parse_and_eval('(unsigned long)&$cpulocal("bench_counter", 0)'))
        tp0 = int(gdb.parse_and_eval("'cpu_locals.c'::region_tp[0]"))
        if base - tp0 != compiler:
            return f"bench_counter at tp{base - tp0:+d}, the compiler reads %gs:{compiler}"
        return None

    def cpus():
        out = run("locus-cpus")
        rows = re.findall(r"^\s*(\d+)\s+(\d+)\s+(0x[0-9a-f]+)\s+(\S+)\s+(\d+)\s+(.*)$",
                          out, re.M)
        if [int(r[0]) for r in rows] != list(range(CPUS)):
            return f"want cores 0..{CPUS - 1}, got rows {rows}"
        table = gdb.parse_and_eval("'cpu_locals.c'::region_tp")
        vcpus = set()
        for cpu, apic, tp, vcpu, _queued, current in rows:
            if int(tp, 16) != int(table[int(cpu)]):
                return f"core {cpu}: tp {tp} is not region_tp[{cpu}]"
            if not vcpu.isdigit():
                return f"core {cpu}: no gdb thread matched (all cores are in kernel code)"
            vcpus.add(vcpu)
            if not re.match(r"idle/\d+ \(tid 0\)$", current):
                return f"core {cpu} should be idle, runs {current}"
        if len(vcpus) != CPUS or len({r[1] for r in rows}) != CPUS:
            return f"gdb threads or APIC ids not distinct: {rows}"
        return None

    def threads():
        out = run("locus-threads")
        for c in range(CPUS):
            if not re.search(rf"^\s*0\s+idle/{c}\s+running\s+0\s+{c}\s", out, re.M):
                return f"idle/{c} not listed as running on core {c}"
        if not re.search(r"^\s*\d+\s+ktest\s+blocked\s+10\s+\d+\s+-\s+sleeping on \d+",
                         out, re.M):
            return "ktest not listed as blocked on a sleepers list"
        return None

    def tasks():
        out = run("locus-tasks").strip()
        return None if out == "no tasks" else f"with no tasks, printed '{out}'"

    check("gdb.cpulocal_reads_each_core", cpulocal)
    check("gdb.cpus_listed", cpus)
    check("gdb.threads_listed", threads)
    check("gdb.tasks_listed", tasks)


def user_boot():
    """Stopped in the first write system call of utest_hello."""
    why = run_to("sys_debug_write")
    if why:
        return every_test(["gdb.utcb_dumped", "gdb.tasks_listed"], why)

    def utcb():
        # The thread this vCPU runs (no tid given).
        out = run("locus-utcb")
        m = re.search(r"UTCB of thread utest_hello \(tid (\d+)\): kernel view (0x[0-9a-f]+), "
                      r"user address (0x[0-9a-f]+)", out)
        if not m:
            return f"no UTCB header for utest_hello in: {out}"
        tid, user = int(m.group(1)), int(m.group(3), 16)
        # Write a message through the user address (this vCPU runs in the
        # task's address space), as the program would, and read it back
        # through the kernel's view.
        mr = int(gdb.parse_and_eval("(unsigned long)&((struct utcb *)0)->mr"))
        saved = [int(gdb.parse_and_eval(f"*(unsigned *){user + o:#x}")) for o in (0, mr, mr + 4)]
        try:
            for offset, value in ((0, 0x420002), (mr, 0x11111111), (mr + 4, 0x22222222)):
                run(f"set var *(unsigned *){user + offset:#x} = {value:#x}")
            out = run(f"locus-utcb {tid}")
        finally:
            for offset, value in zip((0, mr, mr + 4), saved):
                run(f"set var *(unsigned *){user + offset:#x} = {value:#x}")
        for want in (r"label 0x42, length 2, caps 0", r"mr\[0\]\s+0x11111111",
                     r"mr\[1\]\s+0x22222222"):
            if not re.search(want, out):
                return f"'{want}' not in: {out}"
        if re.search(r"mr\[2\]", out):
            return "registers beyond the tag's length were shown"
        return None

    def tasks():
        out = run("locus-tasks")
        m = re.search(r"^\s*(\d+)\s+utest_hello\s+running\s+1\s+1\s+(\d+)/(\d+)\s+(\d+)$",
                      out, re.M)
        if not m or int(m.group(2)) == 0:
            return f"utest_hello (running, one thread, pages mapped) not in: {out}"
        return None

    check("gdb.utcb_dumped", utcb)
    check("gdb.tasks_listed", tasks)


{"sched": sched_boot, "user": user_boot}[os.environ["LOCUS_CHECK"]]()
EOF

# A free TCP port for QEMU's gdb stub (not :1234, which `make debug` uses).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# boot NAME CPUS KERNEL_CMDLINE [MODULE...]: one QEMU boot and its checks.
boot() {
	name=$1 cpus=$2 cmdline=$3
	shift 3
	cfg=$work/$name.cfg iso=$work/$name.iso
	{
		echo "set timeout=0"
		echo "set default=0"
		echo 'menuentry "Locus gdb check" {'
		echo "	multiboot /boot/locus.elf $cmdline"
		echo "	@MODULES@"
		echo "	boot"
		echo "}"
	} >"$cfg"
	echo "== $name boot: $cpus cores, $cmdline" >>"$log"
	if ! sh "$root/tools/mkiso.sh" "$iso" "$cfg" "$KERNEL" "$@" >>"$log" 2>&1; then
		for t in $TESTS; do echo "$t FAIL mkiso.sh failed for the $name boot" >>"$results"; done
		return
	fi
	port=$(free_port)
	timeout 60 qemu-system-i386 -accel tcg,thread=multi -smp "$cpus,sockets=$cpus" -m 128M \
		-no-reboot -display none -monitor none -serial "file:$work/$name-serial.log" \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -cdrom "$iso" \
		-gdb "tcp:127.0.0.1:$port" -S >>"$log" 2>&1 &
	qemu_pid=$!
	LOCUS_CHECK=$name LOCUS_CPUS=$cpus LOCUS_RESULTS=$results \
		timeout 45 gdb -q -nx -batch -ex "set architecture i386" \
		-x "$root/tools/gdb/locus.py" -ex "target remote 127.0.0.1:$port" \
		-x "$work/check.py" "$KERNEL" >>"$log" 2>&1 &
	gdb_pid=$!
	wait "$gdb_pid"
	echo "gdb exited with $?" >>"$log"
	gdb_pid=
	stop
	echo "-- serial console of the $name boot:" >>"$log"
	cat "$work/$name-serial.log" >>"$log" 2>/dev/null
}

start=$(date +%s)
boot sched 4 "test=sched.sleep_takes_at_least_its_time"
boot user 2 "test=user.spawn_passes_arguments" "$hello"
echo "== took $(($(date +%s) - start)) s" >>"$log"

# A test passes when every check of it passed (some run in both boots).
for t in $TESTS; do
	failed=$(grep -m1 "^$t FAIL " "$results")
	if [ -n "$failed" ]; then
		echo "TEST $failed"
	elif grep -q "^$t ok$" "$results"; then
		echo "TEST $t ok"
	else
		echo "TEST $t FAIL no result (gdb or QEMU stopped early): see $log"
	fi
done
