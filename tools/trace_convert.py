#!/usr/bin/env python3
"""trace_convert.py TRANSCRIPT [--json OUT.json] [--svg OUT.svg] [--zoom A:B]

Turns the serial transcript of a traced Locus boot (`make trace`,
docs/tracing.md) into
  - a Chrome Trace Event file (open it in ui.perfetto.dev or
    chrome://tracing): one track per core, a slice per stretch of a
    thread running, instants for system calls and interrupts, a flow
    arrow from every IPC send to its receive;
  - a self-contained SVG timeline (any browser, no scripts): one lane per
    core over the whole run, then a zoom on a few round trips of the
    ping-pong, with arrows from sends to receives.

The kernel prints (kernel/trace/trace.c):
    TRACE CPUS <n>
    TRACE CLOCK <tsc> <ns>          twice: at the start and at the end
    TRACE THREAD <tid> <name>
    TRACE LOST <cpu> <events>       a ring overflowed: its oldest are gone
    TRACE <cpu> <tsc> <kind> <a> <b>
    TRACE DONE
TSC values become nanoseconds since the start through the two CLOCK lines.
"""

import argparse
import colorsys
import json
import os
import re
import sys
from collections import defaultdict, namedtuple
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVENT_LINE = re.compile(r"^TRACE (\d+) (\d+) (\w+) (\d+) (\d+)$")
KINDS = ("switch", "sys_enter", "sys_exit", "send", "recv", "irq", "idle_enter", "idle_exit")

Event = namedtuple("Event", "t kind a b")
Slice = namedtuple("Slice", "cpu start end tid")
Instant = namedtuple("Instant", "cpu t name cat args")
Message = namedtuple("Message", "id sender receiver send_cpu send_t recv_cpu recv_t")


def header_names(path, prefix):
    """{value: name} from the #defines of a kernel header, e.g. SYS_*."""
    names = {}
    try:
        with open(os.path.join(ROOT, path)) as f:
            for m in re.finditer(rf"^#define {prefix}(\w+)\s+(0x[0-9a-fA-F]+|\d+)\b", f.read(),
                                 re.M):
                names.setdefault(int(m.group(2), 0), m.group(1).lower())
    except OSError:
        pass
    return names


SYSCALLS = header_names("kernel/uapi/syscall.h", "SYS_")
VECTORS = header_names("kernel/trap/vectors.h", "VEC_")


def vector_name(v):
    if 32 <= v < 48 and v not in VECTORS:
        return f"irq {v - 32}"
    return VECTORS.get(v, f"vector {v}")


class Trace:
    """What the kernel printed, times in ns since the trace started."""

    def __init__(self, text):
        self.cpus = 0
        self.threads = {0: "idle"}
        self.events = defaultdict(list)
        self.lost = {}
        self.done = False
        clock = []
        raw = []
        for line in text.splitlines():
            line = line.strip("\r")
            if not line.startswith("TRACE "):
                continue
            words = line.split() + [""]
            m = EVENT_LINE.match(line)
            if m and m.group(3) in KINDS:
                raw.append((int(m.group(1)), int(m.group(2)), m.group(3), int(m.group(4)),
                            int(m.group(5))))
            elif words[1] == "DONE":
                self.done = True
            elif not words[2].isdigit():
                continue  # cut short or mixed with other output
            elif words[1] == "CPUS":
                self.cpus = int(words[2])
            elif words[1] == "THREAD":
                self.threads[int(words[2])] = " ".join(words[3:]).strip()
            elif words[1] in ("CLOCK", "LOST") and words[3].isdigit():
                if words[1] == "CLOCK":
                    clock.append((int(words[2]), int(words[3])))
                else:
                    self.lost[int(words[2])] = int(words[3])
        if len(clock) != 2 or clock[1][0] <= clock[0][0]:
            raise ValueError("no TRACE CLOCK lines at both ends: not a finished trace run")
        (tsc0, ns0), (tsc1, ns1) = clock
        self.ns_per_tsc = (ns1 - ns0) / (tsc1 - tsc0)
        self.end = ns1 - ns0
        for cpu, tsc, kind, a, b in raw:
            self.events[cpu].append(Event((tsc - tsc0) * self.ns_per_tsc, kind, a, b))
            # A core may finish an event just after recording stopped.
            self.end = max(self.end, self.events[cpu][-1].t)
        self.cpus = max([self.cpus] + [c + 1 for c in self.events])

    def name(self, tid):
        return self.threads.get(tid, "?")


