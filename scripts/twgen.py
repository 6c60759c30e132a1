#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The tapwatch authors
"""twgen.py: deterministic test pcaps for tapwatch, plus the alerts they must raise.

    twgen.py --seed N --out DIR [--only NAME...]
    twgen.py --seed N --list [--only NAME...]

Writes Ethernet (DLT_EN10MB) pcaps and DIR/manifest.json. The same seed gives
byte-identical files: every random choice comes from random.Random instances
seeded from (seed, file, flow), timestamps start at 2026-01-01T00:00:00Z, and
nothing reads the wall clock, the host's interfaces or its routes.

Files: x2x3, hi, erspan, x1, dtcp, snmp, packetcable, jmirror, redback, tzsp,
rpcap (one per LI family: authorized / unauthorized, IPv4 / IPv6, 802.1Q,
QinQ, MPLS), warrant (authorized X2/X3 and HI flows whose task id is or is
not in the file's "tasks" list: manifest "warrant" per entry), background,
negatives (hard negatives, each named in "cases") and sample (the README
demo: background plus one authorized and one unauthorized flow per family).
`--list` prints every file with its flows and manifest details.

Layout, so that more families slot in as data:
  * a flow builder is a function build_xxx(ctx, spec) that emits packets
    through ctx (TcpSession, ctx.emit_ip) and returns the alert detail dict of
    an LI flow, or None for background / negative traffic;
  * a FlowSpec names one flow: builder, endpoints, link framing (Link),
    intended authorization and builder parameters;
  * FILES maps each pcap to its list of FlowSpecs. The flows of a file are
    started a few ms apart and merged by timestamp;
  * a builder that makes two LI flows (rpcap: TCP control + UDP packets)
    names the second with ctx.add_li(); it gets its own manifest entry.
Manifest entries: name, family, authorized, mediation_device, src_ip,
dest_ip, src_port, dest_port, proto (TCP / UDP / GRE), vlan (outer),
first_frame (1-based; src = sender of the first LI packet), detail (the
family's alert detail; copied packets under detail.inner {src_ip, dest_ip}),
warrant (warrant.pcap only). File level: packets, expect, cases (negatives:
{name, frames}), tasks (warrant.pcap: {"xids": [...], "liids": [...]}).
The manifest entry of an LI flow is derived from its FlowSpec; its
"authorized" / "mediation_device" come from INVENTORY (checked against the
FlowSpec's intent, so a typo in an address fails the generator, not a test).

Requires Debian's python3-scapy (run with /usr/bin/python3).
"""

import argparse
import calendar
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import random
import re
import struct
import sys
import uuid
from dataclasses import dataclass, field
from typing import Callable, Optional

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
try:
    from scapy.layers.inet import ICMP, IP, TCP, UDP
    from scapy.layers.inet6 import (ICMPv6EchoReply, ICMPv6EchoRequest, IPv6,
                                    IPv6ExtHdrFragment)
    from scapy.layers.dns import DNS, DNSQR, DNSRR
    from scapy.packet import Raw
except ImportError as exc:  # pragma: no cover
    sys.exit("twgen.py: scapy not importable (%s); run with /usr/bin/python3 "
             "(Debian package python3-scapy)" % exc)

EPOCH_US = calendar.timegm((2026, 1, 1, 0, 0, 0)) * 1_000_000

X2X3_PORT = 50001
PSPDU_PORT = 50002
HI2_PORT = 50003

# Inventory the addresses below are built for (a copy of conf/demo.json).
# Policy (lib/tw_policy.h): authorized by entry E iff one endpoint is in E's
# mediation CIDRs, the other in E's elements (None = any) and E allows the
# family. First match wins.
INVENTORY = [
    {"name": "md-core",
     "mediation": ["10.200.0.10/32", "2001:db8:200::10/128"],
     "elements": ["10.1.0.0/24", "2001:db8:1::/64"],
     "families": ["etsi-x2x3", "etsi-hi"]},
    {"name": "md-mirror",
     "mediation": ["10.200.0.20/32", "2001:db8:200::20/128"],
     "elements": None,
     "families": ["erspan", "tzsp", "rpcap"]},
    {"name": "admf-1",
     "mediation": ["10.200.0.30/32", "2001:db8:200::30/128"],
     "elements": ["10.1.0.0/24", "2001:db8:1::/64"],
     "families": ["etsi-x1", "cisco-tap-mib", "juniper-dtcp"]},
    {"name": "md-content",
     "mediation": ["10.200.0.40/32", "2001:db8:200::40/128"],
     "elements": ["10.1.0.0/24", "2001:db8:1::/64"],
     "families": ["packetcable", "jmirror", "redback-li"]},
]


def policy_match(family, a, b):
    """Name of the authorizing inventory entry, or None."""
    a = ipaddress.ip_address(a)
    b = ipaddress.ip_address(b)

    def inside(addr, cidrs):
        if cidrs is None:
            return True
        return any(addr in ipaddress.ip_network(c) for c in cidrs
                   if ipaddress.ip_network(c).version == addr.version)

    for md in INVENTORY:
        if md["families"] and family not in md["families"]:
            continue
        if ((inside(a, md["mediation"]) and inside(b, md["elements"])) or
                (inside(b, md["mediation"]) and inside(a, md["elements"]))):
            return md["name"]
    return None


# ---------------------------------------------------------------------------
# Byte helpers
# ---------------------------------------------------------------------------

# Anchors (doc li-protocols.md) that random filler must never contain, so that
# background and negative payloads cannot become accidental positives.
_FORBIDDEN = [re.compile(p, re.S) for p in (
    rb"\x00[\x01-\x0f]\x00[\x01-\x04]\x00[\x00-\x0f]",          # X2/X3 header
    rb"\x04\x00\x02\x02",                                         # LI OID stem
    rb"\x81\x05\x04\x13",                                         # xIRI OID
    rb"^[\x00\x10]\x00(?:\x88\xbe|\x22\xeb|\x65\x58)",           # GRE/ERSPAN
    rb"^\x01[\x00-\x05]\x00[\x01\x12\x77\x7f]",                   # TZSP
    rb"^\x00[\x01-\x0b\x81-\x8b]\x00\x00",                        # rpcap
    rb"^\x08\x00\x00\x00",                                        # VXLAN
)]


def safe_random(rng, n):
    """n random bytes that match none of the LI anchors."""
    while True:
        b = rng.randbytes(n)
        if not any(p.search(b) for p in _FORBIDDEN):
            return b


def mac_for(tag):
    """Stable locally administered unicast MAC derived from a string."""
    h = hashlib.sha256(tag.encode()).digest()
    return b"\x02\x74" + h[:4]


def uuid4(rng):
    return uuid.UUID(bytes=rng.randbytes(16), version=4)


