/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The tapwatch authors
 */

#include <ctype.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>

#include "tw_sig.h"

#define PORT_BITMAP_BYTES (65536 / 8)

/* Longest accepted rules file: a config mistake (pointing at a pcap) must not
 * make us read gigabytes. */
#define SIG_FILE_MAX (16u << 20)
#define SIG_LINE_MAX 4096
#define SIG_PATTERN_MAX 2048

struct tw_sig_db {
	hs_database_t *hs;
	uint32_t nb_sigs;
	struct tw_sig *sigs;
	char **patterns;	/* kept for summaries; freed with the db */
	/* ports=config: one bit per port, per family; NULL = any port */
	uint8_t *family_ports[TW_FAMILY_MAX];
};

struct sig_parse {
	const char *name;
	struct tw_error *err;
	unsigned int line;
};

static int
parse_fail(struct sig_parse *ps, int code, const char *fmt, const char *a, const char *b)
{
	char msg[224];

	snprintf(msg, sizeof(msg), fmt, a, b);
	if (ps->err != NULL)
		snprintf(ps->err->file, sizeof(ps->err->file), "%s", ps->name);
	return tw_error_set(ps->err, code, ps->line, "%s", msg);
}

static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (*s == '\0' || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static int
parse_proto(const char *s, uint8_t *proto)
{
	static const struct { const char *name; uint8_t proto; } tab[] = {
		{ "any", 0 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 }, { "sctp", 132 },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(tab); i++) {
		if (strcmp(s, tab[i].name) == 0) {
			*proto = tab[i].proto;
			return 0;
		}
	}
	return -EINVAL;
}

/* strtok_r skips empty items: refuse "a,,b", ",a", "a," and "" first. */
static int
list_well_formed(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && s[0] != ',' && s[n - 1] != ',' && strstr(s, ",,") == NULL;
}

static int
parse_ports(const char *s, struct tw_sig *sig)
{
	char buf[256];
	char *tok, *save = NULL;
	uint32_t port;

	sig->ports_config = 0;
	if (strcmp(s, "any") == 0) {
		sig->nb_ports = 0;
		return 0;
	}
	if (strcmp(s, "config") == 0) {
		sig->nb_ports = 0;
		sig->ports_config = 1;
		return 0;
	}
	if (strlen(s) >= sizeof(buf) || !list_well_formed(s))
		return -EINVAL;
	strcpy(buf, s);
	sig->nb_ports = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (sig->nb_ports == TW_SIG_PORTS_MAX || parse_u32(tok, 1, 65535, &port) != 0)
			return -EINVAL;
		sig->ports[sig->nb_ports++] = (uint16_t)port;
	}
	return sig->nb_ports > 0 ? 0 : -EINVAL;
}

static int
parse_flags(const char *s, unsigned int *flags)
{
	static const struct { const char *name; unsigned int flag; } tab[] = {
		{ "caseless", HS_FLAG_CASELESS },
		{ "dotall", HS_FLAG_DOTALL },
		{ "multiline", HS_FLAG_MULTILINE },
		{ "singlematch", HS_FLAG_SINGLEMATCH },
	};
	char buf[128];
	char *tok, *save = NULL;
	unsigned int i;

	*flags = 0;
	if (strcmp(s, "none") == 0)
		return 0;
	if (strlen(s) >= sizeof(buf) || !list_well_formed(s))
		return -EINVAL;
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < RTE_DIM(tab); i++)
			if (strcmp(tok, tab[i].name) == 0)
				break;
		if (i == RTE_DIM(tab))
			return -EINVAL;
		*flags |= tab[i].flag;
	}
	return 0;
}

/* Seen-key bits, to report missing and repeated keys. */
enum {
	K_ID = 1 << 0, K_REV = 1 << 1, K_FAMILY = 1 << 2, K_SEVERITY = 1 << 3,
	K_NAME = 1 << 4, K_PATTERN = 1 << 5, K_FLAGS = 1 << 6, K_PROTO = 1 << 7,
	K_PORTS = 1 << 8, K_VALIDATOR = 1 << 9, K_MITRE = 1 << 10,
};

