"""Locus-aware gdb commands (docs/debugging.md).

Sourced by tools/gdbinit (`make debug`), or directly:

    gdb -x tools/gdb/locus.py build/locus.elf

Commands:

    locus-cpus                   online cores: APIC id, thread pointer, current thread
    locus-cpulocal VAR [CPU]     a CPU_LOCAL variable on one core or on every core
    locus-threads                every thread the kernel can reach
    locus-utcb [TID]             a thread's UTCB (default: the thread of this vCPU)
    locus-tasks                  every task

and a convenience function, $cpulocal("VAR", CPU), for expressions:

    print $cpulocal("current_thread_slot", 1)->name

Everything is read from memory with gdb's knowledge of the C types: field
offsets come from the DWARF type information, never from numbers written
here, so the commands follow the kernel's structs as they change.

gdb's own thread-local support cannot read the kernel's cpu-locals: gdb
finds TLS blocks only through an operating system it knows (GNU/Linux:
libthread_db, or the remote stub's qGetTLSAddr request, which QEMU does
not answer), and its threads here are QEMU's vCPUs anyway. The layout is
ELF TLS variant II, so this file does the arithmetic itself: a cpu-local
of core c is at

    tp(c) + (st_value - block_size)

where tp(c) is core c's thread pointer (the kernel's directory
region_tp[], cpu_locals.c), st_value the symbol's offset in the TLS image
(ELF symbol table) and block_size = round_up(memsz, align) from the
__tls_image_* symbols that linker.ld exports.
"""

import os
import re
import struct

import gdb


# ---------------------------------------------------------------------------
# Reading the kernel: types, fields, lists


def kernel_type(name):
    """A type by its C name, e.g. "struct thread"."""
    try:
        return gdb.lookup_type(name)
    except gdb.error:
        raise gdb.GdbError(f"no type '{name}' in the symbols: is build/locus.elf loaded?")


def field_offset(type_name, member):
    """Offset in bytes of member in a struct, from the debug information."""
    for field in kernel_type(type_name).fields():
        if field.name == member:
            return field.bitpos // 8
    raise gdb.GdbError(f"{type_name} has no member '{member}'")


def as_struct(address, type_name):
    """The struct of type type_name at address (a gdb.Value lvalue)."""
    return gdb.Value(address).cast(kernel_type(type_name).pointer()).dereference()


def container_of(node_address, type_name, member):
    """The struct whose member is the list node at node_address."""
    return as_struct(node_address - field_offset(type_name, member), type_name)


def list_nodes(head, limit=100000):
    """Addresses of the nodes of an intrusive list (lib/list.h), given
    its head (a struct list_node lvalue). Stops on a broken list."""
    head_address = int(head.address)
    node = int(head["next"])
    seen = set()
    while node not in (head_address, 0) and node not in seen and len(seen) < limit:
        seen.add(node)
        yield node
        node = int(as_struct(node, "struct list_node")["next"])


def list_entries(head, type_name, member):
    """The structs on a list, linked through their member."""
    for node in list_nodes(head):
        yield container_of(node, type_name, member)


def c_string(array):
    """A NUL-terminated char array as a Python string."""
    data = bytes(int(array[i]) & 0xFF for i in range(array.type.sizeof))
    return data.split(b"\0", 1)[0].decode("ascii", "replace")


def member(value, name, default=None):
    """value[name], or default when the struct has no such member (the
    kernel changes; a listing should not die of a renamed field)."""
    try:
        return value[name]
    except gdb.error:
        return default


def enum_name(value, prefix):
    """THREAD_RUNNING -> running."""
    text = str(value)
    return text[len(prefix):].lower() if text.startswith(prefix) else text


def print_table(header, rows):
    """Prints rows of strings in columns as wide as their widest cell.
    A header cell starting with '>' is right-aligned (numbers)."""
    right = [h.startswith(">") for h in header]
    header = [h.lstrip(">") for h in header]
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    for row in [header] + rows:
        cells = [str(c).rjust(w) if r else str(c).ljust(w)
                 for c, w, r in zip(row, widths, right)]
        print("  ".join(cells).rstrip())