def first_thread(events):
    """The thread a core ran when the trace started: the one its first
    switch left, else the caller of a system call, else the idle
    thread; None for a core that recorded nothing."""
    for e in events:
        if e.kind == "switch":
            return e.a
    for e in events:
        if e.kind == "sys_enter":
            return e.b
    return 0 if events else None


class Timeline:
    """Slices, halts, instants and messages derived from a Trace."""

    def __init__(self, trace):
        self.trace = trace
        self.slices = []
        self.halts = []
        self.instants = []
        self.warnings = []
        for cpu in range(trace.cpus):
            self._walk(cpu, trace.events.get(cpu, []))
        self.messages = self._pair_messages()

    def _walk(self, cpu, events):
        running = first_thread(events)
        start = events[0].t if cpu in self.trace.lost else 0.0
        # A core halted when recording began wakes without an idle_enter.
        idle = [e.kind for e in events if e.kind.startswith("idle")]
        halted = start if idle and idle[0] == "idle_exit" else None
        for e in events:
            if e.kind == "switch":
                if running != e.a:
                    self.warnings.append(f"cpu {cpu}: switch from {e.a} while {running} ran")
                self.slices.append(Slice(cpu, start, e.t, e.a))
                start, running = e.t, e.b
            elif e.kind == "idle_enter":
                halted = e.t
            elif e.kind == "idle_exit" and halted is not None:
                self.halts.append(Slice(cpu, halted, e.t, 0))
                halted = None
            elif e.kind == "sys_enter":
                self.instants.append(Instant(cpu, e.t, SYSCALLS.get(e.a, f"syscall {e.a}"),
                                             "syscall", {"tid": e.b}))
            elif e.kind == "sys_exit":
                result = e.b - (1 << 32) if e.b >= 1 << 31 else e.b
                self.instants.append(Instant(cpu, e.t, SYSCALLS.get(e.a, f"syscall {e.a}") +
                                             " returns", "syscall_exit", {"result": result}))
            elif e.kind == "irq":
                self.instants.append(Instant(cpu, e.t, vector_name(e.a), "irq",
                                             {"vector": e.a}))
        if halted is not None:
            self.halts.append(Slice(cpu, halted, self.trace.end, 0))
        if running is not None:
            self.slices.append(Slice(cpu, start, self.trace.end, running))

    def _pair_messages(self):
        sends, recvs = {}, {}
        for cpu, events in self.trace.events.items():
            for e in events:
                if e.kind == "send":
                    sends[e.b] = (cpu, e.t, e.a)
                elif e.kind == "recv":
                    recvs[e.b] = (cpu, e.t, e.a)
        messages = []
        for mid, (recv_cpu, recv_t, sender) in sorted(recvs.items()):
            if mid not in sends:
                self.warnings.append(f"message {mid}: received, its send is not in the trace")
                continue
            send_cpu, send_t, receiver = sends[mid]
            messages.append(Message(mid, sender, receiver, send_cpu, send_t, recv_cpu, recv_t))
        return sorted(messages, key=lambda m: m.send_t)

    def label(self, tid):
        return "idle" if tid == 0 else f"{tid} {self.trace.name(tid)}"


# Chrome Trace Event format: one process, one "thread" (track) per core.

def us(ns):
    return round(ns / 1000.0, 3)