def ber_len(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    if n < 0x10000:
        return bytes([0x82]) + struct.pack("!H", n)
    return bytes([0x83]) + n.to_bytes(3, "big")


def ber(tag, content):
    """One TLV with a single-byte identifier (all tags here are < 31)."""
    return bytes([tag]) + ber_len(len(content)) + content


def ber_uint(v):
    """Minimal two's-complement content octets of a non-negative INTEGER."""
    n = 1
    while v >= (1 << (8 * n - 1)):
        n += 1
    return v.to_bytes(n, "big")


def gentime(t_us):
    """GeneralizedTime YYYYMMDDhhmmss.mmmZ, computed without the time module's tz."""
    sec, usec = divmod(t_us, 1_000_000)
    days, rem = divmod(sec, 86400)
    y, m, d = _civil_from_days(days)
    return "%04d%02d%02d%02d%02d%02d.%03dZ" % (
        y, m, d, rem // 3600, rem % 3600 // 60, rem % 60, usec // 1000)


def utctime(t_us):
    """UTCTime YYMMDDhhmmssZ."""
    return gentime(t_us)[2:14] + "Z"


def _civil_from_days(z):
    # Howard Hinnant's days_from_civil inverse (proleptic Gregorian, UTC).
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d)


def ip_version(addr):
    return ipaddress.ip_address(addr).version


def canon(addr):
    return str(ipaddress.ip_address(addr))


# ---------------------------------------------------------------------------
# Link framing and per-flow emission
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Link:
    """L2 framing of a flow: plain Ethernet, 802.1Q tags, QinQ, MPLS."""
    vlans: tuple = ()       # outermost first
    qinq: bool = False      # outer tag uses TPID 0x88a8 (802.1ad)
    mpls: tuple = ()        # labels, top of stack first

    def outer_vlan(self):
        return self.vlans[0] if self.vlans else None

    def header(self, src_mac, dst_mac, v6, reverse):
        hdr = dst_mac + src_mac
        for i, vid in enumerate(self.vlans):
            tpid = 0x88A8 if (self.qinq and i == 0) else 0x8100
            hdr += struct.pack("!HH", tpid, vid & 0x0FFF)
        if self.mpls:
            hdr += struct.pack("!H", 0x8847)
            labels = self.mpls if not reverse else tuple(l + 1 for l in self.mpls)
            for i, label in enumerate(labels):
                bos = 1 if i == len(labels) - 1 else 0
                hdr += struct.pack("!I", (label << 12) | (bos << 8) | 64)
        else:
            hdr += struct.pack("!H", 0x86DD if v6 else 0x0800)
        return hdr

    def describe(self):
        parts = []
        if self.vlans:
            parts.append(("qinq " if self.qinq else "vlan ") +
                         "/".join(str(v) for v in self.vlans))
        if self.mpls:
            parts.append("mpls " + "/".join(str(l) for l in self.mpls))
        return ", ".join(parts) or "eth"


ETH = Link()


class FlowCtx:
    """Emission context of one flow: its RNG, clock, link and output list."""

    def __init__(self, fctx, spec, rng, t0):
        self.file = fctx
        self.spec = spec
        self.rng = rng
        self.t = t0
        self.link = spec.link
        self.frames = []          # [(ts_us, bytes)]
        self.li_first = None      # (frame index, src, dst, sport, dport, proto)
        self.li_extra = []        # more LI flows of one builder: (suffix, li_first, detail)
        self.marks = []           # local frame indices worth naming (negatives)
        self._ipid = {}

    def gap(self, lo=1000, hi=5000):
        self.t += self.rng.randint(lo, hi)

    def ipid(self, src):
        if src not in self._ipid:
            self._ipid[src] = self.rng.randrange(1, 0xFFFF)
        self._ipid[src] = (self._ipid[src] + 1) & 0xFFFF
        return self._ipid[src]

    def emit_l2(self, frame):
        """Append a full Ethernet frame at the current time, then advance."""
        if len(frame) < 60:
            frame = frame + bytes(60 - len(frame))
        self.frames.append((self.t, frame))
        self.gap()
        return len(self.frames) - 1

    def emit_ip(self, l3, src, dst, reverse=False):
        """Frame an IPv4/IPv6 scapy packet (or bytes) on this flow's link."""
        v6 = ip_version(src) == 6
        raw = bytes(l3)
        hdr = self.link.header(mac_for(src), mac_for(dst), v6, reverse)
        return self.emit_l2(hdr + raw)

    def ip(self, src, dst, **kw):
        if ip_version(src) == 6:
            return IPv6(src=src, dst=dst, hlim=kw.get("ttl", 64), fl=0)
        return IP(src=src, dst=dst, ttl=kw.get("ttl", 64), id=self.ipid(src),
                  flags=kw.get("flags", "DF"))

    def mark_li(self, idx, src, dst, sport, dport, proto):
        if self.li_first is None:
            self.li_first = (idx, src, dst, sport, dport, proto)

    def add_li(self, suffix, idx, src, dst, sport, dport, proto, detail):
        """A second LI flow made by the same builder (rpcap data beside its
        control connection): manifest entry "<flow name><suffix>"."""
        self.li_extra.append((suffix, (idx, src, dst, sport, dport, proto), detail))


class TcpSession:
    """A TCP connection with consistent seq/ack: handshake, data, FIN."""

    def __init__(self, ctx, cli, srv, sport, dport):
        self.ctx = ctx
        self.cli, self.srv = cli, srv
        self.sport, self.dport = sport, dport
        self.next = {True: ctx.rng.getrandbits(32), False: ctx.rng.getrandbits(32)}
        self.opened = False

    def _seg(self, c2s, flags, payload=b"", options=None):
        ctx = self.ctx
        src, dst = (self.cli, self.srv) if c2s else (self.srv, self.cli)
        sport, dport = (self.sport, self.dport) if c2s else (self.dport, self.sport)
        seq = self.next[c2s]
        ack = self.next[not c2s] if "A" in flags else 0
        tcp = TCP(sport=sport, dport=dport, seq=seq, ack=ack, flags=flags,
                  window=64240, options=options or [])
        pkt = ctx.ip(src, dst) / tcp
        if payload:
            pkt = pkt / Raw(payload)
        idx = ctx.emit_ip(pkt, src, dst, reverse=not c2s)
        adv = len(payload) + (1 if "S" in flags else 0) + (1 if "F" in flags else 0)
        self.next[c2s] = (seq + adv) & 0xFFFFFFFF
        return idx

    def open(self):
        self._seg(True, "S", options=[("MSS", 1460)])
        self._seg(False, "SA", options=[("MSS", 1460)])
        self._seg(True, "A")
        self.opened = True

    def send(self, c2s, data, ack=True):
        """One data segment; the peer ACKs it unless ack=False. Returns its index."""
        idx = self._seg(c2s, "PA", data)
        if ack:
            self._seg(not c2s, "A")
        return idx

    def close(self):
        self._seg(True, "FA")
        self._seg(False, "FA")
        self._seg(True, "A")

    def mark_li(self, idx, c2s=True):
        if c2s:
            self.ctx.mark_li(idx, self.cli, self.srv, self.sport, self.dport, "TCP")
        else:
            self.ctx.mark_li(idx, self.srv, self.cli, self.dport, self.sport, "TCP")


def send_udp(ctx, src, dst, sport, dport, payload, reverse=False, ttl=64, zero_csum=False):
    """One UDP datagram. zero_csum: UDP checksum 0 ("not computed"; IPv4 only)."""
    udp = UDP(sport=sport, dport=dport)
    if zero_csum:
        assert ip_version(src) == 4, "a zero UDP checksum is not allowed over IPv6"
        udp.chksum = 0
    return ctx.emit_ip(ctx.ip(src, dst, flags=0, ttl=ttl) / udp / Raw(payload), src, dst,
                       reverse)


# ---------------------------------------------------------------------------
# ETSI TS 103 221-2 X2/X3
# ---------------------------------------------------------------------------

def x2x3_pdu(pdu_type, fmt, direction, xid, cid, attrs, payload,
             version=0x0005, hl=None, pl=None):
    """One PDU. attrs = [(type, value)]; hl/pl override the computed lengths
    (for near-miss negatives only)."""
    tlv = b"".join(struct.pack("!HH", t, len(v)) + v for t, v in attrs)
    hl = 40 + len(tlv) if hl is None else hl
    pl = len(payload) if pl is None else pl
    return (struct.pack("!HHIIHH", version, pdu_type, hl, pl, fmt, direction) +
            xid + cid + tlv + payload)


def x2x3_attrs(seq, t_us):
    sec, usec = divmod(t_us, 1_000_000)
    return [(8, struct.pack("!I", seq)), (9, struct.pack("!II", sec, usec * 1000))]


def xiri_payload(event_tag):
    """33.128 XIRIPayload: OID .4.19.17.1.1 (r17 v1 xIRI), event [event_tag]."""
    body = ber(0x81, bytes([0x04, 0x13, 0x11, 0x01, 0x01]))
    body += ber(0xA2, ber(0xA0 | event_tag, b""))
    return ber(0x30, body)


def inner_ipv4_udp(ctx, n):
    """A subscriber RTP-ish IPv4/UDP packet (X3 content)."""
    rtp = struct.pack("!BBHII", 0x80, 0x08, 1000 + n, 160 * n, 0x1234ABCD)
    return bytes(IP(src="100.64.7.10", dst="198.18.20.5", id=100 + n, ttl=63) /
                 UDP(sport=16384, dport=16386) / Raw(rtp + safe_random(ctx.rng, 40)))


def inner_ipv6_udp(ctx, n):
    rtp = struct.pack("!BBHII", 0x80, 0x08, 2000 + n, 160 * n, 0x5678ABCD)
    return bytes(IPv6(src="2001:db8:64::7", dst="2001:db8:1820::5", hlim=63) /
                 UDP(sport=16388, dport=16390) / Raw(rtp + safe_random(ctx.rng, 40)))


def build_x2x3(ctx, spec):
    """NE (client) -> MD (server:50001): X2, X3 x3 (two in one segment),
    keepalive / ack, X2, FIN. One task XID for the whole flow."""
    rng = ctx.rng
    xid = uuid4(rng)
    cid = rng.randbytes(8)
    s = TcpSession(ctx, spec.cli, spec.srv, ctx.file.port(rng), X2X3_PORT)
    s.open()
    seq = 0

    def nxt():
        nonlocal seq
        seq += 1
        return seq

    pdu = x2x3_pdu(1, 2, 5, xid.bytes, cid, x2x3_attrs(nxt(), ctx.t), xiri_payload(1))
    s.mark_li(s.send(True, pdu))
    pdu = x2x3_pdu(2, 5, 3, xid.bytes, cid, x2x3_attrs(nxt(), ctx.t), inner_ipv4_udp(ctx, 1))
    s.send(True, pdu)
    pdu = (x2x3_pdu(2, 5, 2, xid.bytes, cid, x2x3_attrs(nxt(), ctx.t), inner_ipv4_udp(ctx, 2)) +
           x2x3_pdu(2, 5, 3, xid.bytes, cid, x2x3_attrs(nxt(), ctx.t), inner_ipv4_udp(ctx, 3)))
    s.send(True, pdu)
    if ip_version(spec.cli) == 6:
        pdu = x2x3_pdu(2, 6, 3, xid.bytes, cid, x2x3_attrs(nxt(), ctx.t), inner_ipv6_udp(ctx, 4))
        s.send(True, pdu)
    ka_seq = nxt()
    ka = x2x3_pdu(3, 0, 0, bytes(16), bytes(8), [(8, struct.pack("!I", ka_seq))], b"")
    s.send(True, ka, ack=False)
    ack = x2x3_pdu(4, 0, 0, bytes(16), bytes(8), [(8, struct.pack("!I", ka_seq))], b"")
    s.send(False, ack)
    pdu = x2x3_pdu(1, 2, 5, xid.bytes, cid, x2x3_attrs(nxt(), ctx.t), xiri_payload(2))
    s.send(True, pdu)
    s.close()
    return {"xid": str(xid)}


# ---------------------------------------------------------------------------
# ETSI HI: TS 102 232-1 PS-PDU (50002), TS 101 671 / 33.108 HI2 IRI (50003)
# ---------------------------------------------------------------------------

PSPDU_DOMAIN = bytes([0x04, 0x00, 0x02, 0x02, 0x05, 0x01, 0x11])      # 0.4.0.2.2.5.1.17
HI2_DOMAINS = {
    "etsi": (bytes([0x04, 0x00, 0x02, 0x02, 0x01, 0x12]), "0.4.0.2.2.1.18"),
    "3gpp": (bytes([0x04, 0x00, 0x02, 0x02, 0x04, 0x01, 0x0F, 0x05]), "0.4.0.2.2.4.1.15.5"),
}


def ps_header(liid, seq, t_us, cin):
    sec, usec = divmod(t_us, 1_000_000)
    h = ber(0x80, PSPDU_DOMAIN)
    h += ber(0x81, liid.encode())
    h += ber(0x82, b"NZ")
    h += ber(0xA3, ber(0xA0, ber(0x80, b"OPER") + ber(0x81, b"NE01")) +
             ber(0x81, ber_uint(cin)) + ber(0x82, b"NZ"))
    h += ber(0x84, ber_uint(seq))
    h += ber(0x85, gentime(t_us).encode())
    h += ber(0xA7, ber(0x80, ber_uint(sec)) + ber(0x81, ber_uint(usec)))
    h += ber(0x88, b"\x01")                     # timeStampQualifier: timeOfInterception
    return ber(0xA1, h)


def ps_iri_payload(iri_type, user):
    """iRIPayloadSequence [0] { IRIPayload { iRIType, iRIContents [2] { iPIRI [2] } } }"""
    ipiri = ber(0x80, bytes([0x05, 0x03, 0x0A, 0x01]))           # iPIRIObjId 5.3.10.1
    ipiri += ber(0xA1, ber(0x80, b"\x00") + ber(0x81, user.encode()) + ber(0x82, b"\x03"))
    iri = ber(0x80, bytes([iri_type])) + ber(0xA2, ber(0xA2, ipiri))
    return ber(0xA0, ber(0x30, iri))


def ps_cc_payload(direction, ippkt):
    """cCPayloadSequence [1] { CCPayload { dir, cCContents [2] { iPCC [2] } } }"""
    ipcc = ber(0x80, bytes([0x05, 0x03, 0x0A, 0x02]))           # iPCCObjId 5.3.10.2
    ipcc += ber(0xA1, ber(0x80, ippkt))                          # iPPackets
    cc = ber(0x80, bytes([direction])) + ber(0xA2, ber(0xA2, ipcc))
    return ber(0xA1, ber(0x30, cc))


def ps_keepalive_payload():
    return ber(0xA2, ber(0x83, b""))


def ps_pdu(liid, seq, t_us, cin, payload):
    return ber(0x30, ps_header(liid, seq, t_us, cin) + ber(0xA2, payload))


def build_pspdu(ctx, spec):
    """LI-PS-PDUs back to back, one per segment: IRI begin, 3 CC, keep-alive, IRI end."""
    rng = ctx.rng
    liid = spec.params["liid"]
    cin = rng.randrange(1, 1 << 24)
    s = TcpSession(ctx, spec.cli, spec.srv, ctx.file.port(rng), PSPDU_PORT)
    s.open()
    user = "user%d@isp.example" % rng.randrange(1000)
    seq = 0
    s.mark_li(s.send(True, ps_pdu(liid, seq, ctx.t, cin, ps_iri_payload(1, user))))
    for n in range(3):
        seq += 1
        s.send(True, ps_pdu(liid, seq, ctx.t, cin, ps_cc_payload(n % 2, inner_ipv4_udp(ctx, n))))
    seq += 1
    s.send(True, ps_pdu(liid, seq, ctx.t, cin, ps_keepalive_payload()))
    seq += 1
    s.send(True, ps_pdu(liid, seq, ctx.t, cin, ps_iri_payload(2, user)))
    s.close()
    return {"liid": liid, "domain_oid": "0.4.0.2.2.5.1.17"}


def hi2_record(kind, domain, liid, cin, t_us):
    """IRIsContent iRIContent [0] { iRI-<kind>-record { IRI-Parameters } };
    kind 1 begin, 2 end, 3 continue, 4 report."""
    p = ber(0x80, domain)
    p += ber(0x81, liid.encode())
    p += ber(0xA2, ber(0x80, struct.pack("!I", cin)) + ber(0xA1, ber(0x80, b"OPR")))
    p += ber(0xA3, ber(0x81, utctime(t_us).encode()))
    p += ber(0x84, b"\x01")                      # intercepted-Call-Direct: originating
    return ber(0xA0, ber(0xA0 | kind, p))


def build_hi2(ctx, spec):
    """HI2 IRI records on TCP: begin, continue, report+continue (one segment), end."""
    rng = ctx.rng
    liid = spec.params["liid"]
    domain, dotted = HI2_DOMAINS[spec.params["domain"]]
    cin = rng.randrange(1, 1 << 31)
    s = TcpSession(ctx, spec.cli, spec.srv, ctx.file.port(rng), HI2_PORT)
    s.open()
    s.mark_li(s.send(True, hi2_record(1, domain, liid, cin, ctx.t)))
    s.send(True, hi2_record(3, domain, liid, cin, ctx.t))
    s.send(True, hi2_record(4, domain, liid, cin, ctx.t) + hi2_record(3, domain, liid, cin, ctx.t))
    s.send(True, hi2_record(2, domain, liid, cin, ctx.t))
    s.close()
    return {"liid": liid, "domain_oid": dotted}


# ---------------------------------------------------------------------------
# ERSPAN (GRE 0x88BE type I / II, 0x22EB type III)
# ---------------------------------------------------------------------------

def subscriber_frames(ctx, n):
    """n inner Ethernet frames of a subscriber 100.64.x.y: ICMP echo pairs and TCP."""
    rng = ctx.rng
    sub = "100.64.%d.%d" % (rng.randrange(1, 255), rng.randrange(1, 255))
    peer = "192.0.2.%d" % rng.randrange(1, 255)
    smac, pmac = mac_for("sub" + sub), mac_for("gw" + sub)
    out = []
    sport = ctx.file.port(rng)
    # mid-connection TLS session: consistent seq/ack in both directions
    nxt = {True: rng.getrandbits(32), False: rng.getrandbits(32)}
    for i in range(n):
        if i % 4 < 2:
            echo = ICMP(type=8 if i % 2 == 0 else 0, id=0x4242, seq=i // 4 + 1)
            src, dst = (sub, peer) if i % 2 == 0 else (peer, sub)
            if i % 2 == 0:
                data = safe_random(rng, 32)
            pkt = IP(src=src, dst=dst, id=rng.randrange(65536), ttl=64) / echo / Raw(data)
        else:
            c2s = i % 2 == 0
            src, dst = (sub, peer) if c2s else (peer, sub)
            body = b"\x17\x03\x03\x00\x30" + safe_random(rng, 48)
            tcp = TCP(sport=sport if c2s else 443, dport=443 if c2s else sport,
                      seq=nxt[c2s], ack=nxt[not c2s], flags="PA", window=502)
            nxt[c2s] = (nxt[c2s] + len(body)) & 0xFFFFFFFF
            pkt = IP(src=src, dst=dst, id=rng.randrange(65536), ttl=64, flags="DF") / tcp / \
                Raw(body)
        m1, m2 = (smac, pmac) if src == sub else (pmac, smac)
        out.append(m2 + m1 + b"\x08\x00" + bytes(pkt))
    return out


def build_erspan(ctx, spec):
    """Router -> collector, GRE with ERSPAN type I, II or III (S set or clear)."""
    rng = ctx.rng
    etype = spec.params["type"]
    sid = spec.params.get("session_id")
    s_bit = spec.params.get("s_bit", etype != 1)
    gre_seq = rng.randrange(0, 1 << 16)
    index = rng.randrange(1, 64)
    for i, inner in enumerate(subscriber_frames(ctx, spec.params.get("packets", 8))):
        flags = 0x1000 if s_bit else 0x0000
        proto = 0x22EB if etype == 3 else 0x88BE
        gre = struct.pack("!HH", flags, proto)
        if s_bit:
            gre += struct.pack("!I", gre_seq + i)
        if etype == 2:
            hdr = struct.pack("!HHI", (1 << 12) | 0, (0 << 13) | (0 << 11) | sid, index)
        elif etype == 3:
            ts = (ctx.t // 100) & 0xFFFFFFFF            # 100 us granularity (gra 0)
            word = (0 << 15) | (0 << 10) | (3 << 4)     # P=0 FT=0 HwID=3 D=0 Gra=0 O=0
            hdr = struct.pack("!HHIHH", (2 << 12) | 0, (0 << 13) | (0 << 11) | sid, ts, 0, word)
        else:
            hdr = b""
        outer = ctx.ip(spec.cli, spec.srv, ttl=255, flags=0)
        if ip_version(spec.cli) == 6:
            outer.nh = 47
        else:
            outer.proto = 47
        idx = ctx.emit_ip(outer / Raw(gre + hdr + inner), spec.cli, spec.srv)
        ctx.mark_li(idx, spec.cli, spec.srv, None, None, "GRE")
    # type I has no ERSPAN header, hence no session id to report
    return {"type": etype} if etype == 1 else {"type": etype, "session_id": sid}


# ---------------------------------------------------------------------------
# Content copies: intercepted packets and the shims in front of them
# ---------------------------------------------------------------------------

PCLI_PORT = 9000          # PacketCable CCC: historical Wireshark default
PCLI_PORT_ALT = 10741     # FreeSWITCH mod_pcli default
JMIRROR_PORT = 30030      # Wireshark jmirror default
TZSP_PORT = 37008
TZSP_PORT_ALT = 31337     # the public lwerdna sample
REDBACK_PORT = 5200       # any port: tshark finds it heuristically
RPCAP_PORT = 2002         # rpcapd, passive mode
RPCAP_PORT_ACTIVE = 2003  # capture client, active mode
X1_PORT = 8443            # X1 over HTTP in clear (no standard port)
DTCP_PORT = 32001
SNMP_PORT = 161


def addrs_of(ip):
    """(src, dst) text of a raw IPv4 / IPv6 packet."""
    if ip[0] >> 4 == 4:
        return str(ipaddress.IPv4Address(ip[12:16])), str(ipaddress.IPv4Address(ip[16:20]))
    return str(ipaddress.IPv6Address(ip[8:24])), str(ipaddress.IPv6Address(ip[24:40]))


def inner_of(pkt, eth=False):
    """Manifest "inner" of a copied packet (raw IP, or untagged Ethernet)."""
    src, dst = addrs_of(pkt[14:] if eth else pkt)
    return {"src_ip": src, "dest_ip": dst}


def rtp_stream(ctx, n, v6=False):
    """n packets of one subscriber's G.711 call, alternating directions,
    the first from the subscriber (100.64/10 or 2001:db8:64::/48)."""
    rng = ctx.rng
    if v6:
        sub = "2001:db8:64:%x::%x" % (rng.randrange(1, 0xFFFF), rng.randrange(1, 0xFFFF))
        peer = "2001:db8:1820::%x" % rng.randrange(1, 0xFFFF)
    else:
        sub = "100.64.%d.%d" % (rng.randrange(1, 255), rng.randrange(1, 255))
        peer = "198.18.%d.%d" % (rng.randrange(1, 255), rng.randrange(1, 255))
    ports = {True: 16384 + 2 * rng.randrange(1000), False: 20000 + 2 * rng.randrange(1000)}
    ssrc = {True: rng.getrandbits(32), False: rng.getrandbits(32)}
    seq = {True: rng.randrange(65536), False: rng.randrange(65536)}
    ts = {True: rng.getrandbits(32), False: rng.getrandbits(32)}
    ipid = {True: rng.randrange(65536), False: rng.randrange(65536)}
    out = []
    for i in range(n):
        up = i % 2 == 0
        src, dst = (sub, peer) if up else (peer, sub)
        marker = 0x80 if i < 2 else 0
        rtp = struct.pack("!BBHII", 0x80, marker | 8, seq[up] & 0xFFFF, ts[up] & 0xFFFFFFFF,
                          ssrc[up]) + safe_random(rng, 160)
        seq[up] += 1
        ts[up] += 160
        udp = UDP(sport=ports[up], dport=ports[not up]) / Raw(rtp)
        if v6:
            pkt = IPv6(src=src, dst=dst, hlim=62, tc=0xB8, fl=0) / udp
        else:
            pkt = IP(src=src, dst=dst, id=ipid[up], ttl=62, tos=0xB8) / udp
            ipid[up] = (ipid[up] + 1) & 0xFFFF
        out.append(bytes(pkt))
    return out


def build_pcli(ctx, spec):
    """Router -> collector: PacketCable CCC / Cisco SII content. Header CCCID (4),
    + NTP timestamp (12), + case id (20), then the intercepted IP packet."""
    rng = ctx.rng
    hlen = spec.params.get("header", 4)
    port = spec.params.get("port", PCLI_PORT)
    cccid = rng.randrange(1, 1 << 31)
    case_id = rng.getrandbits(32)
    sport = ctx.file.port(rng)
    pkts = rtp_stream(ctx, spec.params.get("packets", 6), v6=spec.params.get("inner_v6", False))
    for p in pkts:
        hdr = struct.pack("!I", cccid)
        if hlen >= 12:
            hdr += ntp_ts(ctx.t)
        if hlen == 20:
            hdr += struct.pack("!Q", case_id)
        idx = send_udp(ctx, spec.cli, spec.srv, sport, port, hdr + p)
        ctx.mark_li(idx, spec.cli, spec.srv, sport, port, "UDP")
    return {"cccid": cccid, "header_len": hlen, "inner": inner_of(pkts[0])}


def shim8_ambiguous(h):
    """An 8-byte shim that also reads as GTPv1-U, VXLAN(-GPE) or an rpcap
    header: legal, but a coin toss for any decoder. Never drawn by chance."""
    return ((h[0] & 0xF8) == 0x30 and h[1] == 0xFF or
            h[1] == 0 and h[2] == 0 and h[7] == 0 or
            h[0] == 0 and (1 <= h[1] <= 0x0B or 0x81 <= h[1] <= 0x8B))


def build_jmirror(ctx, spec):
    """Router -> mediation device on UDP 30030: [MHV | intercept id][session id]
    + IP. MHV 0 = Juniper (outer TTL 255, UDP checksum 0 over IPv4);
    MHV 1 = Nokia LI-shim, bit 29 = direction (1 egress = to the subscriber)."""
    rng = ctx.rng
    mhv = spec.params.get("mhv", 0)
    egress = spec.params.get("egress", True)
    while True:
        sid = rng.randrange(1, 1 << 20)
        if mhv == 0:
            iid = rng.randrange(1, 1 << 30)
            w0 = iid
        else:
            iid = rng.randrange(1, 1 << 29)
            w0 = (1 << 30) | ((1 << 29) if egress else 0) | iid
        if not shim8_ambiguous(struct.pack("!II", w0, sid)):
            break
    v4 = ip_version(spec.cli) == 4
    juniper = mhv == 0
    sport = ctx.file.port(rng)
    pkts = rtp_stream(ctx, spec.params.get("packets", 6), v6=spec.params.get("inner_v6", False))
    for p in pkts:
        idx = send_udp(ctx, spec.cli, spec.srv, sport, JMIRROR_PORT,
                       struct.pack("!II", w0, sid) + p, ttl=255 if juniper else 64,
                       zero_csum=juniper and v4)
        ctx.mark_li(idx, spec.cli, spec.srv, sport, JMIRROR_PORT, "UDP")
    detail = {"intercept_id": iid, "session_id": sid, "inner": inner_of(pkts[0])}
    if mhv:
        detail.update(mhv=mhv, direction="egress" if egress else "ingress")
    return detail


def redback_avps(seq, liid, sessid, label=None, drop=()):
    """Redback LI header: AVPs seqno (1), LI id (2), session id (3), label (20),
    then End-Of-Header (0, length 0). drop: AVP types to leave out."""
    avps = [(1, struct.pack("!I", seq)), (2, struct.pack("!I", liid)),
            (3, struct.pack("!I", sessid))]
    if label:
        avps.append((20, label.encode()))
    return b"".join(bytes([t, len(v)]) + v for t, v in avps if t not in drop) + b"\x00\x00"


def build_redback(ctx, spec):
    """SmartEdge -> mediation device: Redback LI AVP header + IPv4, any UDP port."""
    rng = ctx.rng
    liid = rng.randrange(1, 1 << 24)
    sessid = rng.randrange(1, 1 << 31)
    seq = rng.randrange(1, 1 << 16)
    label = spec.params.get("label", "li-%d" % liid)
    port = spec.params.get("port", REDBACK_PORT)
    sport = ctx.file.port(rng)
    drop = spec.params.get("drop", ())          # near-miss negatives leave AVPs out
    pkts = rtp_stream(ctx, spec.params.get("packets", 6))
    for i, p in enumerate(pkts):
        idx = send_udp(ctx, spec.cli, spec.srv, sport, port,
                       redback_avps(seq + i, liid, sessid, label, drop) + p)
        if spec.family is None:
            ctx.marks.append(idx)
        else:
            ctx.mark_li(idx, spec.cli, spec.srv, sport, port, "UDP")
    return {"li_id": liid, "session_id": sessid, "inner": inner_of(pkts[0])}


def build_tzsp(ctx, spec):
    """Sniffer / router -> collector: TZSP v1, type 0 (received), encap 1,
    tags (optionally a pad), END, then the Ethernet frame."""
    rng = ctx.rng
    port = spec.params.get("port", TZSP_PORT)
    tags = (b"\x00" if spec.params.get("pad") else b"") + b"\x01"
    sport = ctx.file.port(rng)
    frames = subscriber_frames(ctx, spec.params.get("packets", 6))
    for f in frames:
        idx = send_udp(ctx, spec.cli, spec.srv, sport, port, struct.pack("!BBH", 1, 0, 1) +
                       tags + f)
        ctx.mark_li(idx, spec.cli, spec.srv, sport, port, "UDP")
    return {"encap": 1, "inner": inner_of(frames[0], eth=True)}


# ---------------------------------------------------------------------------
# rpcap (libpcap rpcap-protocol.h): control on TCP, packets on UDP
# ---------------------------------------------------------------------------

RPCAP_FLAGS = 0x0007      # promisc | dgram (UDP data) | serveropen


def rpcap_msg(mtype, payload=b"", value=0):
    return struct.pack("!BBHI", 0, mtype, value, len(payload)) + payload


def rpcap_sockaddr(addr=None, prefix=None):
    """rpcap_sockaddr (128 bytes): RPCAP_AF_INET 2 / RPCAP_AF_INET6 23; or a
    netmask of prefix bits in the family of addr; None = unused (zeros)."""
    if addr is None:
        return bytes(128)
    a = ipaddress.ip_address(addr)
    if prefix is not None:
        a = ipaddress.ip_network("%s/%d" % (addr, prefix), strict=False).netmask
    if a.version == 4:
        b = struct.pack("!HH", 2, 0) + a.packed + bytes(8)
    else:
        b = struct.pack("!HHI", 23, 0, 0) + a.packed + struct.pack("!I", 0)
    return b + bytes(128 - len(b))


def rpcap_ifs(addr):
    """findalldevs reply payload: eth0 with one address, and "any"."""
    v4 = ip_version(addr) == 4
    bcast = str(ipaddress.ip_network(addr + "/24", strict=False).broadcast_address) if v4 \
        else None
    ifaddr = (rpcap_sockaddr(addr) + rpcap_sockaddr(addr, 24 if v4 else 64) +
              rpcap_sockaddr(bcast) + rpcap_sockaddr(None))
    out = b""
    for name, desc, addrs in ((b"eth0", b"uplink to core", [ifaddr]),
                              (b"any", b"Pseudo-device that captures on all interfaces", [])):
        out += struct.pack("!HHIHH", len(name), len(desc), 0x16, len(addrs), 0)
        out += name + desc + b"".join(addrs)
    return out, 2


def build_rpcap(ctx, spec):
    """Capture client <-> rpcapd. Passive: client -> rpcapd:2002. Active
    (active=True): rpcapd -> client:2003, the client still speaks first.
    auth, findalldevs, open, startcap (UDP data to the client's port), packets
    on UDP from rpcapd, endcap. spec.cli = client, spec.srv = rpcapd."""
    rng = ctx.rng
    client, daemon = spec.cli, spec.srv
    active = spec.params.get("active", False)
    if active:
        s = TcpSession(ctx, daemon, client, ctx.file.port(rng), RPCAP_PORT_ACTIVE)
        c2s = False                  # client messages go server -> TCP client
    else:
        s = TcpSession(ctx, client, daemon, ctx.file.port(rng), RPCAP_PORT)
        c2s = True
    s.open()
    user = spec.params.get("user")
    if user:
        pw = spec.params.get("password", "").encode()
        auth = struct.pack("!HHHH", 1, 0, len(user), len(pw)) + user.encode() + pw
    else:
        auth = struct.pack("!HHHH", 0, 0, 0, 0)
    s.mark_li(s.send(c2s, rpcap_msg(0x08, auth)), c2s)
    # libpcap >= 1.10 auth reply: minvers, maxvers, pad, byte-order magic (host order)
    s.send(not c2s, rpcap_msg(0x88, struct.pack("<BBHI", 0, 0, 0, 0xA1B2C3D4)))
    s.send(c2s, rpcap_msg(0x02))
    ifs, nif = rpcap_ifs(daemon)
    s.send(not c2s, rpcap_msg(0x82, ifs, value=nif))
    s.send(c2s, rpcap_msg(0x03, b"eth0"))
    s.send(not c2s, rpcap_msg(0x83, struct.pack("!Ii", 1, 0)))        # DLT_EN10MB, tz 0
    dport = ctx.file.port(rng)                                         # client's UDP port
    bpf = struct.pack("!HBBI", 0x06, 0, 0, 262144)                      # ret #262144
    req = (struct.pack("!IiHH", 262144, 1000, RPCAP_FLAGS, dport) +
           struct.pack("!HHI", 1, 0, 1) + bpf)
    s.send(c2s, rpcap_msg(0x04, req))
    s.send(not c2s, rpcap_msg(0x84, struct.pack("!IHH", 2097152, 0, 0)))
    sport = ctx.file.port(rng)
    frames = subscriber_frames(ctx, spec.params.get("packets", 6))
    for n, f in enumerate(frames, 1):
        sec, usec = divmod(ctx.t - 150, 1_000_000)
        hdr = struct.pack("!IIIII", sec, usec, len(f), len(f), n)
        idx = send_udp(ctx, daemon, client, sport, dport, rpcap_msg(0x07, hdr + f))
        if n == 1:
            ctx.add_li("-data", idx, daemon, client, sport, dport, "UDP",
                       {"message": "packet", "inner": inner_of(f, eth=True)})
    s.send(c2s, rpcap_msg(0x0A))
    s.send(not c2s, rpcap_msg(0x8A))
    s.close()
    return {"message": "auth-request"}


# ---------------------------------------------------------------------------
# ETSI TS 103 221-1 X1: XML over HTTP (in clear)
# ---------------------------------------------------------------------------

X1_NS = "http://uri.etsi.org/03221/X1/2017/10"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def isotime(t_us):
    g = gentime(t_us)                       # YYYYMMDDhhmmss.mmmZ
    return "%s-%s-%sT%s:%s:%s%sZ" % (g[0:4], g[4:6], g[6:8], g[8:10], g[10:12], g[12:14],
                                     g[14:18])


def xml_elems(items, prefix, depth):
    out = []
    for name, value in items:
        pad = "  " * depth
        if isinstance(value, list):
            out.append("%s<%s%s>" % (pad, prefix, name))
            out += xml_elems(value, prefix, depth + 1)
            out.append("%s</%s%s>" % (pad, prefix, name))
        else:
            out.append("%s<%s%s>%s</%s%s>" % (pad, prefix, name, value, prefix, name))
    return out


def x1_document(root, msg_type, items, prefix=""):
    """An X1Request / X1Response with one message of xsi:type msg_type."""
    p = prefix + ":" if prefix else ""
    child = "x1RequestMessage" if root == "X1Request" else "x1ResponseMessage"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<%s%s xmlns%s="%s" xmlns:xsi="%s">' % (p, root, ":" + prefix if prefix else "",
                                                      X1_NS, XSI_NS),
             '  <%s%s xsi:type="%s%s">' % (p, child, p, msg_type)]
    lines += xml_elems(items, p, 2)
    lines += ["  </%s%s>" % (p, child), "</%s%s>" % (p, root), ""]
    return "\n".join(lines).encode()


def http_post(host, port, path, body, ctype="application/xml", agent="admf-x1/2.4"):
    hostport = ("[%s]:%d" if ":" in host else "%s:%d") % (host, port)
    head = ("POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nContent-Type: %s\r\n"
            "Accept: application/xml\r\nContent-Length: %d\r\n\r\n" % (
                path, hostport, agent, ctype, len(body)))
    return head.encode() + body


def http_response(body, ctype="application/xml", server=None):
    head = "HTTP/1.1 200 OK\r\n"
    if server:
        head += "Server: %s\r\n" % server
    head += "Content-Type: %s\r\nContent-Length: %d\r\n\r\n" % (ctype, len(body))
    return head.encode() + body


MSS = 1460


def build_x1(ctx, spec):
    """ADMF -> NE (or NE -> ADMF for reports): HTTP/1.1 POSTs of X1 requests,
    each answered by an HTTP 200 X1Response; every HTTP message in one
    segment. messages: list of request types, in order."""
    rng = ctx.rng
    prefix = spec.params.get("prefix", "")
    from_ne = spec.params.get("from_ne", False)
    element = spec.cli if from_ne else spec.srv
    admf, ne = "admf-1", "ne-" + element.replace(":", "-").replace(".", "-")
    s = TcpSession(ctx, spec.cli, spec.srv, ctx.file.port(rng), spec.params.get("port", X1_PORT))
    s.open()
    detail = None
    for mtype in spec.params["messages"]:
        txid = str(uuid4(rng))
        common = [("admfIdentifier", admf), ("neIdentifier", ne),
                  ("messageTimestamp", isotime(ctx.t)), ("version", "v1.6.1"),
                  ("x1TransactionId", txid)]
        xid = None
        if mtype == "ActivateTaskRequest":
            xid = str(uuid4(rng))
            msisdn = "4917%08d" % rng.randrange(10 ** 8)
            items = common + [("taskDetails", [
                ("xId", xid),
                ("targetIdentifiers", [("targetIdentifier", [("e164Number", msisdn)])]),
                ("deliveryType", "X2andX3"),
                ("listOfDIDs", [("dId", str(uuid4(rng)))])])]
        elif mtype in ("DeactivateTaskRequest", "GetTaskDetailsRequest"):
            xid = str(uuid4(rng))
            items = common + [("xId", xid)]
        elif mtype == "ReportTaskIssueRequest":
            xid = str(uuid4(rng))
            items = common + [("xId", xid), ("taskReportType", "ErrorInTaskOperation"),
                              ("taskIssueDetails", "target not reachable")]
        else:                                            # GetNEStatusRequest, KeepaliveRequest
            items = common
        body = x1_document("X1Request", mtype, items, prefix)
        path = "/X1/ADMF" if from_ne else "/X1/NE"
        req = http_post(spec.srv, s.dport, path, body)
        assert len(req) <= MSS, "%s: X1 request of %d bytes" % (spec.name, len(req))
        idx = s.send(True, req, ack=False)
        if detail is None:
            s.mark_li(idx)
            detail = {"message": mtype}
            if xid:
                detail["xid"] = xid
        resp_type = mtype[:-len("Request")] + "Response"
        ritems = common[:]
        if mtype == "GetNEStatusRequest":
            ritems.append(("nEStatusDetails", [("nEStatus", "OK")]))
        else:
            ritems.append(("OK", "AcknowledgedAndCompleted"))
        resp = http_response(x1_document("X1Response", resp_type, ritems, prefix))
        assert len(resp) <= MSS
        s.send(False, resp)
    s.close()
    return detail


# ---------------------------------------------------------------------------
# Juniper DTCP (flow-tap control, in clear)
# ---------------------------------------------------------------------------

def dtcp_message(start, headers, key=b"dtcp-shared-secret"):
    """Start line, headers, Authentication-Info (HMAC-SHA1, 40 hex), blank line."""
    text = start + "\r\n" + "".join("%s: %s\r\n" % h for h in headers)
    mac = hmac.new(key, text.encode(), hashlib.sha1).hexdigest()
    return (text + "Authentication-Info: %s\r\n\r\n" % mac).encode()


def dtcp_reply(seq, criteria, t_us, extra=(), key=b"dtcp-shared-secret"):
    g = gentime(t_us)
    stamp = "%s-%s-%s %s:%s:%s%s" % (g[0:4], g[4:6], g[6:8], g[8:10], g[10:12], g[12:14],
                                     g[14:18])
    text = "DTCP/0.7 200 OK\r\nSEQ: %d\r\n" % seq
    if criteria is not None:
        text += "CRITERIA-ID: %d\r\n" % criteria
    text += "".join("%s: %s\r\n" % h for h in extra)
    text += "TIMESTAMP: %s\r\n" % stamp
    mac = hmac.new(key, text.encode(), hashlib.sha1).hexdigest()
    return (text + "AUTHENTICATION-INFO: %s\r\n\r\n" % mac).encode()


def build_dtcp(ctx, spec):
    """Mediation device -> router: DTCP/0.7 requests (commands), each answered
    by "DTCP/0.7 200 OK" with upper-case headers. ADD asks the router to copy
    a target's traffic to dest (address, port) as JMirror."""
    rng = ctx.rng
    s = TcpSession(ctx, spec.cli, spec.srv, ctx.file.port(rng), DTCP_PORT)
    s.open()
    dest_addr, dest_port = spec.params.get("dest", ("10.200.0.40", JMIRROR_PORT))
    iid = "0x%08x" % rng.randrange(1, 1 << 30)
    criteria = rng.randrange(1, 200)
    target = "100.64.%d.%d" % (rng.randrange(1, 255), rng.randrange(1, 255))
    seq = rng.randrange(1, 50)
    detail = None
    for cmd in spec.params["commands"]:
        base = [("Csource-ID", "md-admf1"), ("Cdest-ID", "cd-%s" % dest_addr.replace(".", "-")
                                              .replace(":", "-"))]
        if cmd == "ADD":
            hdrs = base + [("Source-Address", target), ("Priority", "2"), ("Flags", "STATIC"),
                           ("X-JTap-Cdest-Dest-Address", dest_addr),
                           ("X-JTap-Cdest-Dest-Port", str(dest_port)),
                           ("X-JTap-Cdest-Source-Address", spec.srv),
                           ("X-JTap-Cdest-TTL", "255"),
                           ("X-MD-Intercept-Id", iid), ("Seq", str(seq))]
            d = {"command": "ADD", "intercept_id": iid, "dest_address": dest_addr,
                 "dest_port": dest_port}
            reply = dtcp_reply(seq, criteria, ctx.t)
        elif cmd == "LIST":
            hdrs = base + [("Flags", "BOTH"), ("Seq", str(seq))]
            d = {"command": "LIST"}
            reply = dtcp_reply(seq, None, ctx.t, extra=[
                ("CRITERIA-ID", str(criteria)), ("X-MD-INTERCEPT-ID", iid),
                ("X-JTAP-CDEST-DEST-ADDRESS", dest_addr),
                ("X-JTAP-CDEST-DEST-PORT", str(dest_port)), ("FLAGS", "STATIC")])
        elif cmd == "DELETE":
            hdrs = base + [("Criteria-ID", str(criteria)), ("Flags", "STATIC"), ("Seq", str(seq))]
            d = {"command": "DELETE", "criteria_id": str(criteria)}
            reply = dtcp_reply(seq, criteria, ctx.t)
        else:
            raise ValueError(cmd)
        idx = s.send(True, dtcp_message("%s DTCP/0.7" % cmd, hdrs), ack=False)
        if detail is None:
            s.mark_li(idx)
            detail = d
        s.send(False, reply)
        seq += 1
    s.close()
    return detail


# ---------------------------------------------------------------------------
# SNMP with the Cisco / CableLabs TAP MIBs (BER built here, checked by tshark)
# ---------------------------------------------------------------------------

BER_INT, BER_OCTETS, BER_NULL, BER_OID = 0x02, 0x04, 0x05, 0x06
SNMP_COUNTER32, SNMP_GAUGE32 = 0x41, 0x42
PDU_GET, PDU_RESPONSE, PDU_SET, PDU_REPORT = 0xA0, 0xA2, 0xA3, 0xA8

CTAP2 = "1.3.6.1.4.1.9.9.399"
CTAP2_MED = CTAP2 + ".1.1.2.1"            # cTap2MediationEntry
CTAP2_STREAM = CTAP2 + ".1.2.1.1"         # cTap2StreamEntry
CITAP = "1.3.6.1.4.1.9.9.394"
CITAP_STREAM = CITAP + ".1.1.2.1"         # citapStreamEntry
PKTC_TAP = "1.3.6.1.4.1.4491.2.2.9.1.1"
PKTC_MED = PKTC_TAP + ".1.1.2.1"          # pktcEScTapMediationEntry


def ber_oid(dotted):
    arcs = [int(a) for a in dotted.split(".")]
    out = bytearray([40 * arcs[0] + arcs[1]])
    for a in arcs[2:]:
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.append(0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(reversed(chunk))
    return ber(BER_OID, bytes(out))


def ber_int(v):
    return ber(BER_INT, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))


def snmp_value(v):
    """(tag, python value) -> TLV. tag None = NULL (get requests)."""
    tag, val = v
    if tag is None:
        return ber(BER_NULL, b"")
    if tag == BER_INT:
        return ber_int(val)
    if tag in (SNMP_COUNTER32, SNMP_GAUGE32):
        return ber(tag, ber_uint(val))
    return ber(tag, val)


def snmp_pdu(tag, reqid, varbinds, err=0, err_idx=0):
    vbl = b"".join(ber(0x30, ber_oid(o) + snmp_value(v)) for o, v in varbinds)
    return ber(tag, ber_int(reqid) + ber_int(err) + ber_int(err_idx) + ber(0x30, vbl))


def snmp_v12(version, community, pdu):
    """SNMPv1 (version 0) / v2c (version 1) message."""
    return ber(0x30, ber_int(version) + ber(BER_OCTETS, community.encode()) + pdu)


def snmp_v3(msgid, flags, engine, boots, etime, user, pdu):
    """SNMPv3 message, USM, no authentication and no privacy: plaintext scopedPDU."""
    glob = ber(0x30, ber_int(msgid) + ber_int(65507) + ber(BER_OCTETS, bytes([flags])) +
               ber_int(3))
    usm = ber(0x30, ber(BER_OCTETS, engine) + ber_int(boots) + ber_int(etime) +
              ber(BER_OCTETS, user.encode()) + ber(BER_OCTETS, b"") + ber(BER_OCTETS, b""))
    scoped = ber(0x30, ber(BER_OCTETS, engine) + ber(BER_OCTETS, b"") + pdu)
    return ber(0x30, ber_int(3) + glob + ber(BER_OCTETS, usm) + scoped)


def inet_address(addr):
    """(InetAddressType, InetAddress bytes) of an address."""
    a = ipaddress.ip_address(addr)
    return (1 if a.version == 4 else 2), a.packed


def tap2_mediation_set(cid, md_addr, md_port, root=CTAP2_MED, transport=True):
    atype, abytes = inet_address(md_addr)
    vbs = [("%s.2.%d" % (root, cid), (BER_INT, atype)),
           ("%s.3.%d" % (root, cid), (BER_OCTETS, abytes)),
           ("%s.4.%d" % (root, cid), (SNMP_GAUGE32, md_port))]
    if transport:
        vbs.append(("%s.11.%d" % (root, cid), (BER_INT, 1)))       # udp(1)
    vbs.append(("%s.13.%d" % (root, cid), (BER_INT, 4)))           # createAndGo(4)
    return vbs


def tap2_stream_set(cid, target):
    """citapStreamEntry (what to intercept) + cTap2StreamEntry (enable)."""
    _, tbytes = inet_address(target)
    return [("%s.2.%d.1" % (CITAP_STREAM, cid), (BER_INT, 1)),
            ("%s.3.%d.1" % (CITAP_STREAM, cid), (BER_OCTETS, tbytes)),
            ("%s.4.%d.1" % (CITAP_STREAM, cid), (SNMP_GAUGE32, 32)),
            ("%s.16.%d.1" % (CITAP_STREAM, cid), (BER_INT, 4)),
            ("%s.2.%d.1" % (CTAP2_STREAM, cid), (BER_INT, 1)),          # ip(1)
            ("%s.3.%d.1" % (CTAP2_STREAM, cid), (BER_INT, 1)),          # true
            ("%s.6.%d.1" % (CTAP2_STREAM, cid), (BER_INT, 4))]


def build_snmp(ctx, spec):
    """Manager -> agent:161 and the agent's GetResponse, per kind:
      tap2-set     v2c set cTap2MediationTable (createAndGo), then the stream tables
      tap2-set-v3  v3 noAuthNoPriv: engine discovery (report), then the same sets
      iptap-get    v1 get of CISCO-IP-TAP-MIB objects
      pktc-set     v2c set of the CableLabs PKTC-ES-TAP-MIB mediation table
      mib2-get, cisco39-get, cisco3990-get: non-TAP gets (negatives)"""
    rng = ctx.rng
    kind = spec.params["kind"]
    mgr, agent = spec.cli, spec.srv
    sport = ctx.file.port(rng)
    reqid = rng.randrange(1, 1 << 31)
    cid = rng.randrange(1, 1 << 31)
    md_addr, md_port = spec.params.get("mediation", ("10.200.0.40", PCLI_PORT))
    community = spec.params.get("community", "private")
    target = "100.64.%d.%d" % (rng.randrange(1, 255), rng.randrange(1, 255))
    engine = bytes.fromhex("800000090300") + mac_for("snmp-" + agent)   # Cisco, MAC format
    boots, etime = rng.randrange(1, 40), rng.randrange(1000, 10 ** 7)
    msgid = rng.randrange(1, 1 << 31)
    detail = None

    def exchange(req_pdu_tag, vbs, resp_vbs=None, version=1, user=None, li=True):
        nonlocal reqid, msgid, detail
        reqid += 1
        msgid += 1
        if version == 3:
            req = snmp_v3(msgid, 0x04, engine, boots, etime, user,
                          snmp_pdu(req_pdu_tag, reqid, vbs))
        else:
            req = snmp_v12(version, community, snmp_pdu(req_pdu_tag, reqid, vbs))
        idx = send_udp(ctx, mgr, agent, sport, SNMP_PORT, req)
        if li:
            ctx.mark_li(idx, mgr, agent, sport, SNMP_PORT, "UDP")
        rvbs = resp_vbs if resp_vbs is not None else vbs
        if version == 3:
            resp = snmp_v3(msgid, 0x00, engine, boots, etime, user,
                           snmp_pdu(PDU_RESPONSE, reqid, rvbs))
        else:
            resp = snmp_v12(version, community, snmp_pdu(PDU_RESPONSE, reqid, rvbs))
        send_udp(ctx, agent, mgr, SNMP_PORT, sport, resp, reverse=True)

    if kind == "tap2-set":
        exchange(PDU_SET, tap2_mediation_set(cid, md_addr, md_port))
        exchange(PDU_SET, tap2_stream_set(cid, target))
    elif kind == "tap2-set-v3":
        user = spec.params.get("user", "li-admin")
        # RFC 3414 discovery: empty engine id and user, reportable; agent reports
        msgid += 1
        reqid += 1
        disc = snmp_v3(msgid, 0x04, b"", 0, 0, "", snmp_pdu(PDU_GET, reqid, []))
        send_udp(ctx, mgr, agent, sport, SNMP_PORT, disc)
        rep = snmp_v3(msgid, 0x00, engine, boots, etime, "", snmp_pdu(
            PDU_REPORT, reqid, [("1.3.6.1.6.3.15.1.1.4.0", (SNMP_COUNTER32, 1))]))
        send_udp(ctx, agent, mgr, SNMP_PORT, sport, rep, reverse=True)
        exchange(PDU_SET, tap2_mediation_set(cid, md_addr, md_port), version=3, user=user)
        exchange(PDU_SET, tap2_stream_set(cid, target), version=3, user=user)
    elif kind == "iptap-get":
        vbs = [(CITAP + ".1.1.1.0", (None, None)),
               ("%s.3.%d.1" % (CITAP_STREAM, cid), (None, None)),
               ("%s.16.%d.1" % (CITAP_STREAM, cid), (None, None))]
        resp = [(CITAP + ".1.1.1.0", (BER_OCTETS, b"\xfe")),      # capability bits 0-6
                ("%s.3.%d.1" % (CITAP_STREAM, cid), (BER_OCTETS, inet_address(target)[1])),
                ("%s.16.%d.1" % (CITAP_STREAM, cid), (BER_INT, 1))]   # active(1)
        exchange(PDU_GET, vbs, resp, version=0)
        detail = {"operation": "get"}
    elif kind == "pktc-set":
        exchange(PDU_SET, tap2_mediation_set(cid, md_addr, md_port, root=PKTC_MED))
        detail = {"operation": "set"}
    elif kind in ("mib2-get", "cisco39-get", "cisco3990-get"):
        if kind == "mib2-get":
            oids = ["1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.2.2.1.2.1",
                    "1.3.6.1.2.1.2.2.1.10.1"]
            vals = [(BER_OCTETS, b"Cisco IOS XE Software, Version 17.9.4a"),
                    (BER_OCTETS, b"pe1.example.net"),
                    (BER_OCTETS, b"GigabitEthernet0/0/0"), (SNMP_COUNTER32, 123456789)]
        elif kind == "cisco39-get":
            # 1.3.6.1.4.1.9.9.39: a prefix of .399, not a TAP MIB
            oids = ["1.3.6.1.4.1.9.9.39.1.1.1.0", "1.3.6.1.4.1.9.9.39.1.2.1.1.2.1"]
            vals = [(BER_INT, 3), (BER_OCTETS, b"ds1-1")]
        else:
            oids = ["1.3.6.1.4.1.9.9.3990.1.1.2.1.3.7", "1.3.6.1.4.1.9.9.3990.1.1.2.1.4.7"]
            vals = [(BER_OCTETS, bytes([10, 200, 0, 40])), (SNMP_GAUGE32, 9000)]
        exchange(PDU_GET, [(o, (None, None)) for o in oids], list(zip(oids, vals)), li=False)
        ctx.marks.append(len(ctx.frames) - 2)
        return None
    else:
        raise ValueError(kind)
    if detail is None:
        detail = {"operation": "set", "table": "cTap2MediationTable",
                  "mediation_address": md_addr, "mediation_port": md_port}
    return detail


# ---------------------------------------------------------------------------
# Background traffic
# ---------------------------------------------------------------------------

HTML = (b"<!DOCTYPE html>\n<html><head><title>Example Domain</title></head>\n"
        b"<body><h1>Example Domain</h1><p>This domain is for use in illustrative "
        b"examples in documents.</p></body></html>\n")


def build_http(ctx, spec):
    rng = ctx.rng
    host = spec.params.get("host", "www.example.com")
    s = TcpSession(ctx, spec.cli, spec.srv, ctx.file.port(rng), 80)
    s.open()
    path = spec.params.get("path", "/index.html")
    s.send(True, ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: curl/7.88.1\r\n"
                  "Accept: */*\r\n\r\n" % (path, host)).encode())
    body = spec.params.get("body", HTML)
    head = ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n"
            "Content-Length: %d\r\n\r\n" % len(body)).encode()
    data = head + body
    if spec.params.get("one_segment"):
        ctx.marks.append(s.send(False, data))
    else:
        half = len(data) // 2
        s.send(False, data[:half], ack=False)
        s.send(False, data[half:])
    s.close()
    return None


