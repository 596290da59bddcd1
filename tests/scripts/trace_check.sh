#!/bin/sh
# The trace timeline (make trace, docs/tracing.md), end to end: builds the
# traced kernel if needed (make TRACE=1, in $BUILD/trace), boots the trace
# scenario on two cores, converts the transcript, then checks
#
#   - the JSON: well formed, one lane per core, thread slices on a lane
#     never overlap, timestamps never go back on a lane (nor in the
#     transcript), every receive has exactly one send (flow ids pair up,
#     the send first), and the ping-pong's messages cross cores;
#   - the SVG: well-formed XML with one lane per core in every panel;
#   - tracing costs nothing when off: the default kernel ($KERNEL) has no
#     trace symbol at all, the traced one has them.
#
# Prints only TEST lines; everything else goes to $BUILD/trace-check.log.
set -u
BUILD=${BUILD:-build}
KERNEL=${KERNEL:-$BUILD/locus.elf}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
log=$BUILD/trace-check.log
traced=$BUILD/trace
CPUS=2
TESTS="trace.scenario_runs trace.json_well_formed trace.every_core_has_a_lane
trace.slices_do_not_overlap trace.timestamps_increase_per_core
trace.every_receive_has_its_send trace.pingpong_crosses_cores trace.svg_one_lane_per_core"

mkdir -p "$BUILD"
: >"$log"
start=$(date +%s)

# Trace symbols: every one starts with trace_ (kernel/trace/trace.c).
trace_symbols() {
	nm "$1" 2>>"$log" | awk '$NF ~ /^trace_/ { print $NF }'
}

if [ ! -f "$KERNEL" ]; then
	echo "TEST trace.compiled_out_by_default FAIL no kernel $KERNEL: build it with make"
elif [ -n "$(trace_symbols "$KERNEL")" ]; then
	echo "TEST trace.compiled_out_by_default FAIL $KERNEL has trace symbols:" \
		"$(trace_symbols "$KERNEL" | head -3 | tr '\n' ' ')(built with TRACE=1?)"
else
	echo "TEST trace.compiled_out_by_default ok"
fi

# The make that runs this script (make test) must not leak its command
# line or job server into this one.
unset MAKEFLAGS MFLAGS MAKELEVEL
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
echo "== make BUILD=$BUILD CPUS=$CPUS trace" >>"$log"
if ! timeout 280 make --no-print-directory -j"$jobs" BUILD="$BUILD" CPUS=$CPUS trace \
	>>"$log" 2>&1; then
	for t in $TESTS; do
		echo "TEST $t FAIL make trace failed: see $log"
	done
	exit 0
fi
echo "== make trace took $(($(date +%s) - start)) s" >>"$log"

if [ -n "$(trace_symbols "$traced/locus.elf")" ]; then
	echo "TEST trace.compiled_in_with_trace ok"
else
	echo "TEST trace.compiled_in_with_trace FAIL $traced/locus.elf has no trace_ symbol"
fi

python3 - "$traced/trace.log" "$traced/trace.json" "$traced/trace.svg" "$CPUS" \
	2>>"$log" <<'EOF'
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

transcript, json_path, svg_path, cpus = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
EPS = 1e-6  # µs: the JSON rounds times to the nanosecond
# 300 round trips (kernel/trace/trace.c), two messages each.
MIN_CROSSING = 500


def report(name, why):
    print(f"TEST trace.{name} ok" if why is None else f"TEST trace.{name} FAIL {why}")


def check(name, test):
    try:
        why = test()
    except Exception as e:  # a crash in a check is that check failing
        why = f"{type(e).__name__}: {e}"
    report(name, why)


try:
    with open(transcript, errors="replace") as f:
        text = f.read()
except OSError:
    text = ""
raw = defaultdict(list)  # cpu -> [(tsc, kind, a, b)]
for m in re.finditer(r"^TRACE (\d+) (\d+) (\w+) (\d+) (\d+)\r?$", text, re.M):
    raw[int(m.group(1))].append((int(m.group(2)), m.group(3), int(m.group(4)),
                                 int(m.group(5))))
events = []
lanes = {}


def scenario():
    if not re.search(r"^TRACE DONE\r?$", text, re.M):
        return "no TRACE DONE in the transcript"
    if not raw:
        return "the transcript has no events"
    lost = re.findall(r"^TRACE LOST (\d+) (\d+)", text, re.M)
    if lost:
        return f"rings overflowed (cpu, events lost): {lost}"
    return None


def well_formed():
    global events
    with open(json_path) as f:
        doc = json.load(f)
    events = doc["traceEvents"]
    for e in events:
        if e.get("ph") == "M":
            if e["name"] == "thread_name":
                lanes[e["tid"]] = e["args"]["name"]
            continue
        for key in ("ph", "pid", "tid", "ts"):
            if key not in e:
                return f"event without {key}: {e}"
        if e["ph"] == "X" and e.get("dur", -1) < 0:
            return f"complete event without a duration: {e}"
        if e["ph"] in "sf" and "id" not in e:
            return f"flow event without an id: {e}"
    return None if events else "no events"