static const struct { const char *name; unsigned int bit; } sig_keys[] = {
	{ "id", K_ID }, { "rev", K_REV }, { "family", K_FAMILY },
	{ "severity", K_SEVERITY }, { "name", K_NAME }, { "pattern", K_PATTERN },
	{ "flags", K_FLAGS }, { "proto", K_PROTO }, { "ports", K_PORTS },
	{ "validator", K_VALIDATOR }, { "mitre", K_MITRE },
};
#define SIG_REQUIRED (K_ID | K_REV | K_FAMILY | K_SEVERITY | K_NAME | K_PATTERN)

/* "T1020" or "T1020.001", comma-separated. */
static int
mitre_ok(const char *s)
{
	unsigned int i;

	if (!list_well_formed(s))
		return 0;
	while (*s != '\0') {
		if (*s++ != 'T')
			return 0;
		for (i = 0; i < 4; i++)
			if (!isdigit((unsigned char)*s++))
				return 0;
		if (*s == '.') {
			s++;
			for (i = 0; i < 3; i++)
				if (!isdigit((unsigned char)*s++))
					return 0;
		}
		if (*s == ',')
			s++;
		else if (*s != '\0')
			return 0;
	}
	return 1;
}

/* "a, b, c" from a name table, for messages that list what is accepted. */
static const char *
name_list(char *buf, size_t cap, const char *(*name)(unsigned int), unsigned int n)
{
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < cap; i++)
		off += (size_t)snprintf(buf + off, cap - off, "%s%s", i ? ", " : "", name(i));
	return buf;
}

static int
set_key(struct sig_parse *ps, struct tw_sig *sig, unsigned int bit, const char *key,
		const char *val, char *pattern, unsigned int *hs_flags)
{
	char names[224];
	int fam, v;

	switch (bit) {
	case K_ID:
		if (parse_u32(val, 1, INT32_MAX, &sig->id) != 0)
			return parse_fail(ps, -EINVAL, "id \"%s\" is not an integer in 1..2147483647%s",
					val, "");
		return 0;
	case K_REV:
		if (parse_u32(val, 1, UINT32_MAX, &sig->rev) != 0)
			return parse_fail(ps, -EINVAL, "rev \"%s\" is not a positive integer%s", val, "");
		return 0;
	case K_SEVERITY: {
		uint32_t sev;

		if (parse_u32(val, 1, 3, &sev) != 0)
			return parse_fail(ps, -EINVAL,
					"severity \"%s\" must be 1 (high), 2 or 3 (low)%s", val, "");
		sig->severity = (uint8_t)sev;
		return 0;
	}
	case K_FAMILY:
		fam = tw_family_from_name(val);
		if (fam < 0)
			return parse_fail(ps, -EINVAL, "unknown family \"%s\"; use one of: %s", val,
					name_list(names, sizeof(names), tw_family_name,
						TW_FAMILY_MAX));
		sig->family = (uint8_t)fam;
		return 0;
	case K_NAME:
		if (*val == '\0' || strlen(val) >= TW_SIG_NAME_MAX)
			return parse_fail(ps, -EINVAL, "name must have 1..95 characters%s%s", "", "");
		strcpy(sig->name, val);
		return 0;
	case K_PATTERN:
		if (*val == '\0' || strlen(val) >= SIG_PATTERN_MAX)
			return parse_fail(ps, -EINVAL, "pattern must have 1..2047 characters%s%s",
					"", "");
		strcpy(pattern, val);
		return 0;
	case K_FLAGS:
		if (parse_flags(val, hs_flags) != 0)
			return parse_fail(ps, -EINVAL, "flags \"%s\": use a comma list of %s", val,
					"caseless, dotall, multiline, singlematch (or none)");
		return 0;
	case K_PROTO:
		if (parse_proto(val, &sig->proto) != 0)
			return parse_fail(ps, -EINVAL, "proto \"%s\": use one of %s", val,
					"tcp, udp, gre, sctp, any");
		return 0;
	case K_PORTS:
		if (parse_ports(val, sig) != 0)
			return parse_fail(ps, -EINVAL, "ports \"%s\": use any, config (the "
					"family's configured ports), or up to 16 comma-separated ports in "
					"1..65535%s", val, "");
		return 0;
	case K_VALIDATOR:
		v = tw_validator_from_name(val);
		if (v < 0)
			return parse_fail(ps, -EINVAL, "unknown validator \"%s\"; use one of: %s", val,
					name_list(names, sizeof(names), tw_validator_name,
						TW_VALIDATOR_MAX));
		sig->validator = (uint8_t)v;
		return 0;
	case K_MITRE:
		if (strlen(val) >= TW_SIG_MITRE_MAX || !mitre_ok(val))
			return parse_fail(ps, -EINVAL, "mitre \"%s\": use ATT&CK technique ids "
					"like T1020 or T1020.001, comma-separated, %s", val,
					"at most 31 characters");
		strcpy(sig->mitre, val);
		return 0;
	}
	return parse_fail(ps, -EINVAL, "unknown key \"%s\"%s", key, "");
}

