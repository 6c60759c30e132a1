#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The tapwatch authors
"""tshark-check.py: confirm a twgen.py output directory with tshark's dissectors.

    tshark-check.py DIR

DIR holds the pcaps and manifest.json written by scripts/twgen.py. Every LI
flow the manifest lists is re-read with tshark 4.0.x and checked against the
manifest; the negatives and background are checked for what tshark can tell.
Uses only the standard library and tshark (no scapy), so a generator bug
cannot hide behind a shared library.

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

Exit 0 if every check passes, 1 otherwise. Each tshark run has a timeout.
"""

import calendar
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

X2_FORMATS = {1, 2, 3, 4, 5, 6, 9, 10, 11, 14, 15}
X3_FORMATS = {1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 15, 16}
FIXED_ATTR_LEN = {8: 4, 9: 8, 10: 4, 11: 4, 12: 16, 13: 16, 14: 2, 15: 2, 16: 1}

# The inventory twgen.py builds for (kept separately on purpose).
INVENTORY = [
    ("md-core", ["10.200.0.10/32", "2001:db8:200::10/128"],
     ["10.1.0.0/24", "2001:db8:1::/64"], {"etsi-x2x3", "etsi-hi"}),
    ("md-mirror", ["10.200.0.20/32", "2001:db8:200::20/128"], None, {"erspan"}),
]

LUA_USER0 = ('DissectorTable.get("wtap_encap"):add(wtap_encaps.USER0, '
             'Dissector.get(os.getenv("USER0_DISSECTOR")))\n')


class Failure(Exception):
    pass


