#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The tapwatch authors
"""End-to-end tests: run the real tapwatch binary on captures and check its EVE output.

  run_e2e.py --tapwatch BIN --source ROOT --gen DIR generated
  run_e2e.py --tapwatch BIN --source ROOT public
  run_e2e.py --tapwatch BIN --source ROOT --gen DIR inline
  run_e2e.py --tapwatch BIN --source ROOT cli

DIR is a directory written by scripts/twgen.py (pcaps + manifest.json).
Exit 0 when every check passes, 1 otherwise, 77 (meson: skipped) when an input
outside the project is missing.
"""

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile

FAILS = []
PASSES = [0]


def check(cond, what):
    if cond:
        PASSES[0] += 1
    else:
        FAILS.append(what)
        print("FAIL: " + what, flush=True)
    return cond


def run(cmd, timeout=120, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=timeout, **kw)


def read_eve(path):
    events = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError as e:
                check(False, "%s:%d: not JSON: %s" % (path, n, e))
    return events


def read_pcap(path):
    """Packet bytes of a classic pcap file, in order (no scapy: an independent reader)."""
    pkts = []
    with open(path, "rb") as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            return pkts
        magic = struct.unpack("<I", hdr[:4])[0]
        endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            _, _, caplen, _ = struct.unpack(endian + "IIII", rec)
            pkts.append(f.read(caplen))
    return pkts


def alerts_of(events):
    return [e for e in events if e.get("event_type") == "alert"]


def stats_of(events):
    st = [e for e in events if e.get("event_type") == "tapwatch_stats"]
    return st[-1]["tapwatch_stats"] if st else None


def run_offline(args, pcap, out, config=None, extra=()):
    if os.path.exists(out):
        os.unlink(out)
    cmd = [args.tapwatch, "-r", pcap, "-c", config or args.config, "-o", out, "-q"]
    cmd += list(extra)
    return run(cmd)


def eve_check(args, path):
    r = run([sys.executable, os.path.join(args.source, "scripts", "eve-check.py"), path])
    check(r.returncode == 0, "eve-check %s: %s%s" % (path, r.stdout[-2000:], r.stderr[-2000:]))


def check_accounting(name, stats):
    if not check(stats is not None, "%s: a tapwatch_stats event is written at exit" % name):
        return
    d = stats["detect"]
    check(d["alerts_pending"] == 0 and
          d["alerts_raised"] == d["alerts_written"] + d["alerts_dropped"] and
          d["alerts_dropped"] == d["alerts_dropped_ring"] + d["alerts_dropped_output"],
          "%s: alerts_raised %d == written %d + dropped %d, none pending" % (
              name, d["alerts_raised"], d["alerts_written"], d["alerts_dropped"]))


# li detail object of each family, so a generic key ("type") is read from the
# right one.
DETAIL_OF = {
    "etsi-x1": "x1", "etsi-x2x3": "x2x3", "etsi-hi": "hi", "packetcable": "packetcable",
    "cisco-tap-mib": "snmp", "juniper-dtcp": "dtcp", "jmirror": "jmirror",
    "redback-li": "redback", "erspan": "erspan", "tzsp": "tzsp", "rpcap": "rpcap",
}
NO_WARRANT_SIGS = (1099001, 1099002)


def li_value(alert, key):
    li = alert.get("li", {})
    sub = li.get(DETAIL_OF.get(li.get("family"), ""), {})
    return sub.get(key) if isinstance(sub, dict) else None


def detail_matches(alert, detail):
    for k, v in (detail or {}).items():
        got = li_value(alert, k)
        if isinstance(v, dict):
            # e.g. "inner": the subscriber's addresses; compare what is listed.
            if not isinstance(got, dict) or any(got.get(ik) != iv for ik, iv in v.items()):
                return False
        elif got != v:
            return False
    return True