/*
 * Parse one "sig key=value ..." line. Values are bare words or "quoted
 * strings"; quotes take no escapes (patterns spell '"' as \x22).
 */
static int
parse_line(struct sig_parse *ps, char *line, struct tw_sig *sig, char *pattern,
		unsigned int *hs_flags)
{
	char *p = line, *key, *val;
	unsigned int seen = 0, i;
	int ret;

	memset(sig, 0, sizeof(*sig));
	sig->line = ps->line;
	sig->validator = TW_VALIDATOR_NONE;
	*hs_flags = 0;

	if (strncmp(p, "sig", 3) != 0 || (p[3] != ' ' && p[3] != '\t'))
		return parse_fail(ps, -EINVAL,
				"expected a line starting with \"sig \"%s%s (or a # comment)", "", "");
	p += 3;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		key = p;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		if (p == key || *p != '=')
			return parse_fail(ps, -EINVAL, "expected key=value near \"%.20s\"%s", key, "");
		*p++ = '\0';
		if (*p == '"') {
			val = ++p;
			p = strchr(p, '"');
			if (p == NULL)
				return parse_fail(ps, -EINVAL, "unterminated quoted value for %s%s",
						key, "");
			*p++ = '\0';
			if (*p != '\0' && *p != ' ' && *p != '\t')
				return parse_fail(ps, -EINVAL,
						"value of %s: text after the closing quote%s", key, "");
		} else {
			val = p;
			while (*p != '\0' && *p != ' ' && *p != '\t')
				p++;
			if (*p != '\0')
				*p++ = '\0';
		}
		for (i = 0; i < RTE_DIM(sig_keys); i++)
			if (strcmp(key, sig_keys[i].name) == 0)
				break;
		if (i == RTE_DIM(sig_keys))
			return parse_fail(ps, -EINVAL, "unknown key \"%s\"; keys are %s", key,
					"id, rev, family, severity, name, pattern, flags, proto, "
					"ports, validator, mitre");
		if (seen & sig_keys[i].bit)
			return parse_fail(ps, -EINVAL, "key \"%s\" given twice%s", key, "");
		seen |= sig_keys[i].bit;
		ret = set_key(ps, sig, sig_keys[i].bit, key, val, pattern, hs_flags);
		if (ret != 0)
			return ret;
	}
	if ((seen & SIG_REQUIRED) != SIG_REQUIRED) {
		for (i = 0; i < RTE_DIM(sig_keys); i++)
			if ((SIG_REQUIRED & sig_keys[i].bit) && !(seen & sig_keys[i].bit))
				break;
		return parse_fail(ps, -EINVAL, "missing key \"%s\" (required: %s)",
				sig_keys[i].name, "id, rev, family, severity, name, pattern");
	}
	return 0;
}

void
tw_sig_db_free(struct tw_sig_db *db)
{
	uint32_t i;

	if (db == NULL)
		return;
	hs_free_database(db->hs);
	for (i = 0; i < TW_FAMILY_MAX; i++)
		free(db->family_ports[i]);
	if (db->patterns != NULL)
		for (i = 0; i < db->nb_sigs; i++)
			free(db->patterns[i]);
	free(db->patterns);
	free(db->sigs);
	free(db);
}

