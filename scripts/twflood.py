#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The tapwatch authors
"""twflood.py: special captures for tapwatch's robustness tests (test/e2e/robust.py).

    twflood.py truncate --gen GEN --out DIR
    twflood.py flood    --gen GEN --flows N [--seed S] --out FILE.pcap
    twflood.py liflows  --gen GEN --flows N [--first K] [--filler F] [--flow NAME]
                        [--seed S] --out FILE.pcap

GEN is a directory written by scripts/twgen.py (pcaps + manifest.json): the LI
packets come from there (the first LI payload packet of each manifest flow,
"first_frame", 1-based). Nothing is imported from twgen.py.

Every capture is Ethernet (DLT_EN10MB) and byte-identical for the same inputs
and seed (no wall clock, no host state). Each command also writes FILE.json
(truncate: DIR/truncate.json) saying what the capture holds, for the test to
check against.

  truncate  For every LI packet, variants cut at every payload offset, in two
            pcaps: trunc-consistent.pcap (frame shortened, IPv4 total length /
            IPv6 payload length / UDP length rewritten, checksums recomputed)
            and trunc-snaplen.pcap (frame cut, headers keep their lengths, the
            record's orig_len is the original frame length). The uncut packet
            is written too, as the reference. Every variant is its own flow
            (a unique ephemeral port, or for protocols without ports a unique
            source address) and has its own timestamp (100 us apart), which
            the alerts report, so an alert maps to exactly one variant.
  flood     N one-packet UDP flows of 64-byte frames, unique 5-tuples, with the
            packets of one authorized and one unauthorized X2/X3 TCP flow from
            GEN/x2x3.pcap spread through the middle of the flood.
  liflows   N one-packet LI flows: copies of one LI payload packet (default:
            the first unauthorized etsi-x2x3 flow) each with its own ephemeral
            port K, K+1, ..., then F filler UDP packets (non-LI). Batches with
            disjoint K ranges are distinct flows.

Requires Debian's python3-scapy (run with /usr/bin/python3).
"""

import argparse
import ipaddress
import json
import logging
import os
import random
import struct
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
try:
    from scapy.layers.inet import IP, UDP
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw
    from scapy.utils import checksum
except ImportError as exc:  # pragma: no cover
    sys.exit("twflood.py: scapy not importable (%s); run with /usr/bin/python3 "
             "(Debian package python3-scapy)" % exc)

# 2026-01-02T00:00:00Z: one day after twgen's captures.
EPOCH_US = 1767312000 * 1_000_000
VARIANT_STEP_US = 100

VLAN_TPIDS = (0x8100, 0x88A8, 0x9100)
MPLS_TYPES = (0x8847, 0x8848)
V6_EXT = (0, 43, 60, 135)          # hop-by-hop, routing, destination options, mobility
V6_FRAG, V6_AH = 44, 51
TCP, UDP_P, GRE = 6, 17, 47

# Ports a varied ephemeral port must avoid: the family port lists of the
# default config (ports=config signatures) and twgen's service ports.
RESERVED_PORTS = {161, 162, 2002, 2003, 5200, 8443, 9000, 10741, 30030, 32001, 37008,
                  50001, 50002, 50003}
VARY_PORT_BASE = 40000
VARY_PORT_END = 65000


# ---------------------------------------------------------------------------
# pcap (classic, microsecond) written and read byte for byte
# ---------------------------------------------------------------------------

PCAP_HDR = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)


def pcap_record(ts_us, data, orig_len=None):
    sec, usec = divmod(ts_us, 1_000_000)
    return struct.pack("<IIII", sec, usec, len(data),
                       len(data) if orig_len is None else orig_len) + data


def read_pcap(path):
    """[(ts_us, data, orig_len)] of a classic pcap (either byte order, us or ns)."""
    out = []
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic_le = struct.unpack("<I", hdr[:4])[0]
        if magic_le in (0xA1B2C3D4, 0xA1B23C4D):
            endian = "<"
        else:
            endian = ">"
        magic = struct.unpack(endian + "I", hdr[:4])[0]
        nano = magic == 0xA1B23C4D
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            sec, frac, caplen, origlen = struct.unpack(endian + "IIII", rec)
            usec = frac // 1000 if nano else frac
            out.append((sec * 1_000_000 + usec, f.read(caplen), origlen))
    return out


