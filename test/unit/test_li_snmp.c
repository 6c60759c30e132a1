/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

/*
 * Unit tests for lib/tw_li_snmp.c: the snmp-tap validator (SNMP carrying
 * a Cisco TAP, CableLabs PKTC-ES-TAP or H3C / HPE LI MIB).
 *
 * Vectors are hex strings; 'text' inside a vector is copied as ASCII. Every
 * positive vector, and the negatives that are still SNMP, were written into
 * a pcap with text2pcap -u 40000,161 and decoded by tshark 4.0.17 as SNMP
 * with the OIDs in the comments (snmp.name, snmp.value.oid). The two
 * ARKIME_* vectors are UDP payloads of the public capture
 * arkime/SNMPv2c_get_requests.pcap (docs/li-protocols.md section 10).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "tw_li.h"
#include "tw_li_priv.h"
#include "tw_test_hex.h"

#define VEC_MAX 512

/* OID value prefixes of the MIB roots (docs/li-protocols.md 4, 5, 7.3). */
#define TAP2 "2b060104010909830f"		/* 1.3.6.1.4.1.9.9.399 */
#define TAP252 "2b060104010909817c"		/* 1.3.6.1.4.1.9.9.252 */
#define IPTAP "2b060104010909830a"		/* 1.3.6.1.4.1.9.9.394 */
#define TAP802 "2b060104010909830b"		/* 1.3.6.1.4.1.9.9.395 */
#define UCTAP "2b0601040109098310"		/* 1.3.6.1.4.1.9.9.400 */
#define VOIPTAP "2b060104010909854c"		/* 1.3.6.1.4.1.9.9.716 */
#define MOBTAP "2b0601040109098520"		/* 1.3.6.1.4.1.9.9.672 */
#define PKTC "2b06010401a30b0202090101"		/* 1.3.6.1.4.1.4491.2.2.9.1.1 */
#define H3C "2b060104012b2d010a026f"		/* 1.3.6.1.4.1.43.45.1.10.2.111 */
#define HPE "2b060104010b020e0b0f026f"		/* 1.3.6.1.4.1.11.2.14.11.15.2.111 */

/* v3 pieces: msgGlobalData (msgID 1234, msgMaxSize 65507, flags, USM) */
#define V3_GLOBAL(flags) "300f 020204d2 020300ffe3 0401" flags " 020103"
#define ENGINE_ID "040c 80000009030000000c0a0b0c"	/* Cisco, MAC 00:00:0c:0a:0b:0c */
/* USM head: engineID, boots 5, time 1234567 */
#define USM_HEAD ENGINE_ID " 020105 020312d687"

/* ------------------------------------------------------------------------ */
/* Positive vectors                                                          */
/* ------------------------------------------------------------------------ */

/* v2c SetRequest createAndGo of a cTap2MediationTable row, IPv4 destination. */
#define V2C_SET_MED_V4 \
	"3076 020101 0407 'private' a368 02021234 020100 020100" \
	"305c" \
	/* 399.1.1.2.1.2.7 = 1 (DestAddressType ipv4) */ \
	"3014 060f" TAP2 "010102010207" "020101" \
	/* 399.1.1.2.1.3.7 = 192.0.2.10 (DestAddress) */ \
	"3017 060f" TAP2 "010102010307" "0404c000020a" \
	/* 399.1.1.2.1.4.7 = Gauge32 9000 (DestPort) */ \
	"3015 060f" TAP2 "010102010407" "42022328" \
	/* 399.1.1.2.1.13.7 = 4 (Status createAndGo) */ \
	"3014 060f" TAP2 "010102010d07" "020104"

/* v2c SetRequest, IPv6 destination, port before address, INTEGER port. */
#define V2C_SET_MED_V6 \
	"306d 020101 0405 'li-rw' a361 02014d 020100 020100 3056" \
	/* 399.1.1.2.1.4.12345 = 50000 */ \
	"3017 0610" TAP2 "0101020104e039" "020300c350" \
	/* 399.1.1.2.1.3.12345 = 2001:db8::10 */ \
	"3024 0610" TAP2 "0101020103e039" \
	"0410 20010db8000000000000000000000010" \
	/* 399.1.1.2.1.13.12345 = 4 */ \
	"3015 0610" TAP2 "010102010de039" "020104"

/* v1 GetRequest on cTap2StreamTable (InterceptEnable, Type of row 7.1). */
#define V1_GET_STREAM \
	"3044 020100 0406 'public' a037 020101 020100 020100" \
	"302c" \
	/* 399.1.2.1.1.3.7.1 = NULL */ \
	"3014 0610" TAP2 "01020101030701" "0500" \
	/* 399.1.2.1.1.2.7.1 = NULL */ \
	"3014 0610" TAP2 "01020101020701" "0500"

/* v3 noAuthNoPriv (flags 04) GetRequest of cTap2MediationNewIndex.0. */
#define V3_NOAUTH_GET \
	"306d 020103" V3_GLOBAL("04") \
	"0425 3023" USM_HEAD " 0407 'liadmin' 0400 0400" \
	"3030" ENGINE_ID " 0400" \
	"a01e 020155 020100 020100 3013" \
	/* 399.1.1.1.0 = NULL */ \
	"3011 060d" TAP2 "01010100" "0500"

/* v3 authNoPriv (flags 05) SetRequest of a mediation row, ContentId 2^31-1. */
#define V3_AUTHNOPRIV_SET \
	"3081d6 020103" V3_GLOBAL("05") \
	"0431 302f" USM_HEAD " 0407 'tapuser' 040c 0102030405060708090a0b0c 0400" \
	"30818c" ENGINE_ID " 0400" \
	"a37a 02040a0b0c0d 020100 020100 306c" \
	/* 399.1.1.2.1.3.2147483647 = 198.51.100.7 */ \
	"301b 0613" TAP2 "010102010387ffffff7f" "0404c6336407" \
	/* 399.1.1.2.1.4.2147483647 = Gauge32 4739 */ \
	"3019 0613" TAP2 "010102010487ffffff7f" "42021283" \
	/* 399.1.1.2.1.11.2147483647 = 1 (Transport udp) */ \
	"3018 0613" TAP2 "010102010b87ffffff7f" "020101" \
	/* 399.1.1.2.1.13.2147483647 = 4 */ \
	"3018 0613" TAP2 "010102010d87ffffff7f" "020104"