def matches(alert, exp):
    li = alert.get("li", {})
    if li.get("family") != exp["family"] or li.get("authorized") != exp["authorized"]:
        return False
    if li.get("mediation_device") != exp.get("mediation_device"):
        return False
    if alert.get("src_ip") != exp["src_ip"] or alert.get("dest_ip") != exp["dest_ip"]:
        return False
    if "proto" in exp and alert.get("proto") != exp["proto"]:
        return False
    if exp.get("vlan") is not None and alert.get("vlan", [None])[0] != exp["vlan"]:
        return False
    return detail_matches(alert, exp.get("detail"))


def check_warrants(name, alerts, expect):
    """Manifest entries with "warrant": listed -> one alert saying so; missing ->
    the flow's alert says so and a no-warrant alert (1099001/2) of its own."""
    for exp in expect:
        want = exp.get("warrant")
        if want is None:
            continue
        normal = [a for a in alerts if matches(a, exp) and
                  a["alert"]["signature_id"] not in NO_WARRANT_SIGS]
        extra = [a for a in alerts if a["alert"]["signature_id"] in NO_WARRANT_SIGS and
                 a["src_ip"] == exp["src_ip"] and a["dest_ip"] == exp["dest_ip"] and
                 a.get("src_port") == exp.get("src_port") and
                 a.get("dest_port") == exp.get("dest_port")]
        check(normal and all(a["li"].get("warrant") == want for a in normal),
              "%s: %s flow %s: li.warrant == %s" % (name, exp["family"], exp.get("name"), want))
        if want == "missing":
            check(len(extra) == 1 and extra[0]["alert"]["severity"] == 1 and
                  extra[0]["li"]["authorized"] and extra[0]["li"]["warrant"] == "missing" and
                  extra[0]["alert"]["category"] == "Lawful intercept without warrant",
                  "%s: %s: one high-severity no-warrant alert: %s" % (name, exp.get("name"),
                                                                      extra))
        else:
            check(not extra, "%s: %s: no no-warrant alert for a listed task" % (
                name, exp.get("name")))


def check_expectations(name, alerts, expect):
    if any("warrant" in e for e in expect):
        check_warrants(name, alerts, expect)
        alerts = [a for a in alerts if a["alert"]["signature_id"] not in NO_WARRANT_SIGS]
    else:
        check(all("warrant" not in a["li"] for a in alerts),
              "%s: no warrant verdicts without authorized_tasks" % name)
    for a in alerts:
        check(a["alert"].get("metadata", {}).get("mitre_technique_id") == ["T1020.001"],
              "%s: alert.metadata carries the MITRE ATT&CK technique: %s" % (name, a["alert"]))
    used = set()
    for exp in expect:
        hit = [i for i, a in enumerate(alerts) if matches(a, exp)]
        check(hit, "%s: expected alert %s" % (name, json.dumps(exp, sort_keys=True)))
        used.update(hit)
    for i, a in enumerate(alerts):
        check(i in used, "%s: unexpected alert %s" % (name, json.dumps(a, sort_keys=True)))
        sev = a["alert"]["severity"]
        if a["alert"]["signature_id"] in NO_WARRANT_SIGS:
            continue
        if a["li"]["authorized"]:
            check(sev == 3 and a["alert"]["category"].startswith("Authorized"),
                  "%s: authorized LI is informational (severity 3): %s" % (name, a))
        else:
            check(sev == 1 and a["li"]["mediation_device"] is None,
                  "%s: unauthorized LI is high severity with no device: %s" % (name, a))
    keys = [(a["flow_id"], a["alert"]["signature_id"]) for a in alerts]
    check(len(keys) == len(set(keys)), "%s: one alert per flow and signature" % name)


def tasks_config(args, tmp, tasks):
    """The demo inventory (test/e2e/inline.json, plain JSON) in tap mode with a task list."""
    conf = json.load(open(os.path.join(args.source, "test", "e2e", "inline.json")))
    conf["mode"] = "tap"
    conf["signatures"] = os.path.join(args.source, "conf", "signatures.rules")
    conf["authorized_tasks"] = tasks
    path = os.path.join(tmp, "tasks.json")
    with open(path, "w") as f:
        json.dump(conf, f)
    return path