def tls_record(ctype, body):
    return struct.pack("!BHH", ctype, 0x0303, len(body)) + body


def tls_client_hello(rng, sni):
    name = sni.encode()
    exts = b""
    sn = struct.pack("!BH", 0, len(name)) + name
    exts += struct.pack("!HH", 0, len(sn) + 2) + struct.pack("!H", len(sn)) + sn
    exts += struct.pack("!HHH", 10, 4, 2) + struct.pack("!H", 0x001D)      # x25519
    exts += struct.pack("!HHB", 43, 3, 2) + struct.pack("!H", 0x0304)      # TLS 1.3
    exts += struct.pack("!HHH", 13, 4, 2) + struct.pack("!H", 0x0804)      # rsa_pss
    ks = struct.pack("!HH", 0x001D, 32) + rng.randbytes(32)
    exts += struct.pack("!HHH", 51, len(ks) + 2, len(ks)) + ks
    suites = struct.pack("!HHHH", 0x1301, 0x1302, 0x1303, 0xC02F)
    body = (struct.pack("!H", 0x0303) + rng.randbytes(32) + b"\x20" + rng.randbytes(32) +
            struct.pack("!H", len(suites)) + suites + b"\x01\x00" +
            struct.pack("!H", len(exts)) + exts)
    hs = struct.pack("!B", 1) + len(body).to_bytes(3, "big") + body
    return struct.pack("!BHH", 22, 0x0301, len(hs)) + hs