/* v2c GetResponse from the router: the mediation row as configured. */
#define V2C_RESPONSE_MED \
	"304a 020101 0407 'private' a23c 02021234 020100 020100" \
	"3030" \
	/* 399.1.1.2.1.3.7 = 192.0.2.10 */ \
	"3017 060f" TAP2 "010102010307" "0404c000020a" \
	/* 399.1.1.2.1.4.7 = Gauge32 9000 */ \
	"3015 060f" TAP2 "010102010407" "42022328"

/* v2 trap ciscoTap2MIBActive: the TAP OID is the value of snmpTrapOID.0. */
#define V2C_TRAP_ACTIVE \
	"3044 020101 0406 'public' a737 020109 020100 020100" \
	"302c" \
	/* sysUpTime.0 = TimeTicks 123456 */ \
	"300f 06082b06010201010300" "430301e240" \
	/* snmpTrapOID.0 = 399.0.1 */ \
	"3019 060a2b060106030101040100" "060b" TAP2 "0001"

/* v1 trap, enterprise 399, enterpriseSpecific(6) 2 (MediationTimedOut). */
#define V1_TRAP_TIMEDOUT \
	"3040 020100 0406 'public' a433 0609" TAP2 \
	"4004c0000201 020106 020102 43021092 3016" \
	/* 399.1.1.2.1.13.7 = 6 (destroy) */ \
	"3014 060f" TAP2 "010102010d07" "020106"

/* CISCO-TAP-MIB (old): cTapMediationTable row 5, INTEGER port. */
#define TAP252_SET \
	"304a 020101 0407 'private' a33c 02021234 020100 020100" \
	"3030" \
	/* 252.1.1.2.1.3.5 = 10.1.2.3 */ \
	"3017 060f" TAP252 "010102010305" "04040a010203" \
	/* 252.1.1.2.1.4.5 = 2000 */ \
	"3015 060f" TAP252 "010102010405" "020207d0"

#define IPTAP_SET \
	"3031 020101 0407 'private' a323 02021234 020100 020100" \
	"3017" \
	/* 394.1.1.2.1.3.7.1 = 1 */ \
	"3015 0610" IPTAP "01010201030701" "020101"

#define TAP802_GET \
	"302f 020101 0406 'public' a022 02021234 020100 020100" \
	"3016" \
	/* 395.1.1.2.1.2.7.1 = NULL */ \
	"3014 0610" TAP802 "01010201020701" "0500"

#define UCTAP_GET \
	"302f 020101 0406 'public' a022 02021234 020100 020100" \
	"3016" \
	/* 400.1.1.2.1.2.7.1 = NULL */ \
	"3014 0610" UCTAP "01010201020701" "0500"

#define VOIPTAP_GET \
	"302f 020101 0406 'public' a022 02021234 020100 020100" \
	"3016" \
	/* 716.1.1.2.1.2.7.1 = NULL */ \
	"3014 0610" VOIPTAP "01010201020701" "0500"

#define MOBTAP_GET \
	"302f 020101 0406 'public' a022 02021234 020100 020100" \
	"3016" \
	/* 672.1.1.2.1.2.7.1 = NULL */ \
	"3014 0610" MOBTAP "01010201020701" "0500"

/* PKTC-ES-TAP-MIB: pktcEScTapMediationTable row 9. */
#define PKTC_SET_MED \
	"3069 020101 0407 'private' a35b 02021234 020100 020100" \
	"304f" \
	/* pktc.1.1.2.1.3.9 = 203.0.113.5 */ \
	"301a 0612" PKTC "010102010309" "0404cb007105" \
	/* pktc.1.1.2.1.4.9 = Gauge32 10741 */ \
	"3018 0612" PKTC "010102010409" "420229f5" \
	/* pktc.1.1.2.1.13.9 = 4 */ \
	"3017 0612" PKTC "010102010d09" "020104"

#define PKTC_GET_STREAM \
	"3032 020101 0406 'public' a025 02021234 020100 020100" \
	"3019" \
	/* pktc.1.2.1.1.2.9.1 = NULL */ \
	"3017 0613" PKTC "01020101020901" "0500"

/* A3COM-HUAWEI-LI-MIB: h3cLIMediationTable row 3 (RowStatus is column 10). */
#define H3C_SET_MED \
	"3066 020101 0407 'private' a358 02021234 020100 020100" \
	"304c" \
	/* h3c.1.3.2.1.3.3 = 192.0.2.77 */ \
	"3019 0611" H3C "010302010303" "0404c000024d" \
	/* h3c.1.3.2.1.4.3 = Gauge32 6000 */ \
	"3017 0611" H3C "010302010403" "42021770" \
	/* h3c.1.3.2.1.10.3 = 4 */ \
	"3016 0611" H3C "010302010a03" "020104"

/* v2c InformRequest h3cLITimeOut (h3c.1.2.0.2). */
#define H3C_INFORM \
	"305f 020101 0406 'public' a652 02021234 020100 020100" \
	"3046" \
	/* sysUpTime.0 = TimeTicks 99 */ \
	"300d 06082b06010201010300" "430163" \
	/* snmpTrapOID.0 = h3c.1.2.0.2 */ \
	"301d 060a2b060106030101040100" "060f" H3C "01020002" \
	/* h3c.1.3.2.1.10.3 = 6 */ \
	"3016 0611" H3C "010302010a03" "020106"

