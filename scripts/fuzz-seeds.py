#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The tapwatch authors
"""Seed corpora for the libFuzzer harnesses, from the generator's captures.

  fuzz-seeds.py GEN_DIR OUT_DIR

GEN_DIR is a directory written by scripts/twgen.py. Writes OUT_DIR/{pkt,li,
config,sig}/ with one file per seed, in each harness's input format.
"""

import glob
import hashlib
import os
import sys

from scapy.all import GRE, IP, IPv6, TCP, UDP, rdpcap  # noqa: E402

# Validator numbers, in the order of TW_VALIDATOR_LIST in lib/tw_li.h.
VALIDATORS = ["none", "x2x3", "ps-pdu", "hi2", "erspan", "x1", "snmp-tap", "dtcp",
              "packetcable", "jmirror", "redback", "tzsp", "rpcap"]
PROTO_SEL = {6: 0, 17: 1, 47: 3}
PER_FILE = 40


def put(d, data):
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def l4_payload(p):
    ip = p.getlayer(IP) or p.getlayer(IPv6)
    if ip is None:
        return None, None
    if p.haslayer(TCP):
        return 6, bytes(p[TCP].payload)
    if p.haslayer(UDP):
        return 17, bytes(p[UDP].payload)
    if p.haslayer(GRE):
        return 47, bytes(p[GRE])
    return None, None


def main():
    gen, out = sys.argv[1], sys.argv[2]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for pcap in sorted(glob.glob(os.path.join(gen, "*.pcap"))):
        pkts = rdpcap(pcap)
        n = 0
        for p in pkts:
            raw = bytes(p)
            proto, pay = l4_payload(p)
            if not pay:
                continue
            put(os.path.join(out, "pkt"), b"\x00" + raw)
            for v in range(1, len(VALIDATORS)):
                put(os.path.join(out, "li"), bytes([v, PROTO_SEL[proto]]) + pay)
            n += 1
            if n >= PER_FILE:
                break
    for conf in glob.glob(os.path.join(root, "conf", "*.json")) + \
            glob.glob(os.path.join(root, "test", "e2e", "*.json")):
        put(os.path.join(out, "config"), open(conf, "rb").read())
    for line in open(os.path.join(root, "conf", "signatures.rules"), "rb"):
        if line.startswith(b"sig "):
            put(os.path.join(out, "sig"), line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
