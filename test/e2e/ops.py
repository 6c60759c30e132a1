#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The tapwatch authors
"""Operator tooling, end to end: --check-config, the /tapwatch/* DPDK telemetry commands
(asked with DPDK's own dpdk-telemetry.py), rte_pdump and dpdk-dumpcap, the console status
line, offline progress, SIGHUP, and the systemd unit.

  ops.py --tapwatch BIN --source ROOT --gen DIR [check-config|live|dumpcap|progress|systemd]

DIR is a directory written by scripts/twgen.py. Without a part, every part runs. Live runs
are inline between two net_pcap ports, the input replayed forever (infinite_rx=1), stopped
with SIGTERM. dpdk-dumpcap needs a primary with hugepages: that part runs only when a
hugetlbfs mount with 128 free 2 MiB pages exists (the test never reserves any itself).
Exit 0 when every check passes, 1 otherwise, 77 (meson: skipped) when DPDK's tools are
missing.
"""

import argparse
import json
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time

FAILS = []
PASSES = [0]
TELEMETRY = "/usr/bin/dpdk-telemetry.py"
DUMPCAP = "/usr/bin/dpdk-dumpcap"
TEL_MAX_OUTPUT = 16 * 1024


def check(cond, what):
    if cond:
        PASSES[0] += 1
    else:
        FAILS.append(what)
        print("FAIL: " + what, flush=True)
    return cond


def run(cmd, timeout=60, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=timeout, **kw)


def strip_comments(text):
    """The config dialect: JSON plus // line comments outside strings."""
    out, i, in_str = [], 0, False
    while i < len(text):
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\":
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            out.append(c)
        elif text.startswith("//", i):
            while i < len(text) and text[i] != "\n":
                i += 1
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def key_paths(v, prefix=""):
    """Every key of a JSON value, as dotted paths (list elements: "[]")."""
    paths = set()
    if isinstance(v, dict):
        for k, e in v.items():
            p = prefix + "." + k if prefix else k
            paths.add(p)
            paths |= key_paths(e, p)
    elif isinstance(v, list):
        for e in v:
            paths |= key_paths(e, prefix + "[]")
    return paths


def write_empty_pcap(path):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))


def read_eve(path):
    events = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip():
                    events.append(json.loads(line))
    return events


# --- --check-config -----------------------------------------------------------------

