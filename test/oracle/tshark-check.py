#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The tapwatch authors
"""tshark-check.py: confirm a twgen.py output directory with tshark's dissectors.

    tshark-check.py DIR

DIR holds the pcaps and manifest.json written by scripts/twgen.py. Every LI
flow the manifest lists is re-read with tshark 4.0.x and checked against the
manifest; the negatives and background are checked for what tshark can tell.
Uses only the standard library and tshark (no scapy), so a generator bug
cannot hide behind a shared library. Files are checked in parallel (one
worker per CPU, at most 4); tshark runs are batched per file.

Every file: pcap header, packet count, timestamps, no malformed frame or
expert error (bar the near misses tshark rightly rejects), no bad checksum,
no TCP analysis complaint, each manifest entry's first frame (addresses,
ports, outer VLAN, payload present) and inventory verdict, complete TCP
conversations, and no LI decode outside the listed flows.

What tshark 4.0.17 can and cannot tell (see docs li-protocols.md section 0):
  * X2/X3: `5gli` via Decode-As, no TCP reassembly. It flags HL < 40 and an
    HL that cuts a TLV as Malformed. It decodes, without complaint, PDU type 7,
    direction 9, a keepalive with a payload, format 7 on X2 and a 2-byte
    sequence-number TLV: for those it can only show the offending field.
  * PS-PDU (TS 102 232-1): no dissector; the generic `ber` Decode-As shows the
    TLV tree, which is checked here (domain, LIID, whole segment consumed).
    It cannot tell an LI OID from any other OID.
  * HI2 (TS 101 671 / 33.108): `HI2Operations` through a Lua DLT_USER0
    mapping on the raw records; the records are cut from the TCP payload by
    their outer BER length.
  * ERSPAN: `erspan` on GRE 0x88BE / 0x22EB; type I has no ERSPAN header.
  * X1 (TS 103 221-1): no dissector; `http` (Decode-As on the X1 port) +
    `xml` show the POST, the root element and its namespace, xsi:type and
    the xId text. Each HTTP message must decode whole from one segment.
  * DTCP: no dissector (`data`); the segment text is parsed here.
  * SNMP TAP MIBs: `snmp` shows the OIDs, values, community / msgUserName.
    Whether an OID is a TAP MIB OID is decided here (arc by arc).
  * PacketCable: `pcli` / `pcli12` / `pcli20` via Decode-As, one variant per
    run: each flow must decode cleanly (inner IP, good checksum) with its own
    header size and with no other.
  * JMirror / Nokia LI-shim: `jmirror` (UDP 30030). Redback: `redbackli`
    (heuristic). TZSP: `tzsp` (37008, Decode-As elsewhere). rpcap: `rpcap`
    (heuristics; -o rpcap.linktype:1 for the UDP packet stream).

Exit 0 if every check passes, 1 otherwise. Each tshark run has a timeout.
"""

import calendar
import concurrent.futures
import ipaddress
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

TIMEOUT = 60                       # seconds per tshark run
EPOCH = 1767225600                 # 2026-01-01T00:00:00Z
JOBS = max(1, min(4, os.cpu_count() or 1))

X2_FORMATS = {1, 2, 3, 4, 5, 6, 9, 10, 11, 14, 15}
X3_FORMATS = {1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 15, 16}
FIXED_ATTR_LEN = {8: 4, 9: 8, 10: 4, 11: 4, 12: 16, 13: 16, 14: 2, 15: 2, 16: 1}

# The inventory twgen.py builds for (kept separately on purpose; conf/demo.json).
INVENTORY = [
    ("md-core", ["10.200.0.10/32", "2001:db8:200::10/128"],
     ["10.1.0.0/24", "2001:db8:1::/64"], {"etsi-x2x3", "etsi-hi"}),
    ("md-mirror", ["10.200.0.20/32", "2001:db8:200::20/128"], None, {"erspan", "tzsp", "rpcap"}),
    ("admf-1", ["10.200.0.30/32", "2001:db8:200::30/128"],
     ["10.1.0.0/24", "2001:db8:1::/64"], {"etsi-x1", "cisco-tap-mib", "juniper-dtcp"}),
    ("md-content", ["10.200.0.40/32", "2001:db8:200::40/128"],
     ["10.1.0.0/24", "2001:db8:1::/64"], {"packetcable", "jmirror", "redback-li"}),
]

X1_NS = "http://uri.etsi.org/03221/X1/2017/10"
X1_PORT = 8443                     # no registered port: Decode-As http
TZSP_PORT, JMIRROR_PORT = 37008, 30030
# TAP MIB roots (docs sections 4, 5, 7.3): an OID at or under one of them.
TAP_ROOTS = {
    "1.3.6.1.4.1.9.9.252": "CISCO-TAP-MIB",
    "1.3.6.1.4.1.9.9.394": "CISCO-IP-TAP-MIB",
    "1.3.6.1.4.1.9.9.395": "CISCO-802-TAP-MIB",
    "1.3.6.1.4.1.9.9.399": "CISCO-TAP2-MIB",
    "1.3.6.1.4.1.9.9.400": "CISCO-USER-CONNECTION-TAP-MIB",
    "1.3.6.1.4.1.9.9.672": "CISCO-MOBILITY-TAP-MIB",
    "1.3.6.1.4.1.9.9.716": "CISCO-VOIP-TAP-MIB",
    "1.3.6.1.4.1.4491.2.2.9.1.1": "PKTC-ES-TAP-MIB",
    "1.3.6.1.4.1.43.45.1.10.2.111": "A3COM-HUAWEI-LI-MIB",
    "1.3.6.1.4.1.11.2.14.11.15.2.111": "HPN-ICF-LI-MIB",
}
CTAP2_MED = "1.3.6.1.4.1.9.9.399.1.1.2.1"      # cTap2MediationEntry
SNMP_OPS = {0: "get", 1: "getnext", 2: "response", 3: "set", 4: "trap", 5: "getbulk",
            6: "inform", 7: "trap", 8: "report"}
DTCP_METHODS = ("ADD", "DELETE", "LIST", "ENABLE", "DISABLE")
SEV_ERROR = 0x00800000             # _ws.expert.severity of "Error"
SEV_WARN = 0x00600000              # ... of "Warning"
CGN = ipaddress.ip_network("100.64.0.0/10")
UUID_RE = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"

# Negative cases tshark rightly rejects (Malformed is the expected verdict).
MALFORMED_OK = {"x2x3-hl-lt-40", "x2x3-hl-mismatch", "tzsp-tag-overrun", "random-udp-37008"}

# One tshark run per file gives these for every frame (see check_file).
BASE_FIELDS = ["frame.number", "frame.time_epoch", "frame.protocols", "ip.src", "ipv6.src",
               "ip.dst", "ipv6.dst", "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
               "ieee8021ad.id", "vlan.id", "ip.proto", "ipv6.nxt", "tcp.len", "udp.length",
               "ip.checksum.status", "tcp.checksum.status", "udp.checksum.status",
               "icmp.checksum.status", "icmpv6.checksum.status", "lix2.xIRIPayloadOID",
               "snmp.name", "xml.tag", "xml.attribute", "tcp.payload"]
CHECKSUMS = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
             "-o", "udp.check_checksum:TRUE"]

LUA_USER0 = ('DissectorTable.get("wtap_encap"):add(wtap_encaps.USER0, '
             'Dissector.get(os.getenv("USER0_DISSECTOR")))\n')


class Failure(Exception):
    pass


def tap_mib(oid):
    """Name of the TAP MIB an OID is at or under, or None (arc by arc)."""
    for root, name in TAP_ROOTS.items():
        if oid == root or oid.startswith(root + "."):
            return name
    return None


def chain(row):
    return row["frame.protocols"][0].split(":") if row.get("frame.protocols") else []


def inner_l3(row):
    """(src, dst) of the last IP header after the outer UDP (the copied
    packet of a shim), or None."""
    ch = chain(row)
    if "udp" not in ch:
        return None
    after = ch[ch.index("udp") + 1:]
    l3 = [p for p in after if p in ("ip", "ipv6")]
    if not l3:
        return None
    k = l3[-1]
    # decoded only if tshark shows more such headers than precede the UDP one
    if len(row.get(k + ".src") or []) <= ch[:ch.index("udp")].count(k):
        return None
    return row[k + ".src"][-1], row[k + ".dst"][-1]


def errors(row):
    """Malformed, or an expert item of severity Error, in a fields row."""
    sev = [int(s) for s in row.get("_ws.expert.severity", []) if s.isdigit()]
    return bool(row.get("_ws.malformed")) or any(s >= SEV_ERROR for s in sev)


def warns(row):
    """errors(), or an expert item of severity Warning."""
    sev = [int(s) for s in row.get("_ws.expert.severity", []) if s.isdigit()]
    return bool(row.get("_ws.malformed")) or any(s >= SEV_WARN for s in sev)


def payload_bytes(row, key="tcp.payload"):
    v = row.get(key) or []
    return bytes.fromhex(v[0].replace(":", "")) if v else b""