#define HPE_GET_STREAM \
	"3032 020101 0406 'public' a025 02021234 020100 020100" \
	"3019" \
	/* hpe.1.3.3.1.2.3.1 = NULL */ \
	"3017 0613" HPE "01030301020301" "0500"

/* HPN-ICF-LI-MIB: hpnicfLIMediationTable row 4, IPv6, port first. */
#define HPE_SET_MED_V6 \
	"305c 020101 0407 'private' a34e 02021234 020100 020100" \
	"3042" \
	/* hpe.1.3.2.1.4.4 = 6001 */ \
	"3018 0612" HPE "010302010404" "02021771" \
	/* hpe.1.3.2.1.3.4 = 2001:db8::aa */ \
	"3026 0612" HPE "010302010304" "0410 20010db80000000000000000000000aa"

/* GetBulkRequest walking the bare CISCO-TAP2-MIB root. */
#define GETBULK_ROOT \
	"3028 020101 0406 'public' a51b 02021234 020100 02010a" \
	"300f" \
	/* 399 = NULL */ \
	"300d 0609" TAP2 "0500"

/* The TAP varbind comes second: it is still the one reported. */
#define TAP_NOT_FIRST \
	"303c 020101 0406 'public' a02f 02021234 020100 020100" \
	"3023" \
	/* sysDescr.0 = NULL */ \
	"300c 06082b06010201010100" "0500" \
	/* 399.1.3.3.1.4.1 = NULL (cTap2DebugMessage) */ \
	"3013 060f" TAP2 "010303010401" "0500"

/* Two mediation rows: address of row 7, then port and address of row 8. */
#define MD_TWO_ROWS \
	"3063 020101 0407 'private' a355 02021234 020100 020100" \
	"3049" \
	/* 399.1.1.2.1.3.7 = 192.0.2.10 */ \
	"3017 060f" TAP2 "010102010307" "0404c000020a" \
	/* 399.1.1.2.1.4.8 = Gauge32 9001 */ \
	"3015 060f" TAP2 "010102010408" "42022329" \
	/* 399.1.1.2.1.3.8 = 192.0.2.11 */ \
	"3017 060f" TAP2 "010102010308" "0404c000020b"

/* A GetRequest with values on the mediation columns: not data, not reported. */
#define GET_MED_VALUE \
	"3049 020101 0406 'public' a03c 02021234 020100 020100" \
	"3030" \
	/* 399.1.1.2.1.3.7 = 192.0.2.10 */ \
	"3017 060f" TAP2 "010102010307" "0404c000020a" \
	/* 399.1.1.2.1.4.7 = 9000 */ \
	"3015 060f" TAP2 "010102010407" "02022328"

/* V2C_SET_MED_V4 with the outer length in the 4-octet long form. */
#define LONG_FORM_LEN \
	"3084 00000076 020101 0407 'private' a368 02021234 020100 020100" \
	"305c" \
	"3014 060f" TAP2 "010102010207" "020101" \
	"3017 060f" TAP2 "010102010307" "0404c000020a" \
	"3015 060f" TAP2 "010102010407" "42022328" \
	"3014 060f" TAP2 "010102010d07" "020104"

/* A 32-byte msgUserName (the RFC 3414 maximum) is cut to 31 + NUL. */
#define V3_USER32 \
	"308187 020103" V3_GLOBAL("04") \
	"043e 303c" USM_HEAD \
	" 0420 'uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu' 0400 0400" \
	"3031" ENGINE_ID " 0400" \
	"a01f 02021234 020100 020100 3013" \
	"3011 060d" TAP2 "01010100" "0500"

/* Largest 32-bit arc: 399.1.1.2.1.3.4294967295 */
#define ARC32_MAX \
	"3032 020101 0406 'public' a025 02021234 020100 020100" \
	"3019" \
	"3017 0613" TAP2 "01010201038fffffff7f" "0500"

/* 399.1.2.1.1.2 + 4 x 4294967295: 73 characters, kept to the arcs that fit. */
#define LONG_OID \
	"3041 020101 0406 'public' a034 02021234 020100 020100" \
	"3028" \
	"3026 0622" TAP2 "0102010102 8fffffff7f8fffffff7f8fffffff7f8fffffff7f" "0500"

/* 128 arcs (RFC 2578 maximum): 399 followed by 119 arcs of 1. */
#define ONES16 "01010101010101010101010101010101"
#define ARCS_128 \
	"3081a3 020101 0406 'public' a08195 02021234 020100 020100" \
	"308188 308185 068180" TAP2 \
	ONES16 ONES16 ONES16 ONES16 ONES16 ONES16 ONES16 "01010101010101" \
	"0500"

/* ------------------------------------------------------------------------ */
/* Negative vectors                                                          */
/* ------------------------------------------------------------------------ */

/* arkime SNMPv2c_get_requests.pcap frame 1: GetNextRequest, MIB-2 only. */
#define ARKIME_GETNEXT \
	"3027 020101 040b 5b52305f4340637469215d a115 02042b133f85 020100 020100" \
	"3007 3005 060101 0500"
/* arkime frame 6: GetResponse ifHCInOctets.10 = Counter64. */
#define ARKIME_RESPONSE \
	"3036 020101 040b 5b52305f4340637469215d a224 020414da8bfe 020100 020100" \
	"3016 3014 060b2b060102011f0101010a01 46050085162640"

/* 1.3.6.1.4.1.9.9.39: a byte prefix of 399's encoding, a different MIB. */
#define NEG_ARC_39 \
	"302d 020101 0406 'public' a020 02021234 020100 020100" \
	"3014" \
	"3012 060e 2b06010401090927 010102010307" "0500"

/* 1.3.6.1.4.1.9.9.3990 */
#define NEG_ARC_3990 \
	"302e 020101 0406 'public' a021 02021234 020100 020100" \
	"3015" \
	"3013 060f 2b0601040109099f16 010102010307" "0500"

