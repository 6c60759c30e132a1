#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The tapwatch authors
"""Output tests: tapwatch's outputs against real servers on this machine.

  outputs.py --tapwatch BIN --source ROOT --gen DIR TEST

  all        offline, seven outputs at once: file, unix stream and unix dgram (Python
             listeners), syslog over UDP and over TCP (a real rsyslogd), Redis list
             over TCP and Redis stream over a unix socket (a real redis-server).
             Every output gets exactly the file's events (same JSON), the RFC 5424
             headers are right, and every output's stats say so.
  slow       offline, one unix stream listener that never reads, with a 64 KiB
             buffer: the other outputs get everything, its drops are counted, and
             what it has is exactly the alerts it counts as written.
  dead       offline, outputs whose servers are not there: exit 0 in bounded time,
             the file output complete, the others' alerts counted as dropped.
  reconnect  live (net_pcap), Redis comes up a second after tapwatch: the alerts
             queued meanwhile are delivered after the reconnect.
  logrotate  live (net_pcap), the file output is renamed and SIGHUP sent: tapwatch
             writes on into a new file at the configured path.

DIR is a scripts/twgen.py output directory (sample.pcap). Servers listen on
127.0.0.1 ephemeral ports and on unix sockets in a temporary directory. Exit 0
when every check passes, 1 otherwise, 77 (skipped) when rsyslogd or redis-server
is not installed.
"""

import argparse
import collections
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

FAILS = []
PASSES = [0]
RSYSLOGD = "/usr/sbin/rsyslogd"
REDIS_SERVER = "/usr/bin/redis-server"


def check(cond, what):
    if cond:
        PASSES[0] += 1
    else:
        FAILS.append(what)
        print("FAIL: " + what, flush=True)
    return cond


def note(msg):
    print(msg, flush=True)