class Oracle:
    def __init__(self, d):
        self.dir = d
        self.passed = 0
        self.failed = 0
        self.lines = []
        self.tmp = tempfile.mkdtemp(prefix="tshark-check.")
        self.li5g = "5gli"
        self.base = {}

    # -- bookkeeping -------------------------------------------------------

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            self.lines.append("FAIL: %s" % what)
        return cond

    def note(self, msg):
        self.lines.append("note: %s" % msg)

    # -- tshark ------------------------------------------------------------

    def tshark(self, args, env=None):
        cmd = ["tshark"] + (args if args[0] in ("-G", "-v") else ["-n"] + args)
        e = dict(os.environ, LC_ALL="C", TZ="UTC")
        if env:
            e.update(env)
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, env=e)
        except subprocess.TimeoutExpired:
            raise Failure("tshark timed out after %ds: %s" % (TIMEOUT, " ".join(cmd)))
        err = "\n".join(l for l in p.stderr.decode(errors="replace").splitlines()
                        if "Running as user" not in l and l.strip())
        if p.returncode != 0:
            raise Failure("tshark exit %d: %s\n%s" % (p.returncode, " ".join(cmd), err))
        return p.stdout.decode(errors="replace")

    def fields(self, pcap, dfilter, names, extra=()):
        """Rows of -T fields output as lists of per-field value lists."""
        if "frame.protocols" not in names:
            names = ["frame.protocols"] + list(names)
        args = ["-r", pcap] + list(extra) + ["-T", "fields", "-E", "separator=\t",
                                             "-E", "occurrence=a", "-E", "aggregator=|"]
        if dfilter:
            args += ["-Y", dfilter]
        for n in names:
            args += ["-e", n]
        rows = []
        for line in self.tshark(args).splitlines():
            cols = line.split("\t")
            cols += [""] * (len(names) - len(cols))
            rows.append({n: ([v for v in c.split("|")] if c != "" else [])
                         for n, c in zip(names, cols)})
        return rows

    def pdml(self, pcap, dfilter, extra=()):
        args = ["-r", pcap] + list(extra) + ["-T", "pdml"]
        if dfilter:
            args += ["-Y", dfilter]
        return ET.fromstring(self.tshark(args)).iter("packet")

    def decode_as(self, entry=None):
        """Decode-As for a file: X2/X3 and PS-PDU ports, X1's HTTP port,
        TZSP / JMirror / X1 entries on ports other than their defaults, and
        PacketCable ports as plain data."""
        da = ["-d", "tcp.port==50001,%s" % self.li5g, "-d", "tcp.port==50002,ber",
              "-d", "tcp.port==%d,http" % X1_PORT]
        extra = set()
        for e in (entry or {}).get("expect", []):
            if e["family"] == "tzsp" and e["dest_port"] != TZSP_PORT:
                extra.add(("udp", e["dest_port"], "tzsp"))
            if e["family"] == "jmirror" and e["dest_port"] != JMIRROR_PORT:
                extra.add(("udp", e["dest_port"], "jmirror"))
            if e["family"] == "etsi-x1" and e["dest_port"] != X1_PORT:
                extra.add(("tcp", e["dest_port"], "http"))
            if e["family"] == "packetcable":
                # no registered port: keep UDP heuristics (e.g. CLTP) off the
                # copies; check_pcli decodes them with each pcli variant
                extra.add(("udp", e["dest_port"], "data"))
            if e["family"] == "rpcap" and "-o" not in da:
                da += ["-o", "rpcap.linktype:1"]
        for proto, port, dis in sorted(extra):
            da += ["-d", "%s.port==%d,%s" % (proto, port, dis)]
        return da

    # -- helpers -----------------------------------------------------------

    @staticmethod
    def policy(family, a, b):
        a, b = ipaddress.ip_address(a), ipaddress.ip_address(b)

        def inside(x, cidrs):
            return cidrs is None or any(
                x.version == ipaddress.ip_network(c).version and x in ipaddress.ip_network(c)
                for c in cidrs)
        for name, med, elem, fams in INVENTORY:
            if family not in fams:
                continue
            if (inside(a, med) and inside(b, elem)) or (inside(b, med) and inside(a, elem)):
                return name
        return None

    @staticmethod
    def first(row, *names):
        for n in names:
            if row.get(n):
                return row[n][0]
        return None

    @staticmethod
    def outer(row):
        """(l3, src, dst) of the outermost IP header, from frame.protocols."""
        for p in chain(row):
            if p in ("ip", "ipv6") and row.get(p + ".src"):
                return p, row[p + ".src"][0], row[p + ".dst"][0]
        return None, None, None

    def flow_rows(self, rows, e, both=True):
        """Rows of the manifest entry's flow (outer addresses and ports)."""
        ip = ipaddress.ip_address
        es, ed = ip(e["src_ip"]), ip(e["dest_ip"])
        l4 = {"TCP": "tcp", "UDP": "udp"}.get(e["proto"])
        out = []
        for r in rows:
            _, src, dst = self.outer(r)
            if src is None:
                continue
            src, dst = ip(src), ip(dst)
            sp = dp = None
            if l4:                        # the outer L4 header: first occurrence
                if not r.get(l4 + ".srcport"):
                    continue
                sp, dp = int(r[l4 + ".srcport"][0]), int(r[l4 + ".dstport"][0])
            fwd = (src == es and dst == ed and sp == e["src_port"] and dp == e["dest_port"])
            rev = (both and src == ed and dst == es and sp == e["dest_port"] and
                   dp == e["src_port"])
            if fwd or rev:
                r["_c2s"] = fwd
                out.append(r)
        return out

    def li_decode(self, r):
        """What in this frame tshark shows as LI / copy traffic, or None."""
        ch = chain(r)
        for p in (self.li5g, "erspan", "jmirror", "redbackli", "tzsp", "rpcap"):
            if p in ch:
                return p
        if r.get("lix2.xIRIPayloadOID"):
            return "xiri"
        if any(tap_mib(o) for o in r.get("snmp.name", [])):
            return "snmp-tap"
        if any(a in ('xmlns="%s"' % X1_NS,) or (a.startswith("xmlns:") and
                                                a.endswith('="%s"' % X1_NS))
               for a in r.get("xml.attribute", [])):
            return "x1-xml"
        p = payload_bytes(r)
        if re.match(rb"(?:(?:ADD|DELETE|LIST|ENABLE|DISABLE) DTCP/|DTCP/0\.[0-9] )", p):
            return "dtcp"
        return None

    # -- top level ---------------------------------------------------------

    def run(self):
        if shutil.which("tshark") is None:
            raise Failure("tshark not found on PATH; install it: apt-get install tshark")
        ver = self.tshark(["-v"]).splitlines()[0]
        print("tshark-check: %s" % ver)
        protos = self.tshark(["-G", "protocols"])
        names = {l.split("\t")[2] for l in protos.splitlines() if l.count("\t") >= 2}
        if "5gli" not in names:
            if "li5g" in names:
                self.li5g = "li5g"       # newer Wireshark renamed the filter
            else:
                raise Failure("this tshark has no X2/X3 dissector (5gli / li5g)")
        for need in ("erspan", "ber", "HI2operations", "pcli", "pcli12", "pcli20", "jmirror",
                     "redbackli", "tzsp", "rpcap", "snmp", "http", "xml"):
            if need not in names:
                raise Failure("this tshark has no %s dissector" % need)

        mpath = os.path.join(self.dir, "manifest.json")
        if not os.path.isfile(mpath):
            raise Failure("%s missing (run scripts/twgen.py --out %s)" % (mpath, self.dir))
        with open(mpath) as f:
            manifest = json.load(f)
        self.check(len(manifest) > 0, "manifest lists no pcap")
        subs = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as ex:
            for name, entry in manifest.items():
                sub = Oracle(self.dir)
                sub.li5g = self.li5g
                subs.append((name, sub, ex.submit(sub.run_file, name, entry)))
            for name, sub, fut in subs:
                fut.result()
                print("-- %s" % name)
                for line in sub.lines:
                    print(line)
                self.passed += sub.passed
                self.failed += sub.failed

    def run_file(self, name, entry):
        pcap = os.path.join(self.dir, name)
        try:
            if self.check(os.path.isfile(pcap), "%s: file missing" % name):
                self.check_file(name, pcap, entry)
        except Failure as exc:
            self.check(False, "%s: %s" % (name, exc))
        except Exception as exc:          # a bug here must not pass silently
            self.check(False, "%s: oracle error %s: %s" % (name, type(exc).__name__, exc))
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def check_file(self, name, pcap, entry):
        with open(pcap, "rb") as f:
            hdr = f.read(24)
        self.check(len(hdr) == 24 and struct.unpack("<I", hdr[:4])[0] == 0xA1B2C3D4 and
                   struct.unpack("<I", hdr[20:24])[0] == 1,
                   "%s: not a little-endian microsecond pcap with linktype Ethernet" % name)

        da = self.decode_as(entry)
        rows = self.fields(pcap, None, BASE_FIELDS, CHECKSUMS + da)
        self.base = {int(r["frame.number"][0]): r for r in rows}
        self.check(len(rows) == entry["packets"], "%s: %d packets, manifest says %d"
                   % (name, len(rows), entry["packets"]))
        times = [float(r["frame.time_epoch"][0]) for r in rows]
        self.check(bool(times) and abs(times[0] - EPOCH) < 1e-6,
                   "%s: first timestamp %s is not 2026-01-01T00:00:00Z" % (name, times[:1]))
        self.check(all(b > a for a, b in zip(times, times[1:])),
                   "%s: timestamps not strictly increasing" % name)
        self.check(not times or times[-1] - EPOCH < 3600,
                   "%s: capture spans more than an hour" % name)

        self.check_hygiene(name, pcap, entry, rows, da)

        fams = {"etsi-x2x3": self.check_x2x3, "etsi-hi": self.check_hi,
                "erspan": self.check_erspan, "etsi-x1": self.check_x1,
                "juniper-dtcp": self.check_dtcp, "cisco-tap-mib": self.check_snmp,
                "packetcable": self.check_pcli, "jmirror": self.check_jmirror,
                "redback-li": self.check_redback, "tzsp": self.check_tzsp,
                "rpcap": self.check_rpcap}
        keys = set()
        for e in entry["expect"]:
            self.check_entry(name, e)
            key = (e["src_ip"], e["dest_ip"], e["src_port"], e["dest_port"], e["proto"])
            self.check(key not in keys, "%s: two manifest entries for flow %s" % (name, key))
            keys.add(key)
        self.check_tcp_complete(name, pcap, entry)
        for fam in sorted({e["family"] for e in entry["expect"]}):
            if not self.check(fam in fams, "%s: no oracle for family %s" % (name, fam)):
                continue
            fams[fam](name, pcap, [e for e in entry["expect"] if e["family"] == fam])
        self.check_no_stray_li(name, entry, rows)
        if "tasks" in entry or any("warrant" in e for e in entry["expect"]):
            self.check_warrant(name, entry)
        if name == "warrant.pcap":
            self.check("tasks" in entry and len(entry["expect"]) >= 4,
                       "warrant.pcap: no \"tasks\" or too few flows")
        if name == "negatives.pcap":
            self.check(entry["expect"] == [], "negatives.pcap must expect no alerts")
            self.check_negatives(name, pcap, entry)
        if name == "background.pcap":
            self.check(entry["expect"] == [], "background.pcap must expect no alerts")
            self.check_background(name, pcap, entry)

    # -- generic checks ----------------------------------------------------

    def check_hygiene(self, name, pcap, entry, rows, da):
        """No malformed frames or expert errors, no bad checksums, no TCP
        analysis complaints."""
        allowed = set()
        for c in entry.get("cases", []):
            if c["name"] in MALFORMED_OK:
                allowed.update(c["frames"])     # tshark rightly rejects these
        flagged = self.fields(pcap, '_ws.malformed || _ws.expert.severity >= "Error" || '
                              '(tcp.analysis.flags && !tcp.analysis.window_update)',
                              ["frame.number", "_ws.malformed", "_ws.expert.severity",
                               "_ws.expert.message"], da)
        bad = [r for r in flagged if errors(r) and int(r["frame.number"][0]) not in allowed]
        self.check(not bad, "%s: malformed / expert errors in frames %s" % (
            name, [(r["frame.number"][0], r["_ws.expert.message"][:2]) for r in bad[:5]]))
        tcpa = [r for r in flagged if not errors(r)]
        self.check(not tcpa, "%s: TCP analysis complaints (seq/ack) in frames %s" % (
            name, [(r["frame.number"][0], r["_ws.expert.message"][:1]) for r in tcpa[:5]]))
        cks = ("ip", "tcp", "udp", "icmp", "icmpv6")
        # 0 = Bad, 4 = Illegal (e.g. a zero UDP checksum over IPv6)
        bad = [r["frame.number"][0] for r in rows
               if any(v in ("0", "4") for k in cks for v in r.get(k + ".checksum.status", []))]
        self.check(not bad, "%s: bad checksums in frames %s" % (name, bad[:10]))
        good = [r for r in rows if "1" in r.get("tcp.checksum.status", []) + r.get(
            "udp.checksum.status", [])]
        self.check(len(good) > 0, "%s: checksum validation verified nothing" % name)

    def check_entry(self, name, e):
        """Manifest fields of one LI flow against its first LI frame and the inventory."""
        tag = "%s: %s" % (name, e.get("name", e["src_ip"]))
        md = self.policy(e["family"], e["src_ip"], e["dest_ip"])
        self.check(e["authorized"] == (md is not None) and e["mediation_device"] == md,
                   "%s: manifest says authorized=%s md=%s, inventory says md=%s" % (
                       tag, e["authorized"], e["mediation_device"], md))
        self.check(e["proto"] in ("TCP", "UDP", "GRE"), "%s: proto %s" % (tag, e["proto"]))
        r = self.base.get(e["first_frame"])
        if not self.check(r is not None, "%s: first_frame %s not found" % (tag, e["first_frame"])):
            return
        l3, src, dst = self.outer(r)
        ip = ipaddress.ip_address
        self.check(src is not None and ip(src) == ip(e["src_ip"]) and ip(dst) == ip(e["dest_ip"]),
                   "%s: first frame %s -> %s, manifest %s -> %s" % (
                       tag, src, dst, e["src_ip"], e["dest_ip"]))
        # the outermost tag: 802.1ad (QinQ S-tag) if present, else 802.1Q
        tags = r["ieee8021ad.id"] or r["vlan.id"]
        vlan = int(tags[0]) if tags else None
        self.check(vlan == e["vlan"], "%s: outer VLAN %s, manifest %s" % (tag, vlan, e["vlan"]))
        proto = r["ip.proto"][0] if l3 == "ip" and r["ip.proto"] else self.first(r, "ipv6.nxt")
        if e["proto"] in ("TCP", "UDP"):
            l4 = e["proto"].lower()
            size = (int(r["tcp.len"][0]) if l4 == "tcp" and r["tcp.len"] else
                    int(r["udp.length"][0]) - 8 if l4 == "udp" and r["udp.length"] else 0)
            self.check(proto == {"tcp": "6", "udp": "17"}[l4] and
                       r[l4 + ".srcport"][:1] == [str(e["src_port"])] and
                       r[l4 + ".dstport"][:1] == [str(e["dest_port"])] and size > 0,
                       "%s: first frame IP proto %s ports %s/%s payload %s, manifest %s %s/%s"
                       % (tag, proto, r[l4 + ".srcport"], r[l4 + ".dstport"], size, e["proto"],
                          e["src_port"], e["dest_port"]))
        else:
            self.check(proto == "47" and e["src_port"] is None and e["dest_port"] is None,
                       "%s: first frame IP protocol %s (want 47, no ports)" % (tag, proto))
        if "warrant" in e:
            self.check(e["warrant"] in ("listed", "missing"),
                       "%s: warrant %r (want listed / missing)" % (tag, e["warrant"]))

    def check_tcp_complete(self, name, pcap, entry):
        """Listed TCP flows (all TCP in background.pcap) have SYN, SYN-ACK, ACK,
        data and FIN: tcp.completeness 31 in two-pass mode."""
        if not any(e["proto"] == "TCP" for e in entry["expect"]) and name != "background.pcap":
            return
        rows = self.fields(pcap, "tcp", ["ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
                                         "tcp.srcport", "tcp.dstport", "tcp.stream",
                                         "tcp.completeness"], ["-2"])
        for e in entry["expect"]:
            if e["proto"] != "TCP":
                continue
            comp = {r["tcp.completeness"][0] for r in self.flow_rows(rows, e)}
            self.check(comp == {"31"}, "%s: %s: TCP conversation completeness %s (want 31: "
                       "handshake, data, FIN)" % (name, e.get("name"), sorted(comp)))
        if name == "background.pcap":
            bad = sorted({r["tcp.stream"][0] for r in rows if r["tcp.completeness"] != ["31"]})
            self.check(not bad, "%s: incomplete TCP streams %s" % (name, bad[:10]))

    def check_no_stray_li(self, name, entry, rows):
        """LI decodes (tshark's, or X1 / DTCP / TAP-MIB content) only inside
        the flows the manifest lists, or in near-miss cases tshark rejects."""
        hits = {int(r["frame.number"][0]): self.li_decode(r) for r in rows}
        hits = {n: k for n, k in hits.items() if k}
        listed = set()
        for e in entry["expect"]:
            listed.update(int(r["frame.number"][0]) for r in self.flow_rows(rows, e))
        for c in entry.get("cases", []):
            if c["name"].startswith("x2x3-") or c["name"] in MALFORMED_OK:
                listed.update(c["frames"])
        stray = [(n, k) for n, k in sorted(hits.items()) if n not in listed]
        self.check(not stray, "%s: LI decodes outside listed flows: %s" % (name, stray[:10]))
        # each listed flow shows its own kind of LI decode somewhere
        want = {"etsi-x2x3": self.li5g, "erspan": "erspan", "jmirror": "jmirror",
                "redback-li": "redbackli", "tzsp": "tzsp", "rpcap": "rpcap",
                "cisco-tap-mib": "snmp-tap", "etsi-x1": "x1-xml", "juniper-dtcp": "dtcp"}
        for e in entry["expect"]:
            if e["family"] in want:
                kinds = {hits.get(int(r["frame.number"][0])) for r in self.flow_rows(rows, e)}
                self.check(want[e["family"]] in kinds, "%s: %s: no %s decode in the flow (%s)"
                           % (name, e.get("name"), want[e["family"]], kinds))

    # -- X2/X3 -------------------------------------------------------------

    def check_x2x3(self, name, pcap, entries):
        names = ["frame.number", "frame.time_epoch", "frame.protocols", "ip.src", "ipv6.src",
                 "ip.dst", "ipv6.dst", "tcp.srcport", "tcp.dstport", "li5g.ver", "li5g.type",
                 "li5g.hl", "li5g.pl", "li5g.pf", "li5g.pd", "li5g.xid", "li5g.attrType",
                 "li5g.attrLen", "li5g.ts", "lix2.xIRIPayloadOID"]
        rows = self.fields(pcap, self.li5g, names, self.decode_as())
        for e in entries:
            tag = "%s: %s" % (name, e.get("name"))
            fr = self.flow_rows(rows, e)
            if not self.check(fr, "%s: no %s frames in the flow" % (tag, self.li5g)):
                continue
            c2s = [r for r in fr if r["_c2s"]]
            self.check(c2s and int(c2s[0]["frame.number"][0]) == e["first_frame"],
                       "%s: first X2/X3 frame %s, manifest first_frame %s" % (
                           tag, c2s[0]["frame.number"][0] if c2s else None, e["first_frame"]))
            xid = e["detail"].get("xid", "")
            self.check(c2s and c2s[0]["li5g.xid"][:1] == [xid],
                       "%s: first PDU XID %s, manifest %s" % (
                           tag, c2s[0]["li5g.xid"][:1] if c2s else None, xid))
            m = re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                             xid)
            self.check(m is not None, "%s: XID %r is not a random (v4) UUID" % (tag, xid))
            seen = set()
            for r in fr:
                fn = r["frame.number"][0]
                n = len(r["li5g.type"])
                types = [int(x) for x in r["li5g.type"]]
                pfs = [int(x) for x in r["li5g.pf"]]
                pds = [int(x) for x in r["li5g.pd"]]
                hls = [int(x) for x in r["li5g.hl"]]
                pls = [int(x) for x in r["li5g.pl"]]
                ok = (n >= 1 and all(len(r[k]) == n for k in
                                     ("li5g.ver", "li5g.pf", "li5g.pd", "li5g.hl", "li5g.pl")))
                if not self.check(ok, "%s: frame %s: inconsistent PDU fields" % (tag, fn)):
                    continue
                self.check(all(v == "5" for v in r["li5g.ver"]),
                           "%s: frame %s: version %s (want 5 = 0x0005)" % (tag, fn, r["li5g.ver"]))
                for t, pf, pd, pl, xid_i in zip(types, pfs, pds, pls, r["li5g.xid"]):
                    seen.add((t, pf))
                    if t in (1, 2):
                        allowed = X2_FORMATS if t == 1 else X3_FORMATS
                        self.check(pf in allowed and 1 <= pd <= 5 and xid_i == xid,
                                   "%s: frame %s: type %d format %d direction %d xid %s" % (
                                       tag, fn, t, pf, pd, xid_i))
                    else:
                        self.check(t in (3, 4) and pf == 0 and pd == 0 and pl == 0 and
                                   xid_i == "00000000-0000-0000-0000-000000000000",
                                   "%s: frame %s: keepalive type %d pf %d pd %d pl %d" % (
                                       tag, fn, t, pf, pd, pl))
                alens = [int(x) for x in r["li5g.attrLen"]]
                atypes = [int(x) for x in r["li5g.attrType"]]
                self.check(sum(h - 40 for h in hls) == sum(4 + a for a in alens) and
                           all(h >= 40 for h in hls),
                           "%s: frame %s: HL %s does not match the TLVs %s" % (
                               tag, fn, hls, list(zip(atypes, alens))))
                self.check(all(FIXED_ATTR_LEN.get(t, l) == l for t, l in zip(atypes, alens)),
                           "%s: frame %s: TLV lengths %s" % (tag, fn, list(zip(atypes, alens))))
                # timestamp TLV within a second of the frame time
                ft = float(r["frame.time_epoch"][0])
                for ts in r["li5g.ts"]:
                    t = parse_abs_time(ts)
                    self.check(t is not None and abs(t - ft) < 1.0,
                               "%s: frame %s: timestamp TLV %r vs frame time %.6f" % (
                                   tag, fn, ts, ft))
                protos = r["frame.protocols"][0]
                if 2 in pfs:
                    oids = r["lix2.xIRIPayloadOID"]
                    self.check(oids and all(re.fullmatch(r"\.?4\.19\.\d+\.\d+\.1", o)
                                            for o in oids),
                               "%s: frame %s: xIRI payload OID %s (want .4.19.r.v.1)" % (
                                   tag, fn, oids))
                if 5 in pfs:
                    self.check(":%s:ip:udp" % self.li5g in protos,
                               "%s: frame %s: X3 IPv4 payload not decoded (%s)" % (tag, fn, protos))
            for want, what in (((1, 2), "X2 xIRI (format 2)"), ((2, 5), "X3 xCC (format 5)"),
                               ((3, 0), "keepalive"), ((4, 0), "keepalive ack")):
                self.check(want in seen, "%s: no %s PDU in the flow" % (tag, what))

    # -- ERSPAN ------------------------------------------------------------

    def check_erspan(self, name, pcap, entries):
        names = ["frame.number", "frame.protocols", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
                 "gre.proto", "gre.flags.sequence_number", "erspan.version", "erspan.spanid",
                 "eth.type"]
        rows = self.fields(pcap, "gre", names)
        for e in entries:
            tag = "%s: %s" % (name, e.get("name"))
            fr = [r for r in self.flow_rows(rows, e, both=False)]
            if not self.check(fr, "%s: no GRE frames in the flow" % tag):
                continue
            self.check(int(fr[0]["frame.number"][0]) == e["first_frame"],
                       "%s: first GRE frame %s, manifest %s" % (
                           tag, fr[0]["frame.number"][0], e["first_frame"]))
            etype = e["detail"]["type"]
            sid = e["detail"].get("session_id")          # absent for type I
            for r in fr:
                fn = r["frame.number"][0]
                proto = int(r["gre.proto"][0], 0) if r["gre.proto"] else None
                s_bit = r["gre.flags.sequence_number"][:1] in (["1"], ["True"])
                ver = r["erspan.version"]
                span = r["erspan.spanid"]
                protos = r["frame.protocols"][0]
                inner_ok = ":gre:erspan:eth:ethertype:ip" in protos
                if etype == 1:
                    ok = proto == 0x88BE and not s_bit and not ver and sid is None
                elif etype == 2:
                    ok = proto == 0x88BE and s_bit and ver == ["1"] and span == [str(sid)]
                elif etype == 3:
                    ok = proto == 0x22EB and ver == ["2"] and span == [str(sid)]
                else:
                    ok = False
                self.check(ok and inner_ok,
                           "%s: frame %s: type %s session %s but tshark: gre.proto %s S=%s "
                           "erspan.version %s spanid %s protocols %s" % (
                               tag, fn, etype, sid, r["gre.proto"], s_bit, ver, span, protos))
                skip = 1 if self.outer(r)[0] == "ip" else 0
                inner = [ipaddress.ip_address(a)
                         for a in r["ip.src"][skip:] + r["ip.dst"][skip:]]
                cgn = ipaddress.ip_network("100.64.0.0/10")
                self.check(any(a in cgn for a in inner),
                           "%s: frame %s: inner frame has no subscriber 100.64/10 address" % (
                               tag, fn))
            if etype == 3:
                sbits = {r["gre.flags.sequence_number"][:1] == ["1"] for r in fr}
                self.note("%s: type III with GRE S %s" % (tag, "set" if True in sbits else "clear"))

    # -- HI ----------------------------------------------------------------

    def check_hi(self, name, pcap, entries):
        ps = [e for e in entries if e["dest_port"] == 50002]
        hi2 = [e for e in entries if e["dest_port"] == 50003]
        self.check(len(ps) + len(hi2) == len(entries),
                   "%s: etsi-hi entries on ports other than 50002/50003" % name)
        if ps:
            self.check_pspdu(name, pcap, ps)
        if hi2:
            self.check_hi2(name, pcap, hi2)

    def check_pspdu(self, name, pcap, entries):
        out = self.tshark(["-r", pcap, "-d", "tcp.port==50002,ber", "-T", "pdml",
                           "-Y", "tcp.dstport == 50002 && tcp.len > 0"])
        root = ET.fromstring(out)
        pkts = []
        for p in root.iter("packet"):
            vals = {}
            for f in p.iter("field"):
                n = f.get("name")
                if n in ("frame.number", "frame.protocols", "ip.src", "ipv6.src", "ip.dst",
                         "ipv6.dst",
                         "tcp.srcport", "tcp.dstport", "tcp.len") and n not in vals:
                    vals[n] = [f.get("show")]
            vals["_tree"] = ber_tree(p)
            pkts.append(vals)
        for e in entries:
            tag = "%s: %s" % (name, e.get("name"))
            fr = self.flow_rows(pkts, e, both=False)
            if not self.check(fr, "%s: no PS-PDU segments" % tag):
                continue
            self.check(int(fr[0]["frame.number"][0]) == e["first_frame"],
                       "%s: first PS-PDU frame %s, manifest %s" % (
                           tag, fr[0]["frame.number"][0], e["first_frame"]))
            payloads = set()
            for i, r in enumerate(fr):
                fn = r["frame.number"][0]
                tree = r["_tree"]
                seg = int(r["tcp.len"][0])
                if not self.check(tree is not None and tree["label"] == "SEQUENCE",
                                  "%s: frame %s: BER did not decode a SEQUENCE" % (tag, fn)):
                    continue
                self.check(tree["end"] - tree["start"] == seg,
                           "%s: frame %s: PS-PDU covers %d of %d segment bytes" % (
                               tag, fn, tree["end"] - tree["start"], seg))
                kids = [k["label"] for k in tree["kids"]]
                if not self.check(kids == ["[CONTEXT 1]", "[CONTEXT 2]"],
                                  "%s: frame %s: PS-PDU members %s (want pSHeader [1], "
                                  "payload [2])" % (tag, fn, kids)):
                    continue
                hdr, pay = tree["kids"]
                tags = [k["tag"] for k in hdr["kids"]]
                self.check(tags == sorted(tags) and tags[:2] == [0, 1] and 4 in tags,
                           "%s: frame %s: PSHeader tags %s" % (tag, fn, tags))
                dom = hdr["kids"][0].get("hex", "")
                self.check(oid_dotted(dom) == e["detail"]["domain_oid"],
                           "%s: frame %s: li-psDomainId %s, manifest %s" % (
                               tag, fn, oid_dotted(dom), e["detail"]["domain_oid"]))
                liid = bytes.fromhex(hdr["kids"][1].get("hex", "")).decode(errors="replace")
                self.check(liid == e["detail"]["liid"],
                           "%s: frame %s: LIID %r, manifest %r" % (tag, fn, liid,
                                                                e["detail"]["liid"]))
                ts = [k for k in hdr["kids"] if k["tag"] == 5]
                if ts:
                    t = bytes.fromhex(ts[0].get("hex", "")).decode(errors="replace")
                    self.check(re.fullmatch(r"\d{14}(\.\d+)?Z", t) is not None,
                               "%s: frame %s: timeStamp %r not GeneralizedTime" % (tag, fn, t))
                ptags = [k["label"] for k in pay["kids"]]
                self.check(len(ptags) == 1 and ptags[0] in
                           ["[CONTEXT %d]" % n for n in range(5)],
                           "%s: frame %s: payload choice %s" % (tag, fn, ptags))
                payloads.update(ptags)
            self.check({"[CONTEXT 0]", "[CONTEXT 1]"} <= payloads,
                       "%s: flow lacks IRI [0] or CC [1] payloads (%s)" % (tag, sorted(payloads)))

    def check_hi2(self, name, pcap, entries):
        rows = self.fields(pcap, "tcp.dstport == 50003 && tcp.len > 0",
                           ["frame.number", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
                            "tcp.srcport", "tcp.dstport", "tcp.payload"])
        records, owner = [], []
        for ei, e in enumerate(entries):
            tag = "%s: %s" % (name, e.get("name"))
            fr = self.flow_rows(rows, e, both=False)
            if not self.check(fr, "%s: no HI2 segments" % tag):
                continue
            self.check(int(fr[0]["frame.number"][0]) == e["first_frame"],
                       "%s: first HI2 frame %s, manifest %s" % (
                           tag, fr[0]["frame.number"][0], e["first_frame"]))
            stream = b"".join(bytes.fromhex(r["tcp.payload"][0].replace(":", "")) for r in fr)
            try:
                recs = split_ber(stream)
            except ValueError as exc:
                self.check(False, "%s: HI2 stream does not split into BER records: %s" % (tag, exc))
                continue
            self.check(len(recs) >= 2, "%s: only %d HI2 records" % (tag, len(recs)))
            records += recs
            owner += [ei] * len(recs)
        if not records:
            return
        path = os.path.join(self.tmp, "hi2-user0.pcap")
        write_user0(path, records)
        lua = os.path.join(self.tmp, "user0.lua")
        with open(lua, "w") as f:
            f.write(LUA_USER0)
        out = self.tshark(["-X", "lua_script:" + lua, "-r", path, "-T", "fields",
                           "-E", "separator=\t", "-e", "frame.number", "-e", "frame.protocols",
                           "-e", "HI2Operations.iRIContent", "-e", "HI2Operations.domainID",
                           "-e", "HI2Operations.lawfulInterceptionIdentifier",
                           "-e", "_ws.malformed", "-e", "_ws.expert.message"],
                          env={"USER0_DISSECTOR": "HI2Operations"})
        lines = [l.split("\t") for l in out.splitlines()]
        self.check(len(lines) == len(records), "%s: HI2 pcap: %d frames for %d records" % (
            name, len(lines), len(records)))
        firsts = {}
        for cols, ei in zip(lines, owner):
            cols += [""] * (7 - len(cols))
            fn, protos, kind, dom, liid, mal, exp = cols[:7]
            e = entries[ei]
            tag = "%s: %s record %s" % (name, e.get("name"), fn)
            self.check("HI2operations" in protos.lower() or "hi2operations" in protos.lower(),
                       "%s: not dissected as HI2Operations (%s)" % (tag, protos))
            self.check(mal == "" and "Malformed" not in exp,
                       "%s: malformed HI2 record (%s)" % (tag, exp))
            self.check(kind in ("1", "2", "3", "4"), "%s: IRIContent choice %r" % (tag, kind))
            try:
                liid_s = bytes.fromhex(liid.replace(":", "")).decode()
            except ValueError:
                liid_s = None
            self.check(dom == e["detail"]["domain_oid"] and liid_s == e["detail"]["liid"],
                       "%s: domainID %s LIID %r, manifest %s %r" % (
                           tag, dom, liid_s, e["detail"]["domain_oid"], e["detail"]["liid"]))
            firsts.setdefault(ei, kind)
        for ei, kind in firsts.items():
            self.check(kind == "1", "%s: %s: first HI2 record is choice %s, not IRI-Begin" % (
                name, entries[ei].get("name"), kind))


    # -- X1 (HTTP + XML) ---------------------------------------------------

    def check_x1(self, name, pcap, entries):
        pkts = []
        for p in self.pdml(pcap, "http", self.decode_as({"expect": entries})):
            vals, xml = {}, None
            for f in p.iter("field"):
                n = f.get("name")
                if n in ("frame.number", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
                         "tcp.srcport", "tcp.dstport", "http.request.method",
                         "http.request.uri", "http.content_type", "http.response.code",
                         "tcp.segments", "frame.protocols") and n not in vals:
                    vals[n] = [f.get("show")]
            for proto in p.findall("proto"):
                if proto.get("name") == "xml":
                    xml = xml_info(proto)
            vals["_xml"] = xml
            pkts.append(vals)
        for e in entries:
            tag = "%s: %s" % (name, e.get("name"))
            fr = self.flow_rows(pkts, e)
            reqs = [r for r in fr if r["_c2s"] and r.get("http.request.method")]
            resps = [r for r in fr if not r["_c2s"] and r.get("http.response.code")]
            if not self.check(reqs, "%s: no HTTP request in the flow" % tag):
                continue
            self.check(int(reqs[0]["frame.number"][0]) == e["first_frame"],
                       "%s: first X1 request in frame %s, manifest %s" % (
                           tag, reqs[0]["frame.number"][0], e["first_frame"]))
            self.check(len(resps) == len(reqs), "%s: %d requests, %d responses" % (
                tag, len(reqs), len(resps)))
            for i, r in enumerate(reqs):
                fn = r["frame.number"][0]
                x = r["_xml"]
                ok = (r["http.request.method"] == ["POST"] and
                      r.get("http.content_type") == ["application/xml"] and
                      "tcp.segments" not in r and x is not None)
                if not self.check(ok, "%s: frame %s: not a single-segment POST of XML "
                                  "(%s, %s)" % (tag, fn, r.get("http.request.method"),
                                                r.get("http.content_type"))):
                    continue
                self.check(x["root"] == "X1Request" and x["ns"] == X1_NS and
                           x["msg"] == "x1RequestMessage" and x["type_prefix"] == x["prefix"] and
                           (x["type"] or "").endswith("Request"),
                           "%s: frame %s: root %s:%s ns %s message %s xsi:type %s" % (
                               tag, fn, x["prefix"], x["root"], x["ns"], x["msg"], x["type"]))
                if i == 0:
                    d = e["detail"]
                    self.check(x["type"] == d.get("message"),
                               "%s: first X1 message %s, manifest %s" % (tag, x["type"],
                                                                        d.get("message")))
                    want = [d["xid"]] if "xid" in d else []
                    self.check(x["xids"][:1] == want,
                               "%s: first xId %s, manifest %s" % (tag, x["xids"][:1], want))
                    self.check(all(re.fullmatch(UUID_RE, v or "") for v in x["xids"]),
                               "%s: xId %s not a v4 UUID" % (tag, x["xids"]))
                    if x["prefix"]:
                        self.note("%s: X1 with namespace prefix %s:" % (tag, x["prefix"]))
                if i < len(resps):
                    rr = resps[i]
                    y = rr["_xml"]
                    want = (x["type"] or "")[:-len("Request")] + "Response"
                    self.check(rr["http.response.code"] == ["200"] and y is not None and
                               "tcp.segments" not in rr and y["root"] == "X1Response" and
                               y["ns"] == X1_NS and y["type"] == want and
                               int(rr["frame.number"][0]) > int(fn),
                               "%s: response %s to %s: code %s root %s type %s (want %s)" % (
                                   tag, rr["frame.number"][0], fn, rr["http.response.code"],
                                   y and y["root"], y and y["type"], want))

    # -- DTCP (no dissector: the segment text) -------------------------------

    def check_dtcp(self, name, pcap, entries):
        rows = [r for r in self.base.values() if r.get("tcp.payload")]
        for e in entries:
            tag = "%s: %s" % (name, e.get("name"))
            fr = self.flow_rows(rows, e)
            reqs = [r for r in fr if r["_c2s"]]
            reps = [r for r in fr if not r["_c2s"]]
            if not self.check(reqs, "%s: no DTCP request" % tag):
                continue
            self.check(int(reqs[0]["frame.number"][0]) == e["first_frame"],
                       "%s: first DTCP request in frame %s, manifest %s" % (
                           tag, reqs[0]["frame.number"][0], e["first_frame"]))
            self.check(len(reqs) == len(reps), "%s: %d requests, %d replies" % (
                tag, len(reqs), len(reps)))
            for i, r in enumerate(reqs):
                fn = r["frame.number"][0]
                self.check(chain(r)[-1] == "data", "%s: frame %s decoded as %s (tshark has "
                           "no DTCP dissector)" % (tag, fn, chain(r)[-2:]))
                msg = parse_dtcp(payload_bytes(r))
                if not self.check(msg is not None and msg["start"][0] in DTCP_METHODS and
                                  re.fullmatch(r"DTCP/0\.[0-9]", msg["start"][1]),
                                  "%s: frame %s: not a DTCP request: %r" % (
                                      tag, fn, payload_bytes(r)[:40])):
                    continue
                h = msg["headers"]
                auth = h.get("authentication-info", "")
                self.check(re.fullmatch(r"[0-9a-f]{40}", auth) is not None and "seq" in h and
                           "csource-id" in h,
                           "%s: frame %s: Seq / Csource-ID / 40-hex Authentication-Info "
                           "missing (%s)" % (tag, fn, sorted(h)))
                cmd = msg["start"][0]
                if cmd == "ADD":
                    need = ("x-jtap-cdest-dest-address", "x-jtap-cdest-dest-port",
                            "x-md-intercept-id")
                    self.check(all(k in h for k in need) and
                               re.fullmatch(r"0x[0-9a-fA-F]{8}(?:[0-9a-fA-F]{8})?",
                                            h.get("x-md-intercept-id", "")),
                               "%s: frame %s: ADD lacks %s" % (tag, fn,
                                                               [k for k in need if k not in h]))
                if i == 0:
                    d = e["detail"]
                    got = {"command": cmd}
                    if cmd == "ADD":
                        got.update(intercept_id=h.get("x-md-intercept-id"),
                                   dest_address=h.get("x-jtap-cdest-dest-address"),
                                   dest_port=int(h.get("x-jtap-cdest-dest-port", "0")))
                    if "criteria-id" in h:
                        got["criteria_id"] = h["criteria-id"]
                    self.check(all(got.get(k) == v for k, v in d.items()) and
                               got["command"] == d.get("command"),
                               "%s: frame %s: %s, manifest %s" % (tag, fn, got, d))
                if i < len(reps):
                    rep = parse_dtcp(payload_bytes(reps[i]))
                    rfn = reps[i]["frame.number"][0]
                    self.check(rep is not None and rep["start"][0].startswith("DTCP/0.") and
                               rep["start"][1] == "200" and
                               rep["headers"].get("seq") == h.get("seq") and
                               all(n == n.upper() for n in rep["names"]),
                               "%s: reply %s to %s: %s (want 200, SEQ %s, upper-case names)" % (
                                   tag, rfn, fn, rep and (rep["start"], rep["names"]),
                                   h.get("seq")))

    # -- SNMP (TAP MIBs) -----------------------------------------------------

    def check_snmp(self, name, pcap, entries):
        pkts = []
        for p in self.pdml(pcap, "snmp"):
            vals = {}
            for f in p.iter("field"):
                n = f.get("name")
                if n in ("frame.number", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
                         "udp.srcport", "udp.dstport", "snmp.version", "snmp.msgVersion",
                         "snmp.community", "snmp.msgUserName", "snmp.msgFlags", "snmp.data",
                         "snmp.request_id", "frame.protocols") and n not in vals:
                    vals[n] = [f.get("show")]
            vbs = []
            for f in p.iter("field"):
                if f.get("name") == "snmp.variable_bindings":
                    for vb in f.findall("field"):
                        oid, val = None, None
                        for k in vb.findall("field"):
                            if k.get("name") == "snmp.name":
                                oid = k.get("show")
                            elif (k.get("name") or "").startswith("snmp.value."):
                                val = (k.get("name")[len("snmp.value."):], k.get("show"),
                                       k.get("value"))
                        vbs.append((oid, val))
            vals["_vbs"] = vbs
            pkts.append(vals)
        for e in entries:
            tag = "%s: %s" % (name, e.get("name"))
            fr = self.flow_rows(pkts, e)
            tap_reqs = [r for r in fr if r["_c2s"] and any(tap_mib(o or "") for o, _ in r["_vbs"])]
            if not self.check(tap_reqs, "%s: no request with a TAP MIB OID" % tag):
                continue
            r0 = tap_reqs[0]
            fn = r0["frame.number"][0]
            self.check(int(fn) == e["first_frame"], "%s: first TAP request in frame %s, "
                       "manifest %s" % (tag, fn, e["first_frame"]))
            d = e["detail"]
            op = SNMP_OPS.get(int(r0["snmp.data"][0])) if r0.get("snmp.data") else None
            self.check(op == d.get("operation"), "%s: frame %s: operation %s, manifest %s" % (
                tag, fn, op, d.get("operation")))
            ver = self.first(r0, "snmp.version", "snmp.msgVersion")
            if ver == "3":
                flags = int(r0["snmp.msgFlags"][0], 16) if r0.get("snmp.msgFlags") else None
                self.check(flags is not None and flags & 3 == 0 and
                           r0.get("snmp.msgUserName") == ["li-admin"],
                           "%s: SNMPv3 msgFlags %s user %s (want noAuthNoPriv, li-admin)" % (
                               tag, r0.get("snmp.msgFlags"), r0.get("snmp.msgUserName")))
                self.note("%s: SNMPv3 noAuthNoPriv, plaintext scopedPDU" % tag)
            else:
                self.check(ver in ("0", "1") and r0.get("snmp.community"),
                           "%s: version %s community %s" % (tag, ver, r0.get("snmp.community")))
            first_oid = r0["_vbs"][0][0] or ""
            if "table" in d:
                self.check(d["table"] == "cTap2MediationTable" and
                           first_oid.startswith(CTAP2_MED + "."),
                           "%s: first varbind %s, manifest table %s" % (tag, first_oid,
                                                                       d["table"]))
            if "mediation_address" in d:
                cols = {}
                for o, v in r0["_vbs"]:
                    m = re.fullmatch(re.escape(CTAP2_MED) + r"\.(\d+)\.(\d+)", o or "")
                    if m:
                        cols[int(m.group(1))] = v
                addr = port = None
                if cols.get(3) and cols[3][0] == "octets":
                    raw = bytes.fromhex(cols[3][2])
                    addr = str(ipaddress.ip_address(raw)) if len(raw) in (4, 16) else raw
                if cols.get(4) and cols[4][0] in ("g32", "u32"):
                    port = int(cols[4][1])
                atype = int(cols[2][1]) if cols.get(2) and cols[2][0] == "int" else None
                want_t = 1 if ":" not in d["mediation_address"] else 2
                self.check(addr == d["mediation_address"] and port == d["mediation_port"] and
                           atype == want_t and cols.get(13, (0, ""))[1] == "4",
                           "%s: mediation %s:%s type %s status %s, manifest %s:%s" % (
                               tag, addr, port, atype, cols.get(13), d["mediation_address"],
                               d["mediation_port"]))
            # every request answered by the agent: same request-id, response PDU, same names
            for r in [r for r in fr if r["_c2s"]]:
                resp = [x for x in fr if not x["_c2s"] and
                        x.get("snmp.request_id") == r.get("snmp.request_id")]
                names = [o for o, _ in r["_vbs"]]
                rnames = [o for o, _ in resp[0]["_vbs"]] if resp else None
                pdu = self.first(resp[0], "snmp.data") if resp else None
                self.check(resp and pdu in ("2", "8") and (pdu == "8" or rnames == names),
                           "%s: request %s: response %s pdu %s names %s" % (
                               tag, r["frame.number"][0], resp and resp[0]["frame.number"],
                               pdu, rnames == names))
            mibs = sorted({tap_mib(o) for r in fr for o, _ in r["_vbs"] if tap_mib(o or "")})
            self.note("%s: %s %s via %s" % (tag, op, ", ".join(mibs), "v%s" % {
                "0": "1", "1": "2c", "3": "3"}.get(ver, ver)))

    # -- PacketCable (one pcli variant per run) ------------------------------

    def check_pcli(self, name, pcap, entries):
        ports = sorted({e["dest_port"] for e in entries})
        names = ["frame.number", "frame.time_epoch", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
                 "udp.srcport", "udp.dstport", "pcli.cccid", "pcli.timestamp", "pcli.case_id",
                 "ip.checksum.status", "_ws.malformed", "_ws.expert.severity"]
        runs = {}
        for hlen, proto in ((4, "pcli"), (12, "pcli12"), (20, "pcli20")):
            da = []
            for p in ports:
                da += ["-d", "udp.port==%d,%s" % (p, proto)]
            da += ["-d", "pcli.payload,ip"] + CHECKSUMS
            runs[hlen] = {int(r["frame.number"][0]): r for r in self.fields(
                pcap, " || ".join("udp.dstport == %d" % p for p in ports), names, da)}
        for e in entries:
            tag = "%s: %s" % (name, e.get("name"))
            d = e["detail"]
            hlen = d.get("header_len", 4)
            if not self.check(hlen in runs, "%s: header_len %s" % (tag, hlen)):
                continue
            fr = self.flow_rows(list(runs[hlen].values()), e, both=False)
            if not self.check(fr, "%s: no frames" % tag):
                continue
            self.check(int(fr[0]["frame.number"][0]) == e["first_frame"],
                       "%s: first frame %s, manifest %s" % (tag, fr[0]["frame.number"][0],
                                                           e["first_frame"]))
            for i, r in enumerate(fr):
                fn = int(r["frame.number"][0])
                inner = inner_l3(r)
                ck = r.get("ip.checksum.status", [])
                clean = (not warns(r) and inner is not None and "0" not in ck and
                         r.get("pcli.cccid") == [str(d["cccid"])])
                self.check(clean, "%s: frame %s: %s-byte header: cccid %s (manifest %s) inner %s "
                           "warnings %s" % (tag, fn, hlen, r.get("pcli.cccid"), d["cccid"], inner,
                                            warns(r)))
                if i == 0:
                    self.check(inner is not None and
                               {"src_ip": inner[0], "dest_ip": inner[1]} == d.get("inner"),
                               "%s: inner %s, manifest %s" % (tag, inner, d.get("inner")))
                if hlen >= 12:
                    t = parse_abs_time(r["pcli.timestamp"][0]) if r.get("pcli.timestamp") else None
                    self.check(t is not None and abs(t - float(r["frame.time_epoch"][0])) < 1.0,
                               "%s: frame %s: NTP timestamp %s" % (
                                   tag, fn, r.get("pcli.timestamp")))
                others = [h for h in runs if h != hlen and not warns(runs[h][fn]) and
                          inner_l3(runs[h][fn]) is not None]
                self.check(not others, "%s: frame %s also decodes cleanly with a %s-byte "
                           "header" % (tag, fn, others))

    # -- JMirror / Nokia LI-shim -------------------------------------------

    def check_jmirror(self, name, pcap, entries):
        rows = self.fields(pcap, "jmirror", [
            "frame.number", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "udp.srcport",
            "udp.dstport", "ip.ttl", "ipv6.hlim", "udp.checksum", "jmirror.mid", "jmirror.sid",
            "ip.checksum.status", "_ws.malformed", "_ws.expert.severity"],
            self.decode_as({"expect": entries}) + CHECKSUMS)
        for e in entries:
            tag = "%s: %s" % (name, e.get("name"))
            d = e["detail"]
            fr = self.flow_rows(rows, e, both=False)
            if not self.check(fr, "%s: no jmirror frames" % tag):
                continue
            self.check(int(fr[0]["frame.number"][0]) == e["first_frame"],
                       "%s: first frame %s, manifest %s" % (tag, fr[0]["frame.number"][0],
                                                           e["first_frame"]))
            mhv = d.get("mhv", 0)
            for i, r in enumerate(fr):
                fn = r["frame.number"][0]
                mid = int(r["jmirror.mid"][0], 16) if r.get("jmirror.mid") else -1
                sid = int(r["jmirror.sid"][0], 16) if r.get("jmirror.sid") else -1
                iid = mid & (0x3FFFFFFF if mhv == 0 else 0x1FFFFFFF)
                ok = mid >> 30 == mhv and iid == d["intercept_id"] and sid == d["session_id"]
                if mhv == 1:
                    ok = ok and bool(mid & 0x20000000) == (d.get("direction") == "egress")
                inner = inner_l3(r)
                self.check(ok and inner is not None and not warns(r) and
                           "0" not in r.get("ip.checksum.status", []),
                           "%s: frame %s: mid 0x%08x sid %d inner %s, manifest %s" % (
                               tag, fn, mid & 0xFFFFFFFF, sid, inner, d))
                if i == 0:
                    self.check(inner is not None and
                               {"src_ip": inner[0], "dest_ip": inner[1]} == d.get("inner"),
                               "%s: inner %s, manifest %s" % (tag, inner, d.get("inner")))
                if mhv == 0:
                    v4 = self.outer(r)[0] == "ip"
                    ttl = (r["ip.ttl"] if v4 else r["ipv6.hlim"])[:1]
                    self.check(ttl == ["255"] and (not v4 or r["udp.checksum"][:1] == ["0x0000"]),
                               "%s: frame %s: Juniper outer TTL %s UDP checksum %s (want 255, "
                               "0 over IPv4)" % (tag, fn, ttl, r["udp.checksum"][:1]))

    # -- Redback LI ------------------------------------------------------------

    def check_redback(self, name, pcap, entries):
        rows = self.fields(pcap, "redbackli", [
            "frame.number", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "udp.srcport",
            "udp.dstport", "redbackli.liid", "redbackli.sessid", "redbackli.seqno",
            "redbackli.label", "ip.checksum.status", "_ws.malformed", "_ws.expert.severity"],
            CHECKSUMS)
        for e in entries:
            tag = "%s: %s" % (name, e.get("name"))
            d = e["detail"]
            fr = self.flow_rows(rows, e, both=False)
            if not self.check(fr, "%s: not decoded as redbackli (heuristic)" % tag):
                continue
            self.check(int(fr[0]["frame.number"][0]) == e["first_frame"],
                       "%s: first frame %s, manifest %s" % (tag, fr[0]["frame.number"][0],
                                                           e["first_frame"]))
            seqs = []
            for i, r in enumerate(fr):
                fn = r["frame.number"][0]
                inner = inner_l3(r)
                self.check(r["redbackli.liid"] == [str(d["li_id"])] and
                           r["redbackli.sessid"] == [str(d["session_id"])] and
                           inner is not None and not warns(r) and
                           "0" not in r.get("ip.checksum.status", []),
                           "%s: frame %s: liid %s sessid %s inner %s, manifest %s" % (
                               tag, fn, r["redbackli.liid"], r["redbackli.sessid"], inner, d))
                seqs += [int(x) for x in r["redbackli.seqno"][:1]]
                if i == 0:
                    self.check(inner is not None and
                               {"src_ip": inner[0], "dest_ip": inner[1]} == d.get("inner"),
                               "%s: inner %s, manifest %s" % (tag, inner, d.get("inner")))
            self.check(seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else False,
                       "%s: sequence numbers %s not consecutive" % (tag, seqs))

    # -- TZSP --------------------------------------------------------------------

    def check_tzsp(self, name, pcap, entries):
        rows = self.fields(pcap, "tzsp", [
            "frame.number", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "udp.srcport",
            "udp.dstport", "tzsp.version", "tzsp.type", "tzsp.encap", "eth.type",
            "ip.checksum.status", "_ws.malformed", "_ws.expert.severity"],
            self.decode_as({"expect": entries}) + CHECKSUMS)
        for e in entries:
            tag = "%s: %s" % (name, e.get("name"))
            d = e["detail"]
            fr = self.flow_rows(rows, e, both=False)
            if not self.check(fr, "%s: no tzsp frames" % tag):
                continue
            self.check(int(fr[0]["frame.number"][0]) == e["first_frame"],
                       "%s: first frame %s, manifest %s" % (tag, fr[0]["frame.number"][0],
                                                           e["first_frame"]))
            if e["dest_port"] != TZSP_PORT:
                self.note("%s: TZSP on UDP %d (Decode-As)" % (tag, e["dest_port"]))
            for i, r in enumerate(fr):
                fn = r["frame.number"][0]
                inner = inner_l3(r)
                self.check(r["tzsp.version"] == ["1"] and r["tzsp.type"] == ["0"] and
                           r["tzsp.encap"] == [str(d["encap"])] and inner is not None and
                           not warns(r) and "0" not in r.get("ip.checksum.status", []),
                           "%s: frame %s: version %s type %s encap %s inner %s (manifest "
                           "encap %s)" % (tag, fn, r["tzsp.version"], r["tzsp.type"],
                                          r["tzsp.encap"], inner, d["encap"]))
                if i == 0:
                    self.check(inner is not None and
                               {"src_ip": inner[0], "dest_ip": inner[1]} == d.get("inner"),
                               "%s: inner %s, manifest %s" % (tag, inner, d.get("inner")))

    # -- rpcap -------------------------------------------------------------------

    def check_rpcap(self, name, pcap, entries):
        rows = self.fields(pcap, "rpcap", [
            "frame.number", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "tcp.srcport",
            "tcp.dstport", "udp.srcport", "udp.dstport", "rpcap.version", "rpcap.type",
            "rpcap.value", "rpcap.len", "rpcap.client_port", "rpcap.flags.dgram",
            "rpcap.linktype", "rpcap.cap_len", "rpcap.number", "ip.checksum.status",
            "_ws.malformed", "_ws.expert.severity"], ["-o", "rpcap.linktype:1"] + CHECKSUMS)
        ctl = [e for e in entries if e["proto"] == "TCP"]
        data = [e for e in entries if e["proto"] == "UDP"]
        self.check(len(ctl) == len(data) and len(ctl) + len(data) == len(entries),
                   "%s: %d control and %d data flows" % (name, len(ctl), len(data)))
        ports = {}
        for e in ctl:
            tag = "%s: %s" % (name, e.get("name"))
            fr = self.flow_rows(rows, e)
            if not self.check(fr, "%s: no rpcap control messages" % tag):
                continue
            types = [(int(t, 16), r["_c2s"]) for r in fr for t in r["rpcap.type"]]
            # the capture client speaks first; in active mode it is the TCP server
            client_dir = fr[0]["_c2s"]
            self.check(int(fr[0]["frame.number"][0]) == e["first_frame"] and
                       types[0] == (0x08, client_dir) and client_dir,
                       "%s: first rpcap message %s in frame %s, manifest %s" % (
                           tag, types[:1], fr[0]["frame.number"][0], e["first_frame"]))
            reqs = [t for t, c in types if c]
            reps = [t for t, c in types if not c]
            want = [0x08, 0x02, 0x03, 0x04, 0x0A]
            self.check(reqs == want and reps == [t | 0x80 for t in want],
                       "%s: client messages %s, server %s" % (
                           tag, [hex(t) for t in reqs], [hex(t) for t in reps]))
            self.check(all(r["rpcap.version"] == ["0"] and not warns(r) for r in fr),
                       "%s: version / errors" % tag)
            sc = [r for r in fr if "0x04" in r["rpcap.type"]]
            if sc and sc[0].get("rpcap.client_port"):
                ports[(e["src_ip"], e["dest_ip"])] = int(sc[0]["rpcap.client_port"][0])
                self.check(sc[0]["rpcap.flags.dgram"] in (["1"], ["True"]),
                           "%s: startcap request without the UDP (dgram) flag" % tag)
            lt = [r["rpcap.linktype"] for r in fr if "0x83" in r["rpcap.type"]]
            self.check(lt == [["1"]], "%s: open reply linktype %s (want 1)" % (tag, lt))
            self.check(e["detail"] == {"message": "auth-request"},
                       "%s: detail %s" % (tag, e["detail"]))
            if e["src_port"] != 2002 and e["dest_port"] != 2002:
                self.note("%s: active mode (client TCP port %s)" % (tag, e["src_port"]))
        for e in data:
            tag = "%s: %s" % (name, e.get("name"))
            fr = self.flow_rows(rows, e, both=False)
            if not self.check(fr, "%s: no rpcap packet messages" % tag):
                continue
            self.check(int(fr[0]["frame.number"][0]) == e["first_frame"],
                       "%s: first frame %s, manifest %s" % (tag, fr[0]["frame.number"][0],
                                                           e["first_frame"]))
            # data flows from rpcapd to the client's UDP port named in startcap
            port = ports.get((e["dest_ip"], e["src_ip"]))
            self.check(port == e["dest_port"], "%s: UDP to port %s, startcap request says %s"
                       % (tag, e["dest_port"], port))
            for i, r in enumerate(fr):
                fn = r["frame.number"][0]
                inner = inner_l3(r)
                self.check(r["rpcap.type"] == ["0x07"] and inner is not None and
                           not warns(r) and r["rpcap.number"] == [str(i + 1)],
                           "%s: frame %s: type %s npkt %s inner %s" % (
                               tag, fn, r["rpcap.type"], r["rpcap.number"], inner))
                if i == 0:
                    self.check(e["detail"].get("message") == "packet" and inner is not None and
                               {"src_ip": inner[0], "dest_ip": inner[1]} ==
                               e["detail"].get("inner"),
                               "%s: inner %s, manifest %s" % (tag, inner, e["detail"]))

    # -- warrant (task lists) ------------------------------------------------

    def check_warrant(self, name, entry):
        tasks = entry.get("tasks") or {}
        xids, liids = tasks.get("xids", []), tasks.get("liids", [])
        self.check(isinstance(xids, list) and isinstance(liids, list) and
                   len(set(xids)) == len(xids) and len(set(liids)) == len(liids),
                   "%s: tasks %s" % (name, tasks))
        self.check(all(re.fullmatch(UUID_RE, x) for x in xids),
                   "%s: task xids %s not v4 UUIDs" % (name, xids))
        seen = {"listed": 0, "missing": 0}
        used = set()
        for e in entry["expect"]:
            tag = "%s: %s" % (name, e.get("name"))
            w = e.get("warrant")
            if not self.check(w in seen and e["family"] in ("etsi-x2x3", "etsi-hi") and
                              e["authorized"], "%s: warrant %s family %s authorized %s" % (
                                  tag, w, e["family"], e["authorized"])):
                continue
            seen[w] += 1
            tid, lst = ((e["detail"]["xid"], xids) if e["family"] == "etsi-x2x3" else
                        (e["detail"]["liid"], liids))
            used.add(tid)
            self.check((tid in lst) == (w == "listed"),
                       "%s: id %s is %s the task list, manifest says %s" % (
                           tag, tid, "in" if tid in lst else "not in", w))
        self.check(seen["listed"] > 0 and seen["missing"] > 0,
                   "%s: want both listed and missing flows (%s)" % (name, seen))
        fams = {(e["family"], e.get("warrant")) for e in entry["expect"]}
        self.check({("etsi-x2x3", "listed"), ("etsi-x2x3", "missing"), ("etsi-hi", "listed"),
                    ("etsi-hi", "missing")} <= fams,
                   "%s: want listed and missing flows of X2/X3 and HI (%s)" % (name, sorted(
                       fams, key=str)))
        self.note("%s: %d listed, %d missing; %d task ids without traffic" % (
            name, seen["listed"], seen["missing"], len(set(xids + liids) - used)))

    # -- negatives / background ---------------------------------------------

    def check_negatives(self, name, pcap, entry):
        cases = {c["name"]: c["frames"] for c in entry.get("cases", [])}
        li5g_names = ["frame.number", "li5g.type", "li5g.hl", "li5g.pl", "li5g.pf", "li5g.pd",
                      "li5g.attrType", "li5g.attrLen", "_ws.malformed"]
        frames = sorted({f for fr in cases.values() for f in fr})
        rows = self.fields(pcap, "frame.number in {%s}" % ", ".join(map(str, frames or [0])),
                           li5g_names + ["_ws.expert.severity", "gre.proto", "erspan.version",
                                         "ldap.protocolOp", "ber.unknown.OID", "udp.payload",
                                         "tcp.payload", "snmp.name", "snmp.data",
                                         "http.response.code", "http.content_type",
                                         "http.request.method", "xml.tag", "xml.attribute",
                                         "tzsp.version"],
                           self.decode_as() + ["-d", "tcp.port==7001,ber"])
        by_frame = {int(r["frame.number"][0]): r for r in rows}

        def has(c):
            return [by_frame[f] for f in cases.get(c, []) if f in by_frame]

        def ints(r, k):
            return [int(x) for x in r[k]]

        # X2/X3 near misses: does tshark show the defect; does it reject the PDU?
        x2x3 = {
            "x2x3-hl-lt-40": (lambda r: any(h < 40 for h in ints(r, "li5g.hl")), True),
            "x2x3-hl-mismatch": (lambda r: sum(h - 40 for h in ints(r, "li5g.hl")) !=
                                 sum(4 + a for a in ints(r, "li5g.attrLen")), True),
            "x2x3-type-7": (lambda r: ints(r, "li5g.type") == [7], False),
            "x2x3-keepalive-pl": (lambda r: ints(r, "li5g.type") == [3] and
                                  ints(r, "li5g.pl")[0] > 0, False),
            "x2x3-direction-9": (lambda r: ints(r, "li5g.pd") == [9], False),
            "x2x3-x2-format-7": (lambda r: ints(r, "li5g.type") == [1] and
                                 ints(r, "li5g.pf") == [7], False),
            "x2x3-seq-tlv-len-2": (lambda r: (8, 2) in zip(ints(r, "li5g.attrType"),
                                                         ints(r, "li5g.attrLen")), False),
        }
        checks = {
            "ber-rsa-oid-pspdu-like": None, "ber-rsa-oid-hi2-like": None,
            "ber-bsi-eid-oid": self.neg_bsi, "ldap": self.neg_ldap,
            "gre-ipv4": self.neg_gre, "gre-teb": self.neg_gre, "vxlan": self.neg_udp_encap,
            "gtpu": self.neg_udp_encap, "geneve": self.neg_udp_encap,
            "erspan-over-udp": self.neg_erspan_udp, "random-tcp": self.neg_random,
            "random-udp": self.neg_random, "snmp-mib2-get": self.neg_snmp,
            "snmp-cisco39-get": self.neg_snmp, "snmp-cisco3990-get": self.neg_snmp,
            "http-x1-dtcp-quote": self.neg_quote, "xml-other-ns-x1request": self.neg_other_ns,
            "random-udp-9000": self.neg_random, "random-udp-30030": self.neg_random,
            "random-udp-37008": self.neg_random_tzsp, "random-tcp-2002": self.neg_random,
            "tzsp-tag-overrun": self.neg_tzsp_overrun, "rpcap-bad-length": self.neg_rpcap_len,
            "redback-no-avp3": self.neg_redback_avp3,
        }
        for c in sorted(cases):
            self.check(c in x2x3 or c in checks, "%s: no oracle check for negative case %s"
                       % (name, c))
        for c in sorted(set(x2x3) | set(checks)):
            self.check(c in cases and len(has(c)) == len(cases[c]),
                       "%s: case %s missing (or its frames)" % (name, c))
        for c, (shows, rejects) in x2x3.items():
            rs = has(c)
            self.check(rs and all(r["li5g.type"] for r in rs),
                       "%s: %s: frames %s not decoded as %s" % (name, c, cases.get(c), self.li5g))
            for r in rs:
                if not r["li5g.type"]:
                    continue
                fn = r["frame.number"][0]
                self.check(shows(r), "%s: %s: frame %s does not show the defect (%s)" % (
                    name, c, fn, {k: r[k] for k in li5g_names[1:]}))
                mal = bool(r["_ws.malformed"])
                self.check(mal == rejects, "%s: %s: frame %s: tshark %s it, expected %s" % (
                    name, c, fn, "rejects" if mal else "accepts",
                    "rejection" if rejects else "a clean decode"))
        self.note("tshark rejects (Malformed): HL < 40, HL cutting a TLV; it decodes "
                  "type 7, direction 9, keepalive PL != 0, X2 format 7, 2-byte seq TLV "
                  "without complaint (the fields are checked instead)")

        # BER look-alikes from other OID arcs: structure decodes, OID is not LI
        ber_frames = {c: cases.get(c, [0]) for c in ("ber-rsa-oid-pspdu-like",
                                                     "ber-rsa-oid-hi2-like")}
        out = self.tshark(["-r", pcap, "-d", "tcp.port==50002,ber", "-d", "tcp.port==50003,ber",
                           "-V", "-Y", "frame.number in {%s}" % ", ".join(
                               str(f) for fr in ber_frames.values() for f in fr)])
        blocks = {int(m.group(1)): m.group(0) for m in
                  re.finditer(r"(?ms)^Frame (\d+):.*?(?=^Frame \d+:|\Z)", out)}
        for c, fr in ber_frames.items():
            text = "".join(blocks.get(f, "") for f in fr)
            self.check("[CONTEXT 0] 2a864886f70d" in text and "04000202" not in text,
                       "%s: %s: BER decode does not show the RSA OID 1.2.840.113549" % (name, c))
        for c, fn in sorted(checks.items()):
            if fn is not None and has(c):
                fn(name, c, has(c))
        # the background page quoting the LI arc (not a case: it has no LI bytes)
        quote = [r for r in self.base.values() if "http" in chain(r) and
                 b"0.4.0.2.2" in payload_bytes(r) and b"X2/X3" in payload_bytes(r)]
        self.check(len(quote) >= 1, "%s: no HTTP page quoting 0.4.0.2.2 and X2/X3" % name)

    def neg_bsi(self, name, c, rows):
        oids = rows[0]["ber.unknown.OID"]
        self.check(any(o.startswith("0.4.0.127.0.7") for o in oids),
                   "%s: BSI eID OID 0.4.0.127.0.7.x not decoded (%s)" % (name, oids))

    def neg_ldap(self, name, c, rows):
        self.check(all(r["ldap.protocolOp"] for r in rows), "%s: LDAP messages not decoded" % name)

    def neg_gre(self, name, c, rows):
        want = {"gre-ipv4": 0x0800, "gre-teb": 0x6558}[c]
        self.check(all(r["gre.proto"] and int(r["gre.proto"][0], 0) == want and
                       "erspan" not in chain(r) for r in rows),
                   "%s: %s: not plain GRE 0x%04x" % (name, c, want))

    def neg_udp_encap(self, name, c, rows):
        proto = {"vxlan": "vxlan", "gtpu": "gtp", "geneve": "geneve"}[c]
        self.check(all(":udp:%s:" % proto in r["frame.protocols"][0] for r in rows),
                   "%s: %s: not decoded as %s (%s)" % (name, c, proto,
                                                       [r["frame.protocols"] for r in rows[:1]]))

    def neg_erspan_udp(self, name, c, rows):
        self.check(all("gre" not in chain(r) and payload_bytes(r, "udp.payload")[:4] ==
                       b"\x10\x00\x88\xbe" for r in rows),
                   "%s: erspan-over-udp: expected ERSPAN-looking bytes as plain UDP data" % name)

    def neg_random(self, name, c, rows):
        self.check(all(chain(r)[-1] == "data" for r in rows),
                   "%s: %s: random payload decoded as %s" % (name, c,
                                                              [chain(r)[-3:] for r in rows[:2]]))
        if c in ("random-udp-9000", "random-udp-30030", "random-tcp-2002"):
            # nothing a shim decoder could take for an IP header after 4/8/12/20 bytes
            pays = [payload_bytes(r, "udp.payload") or payload_bytes(r) for r in rows]
            self.check(all(len(p) > 20 and all(p[i] >> 4 not in (4, 6) for i in (4, 8, 12, 20))
                           and p[0] != 0 for p in pays),
                       "%s: %s: random bytes look like a shim + IP" % (name, c))

    def neg_random_tzsp(self, name, c, rows):
        # 4.0.17 decodes any UDP 37008 payload as TZSP and does not check the
        # version; the tag walk over random bytes usually throws (allowed).
        self.check(all("tzsp" in chain(r) and r["tzsp.version"] and
                       r["tzsp.version"] != ["1"] for r in rows),
                   "%s: %s: want TZSP decodes with a version other than 1 (%s)" % (
                       name, c, [r["tzsp.version"] for r in rows]))
        self.note("%s: %d of %d random TZSP-port datagrams Malformed in tshark" % (
            c, sum(errors(r) for r in rows), len(rows)))

    def neg_tzsp_overrun(self, name, c, rows):
        self.check(all("tzsp" in chain(r) and r["tzsp.version"] == ["1"] and errors(r)
                       for r in rows),
                   "%s: %s: want a TZSP v1 header whose tag walk tshark rejects" % (name, c))

    def neg_rpcap_len(self, name, c, rows):
        for r in rows:
            p = payload_bytes(r)
            plen = struct.unpack("!I", p[4:8])[0] if len(p) >= 8 else None
            self.check(chain(r)[-1] == "data" and p[:2] == b"\x00\x08" and plen is not None and
                       plen != len(p) - 8 and plen < 8,
                       "%s: %s: want an rpcap auth header with a wrong length, not decoded "
                       "as rpcap (%s, plen %s of %d)" % (name, c, chain(r)[-2:], plen, len(p)))

    def neg_redback_avp3(self, name, c, rows):
        for r in rows:
            p = payload_bytes(r, "udp.payload")
            types, i = [], 0
            while i + 2 <= len(p) and p[i] != 0:
                types.append(p[i])
                i += 2 + p[i + 1]
            ok = (i + 2 <= len(p) and p[i:i + 2] == b"\x00\x00" and i + 2 < len(p) and
                  p[i + 2] == 0x45)
            self.check(chain(r)[-1] == "data" and ok and {1, 2} <= set(types) and
                       3 not in types,
                       "%s: %s: want AVPs 1, 2 without 3, EOH, IPv4, not decoded as "
                       "redbackli (%s, AVPs %s)" % (name, c, chain(r)[-2:], types))

    def neg_snmp(self, name, c, rows):
        prefix = {"snmp-mib2-get": "1.3.6.1.2.1.", "snmp-cisco39-get": "1.3.6.1.4.1.9.9.39.",
                  "snmp-cisco3990-get": "1.3.6.1.4.1.9.9.3990."}[c]
        for r in rows:
            oids = r["snmp.name"]
            self.check(oids and r["snmp.data"] == ["0"] and
                       all(o.startswith(prefix) and not tap_mib(o) for o in oids),
                       "%s: %s: frame %s: get of %s (want %s*, no TAP MIB)" % (
                           name, c, r["frame.number"][0], oids, prefix))

    def neg_quote(self, name, c, rows):
        for r in rows:
            p = payload_bytes(r)
            self.check(r["http.response.code"] == ["200"] and
                       (r["http.content_type"] or [""])[0].startswith("text/html") and
                       "xml" not in chain(r) and X1_NS.encode() in p and
                       b"<X1Request>" in p and b"ADD DTCP/0.7" in p,
                       "%s: %s: want a text/html 200 quoting the X1 namespace, <X1Request> "
                       "and ADD DTCP/0.7 (%s)" % (name, c, chain(r)[-2:]))

    def neg_other_ns(self, name, c, rows):
        post = [r for r in rows if r["http.request.method"] == ["POST"]]
        self.check(len(post) == 1 and any(t.startswith("<X1Request") for t in
                                          post[0]["xml.tag"]) and
                   not any(X1_NS in a for a in post[0]["xml.attribute"]),
                   "%s: %s: want a POST of an X1Request element outside the X1 namespace" % (
                       name, c))

    def check_background(self, name, pcap, entry):
        self.check(entry["packets"] >= 200, "%s: only %d packets" % (name, entry["packets"]))
        for what, flt, n in (
                ("HTTP GET", 'http.request.method == "GET"', 2),
                ("HTTP response", "http.response.code == 200", 2),
                ("TLS handshake on 443", "tls.handshake.type == 1 && tcp.dstport == 443", 1),
                ("TLS application data", "tls.app_data", 4),
                ("DNS query/response", "dns.flags.response == 1 && dns.a", 2),
                ("NTP", "ntp", 2),
                ("ICMP echo", "icmp.type == 0", 2),
                ("ICMPv6 echo", "icmpv6.type == 129", 1),
                ("IPv6 TCP", "ipv6 && tcp.len > 0", 2),
                ("IPv4 fragments", "ip.flags.mf == 1 || ip.frag_offset > 0", 3),
                ("IPv4 reassembled UDP", "ip.reassembled.length && udp", 1),
                ("IPv6 fragments", "ipv6.nxt == 44", 3),
                ("IPv6 reassembled UDP", "ipv6.reassembled.length && udp", 1),
                ("ARP", "arp", 2),
                ("LLDP", "lldp", 1),
                ("TCP FIN", "tcp.flags.fin == 1", 2)):
            rows = self.fields(pcap, flt, ["frame.number"])
            self.check(len(rows) >= n,
                       "%s: %s: %d frames (want >= %d)" % (name, what, len(rows), n))
        for l3 in ("ip", "ipv6"):
            rows = self.fields(pcap, "%s.reassembled.length" % l3, ["%s.fragment.count" % l3])
            self.check(rows and rows[0]["%s.fragment.count" % l3] == ["3"],
                       "%s: %s datagram not in 3 fragments (%s)" % (
                           name, l3, rows[0]["%s.fragment.count" % l3] if rows else None))