def chrome_trace(tl):
    out = [{"ph": "M", "name": "process_name", "pid": 0, "tid": 0,
            "args": {"name": f"Locus, {tl.trace.cpus} cores"}}]
    lanes = defaultdict(list)
    for cpu in range(tl.trace.cpus):
        out.append({"ph": "M", "name": "thread_name", "pid": 0, "tid": cpu,
                    "args": {"name": f"cpu {cpu}"}})
        out.append({"ph": "M", "name": "thread_sort_index", "pid": 0, "tid": cpu,
                    "args": {"sort_index": cpu}})
    # The second key nests: a thread's slice opens before a halt or an
    # instant at the same time.
    for s in tl.slices:
        lanes[s.cpu].append((s.start, 0, {
            "ph": "X", "name": tl.label(s.tid), "cat": "thread", "ts": us(s.start),
            "dur": round(us(s.end) - us(s.start), 3), "args": {"tid": s.tid, "name": tl.trace.name(s.tid)}}))
    for h in tl.halts:
        lanes[h.cpu].append((h.start, 1, {"ph": "X", "name": "halt", "cat": "idle",
                                          "ts": us(h.start), "dur": round(us(h.end) - us(h.start), 3)}))
    for i in tl.instants:
        lanes[i.cpu].append((i.t, 2, {"ph": "i", "s": "t", "name": i.name, "cat": i.cat,
                                      "ts": us(i.t), "args": i.args}))
    for m in tl.messages:
        args = {"from": m.sender, "to": m.receiver}
        lanes[m.send_cpu].append((m.send_t, 3, {"ph": "s", "id": m.id, "name": "message",
                                                "cat": "ipc", "ts": us(m.send_t), "args": args}))
        lanes[m.recv_cpu].append((m.recv_t, 3, {"ph": "f", "bp": "e", "id": m.id,
                                                "name": "message", "cat": "ipc",
                                                "ts": us(m.recv_t), "args": args}))
    for cpu in sorted(lanes):
        for _, _, e in sorted(lanes[cpu], key=lambda x: (x[0], x[1])):
            e.update(pid=0, tid=cpu)
            out.append(e)
    return {"traceEvents": out, "displayTimeUnit": "ns",
            "otherData": {"source": "Locus make trace", "cpus": tl.trace.cpus,
                          "lost_events": tl.trace.lost}}


# SVG: drawn by hand, so that it needs nothing but a browser.

LANE_H = 30
LABEL_W = 70
NICE_STEPS = (1, 2, 5)


def color(tid):
    if tid == 0:
        return "#e4e4e4"
    r, g, b = colorsys.hls_to_rgb((tid * 0.618034) % 1.0, 0.62, 0.55)
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


def nice_step(span, ticks=8):
    """A round tick interval (1, 2 or 5 times a power of ten) in ns."""
    raw = max(span / ticks, 1e-3)
    power = 10 ** int(f"{raw:e}".split("e")[1])
    return next((s * power for s in NICE_STEPS if s * power >= raw), 10 * power)


def time_text(ns, step):
    if step >= 1e6:
        return f"{ns / 1e6:g} ms"
    if step >= 1e3:
        return f"{ns / 1e3:g} µs"
    return f"{ns:g} ns"