def tls_server_hello(rng, sid):
    exts = struct.pack("!HHH", 43, 2, 0x0304)
    ks = struct.pack("!HH", 0x001D, 32) + rng.randbytes(32)
    exts += struct.pack("!HH", 51, len(ks)) + ks
    body = (struct.pack("!H", 0x0303) + rng.randbytes(32) + b"\x20" + sid +
            struct.pack("!H", 0x1301) + b"\x00" + struct.pack("!H", len(exts)) + exts)
    hs = struct.pack("!B", 2) + len(body).to_bytes(3, "big") + body
    return tls_record(22, hs)


def build_tls(ctx, spec):
    """TLS 1.3-looking session on 443: hellos, CCS, then random application data."""
    rng = ctx.rng
    port = spec.params.get("port", 443)
    s = TcpSession(ctx, spec.cli, spec.srv, ctx.file.port(rng), port)
    s.open()
    ch = tls_client_hello(rng, spec.params.get("sni", "www.example.net"))
    s.send(True, ch)
    sid = ch[5 + 4 + 2 + 32 + 1:5 + 4 + 2 + 32 + 1 + 32]
    s.send(False, tls_server_hello(rng, sid) + tls_record(20, b"\x01") +
           tls_record(23, safe_random(rng, rng.randrange(600, 1100))))
    s.send(True, tls_record(20, b"\x01") + tls_record(23, safe_random(rng, 53)))
    for _ in range(spec.params.get("exchanges", 2)):
        s.send(True, tls_record(23, safe_random(rng, rng.randrange(80, 400))))
        s.send(False, tls_record(23, safe_random(rng, rng.randrange(200, 1300))))
    s.close()
    return None