def xml_info(proto):
    """The root element of a PDML xml proto: local name, prefix and the
    namespace that prefix is bound to on the root, the first child's name and
    its xsi:type (local part and prefix), and the text of every xId."""
    def tname(f):
        m = re.match(r"<([A-Za-z_][\w.:-]*)", (f.get("show") or "") if f is not None else "")
        return m.group(1) if m else ""

    def attrs(f):
        out = {}
        for a in (f.findall("field") if f is not None else []):
            if a.get("name") == "xml.attribute":
                m = re.match(r'([\w.:-]+)="(.*)"$', a.get("show") or "", re.S)
                if m:
                    out[m.group(1)] = m.group(2)
        return out

    def tags(f):
        return [k for k in f.findall("field") if k.get("name") == "xml.tag"]

    roots = tags(proto)
    if not roots:
        return None
    root = roots[0]
    prefix, _, local = tname(root).rpartition(":")
    a = attrs(root)
    ns = a.get("xmlns:" + prefix) if prefix else a.get("xmlns")
    kids = tags(root)
    msg = kids[0] if kids else None
    tprefix, _, tlocal = (attrs(msg).get("xsi:type") or "").rpartition(":")
    xids = []
    for f in root.iter("field"):
        if f.get("name") == "xml.tag" and tname(f).rpartition(":")[2] == "xId":
            c = [k.get("show") for k in f.findall("field") if k.get("name") == "xml.cdata"]
            xids.append(c[0] if c else None)
    return {"root": local, "prefix": prefix, "ns": ns, "msg": tname(msg).rpartition(":")[2],
            "type": tlocal or None, "type_prefix": tprefix, "xids": xids}