def check_config(args, tmp):
    tw = args.tapwatch
    ref_path = os.path.join(args.source, "conf", "tapwatch.json")
    ref = json.loads(strip_comments(open(ref_path).read()))
    r = run([tw, "-c", ref_path, "--check-config"])
    if not check(r.returncode == 0 and "configuration OK" in r.stdout,
                 "--check-config on conf/tapwatch.json: %s%s" % (r.stdout[-1500:], r.stderr)):
        return
    try:
        eff = json.loads(strip_comments(r.stdout))
    except ValueError as e:
        check(False, "--check-config prints JSON (with // comments): %s\n%s" % (e, r.stdout))
        return
    missing = sorted(key_paths(ref) - key_paths(eff))
    check(not missing, "--check-config shows every key of conf/tapwatch.json; missing %s" %
          missing)

    def same_values(a, b, path=""):
        # conf/tapwatch.json sets every key to its default; paths are printed absolute.
        if path in ("signatures", "output.eve"):
            return []
        if isinstance(a, dict):
            return [d for k in a for d in same_values(a[k], b.get(k), path + "." + k
                                                      if path else k)]
        return [] if a == b else ["%s: %r != %r" % (path, a, b)]
    diff = same_values(ref, eff)
    check(not diff, "--check-config values of conf/tapwatch.json: %s" % diff)
    check(os.path.isabs(eff["signatures"]) and os.path.exists(eff["signatures"]),
          "--check-config: signatures path resolved: %s" % eff["signatures"])

    # The output is itself a config: loading it from elsewhere gives the same config.
    saved = os.path.join(tmp, "effective.json")
    with open(saved, "w") as f:
        f.write(r.stdout)
    r2 = run([tw, "-c", saved, "--check-config"], cwd="/")
    check(r2.returncode == 0 and json.loads(strip_comments(r2.stdout)) == eff,
          "--check-config output round-trips as a config: %s" % r2.stderr)

    # The demo inventory, a warrant list and -o.
    demo = json.loads(strip_comments(open(os.path.join(args.source, "conf",
                                                       "demo.json")).read()))
    demo["signatures"] = os.path.join(args.source, "conf", "signatures.rules")
    demo["authorized_tasks"] = {"xids": ["2b4c0e6a-9f1d-4c3b-8a7e-5d2f1c0b9a88"],
                                "liids": ["LIID-0001", "LIID-0002"]}
    demo["block"] = ["erspan"]
    path = os.path.join(tmp, "demo-tasks.json")
    with open(path, "w") as f:
        json.dump(demo, f)
    eve = os.path.join(tmp, "out.eve.json")
    r = run([tw, "-c", path, "-o", eve, "--check-config"])
    check(r.returncode == 0 and "md-core" in r.stdout and "etsi-x2x3" in r.stdout,
          "--check-config on the demo inventory: %s" % r.stderr)
    eff = json.loads(strip_comments(r.stdout))
    check([m["name"] for m in eff["mediation_devices"]] ==
          [m["name"] for m in demo["mediation_devices"]] and
          all(e.get("families") == d.get("families") and
              e.get("elements") == d.get("elements") and e["mediation"] == d["mediation"]
              for e, d in zip(eff["mediation_devices"], demo["mediation_devices"])),
          "--check-config lists the inventory as configured: %s" % eff["mediation_devices"])
    check(eff.get("authorized_tasks") == demo["authorized_tasks"] and
          "// authorized tasks: 1 XIDs, 2 LIIDs" in r.stdout,
          "--check-config shows the warrant list and its size")
    check(eff["block"] == ["erspan"] and eff["output"]["eve"] == eve,
          "--check-config: block and the -o output: %s %s" % (eff["block"], eff["output"]))
    # "outputs" instead of output.eve: every output with its defaults, and it loads back.
    outs = {"signatures": demo["signatures"], "outputs": [
        {"type": "file", "path": os.path.join(tmp, "a.json")},
        {"type": "syslog", "server": "127.0.0.1", "transport": "tcp", "facility": "local3"},
        {"type": "redis", "server": "::1", "mode": "stream", "buffer_size": 65536}]}
    path = os.path.join(tmp, "outputs.json")
    with open(path, "w") as f:
        json.dump(outs, f)
    r2 = run([tw, "-c", path, "--check-config"])
    saved = os.path.join(tmp, "effective-outputs.json")
    with open(saved, "w") as f:
        f.write(r2.stdout)
    r3 = run([tw, "-c", saved, "--check-config"])
    eff2 = json.loads(strip_comments(r2.stdout)) if r2.returncode == 0 else {}
    check(r2.returncode == 0 and r3.returncode == 0 and
          json.loads(strip_comments(r3.stdout)) == eff2 and "eve" not in eff2["output"] and
          [o["type"] for o in eff2["outputs"]] == ["file", "syslog", "redis"] and
          eff2["outputs"][1]["port"] == 514 and eff2["outputs"][2]["key"] == "tapwatch",
          "--check-config with outputs: defaults filled in, loads back: %s%s%s" % (
              r2.stderr, r3.stderr, eff2.get("outputs")))
    counts = re.findall(r"^//   (\S+) +(\d+)$", r.stdout, re.M)
    check(len(counts) == 11 and all(int(n) > 0 for _, n in counts),
          "--check-config: signature count per family for the 11 families: %s" % counts)


# --- live: telemetry, pdump, SIGHUP, status line ---------------------------------------