class Oracle:
    def __init__(self, d):
        self.dir = d
        self.passed = 0
        self.failed = 0
        self.tmp = tempfile.mkdtemp(prefix="tshark-check.")
        self.li5g = "5gli"

    # -- bookkeeping -------------------------------------------------------

    def check(self, cond, what):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL: %s" % what)
        return cond

    def note(self, msg):
        print("note: %s" % msg)

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

    def decode_as(self):
        return ["-d", "tcp.port==50001,%s" % self.li5g, "-d", "tcp.port==50002,ber"]

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
        chain = row["frame.protocols"][0].split(":") if row.get("frame.protocols") else []
        for p in chain:
            if p in ("ip", "ipv6") and row.get(p + ".src"):
                return p, row[p + ".src"][0], row[p + ".dst"][0]
        return None, None, None

    def flow_rows(self, rows, e, both=True):
        """Rows of the manifest entry's flow (outer addresses and ports)."""
        out = []
        for r in rows:
            _, src, dst = self.outer(r)
            if src is None:
                continue
            src, dst = ipaddress.ip_address(src), ipaddress.ip_address(dst)
            sp = int(r["tcp.srcport"][0]) if r.get("tcp.srcport") else None
            dp = int(r["tcp.dstport"][0]) if r.get("tcp.dstport") else None
            if e["proto"] == "GRE":
                sp = dp = None           # any TCP ports belong to the mirrored frame
            fwd = (src == ipaddress.ip_address(e["src_ip"]) and
                   dst == ipaddress.ip_address(e["dest_ip"]) and
                   sp == e["src_port"] and dp == e["dest_port"])
            rev = (both and src == ipaddress.ip_address(e["dest_ip"]) and
                   dst == ipaddress.ip_address(e["src_ip"]) and
                   sp == e["dest_port"] and dp == e["src_port"])
            if fwd or rev:
                r["_c2s"] = fwd
                out.append(r)
        return out

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
        for need in ("erspan", "ber", "HI2operations"):
            if need not in names:
                raise Failure("this tshark has no %s dissector" % need)

        mpath = os.path.join(self.dir, "manifest.json")
        if not os.path.isfile(mpath):
            raise Failure("%s missing (run scripts/twgen.py --out %s)" % (mpath, self.dir))
        with open(mpath) as f:
            manifest = json.load(f)
        self.check(len(manifest) > 0, "manifest lists no pcap")
        for name, entry in manifest.items():
            pcap = os.path.join(self.dir, name)
            if not self.check(os.path.isfile(pcap), "%s: file missing" % name):
                continue
            print("-- %s" % name)
            try:
                self.check_file(name, pcap, entry)
            except Failure as exc:
                self.check(False, "%s: %s" % (name, exc))

    def check_file(self, name, pcap, entry):
        with open(pcap, "rb") as f:
            hdr = f.read(24)
        self.check(len(hdr) == 24 and struct.unpack("<I", hdr[:4])[0] == 0xA1B2C3D4 and
                   struct.unpack("<I", hdr[20:24])[0] == 1,
                   "%s: not a little-endian microsecond pcap with linktype Ethernet" % name)

        rows = self.fields(pcap, None, ["frame.number", "frame.time_epoch"])
        self.check(len(rows) == entry["packets"], "%s: %d packets, manifest says %d"
                   % (name, len(rows), entry["packets"]))
        times = [float(r["frame.time_epoch"][0]) for r in rows]
        self.check(bool(times) and abs(times[0] - EPOCH) < 1e-6,
                   "%s: first timestamp %s is not 2026-01-01T00:00:00Z" % (name, times[:1]))
        self.check(all(b > a for a, b in zip(times, times[1:])),
                   "%s: timestamps not strictly increasing" % name)
        self.check(not times or times[-1] - EPOCH < 3600,
                   "%s: capture spans more than an hour" % name)

        self.check_hygiene(name, pcap, entry)

        fams = {"etsi-x2x3": self.check_x2x3, "etsi-hi": self.check_hi,
                "erspan": self.check_erspan}
        keys = set()
        for e in entry["expect"]:
            self.check_entry(name, pcap, e)
            key = (e["src_ip"], e["dest_ip"], e["src_port"], e["dest_port"], e["proto"])
            self.check(key not in keys, "%s: two manifest entries for flow %s" % (name, key))
            keys.add(key)
        self.check_tcp_complete(name, pcap, entry)
        for fam in sorted({e["family"] for e in entry["expect"]}):
            if not self.check(fam in fams, "%s: no oracle for family %s" % (name, fam)):
                continue
            fams[fam](name, pcap, [e for e in entry["expect"] if e["family"] == fam])
        self.check_no_stray_li(name, pcap, entry)
        if name == "negatives.pcap":
            self.check(entry["expect"] == [], "negatives.pcap must expect no alerts")
            self.check_negatives(name, pcap, entry)
        if name == "background.pcap":
            self.check(entry["expect"] == [], "background.pcap must expect no alerts")
            self.check_background(name, pcap, entry)

    # -- generic checks ----------------------------------------------------

    def check_hygiene(self, name, pcap, entry):
        """No malformed frames, no bad checksums, no TCP analysis complaints."""
        allowed = set()
        for c in entry.get("cases", []):
            if c["name"] in ("x2x3-hl-lt-40", "x2x3-hl-mismatch"):
                allowed.update(c["frames"])     # tshark rightly rejects these
        rows = self.fields(pcap, "_ws.malformed || _ws.expert.severity >= \"Error\"",
                           ["frame.number", "_ws.expert.message"], self.decode_as())
        bad = [r for r in rows if int(r["frame.number"][0]) not in allowed]
        self.check(not bad, "%s: malformed / expert errors in frames %s" % (
            name, [(r["frame.number"][0], r["_ws.expert.message"][:2]) for r in bad[:5]]))
        ck = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
              "-o", "udp.check_checksum:TRUE"]
        bad = self.fields(pcap, 'ip.checksum.status == "Bad" || tcp.checksum.status == "Bad" || '
                          'udp.checksum.status == "Bad" || icmp.checksum.status == "Bad" || '
                          'icmpv6.checksum.status == "Bad"', ["frame.number"], ck)
        self.check(not bad, "%s: bad checksums in frames %s" % (
            name, [r["frame.number"][0] for r in bad[:10]]))
        good = self.fields(pcap, 'tcp.checksum.status == "Good" || udp.checksum.status == "Good"',
                           ["frame.number"], ck)
        self.check(len(good) > 0, "%s: checksum validation verified nothing" % name)
        bad = self.fields(pcap, "tcp.analysis.flags && !tcp.analysis.window_update",
                          ["frame.number", "_ws.expert.message"])
        self.check(not bad, "%s: TCP analysis complaints (seq/ack) in frames %s" % (
            name, [(r["frame.number"][0], r["_ws.expert.message"][:1]) for r in bad[:5]]))

    def check_entry(self, name, pcap, e):
        """Manifest fields of one LI flow against its first LI frame and the inventory."""
        tag = "%s: %s" % (name, e.get("name", e["src_ip"]))
        md = self.policy(e["family"], e["src_ip"], e["dest_ip"])
        self.check(e["authorized"] == (md is not None) and e["mediation_device"] == md,
                   "%s: manifest says authorized=%s md=%s, inventory says md=%s" % (
                       tag, e["authorized"], e["mediation_device"], md))
        self.check(e["proto"] in ("TCP", "GRE"), "%s: proto %s" % (tag, e["proto"]))
        rows = self.fields(pcap, "frame.number == %d" % e["first_frame"],
                           ["ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "tcp.srcport",
                            "tcp.dstport", "ieee8021ad.id", "vlan.id", "ip.proto", "ipv6.nxt",
                            "tcp.len"])
        if not self.check(len(rows) == 1, "%s: first_frame %s not found" % (tag, e["first_frame"])):
            return
        r = rows[0]
        l3, src, dst = self.outer(r)
        ip = ipaddress.ip_address
        self.check(src is not None and ip(src) == ip(e["src_ip"]) and ip(dst) == ip(e["dest_ip"]),
                   "%s: first frame %s -> %s, manifest %s -> %s" % (
                       tag, src, dst, e["src_ip"], e["dest_ip"]))
        # the outermost tag: 802.1ad (QinQ S-tag) if present, else 802.1Q
        tags = r["ieee8021ad.id"] or r["vlan.id"]
        vlan = int(tags[0]) if tags else None
        self.check(vlan == e["vlan"], "%s: outer VLAN %s, manifest %s" % (tag, vlan, e["vlan"]))
        if e["proto"] == "TCP":
            self.check(r["tcp.srcport"][:1] == [str(e["src_port"])] and
                       r["tcp.dstport"][:1] == [str(e["dest_port"])] and
                       int(r["tcp.len"][0]) > 0,
                       "%s: first frame ports %s/%s len %s, manifest %s/%s" % (
                           tag, r["tcp.srcport"], r["tcp.dstport"], r["tcp.len"],
                           e["src_port"], e["dest_port"]))
        else:
            proto = r["ip.proto"][0] if l3 == "ip" else self.first(r, "ipv6.nxt")
            self.check(proto == "47" and e["src_port"] is None and e["dest_port"] is None,
                       "%s: first frame IP protocol %s (want 47, no ports)" % (tag, proto))

    def check_tcp_complete(self, name, pcap, entry):
        """Listed TCP flows (all TCP in background.pcap) have SYN, SYN-ACK, ACK,
        data and FIN: tcp.completeness 31 in two-pass mode."""
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

    def check_no_stray_li(self, name, pcap, entry):
        """LI dissectors fire only inside the flows the manifest lists (or cases)."""
        # (the `xiri` protocol filter never matches in 4.0.17: its items are lix2.*)
        rows = self.fields(pcap, "%s || erspan || lix2.xIRIPayloadOID" % self.li5g,
                           ["frame.number", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
                            "tcp.srcport", "tcp.dstport"], self.decode_as())
        listed = set()
        for e in entry["expect"]:
            listed.update(int(r["frame.number"][0]) for r in self.flow_rows(rows, e))
        for c in entry.get("cases", []):
            if c["name"].startswith("x2x3-"):
                listed.update(c["frames"])
        stray = [int(r["frame.number"][0]) for r in rows
                 if int(r["frame.number"][0]) not in listed]
        self.check(not stray, "%s: LI decodes outside listed flows in frames %s" % (
            name, stray[:10]))

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

    # -- negatives / background ---------------------------------------------

    def check_negatives(self, name, pcap, entry):
        cases = {c["name"]: c["frames"] for c in entry.get("cases", [])}
        li5g_names = ["frame.number", "li5g.type", "li5g.hl", "li5g.pl", "li5g.pf", "li5g.pd",
                      "li5g.attrType", "li5g.attrLen", "_ws.malformed"]

        def li5g_rows(frames):
            return self.fields(pcap, "frame.number in {%s}" % ", ".join(map(str, frames)),
                               li5g_names, self.decode_as())

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
        known = set(x2x3) | {"ber-rsa-oid-pspdu-like", "ber-rsa-oid-hi2-like", "ber-bsi-eid-oid",
                             "ldap", "gre-ipv4", "gre-teb", "vxlan", "gtpu", "geneve",
                             "erspan-over-udp", "random-tcp", "random-udp"}
        for c in sorted(cases):
            self.check(c in known, "%s: no oracle check for negative case %s" % (name, c))
        for c, (shows, rejects) in x2x3.items():
            if not self.check(c in cases, "%s: case %s missing" % (name, c)):
                continue
            rows = li5g_rows(cases[c])
            self.check(len(rows) == len(cases[c]) and all(r["li5g.type"] for r in rows),
                       "%s: %s: frames %s not decoded as %s" % (name, c, cases[c], self.li5g))
            for r in rows:
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

        def frames_of(c):
            return "frame.number in {%s}" % ", ".join(map(str, cases.get(c, [0])))

        def has(c, names, extra=()):
            return self.fields(pcap, frames_of(c), ["frame.number"] + names, list(extra))

        # BER look-alikes from other OID arcs: structure decodes, OID is not LI
        for c, port in (("ber-rsa-oid-pspdu-like", 50002), ("ber-rsa-oid-hi2-like", 50003)):
            out = self.tshark(["-r", pcap, "-d", "tcp.port==%d,ber" % port, "-V",
                               "-Y", frames_of(c)])
            self.check("[CONTEXT 0] 2a864886f70d" in out and "04000202" not in out,
                       "%s: %s: BER decode does not show the RSA OID 1.2.840.113549" % (name, c))
        rows = has("ber-bsi-eid-oid", ["ber.unknown.OID"], ["-d", "tcp.port==7001,ber"])
        self.check(rows and any(o.startswith("0.4.0.127.0.7") for o in rows[0]["ber.unknown.OID"]),
                   "%s: BSI eID OID 0.4.0.127.0.7.x not decoded (%s)" % (
                       name, rows[0]["ber.unknown.OID"] if rows else None))
        rows = has("ldap", ["ldap.protocolOp"])
        self.check(rows and all(r["ldap.protocolOp"] for r in rows),
                   "%s: LDAP messages not decoded" % name)
        for c, want in (("gre-ipv4", 0x0800), ("gre-teb", 0x6558)):
            rows = has(c, ["gre.proto", "erspan.version", "frame.protocols"])
            self.check(rows and all(r["gre.proto"] and int(r["gre.proto"][0], 0) == want and
                                    ":erspan" not in r["frame.protocols"][0] for r in rows),
                       "%s: %s: not plain GRE 0x%04x" % (name, c, want))
        for c, proto in (("vxlan", "vxlan"), ("gtpu", "gtp"), ("geneve", "geneve")):
            rows = has(c, ["frame.protocols"])
            self.check(rows and all(":udp:%s:" % proto in r["frame.protocols"][0] for r in rows),
                       "%s: %s: not decoded as %s (%s)" % (
                           name, c, proto, [r["frame.protocols"] for r in rows[:1]]))
        rows = has("erspan-over-udp", ["frame.protocols", "udp.payload"])
        self.check(rows and all(":gre" not in r["frame.protocols"][0] and
                                r["udp.payload"][0].replace(":", "").startswith("100088be")
                                for r in rows),
                   "%s: erspan-over-udp: expected ERSPAN-looking bytes as plain UDP data" % name)
        for c in ("random-tcp", "random-udp"):
            rows = has(c, ["frame.protocols"])
            self.check(rows and all(r["frame.protocols"][0].endswith(":data") for r in rows),
                       "%s: %s: random payload decoded as %s" % (
                           name, c, [r["frame.protocols"][0] for r in rows[:2]]))
        rows = self.fields(pcap, 'http && frame contains "0.4.0.2.2" && frame contains "X2/X3"',
                           ["frame.number"])
        self.check(len(rows) >= 1, "%s: no HTTP page quoting 0.4.0.2.2 and X2/X3" % name)

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
        print("FAIL: %s" % exc)
    finally:
        shutil.rmtree(o.tmp, ignore_errors=True)
    print("tshark-check: %d checks passed, %d failed" % (o.passed, o.failed))
    return 0 if o.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