def write_pcap(path, records):
    with open(path, "wb") as f:
        f.write(PCAP_HDR)
        for rec in records:
            f.write(rec)


# ---------------------------------------------------------------------------
# Byte-level dissection: just the offsets and length fields the tests rewrite
# ---------------------------------------------------------------------------

def rd16(b, off):
    return struct.unpack_from("!H", b, off)[0]


class Dissected:
    """Offsets of one Ethernet frame's headers (None when absent)."""

    def __init__(self, frame):
        self.ok = False
        self.why = ""
        b = frame
        if len(b) < 14:
            self.why = "short Ethernet"
            return
        off, et = 14, rd16(b, 12)
        while et in VLAN_TPIDS:
            et = rd16(b, off + 2)
            off += 4
        if et in MPLS_TYPES:
            while True:
                bos = b[off + 2] & 1
                off += 4
                if bos:
                    break
            et = {4: 0x0800, 6: 0x86DD}.get(b[off] >> 4, 0)
        self.l3 = off
        self.frag = False
        if et == 0x0800:
            self.v = 4
            ihl = (b[off] & 0x0F) * 4
            self.ip_end = off + rd16(b, off + 2)
            self.proto = b[off + 9]
            self.frag = bool(rd16(b, off + 6) & 0x3FFF)
            l4 = off + ihl
        elif et == 0x86DD:
            self.v = 6
            self.ip_end = off + 40 + rd16(b, off + 4)
            nh, l4 = b[off + 6], off + 40
            while nh in V6_EXT or nh in (V6_FRAG, V6_AH):
                if nh == V6_FRAG:
                    self.frag = True
                    nh, l4 = b[l4], l4 + 8
                elif nh == V6_AH:
                    nh, l4 = b[l4], l4 + (b[l4 + 1] + 2) * 4
                else:
                    nh, l4 = b[l4], l4 + (b[l4 + 1] + 1) * 8
            self.proto = nh
        else:
            self.why = "not IP (ethertype 0x%04x)" % et
            return
        self.l4 = l4
        if self.proto == TCP:
            self.payload = l4 + (b[l4 + 12] >> 4) * 4
        elif self.proto == UDP_P:
            self.payload = l4 + 8
        else:
            # GRE and the rest: tapwatch scans from the header after IP.
            self.payload = l4
        if self.ip_end > len(b) or self.payload > self.ip_end:
            self.why = "capture shorter than the IP length"
            return
        self.ok = True

    def addr_off(self):
        """(src offset, dst offset, address length)."""
        if self.v == 4:
            return self.l3 + 12, self.l3 + 16, 4
        return self.l3 + 8, self.l3 + 24, 16

    def ports(self, b):
        return rd16(b, self.l4), rd16(b, self.l4 + 2)


def fix_checksums(b, d, end):
    """Recompute the IPv4 header checksum and the L4 checksum of b[:end] in place.

    The L4 checksum covers [l4, end) with the upper-layer length end - l4 (not
    done for fragments, whose checksum covers the whole datagram).
    """
    if d.v == 4:
        ihl = (b[d.l3] & 0x0F) * 4
        struct.pack_into("!H", b, d.l3 + 10, 0)
        struct.pack_into("!H", b, d.l3 + 10, checksum(bytes(b[d.l3:d.l3 + ihl])))
    if d.frag:
        return
    so, do, alen = d.addr_off()
    ulen = end - d.l4
    if d.v == 4:
        pseudo = bytes(b[so:so + 4]) + bytes(b[do:do + 4]) + struct.pack("!BBH", 0, d.proto,
                                                                        ulen)
    else:
        pseudo = bytes(b[so:so + 16]) + bytes(b[do:do + 16]) + struct.pack("!IxxxB", ulen,
                                                                          d.proto)
    if d.proto == TCP and ulen >= 18:
        struct.pack_into("!H", b, d.l4 + 16, 0)
        struct.pack_into("!H", b, d.l4 + 16, checksum(pseudo + bytes(b[d.l4:end])))
    elif d.proto == UDP_P and ulen >= 8:
        if d.v == 4 and rd16(b, d.l4 + 6) == 0:
            return          # IPv4 UDP without a checksum stays without one
        struct.pack_into("!H", b, d.l4 + 6, 0)
        c = checksum(pseudo + bytes(b[d.l4:end]))
        struct.pack_into("!H", b, d.l4 + 6, c or 0xFFFF)
    elif d.proto == GRE and ulen >= 8 and b[d.l4] & 0x80:
        struct.pack_into("!H", b, d.l4 + 4, 0)
        struct.pack_into("!H", b, d.l4 + 4, checksum(bytes(b[d.l4:end])))


