"""What `make test` boots under QEMU, and how each boot is judged.

A boot of kind "tests" runs kernel (and later user) tests selected on the
command line and reports TEST lines; a boot of kind "check" is judged by a
function of its serial transcript and QEMU's exit code (expected panics,
memory sizes).
"""

import fnmatch
import os
import re

SCRIPT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripts")
QEMU_EXIT_PASS = 33
QEMU_EXIT_PANIC = 37
DEFAULT_MEMORY = "128M"


class Boot:
    def __init__(self, name, kind, cmdline, memory=DEFAULT_MEMORY, timeout=180, check=None,
                 patterns=None, expect_all_cpus=True, script=(), stop_after_script=False):
        self.name = name
        self.expect_all_cpus = expect_all_cpus
        self.script = script
        self.stop_after_script = stop_after_script
        self.kind = kind
        self._cmdline = cmdline
        self.memory = memory
        self.timeout = timeout
        self.check = check
        self.patterns = patterns or ["*"]

    def cmdline(self, selection):
        """The kernel command line; {tests} becomes the test selection:
        the boot's own patterns, narrowed by a T= selection."""
        positive = [p for p in self.patterns if not p.startswith("-")]
        negative = [p for p in self.patterns if p.startswith("-")]
        if not selection:
            chosen = self.patterns
        elif positive == ["*"]:
            chosen = selection.split(",") + negative
        else:
            chosen = [self._narrowest(want, positive) for want in selection.split(",")]
            chosen = [p for p in chosen if p] + negative
        return self._cmdline.format(tests=",".join(chosen))

    @staticmethod
    def _narrowest(want, positive):
        """The pattern to run for one wanted pattern: itself when it lies
        inside one of the boot's patterns, the boot's pattern when it
        covers it, None when it has nothing to do with the boot."""
        for p in positive:
            stem = p.rstrip("*")
            if want.startswith(stem):
                return want
            if fnmatch.fnmatchcase(stem + "x", want):
                return p
        return None

    @staticmethod
    def _selects(selection, pattern):
        """Could selection pick a test that pattern covers? (by prefix)"""
        stem = pattern.rstrip("*")
        return any(fnmatch.fnmatchcase(stem + "x", want) or want.startswith(stem)
                   for want in selection.split(","))

    def may_match(self, selection):
        """Could a T= selection pick tests from this boot?"""
        positive = [p for p in self.patterns if not p.startswith("-")]
        return positive == ["*"] or any(self._selects(selection, p) for p in positive)


def expect_panic(message, backtrace=()):
    """A check: the boot panicked with message and named these functions."""
    def check(text, code):
        if code != QEMU_EXIT_PANIC:
            return False, f"expected a panic (exit {QEMU_EXIT_PANIC}), QEMU exited with {code}"
        panic = re.search(r"^PANIC.*$", text, re.M)
        if not panic or not re.search(message, panic.group(0), re.M):
            got = panic.group(0) if panic else "no PANIC line"
            return False, f"panic message should match '{message}', got: {got}"
        trace = text[panic.end():]
        for fn in backtrace:
            if not re.search(r"^\s+0x[0-9a-f]+ " + re.escape(fn) + r"\+0x", trace, re.M):
                return False, f"backtrace does not name {fn}"
        if "PANIC end" not in trace:
            return False, "panic report incomplete"
        return True, ""
    return check


def expect_line(pattern, then_pass):
    """A check: the transcript has lines matching pattern (a string or a
    list of them), and the tests of the boot passed if then_pass."""
    patterns = [pattern] if isinstance(pattern, str) else pattern

    def check(text, code):
        for p in patterns:
            if not re.search(p, text, re.M):
                return False, f"no line matching '{p}'"
        if then_pass and code != QEMU_EXIT_PASS:
            return False, f"boot did not go on to pass its tests (exit {code})"
        return True, ""
    return check