def every_core_has_a_lane():
    want = set(range(cpus))
    if set(lanes) != want:
        return f"lanes {sorted(lanes)}, want one per core {sorted(want)}"
    used = {e["tid"] for e in events if e["ph"] != "M"} | set(raw)
    if not used <= set(lanes):
        return f"cores {sorted(used - set(lanes))} ran something but have no lane"
    return None


def slices_do_not_overlap():
    per_lane = defaultdict(list)
    for e in events:
        if e["ph"] == "X" and e.get("cat") == "thread":
            per_lane[e["tid"]].append((e["ts"], e["ts"] + e["dur"], e["name"]))
    if len(per_lane) != cpus:
        return f"thread slices on {len(per_lane)} lanes, want {cpus}"
    for lane, slices in per_lane.items():
        slices.sort()
        for (s0, e0, n0), (s1, _, n1) in zip(slices, slices[1:]):
            if s1 < e0 - EPS:
                return f"cpu {lane}: '{n1}' at {s1} starts before '{n0}' ends at {e0}"
    return None


def timestamps_increase():
    for cpu, evs in raw.items():
        for (t0, *_), (t1, kind, *_) in zip(evs, evs[1:]):
            if t1 < t0:
                return f"transcript, cpu {cpu}: {kind} at tsc {t1} after tsc {t0}"
    last = {}
    for e in events:
        if e["ph"] == "M":
            continue
        if e["ts"] < last.get(e["tid"], 0.0) - EPS:
            return f"JSON lane {e['tid']}: {e['name']} at {e['ts']} after {last[e['tid']]}"
        last[e["tid"]] = e["ts"]
    return None


def receives_have_sends():
    sends, recvs = defaultdict(int), set()
    for evs in raw.values():
        for _, kind, _, mid in evs:
            if kind == "send":
                sends[mid] += 1
            elif kind == "recv":
                recvs.add(mid)
    if not recvs:
        return "the transcript has no receive"
    twice = [m for m, n in sends.items() if n > 1]
    if twice:
        return f"message ids sent more than once: {twice[:5]}"
    if recvs - set(sends):
        return f"receives without a send in the transcript: {sorted(recvs - set(sends))[:5]}"
    starts = {e["id"]: e for e in events if e["ph"] == "s"}
    ends = {e["id"]: e for e in events if e["ph"] == "f"}
    if len(starts) != sum(e["ph"] == "s" for e in events):
        return "flow ids are not unique"
    if set(starts) != set(ends):
        return f"unpaired flow ids: {sorted(set(starts) ^ set(ends))[:5]}"
    if set(ends) != recvs:
        return f"{len(recvs)} receives in the transcript, {len(ends)} flow arrows in the JSON"
    late = [i for i in ends if ends[i]["ts"] < starts[i]["ts"] - EPS]
    return f"messages received before they were sent: {late[:5]}" if late else None


def pingpong_crosses_cores():
    starts = {e["id"]: e["tid"] for e in events if e["ph"] == "s"}
    crossing = sum(1 for e in events if e["ph"] == "f" and e["tid"] != starts.get(e["id"]))
    names = {e["args"].get("name") for e in events if e.get("cat") == "thread"}
    for program in ("utest_ipc_pingpong", "utest_ipc_server"):
        if program not in names:
            return f"no slice of {program}"
    if crossing < MIN_CROSSING:
        return f"{crossing} messages crossed cores, want at least {MIN_CROSSING}"
    return None


def svg_lanes():
    root = ET.parse(svg_path).getroot()
    if root.tag != "{http://www.w3.org/2000/svg}svg":
        return f"root element is {root.tag}"
    panels = [g for g in root.iter("{http://www.w3.org/2000/svg}g")
              if g.get("class") == "panel"]
    if not panels:
        return "no timeline panel"
    for p in panels:
        ids = [g.get("id") for g in p.iter("{http://www.w3.org/2000/svg}g")
               if g.get("class") == "lane"]
        if len(ids) != cpus or len(set(ids)) != cpus:
            return f"a panel has lanes {ids}, want one per core ({cpus})"
    return None


check("scenario_runs", scenario)
check("json_well_formed", well_formed)
if events:
    check("every_core_has_a_lane", every_core_has_a_lane)
    check("slices_do_not_overlap", slices_do_not_overlap)
    check("timestamps_increase_per_core", timestamps_increase)
    check("every_receive_has_its_send", receives_have_sends)
    check("pingpong_crosses_cores", pingpong_crosses_cores)
else:
    for name in ("every_core_has_a_lane", "slices_do_not_overlap",
                 "timestamps_increase_per_core", "every_receive_has_its_send",
                 "pingpong_crosses_cores"):
        report(name, "no JSON events to check")
check("svg_one_lane_per_core", svg_lanes)
EOF
echo "== took $(($(date +%s) - start)) s" >>"$log"