class Panel:
    """One timeline drawing: lanes for every core over [t0, t1]."""

    def __init__(self, tl, title, t0, t1, y, width, detail):
        self.tl, self.title, self.t0, self.t1 = tl, title, t0, t1
        self.y, self.width, self.detail = y, width, detail
        self.scale = (width - LABEL_W - 10) / max(t1 - t0, 1e-9)

    def x(self, t):
        return LABEL_W + (min(max(t, self.t0), self.t1) - self.t0) * self.scale

    def lane_y(self, cpu):
        return self.y + 24 + cpu * (LANE_H + 6)

    def height(self):
        return 24 + self.tl.trace.cpus * (LANE_H + 6) + 30

    def visible(self, start, end):
        return end >= self.t0 and start <= self.t1

    def draw(self):
        tl, out = self.tl, []
        out.append(f'<g class="panel"><text x="4" y="{self.y + 14}" class="title">'
                   f'{escape(self.title)}</text>')
        for cpu in range(tl.trace.cpus):
            y = self.lane_y(cpu)
            out.append(f'<g class="lane" id="{self.detail}-cpu{cpu}">'
                       f'<text x="4" y="{y + LANE_H / 2 + 4}">cpu {cpu}</text>'
                       f'<rect x="{LABEL_W}" y="{y}" width="{self.width - LABEL_W - 10}" '
                       f'height="{LANE_H}" class="bg"/>')
            out += self._slices(cpu, y)
            out.append("</g>")
        out += self._messages()
        out += self._axis()
        out.append("</g>")
        return out

    def _slices(self, cpu, y):
        out = []
        for s in self.tl.slices:
            if s.cpu != cpu or not self.visible(s.start, s.end):
                continue
            x0, x1 = self.x(s.start), self.x(s.end)
            tip = f"{self.tl.label(s.tid)}: {(s.end - s.start) / 1e3:.1f} µs"
            out.append(f'<rect x="{x0:.2f}" y="{y}" width="{max(x1 - x0, 0.3):.2f}" '
                       f'height="{LANE_H}" fill="{color(s.tid)}"><title>{escape(tip)}</title>'
                       f'</rect>')
            # The tid, or tid and name where they fit.
            text = ""
            for candidate in (self.tl.label(s.tid), str(s.tid)):
                if s.tid and not text and x1 - x0 > 7 * len(candidate):
                    text = candidate
            if text:
                out.append(f'<text x="{(x0 + x1) / 2:.2f}" y="{y + LANE_H / 2 + 4}" '
                           f'class="tid">{escape(text)}</text>')
        for h in self.tl.halts:
            if h.cpu == cpu and self.visible(h.start, h.end):
                x0, x1 = self.x(h.start), self.x(h.end)
                out.append(f'<rect x="{x0:.2f}" y="{y + LANE_H / 3:.1f}" '
                           f'width="{max(x1 - x0, 0.3):.2f}" height="{LANE_H / 3:.1f}" '
                           f'class="halt"/>')
        if self.detail == "zoom":
            for i in self.tl.instants:
                if i.cpu == cpu and self.t0 <= i.t <= self.t1 and i.cat != "syscall_exit":
                    x = self.x(i.t)
                    cls, y0, y1 = ("sys", y, y + 6) if i.cat == "syscall" else \
                        ("irq", y + LANE_H - 6, y + LANE_H)
                    out.append(f'<line x1="{x:.2f}" y1="{y0}" x2="{x:.2f}" y2="{y1}" '
                               f'class="{cls}"><title>{escape(i.name)}</title></line>')
        return out

    def _messages(self):
        out = []
        for m in self.tl.messages:
            if not self.visible(m.send_t, m.recv_t):
                continue
            y0 = self.lane_y(m.send_cpu) + LANE_H / 2
            y1 = self.lane_y(m.recv_cpu) + LANE_H / 2
            if m.send_cpu == m.recv_cpu:
                y0 = y1 = self.lane_y(m.send_cpu) + 3
            tip = (f"message {m.id}: {self.tl.label(m.sender)} -> {self.tl.label(m.receiver)}, "
                   f"{(m.recv_t - m.send_t) / 1e3:.1f} µs")
            out.append(f'<line x1="{self.x(m.send_t):.2f}" y1="{y0}" x2="{self.x(m.recv_t):.2f}" '
                       f'y2="{y1}" class="msg {self.detail}"><title>{escape(tip)}</title>'
                       f'</line>')
        return out

    def _axis(self):
        y = self.lane_y(self.tl.trace.cpus) + 2
        step = nice_step(self.t1 - self.t0)
        out = [f'<line x1="{LABEL_W}" y1="{y}" x2="{self.width - 10}" y2="{y}" class="axis"/>']
        t = (self.t0 // step + 1) * step if self.t0 % step else self.t0
        while t <= self.t1:
            x = self.x(t)
            out.append(f'<line x1="{x:.2f}" y1="{y}" x2="{x:.2f}" y2="{y + 5}" class="axis"/>'
                       f'<text x="{x:.2f}" y="{y + 17}" class="tick">'
                       f'{escape(time_text(t, step))}</text>')
            t += step
        return out


def zoom_window(tl, count=6):
    """About count round trips of the ping-pong (messages between cores),
    in ns: of all runs of 2 * count such messages, one that takes the
    median time, so that the zoom shows a typical stretch."""
    pick = [m for m in tl.messages if m.send_cpu != m.recv_cpu] or tl.messages
    if not pick:
        return 0.0, tl.trace.end
    n = min(2 * count, len(pick))
    runs = sorted(range(len(pick) - n + 1),
                  key=lambda i: pick[i + n - 1].recv_t - pick[i].send_t)
    chosen = pick[runs[len(runs) // 2]:][:n]
    start, end = chosen[0].send_t, max(m.recv_t for m in chosen)
    margin = (end - start) * 0.05 + 1000
    return max(0.0, start - margin), min(tl.trace.end, end + margin)


STYLE = """
text { font: 11px sans-serif; fill: #222; }
.title { font-weight: bold; font-size: 13px; }
.tid { text-anchor: middle; font-size: 10px; }
.tick { text-anchor: middle; font-size: 10px; fill: #555; }
.bg { fill: #fafafa; stroke: #ccc; stroke-width: 0.5; }
.halt { fill: #ffffff; opacity: 0.8; }
.msg { stroke: #c0392b; stroke-width: 0.6; opacity: 0.5; }
.msg.zoom { stroke-width: 1.4; opacity: 0.9; marker-end: url(#arrow); }
.axis { stroke: #555; stroke-width: 1; }
.sys { stroke: #1f4e9c; stroke-width: 1.2; }
.irq { stroke: #333; stroke-width: 1.2; }
"""


def svg(tl, width, zoom):
    cpus = tl.trace.cpus
    panels = [Panel(tl, f"Locus trace: {cpus} cores, whole run "
                    f"({tl.trace.end / 1e6:.1f} ms, {len(tl.messages)} messages)",
                    0.0, tl.trace.end, 0, width, "overview")]
    z0, z1 = zoom or zoom_window(tl)
    panels.append(Panel(tl, f"Zoom: {z0 / 1e3:.1f} to {z1 / 1e3:.1f} µs (arrows: IPC send to "
                        f"receive; blue ticks: system calls, black: interrupts, white bar: "
                        f"core halted)", z0, z1, panels[0].height(), width, "zoom"))
    legend_y = panels[1].y + panels[1].height()
    tids = sorted({s.tid for s in tl.slices})
    rows = (len(tids) + 3) // 4
    height = legend_y + 20 + rows * 16
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}">',
           f"<style>{STYLE}</style>",
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
           'markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#c0392b"/>'
           "</marker></defs>",
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    for p in panels:
        out += p.draw()
    out.append(f'<g class="legend"><text x="4" y="{legend_y + 12}" class="title">Threads'
               f"</text>")
    col_w = (width - LABEL_W) / 4
    for n, tid in enumerate(tids):
        x, y = LABEL_W + (n % 4) * col_w, legend_y + 4 + (n // 4) * 16
        out.append(f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{color(tid)}"/>'
                   f'<text x="{x + 16:.1f}" y="{y + 10}">{escape(tl.label(tid))}</text>')
    out += ["</g>", "</svg>"]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("transcript")
    ap.add_argument("--json", help="Chrome Trace Event output")
    ap.add_argument("--svg", help="SVG timeline output")
    ap.add_argument("--width", type=int, default=1600)
    ap.add_argument("--zoom", help="zoom window of the SVG in µs, e.g. 1200:1450")
    args = ap.parse_args()
    with open(args.transcript, errors="replace") as f:
        try:
            trace = Trace(f.read())
        except ValueError as e:
            print(f"trace_convert: {args.transcript}: {e}", file=sys.stderr)
            return 1
    if not trace.done:
        print("trace_convert: warning: no TRACE DONE line (transcript cut short?)",
              file=sys.stderr)
    tl = Timeline(trace)
    for w in tl.warnings[:10]:
        print(f"trace_convert: warning: {w}", file=sys.stderr)
    for cpu, n in sorted(trace.lost.items()):
        print(f"trace_convert: warning: cpu {cpu} lost its {n} oldest events", file=sys.stderr)
    zoom = None
    if args.zoom:
        a, b = args.zoom.split(":")
        zoom = (float(a) * 1e3, float(b) * 1e3)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(chrome_trace(tl), f, separators=(",", ":"))
        print(f"trace: {args.json} (open in ui.perfetto.dev or chrome://tracing)")
    if args.svg:
        with open(args.svg, "w") as f:
            f.write(svg(tl, args.width, zoom))
        print(f"trace: {args.svg} (open in a browser)")
    events = sum(len(e) for e in trace.events.values())
    print(f"trace: {trace.cpus} cores, {events} events, {len(tl.slices)} thread slices, "
          f"{len(tl.messages)} messages ({sum(m.send_cpu != m.recv_cpu for m in tl.messages)} "
          f"across cores), {trace.end / 1e6:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