def global_value(expression):
    """A global or file-static variable, e.g. "'smp.c'::online_mask"."""
    try:
        return gdb.parse_and_eval(expression)
    except gdb.error as e:
        raise gdb.GdbError(f"cannot read {expression}: {e}")


# ---------------------------------------------------------------------------
# cpu-locals: TLS variant II by hand


def elf_tls_symbols(path):
    """{name: [(file, st_value)]} for every STT_TLS symbol of an ELF32
    file; file is the source file named by the STT_FILE symbol before it
    (for static cpu-locals of the same name in two files)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF" or data[4] != 1:
        raise gdb.GdbError(f"{path} is not a 32-bit ELF file")
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x2E)
    sections = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize)
                for i in range(shnum)]
    symbols = {}
    for sh in sections:
        if sh[1] != 2:  # SHT_SYMTAB
            continue
        strtab = sections[sh[6]]  # sh_link: its string table
        entsize = sh[9] or 16
        current_file = None
        for offset in range(sh[4], sh[4] + sh[5], entsize):
            st_name, st_value, _size, st_info = struct.unpack_from("<IIIB", data, offset)
            name_at = strtab[4] + st_name
            name = data[name_at:data.index(b"\0", name_at)].decode()
            kind = st_info & 0xF
            if kind == 4:  # STT_FILE
                current_file = name
            elif kind == 6:  # STT_TLS
                symbols.setdefault(name, []).append((current_file, st_value))
    return symbols


_tls_cache = {}


def kernel_file():
    """The kernel ELF gdb has loaded."""
    progspace = gdb.current_progspace()
    if not progspace.filename:
        raise gdb.GdbError("no kernel loaded: start gdb with build/locus.elf")
    return progspace.filename


def same_file(path, file):
    """Does path (kernel/sched/sched.c) name file (sched.c, sched/sched.c)?"""
    return path == file or path.endswith("/" + file)


def tls_symbol_offset(name, file=None):
    """A cpu-local's st_value: its offset inside the TLS image."""
    path = kernel_file()
    key = (path, os.stat(path).st_mtime)  # a rebuilt kernel is read again
    if key not in _tls_cache:
        _tls_cache.clear()
        _tls_cache[key] = elf_tls_symbols(path)
    candidates = _tls_cache[key].get(name, [])
    if file:
        candidates = [c for c in candidates if c[0] and same_file(c[0], file)]
    if not candidates:
        raise gdb.GdbError(f"'{name}' is not a cpu-local (no TLS symbol of that name)")
    if len(candidates) > 1:
        files = ", ".join(f"'{c[0]}'::{name}" for c in candidates)
        raise gdb.GdbError(f"several cpu-locals are called {name}: say which, {files}")
    return candidates[0][1]


def tls_block_size():
    """round_up(memsz, align), from the symbols linker.ld exports."""
    memsz = int(global_value("(unsigned long)&__tls_image_memsz"))
    align = max(int(global_value("(unsigned long)&__tls_image_align")), 1)
    return (memsz + align - 1) // align * align


def symbol_type(name, file=None):
    """The C type of a variable, from the debug information."""
    symbol = gdb.lookup_global_symbol(name)
    if symbol is None or file:
        statics = [s for s in gdb.lookup_static_symbols(name)
                   if not file or same_file(s.symtab.filename, file)]
        symbol = statics[0] if statics else symbol
    if symbol is None:
        raise gdb.GdbError(f"no debug information for '{name}'")
    return symbol.type


def thread_pointers():
    """region_tp[]: core index -> thread pointer (0: no region)."""
    table = global_value("'cpu_locals.c'::region_tp")
    low, high = table.type.range()
    return [int(table[i]) for i in range(low, high + 1)]


def online_cpus():
    """Indexes of the online cores that have a cpu-local region."""
    tps = thread_pointers()
    try:
        mask = int(global_value("'smp.c'::online_mask"))
    except gdb.GdbError:
        mask = ~0
    cpus = [c for c, tp in enumerate(tps) if tp and mask & (1 << c)]
    if not cpus:
        raise gdb.GdbError("no core has cpu-locals yet: cpu_locals_init_boot_cpu() has not "
                           "run (try `break kmain` or `continue` a little first)")
    return cpus