/* sysORID.1 = 399: an OID value under any name but snmpTrapOID.0 is no evidence. */
#define NEG_SYSORID \
	"3032 020101 0406 'public' a225 02021234 020100 020100" \
	"3019" \
	"3017 060a2b060102010109010201" "0609" TAP2

/* v3 authPriv: the encryptedPDU happens to hold TAP OID bytes. */
#define NEG_AUTHPRIV \
	"306a 020103" V3_GLOBAL("07") \
	"0439 3037" USM_HEAD " 0407 'tapuser' 040c 000000000000000000000000" \
	"0408 0000000000000000" \
	"0419 3017 060f" TAP2 "010102010307" "0404c000020a"

/* v3 flags say privacy but the ScopedPDU is plaintext. */
#define NEG_PRIV_PLAIN \
	"308182 020103" V3_GLOBAL("07") \
	"0439 3037" USM_HEAD " 0407 'tapuser' 040c 000000000000000000000000" \
	"0408 0000000000000000" \
	"3031" ENGINE_ID " 0400" \
	"a01f 02021234 020100 020100 3013" \
	"3011 060d" TAP2 "01010100" "0500"

/* v3 noAuthNoPriv with an OCTET STRING where the ScopedPDU belongs. */
#define NEG_NOPRIV_OCTETS \
	"3064 020103" V3_GLOBAL("04") \
	"0425 3023" USM_HEAD " 0407 'liadmin' 0400 0400" \
	"0427 3025 0400 0400 a01f 02021234 020100 020100 3013" \
	"3011 060d" TAP2 "01010100" "0500"

/* msgUserName of 33 bytes (RFC 3414: SIZE (0..32)). */
#define NEG_USER33 \
	"308188 020103" V3_GLOBAL("04") \
	"043f 303d" USM_HEAD \
	" 0421 'uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu' 0400 0400" \
	"3031" ENGINE_ID " 0400" \
	"a01f 02021234 020100 020100 3013" \
	"3011 060d" TAP2 "01010100" "0500"

/* A BER blob holding a TAP varbind, not an SNMP message. */
#define NEG_BLOB \
	"3019" \
	"3017 060f" TAP2 "010102010307" "0404c000020a"

/* version 2 does not exist on the wire (v2c is 1, v3 is 3). */
#define NEG_VERSION_2 \
	"302e 020102 0406 'public' a021 02021234 020100 020100" \
	"3015" \
	"3013 060f" TAP2 "010102010307" "0500"

/* v1 Trap-PDU in a v2c message. */
#define NEG_V2C_TRAP_V1 \
	"3040 020101 0406 'public' a433 0609" TAP2 \
	"4004c0000201 020106 020102 43021092 3016" \
	"3014 060f" TAP2 "010102010d07" "020106"

/* GetBulkRequest in a v1 message. */
#define NEG_V1_GETBULK \
	"3028 020100 0406 'public' a51b 02021234 020100 02010a" \
	"300f" \
	"300d 0609" TAP2 "0500"

/* v1 trap from the TAP2 enterprise but generic coldStart... (5, not 6). */
#define NEG_TRAP_GENERIC \
	"302a 020100 0406 'public' a41d 0609" TAP2 \
	"4004c0000201 020105 020100 43021092 3000"

/* A fifth element in the PDU after the VarBindList. */
#define NEG_PDU_EXTRA \
	"302d 020101 0406 'public' a020 020101 020100 020100" \
	"3013" \
	"3011 060d" TAP2 "01010100" "0500" \
	"0500"

/* A SEQUENCE where the PDU belongs. */
#define NEG_SEQ_PDU \
	"302b 020101 0406 'public' 301e 020101 020100 020100" \
	"3013" \
	"3011 060d" TAP2 "01010100" "0500"

/* NULL with a content octet. */
#define NEG_NULL_LEN1 \
	"302d 020101 0406 'public' a020 02021234 020100 020100" \
	"3014" \
	"3012 060d" TAP2 "01010100" "050100"

/* 399.1.1.2.1.3.4294967296: an arc of 33 bits. */
#define NEG_ARC_33BIT \
	"3031 020101 0406 'public' a024 020101 020100 020100" \
	"3019" \
	"3017 0613" TAP2 "0101020103 9080808000" "0500"

/* 129 arcs. */
#define NEG_ARCS_129 \
	"3081a4 020101 0406 'public' a08196 02021234 020100 020100" \
	"308189 308186 068181" TAP2 \
	ONES16 ONES16 ONES16 ONES16 ONES16 ONES16 ONES16 "0101010101010101" \
	"0500"

/* Outer length in a 5-octet long form. */
#define NEG_LEN_5_OCTETS \
	"3085 0000000076 020101 0407 'private' a368 02021234 020100 020100" \
	"305c" \
	"3014 060f" TAP2 "010102010207" "020101" \
	"3017 060f" TAP2 "010102010307" "0404c000020a" \
	"3015 060f" TAP2 "010102010407" "42022328" \
	"3014 060f" TAP2 "010102010d07" "020104"

/* ------------------------------------------------------------------------ */
/* Tables                                                                    */
/* ------------------------------------------------------------------------ */

/* One byte replaced in a vector. */
struct patch {
	uint16_t off;
	uint8_t val;
};

/* Expected detail of a hit. */
struct want {
	uint8_t version;
	uint8_t pdu;
	const char *community;
	const char *mib;
	const char *table;
	const char *oid;
	uint8_t md_l3;
	const char *md_addr;	/* hex, NULL if none */
	uint16_t md_port;
};

struct snmp_case {
	const char *name;
	const char *hex;
	uint8_t nb_patch;
	struct patch patch[2];
	uint8_t pad;		/* zero bytes appended (datagram padding) */
	uint8_t trim;		/* bytes cut off the end */
	struct want want;	/* positives only */
};

