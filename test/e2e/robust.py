#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The tapwatch authors
"""Robustness tests: never break the link, never lose an alert (uncounted).

  robust.py --tapwatch BIN --source ROOT [--gen DIR] TEST

  truncate     every LI packet cut at every payload offset (consistent lengths and
               snaplen cuts), offline, also under ASan/UBSan when $TW_ASAN_TAPWATCH
               names such a build: exit 0, no sanitizer report, exact accounting,
               alerts on cut packets report the uncut packet's ids or none
  flood        inline, 10x and 20x flow.table_size one-packet UDP flows with two
               X2/X3 flows inside: 100% forwarding, eviction, both alerts, flat RSS
  storm        inline, 3,000+ alerts into a 64-alert ring and a stalled FIFO sink:
               wire never blocked, exact drop accounting, recovery after the stall
  dead-sink    inline, the FIFO reader goes away (EPIPE) and a new one comes back
  sigterm      inline with endless traffic, SIGTERM after ~1 s: exit 0, every alert
               counted and written
  bad-inputs   bad configs and signature files: --check-config and a normal start
               both exit 1 with the file, the line or key path, and the remedy
  no-listener  inline: no listening TCP/UDP socket, owner-only unix socket files

GEN is a scripts/twgen.py output directory; without it each test runs twgen.py into
its own temporary directory. Live runs use EAL without hugepages, net_pcap ports and
a unique --file-prefix per process. Each test prints "N passed, M failed" and exits
1 on any failure (0 otherwise).
"""

import argparse
import array
import datetime
import fcntl
import json
import os
import re
import select
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

PY = "/usr/bin/python3"
FAILS = []
PASSES = [0]


def check(cond, what):
    if cond:
        PASSES[0] += 1
    else:
        FAILS.append(what)
        print("FAIL: " + what, flush=True)
    return cond


def note(msg):
    print(msg, flush=True)


def run(cmd, timeout=120, env=None, **kw):
    """subprocess.run with a bound; a timeout is a failed check, not a hang."""
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, errors="replace", timeout=timeout, env=env, **kw)
    except subprocess.TimeoutExpired as e:
        check(False, "%s: timed out after %ds" % (" ".join(cmd[:3]), timeout))
        return subprocess.CompletedProcess(cmd, -999, e.stdout or "", e.stderr or "")