def expect_script_completed(text, code):
    """A check for interactive sessions: every step of the script saw its
    pattern, and nothing panicked."""
    if re.search(r"^PANIC", text, re.M):
        return False, re.search(r"^PANIC.*$", text, re.M).group(0)
    if code != "stopped":
        return False, f"session did not complete: {code}"
    return True, ""


# The scripted shell session: each step waits for its pattern in what
# the system printed after the previous step, then types.
PROMPT = r"locus> "
SHELL_SESSION = [
    (PROMPT, "echo hello from the shell\n"),
    (r"^hello from the shell", None),
    (PROMPT, "utest_hello one two three\n"),
    (r"utest_hello: 4 arguments, 0 failures", None),
    (PROMPT, "no_such_program\n"),
    (r"no_such_program: no such program", None),
    (PROMPT, "utest_crash null_write\n"),
    (r"utest_crash: crashed: page fault \(vector 14\)", None),
    (PROMPT, "echo status $?\n"),
    (r"^status 142", None),
    (PROMPT, "ps\n"),
    (r"TASK NAME", None),
    (r"console", None),
    (r"shell", None),
    (PROMPT, "cpus\n"),
    (r"SWITCHES", None),
    (PROMPT, "utest_spin spin &\n"),
    (r"\[1\] utest_spin", None),
    (PROMPT, "kill 1\n"),
    (r"\[1\] done: utest_spin", None),
    (r"utest_spin: killed", None),
    (PROMPT, "utest_spin spin\n"),
    (r"utest_spin: spinning", "\x03"),
    (r"utest_spin: killed", None),
    (PROMPT, "exit\n"),
    (r"init: shell ended \(status 0\)", None),
    (PROMPT, None),
]


DIRECT_MAP_MIB = 768


def expect_memory_report(min_available_mib, max_available_mib, unmanaged):
    """A check: the boot found the memory the machine has, and manages all
    of it (up to the direct map) but what the kernel image and the boot
    modules occupy. The first MiB is never managed (BIOS and the AP
    trampoline), and "MiB available" is rounded down: 1.5 MiB of slack."""
    def check(text, code):
        m = re.search(r"(\d+) MiB available in the map; managing \d+ MiB \((\d+) frames\)", text)
        r = re.search(r"kernel image (\d+) KiB, \d+ boot modules (\d+) KiB reserved", text)
        if not m or not r:
            return False, "no memory report"
        available, frames = int(m.group(1)), int(m.group(2))
        if not min_available_mib <= available <= max_available_mib:
            return False, f"found {available} MiB, expected {min_available_mib}..{max_available_mib}"
        accounted = frames * 4 + int(r.group(1)) + int(r.group(2))
        expected = min(available, DIRECT_MAP_MIB) * 1024
        if not expected - 1536 <= accounted <= expected:
            return False, (f"managed + reserved = {accounted} KiB, "
                           f"expected {expected - 1536}..{expected} KiB")
        said_unmanaged = re.search(r"MiB above the \d+ MiB direct map is not managed", text)
        if bool(said_unmanaged) != unmanaged:
            return False, "report of unmanaged memory " + ("missing" if unmanaged else "unexpected")
        if code != QEMU_EXIT_PASS or "TESTS DONE" not in text:
            return False, f"tests at this size did not pass (exit {code})"
        return True, ""
    return check