/* Replace one byte of the vector. */
#define PATCH(o, v) .nb_patch = 1, .patch = { { (o), (v) } }

#define T2_OID "1.3.6.1.4.1.9.9.399"
#define PKTC_OID "1.3.6.1.4.1.4491.2.2.9.1.1"
#define H3C_OID "1.3.6.1.4.1.43.45.1.10.2.111"
#define HPE_OID "1.3.6.1.4.1.11.2.14.11.15.2.111"

#define WANT_SET_MED_V4 { 1, 3, "private", "CISCO-TAP2-MIB", "cTap2MediationTable", \
	T2_OID ".1.1.2.1.2.7", 4, "c000020a", 9000 }

static const struct snmp_case pos_cases[] = {
	{ .name = "v2c set mediation ipv4", .hex = V2C_SET_MED_V4, .want = WANT_SET_MED_V4 },
	{ .name = "v2c set mediation ipv6", .hex = V2C_SET_MED_V6,
		.want = { 1, 3, "li-rw", "CISCO-TAP2-MIB", "cTap2MediationTable",
			T2_OID ".1.1.2.1.4.12345", 6, "20010db8000000000000000000000010",
			50000 } },
	{ .name = "v1 get stream table", .hex = V1_GET_STREAM,
		.want = { 0, 0, "public", "CISCO-TAP2-MIB", "cTap2StreamTable",
			T2_OID ".1.2.1.1.3.7.1", 0, NULL, 0 } },
	{ .name = "v3 noauth get", .hex = V3_NOAUTH_GET,
		.want = { 3, 0, "liadmin", "CISCO-TAP2-MIB", "", T2_OID ".1.1.1.0", 0, NULL, 0 } },
	{ .name = "v3 authnopriv set", .hex = V3_AUTHNOPRIV_SET,
		.want = { 3, 3, "tapuser", "CISCO-TAP2-MIB", "cTap2MediationTable",
			T2_OID ".1.1.2.1.3.2147483647", 4, "c6336407", 4739 } },
	{ .name = "v2c response", .hex = V2C_RESPONSE_MED,
		.want = { 1, 2, "private", "CISCO-TAP2-MIB", "cTap2MediationTable",
			T2_OID ".1.1.2.1.3.7", 4, "c000020a", 9000 } },
	{ .name = "v2 trap 399.0.1", .hex = V2C_TRAP_ACTIVE,
		.want = { 1, 7, "public", "CISCO-TAP2-MIB", "notification", T2_OID ".0.1",
			0, NULL, 0 } },
	{ .name = "v1 trap enterprise 399", .hex = V1_TRAP_TIMEDOUT,
		.want = { 0, 4, "public", "CISCO-TAP2-MIB", "notification", T2_OID, 0, NULL, 0 } },
	{ .name = "CISCO-TAP-MIB set", .hex = TAP252_SET,
		.want = { 1, 3, "private", "CISCO-TAP-MIB", "cTapMediationTable",
			"1.3.6.1.4.1.9.9.252.1.1.2.1.3.5", 4, "0a010203", 2000 } },
	{ .name = "CISCO-IP-TAP-MIB set", .hex = IPTAP_SET,
		.want = { 1, 3, "private", "CISCO-IP-TAP-MIB", "citapStreamTable",
			"1.3.6.1.4.1.9.9.394.1.1.2.1.3.7.1", 0, NULL, 0 } },
	{ .name = "CISCO-802-TAP-MIB get", .hex = TAP802_GET,
		.want = { 1, 0, "public", "CISCO-802-TAP-MIB", "c802tapStreamTable",
			"1.3.6.1.4.1.9.9.395.1.1.2.1.2.7.1", 0, NULL, 0 } },
	{ .name = "CISCO-USER-CONNECTION-TAP-MIB get", .hex = UCTAP_GET,
		.want = { 1, 0, "public", "CISCO-USER-CONNECTION-TAP-MIB", "cuctTapStreamTable",
			"1.3.6.1.4.1.9.9.400.1.1.2.1.2.7.1", 0, NULL, 0 } },
	{ .name = "CISCO-VOIP-TAP-MIB get", .hex = VOIPTAP_GET,
		.want = { 1, 0, "public", "CISCO-VOIP-TAP-MIB", "cvoiptapStreamTable",
			"1.3.6.1.4.1.9.9.716.1.1.2.1.2.7.1", 0, NULL, 0 } },
	{ .name = "CISCO-MOBILITY-TAP-MIB get", .hex = MOBTAP_GET,
		.want = { 1, 0, "public", "CISCO-MOBILITY-TAP-MIB", "cmtapStreamTable",
			"1.3.6.1.4.1.9.9.672.1.1.2.1.2.7.1", 0, NULL, 0 } },
	{ .name = "PKTC-ES-TAP-MIB set mediation", .hex = PKTC_SET_MED,
		.want = { 1, 3, "private", "PKTC-ES-TAP-MIB", "pktcEScTapMediationTable",
			PKTC_OID ".1.1.2.1.3.9", 4, "cb007105", 10741 } },
	{ .name = "PKTC-ES-TAP-MIB get stream", .hex = PKTC_GET_STREAM,
		.want = { 1, 0, "public", "PKTC-ES-TAP-MIB", "pktcEScTapStreamTable",
			PKTC_OID ".1.2.1.1.2.9.1", 0, NULL, 0 } },
	{ .name = "A3COM-HUAWEI-LI-MIB set mediation", .hex = H3C_SET_MED,
		.want = { 1, 3, "private", "A3COM-HUAWEI-LI-MIB", "h3cLIMediationTable",
			H3C_OID ".1.3.2.1.3.3", 4, "c000024d", 6000 } },
	{ .name = "A3COM-HUAWEI-LI-MIB inform", .hex = H3C_INFORM,
		.want = { 1, 6, "public", "A3COM-HUAWEI-LI-MIB", "notification",
			H3C_OID ".1.2.0.2", 0, NULL, 0 } },
	{ .name = "HPN-ICF-LI-MIB get stream", .hex = HPE_GET_STREAM,
		.want = { 1, 0, "public", "HPN-ICF-LI-MIB", "hpnicfLIStreamTable",
			HPE_OID ".1.3.3.1.2.3.1", 0, NULL, 0 } },
	{ .name = "HPN-ICF-LI-MIB set mediation ipv6", .hex = HPE_SET_MED_V6,
		.want = { 1, 3, "private", "HPN-ICF-LI-MIB", "hpnicfLIMediationTable",
			HPE_OID ".1.3.2.1.4.4", 6, "20010db80000000000000000000000aa", 6001 } },
	{ .name = "getbulk on the bare root", .hex = GETBULK_ROOT,
		.want = { 1, 5, "public", "CISCO-TAP2-MIB", "", T2_OID, 0, NULL, 0 } },
	{ .name = "tap varbind second", .hex = TAP_NOT_FIRST,
		.want = { 1, 0, "public", "CISCO-TAP2-MIB", "cTap2DebugTable",
			T2_OID ".1.3.3.1.4.1", 0, NULL, 0 } },
	{ .name = "mediation of the first row only", .hex = MD_TWO_ROWS,
		.want = { 1, 3, "private", "CISCO-TAP2-MIB", "cTap2MediationTable",
			T2_OID ".1.1.2.1.3.7", 4, "c000020a", 0 } },
	{ .name = "get: values are no destination", .hex = GET_MED_VALUE,
		.want = { 1, 0, "public", "CISCO-TAP2-MIB", "cTap2MediationTable",
			T2_OID ".1.1.2.1.3.7", 0, NULL, 0 } },
	{ .name = "4-octet long-form length", .hex = LONG_FORM_LEN, .want = WANT_SET_MED_V4 },
	{ .name = "padding after the message", .hex = V2C_SET_MED_V4, .pad = 3, .want = WANT_SET_MED_V4 },
	{ .name = "v3 user name of 32 bytes", .hex = V3_USER32,
		.want = { 3, 0, "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu", "CISCO-TAP2-MIB", "",
			T2_OID ".1.1.1.0", 0, NULL, 0 } },
	{ .name = "32-bit arc", .hex = ARC32_MAX,
		.want = { 1, 0, "public", "CISCO-TAP2-MIB", "cTap2MediationTable",
			T2_OID ".1.1.2.1.3.4294967295", 0, NULL, 0 } },
	{ .name = "oid text cut at an arc", .hex = LONG_OID,
		.want = { 1, 0, "public", "CISCO-TAP2-MIB", "cTap2StreamTable",
			T2_OID ".1.2.1.1.2.4294967295.4294967295.4294967295", 0, NULL, 0 } },
	{ .name = "128 arcs", .hex = ARCS_128,
		.want = { 1, 0, "public", "CISCO-TAP2-MIB", "",
			T2_OID ".1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1", 0, NULL, 0 } },
	/* 02 07 -> 80 07: a non-minimal arc 7, decoded as tshark does */
	{ .name = "oid arc with leading 0x80", .hex = V2C_SET_MED_V4, PATCH(45, 0x80),
		.want = { 1, 3, "private", "CISCO-TAP2-MIB", "cTap2MediationTable",
			T2_OID ".1.1.2.1.7", 4, "c000020a", 9000 } },
	/* RowStatus createAndGo -> active: a different value, same fields */
	{ .name = "v2c set, status active", .hex = V2C_SET_MED_V4, PATCH(119, 0x01),
		.want = WANT_SET_MED_V4 },
};