def cmd_generated(args):
    manifest = json.load(open(os.path.join(args.gen, "manifest.json")))
    with tempfile.TemporaryDirectory() as tmp:
        for pcap, info in sorted(manifest.items()):
            out = os.path.join(tmp, pcap + ".eve.json")
            config = tasks_config(args, tmp, info["tasks"]) if "tasks" in info else None
            r = run_offline(args, os.path.join(args.gen, pcap), out, config=config)
            if not check(r.returncode == 0, "%s: exit 0 (got %d): %s" % (pcap, r.returncode,
                                                                         r.stderr[-2000:])):
                continue
            events = read_eve(out)
            alerts = alerts_of(events)
            check_expectations(pcap, alerts, info["expect"])
            stats = stats_of(events)
            check_accounting(pcap, stats)
            if stats is not None and "packets" in info:
                check(stats["capture"]["rx_packets"] == info["packets"],
                      "%s: every packet processed (%d of %d)" % (
                          pcap, stats["capture"]["rx_packets"], info["packets"]))
            eve_check(args, out)
            print("%s: %d alerts, %d expected flows" % (pcap, len(alerts), len(info["expect"])))
        # The bundled README sample must stay what the generator makes.
        bundled = os.path.join(args.source, "test", "data", "sample.pcap")
        fresh = os.path.join(args.gen, "sample.pcap")
        if os.path.exists(fresh):
            check(open(bundled, "rb").read() == open(fresh, "rb").read(),
                  "test/data/sample.pcap equals a fresh twgen --seed 1 sample.pcap "
                  "(regenerate it with scripts/twgen.py --seed 1 --only sample.pcap)")


# file (relative to ../shared/captures/public) -> families tapwatch must report
# (None: no crash and exit 0 is all that is asked).
PUBLIC = {
    "tcpdump/erspan-type-i-1.pcap": {"erspan"},
    "tcpdump/erspan-type-i-2.pcap": {"erspan"},
    "tcpdump/erspan-type-i-3.pcap": {"erspan"},
    "tcpdump/erspan-type-i-4.pcap": {"erspan"},
    "tcpdump/erspan-type-ii-1.pcap": {"erspan"},
    "tcpdump/erspan-type-ii-2.pcap": {"erspan"},
    "tcpdump/erspan-type-ii-3.pcap": {"erspan"},
    "tcpdump/erspan-type-iii-ft-0.pcap": {"erspan"},
    "tcpdump/erspan-type-iii-ft-7.pcap": {"erspan"},
    "tcpdump/erspan-type-iii-pb-1.pcap": None,
    "tcpdump/vxlan.pcap": set(),
    "zeek/erspanI.pcap": {"erspan"},
    "zeek/erspanII.pcap": {"erspan"},
    "zeek/erspanIII.pcap": {"erspan"},
    "zeek/gre-erspan3-dot1q.pcap": {"erspan"},
    "zeek/erspan.pcap": set(),
    "arkime/gre-erspan.pcap": {"erspan"},
    "arkime/gre-erspan-vxlan.pcap": {"erspan"},
    "arkime/SNMPv2c_get_requests.pcap": set(),
    "lwerdna/simple_http_tzsp.pcapng": {"tzsp"},
}


def cmd_public(args):
    root = os.path.join(args.source, "..", "shared", "captures", "public")
    if not os.path.isdir(root):
        print("public captures not found at %s: skipped" % root)
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        for rel, want in sorted(PUBLIC.items()):
            out = os.path.join(tmp, rel.replace("/", "_") + ".eve.json")
            r = run_offline(args, os.path.join(root, rel), out)
            if not check(r.returncode == 0, "%s: exit 0 (got %d): %s" % (rel, r.returncode,
                                                                        r.stderr[-2000:])):
                continue
            events = read_eve(out)
            fams = {a["li"]["family"] for a in alerts_of(events)}
            if want is not None:
                check(fams == want, "%s: families %s, want %s" % (rel, sorted(fams),
                                                                 sorted(want)))
            check_accounting(rel, stats_of(events))
            eve_check(args, out)
            print("%s: %s" % (rel, sorted(fams) or "no alerts"))
    return 0


def write_empty_pcap(path):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))