static int
compile_db(struct tw_sig_db *db, const unsigned int *flags, struct sig_parse *ps)
{
	hs_compile_error_t *cerr = NULL;
	unsigned int *ids;
	uint32_t i;
	hs_error_t rc;

	ids = calloc(db->nb_sigs, sizeof(*ids));
	if (ids == NULL)
		return tw_error_set(ps->err, -ENOMEM, 0, "out of memory");
	for (i = 0; i < db->nb_sigs; i++)
		ids[i] = i;
	rc = hs_compile_multi((const char *const *)db->patterns, flags, ids, db->nb_sigs,
			HS_MODE_BLOCK, NULL, &db->hs, &cerr);
	free(ids);
	if (rc == HS_SUCCESS)
		return 0;
	if (cerr != NULL && cerr->expression >= 0 && (uint32_t)cerr->expression < db->nb_sigs) {
		const struct tw_sig *s = &db->sigs[cerr->expression];
		char id[16];

		ps->line = s->line;
		snprintf(id, sizeof(id), "%u", s->id);
		parse_fail(ps, -EINVAL, "pattern of sig %s does not compile: %s", id, cerr->message);
	} else {
		parse_fail(ps, -EINVAL, "Hyperscan could not compile the signatures: %s%s",
				cerr != NULL ? cerr->message : "unknown error", "");
	}
	hs_free_compile_error(cerr);
	return -EINVAL;
}