def boots(cpus):
    """The boots for one core count."""
    result = [
        # Tests that need typed input run in boots of their own, below.
        Boot("kernel", "tests", "test={tests}", patterns=["*", "-ipc_input.*", "-fuzz.*"]),
        # The robustness suite in a boot of its own: it runs beside the
        # others, and nothing else moves the counters it checks.
        Boot("fuzz", "tests", "test={tests}", patterns=["fuzz.*"], timeout=420),
        Boot("ipc_input", "tests", "test={tests}", patterns=["ipc_input.*"],
             script=[(r"utest_com1_irq: ready for input", "Z")]),
        Boot("shell.session", "check", "", script=SHELL_SESSION, stop_after_script=True,
             check=expect_script_completed, timeout=240),
        Boot("panic.early_cpu_local", "check", "crash=early_cpu_local",
             check=expect_panic(r"cpu-local touched before cpu_locals_init_boot_cpu",
                                backtrace=("crash_early_cpu_local", "crash_hooks_run", "kmain"))),
        Boot("panic.early_spinlock", "check", "crash=early_spinlock",
             check=expect_panic(r"cpu-local touched before cpu_locals_init_boot_cpu",
                                backtrace=("crash_early_spinlock", "crash_hooks_run", "kmain"))),
    ]
    if cpus >= 2:
        result += [
            Boot("panic.on_application_cpu", "check", "crash=ap_panic",
                 check=expect_panic(rf"^PANIC on cpu {cpus - 1}: deliberate panic on an "
                                    r"application core", backtrace=("panic_here",))),
            Boot("panic.spinlock_unlock_by_other_cpu", "check",
                 "crash=spinlock_unlock_by_other_cpu",
                 check=expect_panic(r"spinlock crash test: released by cpu 1, but held by 0")),
        ]
    if cpus == 1:
        result += [
            Boot("panic.spinlock_recursion", "check", "crash=spinlock_recursion",
                 check=expect_panic(r"spinlock crash test: taken again by cpu 0, which holds it",
                                    backtrace=("spin_lock_taken_again", "crash_spinlock_recursion"))),
            Boot("panic.kernel_stack_overflow", "check", "crash=kernel_stack_overflow",
                 check=expect_panic(r"double fault in thread 'deep-recursion' \(tid \d+\): "
                                    r"kernel stack overflow")),
            Boot("boot.malformed_modules_named", "check", "test=user.malformed_modules_refused",
                 check=expect_line([
                     r"^task: module 'bad_elf_truncated' refused: program headers outside",
                     r"^task: module 'bad_elf_kernel_segment' refused: segment \d+ outside "
                     r"user space",
                     r"^task: module 'bad_elf_bad_entry' refused: entry point",
                 ], True)),
            Boot("boot.acpi_off_runs_on_one_cpu", "check", "acpi=off test=smp.*,cpu_locals.*",
                 check=expect_line(r"^smp: ACPI unusable \(disabled on the command line", True)),
            Boot("panic.kernel_page_fault", "check", "crash=kernel_page_fault",
                 check=expect_panic(r"page fault \(vector 14, error 0x2\) in the kernel at "
                                    r"crash_kernel_page_fault\+0x[0-9a-f]+, cr2 0x0",
                                    backtrace=("crash_kernel_page_fault", "crash_hooks_run", "kmain"))),
            Boot("boot.unknown_option_warns", "check", "frobnicate=1 test=trap.*",
                 check=expect_line(r"^warning: command line: unknown option 'frobnicate=1' ignored",
                                   then_pass=True)),
            Boot("boot.memory_32m", "check", "test=mm.*", memory="32M",
                 check=expect_memory_report(30, 31, unmanaged=False)),
            Boot("boot.memory_3g", "check", "test=mm.*", memory="3G", timeout=300,
                 check=expect_memory_report(3060, 3071, unmanaged=True)),
        ]
    return result


def grub_cfg(cmdline, modules):
    lines = [
        "set timeout=0",
        "set default=0",
        'menuentry "Locus test" {',
        f"\tmultiboot /boot/locus.elf {cmdline}",
    ]
    for m in modules:
        name = os.path.basename(m)
        lines.append(f"\tmodule /boot/modules/{name} {name}")
    lines += ["\tboot", "}"]
    return "\n".join(lines) + "\n"


def qemu_command(iso, cpus, memory):
    return [
        "qemu-system-i386",
        "-accel", "tcg,thread=multi",
        "-smp", f"{cpus},sockets={cpus}",
        "-m", memory,
        "-no-reboot",
        "-display", "none",
        "-monitor", "none",
        "-serial", "stdio",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
        "-cdrom", iso,
    ]