def run_inline(args, tmp, name, config, pcap):
    """tapwatch inline between two net_pcap ports; returns (rc, eve events, out0, out1)."""
    empty = os.path.join(tmp, "empty.pcap")
    write_empty_pcap(empty)
    out0 = os.path.join(tmp, name + "-out0.pcap")
    out1 = os.path.join(tmp, name + "-out1.pcap")
    eve = os.path.join(tmp, name + ".eve.json")
    cmd = [args.tapwatch, "--no-huge", "-m", "512", "--no-shconf", "--no-pci", "-l", "0-1",
           "--file-prefix", "tw-e2e-%s-%d" % (name, os.getpid()), "--no-telemetry",
           "--log-level", "lib.*:error",
           "--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (pcap, out0),
           "--vdev", "net_pcap1,rx_pcap=%s,tx_pcap=%s" % (empty, out1),
           "--", "-c", config, "-o", eve, "--idle-exit", "2", "-q"]
    r = run(cmd, timeout=120)
    check(r.returncode == 0, "inline %s: exit 0 (got %d): %s" % (name, r.returncode,
                                                                 r.stderr[-3000:]))
    events = read_eve(eve) if os.path.exists(eve) else []
    return r, events, read_pcap(out0), read_pcap(out1)


def gre_to(pkt, dst):
    """True if an Ethernet frame is IPv4 GRE to dst (dotted), through VLAN/MPLS tags."""
    off, et = 12, struct.unpack("!H", pkt[12:14])[0]
    while et in (0x8100, 0x88A8, 0x9100):
        off += 4
        et = struct.unpack("!H", pkt[off:off + 2])[0]
    off += 2
    if et == 0x8847:
        while not pkt[off + 2] & 1:
            off += 4
        off += 4
        et = 0x0800 if pkt[off] >> 4 == 4 else 0
    if et != 0x0800:
        return False
    return pkt[off + 9] == 47 and ".".join(str(b) for b in pkt[off + 16:off + 20]) == dst


def cmd_inline(args):
    pcap = os.path.join(args.gen, "sample.pcap")
    manifest = json.load(open(os.path.join(args.gen, "manifest.json")))
    src = read_pcap(pcap)
    conf_dir = os.path.join(args.source, "test", "e2e")
    with tempfile.TemporaryDirectory() as tmp:
        # Bump in the wire: everything received on port 0 leaves on port 1, unchanged.
        r, events, out0, out1 = run_inline(args, tmp, "fwd", os.path.join(conf_dir,
                                                                         "inline.json"), pcap)
        check(len(out1) == len(src), "inline: %d packets forwarded of %d" % (len(out1), len(src)))
        check(out1 == src, "inline: forwarded capture equals the input, packet for packet")
        check(out0 == [], "inline: nothing sent back out of the receiving port")
        alerts = alerts_of(events)
        check_expectations("inline sample.pcap", alerts, manifest["sample.pcap"]["expect"])
        stats = stats_of(events)
        check_accounting("inline", stats)
        if stats is not None:
            check(stats["capture"]["tx_packets"] == len(src) and
                  stats["capture"]["tx_dropped"] == 0 and
                  stats["capture"]["blocked_packets"] == 0,
                  "inline: tx counters %s" % stats["capture"])
        eve_check(args, os.path.join(tmp, "fwd.eve.json"))

        # Block action: only the unauthorized ERSPAN flow's packets are withheld.
        r, events, out0, out1 = run_inline(args, tmp, "block",
                                           os.path.join(conf_dir, "inline-block.json"), pcap)
        rogue = [e["dest_ip"] for e in manifest["sample.pcap"]["expect"]
                 if e["family"] == "erspan" and not e["authorized"]]
        check(len(rogue) > 0, "sample.pcap has an unauthorized ERSPAN flow")
        want = [p for p in src if not any(gre_to(p, d) for d in rogue)]
        check(len(want) < len(src), "block test drops something")
        check(out1 == want, "inline block: forwarded = input minus the blocked flow "
              "(%d of %d, want %d)" % (len(out1), len(src), len(want)))
        blocked = [a for a in alerts_of(events) if a["alert"]["action"] == "blocked"]
        check(blocked and all(a["li"]["family"] == "erspan" and not a["li"]["authorized"]
                              for a in blocked), "inline block: blocked alerts are the "
              "unauthorized ERSPAN ones: %s" % blocked)
        stats = stats_of(events)
        if stats is not None:
            check(stats["capture"]["blocked_packets"] == len(src) - len(want),
                  "inline block: blocked_packets %d == %d" % (
                      stats["capture"]["blocked_packets"], len(src) - len(want)))
    return 0