def set_lengths(b, d, end):
    """IP (and UDP) lengths of b[:end] set to match end."""
    if d.v == 4:
        struct.pack_into("!H", b, d.l3 + 2, end - d.l3)
    else:
        struct.pack_into("!H", b, d.l3 + 4, end - d.l3 - 40)
    if d.proto == UDP_P and not d.frag:
        struct.pack_into("!H", b, d.l4 + 4, end - d.l4)


class Retupler:
    """Gives each copy of a packet its own flow: a fresh ephemeral port for
    TCP/UDP (the port that is not the service port), a fresh source address
    otherwise. Counters are per (addresses, protocol, kept port), so copies of
    different packets never collide."""

    def __init__(self):
        self.next = {}

    def _port(self, key, first=None):
        p = self.next.get(key, VARY_PORT_BASE if first is None else first)
        while p in RESERVED_PORTS:
            p += 1
        if p >= VARY_PORT_END:
            raise SystemExit("twflood.py: out of ports for %r" % (key,))
        self.next[key] = p + 1
        return p

    def apply(self, frame, d, service_port=None, first=None):
        """A copy of frame (full length, consistent) with a new flow identity.
        Returns (bytes, description)."""
        b = bytearray(frame)
        so, do, alen = d.addr_off()
        if d.proto in (TCP, UDP_P) and not (d.frag and d.l4 + 4 > d.ip_end):
            sp, dp = d.ports(b)
            # Keep the service port: a reserved one, else the manifest's
            # dest_port; vary the other (the source port when in doubt).
            if (sp in RESERVED_PORTS) != (dp in RESERVED_PORTS):
                vary_src = dp in RESERVED_PORTS
            else:
                vary_src = not (sp == service_port and dp != service_port)
            kept = dp if vary_src else sp
            key = (bytes(b[so:so + alen]), bytes(b[do:do + alen]), d.proto, kept)
            p = self._port(key, first)
            struct.pack_into("!H", b, d.l4 + (0 if vary_src else 2), p)
            what = {"sport" if vary_src else "dport": p}
        else:
            key = (bytes(b[do:do + alen]), d.proto, d.v)
            n = self.next.get(key, 1 if first is None else first)
            self.next[key] = n + 1
            if d.v == 4:
                addr = ipaddress.ip_address("198.19.0.0") + n        # RFC 2544 range
            else:
                addr = ipaddress.ip_address("2001:db8:ffff::") + n
            b[so:so + alen] = addr.packed
            what = {"src_ip": str(addr)}
        fix_checksums(b, d, d.ip_end)
        return bytes(b[:d.ip_end]) + bytes(frame[d.ip_end:]), what


def li_packets(gen):
    """(pcap name, manifest entry, frame bytes) of each flow's first LI payload packet."""
    manifest = json.load(open(os.path.join(gen, "manifest.json")))
    out = []
    for pcap in sorted(manifest):
        info = manifest[pcap]
        if not info.get("expect"):
            continue
        pkts = read_pcap(os.path.join(gen, pcap))
        for exp in info["expect"]:
            ff = exp.get("first_frame")
            if not ff or ff > len(pkts):
                continue
            out.append((pcap, exp, pkts[ff - 1][1]))
    return out, manifest


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------