def parse_cpu_local(spec):
    """'sched.c'::rq.queued -> ("rq", "sched.c", ".queued")."""
    m = re.match(r"^\s*(?:'?([\w./-]+\.[ch])'?::)?([A-Za-z_]\w*)(.*)$", spec)
    if not m:
        raise gdb.GdbError(f"'{spec}' does not start with a variable name")
    return m.group(2), m.group(1), m.group(3).strip()


def cpu_local_address(name, cpu, file=None):
    """Where core cpu's copy of cpu-local name is."""
    tps = thread_pointers()
    if cpu < 0 or cpu >= len(tps) or not tps[cpu]:
        raise gdb.GdbError(f"core {cpu} has no cpu-local region")
    return tps[cpu] + tls_symbol_offset(name, file) - tls_block_size()


def cpu_local(spec, cpu):
    """Core cpu's copy of a cpu-local, with an optional suffix such as
    .queued or ->name, as a gdb.Value."""
    name, file, suffix = parse_cpu_local(spec)
    address = cpu_local_address(name, cpu, file)
    value = gdb.Value(address).cast(symbol_type(name, file).pointer()).dereference()
    if suffix:
        # Let gdb evaluate the rest of the expression on that lvalue.
        gdb.set_convenience_variable("__locus_cpu_local", value.address)
        value = gdb.parse_and_eval(f"(*$__locus_cpu_local){suffix}")
    return value


class CpuLocalFunction(gdb.Function):
    """$cpulocal("VAR", CPU): core CPU's copy of the cpu-local VAR.
Example: print $cpulocal("current_thread_slot", 1)->name"""

    def __init__(self):
        super().__init__("cpulocal")

    def invoke(self, name, cpu=None):
        return cpu_local(name.string(), int(cpu) if cpu is not None else 0)


# ---------------------------------------------------------------------------
# vCPUs: QEMU's gdb stub shows each virtual CPU as a gdb thread


def vcpu_of_cores():
    """{core index: gdb thread number}, matched by the vCPU's gs_base,
    which is its core's thread pointer whenever %gs holds KTLS (kernel
    code). A vCPU stopped in user mode (or before cpu-locals) is absent."""
    by_tp = {tp: cpu for cpu, tp in enumerate(thread_pointers()) if tp}
    found = {}
    selected = gdb.selected_thread()
    if selected is None:
        return found
    frame = gdb.selected_frame()
    try:
        for thread in gdb.selected_inferior().threads():
            thread.switch()
            try:
                # gdb types the register int32_t: make it an address.
                base = int(gdb.parse_and_eval("$gs_base")) & 0xFFFFFFFF
            except (gdb.error, ValueError):
                continue  # a QEMU without the register
            if base in by_tp:
                found[by_tp[base]] = thread.num
    finally:
        selected.switch()
        frame.select()
    return found


def core_of_selected_vcpu():
    """The core index the selected gdb thread (vCPU) is, or None."""
    selected = gdb.selected_thread()
    for cpu, num in vcpu_of_cores().items():
        if selected is not None and num == selected.num:
            return cpu
    return None


# ---------------------------------------------------------------------------
# Threads and tasks


def all_tasks():
    """Every task on the kernel's list (task.c's all_tasks)."""
    return list(list_entries(global_value("'task.c'::all_tasks"), "struct task", "all_node"))


def thread_label(thread):
    return f"{c_string(thread['name'])} (tid {int(thread['tid'])})"