def run_offline(cmd, timeout, env=None):
    """tapwatch -r ...: like run(), and removes the EAL runtime directory the offline
    mode leaves behind (/var/run/dpdk/tapwatch-r<pid>, named after this child's pid)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         errors="replace", env=env)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate(timeout=30)
        check(False, "%s: timed out after %ds" % (" ".join(cmd[:3]), timeout))
        p.returncode = -999
    cleanup_runtime("tapwatch-r%d" % p.pid)
    return subprocess.CompletedProcess(cmd, p.returncode, out, err)


# ---------------------------------------------------------------------------
# pcap, EVE, stats
# ---------------------------------------------------------------------------

PCAP_HDR = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)


def read_pcap(path):
    """Frames of a classic pcap file, in order (an independent reader: no scapy)."""
    return [data for data, _ in read_pcap_records(path)]


def read_pcap_records(path):
    """[(frame, raw record bytes)]."""
    out = []
    with open(path, "rb") as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            return out
        magic = struct.unpack("<I", hdr[:4])[0]
        endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            caplen = struct.unpack(endian + "IIII", rec)[2]
            data = f.read(caplen)
            out.append((data, rec + data))
    return out


def write_empty_pcap(path):
    with open(path, "wb") as f:
        f.write(PCAP_HDR)


def parse_eve_lines(lines, where):
    events = []
    for n, line in enumerate(lines, 1):
        line = line.strip()
        if not line:
            continue
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError as e:
            check(False, "%s:%d: not JSON: %s: %r" % (where, n, e, line[:200]))
    return events


def read_eve(path):
    if not os.path.exists(path):
        return []
    with open(path, errors="replace") as f:
        return parse_eve_lines(f.readlines(), path)


def alerts_of(events):
    return [e for e in events if e.get("event_type") == "alert"]


def stats_events(events):
    return [e["tapwatch_stats"] for e in events if e.get("event_type") == "tapwatch_stats"]


def stats_of(events):
    st = stats_events(events)
    return st[-1] if st else None


def check_accounting(name, st):
    """alerts_raised == written + dropped exactly, dropped == ring + output, none pending,
    and the per-worker figures add up to the totals."""
    if not check(st is not None, "%s: a tapwatch_stats event is written at exit" % name):
        return False
    d = st["detect"]
    ok = check(d["alerts_pending"] == 0 and
               d["alerts_raised"] == d["alerts_written"] + d["alerts_dropped"] and
               d["alerts_dropped"] == d["alerts_dropped_ring"] + d["alerts_dropped_output"],
               "%s: alerts_raised %d == written %d + dropped %d (ring %d + output %d), "
               "pending %d" % (name, d["alerts_raised"], d["alerts_written"],
                               d["alerts_dropped"], d["alerts_dropped_ring"],
                               d["alerts_dropped_output"], d["alerts_pending"]))
    pw = st.get("per_worker", [])
    check(sum(w["alerts_raised"] for w in pw) == d["alerts_raised"] and
          sum(w["alerts_dropped"] for w in pw) == d["alerts_dropped_ring"],
          "%s: per-worker alerts_raised/alerts_dropped add up to the totals: %s" % (name, pw))
    return ok


# Console text is for people and changes; only these words are relied on: the exit
# summary's "alerts raised N written N dropped N" and the status line's "li N" and
# "alerts N dropped|lost N" (progress hints only, never required).
SUMMARY_RE = re.compile(r"alerts raised (\d+) written (\d+) dropped (\d+)")
STATUS_RE = re.compile(r"\bli (\d+)\b.*\balerts (\d+) (?:dropped|lost) (\d+)")


def check_summary(name, stderr, st):
    """The exit summary on stderr says what the final stats event says."""
    found = SUMMARY_RE.findall(stderr or "")
    if not check(found, "%s: exit summary on stderr (alerts raised/written/dropped)" % name) \
            or st is None:
        return
    d = st["detect"]
    got = tuple(int(x) for x in found[-1])
    want = (d["alerts_raised"], d["alerts_written"], d["alerts_dropped"])
    check(got == want, "%s: stderr summary (raised, written, dropped) %s == final stats %s" % (
        name, got, want))


SANITIZER_RE = re.compile(r"ERROR: (?:Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer|"
                          r"runtime error:|SUMMARY: \w+Sanitizer")


def sanitizer_env():
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = "detect_leaks=1:halt_on_error=1"
    env["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
    return env


# ---------------------------------------------------------------------------
# Inputs: twgen output, twflood captures, configs
# ---------------------------------------------------------------------------

def gen_dir(args, tmp, only=None):
    if args.gen:
        return args.gen
    out = os.path.join(tmp, "gen")
    cmd = [PY, os.path.join(args.source, "scripts", "twgen.py"), "--seed", "1", "--out", out]
    if only:
        cmd += ["--only"] + list(only)
    r = run(cmd, timeout=300)
    if not check(r.returncode == 0, "twgen.py: exit 0: %s" % r.stderr[-2000:]):
        raise SystemExit(1)
    return out


def twflood(args, *argv):
    r = run([PY, os.path.join(args.source, "scripts", "twflood.py")] + list(argv), timeout=300)
    if not check(r.returncode == 0, "twflood.py %s: exit 0: %s" % (argv[0], r.stderr[-2000:])):
        raise SystemExit(1)
    note(r.stdout.strip())


def base_config(args, **sections):
    """test/e2e/inline.json with an absolute "signatures" path and overrides:
    base_config(args, flow={"table_size": 1024}, mode="tap")."""
    conf = json.load(open(os.path.join(args.source, "test", "e2e", "inline.json")))
    conf["signatures"] = os.path.join(args.source, "conf", "signatures.rules")
    for key, val in sections.items():
        if isinstance(val, dict):
            conf.setdefault(key, {}).update(val)
        else:
            conf[key] = val
    return conf


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
    return path


# ---------------------------------------------------------------------------
# Live (EAL) runs
# ---------------------------------------------------------------------------

_PREFIX_N = [0]


def file_prefix(name):
    _PREFIX_N[0] += 1
    return "tw-robust-%s-%d-%d" % (name, os.getpid(), _PREFIX_N[0])


def runtime_dirs(prefix):
    dirs = ["/var/run/dpdk/" + prefix]
    if os.getuid() != 0:
        base = os.environ.get("XDG_RUNTIME_DIR", "/tmp")
        dirs.append(os.path.join(base, "dpdk", prefix))
    return dirs


def cleanup_runtime(prefix):
    """EAL leaves its runtime directory behind; remove ours (unique prefix) only."""
    for d in runtime_dirs(prefix):
        if os.path.isdir(d) and os.path.basename(d) == prefix:
            shutil.rmtree(d, ignore_errors=True)


def eal_cmd(tw, prefix, vdevs, config, eve, idle_exit=None, quiet=True, telemetry=False,
            shconf=False):
    cmd = [tw, "--no-huge", "-m", "512", "--no-pci", "-l", "0-1", "--file-prefix", prefix,
           "--log-level", "lib.*:error"]
    if not shconf:
        cmd.append("--no-shconf")
    if not telemetry:
        cmd.append("--no-telemetry")
    for v in vdevs:
        cmd += ["--vdev", v]
    cmd += ["--", "-c", config, "-o", eve]
    if idle_exit:
        cmd += ["--idle-exit", str(idle_exit)]
    if quiet:
        cmd.append("-q")
    return cmd


def pcap_vdevs(rx0, tx0, rx1, tx1, rx0_opts=""):
    return ["net_pcap0,rx_pcap=%s,tx_pcap=%s%s" % (rx0, tx0, rx0_opts),
            "net_pcap1,rx_pcap=%s,tx_pcap=%s" % (rx1, tx1)]


class Proc:
    """A tapwatch process whose stderr is watched line by line (status lines)."""

    def __init__(self, cmd, env=None, prefix=None):
        self.cmd = cmd
        self.prefix = prefix
        self.lines = []
        self.status = []
        self.cv = threading.Condition()
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, errors="replace", env=env)
        self.out = []
        self.t_err = threading.Thread(target=self._read_err, daemon=True)
        self.t_out = threading.Thread(target=self._read_out, daemon=True)
        self.t_err.start()
        self.t_out.start()

    def _read_err(self):
        for line in self.p.stderr:
            with self.cv:
                self.lines.append(line)
                m = STATUS_RE.search(line)
                if m:
                    self.status.append(tuple(int(x) for x in m.groups()))
                self.cv.notify_all()
        with self.cv:
            self.cv.notify_all()

    def _read_out(self):
        for line in self.p.stdout:
            self.out.append(line)

    def wait_for(self, pred, timeout):
        """Wait until pred(self) holds (checked on every stderr line and every 0.1 s)."""
        deadline = time.monotonic() + timeout
        with self.cv:
            while not pred(self):
                left = deadline - time.monotonic()
                if left <= 0 or (self.p.poll() is not None and not self.t_err.is_alive()):
                    return pred(self)
                self.cv.wait(min(left, 0.1))
        return True

    def last_status(self):
        """(li flows, alerts raised, alerts dropped) of the last status line, or None."""
        return self.status[-1] if self.status else None

    def idle_exited(self):
        return "no packets for" in self.stderr()

    def stderr(self):
        return "".join(self.lines)

    def finish(self, timeout):
        try:
            rc = self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            check(False, "tapwatch did not exit within %ds; killed" % timeout)
            self.p.kill()
            rc = self.p.wait(timeout=30)
        self.t_err.join(10)
        self.t_out.join(10)
        if self.prefix:
            cleanup_runtime(self.prefix)
        return rc


def rescue_fifo(path, for_writer):
    """Unblock a thread stuck in open() of a FIFO by opening the other end once."""
    try:
        if for_writer:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        else:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
    except OSError:
        pass


class RxFeeder(threading.Thread):
    """Writes a pcap into a FIFO that net_pcap reads as rx_pcap, chunk by chunk, when
    the test says so. net_pcap reads the FIFO on the worker lcore; between chunks the
    worker waits in read(), so the test decides when traffic arrives. A burst holds
    up to 32 packets until it is full: every chunk ends with >= 32 filler packets."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.chunks = []
        self.cv = threading.Condition()
        self.opened = threading.Event()
        self.written = 0
        self.fed = 0
        self.fd = None
        self.error = None

    def run(self):
        try:
            fd = os.open(self.path, os.O_WRONLY)
        except OSError as e:
            self.error = e
            self.opened.set()
            return
        self.fd = fd
        self.opened.set()
        try:
            os.write(fd, PCAP_HDR)
            while True:
                with self.cv:
                    while not self.chunks:
                        self.cv.wait()
                    chunk = self.chunks.pop(0)
                if chunk is None:
                    break
                view = memoryview(chunk)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                with self.cv:
                    self.written += 1
                    self.cv.notify_all()
        except OSError as e:
            self.error = e
        finally:
            with self.cv:
                self.fd = None
                os.close(fd)

    def feed(self, data):
        with self.cv:
            self.chunks.append(data)
            if data is not None:
                self.fed += 1
            self.cv.notify_all()

    def unread(self):
        """Bytes written to the FIFO that tapwatch has not read yet (None: still writing)."""
        with self.cv:
            if self.written < self.fed or self.fd is None:
                return None
            buf = array.array("i", [0])
            fcntl.ioctl(self.fd, termios.FIONREAD, buf)
            return buf[0]

    def wait_consumed(self, timeout, settle=0.3):
        """Until tapwatch has read everything fed so far, plus `settle` seconds for the
        worker to process the last bursts and the exporter to take their alerts."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.unread() == 0:
                time.sleep(settle)
                if self.unread() == 0:
                    return True
            else:
                time.sleep(0.02)
        return False

    def close(self):
        self.feed(None)

    def abort(self):
        if not self.opened.is_set():
            rescue_fifo(self.path, for_writer=True)
        self.close()


class EveReader(threading.Thread):
    """Reads EVE lines from a FIFO. pause_after: stop reading after that many alert
    lines until resume(); exit_after: close the FIFO after that many alert lines
    (a reader that goes away)."""

    def __init__(self, path, pause_after=None, exit_after=None):
        super().__init__(daemon=True)
        self.path = path
        self.pause_after = pause_after
        self.exit_after = exit_after
        self.events = []
        self.bad = []
        self.alerts = 0
        self.paused = threading.Event()
        self.opened = threading.Event()
        self.stop = threading.Event()
        self.cv = threading.Condition()
        self.last_rx = time.monotonic()

    def run(self):
        fd = os.open(self.path, os.O_RDONLY)
        self.opened.set()
        buf = b""
        try:
            while not self.stop.is_set():
                if self.paused.is_set():
                    time.sleep(0.01)
                    continue
                r, _, _ = select.select([fd], [], [], 0.1)
                if not r:
                    continue
                data = os.read(fd, 4096)
                if not data:
                    break
                buf += data
                *lines, buf = buf.split(b"\n")
                with self.cv:
                    for line in lines:
                        self._line(line)
                    self.last_rx = time.monotonic()
                    self.cv.notify_all()
                if self.exit_after is not None and self.alerts >= self.exit_after:
                    break
                if self.pause_after is not None and self.alerts >= self.pause_after:
                    self.pause_after = None
                    self.paused.set()
            if buf and not self.stop.is_set() and self.exit_after is None:
                self.bad.append(buf[:200])
        finally:
            os.close(fd)
            with self.cv:
                self.cv.notify_all()

    def _line(self, line):
        if not line.strip():
            return
        try:
            ev = json.loads(line)
        except ValueError:
            self.bad.append(line[:200])
            return
        self.events.append(ev)
        if ev.get("event_type") == "alert":
            self.alerts += 1

    def resume(self):
        self.paused.clear()

    def wait_for(self, pred, timeout):
        deadline = time.monotonic() + timeout
        with self.cv:
            while not pred(self):
                left = deadline - time.monotonic()
                if left <= 0 or not self.is_alive():
                    return pred(self)
                self.cv.wait(min(left, 0.1))
        return True

    def wait_quiet(self, quiet_s, timeout):
        """Until nothing was read for quiet_s seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if time.monotonic() - self.last_rx >= quiet_s:
                return True
            time.sleep(0.05)
        return False

    def abort(self):
        if not self.opened.is_set():
            rescue_fifo(self.path, for_writer=False)
        self.stop.set()


def records_of(path):
    """Raw pcap records of a file (without the file header) and its frames."""
    recs = read_pcap_records(path)
    return b"".join(r for _, r in recs), [d for d, _ in recs]


def alert_ports(alerts):
    return {(a.get("src_port"), a.get("dest_port")) for a in alerts}


# ---------------------------------------------------------------------------
# truncate
# ---------------------------------------------------------------------------

DETAIL_OF = {
    "etsi-x1": "x1", "etsi-x2x3": "x2x3", "etsi-hi": "hi", "packetcable": "packetcable",
    "cisco-tap-mib": "snmp", "juniper-dtcp": "dtcp", "jmirror": "jmirror",
    "redback-li": "redback", "erspan": "erspan", "tzsp": "tzsp", "rpcap": "rpcap",
}