def cmd_truncate(args):
    os.makedirs(args.out, exist_ok=True)
    pkts, manifest = li_packets(args.gen)
    rt = Retupler()
    cons, snap, variants, skipped = [], [], [], []
    i = 0
    for pcap, exp, frame in pkts:
        d = Dissected(frame)
        if not d.ok:
            skipped.append({"pcap": pcap, "flow": exp.get("name"), "why": d.why})
            continue
        plen = d.ip_end - d.payload
        for cut in list(range(plen)) + [None]:
            full, what = rt.apply(frame, d, exp.get("dest_port"))
            ts = EPOCH_US + i * VARIANT_STEP_US
            if cut is None:
                cons.append(pcap_record(ts, full))
                snap.append(pcap_record(ts, full))
            else:
                end = d.payload + cut
                b = bytearray(full[:end])
                set_lengths(b, d, end)
                fix_checksums(b, d, end)
                cons.append(pcap_record(ts, bytes(b)))
                snap.append(pcap_record(ts, full[:end], orig_len=len(full)))
            v = {"ts_us": ts, "pcap": pcap, "flow": exp.get("name"), "family": exp["family"],
                 "authorized": exp.get("authorized"), "detail": exp.get("detail") or {},
                 "cut": cut, "payload_len": plen, "proto": d.proto}
            v.update(what)
            variants.append(v)
            i += 1
    write_pcap(os.path.join(args.out, "trunc-consistent.pcap"), cons)
    write_pcap(os.path.join(args.out, "trunc-snaplen.pcap"), snap)
    tasks = {}
    for info in manifest.values():
        for k, vals in (info.get("tasks") or {}).items():
            tasks.setdefault(k, [])
            tasks[k] += [x for x in vals if x not in tasks[k]]
    side = {"variants": variants, "skipped": skipped, "tasks": tasks,
            "packets": len(pkts), "step_us": VARIANT_STEP_US}
    with open(os.path.join(args.out, "truncate.json"), "w") as f:
        json.dump(side, f, indent=0)
    print("twflood: %d LI packets, %d variants per kind (%d skipped) in %s" % (
        len(pkts), len(variants), len(skipped), args.out))
    return 0


def clean_payload(rng, n):
    """Printable filler that no LI signature anchors on (letters and digits)."""
    alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789"
    return bytes(rng.choice(alphabet) for _ in range(n))


_UDP_TEMPLATE = {}


def udp_frame(rng, i, size=64):
    """One UDP frame of exactly `size` bytes; flow i has its own source address and port.
    scapy builds the template once; the per-flow fields are patched in (20,000 scapy
    builds take half a minute, patches a few ms)."""
    if size not in _UDP_TEMPLATE:
        pkt = (Ether(src="02:74:66:6c:00:01", dst="02:74:66:6c:00:02") /
               IP(src="10.64.0.0", dst="198.18.0.1", ttl=64, id=0) /
               UDP(sport=1024, dport=7777))
        pkt = pkt / Raw(b"\x00" * (size - len(pkt)))
        _UDP_TEMPLATE[size] = (bytes(pkt), Dissected(bytes(pkt)))
    tmpl, d = _UDP_TEMPLATE[size]
    b = bytearray(tmpl)
    src = ipaddress.ip_address("10.64.0.0") + i
    sport = 1024 + (i * 7919) % 50000
    while sport in RESERVED_PORTS:
        sport += 1
    b[d.l3 + 12:d.l3 + 16] = src.packed
    struct.pack_into("!H", b, d.l3 + 4, i & 0xFFFF)
    struct.pack_into("!H", b, d.l4, sport)
    b[d.payload:] = clean_payload(rng, len(b) - d.payload)
    fix_checksums(b, d, d.ip_end)
    return bytes(b)


def x2x3_flows(gen):
    """Packets (ts_us, frame) of one authorized and one unauthorized X2/X3 TCP
    flow of GEN/x2x3.pcap (untagged IPv4), and their manifest entries."""
    manifest = json.load(open(os.path.join(gen, "manifest.json")))
    expect = manifest["x2x3.pcap"]["expect"]
    pkts = read_pcap(os.path.join(gen, "x2x3.pcap"))
    chosen = []
    for want in (True, False):
        for exp in expect:
            if (exp["authorized"] == want and exp.get("proto") == "TCP" and
                    exp.get("vlan") is None and ":" not in exp["src_ip"]):
                chosen.append(exp)
                break
    flows = []
    for exp in chosen:
        ends = {(exp["src_ip"], exp["src_port"]), (exp["dest_ip"], exp["dest_port"])}
        mine = []
        for ts, frame, _ in pkts:
            d = Dissected(frame)
            if not d.ok or d.v != 4 or d.proto != TCP:
                continue
            so, do, _ = d.addr_off()
            sp, dp = d.ports(frame)
            s = (str(ipaddress.ip_address(frame[so:so + 4])), sp)
            t = (str(ipaddress.ip_address(frame[do:do + 4])), dp)
            if {s, t} == ends:
                mine.append(frame)
        flows.append((exp, mine))
    return flows