def parse_dtcp(b):
    """A DTCP message filling the segment: start line, "Name: value" lines,
    CRLF line ends, blank line last. None if it is not one."""
    try:
        text = b.decode("ascii")
    except UnicodeDecodeError:
        return None
    if not text.endswith("\r\n\r\n"):
        return None
    lines = text[:-4].split("\r\n")
    start = lines[0].split(" ")
    if len(start) < 2:
        return None
    headers, names = {}, []
    for line in lines[1:]:
        m = re.fullmatch(r"([A-Za-z0-9-]+): (.*)", line)
        if not m:
            return None
        names.append(m.group(1))
        headers[m.group(1).lower()] = m.group(2)
    return {"start": start, "headers": headers, "names": names}


# ---------------------------------------------------------------------------

def parse_abs_time(s):
    """'Jan  1, 2026 00:00:00.008795000 UTC' -> epoch seconds (float)."""
    m = re.match(r"(\w{3})\s+(\d+), (\d{4}) (\d\d):(\d\d):(\d\d)(\.\d+)? UTC", s.strip())
    if not m:
        return None
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    mon = months.index(m.group(1)) + 1
    t = calendar.timegm((int(m.group(3)), mon, int(m.group(2)),
                         int(m.group(4)), int(m.group(5)), int(m.group(6))))
    return t + float(m.group(7) or 0)