def cmd_cli(args):
    tw = args.tapwatch
    r = run([tw, "--help"])
    check(r.returncode == 0 and "--read-pcap" in r.stdout, "--help exits 0 and lists options")
    r = run([tw, "--version"])
    check(r.returncode == 0 and r.stdout.startswith("tapwatch "), "--version")
    r = run([tw, "--bogus"])
    check(r.returncode == 1 and "unknown option" in r.stderr, "unknown option is an error")
    r = run([tw, "-c", args.config, "--check-config"])
    check(r.returncode == 0 and "configuration OK" in r.stdout and "md-core" in r.stdout and
          "etsi-x2x3" in r.stdout, "--check-config on the demo config: %s%s" % (r.stdout,
                                                                               r.stderr))
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            f.write('{\n  "mode": "inline",\n  "flow": {"table_sise": 10}\n}\n')
        r = run([tw, "-c", bad, "--check-config"])
        check(r.returncode == 1 and "table_sise" in r.stderr and bad in r.stderr,
              "--check-config names the bad key and file: %s" % r.stderr)
        rules = os.path.join(tmp, "bad.rules")
        with open(rules, "w") as f:
            f.write("# comment\nsig id=1 rev=1 family=erspan severity=1 name=x "
                    "pattern=\"^(unclosed\"\n")
        cfg = os.path.join(tmp, "rules.json")
        with open(cfg, "w") as f:
            json.dump({"signatures": rules}, f)
        r = run([tw, "-c", cfg, "--check-config"])
        check(r.returncode == 1 and (rules + ":2:") in r.stderr,
              "bad signature pattern reported with file:line: %s" % r.stderr)
        r = run([tw, "-c", args.config, "-r", os.path.join(tmp, "missing.pcap"), "-o", "-"])
        check(r.returncode == 1 and "missing.pcap" in r.stderr, "missing capture is an error")
        junk = os.path.join(tmp, "junk.pcap")
        with open(junk, "wb") as f:
            f.write(b"this is not a capture at all\n" * 10)
        r = run([tw, "-c", args.config, "-r", junk, "-o", "-"])
        check(r.returncode == 1 and "junk.pcap" in r.stderr, "non-pcap input is an error")
        # A capture cut in the middle of a record: keep what was read, exit 0.
        sample = open(os.path.join(args.source, "test", "data", "sample.pcap"), "rb").read()
        cut = os.path.join(tmp, "cut.pcap")
        with open(cut, "wb") as f:
            f.write(sample[:len(sample) // 2 + 7])
        out = os.path.join(tmp, "cut.eve.json")
        r = run([tw, "-c", args.config, "-r", cut, "-o", out])
        check(r.returncode == 0 and "warning" in r.stderr, "truncated capture: warning, exit 0")
        check_accounting("cut.pcap", stats_of(read_eve(out)))
        # Unsupported link type (DLT_NULL = 0).
        nul = os.path.join(tmp, "null.pcap")
        with open(nul, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 0))
        r = run([tw, "-c", args.config, "-r", nul, "-o", "-"])
        check(r.returncode == 1 and "link type" in r.stderr, "unsupported link type: %s" %
              r.stderr)
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tapwatch", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--gen")
    ap.add_argument("--config")
    ap.add_argument("what", choices=["generated", "public", "inline", "cli"])
    args = ap.parse_args()
    args.source = os.path.abspath(args.source)
    if args.config is None:
        args.config = os.path.join(args.source, "conf", "demo.json")
    rc = {"generated": cmd_generated, "public": cmd_public, "inline": cmd_inline,
          "cli": cmd_cli}[args.what](args)
    if rc == 77:
        return 77
    print("%d passed, %d failed" % (PASSES[0], len(FAILS)))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