def all_threads():
    """Every thread the kernel can reach, as a list of (thread, places),
    places saying where it was found. The kernel keeps no list of all
    threads: runnable ones are in a run queue, running ones in a core's
    current_thread_slot, sleepers in a core's sleepers list, user
    threads on their task's list; a blocked kernel thread is found only
    if it waits for a task or joins a thread found otherwise."""
    found = {}
    order = []

    def add(thread_pointer, place):
        address = int(thread_pointer)
        if not address:
            return
        if address not in found:
            found[address] = []
            order.append(address)
        if place not in found[address]:
            found[address].append(place)

    for cpu in online_cpus():
        queue = cpu_local("'sched.c'::rq", cpu)
        add(cpu_local("current_thread_slot", cpu), f"current on {cpu}")
        add(queue["idle"], f"idle of {cpu}")
        levels = queue["levels"]
        low, high = levels.type.range()
        for level in range(low, high + 1):
            for t in list_entries(levels[level], "struct thread", "rq_node"):
                add(t.address, f"queued on {cpu}")
        for t in list_entries(queue["sleepers"], "struct thread", "sleep_node"):
            add(t.address, f"sleeping on {cpu}")
    for task in all_tasks():
        for t in list_entries(task["threads"], "struct thread", "task_node"):
            add(t.address, f"task {int(task['id'])}")
        for t in list_entries(task["waiters"], "struct thread", "wait_node"):
            add(t.address, f"waits for task {int(task['id'])}")
    # Joiners of the threads found so far (the list grows as we go).
    i = 0
    while i < len(order):
        joiner = member(as_struct(order[i], "struct thread"), "joiner")
        if joiner is not None and int(joiner):
            add(joiner, f"joins tid {int(as_struct(order[i], 'struct thread')['tid'])}")
        i += 1
    return [(as_struct(a, "struct thread"), found[a]) for a in order]


def find_thread(tid):
    for thread, _ in all_threads():
        if int(thread["tid"]) == tid:
            return thread
    raise gdb.GdbError(f"no thread with tid {tid} found (see locus-threads: a blocked "
                       "kernel thread may be on no list the kernel keeps)")


# ---------------------------------------------------------------------------
# Commands


def paging_enabled():
    """Is CR0.PG set on the selected vCPU? (kernel addresses need it)"""
    try:
        return bool(int(gdb.parse_and_eval("$cr0")) & 0x80000000)
    except (gdb.error, ValueError):
        return True  # cannot tell: do not claim otherwise


class LocusCommand(gdb.Command):
    """Base: turns memory errors into one readable line."""

    def invoke(self, argument, from_tty):
        try:
            self.run(argument.strip())
        except gdb.MemoryError as e:
            hint = ""
            if not paging_enabled():
                hint = ": this vCPU has paging off, the kernel is not running yet"
            raise gdb.GdbError(f"{self.name}: {e}{hint}")

    def run(self, argument):
        raise NotImplementedError


class LocusCpus(LocusCommand):
    """List the online cores: index, APIC id, the thread pointer (TCB
address) of its cpu-local region, the gdb thread (vCPU) that is this core
when it is in kernel code, its queued threads and its current thread.
Usage: locus-cpus"""

    name = "locus-cpus"

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_DATA)

    def run(self, argument):
        tps = thread_pointers()
        vcpus = vcpu_of_cores()
        rows = []
        for cpu in online_cpus():
            current = cpu_local("current_thread_slot", cpu)
            rows.append([cpu, int(cpu_local("this_cpu_apic_id", cpu)), f"{tps[cpu]:#010x}",
                         vcpus.get(cpu, "-"), int(cpu_local("'sched.c'::rq", cpu)["queued"]),
                         thread_label(current.dereference()) if int(current) else "(none yet)"])
        print_table([">cpu", ">apic", "tp (TCB)", ">gdb thread", ">queued", "current thread"],
                    rows)


class LocusCpuLocal(LocusCommand):
    """Print a CPU_LOCAL variable of one core, or of every online core.
Usage: locus-cpulocal VAR [CPU]
VAR may name a file for statics and go on into the value:
  locus-cpulocal this_cpu_index
  locus-cpulocal 'sched.c'::rq.queued 1
  locus-cpulocal current_thread_slot->name"""

    name = "locus-cpulocal"

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_DATA, gdb.COMPLETE_SYMBOL)

    def run(self, argument):
        m = re.match(r"^(.*?)(?:\s+(\d+))?$", argument)
        spec = m.group(1).strip()
        if not spec:
            raise gdb.GdbError("usage: locus-cpulocal VAR [CPU]")
        cpus = [int(m.group(2))] if m.group(2) else online_cpus()
        for cpu in cpus:
            value = cpu_local(spec, cpu)
            print(f"cpu {cpu}: {value}")