class Live:
    """tapwatch inline between net_pcap ports, stderr on a pseudo-terminal."""

    def __init__(self, args, tmp, name, eal_mem, quiet=False):
        self.prefix = "tw-ops-%s-%d" % (name, os.getpid())
        self.eve = os.path.join(tmp, name + ".eve.json")
        empty = os.path.join(tmp, "empty.pcap")
        write_empty_pcap(empty)
        sample = os.path.join(args.gen, "sample.pcap")
        self.cmd = [args.tapwatch] + eal_mem + [
            "--no-pci", "-l", "0-1", "--file-prefix", self.prefix,
            "--log-level", "lib.*:error",
            "--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=/dev/null,infinite_rx=1" % sample,
            "--vdev", "net_pcap1,rx_pcap=%s,tx_pcap=/dev/null" % empty,
            "--", "-c", os.path.join(args.source, "test", "e2e", "inline.json"),
            "-o", self.eve] + (["-q"] if quiet else [])
        master, slave = pty.openpty()
        self.master = master
        self.err = bytearray()
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                r, _, _ = select.select([self.master], [], [], 0.2)
                if r:
                    data = os.read(self.master, 65536)
                    if not data:
                        return
                    self.err += data
            except OSError:
                return

    def text(self):
        return self.err.decode("utf-8", "replace")

    def telemetry(self, cmds, timeout=20):
        r = run([sys.executable, TELEMETRY, "-f", self.prefix], timeout=timeout,
                input="\n".join(cmds) + "\n")
        out = []
        for line in r.stdout.splitlines():
            line = line.strip()
            if line.startswith("{"):
                check(len(line) < TEL_MAX_OUTPUT, "telemetry reply under 16 KiB (%d bytes)" %
                      len(line))
                out.append(json.loads(line))
        return out

    def wait_ready(self, timeout=20):
        """Until /tapwatch/stats answers (registered after EAL, ports and workers)."""
        sock = "/var/run/dpdk/%s/dpdk_telemetry.v2" % self.prefix
        deadline = time.time() + timeout
        while time.time() < deadline and self.proc.poll() is None:
            if os.path.exists(sock):
                rep = self.telemetry(["/tapwatch/stats"])
                if rep and rep[0].get("/tapwatch/stats"):
                    return True
            time.sleep(0.3)
        return False

    def stop(self, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.reader.join(timeout=2)
        os.close(self.master)
        shutil.rmtree("/var/run/dpdk/" + self.prefix, ignore_errors=True)
        return rc


def tel_key(name):
    return re.sub(r"[^A-Za-z0-9_/]", "_", name)


def live(args, tmp):
    lv = Live(args, tmp, "tel", ["--no-huge", "-m", "512"])
    try:
        if not check(lv.wait_ready(), "live: /tapwatch/stats answers: %s" % lv.text()[-2000:]):
            return
        # Replay until every flow of the capture is decided and its alerts are out.
        deadline = time.time() + 15
        alerts = {}
        while time.time() < deadline:
            alerts = lv.telemetry(["/tapwatch/alerts"])[0]["/tapwatch/alerts"]
            if alerts["raised"] > 0 and alerts["exported"] == alerts["raised"] and \
                    alerts["written"] == alerts["raised"]:
                break
            time.sleep(0.5)
        cmds = ["/tapwatch/stats", "/tapwatch/flows", "/tapwatch/alerts",
                "/tapwatch/alerts,3", "/tapwatch/alerts,99", "/tapwatch/alerts,x",
                "/tapwatch/config", "/help,/tapwatch/flows", "/eal/memzone_list", "/"]
        rep = lv.telemetry(cmds)
        if not check(len(rep) == len(cmds), "telemetry: one reply per command: %s" % rep):
            return
        st, fl, al, al3, al99, alx, cf, hlp, mz, lst = [list(r.values())[0] for r in rep]
        check(all(c in lst for c in ("/tapwatch/stats", "/tapwatch/flows", "/tapwatch/alerts",
                                     "/tapwatch/config")), "telemetry: commands listed")
        check(hlp.get("/tapwatch/flows", "") != "", "telemetry: /help for /tapwatch/flows")

        # /tapwatch/stats: the tapwatch_stats event's sections and counters.
        check(st["workers"] == 1 and st["per_worker"]["0"]["rx_packets"] > 0 and
              st["capture"]["rx_packets"] > 0 and st["flow"]["created"] > 0,
              "/tapwatch/stats: counters move: %s" % st.get("capture"))
        d = st["detect"]
        check(d["alerts_written"] + d["alerts_dropped"] <= d["alerts_raised"],
              "/tapwatch/stats: written + dropped <= raised: %s" % d)

        # /tapwatch/flows: per worker tables, read through counters only.
        w0 = fl["per_worker"]["0"]
        check(fl["capacity_per_worker"] == 4096 and w0["capacity"] == 4096 and
              w0["active"] <= w0["capacity"] and fl["active"] == w0["active"],
              "/tapwatch/flows: capacity and fill of worker 0: %s" % w0)
        check(fl["li_flows"] > 0 and sum(fl["li_flows_by_family"].values()) == fl["li_flows"],
              "/tapwatch/flows: LI flows per family add up: %s" % fl["li_flows_by_family"])

        # /tapwatch/alerts: accounting, per family, recent history.
        check(al["raised"] == al["written"] + al["dropped"] + al["pending"] and
              al["exported"] == al["raised"],
              "/tapwatch/alerts: raised == written + dropped + pending: %s" % al)
        check(sum(al["li_flows_by_family"].values()) == al["li_flows"] and
              sum(al["li_flows_unauthorized_by_family"].values()) ==
              al["li_flows_unauthorized"],
              "/tapwatch/alerts: per-family LI flows add up to the workers' counts")
        rec = al["recent"]
        check(len(rec) == min(10, al["exported"]) and
              all(isinstance(a["signature_id"], int) and a["family"] and a["src_ip"]
                  for a in rec.values()), "/tapwatch/alerts: last 10 alerts: %s" % rec)
        check(len(al3["recent"]) == 3 and al3["recent"]["0"] == rec["0"],
              "/tapwatch/alerts,3: newest 3 alerts, newest first")
        check(al99 is None and alx is None, "/tapwatch/alerts,<bad N>: null")

        # /tapwatch/config: the effective config, signatures and inventory.
        inline = json.loads(strip_comments(open(os.path.join(
            args.source, "test", "e2e", "inline.json")).read()))
        check(cf["mode"] == "inline" and cf["dpdk"]["port_pairs"] == {"0": [0, 1]} and
              cf["flow"]["table_size"] == 4096 and cf["output"]["eve"] == lv.eve,
              "/tapwatch/config: mode, ports, tables, output: %s" % cf.get("dpdk"))
        check([m["name"] for m in cf["mediation_devices"].values()] ==
              [m["name"] for m in inline["mediation_devices"]],
              "/tapwatch/config: inventory names")
        check(cf["signature_count"] == sum(cf["signatures_by_family"].values()) > 0 and
              "etsi_x2x3" in cf["signatures_by_family"],
              "/tapwatch/config: signatures per family: %s" % cf["signatures_by_family"])

        # rte_pdump_init() ran: its statistics memzone exists.
        zones = [list(z.values())[0] for z in lv.telemetry(["/eal/memzone_info,%d" % i
                                                             for i in (mz or [])])]
        names = [z.get("Name") for z in zones if isinstance(z, dict)]
        check("rte_pdump_stats" in names, "rte_pdump initialised: memzones %s" % names)

        # SIGHUP (systemctl reload) reloads the rules under traffic and keeps running
        # (test/e2e/robust.py reload checks the effect).
        lv.proc.send_signal(signal.SIGHUP)
        time.sleep(1.5)
        check(lv.proc.poll() is None and re.search(r"SIGHUP: reloaded \S+: \d+ signatures",
                                                   lv.text()),
              "SIGHUP: rules reloaded, still running: %s" % lv.text()[-1500:])

        # dpdk-dumpcap cannot attach to a --no-huge primary (the README says so).
        if os.path.exists(DUMPCAP):
            r = run([DUMPCAP, "--file-prefix=" + lv.prefix, "-D"], timeout=30)
            print("dpdk-dumpcap -D on a --no-huge primary: exit %d: %s" % (
                r.returncode, (r.stderr.strip().splitlines() or [""])[0]))
            check(lv.proc.poll() is None, "tapwatch survives a dpdk-dumpcap that cannot attach")
        check("needs hugepages and EAL's shared config" in lv.text(),
              "start-up says why dpdk-dumpcap cannot attach (--no-huge)")
        last_alerts = lv.telemetry(["/tapwatch/alerts"])[0]["/tapwatch/alerts"]
    finally:
        rc = lv.stop()
    check(rc == 0, "live: SIGTERM exits 0 (got %d): %s" % (rc, lv.text()[-2000:]))
    text = lv.text()
    # The status line is redrawn in place on a terminal and erased before the summary.
    check(re.search(r"\rtapwatch: 0:00:\d\d rx [\d.]+ Mpps [\d.]+ Gb/s tx [\d.]+ Mpps \| "
                    r"dropped \d+ blocked \d+ \| flows \d+ li \d+ \(\d+ unauth\) \| "
                    r"alerts \d+ lost \d+\x1b\[K", text),
          "status line on a terminal: %r" % text[-600:])
    check("\r\x1b[Ktapwatch: packets rx" in text, "status line erased before the summary")
    events = read_eve(lv.eve)
    alerts = [e for e in events if e.get("event_type") == "alert"]
    check(len(alerts) == last_alerts["exported"],
          "telemetry saw every alert written: %d == %d" % (len(alerts),
                                                          last_alerts["exported"]))
    fams, seen = {}, set()
    for a in alerts:
        if a["alert"]["signature_id"] in (1099001, 1099002) or a["flow_id"] in seen:
            continue
        seen.add(a["flow_id"])
        k = tel_key(a["li"]["family"])
        fams[k] = fams.get(k, 0) + 1
    check({k: v for k, v in last_alerts["li_flows_by_family"].items() if v} == fams,
          "per-family LI flows match the EVE file: %s vs %s" % (
              last_alerts["li_flows_by_family"], fams))
    stats = [e["tapwatch_stats"] for e in events if e.get("event_type") == "tapwatch_stats"]
    if check(stats, "live: tapwatch_stats events written"):
        last = stats[-1]
        for sec in ("decoder", "flow", "detect"):
            check(set(last[sec]) == set(st[sec]),
                  "/tapwatch/stats.%s has the event's counters" % sec)
        check(set(last["capture"]) - {"ports"} == set(st["capture"]),
              "/tapwatch/stats.capture: the event's counters but ethdev ports")


# --- dpdk-dumpcap (needs hugepages) -------------------------------------------------------

def hugetlbfs_2m():
    """A hugetlbfs mount of 2 MiB pages, if any."""
    with open("/proc/mounts") as f:
        for line in f:
            dev, mnt, fstype, opts = line.split()[:4]
            if fstype == "hugetlbfs" and ("pagesize=2M" in opts or "pagesize" not in opts):
                return mnt
    return None


def free_hugepages():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("HugePages_Free:"):
                return int(line.split()[1])
    return 0


def count_pcapng_packets(path):
    n = 0
    with open(path, "rb") as f:
        data = f.read()
    off = 0
    while off + 12 <= len(data):
        btype, blen = struct.unpack("<II", data[off:off + 8])
        if blen < 12:
            break
        if btype in (3, 6):     # simple / enhanced packet block
            n += 1
        off += blen
    return n


def dumpcap(args, tmp):
    mnt = hugetlbfs_2m()
    if not os.path.exists(DUMPCAP) or mnt is None or free_hugepages() < 128:
        print("dpdk-dumpcap capture: skipped (needs dpdk-dumpcap, a 2M hugetlbfs mount and "
              "128 free hugepages; have mount %s, %d free)" % (mnt, free_hugepages()))
        return
    lv = Live(args, tmp, "dump", ["--huge-dir", mnt, "-m", "256"])
    try:
        if not check(lv.wait_ready(), "hugepages: /tapwatch/stats answers: %s" %
                     lv.text()[-2000:]):
            return
        check("packet capture: dpdk-dumpcap --file-prefix=%s" % lv.prefix in lv.text(),
              "start-up names the dpdk-dumpcap command")
        out = os.path.join(tmp, "dump.pcapng")
        r = run([DUMPCAP, "--file-prefix=" + lv.prefix, "-i", "net_pcap0", "-c", "100", "-w",
                 out, "-q"], timeout=60)
        got = count_pcapng_packets(out) if os.path.exists(out) else -1
        check(r.returncode == 0 and got >= 100,
              "dpdk-dumpcap captured 100 packets from a running tapwatch (rc %d, %d "
              "packets): %s" % (r.returncode, got, r.stderr[-1500:]))
        check(lv.proc.poll() is None, "tapwatch runs on after the capture")
    finally:
        rc = lv.stop()
        # EAL leaves its hugepage files for secondaries; they hold the pages.
        for f in os.listdir(mnt):
            if f.startswith(lv.prefix + "map_"):
                os.unlink(os.path.join(mnt, f))
    check(rc == 0, "hugepages run: SIGTERM exits 0 (got %d)" % rc)


# --- offline progress ---------------------------------------------------------------------

def big_capture(args, path, copies):
    """sample.pcap (alerts early), then background.pcap many times, time moving on."""
    def records(name):
        data = open(os.path.join(args.gen, name), "rb").read()
        off, recs = 24, []
        while off + 16 <= len(data):
            sec, usec, cap, orig = struct.unpack("<IIII", data[off:off + 16])
            recs.append((sec, usec, data[off + 16:off + 16 + cap], orig))
            off += 16 + cap
        return data[:24], recs
    hdr, sample = records("sample.pcap")
    _, bg = records("background.pcap")
    out = [hdr]
    base = sample[-1][0] + 1
    for sec, usec, d, orig in sample:
        out.append(struct.pack("<IIII", sec, usec, len(d), orig) + d)
    for c in range(copies):
        for sec, usec, d, orig in bg:
            out.append(struct.pack("<IIII", base + c * 120, usec, len(d), orig) + d)
    with open(path, "wb") as f:
        f.write(b"".join(out))


def progress(args, tmp):
    cap = os.path.join(tmp, "big.pcap")
    big_capture(args, cap, 1500)
    conf = os.path.join(args.source, "conf", "demo.json")
    eve = os.path.join(tmp, "big.eve.json")
    master, slave = pty.openpty()
    proc = subprocess.Popen([args.tapwatch, "-r", cap, "-c", conf, "-o", eve],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    err = bytearray()
    paused = False
    deadline = time.time() + 60
    # Once alerts are written the reader is in its loop: hold it for 1.2 s, so the next
    # burst is more than a second after the start and draws the progress line.
    while time.time() < deadline:
        if not paused and os.path.exists(eve) and os.path.getsize(eve) > 0:
            proc.send_signal(signal.SIGSTOP)
            time.sleep(1.2)
            proc.send_signal(signal.SIGCONT)
            paused = True
        r, _, _ = select.select([master], [], [], 0.005)
        if r:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            if not data:
                break
            err += data
        elif proc.poll() is not None:
            break
    try:
        rc = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = proc.wait()
    os.close(master)
    text = err.decode("utf-8", "replace")
    check(rc == 0, "offline big capture exits 0: %s" % text[-1500:])
    if not check(paused, "offline run lasted long enough to pause it"):
        return
    check(re.search(r"\rtapwatch: [\d.]+% of [\d.]+ MB, \d+:\d\d left \| \d+ packets, "
                    r"[\d.]+ Mpps \| alerts \d+\x1b\[K", text),
          "offline progress on a terminal: %r" % text[-800:])
    check("\r\x1b[Ktapwatch: packets rx" in text, "progress line erased at the end")
    # Not a terminal: no progress, nothing but lines.
    r = run([args.tapwatch, "-r", cap, "-c", conf, "-o", os.devnull])
    check(r.returncode == 0 and "\r" not in r.stderr and "% of" not in r.stderr,
          "no progress line when stderr is not a terminal")


# --- systemd unit and hugepage helper -------------------------------------------------

def systemd(args, tmp):
    unit = open(os.path.join(args.source, "scripts", "tapwatch.service")).read()
    for line in ("Restart=on-failure", "LimitMEMLOCK=infinity", "ExecReload=/bin/kill -HUP "
                 "$MAINPID", "ExecStartPre=+/usr/local/sbin/tapwatch-hugepages",
                 "-c /etc/tapwatch/tapwatch.json", "CPUAffinity="):
        check(line in unit, "tapwatch.service has %s" % line)
    check("--no-shconf" not in unit.split("[Service]")[1].split("#")[0] and
          not re.search(r"^[^#]*--in-memory", unit, re.M),
          "tapwatch.service keeps EAL's shared config (dpdk-dumpcap)")
    helper = os.path.join(args.source, "scripts", "tapwatch-hugepages")
    if shutil.which("systemd-analyze"):
        local = os.path.join(tmp, "tapwatch.service")
        with open(local, "w") as f:
            f.write(unit.replace("/usr/local/bin/tapwatch", args.tapwatch)
                    .replace("/usr/local/sbin/tapwatch-hugepages", helper))
        r = run(["systemd-analyze", "verify", local])
        check(r.returncode == 0 and r.stdout.strip() == "" and r.stderr.strip() == "",
              "systemd-analyze verify tapwatch.service: %s%s" % (r.stdout, r.stderr))
    else:
        print("systemd-analyze not found: unit syntax not verified")
    r = run([helper, "-n", "64M"])
    check(r.returncode == 0 and "2M" in r.stdout and
          ("reserved" in r.stdout or "would raise" in r.stdout),
          "tapwatch-hugepages -n 64M: %s%s" % (r.stdout, r.stderr))
    r = run([helper, "-n", "lots"])
    check(r.returncode == 2 and "2G or 512M" in r.stderr, "tapwatch-hugepages: bad size")


PARTS = {
    "check-config": check_config,
    "live": live,
    "dumpcap": dumpcap,
    "progress": progress,
    "systemd": systemd,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tapwatch", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--gen", required=True)
    ap.add_argument("parts", nargs="*", metavar="PART", help=", ".join(sorted(PARTS)))
    args = ap.parse_args()
    for p in args.parts:
        if p not in PARTS:
            ap.error("unknown part %s (parts: %s)" % (p, ", ".join(sorted(PARTS))))
    args.source = os.path.abspath(args.source)
    args.tapwatch = os.path.abspath(args.tapwatch)
    if not os.path.exists(TELEMETRY):
        print("%s not found (Debian package dpdk-dev): skipped" % TELEMETRY)
        return 77
    for name in args.parts or sorted(PARTS):
        print("== %s" % name, flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            PARTS[name](args, tmp)
    print("%d passed, %d failed" % (PASSES[0], len(FAILS)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