def free_port(kind):
    """An ephemeral port on 127.0.0.1 that was free a moment ago."""
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_until(pred, timeout, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(step)
    return pred()


def lines_of(path):
    if not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        return [ln.decode("utf-8", "replace") for ln in f.read().split(b"\n") if ln]


def events_of(lines):
    out = []
    for ln in lines:
        try:
            out.append(json.loads(ln))
        except ValueError:
            check(False, "not JSON: %r" % ln[:200])
    return out


def alert_lines(lines):
    return [ln for ln in lines if '"event_type":"alert"' in ln]


def final_stats(lines):
    st = [e for e in events_of(lines) if e.get("event_type") == "tapwatch_stats"]
    return st[-1]["tapwatch_stats"] if st else None


def check_accounting(name, stats):
    if not check(stats is not None, "%s: a tapwatch_stats event is written at exit" % name):
        return
    d = stats["detect"]
    check(d["alerts_pending"] == 0 and
          d["alerts_raised"] == d["alerts_written"] + d["alerts_dropped"] and
          d["alerts_dropped"] == d["alerts_dropped_ring"] + d["alerts_dropped_output"],
          "%s: alerts_raised %d == written %d + dropped %d, none pending" % (
              name, d["alerts_raised"], d["alerts_written"], d["alerts_dropped"]))


def output_stats(stats, target):
    for o in (stats or {}).get("outputs", []):
        if o["target"] == target:
            return o
    check(False, "stats.outputs has %s: %s" % (target, (stats or {}).get("outputs")))
    return {"written": -1, "dropped": -1, "pending": -1, "errors": -1, "connected": None}


def replicate(src, dst, copies):
    """copies of a classic pcap, the IPv4 addresses of copy k moved by k in their second
    and last octet... so every copy's flows are new flows (tapwatch checks no IP checksums)."""
    data = open(src, "rb").read()
    endian = "<" if struct.unpack("<I", data[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    recs, off = [], 24
    while off + 16 <= len(data):
        s, us, cl, ol = struct.unpack(endian + "IIII", data[off:off + 16])
        recs.append((s, us, ol, data[off + 16:off + 16 + cl]))
        off += 16 + cl
    out = [data[:24]]
    for k in range(copies):
        for s, us, ol, b in recs:
            if k > 0:
                if len(b) < 34 or b[12:14] != b"\x08\x00":
                    continue
                b = bytearray(b)
                b[27] = (b[27] + k) % 256
                b[31] = (b[31] + k) % 256
                b = bytes(b)
            out.append(struct.pack(endian + "IIII", s + k, us, len(b), ol))
            out.append(b)
    with open(dst, "wb") as f:
        f.write(b"".join(out))


def base_config(args, outputs, stats_interval=0, live=False):
    """The e2e inventory (test/e2e/inline.json) in tap mode with these outputs."""
    conf = json.load(open(os.path.join(args.source, "test", "e2e", "inline.json")))
    conf["mode"] = "tap"
    conf["signatures"] = os.path.join(args.source, "conf", "signatures.rules")
    conf["output"] = {"stats_interval": stats_interval}
    conf["outputs"] = outputs
    if live:
        conf["dpdk"] = {"tap_ports": [0], "workers": 1, "rx_descriptors": 512,
                        "tx_descriptors": 512, "mempool_size": 4095,
                        "mempool_cache_size": 64}
    else:
        conf.pop("dpdk", None)
    return conf


def write_config(tmp, name, conf):
    path = os.path.join(tmp, name + ".json")
    with open(path, "w") as f:
        json.dump(conf, f, indent=1)
    return path


def run_offline(args, pcap, config, timeout=120):
    """tapwatch -r; returns (CompletedProcess with .pid, seconds it took)."""
    t0 = time.monotonic()
    p = subprocess.Popen([args.tapwatch, "-r", pcap, "-c", config, "-q"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
    r = subprocess.CompletedProcess(p.args, p.returncode, out, err)
    r.pid = p.pid
    return r, time.monotonic() - t0


def start_live(args, tmp, name, pcap, config, idle_exit):
    out = os.path.join(tmp, name + "-tx.pcap")
    cmd = [args.tapwatch, "--no-huge", "-m", "512", "--no-shconf", "--no-pci", "-l", "0-1",
           "--file-prefix", "tw-out-%s-%d" % (name, os.getpid()), "--no-telemetry",
           "--log-level", "lib.*:error",
           "--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (pcap, out),
           "--", "-c", config, "--idle-exit", str(idle_exit), "-q"]
    errf = open(os.path.join(tmp, name + ".stderr"), "w+")
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errf, text=True), errf


def finish_live(p, errf, timeout=60):
    try:
        rc = p.wait(timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = p.wait()
    errf.seek(0)
    return rc, errf.read()


# ---------------------------------------------------------------------------
# servers
# ---------------------------------------------------------------------------

class Rsyslog:
    """rsyslogd -n with imudp and imtcp on 127.0.0.1: each input writes the raw MSG
    of every message to <name>.msg and its RFC 5424 header fields to <name>.hdr."""

    def __init__(self, tmp):
        self.dir = os.path.join(tmp, "rsyslog")
        os.mkdir(self.dir)
        self.udp_port = free_port(socket.SOCK_DGRAM)
        self.tcp_port = free_port(socket.SOCK_STREAM)
        self.conf = os.path.join(self.dir, "rsyslog.conf")
        self.pid = os.path.join(self.dir, "rsyslogd.pid")
        with open(self.conf, "w") as f:
            f.write("""
global(workDirectory="{d}" maxMessageSize="64k")
module(load="imudp")
module(load="imtcp")
template(name="msg" type="string" string="%msg%\\n")
template(name="hdr" type="string"
         string="%pri% %protocol-version% %hostname% %app-name% %procid% %msgid% %structured-data% %timereported:::date-rfc3339%\\n")
ruleset(name="udp") {{
    action(type="omfile" file="{d}/udp.msg" template="msg")
    action(type="omfile" file="{d}/udp.hdr" template="hdr")
}}
ruleset(name="tcp") {{
    action(type="omfile" file="{d}/tcp.msg" template="msg")
    action(type="omfile" file="{d}/tcp.hdr" template="hdr")
}}
input(type="imudp" address="127.0.0.1" port="{u}" ruleset="udp")
input(type="imtcp" address="127.0.0.1" port="{t}" ruleset="tcp")
""".format(d=self.dir, u=self.udp_port, t=self.tcp_port))
        self.err = open(os.path.join(self.dir, "stderr"), "w+")
        self.p = subprocess.Popen([RSYSLOGD, "-n", "-f", self.conf, "-i", self.pid],
                                  stdout=self.err, stderr=subprocess.STDOUT)

    def ready(self, timeout=15):
        """Probe both inputs until a message comes out of each (probes say "probe")."""
        def probed(kind):
            return any(ln == "probe" for ln in lines_of(os.path.join(self.dir, kind + ".msg")))
        deadline = time.monotonic() + timeout
        msg = b"<14>1 - probe - - - - probe"
        while time.monotonic() < deadline and self.p.poll() is None:
            if not probed("udp"):
                u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                u.sendto(msg, ("127.0.0.1", self.udp_port))
                u.close()
            if not probed("tcp"):
                try:
                    t = socket.create_connection(("127.0.0.1", self.tcp_port), timeout=1)
                    t.sendall(b"%d %s" % (len(msg), msg))
                    t.close()
                except OSError:
                    pass
            if wait_until(lambda: probed("udp") and probed("tcp"), 0.3):
                return True
        return False

    def messages(self, kind):
        """MSG of every message but the probes, and the header lines likewise."""
        msgs = [ln for ln in lines_of(os.path.join(self.dir, kind + ".msg")) if ln != "probe"]
        hdrs = [ln for ln in lines_of(os.path.join(self.dir, kind + ".hdr"))
                if " probe " not in ln]
        return msgs, hdrs

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.err.seek(0)
        return self.err.read()


class Redis:
    """redis-server on a 127.0.0.1 port (or none) and a unix socket, no persistence."""

    def __init__(self, tmp, port=None, start=True):
        self.dir = os.path.join(tmp, "redis-%d" % (port or 0))
        os.makedirs(self.dir, exist_ok=True)
        self.port = port if port is not None else free_port(socket.SOCK_STREAM)
        self.sock = os.path.join(self.dir, "redis.sock")
        self.p = None
        if start:
            self.start()

    def start(self):
        self.err = open(os.path.join(self.dir, "log"), "w+")
        self.p = subprocess.Popen([REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                                   "--unixsocket", self.sock, "--unixsocketperm", "700",
                                   "--save", "", "--appendonly", "no", "--dir", self.dir,
                                   "--daemonize", "no"],
                                  stdout=self.err, stderr=subprocess.STDOUT)

    def ready(self, timeout=15):
        def ping():
            try:
                return self.cmd("PING") == "PONG"
            except OSError:
                return False
        return wait_until(ping, timeout, 0.1)

    def cmd(self, *args):
        """One command over TCP, RESP by hand (no client library needed)."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        try:
            req = b"*%d\r\n" % len(args)
            for a in args:
                a = a.encode() if isinstance(a, str) else a
                req += b"$%d\r\n%s\r\n" % (len(a), a)
            s.sendall(req)
            return resp_read(s.makefile("rb"))
        finally:
            s.close()

    def stop(self):
        if self.p is not None and self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def resp_read(f):
    line = f.readline()
    if not line:
        raise OSError("redis closed the connection")
    kind, rest = line[:1], line[1:-2]
    if kind == b"+":
        return rest.decode()
    if kind == b"-":
        raise RuntimeError(rest.decode())
    if kind == b":":
        return int(rest)
    if kind == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)[:-2]
        return data.decode()
    if kind == b"*":
        n = int(rest)
        return None if n < 0 else [resp_read(f) for _ in range(n)]
    raise OSError("bad RESP line %r" % line)


class UnixListener(threading.Thread):
    """A listening unix socket. stream: accepts connections and reads lines from each
    (read=False: accepts and never reads until drain()); dgram: one event per datagram."""

    def __init__(self, path, dgram=False, read=True):
        super().__init__(daemon=True)
        self.path = path
        self.dgram = dgram
        self.read = read
        self.stop = threading.Event()
        self.data = []          # bytes per connection, or datagrams
        self.conns = []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM if dgram
                                  else socket.SOCK_STREAM)
        self.sock.bind(path)
        if not dgram:
            self.sock.listen(4)
        self.sock.settimeout(0.1)

    def run(self):
        while not self.stop.is_set():
            try:
                if self.dgram:
                    self.data.append(self.sock.recv(1 << 20))
                    continue
                c, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            self.conns.append(c)
            self.data.append(b"")
            if self.read:
                threading.Thread(target=self._read, args=(c, len(self.data) - 1),
                                 daemon=True).start()

    def _read(self, c, i):
        c.settimeout(0.1)
        while not self.stop.is_set():
            try:
                b = c.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                break
            if not b:
                break
            self.data[i] += b

    def drain(self):
        """Read what the connections that were never read hold now."""
        for i, c in enumerate(self.conns):
            c.setblocking(False)
            while True:
                try:
                    b = c.recv(1 << 20)
                except (BlockingIOError, OSError):
                    break
                if not b:
                    break
                self.data[i] += b

    def lines(self):
        if self.dgram:
            return [d.decode("utf-8", "replace") for d in self.data]
        out = []
        for d in self.data:
            out += [ln.decode("utf-8", "replace") for ln in d.split(b"\n")[:-1]]
        return out

    def close(self):
        self.stop.set()
        self.join(5)
        for c in self.conns:
            c.close()
        self.sock.close()


# ---------------------------------------------------------------------------
# tests
# ---------------------------------------------------------------------------

SEVERITY = {1: 2, 2: 3, 3: 5}       # alert severity -> syslog severity (README)
LOCAL5 = 21


def check_syslog_headers(name, hdrs, events, hostname, pid):
    """PRI from the alert severity, VERSION 1, the configured fields, no SD."""
    sevs = collections.Counter()
    for e in events:
        sev = SEVERITY.get(e["alert"]["severity"], 4) if e["event_type"] == "alert" else 6
        msgid = "alert" if e["event_type"] == "alert" else "stats"
        sevs["%d %s" % (LOCAL5 * 8 + sev, msgid)] += 1
    got = collections.Counter()
    bad = []
    for h in hdrs:
        f = h.split(" ")
        if len(f) != 8 or f[1] != "1" or f[3] != "tapwatch" or f[4] != str(pid) or \
                f[6] != "-" or (hostname is not None and f[2] != hostname):
            bad.append(h)
        got["%s %s" % (f[0], f[5] if len(f) > 5 else "")] += 1
    check(not bad, "%s: headers have VERSION 1, the host, APP-NAME tapwatch, PROCID %d, "
          "no SD: %s" % (name, pid, bad[:3]))
    check(got == sevs, "%s: PRI and MSGID per event (local5, severity from the alert): "
          "%s, want %s" % (name, dict(got), dict(sevs)))


def cmd_all(args):
    with tempfile.TemporaryDirectory(prefix="tw-outputs-") as tmp:
        rs = Rsyslog(tmp)
        rd = Redis(tmp)
        ustream = UnixListener(os.path.join(tmp, "eve.sock"))
        udgram = UnixListener(os.path.join(tmp, "eve-dgram.sock"), dgram=True)
        ustream.start()
        udgram.start()
        try:
            if not check(rs.ready(), "rsyslogd is up: %s" % rs.stop() if rs.p.poll() is not None
                         else "rsyslogd is up"):
                return 0
            if not check(rd.ready(), "redis-server is up"):
                return 0
            eve = os.path.join(tmp, "eve.json")
            outputs = [
                {"type": "file", "path": eve},
                {"type": "unix", "path": ustream.path},
                {"type": "unix", "path": udgram.path, "mode": "dgram"},
                {"type": "syslog", "server": "127.0.0.1", "port": rs.udp_port,
                 "transport": "udp", "facility": "local5", "hostname": "tw-probe-1"},
                {"type": "syslog", "server": "127.0.0.1", "port": rs.tcp_port,
                 "transport": "tcp", "facility": "local5"},
                {"type": "redis", "server": "127.0.0.1", "port": rd.port, "mode": "list",
                 "key": "tw:list"},
                {"type": "redis", "server": rd.sock, "mode": "stream", "key": "tw:stream",
                 "maxlen": 100000},
            ]
            config = write_config(tmp, "all", base_config(args, outputs))
            r, took = run_offline(args, os.path.join(args.gen, "sample.pcap"), config)
            if not check(r.returncode == 0, "all: exit 0 (got %d): %s" % (r.returncode,
                                                                         r.stderr[-3000:])):
                return 0
            ref = lines_of(eve)
            ref_alerts = alert_lines(ref)
            stats = final_stats(ref)
            check_accounting("all", stats)
            check(len(ref_alerts) > 10, "all: the file has the alerts (%d)" % len(ref_alerts))
            check(len(ref) == len(ref_alerts) + 1, "all: the file has the alerts and one "
                  "stats event (%d lines)" % len(ref))
            n = len(ref_alerts)
            # Everything has been handed over when tapwatch exits; servers may still be
            # writing it down.
            got = {}
            got["unix stream"] = lambda: ustream.lines()
            got["unix dgram"] = lambda: [ln[:-1] if ln.endswith("\n") else ln
                                         for ln in udgram.lines()]
            got["syslog udp"] = lambda: rs.messages("udp")[0]
            got["syslog tcp"] = lambda: rs.messages("tcp")[0]
            got["redis list"] = lambda: rd.cmd("LRANGE", "tw:list", "0", "-1")
            got["redis stream"] = lambda: [e[1][1] for e in rd.cmd("XRANGE", "tw:stream",
                                                                   "-", "+")]
            for name, fetch in got.items():
                wait_until(lambda: len(fetch()) >= len(ref), 10, 0.1)
                lines = fetch()
                if name.startswith("syslog"):
                    # rsyslog's queue may reorder: the same events, each once.
                    check(collections.Counter(lines) == collections.Counter(ref),
                          "all: %s received exactly the file's %d events (got %d)" % (
                              name, len(ref), len(lines)))
                else:
                    check(lines == ref, "all: %s received exactly the file's %d events, in "
                          "order (got %d)" % (name, len(ref), len(lines)))
                note("all: %s: %d events (%d alerts)" % (name, len(lines),
                                                          len(alert_lines(lines))))
            check(udgram.data and all(d.endswith(b"\n") and d.count(b"\n") == 1
                                      for d in udgram.data),
                  "all: unix dgram: one EVE line per datagram")
            stream = rd.cmd("XRANGE", "tw:stream", "-", "+")
            check(all(len(e[1]) == 2 and e[1][0] == "event" for e in stream),
                  "all: redis stream entries are {event: <json>}")
            check(rd.cmd("TYPE", "tw:list") == "list" and rd.cmd("TYPE", "tw:stream") == "stream",
                  "all: redis key types list and stream")
            ev = events_of(ref)
            pid = r.pid
            _, hdr_udp = rs.messages("udp")
            _, hdr_tcp = rs.messages("tcp")
            check_syslog_headers("all: syslog udp", hdr_udp, ev, "tw-probe-1", pid)
            check_syslog_headers("all: syslog tcp", hdr_tcp, ev, socket.gethostname(), pid)
            targets = {
                eve: "file", "stream:" + ustream.path: "unix", "dgram:" + udgram.path: "unix",
                "udp:127.0.0.1:%d" % rs.udp_port: "syslog",
                "tcp:127.0.0.1:%d" % rs.tcp_port: "syslog",
                "list:tw:list@127.0.0.1:%d" % rd.port: "redis",
                "stream:tw:stream@%s" % rd.sock: "redis",
            }
            check(stats is not None and len(stats.get("outputs", [])) == len(outputs),
                  "all: stats.outputs has the %d outputs" % len(outputs))
            for target, typ in targets.items():
                o = output_stats(stats, target)
                check(o.get("type") == typ and o["written"] == n and o["dropped"] == 0 and
                      o["pending"] == 0 and o["errors"] == 0 and o["connected"] is True,
                      "all: stats of %s %s: written %d of %d, nothing dropped, pending or "
                      "failed, connected: %s" % (typ, target, o["written"], n, o))
            note("all: %d alerts to 7 outputs in %.2f s" % (n, took))
        finally:
            ustream.close()
            udgram.close()
            rd.stop()
            rs.stop()
    return 0


def cmd_slow(args):
    with tempfile.TemporaryDirectory(prefix="tw-outputs-") as tmp:
        pcap = os.path.join(tmp, "many.pcap")
        replicate(os.path.join(args.gen, "sample.pcap"), pcap, 40)
        rd = Redis(tmp)
        stuck = UnixListener(os.path.join(tmp, "stuck.sock"), read=False)
        udgram = UnixListener(os.path.join(tmp, "eve-dgram.sock"), dgram=True)
        stuck.start()
        udgram.start()
        try:
            if not check(rd.ready(), "redis-server is up"):
                return 0
            eve = os.path.join(tmp, "eve.json")
            outputs = [
                {"type": "file", "path": eve},
                {"type": "unix", "path": stuck.path, "buffer_size": 65536},
                {"type": "unix", "path": udgram.path, "mode": "dgram"},
                {"type": "redis", "server": "127.0.0.1", "port": rd.port, "key": "tw:slow"},
            ]
            config = write_config(tmp, "slow", base_config(args, outputs))
            r, took = run_offline(args, pcap, config)
            if not check(r.returncode == 0, "slow: exit 0 (got %d): %s" % (r.returncode,
                                                                          r.stderr[-3000:])):
                return 0
            ref = lines_of(eve)
            ref_alerts = alert_lines(ref)
            n = len(ref_alerts)
            stats = final_stats(ref)
            check_accounting("slow", stats)
            check(stats is not None and stats["detect"]["alerts_raised"] == n and n >= 900,
                  "slow: the file has every alert raised (%d)" % n)
            check(took < 30, "slow: a stuck output holds tapwatch up for a bounded time "
                  "(%.1f s)" % took)
            wait_until(lambda: len(udgram.lines()) >= len(ref), 10, 0.1)
            dg = [ln.rstrip("\n") for ln in udgram.lines()]
            check(dg == ref, "slow: unix dgram got all %d events (%d)" % (len(ref), len(dg)))
            wait_until(lambda: len(rd.cmd("LRANGE", "tw:slow", "0", "-1")) >= len(ref), 10, 0.1)
            rl = rd.cmd("LRANGE", "tw:slow", "0", "-1")
            check(rl == ref, "slow: redis got all %d events (%d)" % (len(ref), len(rl)))
            o = output_stats(stats, "stream:" + stuck.path)
            check(o["dropped"] > 0 and o["written"] + o["dropped"] == n and o["pending"] == 0,
                  "slow: the stuck output's alerts are written or dropped, none pending: "
                  "written %d + dropped %d == %d" % (o["written"], o["dropped"], n))
            for t in (eve, "dgram:" + udgram.path, "list:tw:slow@127.0.0.1:%d" % rd.port):
                s = output_stats(stats, t)
                check(s["written"] == n and s["dropped"] == 0,
                      "slow: %s unaffected: written %d of %d, dropped %d: %s; %s" % (
                          t, s["written"], n, s["dropped"], s, r.stderr[-2000:]))
            # What the stuck listener holds: whole lines for exactly the alerts counted
            # as written, the file's first ones (then at most a cut-off line).
            stuck.drain()
            got = [ln for ln in stuck.lines()]
            got_alerts = alert_lines(got)
            check(got_alerts == ref_alerts[:o["written"]],
                  "slow: the stuck listener holds exactly the %d alerts counted as written "
                  "(%d whole alert lines, the file's first ones)" % (o["written"],
                                                                     len(got_alerts)))
            note("slow: %d alerts; stuck output written %d dropped %d errors %d in %.1f s" % (
                n, o["written"], o["dropped"], o["errors"], took))
        finally:
            stuck.close()
            udgram.close()
            rd.stop()
    return 0


def cmd_dead(args):
    with tempfile.TemporaryDirectory(prefix="tw-outputs-") as tmp:
        eve = os.path.join(tmp, "eve.json")
        nobody = free_port(socket.SOCK_STREAM)
        outputs = [
            {"type": "file", "path": eve},
            {"type": "unix", "path": os.path.join(tmp, "nobody.sock")},
            {"type": "syslog", "server": "127.0.0.1", "port": nobody, "transport": "tcp"},
            {"type": "redis", "server": "127.0.0.1", "port": nobody},
        ]
        config = write_config(tmp, "dead", base_config(args, outputs))
        r, took = run_offline(args, os.path.join(args.gen, "sample.pcap"), config)
        check(r.returncode == 0, "dead: exit 0 (got %d): %s" % (r.returncode, r.stderr[-3000:]))
        ref = lines_of(eve)
        n = len(alert_lines(ref))
        stats = final_stats(ref)
        check_accounting("dead", stats)
        check(n > 10 and stats is not None and stats["detect"]["alerts_written"] == n,
              "dead: the file output has every alert (%d)" % n)
        check(took < 15, "dead: dead outputs hold the exit for a bounded time (%.1f s)" % took)
        for t in ("stream:" + os.path.join(tmp, "nobody.sock"), "tcp:127.0.0.1:%d" % nobody,
                  "list:tapwatch@127.0.0.1:%d" % nobody):
            o = output_stats(stats, t)
            check(o["written"] == 0 and o["dropped"] == n and o["pending"] == 0 and
                  o["errors"] >= 1 and o["connected"] is False,
                  "dead: %s: all %d alerts dropped, errors counted, not connected: %s" % (
                      t, n, o))
        check("cannot connect" in r.stderr, "dead: the failed connections are reported: %s" %
              r.stderr[-1000:])
        # A host name instead of an address is a config error naming the key.
        bad = write_config(tmp, "bad", base_config(args, [
            {"type": "syslog", "server": "siem.example.org"}]))
        r = subprocess.run([args.tapwatch, "-c", bad, "--check-config"], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=30)
        check(r.returncode == 1 and "outputs[0].server" in r.stderr,
              "dead: a syslog host name is refused with its key path: %s" % r.stderr)
        note("dead: %d alerts, exit after %.1f s" % (n, took))
    return 0


def cmd_reconnect(args):
    with tempfile.TemporaryDirectory(prefix="tw-outputs-") as tmp:
        rd = Redis(tmp, start=False)
        eve = os.path.join(tmp, "eve.json")
        outputs = [
            {"type": "file", "path": eve},
            {"type": "redis", "server": "127.0.0.1", "port": rd.port, "mode": "stream",
             "key": "tw:late"},
        ]
        config = write_config(tmp, "reconnect", base_config(args, outputs, live=True))
        p, errf = start_live(args, tmp, "reconnect", os.path.join(args.gen, "sample.pcap"),
                             config, idle_exit=5)
        try:
            # The alerts are raised while Redis is down; it comes up a second later.
            wait_until(lambda: len(alert_lines(lines_of(eve))) > 10, 20)
            n_early = len(alert_lines(lines_of(eve)))
            time.sleep(1)
            rd.start()
            check(rd.ready(), "redis-server is up")
            rc, err = finish_live(p, errf, 60)
            check(rc == 0, "reconnect: exit 0 (got %d): %s" % (rc, err[-3000:]))
            ref = lines_of(eve)
            n = len(alert_lines(ref))
            stats = final_stats(ref)
            check_accounting("reconnect", stats)
            check(n_early == n and n > 10, "reconnect: every alert was raised before Redis came "
                  "up (%d of %d)" % (n_early, n))
            got = [e[1][1] for e in rd.cmd("XRANGE", "tw:late", "-", "+")]
            check(alert_lines(got) == alert_lines(ref),
                  "reconnect: Redis got the %d alerts queued while it was down (%d)" % (
                      n, len(alert_lines(got))))
            o = output_stats(stats, "stream:tw:late@127.0.0.1:%d" % rd.port)
            check(o["written"] == n and o["dropped"] == 0 and o["errors"] >= 1 and
                  o["connected"] is True,
                  "reconnect: redis output written %d of %d, connect errors counted, "
                  "connected: %s" % (o["written"], n, o))
            check("connected again" in err, "reconnect: the reconnection is reported: %s" %
                  err[-1000:])
            note("reconnect: %d alerts delivered after the reconnect; errors %d" % (
                n, o["errors"]))
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
            rd.stop()
    return 0


def cmd_logrotate(args):
    with tempfile.TemporaryDirectory(prefix="tw-outputs-") as tmp:
        eve = os.path.join(tmp, "eve.json")
        config = write_config(tmp, "rotate", base_config(args, [{"type": "file", "path": eve}],
                                                         stats_interval=1, live=True))
        p, errf = start_live(args, tmp, "rotate", os.path.join(args.gen, "sample.pcap"),
                             config, idle_exit=4)
        try:
            check(wait_until(lambda: len(alert_lines(lines_of(eve))) > 10, 20),
                  "logrotate: alerts in the file")
            time.sleep(0.3)
            # What logrotate does with postrotate (scripts/logrotate.tapwatch).
            os.rename(eve, eve + ".1")
            p.send_signal(signal.SIGHUP)
            check(wait_until(lambda: os.path.exists(eve), 5),
                  "logrotate: SIGHUP makes tapwatch create the file again")
            rc, err = finish_live(p, errf, 60)
            check(rc == 0, "logrotate: exit 0 (got %d): %s" % (rc, err[-3000:]))
            old, new = lines_of(eve + ".1"), lines_of(eve)
            check(len(alert_lines(old)) > 10 and not alert_lines(new),
                  "logrotate: the alerts stay in the rotated file (%d), none in the new" % (
                      len(alert_lines(old))))
            stats = final_stats(new)
            check_accounting("logrotate", stats)
            check(stats is not None and stats["detect"]["alerts_written"] ==
                  len(alert_lines(old)), "logrotate: the final stats, in the new file, count "
                  "the alerts of the rotated one")
            check(all(e.get("event_type") for e in events_of(old + new)),
                  "logrotate: whole JSON lines in both files")
            note("logrotate: %d alerts in eve.json.1, %d events in the new eve.json" % (
                len(alert_lines(old)), len(new)))
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tapwatch", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--gen", required=True)
    ap.add_argument("what", choices=["all", "slow", "dead", "reconnect", "logrotate"])
    args = ap.parse_args()
    args.source = os.path.abspath(args.source)
    needs = {"all": [RSYSLOGD, REDIS_SERVER], "slow": [REDIS_SERVER],
             "reconnect": [REDIS_SERVER]}.get(args.what, [])
    missing = [n for n in needs if not os.path.exists(n)]
    if missing:
        print("%s not installed (scripts/setup installs them): skipped" % ", ".join(missing))
        return 77
    rc = {"all": cmd_all, "slow": cmd_slow, "dead": cmd_dead, "reconnect": cmd_reconnect,
          "logrotate": cmd_logrotate}[args.what](args)
    if rc == 77:
        return 77
    print("%d passed, %d failed" % (PASSES[0], len(FAILS)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