/*
 * Byte offsets in V2C_SET_MED_V4: 1 message length, 4 version, 5 community
 * tag, 14 PDU tag, 27 VarBindList length, 29 first varbind length, 30 its
 * OID tag, 45/46 the OID's last two octets (column 2, index 7), 119 the
 * last varbind's value.
 */
static const struct snmp_case neg_cases[] = {
	{ .name = "arkime getnext", .hex = ARKIME_GETNEXT },
	{ .name = "arkime response", .hex = ARKIME_RESPONSE },
	{ .name = "arc 39 is not 399", .hex = NEG_ARC_39 },
	{ .name = "arc 3990 is not 399", .hex = NEG_ARC_3990 },
	{ .name = "tap oid as sysORID value", .hex = NEG_SYSORID },
	{ .name = "v3 authpriv", .hex = NEG_AUTHPRIV },
	{ .name = "v3 priv flag, plaintext pdu", .hex = NEG_PRIV_PLAIN },
	{ .name = "v3 nopriv, octet string msgData", .hex = NEG_NOPRIV_OCTETS },
	{ .name = "v3 user name of 33 bytes", .hex = NEG_USER33 },
	{ .name = "v3 security model 2", .hex = V3_NOAUTH_GET, PATCH(21, 0x02) },
	{ .name = "v3 priv without auth", .hex = V3_NOAUTH_GET, PATCH(18, 0x06) },
	{ .name = "v3 msgMaxSize 227", .hex = V3_NOAUTH_GET, PATCH(14, 0x00) },
	{ .name = "ber blob, not snmp", .hex = NEG_BLOB },
	{ .name = "version 2", .hex = NEG_VERSION_2 },
	{ .name = "version 4", .hex = V2C_SET_MED_V4, PATCH(4, 0x04) },
	{ .name = "v1 trap pdu in v2c", .hex = NEG_V2C_TRAP_V1 },
	{ .name = "getbulk in v1", .hex = NEG_V1_GETBULK },
	{ .name = "v1 trap, generic 5", .hex = NEG_TRAP_GENERIC },
	{ .name = "extra pdu element", .hex = NEG_PDU_EXTRA },
	{ .name = "sequence as pdu", .hex = NEG_SEQ_PDU },
	{ .name = "pdu tag a9", .hex = V2C_SET_MED_V4, PATCH(14, 0xa9) },
	{ .name = "community as integer", .hex = V2C_SET_MED_V4, PATCH(5, 0x02) },
	{ .name = "null with content", .hex = NEG_NULL_LEN1 },
	{ .name = "unknown value tag", .hex = V1_GET_STREAM, PATCH(68, 0x45) },
	{ .name = "varbind name not an oid", .hex = V2C_SET_MED_V4, PATCH(30, 0x04) },
	{ .name = "33-bit arc", .hex = NEG_ARC_33BIT },
	{ .name = "129 arcs", .hex = NEG_ARCS_129 },
	{ .name = "oid ends inside an arc", .hex = V2C_SET_MED_V4, PATCH(46, 0x87) },
	{ .name = "message longer than datagram", .hex = V2C_SET_MED_V4, PATCH(1, 0x77) },
	{ .name = "varbind list overruns pdu", .hex = V2C_SET_MED_V4, PATCH(27, 0x5d) },
	{ .name = "varbind overruns its list", .hex = V2C_SET_MED_V4, PATCH(29, 0x15) },
	{ .name = "varbind shorter than content", .hex = V2C_SET_MED_V4, PATCH(29, 0x13) },
	{ .name = "indefinite length", .hex = V2C_SET_MED_V4, PATCH(1, 0x80) },
	{ .name = "5-octet length", .hex = NEG_LEN_5_OCTETS },
	{ .name = "high tag number form", .hex = V2C_SET_MED_V4, PATCH(0, 0x3f) },
	{ .name = "truncated by one byte", .hex = V2C_SET_MED_V4, .trim = 1 },
};

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