def cmd_flood(args):
    rng = random.Random("twflood-flood-%d" % args.seed)
    flood = [udp_frame(rng, i) for i in range(args.flows)]
    flows = x2x3_flows(args.gen)
    # The LI flows start in the middle; their packets alternate, one every
    # `gap` flood packets, so the table is full and churning around them.
    li = []
    n = max(len(f[1]) for f in flows)
    for k in range(n):
        for _, mine in flows:
            if k < len(mine):
                li.append(mine[k])
    gap = 5
    mid = args.flows // 2
    frames = flood[:mid]
    rest = flood[mid:]
    for k, frame in enumerate(li):
        frames.append(frame)
        frames += rest[k * gap:(k + 1) * gap]
    frames += rest[len(li) * gap:]
    records = [pcap_record(EPOCH_US + i, f) for i, f in enumerate(frames)]
    write_pcap(args.out, records)
    side = {"flood_flows": args.flows, "packets": len(frames),
            "li_flows": [dict(exp, packets=len(mine)) for exp, mine in flows],
            "li_first_packet": mid + 1}
    with open(args.out + ".json", "w") as f:
        json.dump(side, f, indent=1)
    print("twflood: %d packets (%d UDP flows + %d X2/X3 packets) in %s" % (
        len(frames), args.flows, len(li), args.out))
    return 0


def cmd_liflows(args):
    pkts, _ = li_packets(args.gen)
    src = None
    for pcap, exp, frame in pkts:
        if args.flow is not None:
            if exp.get("name") == args.flow:
                src = (pcap, exp, frame)
                break
        elif (exp["family"] == "etsi-x2x3" and not exp["authorized"] and
              exp.get("proto") == "TCP" and exp.get("vlan") is None and
              ":" not in exp["src_ip"]):
            src = (pcap, exp, frame)
            break
    if src is None:
        sys.exit("twflood.py: no LI flow %s in %s" % (args.flow or "(unauthorized X2/X3)",
                                                     args.gen))
    pcap, exp, frame = src
    d = Dissected(frame)
    if not d.ok:
        sys.exit("twflood.py: %s: %s" % (exp.get("name"), d.why))
    rt = Retupler()
    rng = random.Random("twflood-liflows-%d-%d" % (args.seed, args.first))
    records, flows = [], []
    for i in range(args.flows):
        full, what = rt.apply(frame, d, exp.get("dest_port"), first=args.first + i)
        ts = EPOCH_US + (args.first + i) * VARIANT_STEP_US
        records.append(pcap_record(ts, full))
        flows.append(what)
    for j in range(args.filler):
        ts = EPOCH_US + (args.first + args.flows + j) * VARIANT_STEP_US
        records.append(pcap_record(ts, udp_frame(rng, 60000 + args.first + j)))
    write_pcap(args.out, records)
    side = {"source": {"pcap": pcap, "flow": exp.get("name")}, "family": exp["family"],
            "detail": exp.get("detail") or {}, "authorized": exp["authorized"],
            "src_ip": exp["src_ip"], "dest_ip": exp["dest_ip"],
            "flows": flows, "filler": args.filler, "packets": len(records)}
    with open(args.out + ".json", "w") as f:
        json.dump(side, f, indent=0)
    print("twflood: %d LI flows (%s) + %d filler packets in %s" % (
        args.flows, exp.get("name"), args.filler, args.out))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("truncate", help="cut variants of every LI packet")
    p.add_argument("--gen", required=True)
    p.add_argument("--out", required=True, help="output directory")
    p = sub.add_parser("flood", help="UDP flow flood with two X2/X3 flows inside")
    p.add_argument("--gen", required=True)
    p.add_argument("--flows", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    p = sub.add_parser("liflows", help="many one-packet LI flows")
    p.add_argument("--gen", required=True)
    p.add_argument("--flows", type=int, required=True)
    p.add_argument("--first", type=int, default=VARY_PORT_BASE,
                   help="first varied port (or address index); default %d" % VARY_PORT_BASE)
    p.add_argument("--filler", type=int, default=0)
    p.add_argument("--flow", help="manifest flow name to copy")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    args = ap.parse_args()
    return {"truncate": cmd_truncate, "flood": cmd_flood, "liflows": cmd_liflows}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