class LocusThreads(LocusCommand):
    """List every thread the kernel can reach: tid, name, state, priority,
core (the run queue it belongs to), task, and where it was found.
Usage: locus-threads"""

    name = "locus-threads"

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_DATA)

    def run(self, argument):
        rows = all_threads()
        table = []
        for thread, places in sorted(rows, key=lambda r: (int(r[0]["tid"]),
                                                          c_string(r[0]["name"]))):
            task = thread["task"]
            table.append([int(thread["tid"]), c_string(thread["name"]),
                          enum_name(thread["state"], "THREAD_"), int(thread["priority"]),
                          int(thread["cpu"]),
                          f"{c_string(task['name'])} ({int(task['id'])})" if int(task) else "-",
                          ", ".join(places)])
        print_table([">tid", "name", "state", ">prio", ">cpu", "task", "found"], table)
        print(f"{len(rows)} threads (a blocked kernel thread shows only if it waits for a "
              "task or joins a listed thread)")


class LocusUtcb(LocusCommand):
    """Dump a thread's UTCB through the kernel's view of it: the tag
decoded, badge, sender, and the message registers and capability slots
the tag says are in use.
Usage: locus-utcb [TID]   (default: the thread running on the selected vCPU)"""

    name = "locus-utcb"

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_DATA)

    def run(self, argument):
        if argument:
            thread = find_thread(int(gdb.parse_and_eval(argument)))
        else:
            cpu = core_of_selected_vcpu()
            if cpu is None:
                raise gdb.GdbError("this vCPU is not in kernel code (gs_base is no core's "
                                   "thread pointer): give a tid")
            thread = cpu_local("current_thread_slot", cpu).dereference()
        utcb_pointer = thread["utcb"]
        if not int(utcb_pointer):
            raise gdb.GdbError(f"thread {thread_label(thread)} has no UTCB (a kernel thread?)")
        utcb = utcb_pointer.dereference()
        tag = int(utcb["tag"])
        label, caps, length = tag >> 16, (tag >> 8) & 0x7, tag & 0xFF
        registers = utcb["mr"]
        count = registers.type.range()[1] + 1
        print(f"UTCB of thread {thread_label(thread)}: kernel view {int(utcb_pointer):#x}, "
              f"user address {int(thread['utcb_user']):#x}")
        print(f"  tag     {tag:#010x}  label {label:#x}, length {length}, caps {caps}")
        print(f"  badge   {int(utcb['badge']):#x}")
        print(f"  sender  {int(utcb['sender'])}")
        print(f"  error   {int(utcb['error'])}")
        if length > count:
            print(f"  (length {length} is more than the {count} message registers)")
        for i in range(min(length, count)):
            print(f"  mr[{i}]{'':<{4 - len(str(i))}}{int(registers[i]):#010x}")
        if not length:
            print("  no message registers in use")
        send_caps = utcb["send_caps"]
        sends = [int(send_caps[i]) for i in range(min(caps, send_caps.type.range()[1] + 1))]
        if sends:
            print(f"  send_caps    {sends}")
        window = utcb["recv_window"]
        slots = [int(window[i]) for i in range(window.type.range()[1] + 1)]
        if any(slots):
            print(f"  recv_window  {slots}")


def caps_in_use(table):
    """The filled slots of a capability table, or None if it has none."""
    slots = member(table, "slots")
    if slots is None:
        return None
    return sum(1 for i in range(slots.type.range()[1] + 1) if int(slots[i]["object"]) != 0)


class LocusTasks(LocusCommand):
    """List every task: id, name, state, threads (not yet reaped / not yet
exited), user pages mapped (and quota), capability slots used.
Usage: locus-tasks"""

    name = "locus-tasks"

    def __init__(self):
        super().__init__(self.name, gdb.COMMAND_DATA)

    def run(self, argument):
        tasks = all_tasks()
        if not tasks:
            print("no tasks")
            return
        rows = []
        for task in tasks:
            caps = caps_in_use(task["caps"])
            rows.append([int(task["id"]), c_string(task["name"]),
                         enum_name(task["state"], "TASK_"),
                         sum(1 for _ in list_nodes(task["threads"])), int(task["live_threads"]),
                         f"{int(task['pages_mapped'])}/{int(task['page_quota'])}",
                         caps if caps is not None else "?"])
        print_table([">id", "name", "state", ">threads", ">live", ">pages/quota", ">caps"], rows)


CpuLocalFunction()
LocusCpus()
LocusCpuLocal()
LocusThreads()
LocusUtcb()
LocusTasks()