/* The case's bytes: vector, patches, padding. */
static uint32_t
case_bytes(const struct snmp_case *c, uint8_t *buf)
{
	uint32_t n = hex_decode(c->hex, buf, VEC_MAX);
	unsigned int i;

	for (i = 0; i < c->nb_patch; i++) {
		ck_assert_uint_lt(c->patch[i].off, n);
		buf[c->patch[i].off] = c->patch[i].val;
	}
	ck_assert_uint_le(n + c->pad, VEC_MAX);
	memset(buf + n, 0, c->pad);
	n += c->pad;
	ck_assert_uint_le(c->trim, n);
	return n - c->trim;
}

/* The message alone (the padding of a case is not part of it). */
static uint32_t
case_msg_len(const struct snmp_case *c, uint32_t len)
{
	return len - c->pad;
}

/* Validate from an exact-size heap copy, so any over-read is caught. */
static int
validate_exact(const uint8_t *bytes, uint32_t len, struct tw_li_detail *d, int direct)
{
	uint8_t *copy = malloc(len != 0 ? len : 1);
	int r;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, bytes, len);
	if (direct)
		r = tw_li_snmp_validate(copy, len, d);
	else
		r = tw_li_validate(TW_VALIDATOR_SNMP_TAP, copy, len, NULL, d);
	free(copy);
	return r;
}

/* Every string of a hit is NUL-terminated inside its array. */
static void
check_terminated(const struct tw_li_snmp *s, const char *name)
{
	ck_assert_msg(memchr(s->community, '\0', sizeof(s->community)) != NULL,
			"%s: community", name);
	ck_assert_msg(memchr(s->mib, '\0', sizeof(s->mib)) != NULL, "%s: mib", name);
	ck_assert_msg(memchr(s->table, '\0', sizeof(s->table)) != NULL, "%s: table", name);
	ck_assert_msg(memchr(s->oid, '\0', sizeof(s->oid)) != NULL, "%s: oid", name);
}

static void
check_want(const struct snmp_case *c, const struct tw_li_detail *d)
{
	const struct tw_li_snmp *s = &d->snmp;
	const struct want *w = &c->want;
	uint8_t addr[16] = { 0 };
	uint32_t n = 0;

	ck_assert_uint_eq(d->kind, TW_LI_KIND_SNMP);
	check_terminated(s, c->name);
	ck_assert_msg(s->version == w->version, "%s: version %u", c->name, s->version);
	ck_assert_msg(s->pdu == w->pdu, "%s: pdu %u", c->name, s->pdu);
	ck_assert_uint_eq(s->encrypted, 0);
	ck_assert_str_eq(s->community, w->community);
	ck_assert_str_eq(s->mib, w->mib);
	ck_assert_str_eq(s->table, w->table);
	ck_assert_str_eq(s->oid, w->oid);
	ck_assert_msg(s->md_l3 == w->md_l3, "%s: md_l3 %u", c->name, s->md_l3);
	if (w->md_addr != NULL)
		n = hex_decode(w->md_addr, addr, sizeof(addr));
	ck_assert_uint_eq(n, w->md_l3 == 4 ? 4 : w->md_l3 == 6 ? 16 : 0);
	ck_assert_msg(memcmp(s->md_addr, addr, sizeof(addr)) == 0, "%s: md_addr", c->name);
	ck_assert_msg(s->md_port == w->md_port, "%s: md_port %u", c->name, s->md_port);
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */
/* ------------------------------------------------------------------------ */

START_TEST(test_positive)
{
	const struct snmp_case *c = &pos_cases[_i];
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d, e;
	uint32_t len = case_bytes(c, buf);

	memset(&d, 0xa5, sizeof(d));
	ck_assert_msg(validate_exact(buf, len, &d, 1) == 1, "%s: rejected", c->name);
	check_want(c, &d);
	/* the same through the dispatcher, and with no detail wanted */
	memset(&e, 0x5a, sizeof(e));
	ck_assert_int_eq(validate_exact(buf, len, &e, 0), 1);
	ck_assert_msg(memcmp(&d, &e, sizeof(d)) == 0, "%s: dispatcher differs", c->name);
	ck_assert_int_eq(validate_exact(buf, len, NULL, 0), 1);
}
END_TEST

START_TEST(test_negative)
{
	const struct snmp_case *c = &neg_cases[_i];
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail d, sentinel;
	uint32_t len = case_bytes(c, buf);

	memset(&d, 0xa5, sizeof(d));
	memset(&sentinel, 0xa5, sizeof(sentinel));
	ck_assert_msg(validate_exact(buf, len, &d, 1) == 0, "%s: confirmed", c->name);
	ck_assert_msg(memcmp(&d, &sentinel, sizeof(d)) == 0, "%s: detail written", c->name);
	ck_assert_int_eq(validate_exact(buf, len, &d, 0), 0);
	ck_assert_int_eq(validate_exact(buf, len, NULL, 0), 0);
}
END_TEST

START_TEST(test_bad_args)
{
	static const uint8_t one[] = { 0x30 };
	struct tw_li_detail d;

	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_SNMP_TAP, NULL, 10, NULL, &d), 0);
	ck_assert_int_eq(tw_li_validate(TW_VALIDATOR_SNMP_TAP, one, 0, NULL, &d), 0);
	ck_assert_int_eq(validate_exact(one, 1, &d, 1), 0);
	ck_assert_int_eq(validate_exact(one, 0, &d, 1), 0);
}
END_TEST