def build_dns(ctx, spec):
    rng = ctx.rng
    names = spec.params["names"]
    for name in names:
        sport = ctx.file.port(rng)
        qid = rng.randrange(65536)
        q = DNS(id=qid, rd=1, qd=DNSQR(qname=name, qtype="A"))
        send_udp(ctx, spec.cli, spec.srv, sport, 53, bytes(q))
        addr = "192.0.2.%d" % rng.randrange(1, 255)
        r = DNS(id=qid, qr=1, rd=1, ra=1, qd=DNSQR(qname=name, qtype="A"),
                an=DNSRR(rrname=name, type="A", ttl=300, rdata=addr))
        send_udp(ctx, spec.srv, spec.cli, 53, sport, bytes(r), reverse=True)
    return None


def ntp_ts(t_us):
    sec, usec = divmod(t_us, 1_000_000)
    return struct.pack("!II", sec + 2208988800, (usec << 32) // 1_000_000)


def build_ntp(ctx, spec):
    for _ in range(spec.params.get("exchanges", 2)):
        req = struct.pack("!BBbb", 0x23, 0, 6, -20) + bytes(8) + b"\x00" * 4 + bytes(24) + \
            ntp_ts(ctx.t)
        send_udp(ctx, spec.cli, spec.srv, 123, 123, req)
        t1 = req[40:48]
        resp = (struct.pack("!BBbb", 0x24, 2, 6, -23) + struct.pack("!II", 0x00000100, 0x00000200) +
                b"\xc0\x00\x02\x01" + ntp_ts(ctx.t - 5_000_000) + t1 + ntp_ts(ctx.t) +
                ntp_ts(ctx.t + 20))
        send_udp(ctx, spec.srv, spec.cli, 123, 123, resp, reverse=True)
    return None


def build_ping(ctx, spec):
    rng = ctx.rng
    ident = rng.randrange(65536)
    v6 = ip_version(spec.cli) == 6
    for i in range(spec.params.get("count", 4)):
        data = bytes(range(16)) + safe_random(rng, 40)
        for c2s in (True, False):
            src, dst = (spec.cli, spec.srv) if c2s else (spec.srv, spec.cli)
            if v6:
                echo = ICMPv6EchoRequest if c2s else ICMPv6EchoReply
                icmp = echo(id=ident, seq=i + 1, data=data)
                ctx.emit_ip(ctx.ip(src, dst) / icmp, src, dst, reverse=not c2s)
            else:
                icmp = ICMP(type=8 if c2s else 0, id=ident, seq=i + 1)
                ctx.emit_ip(ctx.ip(src, dst, flags=0) / icmp / Raw(data), src, dst,
                            reverse=not c2s)
    return None


def build_frag4(ctx, spec):
    """One IPv4 UDP datagram split into 3 fragments (offsets 0, 1480, 2960)."""
    rng = ctx.rng
    full = bytes(IP(src=spec.cli, dst=spec.srv, id=0) /
                 UDP(sport=ctx.file.port(rng), dport=spec.params.get("dport", 33000)) /
                 Raw(safe_random(rng, 3400)))
    l4 = full[20:]
    ident = rng.randrange(65536)
    chunks = [l4[0:1480], l4[1480:2960], l4[2960:]]
    off = 0
    for i, c in enumerate(chunks):
        last = i == len(chunks) - 1
        pkt = IP(src=spec.cli, dst=spec.srv, id=ident, ttl=64, proto=17,
                 flags=0 if last else "MF", frag=off // 8) / Raw(c)
        ctx.emit_ip(pkt, spec.cli, spec.srv)
        off += len(c)
    return None


def build_frag6(ctx, spec):
    """One IPv6 UDP datagram split into 3 fragments."""
    rng = ctx.rng
    udp = bytes(IPv6(src=spec.cli, dst=spec.srv) /
                UDP(sport=ctx.file.port(rng), dport=spec.params.get("dport", 33001)) /
                Raw(safe_random(rng, 2900)))[40:]
    ident = rng.getrandbits(32)
    chunks = [udp[0:1232], udp[1232:2464], udp[2464:]]
    off = 0
    for i, c in enumerate(chunks):
        last = i == len(chunks) - 1
        pkt = (IPv6(src=spec.cli, dst=spec.srv, hlim=64, nh=44) /
               IPv6ExtHdrFragment(nh=17, offset=off // 8, m=0 if last else 1, id=ident) /
               Raw(c))
        ctx.emit_ip(pkt, spec.cli, spec.srv)
        off += len(c)
    return None


def build_arp(ctx, spec):
    """ARP who-has / is-at between two hosts (untagged)."""
    a, b = spec.cli, spec.srv
    ma, mb = mac_for(a), mac_for(b)
    req = (b"\xff" * 6 + ma + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) +
           ma + ipaddress.ip_address(a).packed + bytes(6) + ipaddress.ip_address(b).packed)
    ctx.emit_l2(req)
    rep = (ma + mb + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) +
           mb + ipaddress.ip_address(b).packed + ma + ipaddress.ip_address(a).packed)
    ctx.emit_l2(rep)
    return None


def lldp_tlv(t, value):
    return struct.pack("!H", (t << 9) | len(value)) + value


def build_lldp(ctx, spec):
    chassis = mac_for("lldp-" + spec.params["system"])
    for port in spec.params["ports"]:
        body = (lldp_tlv(1, b"\x04" + chassis) +
                lldp_tlv(2, b"\x05" + port.encode()) +
                lldp_tlv(3, struct.pack("!H", 120)) +
                lldp_tlv(5, spec.params["system"].encode()) +
                lldp_tlv(0, b""))
        ctx.emit_l2(b"\x01\x80\xc2\x00\x00\x0e" + chassis + b"\x88\xcc" + body)
    return None


# ---------------------------------------------------------------------------
# Hard negatives
# ---------------------------------------------------------------------------

def build_x2x3_nearmiss(ctx, spec):
    """A TCP flow to port 50001 carrying PDUs that fail the structural check."""
    rng = ctx.rng
    xid = uuid4(rng).bytes
    cid = rng.randbytes(8)
    kind = spec.params["kind"]
    s = TcpSession(ctx, spec.cli, spec.srv, ctx.file.port(rng), X2X3_PORT)
    s.open()
    for n in range(2):
        attrs = x2x3_attrs(n + 1, ctx.t)
        inner = inner_ipv4_udp(ctx, n)
        if kind == "hl-lt-40":
            pdu = x2x3_pdu(2, 5, 3, xid, cid, [], inner, hl=32)
        elif kind == "hl-mismatch":           # TLVs take 20 bytes, HL says 56
            pdu = x2x3_pdu(2, 5, 3, xid, cid, attrs, inner, hl=56)
        elif kind == "type-7":
            pdu = x2x3_pdu(7, 5, 3, xid, cid, attrs, inner)
        elif kind == "keepalive-pl":          # keepalive with a 16-byte payload
            pdu = x2x3_pdu(3, 0, 0, bytes(16), bytes(8), [(8, struct.pack("!I", n + 1))],
                           safe_random(rng, 16))
        elif kind == "direction-9":
            pdu = x2x3_pdu(2, 5, 9, xid, cid, attrs, inner)
        elif kind == "x2-format-7":           # Ethernet payload is not allowed for X2
            frame = b"\xff" * 6 + mac_for("x") + b"\x08\x00" + inner
            pdu = x2x3_pdu(1, 7, 3, xid, cid, attrs, frame)
        elif kind == "seq-tlv-len-2":         # type 8 must be 4 bytes
            pdu = x2x3_pdu(2, 5, 3, xid, cid, [(8, struct.pack("!H", n + 1))], inner)
        else:
            raise ValueError(kind)
        ctx.marks.append(s.send(True, pdu))
    s.close()
    return None


def build_tcp_payloads(ctx, spec):
    """A TCP flow whose client sends the given payloads (one per segment)."""
    rng = ctx.rng
    s = TcpSession(ctx, spec.cli, spec.srv, ctx.file.port(rng), spec.params["port"])
    s.open()
    for p in spec.params["payloads"]:
        ctx.marks.append(s.send(True, p))
    for p in spec.params.get("replies", []):
        s.send(False, p)
    s.close()
    return None


def build_gre_plain(ctx, spec):
    """GRE carrying IPv4 (0x0800) or Ethernet (0x6558): tunnels, not ERSPAN."""
    proto = spec.params["gre_proto"]
    for inner in subscriber_frames(ctx, 4):
        payload = inner[14:] if proto == 0x0800 else inner
        outer = ctx.ip(spec.cli, spec.srv, ttl=64, flags=0)
        outer.proto = 47
        gre = struct.pack("!HH", 0, proto)
        ctx.marks.append(ctx.emit_ip(outer / Raw(gre + payload), spec.cli, spec.srv))
    return None


def build_udp_encap(ctx, spec):
    """VXLAN / GTP-U / Geneve / ERSPAN-looking bytes over UDP."""
    rng = ctx.rng
    kind = spec.params["kind"]
    sport = ctx.file.port(rng)
    for i, inner in enumerate(subscriber_frames(ctx, 4)):
        if kind == "vxlan":
            hdr, dport, body = struct.pack("!II", 0x08000000, 5001 << 8), 4789, inner
        elif kind == "gtpu":
            ip = inner[14:]
            hdr, dport, body = struct.pack("!BBHI", 0x30, 0xFF, len(ip), 0x1000 + i), 2152, ip
        elif kind == "geneve":
            hdr, dport, body = struct.pack("!HHI", 0x0000, 0x6558, 7001 << 8), 6081, inner
        elif kind == "erspan-udp":
            hdr = struct.pack("!HHI", 0x1000, 0x88BE, i) + struct.pack("!HHI", 0x1000, 17, 5)
            dport, body = 9999, inner
        else:
            raise ValueError(kind)
        ctx.marks.append(send_udp(ctx, spec.cli, spec.srv, sport, dport, hdr + body))
    return None


def build_random_tcp(ctx, spec):
    rng = ctx.rng
    s = TcpSession(ctx, spec.cli, spec.srv, ctx.file.port(rng), spec.params["port"])
    s.open()
    shimfree = spec.params.get("shimfree")
    for _ in range(spec.params.get("count", 3)):
        ctx.marks.append(s.send(True, random_payload(rng, rng.randrange(40, 900), shimfree)))
        s.send(False, random_payload(rng, rng.randrange(40, 900), shimfree))
    s.close()
    return None


def random_payload(rng, n, shimfree):
    while True:
        p = safe_random(rng, n)
        if not shimfree or shim_free(p):
            return p


def build_random_udp(ctx, spec):
    rng = ctx.rng
    sport = ctx.file.port(rng)
    for _ in range(spec.params.get("count", 6)):
        p = random_payload(rng, rng.randrange(40, 600), spec.params.get("shimfree"))
        ctx.marks.append(send_udp(ctx, spec.cli, spec.srv, sport, spec.params["port"], p))
    return None


def shim_free(p):
    """Random bytes that no content-copy decoder could take for a header: no
    IP version nibble where an inner packet could start (after a 4/8/12/20
    byte shim), not a TZSP / rpcap / Redback first byte."""
    return (p[0] not in (0x00, 0x01, 0x02, 0x03, 0x04, 0x14, 0x28) and
            all(p[i] >> 4 not in (4, 6) for i in (4, 8, 12, 20)))


def build_udp_payloads(ctx, spec):
    """A UDP flow carrying the given payloads (marked), client -> server."""
    rng = ctx.rng
    sport = ctx.file.port(rng)
    for p in spec.params["payloads"]:
        ctx.marks.append(send_udp(ctx, spec.cli, spec.srv, sport, spec.params["port"], p))
    return None


def build_http_post(ctx, spec):
    """One HTTP POST (one segment) and its 200 response (one segment)."""
    rng = ctx.rng
    s = TcpSession(ctx, spec.cli, spec.srv, ctx.file.port(rng), spec.params["port"])
    s.open()
    req = http_post(spec.srv, spec.params["port"], spec.params["path"], spec.params["body"],
                    agent="inventory-sync/1.2")
    ctx.marks.append(s.send(True, req, ack=False))
    ctx.marks.append(s.send(False, http_response(spec.params["resp"])))
    s.close()
    return None


def tzsp_overrun():
    """TZSP header whose tag walk runs off the end: no END tag."""
    return (struct.pack("!BBH", 1, 0, 1) + b"\x00" + b"\x0a\x04\x00\x00\x00\x2a" +
            b"\x0c\x40" + bytes(range(0x20, 0x20 + 24)))


def rpcap_bad_length():
    """rpcap auth request whose payload length (4) is shorter than the 8-byte
    auth header that follows it."""
    return struct.pack("!BBHI", 0, 0x08, 0, 4) + struct.pack("!HHHH", 0, 0, 0, 0)


X1_QUOTE_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Provisioning interfaces</title></head><body>\n"
    b"<h2>ETSI X1 (TS 103 221-1)</h2>\n<p>Requests use the namespace "
    b"http://uri.etsi.org/03221/X1/2017/10 and a root element like this:</p>\n"
    b"<pre><X1Request>\n  <x1RequestMessage xsi:type=\"ActivateTaskRequest\"/>\n"
    b"</X1Request></pre>\n<h2>Juniper flow-tap</h2>\n<p>A DTCP request starts with a line "
    b"such as ADD DTCP/0.7 followed by X-JTap-Cdest-Dest-Address and X-MD-Intercept-Id "
    b"headers.</p>\n</body></html>\n")