struct tw_sig_db *
tw_sig_db_parse(const char *text, size_t len, const char *name, struct tw_error *err)
{
	struct sig_parse ps = { .name = name != NULL ? name : "<buffer>", .err = err, .line = 0 };
	struct tw_sig_db *db;
	unsigned int *flags = NULL;
	char *line = NULL, *pattern = NULL;
	size_t pos = 0, cap = 0;
	uint32_t i;
	int ret = -ENOMEM;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (text == NULL) {
		parse_fail(&ps, -EINVAL, "no rules text%s%s", "", "");
		rte_errno = EINVAL;
		return NULL;
	}
	db = calloc(1, sizeof(*db));
	line = malloc(SIG_LINE_MAX + 1);
	pattern = malloc(SIG_PATTERN_MAX);
	if (db == NULL || line == NULL || pattern == NULL) {
		tw_error_set(err, -ENOMEM, 0, "out of memory");
		goto fail;
	}

	while (pos < len) {
		size_t start = pos, n;
		char *p;
		struct tw_sig sig;
		unsigned int f;

		while (pos < len && text[pos] != '\n')
			pos++;
		n = pos - start;
		pos++;		/* past '\n' */
		ps.line++;
		if (n > SIG_LINE_MAX) {
			ret = parse_fail(&ps, -EINVAL, "line longer than %s bytes%s", "4096", "");
			goto fail;
		}
		memcpy(line, text + start, n);
		line[n] = '\0';
		if (memchr(line, '\0', n) != NULL) {
			ret = parse_fail(&ps, -EINVAL, "NUL byte in the rules text: not a rules file?%s%s",
					"", "");
			goto fail;
		}
		while (n > 0 && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		ret = parse_line(&ps, p, &sig, pattern, &f);
		if (ret != 0)
			goto fail;
		for (i = 0; i < db->nb_sigs; i++) {
			if (db->sigs[i].id == sig.id) {
				char a[16], b[16];

				snprintf(a, sizeof(a), "%u", sig.id);
				snprintf(b, sizeof(b), "%u", db->sigs[i].line);
				ret = parse_fail(&ps, -EEXIST,
						"sig id %s already used on line %s: ids must be unique",
						a, b);
				goto fail;
			}
		}
		if (db->nb_sigs == TW_SIG_MAX) {
			ret = parse_fail(&ps, -ENOSPC, "more than %s signatures%s", "4096", "");
			goto fail;
		}
		if (db->nb_sigs == cap) {
			size_t ncap = cap == 0 ? 16 : cap * 2;
			struct tw_sig *ns = realloc(db->sigs, ncap * sizeof(*ns));
			char **np;
			unsigned int *nf;

			if (ns == NULL)
				goto nomem;
			db->sigs = ns;
			np = realloc(db->patterns, ncap * sizeof(*np));
			if (np == NULL)
				goto nomem;
			db->patterns = np;
			nf = realloc(flags, ncap * sizeof(*nf));
			if (nf == NULL)
				goto nomem;
			flags = nf;
			cap = ncap;
		}
		db->patterns[db->nb_sigs] = strdup(pattern);
		if (db->patterns[db->nb_sigs] == NULL)
			goto nomem;
		/*
		 * Validators examine the whole payload, not the match offset, so
		 * one report per pattern and scan is all we need: SINGLEMATCH
		 * bounds the callback count by the number of signatures.
		 */
		flags[db->nb_sigs] = f | HS_FLAG_SINGLEMATCH;
		db->sigs[db->nb_sigs++] = sig;
	}
	if (db->nb_sigs == 0) {
		ps.line = 0;
		ret = parse_fail(&ps, -ENOENT, "no signatures found: add \"sig ...\" lines%s%s",
				"", "");
		goto fail;
	}
	ret = compile_db(db, flags, &ps);
	if (ret != 0)
		goto fail;
	free(flags);
	free(line);
	free(pattern);
	return db;

nomem:
	ret = tw_error_set(err, -ENOMEM, ps.line, "out of memory");
fail:
	free(flags);
	free(line);
	free(pattern);
	tw_sig_db_free(db);
	rte_errno = -ret;
	return NULL;
}

struct tw_sig_db *
tw_sig_db_load(const char *path, struct tw_error *err)
{
	struct tw_sig_db *db;
	char *buf = NULL;
	size_t len = 0;
	struct stat st;
	FILE *f;
	long sz;

	if (err != NULL) {
		memset(err, 0, sizeof(*err));
		snprintf(err->file, sizeof(err->file), "%s", path != NULL ? path : "(null)");
	}
	if (path == NULL) {
		tw_error_set(err, -EINVAL, 0, "no signature file given");
		rte_errno = EINVAL;
		return NULL;
	}
	f = fopen(path, "rb");
	if (f == NULL) {
		int e = errno;

		tw_error_set(err, -e, 0, "cannot open signature file: %s; check the "
				"\"signatures\" key of the config", strerror(e));
		rte_errno = e;
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		tw_error_set(err, -EINVAL, 0, "not a regular file: the \"signatures\" key must "
				"name a rules file");
		fclose(f);
		rte_errno = EINVAL;
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		tw_error_set(err, -EIO, 0, "cannot read signature file (not a regular file?)");
		fclose(f);
		rte_errno = EIO;
		return NULL;
	}
	if ((size_t)sz > SIG_FILE_MAX) {
		tw_error_set(err, -EFBIG, 0, "signature file is %ld bytes, over the %u-byte limit",
				sz, SIG_FILE_MAX);
		fclose(f);
		rte_errno = EFBIG;
		return NULL;
	}
	buf = malloc((size_t)sz + 1);
	if (buf == NULL) {
		fclose(f);
		tw_error_set(err, -ENOMEM, 0, "out of memory");
		rte_errno = ENOMEM;
		return NULL;
	}
	len = fread(buf, 1, (size_t)sz, f);
	if (len != (size_t)sz) {
		tw_error_set(err, -EIO, 0, "short read (%zu of %ld bytes)", len, sz);
		fclose(f);
		free(buf);
		rte_errno = EIO;
		return NULL;
	}
	fclose(f);
	db = tw_sig_db_parse(buf, len, path, err);
	free(buf);
	return db;
}

uint32_t
tw_sig_db_count(const struct tw_sig_db *db)
{
	return db != NULL ? db->nb_sigs : 0;
}

const struct tw_sig *
tw_sig_db_get(const struct tw_sig_db *db, uint32_t idx)
{
	if (db == NULL || idx >= db->nb_sigs)
		return NULL;
	return &db->sigs[idx];
}

void
tw_sig_db_family_counts(const struct tw_sig_db *db, uint32_t *counts)
{
	uint32_t i;

	memset(counts, 0, sizeof(*counts) * TW_FAMILY_MAX);
	if (db == NULL)
		return;
	for (i = 0; i < db->nb_sigs; i++)
		counts[db->sigs[i].family]++;
}

int
tw_sig_db_set_ports(struct tw_sig_db *db, unsigned int family, const uint16_t *ports,
		unsigned int nb_ports)
{
	uint8_t *bits;
	unsigned int i;

	if (db == NULL || family >= TW_FAMILY_MAX || (ports == NULL && nb_ports > 0))
		return -EINVAL;
	bits = calloc(1, PORT_BITMAP_BYTES);
	if (bits == NULL)
		return -ENOMEM;
	for (i = 0; i < nb_ports; i++)
		bits[ports[i] >> 3] |= (uint8_t)(1u << (ports[i] & 7));
	free(db->family_ports[family]);
	db->family_ports[family] = bits;
	return 0;
}

hs_scratch_t *
tw_sig_scratch_alloc(const struct tw_sig_db *db)
{
	hs_scratch_t *s = NULL;

	if (db == NULL || db->hs == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (hs_alloc_scratch(db->hs, &s) != HS_SUCCESS) {
		rte_errno = ENOMEM;
		return NULL;
	}
	return s;
}

void
tw_sig_scratch_free(hs_scratch_t *scratch)
{
	if (scratch != NULL)
		hs_free_scratch(scratch);
}

/* Per-scan context, on the scanner's stack. */
struct scan_ctx {
	const struct tw_sig_db *db;
	const struct tw_pkt_meta *m;
	const uint8_t *payload;
	uint32_t len;
	struct tw_sig_hit *hits;
	unsigned int max_hits;
	unsigned int nb_hits;
	uint64_t nb_candidates;
};

static inline int
port_bit(const uint8_t *bits, uint16_t port)
{
	return (bits[port >> 3] >> (port & 7)) & 1;
}

static inline int
sig_ports_match(const struct tw_sig_db *db, const struct tw_sig *s, const struct tw_pkt_meta *m)
{
	unsigned int i;

	if (s->ports_config) {
		const uint8_t *bits = db->family_ports[s->family];

		return bits == NULL || port_bit(bits, m->sport) || port_bit(bits, m->dport);
	}
	if (s->nb_ports == 0)
		return 1;
	for (i = 0; i < s->nb_ports; i++)
		if (s->ports[i] == m->sport || s->ports[i] == m->dport)
			return 1;
	return 0;
}

static int
on_match(unsigned int id, unsigned long long from, unsigned long long to,
		unsigned int flags, void *arg)
{
	struct scan_ctx *c = arg;
	const struct tw_sig *s = &c->db->sigs[id];
	struct tw_sig_hit *h;

	RTE_SET_USED(from);
	RTE_SET_USED(to);
	RTE_SET_USED(flags);
	c->nb_candidates++;
	if (s->proto != 0 && s->proto != c->m->proto)
		return 0;
	if (!sig_ports_match(c->db, s, c->m))
		return 0;
	h = &c->hits[c->nb_hits];
	if (!tw_li_validate(s->validator, c->payload, c->len, c->m, &h->detail))
		return 0;
	h->sig_idx = id;
	c->nb_hits++;
	/* Non-zero stops the scan: the output array is full. */
	return c->nb_hits == c->max_hits;
}

int
tw_sig_scan(const struct tw_sig_db *db, hs_scratch_t *scratch, const struct tw_pkt_meta *m,
		const uint8_t *payload, uint32_t len, struct tw_sig_hit *hits,
		unsigned int max_hits, uint64_t *nb_candidates)
{
	struct scan_ctx c = {
		.db = db, .m = m, .payload = payload, .len = len,
		.hits = hits, .max_hits = max_hits,
	};
	hs_error_t rc;

	if (db == NULL || db->hs == NULL || scratch == NULL || max_hits == 0 || len == 0)
		return 0;
	rc = hs_scan(db->hs, (const char *)payload, len, 0, scratch, on_match, &c);
	if (nb_candidates != NULL)
		*nb_candidates += c.nb_candidates;
	if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED)
		return rc < 0 ? rc : -rc;
	return (int)c.nb_hits;
}