def oid_dotted(hexstr):
    """BER OBJECT IDENTIFIER content octets (hex) -> dotted text."""
    try:
        b = bytes.fromhex(hexstr)
    except ValueError:
        return None
    if not b:
        return None
    arcs, v = [], 0
    for x in b:
        v = (v << 7) | (x & 0x7F)
        if not x & 0x80:
            arcs.append(v)
            v = 0
    first = arcs[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return ".".join(str(a) for a in head + arcs[1:])


def ber_tree(packet):
    """The generic-BER tree of a PDML packet:
    {label, tag, start, end, hex, kids} for the outermost SEQUENCE, or None."""
    def conv(f):
        show = f.get("show") or ""
        showname = f.get("showname") or ""
        label = show if f.get("name") == "" else showname
        m = re.match(r"(\[CONTEXT (\d+)\]|SEQUENCE)(?: ([0-9a-f]+))?", label)
        if not m:
            return None
        pos, size = int(f.get("pos", 0)), int(f.get("size", 0))
        node = {"label": m.group(1), "tag": int(m.group(2)) if m.group(2) else None,
                "start": pos, "end": pos + size, "hex": m.group(3) or "", "kids": []}
        for c in f.findall("field"):
            k = conv(c)
            if k:
                node["kids"].append(k)
        return node

    for proto in packet.findall("proto"):
        for f in proto.findall("field"):
            if f.get("name") == "" and f.get("show") == "SEQUENCE":
                node = conv(f)
                # the SEQUENCE value starts after its identifier and length octets
                tcp_start = None
                for p2 in packet.findall("proto"):
                    if p2.get("name") == "tcp":
                        for ff in p2.iter("field"):
                            if ff.get("name") == "tcp.payload":
                                tcp_start = int(ff.get("pos"))
                if tcp_start is not None:
                    node["start"] = tcp_start
                return node
    return None


def split_ber(stream):
    """Split back-to-back definite-length BER TLVs."""
    out, i = [], 0
    while i < len(stream):
        if i + 2 > len(stream):
            raise ValueError("truncated header at %d" % i)
        j = i + 1
        n = stream[j]
        j += 1
        if n & 0x80:
            k = n & 0x7F
            if k == 0 or k > 4 or j + k > len(stream):
                raise ValueError("bad length at %d" % i)
            n = int.from_bytes(stream[j:j + k], "big")
            j += k
        if j + n > len(stream):
            raise ValueError("record at %d overruns the stream" % i)
        out.append(stream[i:j + n])
        i = j + n
    return out


def write_user0(path, records):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 147))
        for i, r in enumerate(records):
            f.write(struct.pack("<IIII", EPOCH, i, len(r), len(r)))
            f.write(r)


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print("usage: tshark-check.py DIR   (DIR written by scripts/twgen.py)", file=sys.stderr)
        return 2
    o = Oracle(argv[1])
    try:
        o.run()
    except Failure as exc:
        o.failed += 1
        o.lines.append("FAIL: %s" % exc)
    finally:
        shutil.rmtree(o.tmp, ignore_errors=True)
    for line in o.lines:
        print(line)
    print("tshark-check: %d checks passed, %d failed" % (o.passed, o.failed))
    return 0 if o.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