OTHER_NS_X1 = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<X1Request xmlns="urn:example:inventory:x1:1.0">\n'
    b'  <x1RequestMessage type="SyncSiteRequest">\n'
    b'    <siteId>FRA-03</siteId>\n    <rack>X1</rack>\n'
    b'    <xId>2b0c8a40-1d4e-4a57-9a1b-3f0e5c6d7e8f</xId>\n'
    b'  </x1RequestMessage>\n</X1Request>\n')
OTHER_NS_X1_RESP = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<X1Response xmlns="urn:example:inventory:x1:1.0"><status>synced</status></X1Response>\n')


def other_arc_ber():
    """PS-PDU / HI2 look-alikes whose OIDs are not in the LI arc."""
    rsa = bytes.fromhex("2a864886f70d")                      # 1.2.840.113549
    pspdu_like = ber(0x30, ber(0xA1, ber(0x80, rsa) + ber(0x81, b"LIID-999") +
                               ber(0x82, b"NZ") + ber(0x84, b"\x01")) +
                     ber(0xA2, ber(0xA2, ber(0x83, b""))))
    hi2_like = ber(0xA0, ber(0xA1, ber(0x80, rsa) + ber(0x81, b"LIID-998") +
                             ber(0xA3, ber(0x81, b"260101000000Z"))))
    bsi = bytes.fromhex("0400" "7f00" "0702")                 # 0.4.0.127.0.7.2 (BSI eID)
    eid_like = ber(0x30, ber(0x06, bsi) + ber(0x02, b"\x02") +
                   ber(0x30, ber(0x06, bsi + b"\x02\x02") + ber(0x02, b"\x0d")))
    return [pspdu_like, hi2_like, eid_like]


LDAP_BIND = bytes.fromhex("300c020101600702010304008000")
LDAP_SEARCH = (ber(0x30, ber(0x02, b"\x02") + ber(0x63,
               ber(0x04, b"dc=example,dc=com") + ber(0x0A, b"\x02") + ber(0x0A, b"\x00") +
               ber(0x02, b"\x00") + ber(0x02, b"\x00") + ber(0x01, b"\x00") +
               ber(0x87, b"objectClass") + ber(0x30, b""))))

LI_TEXT_PAGE = (b"<html><body><h2>Lawful interception notes</h2>\n<p>The ETSI LI OID arc is "
                b"0.4.0.2.2 (lawfulIntercept); X2/X3 is TS 103 221-2 and the PS-PDU is "
                b"TS 102 232-1, domain 0.4.0.2.2.5.1.17.</p>\n<pre>00 05 00 02 00 00 00 28</pre>"
                b"</body></html>\n")


# ---------------------------------------------------------------------------
# Flow and file specifications
# ---------------------------------------------------------------------------

@dataclass
class FlowSpec:
    name: str
    build: Callable
    family: Optional[str] = None     # LI family of the flow, None for non-LI
    cli: Optional[str] = None        # client / router / sender
    srv: Optional[str] = None        # server / collector / receiver
    link: Link = ETH
    authorized: Optional[bool] = None  # intent, checked against INVENTORY
    params: dict = field(default_factory=dict)


def li(name, build, family, cli, srv, authorized, link=ETH, **params):
    return FlowSpec(name, build, family, cli, srv, link, authorized, params)


def bg(name, build, cli=None, srv=None, link=ETH, **params):
    return FlowSpec(name, build, None, cli, srv, link, None, params)


VLAN100 = Link(vlans=(100,))
VLAN101 = Link(vlans=(101,))
VLAN120 = Link(vlans=(120,))
QINQ = Link(vlans=(200, 300), qinq=True)
MPLS2 = Link(mpls=(16001, 24010))

X2X3_FLOWS = [
    li("x2x3-auth-v4", build_x2x3, "etsi-x2x3", "10.1.0.21", "10.200.0.10", True),
    li("x2x3-unauth-v4", build_x2x3, "etsi-x2x3", "10.1.0.22", "203.0.113.50", False),
    li("x2x3-auth-v6", build_x2x3, "etsi-x2x3", "2001:db8:1::21", "2001:db8:200::10", True),
    li("x2x3-auth-vlan100", build_x2x3, "etsi-x2x3", "10.1.0.41", "10.200.0.10", True,
       VLAN100),
    # real MD, but the NE is not an inventoried element
    li("x2x3-unauth-qinq", build_x2x3, "etsi-x2x3", "172.16.0.42", "10.200.0.10", False, QINQ),
    li("x2x3-auth-mpls", build_x2x3, "etsi-x2x3", "10.1.0.43", "10.200.0.10", True, MPLS2),
    li("x2x3-unauth-v6-vlan101", build_x2x3, "etsi-x2x3", "2001:db8:1::43", "2001:db8:bad::50",
       False, VLAN101),
]

HI_FLOWS = [
    li("pspdu-auth-v4", build_pspdu, "etsi-hi", "10.1.0.23", "10.200.0.10", True, liid="LIID-1"),
    li("hi2-auth-v4", build_hi2, "etsi-hi", "10.1.0.23", "10.200.0.10", True,
       liid="LIID-2", domain="etsi"),
    li("pspdu-unauth-v4", build_pspdu, "etsi-hi", "10.1.0.24", "203.0.113.51", False,
       liid="LIID-3"),
    li("hi2-unauth-v4-3gpp", build_hi2, "etsi-hi", "10.1.0.24", "203.0.113.51", False,
       liid="LIID-4", domain="3gpp"),
    li("pspdu-auth-v6", build_pspdu, "etsi-hi", "2001:db8:1::23", "2001:db8:200::10", True,
       liid="LIID-5"),
    li("hi2-auth-v6", build_hi2, "etsi-hi", "2001:db8:1::23", "2001:db8:200::10", True,
       liid="LIID-6", domain="etsi"),
    li("pspdu-auth-vlan100", build_pspdu, "etsi-hi", "10.1.0.44", "10.200.0.10", True, VLAN100,
       liid="LIID-7"),
    li("hi2-auth-vlan100-3gpp", build_hi2, "etsi-hi", "10.1.0.44", "10.200.0.10", True, VLAN100,
       liid="LIID-8", domain="3gpp"),
    li("pspdu-auth-mpls", build_pspdu, "etsi-hi", "10.1.0.45", "10.200.0.10", True, MPLS2,
       liid="LIID-9"),
    li("hi2-auth-mpls", build_hi2, "etsi-hi", "10.1.0.45", "10.200.0.10", True, MPLS2,
       liid="LIID-10", domain="etsi"),
    # md-mirror is an erspan-only collector: etsi-hi to it is unauthorized
    li("pspdu-wrong-family", build_pspdu, "etsi-hi", "10.1.0.25", "10.200.0.20", False,
       liid="LIID-11"),
]