/*
 * Every positive cut at every length, from an exact-size buffer: no crash,
 * no read past the cut (ASan / valgrind), and a cut message is never
 * confirmed. Where a prefix is confirmed (it still holds the whole message,
 * the padding being cut), it reports exactly the full message's fields.
 */
START_TEST(test_truncation_sweep)
{
	static uint8_t buf[VEC_MAX];
	struct tw_li_detail full, d;
	const struct snmp_case *c;
	uint32_t len, cut;
	unsigned int i;

	for (i = 0; i < RTE_DIM(pos_cases); i++) {
		c = &pos_cases[i];
		len = case_bytes(c, buf);
		ck_assert_int_eq(validate_exact(buf, len, &full, 1), 1);
		for (cut = 0; cut < len; cut++) {
			memset(&d, 0, sizeof(d));
			if (validate_exact(buf, cut, &d, 1) == 0)
				continue;
			ck_assert_msg(cut >= case_msg_len(c, len),
					"%s: confirmed when cut at %u", c->name, cut);
			ck_assert_msg(memcmp(&full, &d, sizeof(d)) == 0,
					"%s cut %u: fields differ", c->name, cut);
		}
	}
}
END_TEST

/* xorshift32: deterministic, so a failure reproduces. */
static uint32_t
next_rand(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/*
 * Random edits of the positives (byte replaced, inserted, deleted, length
 * octet nudged, tail cut): no crash, and any hit is well formed.
 */
START_TEST(test_random_mutations)
{
	static uint8_t orig[VEC_MAX], buf[VEC_MAX + 8];
	struct tw_li_detail d;
	const struct tw_li_snmp *s = &d.snmp;
	uint32_t state = 0x2545f491, len, n, pos, k;
	unsigned int i, round, nb_edits, nb_hits = 0, nb_runs = 0;

	for (i = 0; i < RTE_DIM(pos_cases); i++) {
		len = case_bytes(&pos_cases[i], orig);
		for (round = 0; round < 200; round++) {
			memcpy(buf, orig, len);
			n = len;
			nb_edits = 1 + next_rand(&state) % 3;
			while (nb_edits-- > 0 && n > 1) {
				pos = next_rand(&state) % n;
				switch (next_rand(&state) % 5) {
				case 0:
					buf[pos] = (uint8_t)next_rand(&state);
					break;
				case 1:
					buf[pos] = (uint8_t)(buf[pos] + 1 - 2 * (next_rand(&state) & 1));
					break;
				case 2:
					if (n < VEC_MAX + 8) {
						memmove(buf + pos + 1, buf + pos, n - pos);
						buf[pos] = (uint8_t)next_rand(&state);
						n++;
					}
					break;
				case 3:
					memmove(buf + pos, buf + pos + 1, n - pos - 1);
					n--;
					break;
				default:
					n = pos;
					break;
				}
			}
			memset(&d, 0, sizeof(d));
			nb_runs++;
			if (validate_exact(buf, n, &d, 1) == 0)
				continue;
			nb_hits++;
			ck_assert_uint_eq(d.kind, TW_LI_KIND_SNMP);
			check_terminated(s, pos_cases[i].name);
			ck_assert(s->version == 0 || s->version == 1 || s->version == 3);
			ck_assert_uint_le(s->pdu, 8);
			ck_assert(s->md_l3 == 0 || s->md_l3 == 4 || s->md_l3 == 6);
			for (k = s->md_l3 == 4 ? 4 : s->md_l3 == 6 ? 16 : 0; k < 16; k++)
				ck_assert_uint_eq(s->md_addr[k], 0);
			ck_assert_uint_gt(strlen(s->mib), 0);
			ck_assert(strncmp(s->oid, "1.3.6.1.4.1.", 12) == 0);
		}
	}
	ck_assert_uint_ge(nb_runs, 5000);
	/* some edits (values, indexes) keep the message valid */
	ck_assert_uint_gt(nb_hits, 0);
}
END_TEST

static Suite *
li_snmp_suite(void)
{
	Suite *s = suite_create("li_snmp");
	TCase *tc;

	tc = tcase_create("args");
	tcase_add_test(tc, test_bad_args);
	suite_add_tcase(s, tc);

	tc = tcase_create("negative");
	tcase_add_loop_test(tc, test_negative, 0, RTE_DIM(neg_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("positive");
	tcase_add_loop_test(tc, test_positive, 0, RTE_DIM(pos_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("robustness");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_truncation_sweep);
	tcase_add_test(tc, test_random_mutations);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(li_snmp_suite());
	int nb_failed;

	srunner_run_all(sr, CK_NORMAL);
	nb_failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nb_failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