def li_detail(alert):
    """The family's detail object of an alert's li (li.x2x3, li.hi, ...); for a family
    this table does not know yet, the one object-valued member of li."""
    li = alert.get("li", {})
    key = DETAIL_OF.get(li.get("family"))
    if key is None:
        objs = [k for k, v in li.items() if isinstance(v, dict)]
        key = objs[0] if len(objs) == 1 else None
    sub = li.get(key, {}) if key else {}
    return sub if isinstance(sub, dict) else {}


def unknown(v):
    """A value that says "not known" rather than claiming one."""
    return v is None or v == "" or v == {} or v == []


def compare_ids(got, want):
    """Mismatches of the values an alert reports (got) against the uncut packet's (want):
    each reported value must equal; a value not reported is fine (bytes cut away).
    Returns [(key, got, want)]."""
    bad = []
    for k, w in want.items():
        if k not in got or unknown(got[k]):
            continue
        g = got[k]
        if isinstance(w, dict):
            if not isinstance(g, dict):
                bad.append((k, g, w))
                continue
            for ik, iw in w.items():
                if ik in g and not unknown(g[ik]) and g[ik] != iw:
                    bad.append((k + "." + ik, g[ik], iw))
        elif g != w:
            bad.append((k, g, w))
    return bad


def ts_text(us):
    return datetime.datetime.fromtimestamp(us // 1_000_000, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S") + ".%06d+0000" % (us % 1_000_000)


def truncate_check(name, variants, by_ts, events):
    """Checks of one run over one kind of cut capture. Returns a summary dict."""
    alerts = alerts_of(events)
    per = {}
    for a in alerts:
        v = by_ts.get(a.get("timestamp"))
        if not check(v is not None, "%s: alert on a packet that is no variant: %s" % (
                name, json.dumps(a)[:300])):
            continue
        per.setdefault(v["ts_us"], []).append(a)
    tried = alerted = omitted = 0
    refs = refs_ok = 0
    mism = []
    # Uncut reference alerts per (pcap, flow): their detail is what cuts may report.
    ref_of = {}
    for v in variants:
        if v["cut"] is None:
            refs += 1
            got = [a for a in per.get(v["ts_us"], [])
                   if a["alert"]["signature_id"] not in NO_WARRANT_SIGS]
            good = [a for a in got if a["li"]["family"] == v["family"] and
                    detail_matches(li_detail(a), v["detail"])]
            if check(good, "%s: uncut %s packet of %s alerts as %s with %s: %s" % (
                    name, v["pcap"], v["flow"], v["family"], v["detail"],
                    [li_detail(a) for a in got])):
                refs_ok += 1
                ref_of[(v["pcap"], v["flow"])] = good[0]
    for v in variants:
        if v["cut"] is None:
            continue
        tried += 1
        got = per.get(v["ts_us"], [])
        if not got:
            continue
        alerted += 1
        ref = ref_of.get((v["pcap"], v["flow"]))
        sigs = [a["alert"]["signature_id"] for a in got]
        check(len(sigs) == len(set(sigs)), "%s: one alert per signature on %s cut %d: %s" % (
            name, v["flow"], v["cut"], sigs))
        for a in got:
            fam = a["li"]["family"]
            if not check(fam == v["family"], "%s: %s cut at %d/%d alerts as family %s, "
                         "the packet is %s" % (name, v["flow"], v["cut"], v["payload_len"], fam,
                                               v["family"])):
                continue
            det = li_detail(a)
            want = dict(v["detail"])
            if ref is not None:
                # Every text the uncut packet reports (ids, names, addresses) too; counts
                # ("pdus", "messages") shrink with the packet and are left out.
                for k, val in li_detail(ref).items():
                    if not isinstance(val, (int, float, bool)) and k not in want:
                        want[k] = val
            bad = compare_ids(det, want)
            extra = [k for k, val in det.items() if ref is not None and
                     k not in li_detail(ref) and not unknown(val) and
                     not isinstance(val, (int, bool))]
            omitted += sum(1 for k in v["detail"] if k not in det or unknown(det[k]))
            if bad or extra:
                mism.append((v, a, bad, extra))
    for v, a, bad, extra in mism[:20]:
        check(False, "%s: %s (%s) cut at payload byte %d of %d reports %s%s" % (
            name, v["flow"], v["pcap"], v["cut"], v["payload_len"],
            "; ".join("%s=%r, uncut %r" % b for b in bad),
            (" and values the uncut packet does not have: %s" % extra) if extra else ""))
    if len(mism) > 20:
        check(False, "%s: %d more cut variants with wrong ids" % (name, len(mism) - 20))
    if not mism:
        check(True, "%s: ids on cut packets" % name)
    return {"tried": tried, "alerted": alerted, "alerts": len(alerts), "refs": refs,
            "refs_ok": refs_ok, "omitted": omitted, "mismatched": len(mism),
            "keys": sorted((a["timestamp"], a["alert"]["signature_id"]) for a in alerts)}


NO_WARRANT_SIGS = (1099001, 1099002)


def detail_matches(got, detail):
    for k, v in (detail or {}).items():
        g = got.get(k)
        if isinstance(v, dict):
            if not isinstance(g, dict) or any(g.get(ik) != iv for ik, iv in v.items()):
                return False
        elif g != v:
            return False
    return True


def cmd_truncate(args):
    with tempfile.TemporaryDirectory(prefix="twr-trunc-") as tmp:
        gen = gen_dir(args, tmp)
        out = os.path.join(tmp, "cuts")
        twflood(args, "truncate", "--gen", gen, "--out", out)
        side = json.load(open(os.path.join(out, "truncate.json")))
        variants = side["variants"]
        check(not side["skipped"], "every LI packet could be cut: skipped %s" % side["skipped"])
        by_ts = {ts_text(v["ts_us"]): v for v in variants}
        check(len(by_ts) == len(variants), "one timestamp per variant")
        conf = base_config(args, mode="tap", flow={"table_size": 65536},
                           output={"stats_interval": 0})
        if side["tasks"]:
            conf["authorized_tasks"] = side["tasks"]
        config = write_json(os.path.join(tmp, "tap.json"), conf)
        builds = [("tapwatch", args.tapwatch, None)]
        asan = args.asan_tapwatch or os.environ.get("TW_ASAN_TAPWATCH")
        if asan:
            if check(os.access(asan, os.X_OK), "TW_ASAN_TAPWATCH %s is executable" % asan):
                builds.append(("asan", asan, sanitizer_env()))
        else:
            note("TW_ASAN_TAPWATCH not set: sanitizer runs skipped")
        for kind in ("consistent", "snaplen"):
            pcap = os.path.join(out, "trunc-%s.pcap" % kind)
            keys = {}
            for bname, tw, env in builds:
                name = "truncate %s (%s)" % (kind, bname)
                eve = os.path.join(tmp, "%s-%s.eve.json" % (kind, bname))
                t0 = time.monotonic()
                r = run_offline([tw, "-r", pcap, "-c", config, "-o", eve, "-q"], env=env,
                                timeout=900 if env else 300)
                secs = time.monotonic() - t0
                check(r.returncode == 0, "%s: exit 0 (got %d): %s" % (name, r.returncode,
                                                                       r.stderr[-3000:]))
                rep = SANITIZER_RE.search(r.stderr)
                check(rep is None, "%s: no sanitizer report on stderr: %s" % (
                    name, r.stderr[max(0, rep.start() - 200):rep.start() + 3000] if rep else ""))
                events = read_eve(eve)
                st = stats_of(events)
                check_accounting(name, st)
                check_summary(name, r.stderr, st)
                if st is not None:
                    check(st["capture"]["rx_packets"] == len(variants),
                          "%s: every variant read (%d of %d)" % (
                              name, st["capture"]["rx_packets"], len(variants)))
                s = truncate_check(name, variants, by_ts, events)
                keys[bname] = s["keys"]
                malformed = st["decoder"]["malformed"] if st else -1
                note("%s: %d cut variants tried, %d alerted (%d alerts in all), %d/%d uncut "
                     "packets alerted, %d id fields not reported on cut packets, %d with wrong "
                     "ids, %d malformed, %.1fs" % (name, s["tried"], s["alerted"], s["alerts"],
                                                    s["refs_ok"], s["refs"], s["omitted"],
                                                    s["mismatched"], malformed, secs))
            if len(keys) == 2:
                check(keys["tapwatch"] == keys["asan"],
                      "truncate %s: the sanitizer build raises the same alerts" % kind)
    return 0


# ---------------------------------------------------------------------------
# flood
# ---------------------------------------------------------------------------

def max_rss_kb(cmd, rss_file, timeout, env=None):
    """Run cmd; return (CompletedProcess, max RSS in kB) with GNU time, else rusage."""
    if os.access("/usr/bin/time", os.X_OK):
        r = run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd, timeout=timeout, env=env)
        try:
            return r, int(open(rss_file).read().split()[-1])
        except (OSError, ValueError, IndexError):
            return r, None
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    r = run(cmd, timeout=timeout, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: only usable when it grew.
    return r, after if after > before else None


def flood_run(args, tmp, gen, factor, table):
    name = "flood %dx" % factor
    flows = factor * table
    pcap = os.path.join(tmp, "flood-%d.pcap" % factor)
    twflood(args, "flood", "--gen", gen, "--flows", str(flows), "--seed", "1", "--out", pcap)
    side = json.load(open(pcap + ".json"))
    conf = base_config(args, flow={"table_size": table}, output={"stats_interval": 1})
    config = write_json(os.path.join(tmp, "flood.json"), conf)
    empty = os.path.join(tmp, "empty.pcap")
    write_empty_pcap(empty)
    out0 = os.path.join(tmp, "flood-%d-out0.pcap" % factor)
    out1 = os.path.join(tmp, "flood-%d-out1.pcap" % factor)
    eve = os.path.join(tmp, "flood-%d.eve.json" % factor)
    prefix = file_prefix("flood%d" % factor)
    cmd = eal_cmd(args.tapwatch, prefix, pcap_vdevs(pcap, out0, empty, out1), config, eve,
                  idle_exit=2)
    r, rss = max_rss_kb(cmd, os.path.join(tmp, "rss-%d.txt" % factor), timeout=120)
    cleanup_runtime(prefix)
    check(r.returncode == 0, "%s: exit 0 (got %d): %s" % (name, r.returncode, r.stderr[-3000:]))
    src = read_pcap(pcap)
    got = read_pcap(out1)
    check(len(src) == side["packets"], "%s: capture holds %d packets" % (name, side["packets"]))
    check(got == src, "%s: forwarded capture equals the input packet for packet (%d of %d)" % (
        name, len(got), len(src)))
    check(read_pcap(out0) == [], "%s: nothing sent back out of the receiving port" % name)
    events = read_eve(eve)
    st = stats_of(events)
    check_accounting(name, st)
    check_summary(name, r.stderr, st)
    alerts = alerts_of(events)
    if st is not None:
        c, f = st["capture"], st["flow"]
        check(c["rx_packets"] == len(src) and c["tx_packets"] == len(src) and
              c["tx_dropped"] == 0, "%s: rx %d tx %d tx_dropped %d of %d" % (
                  name, c["rx_packets"], c["tx_packets"], c["tx_dropped"], len(src)))
        check(f["created"] >= flows, "%s: flows created %d >= %d" % (name, f["created"], flows))
        check(f["evicted"] >= flows - table, "%s: flow.evicted %d >= %d" % (
            name, f["evicted"], flows - table))
        check(f["insert_failed"] == 0, "%s: no failed flow insert (%d)" % (
            name, f["insert_failed"]))
    active = [s["flow"]["active"] for s in stats_events(events)]
    active += [w["flows_active"] for s in stats_events(events) for w in s.get("per_worker", [])]
    check(len(stats_events(events)) >= 2, "%s: periodic stats events while the flows are "
          "live (%d)" % (name, len(stats_events(events))))
    check(active and max(active) <= table, "%s: flow.active <= %d in every stats event (max "
          "%s)" % (name, table, max(active) if active else None))
    for exp in side["li_flows"]:
        hit = [a for a in alerts if a["li"]["family"] == exp["family"] and
               a["src_ip"] == exp["src_ip"] and a["dest_ip"] == exp["dest_ip"] and
               a["li"]["authorized"] == exp["authorized"] and
               li_detail(a).get("xid") == exp["detail"].get("xid")]
        check(hit, "%s: %s X2/X3 alert of %s (xid %s) present" % (
            name, "authorized" if exp["authorized"] else "unauthorized", exp["name"],
            exp["detail"].get("xid")))
    li_ends = {(e["src_ip"], e["dest_ip"]) for e in side["li_flows"]}
    stray = [a for a in alerts if (a["src_ip"], a["dest_ip"]) not in li_ends and
             (a["dest_ip"], a["src_ip"]) not in li_ends]
    check(not stray, "%s: no alert on the flood's UDP flows: %s" % (name, stray[:3]))
    d = st["detect"] if st else {}
    note("%s: %d UDP flows + %d X2/X3 flows, %d packets forwarded of %d, flows created %s "
         "evicted %s max active %s, alerts raised %s written %s dropped %s, max RSS %s kB" % (
             name, flows, len(side["li_flows"]), len(got), len(src),
             st["flow"]["created"] if st else "?", st["flow"]["evicted"] if st else "?",
             max(active) if active else "?", d.get("alerts_raised"), d.get("alerts_written"),
             d.get("alerts_dropped"), rss))
    return rss


def cmd_flood(args):
    table = 1024
    with tempfile.TemporaryDirectory(prefix="twr-flood-") as tmp:
        gen = gen_dir(args, tmp, only=["x2x3.pcap"])
        rss10 = flood_run(args, tmp, gen, 10, table)
        rss20 = flood_run(args, tmp, gen, 20, table)
        if check(rss10 and rss20, "max RSS measured (10x %s kB, 20x %s kB)" % (rss10, rss20)):
            diff = abs(rss20 - rss10) / rss10
            check(diff < 0.05, "memory bounded: max RSS 10x %d kB vs 20x %d kB differ by %.1f%% "
                  "(< 5%%)" % (rss10, rss20, 100 * diff))
            note("flood RSS: 10x %d kB, 20x %d kB, %+.2f%%" % (rss10, rss20,
                                                               100 * (rss20 - rss10) / rss10))
    return 0


# ---------------------------------------------------------------------------
# storm, dead-sink: FIFO sinks with a test-paced rx FIFO
# ---------------------------------------------------------------------------

def liflows(args, tmp, gen, name, flows, first, filler):
    path = os.path.join(tmp, name + ".pcap")
    twflood(args, "liflows", "--gen", gen, "--flows", str(flows), "--first", str(first),
            "--filler", str(filler), "--out", path)
    side = json.load(open(path + ".json"))
    recs, frames = records_of(path)
    ports = {f["sport"] if "sport" in f else f.get("dport") for f in side["flows"]}
    return side, recs, frames, ports


def alerts_for(alerts, ports):
    return [a for a in alerts if a.get("src_port") in ports or a.get("dest_port") in ports]


def start_live(args, tmp, name, config, eve_path, idle_exit, rx_opts="", rx0=None, tx1=None):
    """tapwatch inline: port 0 reads rx0 (a FIFO by default), port 1 writes out1."""
    empty = os.path.join(tmp, "empty.pcap")
    write_empty_pcap(empty)
    if rx0 is None:
        rx0 = os.path.join(tmp, name + "-rx.fifo")
        os.mkfifo(rx0)
    out0 = os.path.join(tmp, name + "-out0.pcap")
    out1 = tx1 or os.path.join(tmp, name + "-out1.pcap")
    prefix = file_prefix(name)
    cmd = eal_cmd(args.tapwatch, prefix, pcap_vdevs(rx0, out0, empty, out1, rx_opts), config,
                  eve_path, idle_exit=idle_exit, quiet=False)
    return Proc(cmd, prefix=prefix), rx0, out0, out1


def cmd_storm(args):
    n1, n2, fill = 3000, 20, 40
    with tempfile.TemporaryDirectory(prefix="twr-storm-") as tmp:
        gen = gen_dir(args, tmp, only=["x2x3.pcap"])
        side1, recs1, frames1, ports1 = liflows(args, tmp, gen, "storm1", n1, 20000, fill)
        side2, recs2, frames2, ports2 = liflows(args, tmp, gen, "storm2", n2, 24000, fill)
        conf = base_config(args, flow={"table_size": 8192},
                           output={"alert_ring_size": 64, "buffer_size": 65536,
                                   "stats_interval": 1})
        config = write_json(os.path.join(tmp, "storm.json"), conf)
        eve = os.path.join(tmp, "eve.fifo")
        os.mkfifo(eve)
        reader = EveReader(eve, pause_after=1)
        reader.start()
        proc, rx, out0, out1 = start_live(args, tmp, "storm", config, eve, idle_exit=4)
        feeder = RxFeeder(rx)
        feeder.start()
        try:
            # Phase 1: the sink stalls after its first alert; 3,000 alerts arrive.
            feeder.feed(recs1)
            check(feeder.wait_consumed(30), "storm: phase 1 read by tapwatch")
            check(reader.paused.is_set(), "storm: the sink reader paused after %d alert(s)" %
                  reader.alerts)
            stalled_alerts = reader.alerts
            # Phase 2: the sink reads again; what tapwatch holds comes out, then new alerts.
            reader.resume()
            reader.wait_for(lambda r: r.alerts > stalled_alerts, 5)
            reader.wait_quiet(0.5, 5)
            before2 = reader.alerts
            feeder.feed(recs2)
            check(feeder.wait_consumed(15), "storm: phase 2 read by tapwatch")
            got2 = reader.wait_for(
                lambda r: len(alerts_for(alerts_of(r.events), ports2)) >= n2, 10)
            check(not proc.idle_exited(), "storm: --idle-exit did not fire before the end of "
                  "the test (its pauses are shorter than the idle time)")
        finally:
            feeder.close()
            rc = proc.finish(60)
            feeder.abort()
            reader.wait_for(lambda r: not r.is_alive(), 15)
            reader.abort()
        check(rc == 0, "storm: exit 0 (got %s): %s" % (rc, proc.stderr()[-3000:]))
        check(feeder.error is None, "storm: feeding the rx FIFO: %s" % feeder.error)
        check(not reader.bad, "storm: every line the sink received is JSON: %s" % reader.bad[:3])
        src = frames1 + frames2
        got = read_pcap(out1)
        check(got == src, "storm: forwarded capture equals the input packet for packet (%d of "
              "%d)" % (len(got), len(src)))
        check(read_pcap(out0) == [], "storm: nothing sent back out of the receiving port")
        events = reader.events
        st = stats_of(events)
        check_accounting("storm", st)
        check_summary("storm", proc.stderr(), st)
        alerts = alerts_of(events)
        d = st["detect"] if st else {}
        if st is not None:
            check(d["alerts_raised"] == n1 + n2 and d["li_flows"] == n1 + n2,
                  "storm: one alert raised per LI flow (%d raised, %d LI flows, want %d)" % (
                      d["alerts_raised"], d["li_flows"], n1 + n2))
            check(d["alerts_dropped"] > 0, "storm: the test drops alerts (%d)" %
                  d["alerts_dropped"])
            check(len(alerts) == d["alerts_written"], "storm: alert lines the sink received "
                  "%d == alerts_written %d" % (len(alerts), d["alerts_written"]))
            check(st["capture"]["tx_dropped"] == 0 and
                  st["capture"]["tx_packets"] == len(src),
                  "storm: tx %d of %d, tx_dropped %d" % (st["capture"]["tx_packets"], len(src),
                                                         st["capture"]["tx_dropped"]))
        check(got2, "storm: recovery: the %d alerts raised after the sink resumed are written "
              "(%d of %d received)" % (n2, len(alerts_for(alerts, ports2)), n2))
        check(len(alerts_for(alerts, ports2)) == n2,
              "storm: one line per phase-2 alert (%d)" % len(alerts_for(alerts, ports2)))
        keys = [(a["flow_id"], a["alert"]["signature_id"]) for a in alerts]
        check(len(keys) == len(set(keys)), "storm: no alert line written twice")
        written_series = [s["detect"]["alerts_written"] for s in stats_events(events)]
        note("storm: %d + %d LI flows, alerts raised %s written %s dropped %s (ring %s, output "
             "%s), sink got %d alert lines (%d before the stall ended, %d after phase 1 drained), "
             "forwarded %d of %d, alerts_written in stats events %s" % (
                 n1, n2, d.get("alerts_raised"), d.get("alerts_written"),
                 d.get("alerts_dropped"), d.get("alerts_dropped_ring"),
                 d.get("alerts_dropped_output"), len(alerts), stalled_alerts, before2, len(got),
                 len(src), written_series))
    return 0


def cmd_dead_sink(args):
    n, fill = 10, 40
    with tempfile.TemporaryDirectory(prefix="twr-dead-") as tmp:
        gen = gen_dir(args, tmp, only=["x2x3.pcap"])
        sa, recs_a, fr_a, ports_a = liflows(args, tmp, gen, "deadA", n, 21000, fill)
        sb, recs_b, fr_b, ports_b = liflows(args, tmp, gen, "deadB", n, 22000, fill)
        sc, recs_c, fr_c, ports_c = liflows(args, tmp, gen, "deadC", n, 23000, fill)
        conf = base_config(args, output={"stats_interval": 1})
        config = write_json(os.path.join(tmp, "dead.json"), conf)
        eve = os.path.join(tmp, "eve.fifo")
        os.mkfifo(eve)
        ra = EveReader(eve, exit_after=n)
        ra.start()
        proc, rx, out0, out1 = start_live(args, tmp, "deadsink", config, eve, idle_exit=4)
        feeder = RxFeeder(rx)
        feeder.start()
        rb = None
        try:
            # Reader A takes batch A's alerts and goes away.
            feeder.feed(recs_a)
            check(ra.wait_for(lambda r: not r.is_alive(), 20),
                  "dead-sink: reader A got %d alerts and closed" % ra.alerts)
            # Batch B meets no reader: EPIPE, then the path is reopened every 200 ms.
            feeder.feed(recs_b)
            check(feeder.wait_consumed(15, settle=0.5), "dead-sink: batch B read by tapwatch")
            check(proc.p.poll() is None, "dead-sink: tapwatch survives the reader's exit "
                  "(rc %s)" % proc.p.poll())
            # Reader B opens the FIFO later and must get later lines.
            rb = EveReader(eve)
            rb.start()
            check(rb.opened.wait(10), "dead-sink: tapwatch reopens the FIFO for a new reader")
            feeder.feed(recs_c)
            check(feeder.wait_consumed(15), "dead-sink: batch C read by tapwatch")
            rb.wait_for(lambda r: len(alerts_for(alerts_of(r.events), ports_c)) >= n, 10)
            check(not proc.idle_exited(), "dead-sink: --idle-exit did not fire before the end "
                  "of the test (its pauses are shorter than the idle time)")
        finally:
            feeder.close()
            rc = proc.finish(60)
            feeder.abort()
            for r in (ra, rb):
                if r is not None:
                    r.wait_for(lambda x: not x.is_alive(), 10)
                    r.abort()
        check(rc == 0, "dead-sink: exit 0 after idle-exit (got %s; SIGPIPE is %d): %s" % (
            rc, signal.SIGPIPE, proc.stderr()[-3000:]))
        check(feeder.error is None, "dead-sink: feeding the rx FIFO: %s" % feeder.error)
        src = fr_a + fr_b + fr_c
        got = read_pcap(out1)
        check(got == src, "dead-sink: forwarding goes on: output equals the input (%d of %d)" % (
            len(got), len(src)))
        a_alerts = alerts_of(ra.events)
        b_events = rb.events if rb is not None else []
        b_alerts = alerts_of(b_events)
        st = stats_of(b_events)
        check_accounting("dead-sink", st)
        check_summary("dead-sink", proc.stderr(), st)
        check(not (rb.bad if rb else []), "dead-sink: reader B got whole JSON lines: %s" % (
            rb.bad[:3] if rb else None))
        check(len(alerts_for(a_alerts, ports_a)) == n and len(a_alerts) == n,
              "dead-sink: reader A got batch A's %d alerts (%d)" % (n, len(a_alerts)))
        got_b = len(alerts_for(b_alerts, ports_b))
        got_c = len(alerts_for(b_alerts, ports_c))
        check(got_c == n, "dead-sink: reader B got every alert raised after it opened the "
              "FIFO (%d of %d)" % (got_c, n))
        check(not alerts_for(b_alerts, ports_a), "dead-sink: nothing of batch A replayed")
        d = st["detect"] if st else {}
        if st is not None:
            check(d["alerts_raised"] == 3 * n, "dead-sink: %d alerts raised (%d)" % (
                3 * n, d["alerts_raised"]))
            check(d["alerts_written"] == len(a_alerts) + len(b_alerts),
                  "dead-sink: alerts_written %d == lines readers got %d + %d" % (
                      d["alerts_written"], len(a_alerts), len(b_alerts)))
            check(d["alerts_dropped"] == n - got_b,
                  "dead-sink: batch B's alerts are written to reader B or counted dropped: "
                  "dropped %d == %d - %d delivered" % (d["alerts_dropped"], n, got_b))
            check(d["output_write_errors"] >= 1, "dead-sink: the EPIPE is counted in "
                  "output_write_errors (%d)" % d["output_write_errors"])
        note("dead-sink: alerts raised %s written %s dropped %s (output %s), write errors %s; "
             "reader A %d lines, reader B %d (batch B %d, batch C %d); forwarded %d of %d" % (
                 d.get("alerts_raised"), d.get("alerts_written"), d.get("alerts_dropped"),
                 d.get("alerts_dropped_output"), d.get("output_write_errors"), len(a_alerts),
                 len(b_alerts), got_b, got_c, len(got), len(src)))
    return 0


# ---------------------------------------------------------------------------
# sigterm
# ---------------------------------------------------------------------------

def cmd_sigterm(args):
    with tempfile.TemporaryDirectory(prefix="twr-term-") as tmp:
        gen = gen_dir(args, tmp, only=["x2x3.pcap"])
        # 50 LI flows among 4,000 UDP flows, replayed endlessly (infinite_rx) through a
        # 1,024-flow table: every pass evicts and re-creates the LI flows, so alerts
        # keep coming while SIGTERM arrives.
        side, recs, frames, ports = liflows(args, tmp, gen, "term", 50, 25000, 4000)
        pcap = os.path.join(tmp, "term.pcap")
        conf = base_config(args, flow={"table_size": 1024},
                           dpdk={"mempool_size": 16383},
                           output={"stats_interval": 1})
        config = write_json(os.path.join(tmp, "term.json"), conf)
        eve = os.path.join(tmp, "term.eve.json")
        proc, _, out0, _ = start_live(args, tmp, "sigterm", config, eve, idle_exit=None,
                                      rx_opts=",infinite_rx=1", rx0=pcap, tx1="/dev/null")
        try:
            # Running once alerts reach the EVE file (console wording is not relied on).
            started = proc.wait_for(lambda p: os.path.exists(eve) and
                                    os.path.getsize(eve) > 0, 30)
            check(started, "sigterm: tapwatch runs and writes alerts: %s" %
                  proc.stderr()[-2000:])
            time.sleep(1.0)
            alive = proc.p.poll() is None
            check(alive, "sigterm: still running after 1 s of endless traffic")
            t0 = time.monotonic()
            if alive:
                proc.p.send_signal(signal.SIGTERM)
        finally:
            rc = proc.finish(30)
        took = time.monotonic() - t0
        check(rc == 0, "sigterm: exit 0 on SIGTERM (got %s): %s" % (rc, proc.stderr()[-3000:]))
        with open(eve, "rb") as f:
            raw = f.read()
        check(raw.endswith(b"\n"), "sigterm: the EVE file ends with a whole line")
        events = read_eve(eve)
        check(events and events[-1].get("event_type") == "tapwatch_stats",
              "sigterm: the final stats event is the last line")
        st = stats_of(events)
        check_accounting("sigterm", st)
        check_summary("sigterm", proc.stderr(), st)
        alerts = alerts_of(events)
        d = st["detect"] if st else {}
        if st is not None:
            c = st["capture"]
            check(d["alerts_written"] == d["alerts_raised"] - d["alerts_dropped"] and
                  len(alerts) == d["alerts_written"],
                  "sigterm: alert lines %d == alerts_written %d == raised %d - dropped %d" % (
                      len(alerts), d["alerts_written"], d["alerts_raised"],
                      d["alerts_dropped"]))
            check(d["alerts_raised"] > 2 * len(ports), "sigterm: alerts kept coming until "
                  "SIGTERM (%d raised for %d LI flows)" % (d["alerts_raised"], len(ports)))
            check(c["rx_packets"] > 2 * len(frames) and c["tx_packets"] == c["rx_packets"] and
                  c["tx_dropped"] == 0, "sigterm: traffic flowed and all of it was forwarded "
                  "(rx %d tx %d tx_dropped %d)" % (c["rx_packets"], c["tx_packets"],
                                                   c["tx_dropped"]))
        check(took < 10, "sigterm: shutdown took %.2fs" % took)
        note("sigterm: rx %s packets in ~1 s, alerts raised %s written %s dropped %s (ring %s), "
             "%d alert lines, flows evicted %s, shutdown %.2fs" % (
                 st["capture"]["rx_packets"] if st else "?", d.get("alerts_raised"),
                 d.get("alerts_written"), d.get("alerts_dropped"),
                 d.get("alerts_dropped_ring"), len(alerts),
                 st["flow"]["evicted"] if st else "?", took))
    return 0


# ---------------------------------------------------------------------------
# bad-inputs
# ---------------------------------------------------------------------------

GOOD_RULE = ('sig id=%d rev=1 family=erspan severity=1 proto=gre validator=erspan '
             'name="ERSPAN type I" pattern="^\\x00\\x00\\x88\\xbe"')


def rules_text(*lines):
    return "# robust.py bad-inputs\n" + "".join(l + "\n" for l in lines)


def bad_input_rows(tmp):
    """(name, config text or None, rules text or None, special, [expected substrings]).
    {cfg} / {rules} in expectations are the config / rules file paths."""
    md = '{"name": "md-1", "mediation": %s%s}'
    rows = [
        ("json syntax error", '{\n  "mode": "tap",\n  "flow": {\n    "table_size" 1024\n  }\n}\n',
         None, None, ["{cfg}:4:", "JSON syntax error at line 4", "fix the JSON"]),
        ("trailing comma", '{\n  "mode": "tap",\n}\n', None, None,
         ["{cfg}:3:", "JSON syntax error", "trailing commas are not"]),
        ("unknown key with suggestion (dashes)", '{"dpdk": {"rx-descriptors": 512}}', None, None,
         ["{cfg}", "dpdk.rx-descriptors: unknown key", 'did you mean "rx_descriptors"?']),
        ("unknown key with suggestion (section)", '{"table_size": 1024}', None, None,
         ["{cfg}", "table_size: unknown key", 'did you mean "flow.table_size"?']),
        ("wrong type (string for a number)", '{"flow": {"table_size": "big"}}', None, None,
         ["{cfg}", "flow.table_size: expected an integer between 64 and 67108864",
          'got "big"', "unit: flows per worker"]),
        ("wrong type (array for an object)", '{"output": []}', None, None,
         ["{cfg}", "output: expected an object", "got []"]),
        ("out-of-range number with unit", '{"flow": {"idle_timeout": 0}}', None, None,
         ["{cfg}", "flow.idle_timeout: expected an integer between 1 and 86400", "got 0",
          "unit: seconds"]),
        ("ring size not a power of two", '{"output": {"alert_ring_size": 100}}', None, None,
         ["{cfg}", "output.alert_ring_size: expected a power of two between 64 and 1048576",
          "got 100"]),
        ("bad CIDR with host bits (IPv4)",
         '{"mediation_devices": [%s]}' % (md % ('["10.200.0.10/24"]', "")), None, None,
         ["{cfg}", "mediation_devices[0].mediation[0]", "host bits set",
          'write "10.200.0.0/24" for the network or "10.200.0.10/32" for the host']),
        ("bad CIDR with host bits (IPv6)",
         '{"mediation_devices": [%s]}' % (md % ('["10.200.0.10"]',
                                                 ', "elements": ["2001:db8:1::5/64"]')),
         None, None,
         ["{cfg}", "mediation_devices[0].elements[0]", "host bits set",
          '"2001:db8:1::/64" for the network', '"2001:db8:1::5/128" for the host']),
        ("unknown family (inventory)",
         '{"mediation_devices": [%s]}' % (md % ('["10.200.0.10"]',
                                                 ', "families": ["etsi-x4"]')), None, None,
         ["{cfg}", "mediation_devices[0].families[0]", 'unknown family "etsi-x4"',
          "valid names:", "etsi-x2x3"]),
        ("unknown family (block)", '{"block": ["erpsan"]}', None, None,
         ["{cfg}", "block[0]", 'unknown family "erpsan"', "erspan"]),
        ("empty mediation list",
         '{"mediation_devices": [%s]}' % (md % ("[]", "")), None, None,
         ["{cfg}", "mediation_devices[0].mediation", "non-empty array", "got []"]),
        ("empty families list",
         '{"mediation_devices": [%s]}' % (md % ('["10.200.0.10"]', ', "families": []')),
         None, None,
         ["{cfg}", "mediation_devices[0].families", 'omit "families" to allow every family']),
        ("bad XID in authorized_tasks", '{"authorized_tasks": {"xids": ["not-a-uuid"]}}',
         None, None,
         ["{cfg}", "authorized_tasks.xids[0]", '"not-a-uuid" is not an XID', "write it as a UUID"]),
        ("bad port in ports", '{"ports": {"jmirror": [70000]}}', None, None,
         ["{cfg}", "ports.jmirror[0]", "port number between 1 and 65535", "got 70000"]),
        ("unknown family in ports", '{"ports": {"jmirorr": [30030]}}', None, None,
         ["{cfg}", "ports.jmirorr: unknown family", "use one of:", "jmirror"]),
        ("duplicate key", '{\n  "mode": "tap",\n  "mode": "inline"\n}\n', None, None,
         ["{cfg}:3:", "mode", "each key may appear once per object"]),
        ("duplicate mediation device name",
         '{"mediation_devices": [%s, %s]}' % (md % ('["10.200.0.10"]', ""),
                                             md % ('["10.200.0.11"]', "")), None, None,
         ["{cfg}", "mediation_devices[1].name", "already used by mediation_devices[0]",
          "names must be unique"]),
        ("bad mode", '{"mode": "bump"}', None, None,
         ["{cfg}", 'mode: expected "tap" or "inline", got "bump"']),
        ("signature: unknown validator", None,
         rules_text(GOOD_RULE % 1, GOOD_RULE.replace("validator=erspan", "validator=x9") % 2),
         None, ["{rules}:3:", 'unknown validator "x9"', "use one of:", "erspan"]),
        ("signature: pattern does not compile", None,
         rules_text(GOOD_RULE % 1, "", GOOD_RULE.replace('pattern="^\\x00\\x00\\x88\\xbe"',
                                                         'pattern="^(unclosed"') % 2),
         None, ["{rules}:4:", "pattern of sig 2 does not compile", "parenthesis"]),
        ("signature: duplicate id", None,
         rules_text(GOOD_RULE % 7, "# between", GOOD_RULE % 8, GOOD_RULE % 7), None,
         ["{rules}:5:", "sig id 7 already used on line 2", "ids must be unique"]),
        ("signature: unknown key", None,
         rules_text(GOOD_RULE.replace("rev=1", "rev=1 colour=red") % 1), None,
         ["{rules}:2:", 'unknown key "colour"', "keys are"]),
        ("signature: missing pattern", None,
         rules_text(GOOD_RULE.replace(' pattern="^\\x00\\x00\\x88\\xbe"', "") % 1), None,
         ["{rules}:2:", 'missing key "pattern"', "required:"]),
        ("missing signature file", None, None, "missing-rules",
         ["{rules}", "cannot open signature file", "No such file or directory",
          'check the "signatures" key of the config']),
        ("directory as signature file", None, None, "dir-rules",
         ["{rules}", "not a regular file", 'the "signatures" key must name a rules file']),
        ("binary file as config", None, None, "binary-config",
         ["{cfg}:1:", "JSON syntax error at line 1"]),
        ("control characters in a config key",
         '{"flow": {"ta\\u001b]0;owned\\u0007ble_size": 1024}}', None, None,
         ["{cfg}", "unknown key", "accepted keys here", "table_size"]),
        ("control characters in a signature line", None,
         rules_text(GOOD_RULE % 1, "sig id=2 rev=1 fam\x1b[2Jily=erspan severity=1 name=x "
                    'pattern="^a"'), None,
         ["{rules}:3:", "expected key=value"]),
        ("missing config file", None, None, "missing-config",
         ["{cfg}", "cannot open the config file", "No such file or directory", "check the path"]),
        ("directory as config file", None, None, "dir-config",
         ["{cfg}", "config file", "Is a directory"]),
    ]
    return rows


def shown(text):
    """text with control characters as \\xHH, safe to print on a terminal."""
    return "".join(c if c == "\t" or " " <= c != "\x7f" else "\\x%02x" % ord(c) for c in text)


def cmd_bad_inputs(args):
    pcap = os.path.join(args.source, "test", "data", "sample.pcap")
    sigs = os.path.join(args.source, "conf", "signatures.rules")
    n = 0
    with tempfile.TemporaryDirectory(prefix="twr-bad-") as tmp:
        for name, conf_text, rules, special, expect in bad_input_rows(tmp):
            n += 1
            d = os.path.join(tmp, "row%02d" % n)
            os.mkdir(d)
            cfg = os.path.join(d, "tapwatch.json")
            rpath = sigs
            if rules is not None or special in ("missing-rules", "dir-rules"):
                rpath = os.path.join(d, "bad.rules")
                if rules is not None:
                    with open(rpath, "w") as f:
                        f.write(rules)
                elif special == "dir-rules":
                    os.mkdir(rpath)
            if conf_text is None:
                conf_text = json.dumps({"signatures": rpath})
            if special == "binary-config":
                # An executable given by mistake (-c /usr/bin/tapwatch): ELF magic first.
                with open(cfg, "wb") as f:
                    f.write(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
            elif special == "missing-config":
                cfg = os.path.join(d, "missing.json")
            elif special == "dir-config":
                cfg = os.path.join(d, "conf.d")
                os.mkdir(cfg)
            else:
                with open(cfg, "w") as f:
                    f.write(conf_text)
            want = [e.replace("{cfg}", cfg).replace("{rules}", rpath) for e in expect]
            msgs = []
            for how, extra in (("--check-config", ["--check-config"]),
                               ("offline start", ["-r", pcap, "-o", os.path.join(d, "o.json"),
                                                  "-q"])):
                r = run_offline([args.tapwatch, "-c", cfg] + extra, timeout=60)
                err = r.stderr
                lines = [l for l in err.splitlines() if "error" in l]
                msgs.append(lines)
                missing = [w for w in want if w not in err]
                check(r.returncode == 1, "bad-inputs: %s: %s exits 1 (got %d)" % (
                    name, how, r.returncode))
                check(not missing, "bad-inputs: %s: %s names %s; stderr: %s" % (
                    name, how, missing, shown(err.strip()[-600:])))
                printable = all(c == "\n" or c == "\t" or (" " <= c and c != "\x7f")
                                for c in err)
                check(printable, "bad-inputs: %s: %s: stderr is printable text: %r" % (
                    name, how, err[-300:]))
                check("configuration OK" not in r.stdout,
                      "bad-inputs: %s: %s does not say OK" % (name, how))
            check(msgs[0] == msgs[1] and msgs[0],
                  "bad-inputs: %s: the same message from --check-config and a normal start: "
                  "%s vs %s" % (name, msgs[0], msgs[1]))
            note("%-40s %s" % (name + ":", shown((msgs[0] or ["(no message)"])[0])[:240]))
    note("bad-inputs: %d rows" % n)
    return 0


# ---------------------------------------------------------------------------
# no-listener
# ---------------------------------------------------------------------------

def proc_socket_inodes(pid):
    inodes = set()
    fd_dir = "/proc/%d/fd" % pid
    for fd in os.listdir(fd_dir):
        try:
            link = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        m = re.match(r"socket:\[(\d+)\]", link)
        if m:
            inodes.add(int(m.group(1)))
    return inodes


def inet_sockets(pid, inodes):
    """[(proto, local address, state)] of the pid's TCP/UDP sockets from /proc/<pid>/net."""
    out = []
    for proto in ("tcp", "tcp6", "udp", "udp6", "udplite", "udplite6", "raw", "raw6"):
        path = "/proc/%d/net/%s" % (pid, proto)
        if not os.path.exists(path):
            continue
        with open(path) as f:
            next(f, None)
            for line in f:
                parts = line.split()
                if len(parts) > 9 and int(parts[9]) in inodes:
                    out.append((proto, parts[1], parts[3]))
    return out


def unix_sockets(pid, inodes):
    """[(inode, path)] of the pid's unix sockets."""
    out = []
    with open("/proc/%d/net/unix" % pid) as f:
        next(f, None)
        for line in f:
            parts = line.split()
            if len(parts) >= 7 and int(parts[6]) in inodes:
                out.append((int(parts[6]), parts[7] if len(parts) > 7 else ""))
    return out


def no_listener_run(args, tmp, label, shconf, telemetry):
    name = "no-listener (%s)" % label
    conf = base_config(args, output={"stats_interval": 1})
    config = write_json(os.path.join(tmp, "nl.json"), conf)
    pcap = os.path.join(tmp, "nl-in.pcap")
    shutil.copy(os.path.join(args.source, "test", "data", "sample.pcap"), pcap)
    empty = os.path.join(tmp, "empty.pcap")
    write_empty_pcap(empty)
    prefix = file_prefix("nl")
    eve = os.path.join(tmp, "nl-%s.eve.json" % label.replace(" ", "-"))
    cmd = eal_cmd(args.tapwatch, prefix,
                  pcap_vdevs(pcap, os.path.join(tmp, "nl-out0.pcap"), empty,
                             os.path.join(tmp, "nl-out1.pcap")),
                  config, eve, idle_exit=3, quiet=False, telemetry=telemetry, shconf=shconf)
    proc = Proc(cmd, prefix=prefix)
    try:
        no_listener_inspect(name, proc, prefix, eve)
    except OSError as e:
        check(False, "%s: inspecting the running process: %s (did it exit early? %s)" % (
            name, e, proc.stderr()[-2000:]))
    finally:
        rc = proc.finish(60)
    check(rc == 0, "%s: exit 0 (got %s)" % (name, rc))


def no_listener_inspect(name, proc, prefix, eve):
    findings = []
    check(proc.wait_for(lambda p: os.path.exists(eve) and os.path.getsize(eve) > 0, 30),
          "%s: tapwatch runs and writes alerts: %s" % (name, proc.stderr()[-2000:]))
    pid = proc.p.pid
    inodes = proc_socket_inodes(pid)
    inet = inet_sockets(pid, inodes)
    listening = [s for s in inet if s[0].startswith("tcp") and s[2] == "0A"]
    udp = [s for s in inet if s[0].startswith("udp")]
    check(not listening, "%s: no listening TCP socket: %s" % (name, listening))
    check(not udp, "%s: no UDP socket: %s" % (name, udp))
    check(not [s for s in inet if s[0].startswith("raw")], "%s: no raw IP socket: %s" % (
        name, inet))
    r = run(["ss", "-Hlnptu"], timeout=20)
    if r.returncode == 0:
        mine = [l for l in r.stdout.splitlines() if "pid=%d," % pid in l]
        check(not mine, "%s: ss -lnptu lists nothing of pid %d: %s" % (name, pid, mine))
    unix = unix_sockets(pid, inodes)
    for inode, path in unix:
        if path.startswith("@"):
            check(False, "%s: abstract unix socket %s (no file permissions protect it)" % (
                name, path))
            continue
        if not path:
            continue
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError as e:
            check(False, "%s: unix socket %s: %s" % (name, path, e))
            continue
        findings.append("%s %o" % (path, mode))
        check(mode & 0o077 == 0, "%s: unix socket file %s is owner-only (mode %o)" % (
            name, path, mode))
    for d in runtime_dirs(prefix):
        if os.path.isdir(d):
            mode = stat.S_IMODE(os.stat(d).st_mode)
            findings.append("%s/ %o" % (d, mode))
            check(mode & 0o077 == 0, "%s: runtime directory %s is owner-only (mode %o)" % (
                name, d, mode))
            seen = {p for _, p in unix}
            for fn in sorted(os.listdir(d)):
                p = os.path.join(d, fn)
                m = stat.S_IMODE(os.lstat(p).st_mode)
                if stat.S_ISSOCK(os.lstat(p).st_mode) and p not in seen:
                    check(m & 0o077 == 0, "%s: socket file %s is owner-only (mode %o)" % (
                        name, p, m))
    note("%s: pid %d, %d sockets: inet %s, unix %s; files: %s" % (
        name, pid, len(inodes), inet or "none",
        [p or "(unnamed)" for _, p in unix] or "none", findings))


def cmd_no_listener(args):
    with tempfile.TemporaryDirectory(prefix="twr-nl-") as tmp:
        # As the tests run it (no shared config, no telemetry) and as an operator
        # would (EAL defaults: multi-process socket and telemetry socket).
        no_listener_run(args, tmp, "test EAL options", shconf=False, telemetry=False)
        no_listener_run(args, tmp, "EAL defaults", shconf=True, telemetry=True)
    return 0


# ---------------------------------------------------------------------------

def cmd_reload(args):
    """SIGHUP under traffic: new signatures take effect for new flows, a bad rules
    file is refused with the running rules kept, no packet and no alert is lost."""
    erspan_ids = ("1000006", "1000007", "1000008")
    full = open(os.path.join(args.source, "conf", "signatures.rules")).read()
    partial = "\n".join(l for l in full.split("\n")
                        if not any(("id=%s " % i) in l for i in erspan_ids))
    with tempfile.TemporaryDirectory(prefix="twr-reload-") as tmp:
        gen = gen_dir(args, tmp, only=["erspan.pcap", "background.pcap"])
        rules = os.path.join(tmp, "live.rules")
        with open(rules, "w") as f:
            f.write(partial)
        # A table small enough for one ageing slice (256 entries) to cover it: the
        # worker only runs when the FIFO feeds it, and expired flows must go.
        conf = base_config(args, flow={"idle_timeout": 1, "table_size": 128},
                           output={"stats_interval": 1})
        conf["signatures"] = rules
        config = write_json(os.path.join(tmp, "reload.json"), conf)
        eve = os.path.join(tmp, "eve.json")
        erspan, fr_e = records_of(os.path.join(gen, "erspan.pcap"))
        bg, fr_b = records_of(os.path.join(gen, "background.pcap"))
        proc, rx, out0, out1 = start_live(args, tmp, "reload", config, eve, idle_exit=6)
        feeder = RxFeeder(rx)
        feeder.start()
        src = []
        n_reloaded = lambda p: p.stderr().count("SIGHUP: reloaded")
        try:
            # Phase 1: ERSPAN with no ERSPAN signature loaded: nothing to report.
            feeder.feed(erspan + bg)
            src += fr_e + fr_b
            check(feeder.wait_consumed(30), "reload: phase 1 read")
            time.sleep(2.5)     # the phase-1 flows expire (idle_timeout 1 s)
            # Reload with the full rules while the link is up. net_pcap on a FIFO
            # makes the worker wait in read() between chunks, so keep some
            # background flowing until the workers have taken the new rules.
            with open(rules, "w") as f:
                f.write(full)
            proc.p.send_signal(signal.SIGHUP)
            for _ in range(30):
                feeder.feed(bg)
                src += fr_b
                if proc.wait_for(lambda p: n_reloaded(p) >= 1, 0.5):
                    break
            check(n_reloaded(proc) >= 1, "reload: SIGHUP reloaded: %s" % proc.stderr()[-1500:])
            check(feeder.wait_consumed(30), "reload: background read")
            # Phase 2: the same ERSPAN sessions, now new flows: detected.
            feeder.feed(erspan + bg)
            src += fr_e + fr_b
            check(feeder.wait_consumed(30), "reload: phase 2 read")
            time.sleep(2.5)
            # A broken rules file is refused; the running rules stay in force.
            with open(rules, "w") as f:
                f.write(full + "\nsig id=1 rev=1 family=erspan severity=1 name=x "
                        "pattern=\"^(broken\"\n")
            proc.p.send_signal(signal.SIGHUP)
            check(proc.wait_for(lambda p: "running rules kept" in p.stderr(), 15),
                  "reload: a bad rules file is refused: %s" % proc.stderr()[-1500:])
            check("live.rules:" in proc.stderr(),
                  "reload: the refusal names the file and line")
            feeder.feed(bg)             # ages the phase-2 flows out
            src += fr_b
            check(feeder.wait_consumed(30), "reload: background read")
            feeder.feed(erspan + bg)
            src += fr_e + fr_b
            check(feeder.wait_consumed(30), "reload: phase 3 read")
        finally:
            feeder.close()
            rc = proc.finish(60)
            feeder.abort()
        check(rc == 0, "reload: exit 0 (got %s): %s" % (rc, proc.stderr()[-3000:]))
        got = read_pcap(out1)
        check(got == src, "reload: zero packets lost: forwarded == input (%d of %d)" % (
            len(got), len(src)))
        events = read_eve(eve)
        st = stats_of(events)
        check_accounting("reload", st)
        if st is not None:
            check(st["detect"]["alerts_dropped"] == 0, "reload: zero alerts lost")
        erspan_alerts = [a for a in alerts_of(events) if a["li"]["family"] == "erspan"]
        manifest = json.load(open(os.path.join(gen, "manifest.json")))
        n_flows = len(manifest["erspan.pcap"]["expect"])
        check(len(erspan_alerts) == 2 * n_flows,
              "reload: ERSPAN alerts only after the reload, once per flow in phases 2 and 3 "
              "(%d, want %d)" % (len(erspan_alerts), 2 * n_flows))
        note("reload: %d packets forwarded across 2 reloads (1 refused), %d ERSPAN alerts "
             "after the reload, raised %s written %s dropped %s" % (
                 len(got), len(erspan_alerts), st and st["detect"]["alerts_raised"],
                 st and st["detect"]["alerts_written"], st and st["detect"]["alerts_dropped"]))
    return 0


TESTS = {
    "truncate": cmd_truncate,
    "flood": cmd_flood,
    "storm": cmd_storm,
    "dead-sink": cmd_dead_sink,
    "sigterm": cmd_sigterm,
    "bad-inputs": cmd_bad_inputs,
    "no-listener": cmd_no_listener,
    "reload": cmd_reload,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tapwatch", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--gen", help="twgen.py output directory (default: run twgen.py)")
    ap.add_argument("--asan-tapwatch", help="ASan/UBSan tapwatch (default: $TW_ASAN_TAPWATCH)")
    ap.add_argument("test", choices=sorted(TESTS))
    args = ap.parse_args()
    args.source = os.path.abspath(args.source)
    args.tapwatch = os.path.abspath(args.tapwatch)
    t0 = time.monotonic()
    try:
        TESTS[args.test](args)
    except SystemExit as e:
        if e.code not in (None, 0, 1):
            raise
    note("%s: %.1fs" % (args.test, time.monotonic() - t0))
    print("%d passed, %d failed" % (PASSES[0], len(FAILS)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