ERSPAN_FLOWS = [
    li("erspan1-auth-v4", build_erspan, "erspan", "10.1.0.31", "10.200.0.20", True, type=1),
    li("erspan2-auth-v4", build_erspan, "erspan", "10.1.0.35", "10.200.0.20", True,
       type=2, session_id=17),
    li("erspan3-auth-v4", build_erspan, "erspan", "10.1.0.36", "10.200.0.20", True,
       type=3, session_id=18),
    li("erspan3-nos-auth-v4", build_erspan, "erspan", "10.1.0.37", "10.200.0.20", True,
       type=3, session_id=19, s_bit=False),
    li("erspan2-unauth-v4", build_erspan, "erspan", "10.1.0.32", "198.51.100.77", False,
       type=2, session_id=18),
    li("erspan3-auth-v6", build_erspan, "erspan", "2001:db8:1::31", "2001:db8:200::20", True,
       type=3, session_id=21),
    li("erspan2-auth-vlan120", build_erspan, "erspan", "10.1.0.38", "10.200.0.20", True,
       VLAN120, type=2, session_id=22),
    li("erspan1-auth-mpls", build_erspan, "erspan", "10.1.0.39", "10.200.0.20", True, MPLS2,
       type=1),
]

X1_FLOWS = [
    li("x1-auth-v4", build_x1, "etsi-x1", "10.200.0.30", "10.1.0.51", True,
       messages=["ActivateTaskRequest", "GetNEStatusRequest"]),
    li("x1-unauth-v4", build_x1, "etsi-x1", "198.51.100.30", "10.1.0.52", False,
       messages=["ActivateTaskRequest"]),
    li("x1-auth-v6", build_x1, "etsi-x1", "2001:db8:200::30", "2001:db8:1::51", True,
       messages=["GetNEStatusRequest", "DeactivateTaskRequest"]),
    li("x1-auth-vlan100-ns1", build_x1, "etsi-x1", "10.200.0.30", "10.1.0.53", True, VLAN100,
       messages=["ActivateTaskRequest"], prefix="ns1"),
    # real ADMF, but the NE is not an inventoried element
    li("x1-unauth-mpls", build_x1, "etsi-x1", "10.200.0.30", "172.16.0.54", False, MPLS2,
       messages=["ActivateTaskRequest", "DeactivateTaskRequest"]),
    # NE -> ADMF direction
    li("x1-auth-ne-report", build_x1, "etsi-x1", "10.1.0.55", "10.200.0.30", True,
       messages=["ReportTaskIssueRequest"], from_ne=True),
]

DTCP_FLOWS = [
    li("dtcp-auth-v4", build_dtcp, "juniper-dtcp", "10.200.0.30", "10.1.0.61", True,
       commands=["ADD", "LIST"]),
    li("dtcp-unauth-v4", build_dtcp, "juniper-dtcp", "203.0.113.61", "10.1.0.62", False,
       commands=["ADD"], dest=("203.0.113.99", 40000)),
    li("dtcp-auth-v6", build_dtcp, "juniper-dtcp", "2001:db8:200::30", "2001:db8:1::61", True,
       commands=["LIST"]),
    li("dtcp-auth-vlan100", build_dtcp, "juniper-dtcp", "10.200.0.30", "10.1.0.63", True,
       VLAN100, commands=["DELETE"]),
    li("dtcp-unauth-mpls", build_dtcp, "juniper-dtcp", "10.200.0.30", "172.16.0.64", False,
       MPLS2, commands=["ADD", "DELETE"]),
]

SNMP_FLOWS = [
    li("snmp-auth-v4-tap2", build_snmp, "cisco-tap-mib", "10.200.0.30", "10.1.0.71", True,
       kind="tap2-set"),
    li("snmp-unauth-v4-tap2", build_snmp, "cisco-tap-mib", "203.0.113.71", "10.1.0.72", False,
       kind="tap2-set", mediation=("203.0.113.99", 7000), community="public"),
    li("snmp-auth-v6-iptap-get", build_snmp, "cisco-tap-mib", "2001:db8:200::30",
       "2001:db8:1::71", True, kind="iptap-get"),
    li("snmp-auth-v6-tap2-md6", build_snmp, "cisco-tap-mib", "2001:db8:200::30",
       "2001:db8:1::72", True, kind="tap2-set", mediation=("2001:db8:200::40", PCLI_PORT)),
    li("snmp-auth-vlan100-v3", build_snmp, "cisco-tap-mib", "10.200.0.30", "10.1.0.73", True,
       VLAN100, kind="tap2-set-v3"),
    li("snmp-unauth-mpls-pktc", build_snmp, "cisco-tap-mib", "10.200.0.30", "172.16.0.74",
       False, MPLS2, kind="pktc-set"),
]

PCLI_FLOWS = [
    li("pcli-auth-v4", build_pcli, "packetcable", "10.1.0.81", "10.200.0.40", True, header=4),
    li("pcli-unauth-v4", build_pcli, "packetcable", "10.1.0.82", "203.0.113.80", False,
       header=4),
    li("pcli-auth-v6-inner6", build_pcli, "packetcable", "2001:db8:1::81", "2001:db8:200::40",
       True, header=4, inner_v6=True),
    li("pcli12-auth-vlan100-10741", build_pcli, "packetcable", "10.1.0.83", "10.200.0.40", True,
       VLAN100, header=12, port=PCLI_PORT_ALT),
    li("pcli20-auth-mpls", build_pcli, "packetcable", "10.1.0.84", "10.200.0.40", True, MPLS2,
       header=20),
    li("pcli-unauth-qinq-10741", build_pcli, "packetcable", "172.16.0.85", "10.200.0.40", False,
       QINQ, header=4, port=PCLI_PORT_ALT),
]

JMIRROR_FLOWS = [
    li("jmirror-auth-v4", build_jmirror, "jmirror", "10.1.0.121", "10.200.0.40", True),
    li("jmirror-unauth-v4", build_jmirror, "jmirror", "10.1.0.122", "203.0.113.121", False),
    li("jmirror-auth-v6-inner6", build_jmirror, "jmirror", "2001:db8:1::121", "2001:db8:200::40",
       True, inner_v6=True),
    li("nokia-shim-auth-vlan100", build_jmirror, "jmirror", "10.1.0.123", "10.200.0.40", True,
       VLAN100, mhv=1, egress=True),
    li("nokia-shim-auth-v4-ingress", build_jmirror, "jmirror", "10.1.0.124", "10.200.0.40",
       True, mhv=1, egress=False),
    li("jmirror-unauth-mpls", build_jmirror, "jmirror", "172.16.0.125", "10.200.0.40", False,
       MPLS2),
]

REDBACK_FLOWS = [
    li("redback-auth-v4", build_redback, "redback-li", "10.1.0.91", "10.200.0.40", True),
    li("redback-unauth-v4", build_redback, "redback-li", "10.1.0.92", "198.51.100.91", False),
    li("redback-auth-v6", build_redback, "redback-li", "2001:db8:1::91", "2001:db8:200::40",
       True),
    li("redback-auth-vlan100", build_redback, "redback-li", "10.1.0.93", "10.200.0.40", True,
       VLAN100, port=5201),
    li("redback-unauth-mpls", build_redback, "redback-li", "172.16.0.95", "10.200.0.40", False,
       MPLS2),
]

TZSP_FLOWS = [
    li("tzsp-auth-v4", build_tzsp, "tzsp", "10.1.0.101", "10.200.0.20", True),
    li("tzsp-unauth-v4", build_tzsp, "tzsp", "10.1.0.102", "198.51.100.101", False, pad=True),
    li("tzsp-auth-v6", build_tzsp, "tzsp", "2001:db8:1::101", "2001:db8:200::20", True),
    # md-mirror takes copies from any address; non-default port
    li("tzsp-auth-vlan100-31337", build_tzsp, "tzsp", "192.0.2.104", "10.200.0.20", True,
       VLAN100, port=TZSP_PORT_ALT, pad=True),
    li("tzsp-unauth-mpls", build_tzsp, "tzsp", "10.1.0.105", "203.0.113.105", False, MPLS2),
]

RPCAP_FLOWS = [
    li("rpcap-auth-v4", build_rpcap, "rpcap", "10.200.0.20", "10.1.0.111", True,
       user="li-capture", password="Tap!2026"),
    li("rpcap-unauth-v4", build_rpcap, "rpcap", "203.0.113.111", "10.1.0.112", False),
    li("rpcap-auth-v6", build_rpcap, "rpcap", "2001:db8:200::20", "2001:db8:1::111", True),
    li("rpcap-auth-vlan100-active", build_rpcap, "rpcap", "10.200.0.20", "10.1.0.113", True,
       VLAN100, active=True),
    li("rpcap-unauth-mpls", build_rpcap, "rpcap", "198.51.100.115", "10.1.0.115", False, MPLS2,
       user="admin", password="admin"),
]

# Authorized X2/X3 and HI flows whose task id (XID / LIID) the operator did or
# did not list (manifest "warrant"); the listed ones make the file's "tasks".
WARRANT_FLOWS = [
    li("w-x2x3-listed-v4", build_x2x3, "etsi-x2x3", "10.1.0.131", "10.200.0.10", True,
       warrant="listed"),
    li("w-x2x3-missing-v4", build_x2x3, "etsi-x2x3", "10.1.0.132", "10.200.0.10", True,
       warrant="missing"),
    li("w-x2x3-listed-v6", build_x2x3, "etsi-x2x3", "2001:db8:1::131", "2001:db8:200::10", True,
       warrant="listed"),
    li("w-x2x3-missing-vlan100", build_x2x3, "etsi-x2x3", "10.1.0.133", "10.200.0.10", True,
       VLAN100, warrant="missing"),
    li("w-pspdu-listed", build_pspdu, "etsi-hi", "10.1.0.134", "10.200.0.10", True,
       liid="DE-BKA-2026-0117", warrant="listed"),
    li("w-pspdu-missing", build_pspdu, "etsi-hi", "10.1.0.135", "10.200.0.10", True,
       liid="DE-BKA-2026-0666", warrant="missing"),
    li("w-hi2-listed-mpls", build_hi2, "etsi-hi", "10.1.0.136", "10.200.0.10", True, MPLS2,
       liid="DE-LKA-2026-0042", domain="etsi", warrant="listed"),
    li("w-hi2-missing-v6", build_hi2, "etsi-hi", "2001:db8:1::137", "2001:db8:200::10", True,
       liid="DE-LKA-2026-0999", domain="3gpp", warrant="missing"),
]


def background_flows(scale=1):
    """Ordinary traffic. scale=1 gives ~250 packets; sample.pcap uses less."""
    flows = [
        bg("http-1", build_http, "100.64.10.5", "192.0.2.80"),
        bg("http-2", build_http, "100.64.10.6", "192.0.2.81", path="/news/today",
           host="news.example.org"),
        bg("tls-1", build_tls, "100.64.10.7", "192.0.2.43", sni="www.example.net"),
        bg("dns-1", build_dns, "100.64.10.5", "192.0.2.53",
           names=["www.example.com.", "news.example.org.", "cdn.example.net."]),
        bg("ntp-1", build_ntp, "100.64.10.8", "192.0.2.123"),
        bg("ping-1", build_ping, "100.64.10.9", "192.0.2.1"),
        bg("http-v6", build_http, "2001:db8:64::5", "2001:db8:cafe::80", host="v6.example.com"),
        bg("tls-v6", build_tls, "2001:db8:64::6", "2001:db8:cafe::443", sni="v6.example.net"),
        bg("frag4-udp", build_frag4, "100.64.10.10", "192.0.2.99"),
        bg("frag6-udp", build_frag6, "2001:db8:64::7", "2001:db8:cafe::99"),
        bg("arp-1", build_arp, "100.64.10.1", "100.64.10.5"),
        bg("lldp-1", build_lldp, system="pe1.example.net", ports=["xe-0/0/1", "xe-0/0/2"]),
    ]
    if scale >= 1:
        flows += [
            bg("http-3", build_http, "100.64.11.5", "198.18.0.80", path="/api/v1/status",
               host="api.example.com"),
            bg("tls-2", build_tls, "100.64.11.6", "198.18.0.43", sni="mail.example.com",
               exchanges=4),
            bg("tls-3", build_tls, "100.64.11.7", "198.18.0.44", sni="video.example.com",
               exchanges=6),
            bg("dns-2", build_dns, "100.64.11.5", "198.18.0.53",
               names=["a.example.com.", "b.example.com.", "c.example.com.", "d.example.com.",
                      "mail.example.com.", "video.example.com."]),
            bg("ntp-2", build_ntp, "100.64.11.8", "198.18.0.123", exchanges=3),
            bg("ping-2", build_ping, "100.64.11.9", "198.18.0.1", count=6),
            bg("ping-v6", build_ping, "2001:db8:64::8", "2001:db8:cafe::1", count=4),
            bg("arp-2", build_arp, "198.18.0.1", "198.18.0.53"),
            bg("lldp-2", build_lldp, system="p2.example.net", ports=["et-1/0/0"]),
        ]
    return flows


def negative_flows():
    md = "10.200.0.10"
    flows = []
    for i, kind in enumerate(["hl-lt-40", "hl-mismatch", "type-7", "keepalive-pl",
                              "direction-9", "x2-format-7", "seq-tlv-len-2"]):
        flows.append(bg("x2x3-" + kind, build_x2x3_nearmiss, "10.1.0.%d" % (60 + i), md,
                        kind=kind))
    pspdu_like, hi2_like, eid_like = other_arc_ber()
    flows += [
        bg("ber-rsa-oid-pspdu-like", build_tcp_payloads, "10.1.0.70", md, port=PSPDU_PORT,
           payloads=[pspdu_like]),
        bg("ber-rsa-oid-hi2-like", build_tcp_payloads, "10.1.0.71", md, port=HI2_PORT,
           payloads=[hi2_like]),
        bg("ber-bsi-eid-oid", build_tcp_payloads, "100.64.20.5", "192.0.2.200", port=7001,
           payloads=[eid_like]),
        bg("ldap", build_tcp_payloads, "100.64.20.6", "192.0.2.89", port=389,
           payloads=[LDAP_BIND, LDAP_SEARCH]),
        bg("gre-ipv4", build_gre_plain, "192.0.2.10", "192.0.2.11", gre_proto=0x0800),
        bg("gre-teb", build_gre_plain, "192.0.2.12", "192.0.2.13", gre_proto=0x6558),
        bg("vxlan", build_udp_encap, "192.0.2.14", "192.0.2.15", kind="vxlan"),
        bg("gtpu", build_udp_encap, "192.0.2.16", "192.0.2.17", kind="gtpu"),
        bg("geneve", build_udp_encap, "192.0.2.18", "192.0.2.19", kind="geneve"),
        bg("erspan-over-udp", build_udp_encap, "10.1.0.72", "10.200.0.20", kind="erspan-udp"),
        bg("random-tcp", build_random_tcp, "100.64.20.7", "192.0.2.201", port=40405),
        bg("random-udp", build_random_udp, "100.64.20.8", "192.0.2.202", port=40404),
        bg("http-li-text", build_http, "100.64.20.9", "192.0.2.203", path="/li-notes.html",
           host="docs.example.org", body=LI_TEXT_PAGE),
        # SNMP that is not a TAP MIB (.9.9.39 and .9.9.3990 share digits with .399)
        bg("snmp-mib2-get", build_snmp, "100.64.20.10", "10.1.0.140", kind="mib2-get"),
        bg("snmp-cisco39-get", build_snmp, "10.200.0.30", "10.1.0.141", kind="cisco39-get"),
        bg("snmp-cisco3990-get", build_snmp, "10.200.0.30", "10.1.0.142", kind="cisco3990-get"),
        # text quoting the X1 namespace, <X1Request> and ADD DTCP/0.7
        bg("http-x1-dtcp-quote", build_http, "100.64.20.11", "192.0.2.204",
           path="/li/provisioning.html", host="wiki.example.org", body=X1_QUOTE_PAGE,
           one_segment=True),
        # an X1Request element in another namespace, POSTed to the X1 port
        bg("xml-other-ns-x1request", build_http_post, "10.200.0.30", "10.1.0.143", port=X1_PORT,
           path="/inventory/sync", body=OTHER_NS_X1, resp=OTHER_NS_X1_RESP),
        # random bytes on the content-copy and rpcap ports
        bg("random-udp-9000", build_random_udp, "10.1.0.144", "10.200.0.40", port=PCLI_PORT,
           count=4, shimfree=True),
        bg("random-udp-30030", build_random_udp, "10.1.0.145", "10.200.0.40", port=JMIRROR_PORT,
           count=4, shimfree=True),
        bg("random-udp-37008", build_random_udp, "10.1.0.146", "10.200.0.20", port=TZSP_PORT,
           count=4, shimfree=True),
        bg("random-tcp-2002", build_random_tcp, "10.200.0.20", "10.1.0.147", port=RPCAP_PORT,
           count=2, shimfree=True),
        # near misses: TZSP tags without END, rpcap length too short, Redback without AVP 3
        bg("tzsp-tag-overrun", build_udp_payloads, "10.1.0.148", "10.200.0.20", port=TZSP_PORT,
           payloads=[tzsp_overrun()]),
        bg("rpcap-bad-length", build_tcp_payloads, "10.200.0.20", "10.1.0.149", port=RPCAP_PORT,
           payloads=[rpcap_bad_length()]),
        bg("redback-no-avp3", build_redback, "10.1.0.150", "10.200.0.40", drop=(3,), packets=2),
    ]
    return flows


@dataclass
class PcapSpec:
    name: str
    flows: Callable          # () -> [FlowSpec]
    about: str


FILES = [
    PcapSpec("x2x3.pcap", lambda: X2X3_FLOWS,
             "ETSI TS 103 221-2 X2/X3 over TCP port 50001"),
    PcapSpec("hi.pcap", lambda: HI_FLOWS,
             "ETSI HI: TS 102 232-1 PS-PDU (50002), TS 101 671 / 33.108 HI2 IRI (50003)"),
    PcapSpec("erspan.pcap", lambda: ERSPAN_FLOWS, "GRE ERSPAN types I, II, III"),
    PcapSpec("background.pcap", lambda: background_flows(1),
             "ordinary traffic, no alerts"),
    PcapSpec("negatives.pcap", negative_flows, "hard negatives, no alerts"),
    PcapSpec("x1.pcap", lambda: X1_FLOWS,
             "ETSI TS 103 221-1 X1 XML over HTTP/1.1 (TCP 8443, in clear)"),
    PcapSpec("dtcp.pcap", lambda: DTCP_FLOWS, "Juniper DTCP/0.7 flow-tap control (TCP 32001)"),
    PcapSpec("snmp.pcap", lambda: SNMP_FLOWS,
             "SNMP v1/v2c/v3-noAuth on CISCO-TAP2 / CISCO-IP-TAP / PKTC-ES-TAP MIBs"),
    PcapSpec("packetcable.pcap", lambda: PCLI_FLOWS,
             "PacketCable CCC / Cisco SII content, 4/12/20-byte headers (UDP 9000, 10741)"),
    PcapSpec("jmirror.pcap", lambda: JMIRROR_FLOWS,
             "Juniper JMirror and Nokia LI-shim (UDP 30030)"),
    PcapSpec("redback.pcap", lambda: REDBACK_FLOWS, "Redback / SmartEdge LI AVP header (UDP)"),
    PcapSpec("tzsp.pcap", lambda: TZSP_FLOWS, "TZSP v1 Ethernet copies (UDP 37008, 31337)"),
    PcapSpec("rpcap.pcap", lambda: RPCAP_FLOWS,
             "rpcap control (TCP 2002 / active 2003) and UDP packet data"),
    PcapSpec("warrant.pcap", lambda: WARRANT_FLOWS,
             "authorized X2/X3 and HI flows, listed and missing tasks (manifest \"tasks\")"),
    PcapSpec("sample.pcap", lambda: background_flows(1) + [
        X2X3_FLOWS[0], X2X3_FLOWS[1], HI_FLOWS[0], HI_FLOWS[3], ERSPAN_FLOWS[2],
        ERSPAN_FLOWS[4], X1_FLOWS[0], X1_FLOWS[1], DTCP_FLOWS[0], DTCP_FLOWS[1],
        SNMP_FLOWS[0], SNMP_FLOWS[1], PCLI_FLOWS[0], PCLI_FLOWS[1], JMIRROR_FLOWS[0],
        JMIRROR_FLOWS[1], REDBACK_FLOWS[0], REDBACK_FLOWS[1], TZSP_FLOWS[0], TZSP_FLOWS[1],
        RPCAP_FLOWS[0], RPCAP_FLOWS[1]],
        "README demo: background + one authorized and one unauthorized flow of each family"),
]
FILE_NAMES = [f.name for f in FILES]


# ---------------------------------------------------------------------------
# File assembly
# ---------------------------------------------------------------------------

# Never used as an ephemeral port: LI / mirror ports of current and planned
# families, and ports tshark 4.0.17 registers a dissector on in 32768..49999
# (so the oracle's "no malformed frames" check is not at the mercy of a seed).
AVOID_PORTS = {161, 162, 2002, 2003, 2152, 4754, 4789, 6081, 7932, 9000, 10741, 30030, 32001,
               37008, X2X3_PORT, PSPDU_PORT, HI2_PORT, X1_PORT, REDBACK_PORT, TZSP_PORT_ALT,
               34962, 34980, 41170, 44321, 44322, 44818, 45564, 47000, 47808, 48049, 48898,
               49999}


class FileCtx:
    """Per-file state shared by its flows: unique client ports."""

    def __init__(self, name):
        self.name = name
        self.used_ports = set()

    def port(self, rng):
        while True:
            p = rng.randrange(32768, 49999)
            if p not in self.used_ports and p not in AVOID_PORTS:
                self.used_ports.add(p)
                return p


def generate(spec, seed):
    """Build one pcap: returns (frames, manifest entry)."""
    fctx = FileCtx(spec.name)
    sched = random.Random("%d/%s/schedule" % (seed, spec.name))
    flows = []
    t0 = EPOCH_US
    for i, fs in enumerate(spec.flows()):
        rng = random.Random("%d/%s/%s" % (seed, spec.name, fs.name))
        ctx = FlowCtx(fctx, fs, rng, t0)
        detail = fs.build(ctx, fs)
        flows.append((fs, ctx, detail))
        t0 += sched.randint(3000, 15000)

    # merge by timestamp; ties keep flow order; then make times strictly increasing
    tagged = [(ts, fi, pi, data) for fi, (_, ctx, _) in enumerate(flows)
              for pi, (ts, data) in enumerate(ctx.frames)]
    tagged.sort(key=lambda x: (x[0], x[1], x[2]))
    frames, where, last = [], {}, None
    for n, (ts, fi, pi, data) in enumerate(tagged):
        if last is not None and ts <= last:
            ts = last + 1
        last = ts
        frames.append((ts, data))
        where[(fi, pi)] = n + 1          # 1-based frame number, as tshark counts

    expect, cases = [], []
    for fi, (fs, ctx, detail) in enumerate(flows):
        if fs.family is None:
            if ctx.marks:
                cases.append({"name": fs.name,
                              "frames": [where[(fi, m)] for m in ctx.marks]})
            continue
        md = policy_match(fs.family, fs.cli, fs.srv)
        if (md is not None) != fs.authorized:
            raise AssertionError("%s: intended authorized=%s, inventory says %s"
                                 % (fs.name, fs.authorized, md))
        for suffix, first, det in [("", ctx.li_first, detail)] + ctx.li_extra:
            idx, src, dst, sport, dport, proto = first
            e = {
                "name": fs.name + suffix,
                "family": fs.family,
                "authorized": md is not None,
                "mediation_device": md,
                "src_ip": canon(src),
                "dest_ip": canon(dst),
                "src_port": sport,
                "dest_port": dport,
                "proto": proto,
                "vlan": fs.link.outer_vlan(),
                "first_frame": where[(fi, idx)],
                "detail": det,
            }
            if "warrant" in fs.params:
                e["warrant"] = fs.params["warrant"]
            expect.append(e)
    entry = {"packets": len(frames), "expect": expect}
    if any("warrant" in e for e in expect):
        entry["tasks"] = warrant_tasks(seed, spec.name, expect)
    if cases:
        entry["cases"] = cases
    return frames, entry


def warrant_tasks(seed, name, expect):
    """The operator's task list for a warrant capture: the XIDs / LIIDs of the
    "listed" flows, plus one of each that has no traffic in the capture."""
    rng = random.Random("%d/%s/tasks" % (seed, name))
    xids, liids = [], []
    for e in expect:
        if e.get("warrant") not in ("listed", "missing"):
            raise AssertionError("%s: warrant %r" % (e["name"], e.get("warrant")))
        key, ids = ("xid", xids) if e["family"] == "etsi-x2x3" else ("liid", liids)
        if e["warrant"] == "listed" and e["detail"][key] not in ids:
            ids.append(e["detail"][key])
    xids.append(str(uuid4(rng)))
    liids.append("DE-BKA-2026-%04d" % rng.randrange(1000, 10000))
    missing = {e["detail"].get("xid", e["detail"].get("liid")) for e in expect
               if e["warrant"] == "missing"}
    assert not missing & set(xids + liids)
    return {"xids": xids, "liids": liids}


def pcap_bytes(frames):
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    for ts, data in frames:
        out.append(struct.pack("<IIII", ts // 1_000_000, ts % 1_000_000, len(data), len(data)))
        out.append(data)
    return b"".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Deterministic tapwatch test pcaps + manifest.json.",
        epilog="Files: " + ", ".join(FILE_NAMES))
    ap.add_argument("--seed", type=int, default=1, help="RNG seed (default 1)")
    ap.add_argument("--out", help="output directory (created if missing)")
    ap.add_argument("--only", nargs="+", metavar="NAME",
                    help="generate only these files (x2x3, hi.pcap, ...)")
    ap.add_argument("--list", action="store_true",
                    help="print the files and their expected alerts; write nothing")
    args = ap.parse_args(argv)

    selected = FILE_NAMES
    if args.only:
        selected = []
        for n in args.only:
            n = n if n.endswith(".pcap") else n + ".pcap"
            if n not in FILE_NAMES:
                ap.error("unknown file %r (choose from %s)" % (n, ", ".join(FILE_NAMES)))
            if n not in selected:
                selected.append(n)
        selected = [n for n in FILE_NAMES if n in selected]
    if not args.list and not args.out:
        ap.error("--out DIR is required (or use --list)")

    manifest = {}
    outputs = {}
    for spec in FILES:
        if spec.name not in selected:
            continue
        frames, entry = generate(spec, args.seed)
        manifest[spec.name] = entry
        outputs[spec.name] = pcap_bytes(frames)

    if args.list:
        for spec in FILES:
            if spec.name not in manifest:
                continue
            e = manifest[spec.name]
            print("%-16s %4d packets %7d bytes  %s" % (spec.name, e["packets"],
                                                     len(outputs[spec.name]), spec.about))
            links = {f.name: f.link.describe() for f in spec.flows()}
            links.update({f.name + "-data": f.link.describe() for f in spec.flows()})
            if "tasks" in e:
                print("    tasks: xids %s liids %s" % (e["tasks"]["xids"], e["tasks"]["liids"]))
            for x in e["expect"]:
                where = x["dest_ip"]
                if x["dest_port"]:
                    where = ("[%s]:%s" if ":" in where else "%s:%s") % (where, x["dest_port"])
                print("    %-10s %-12s %-24s %s -> %s %s [%s] %s" % (
                    x["family"], "authorized" if x["authorized"] else "UNAUTHORIZED",
                    x["name"], x["src_ip"], where, x["proto"], links[x["name"]],
                    json.dumps(x["detail"], sort_keys=True)) +
                    ("  warrant=" + x["warrant"] if "warrant" in x else ""))
            if not e["expect"]:
                print("    (no alerts expected)")
            for c in e.get("cases", []):
                print("    case %-26s frames %s" % (c["name"], c["frames"]))
        return 0

    os.makedirs(args.out, exist_ok=True)
    for name, data in outputs.items():
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    total = sum(len(d) for d in outputs.values())
    print("twgen: wrote %d pcaps (%d packets, %d bytes) and manifest.json to %s" % (
        len(outputs), sum(e["packets"] for e in manifest.values()), total, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
