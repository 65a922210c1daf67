/*
 * checker.c - the framing oracle (checker.h): buffers the header block in the
 * caller's memory, judges it when it ends, then follows the body (counted,
 * and decoded when an NPH response is chunked) without storing it.
 */
#include "checker.h"
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum { PH_HEADERS, PH_BODY, PH_DISCARD };

/* The chunked decoder's states (RFC 9112 §7.1). */
enum {
	CS_SIZE0,
	CS_SIZE,
	CS_EXT_BWS,
	CS_EXT,
	CS_SIZE_LF,
	CS_DATA,
	CS_DATA_CR,
	CS_DATA_LF,
	CS_TRAILER0,
	CS_TRAILER_NAME,
	CS_TRAILER_VALUE,
	CS_TRAILER_LF,
	CS_END_LF,
	CS_DONE,
	CS_ERROR
};

static const struct {
	const char *name, *reason;
	bool violation;
} codes[] = {
#define ROW_(n, v, r) { "RSP_CHECK_" #n, r, v },
	RSP_CHECK_MAP(ROW_)
#undef ROW_
};

const char *rsp_check_name(enum rsp_check_code code)
{
	return (unsigned)code < RSP_CHECK_NCODES ? codes[code].name : "?";
}

const char *rsp_check_reason(enum rsp_check_code code)
{
	return (unsigned)code < RSP_CHECK_NCODES ? codes[code].reason : "?";
}

bool rsp_check_is_violation(enum rsp_check_code code)
{
	return (unsigned)code < RSP_CHECK_NCODES && codes[code].violation;
}

static void note(struct rsp_check *c, enum rsp_check_code code, unsigned line,
    const char *text, size_t text_len, unsigned long long num,
    unsigned long long num2)
{
	struct rsp_check_note n = { code, c->flavour, line, text, text_len, num,
		num2 };
	if (codes[code].violation) {
		if (c->rep.violations++ == 0) {
			c->rep.verdict = code;
			c->rep.reason = codes[code].reason;
			c->rep.first = n;
		}
	} else {
		c->rep.warnings++;
	}
	if (c->note_fn != NULL)
		c->note_fn(c->note_arg, &n);
}

void rsp_check_init(struct rsp_check *c, enum rsp_check_flavour flavour,
    unsigned flags, char *hdr, size_t cap, rsp_check_note_fn *fn, void *arg)
{
	memset(c, 0, sizeof(*c));
	c->flavour = flavour;
	c->flags = flags;
	c->note_fn = fn;
	c->note_arg = arg;
	c->hdr = hdr;
	c->cap = cap;
	c->phase = PH_HEADERS;
	c->cstate = CS_SIZE0;
	c->rep.verdict = RSP_CHECK_OK;
	c->rep.reason = codes[RSP_CHECK_OK].reason;
	c->rep.status_reason = "";
}

/* ---- the header block ---------------------------------------------------- */

static bool split_line(const char *p, size_t len, size_t *pos,
    struct rsp_check_line *l)
{
	if (*pos >= len)
		return false;
	const char *nl = memchr(p + *pos, '\n', len - *pos);
	l->p = p + *pos;
	if (nl != NULL) {
		size_t end = (size_t)(nl - p);
		l->term = 1;
		if (end > *pos && p[end - 1] == '\r') {
			end--;
			l->term = 2;
		}
		l->len = end - *pos;
		*pos = (size_t)(nl - p) + 1;
	} else {
		l->len = len - *pos;
		l->term = 0;
		*pos = len;
	}
	const char *colon = memchr(l->p, ':', l->len);
	l->name_len = colon != NULL ? (size_t)(colon - l->p) : 0;
	return true;
}

bool rsp_check_next_line(const struct rsp_check *c, size_t *pos,
    struct rsp_check_line *l)
{
	return split_line(c->hdr, c->rep.header_len, pos, l);
}

/* 1*DIGIT, of any size. */
static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

static bool is_ctl(unsigned char ch)
{
	return !(rsp__ctype[ch] & RSP__VCHAR);
}

static bool bodiless(int st)
{
	return (st >= 100 && st < 200) || st == 204 || st == 304;
}

/* "ddd reason": 0 with a reason, 1 without the space and reason, -1 bad. */
static int parse_code(const char *v, size_t n, int *code, const char **reason,
    size_t *rlen)
{
	if (n < 3 || v[0] < '0' || v[0] > '9' || v[1] < '0' || v[1] > '9' ||
	    v[2] < '0' || v[2] > '9')
		return -1;
	*code = (v[0] - '0') * 100 + (v[1] - '0') * 10 + (v[2] - '0');
	if (n == 3) {
		*reason = v + 3;
		*rlen = 0;
		return 1;
	}
	if (v[3] != ' ')
		return -1;
	*reason = v + 4;
	*rlen = n - 4;
	return 0;
}

static void check_code(struct rsp_check *c, unsigned no, int rc, int code,
    const char *what)
{
	if (code < 100) {
		note(c, RSP_CHECK_CODE_BELOW_100, no, NULL, 0, (unsigned)code,
		    0);
		return;
	}
	if (rc == 1)
		note(c, RSP_CHECK_NO_REASON, no, what, strlen(what),
		    (unsigned)code, 0);
	if (code < 200)
		note(c, RSP_CHECK_INFORMATIONAL, no, NULL, 0, (unsigned)code,
		    0);
	else if (code > 599)
		note(c, RSP_CHECK_ABOVE_599, no, NULL, 0, (unsigned)code, 0);
}

static bool has_scheme(const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0 ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	while (i < n &&
	    ((rsp__ctype[(unsigned char)s[i]] & RSP__LDH) || s[i] == '+' ||
	        s[i] == '.'))
		i++;
	return i < n && s[i] == ':';
}

/* Transfer-Encoding of an NPH response: chunked, if present, must be the
 * final coding and applied once (RFC 9112 §6.1). */
static void transfer_codings(struct rsp_check *c, const char *v, size_t vl,
    unsigned no)
{
	size_t i = 0;
	bool bad = false;
	while (i < vl) {
		while (i < vl && (rsp__is_ws(v[i]) || v[i] == ','))
			i++;
		size_t b = i;
		while (i < vl && v[i] != ',' && v[i] != ';' &&
		    !rsp__is_ws(v[i]))
			i++;
		size_t n = i - b;
		while (i < vl && v[i] != ',')
			i++;
		if (n == 0)
			continue;
		if (c->chunked)
			bad = true;
		c->chunked = RSP__IS(v + b, n, "chunked");
	}
	if (bad)
		note(c, RSP_CHECK_TE_NOT_LAST, no, v, vl, 0, 0);
}

static bool connection_field(const char *s, size_t nl)
{
	return RSP__IS(s, nl, "Transfer-Encoding") ||
	    RSP__IS(s, nl, "Connection") || RSP__IS(s, nl, "Keep-Alive") ||
	    RSP__IS(s, nl, "Proxy-Connection") || RSP__IS(s, nl, "Upgrade");
}

static bool has_upper(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return true;
	return false;
}

static void status_field(struct rsp_check *c, const char *raw_v, size_t rawl,
    unsigned no)
{
	int code = 0;
	if (++c->n_status > 1) {
		note(c, RSP_CHECK_STATUS_TWICE, no, NULL, 0, 0, 0);
		return;
	}
	int rc = parse_code(raw_v, rawl, &code, &c->rep.status_reason,
	    &c->rep.status_reason_len);
	if (rc < 0) {
		c->rep.bad_status = raw_v;
		c->rep.bad_status_len = rawl;
		note(c, RSP_CHECK_BAD_STATUS, no, raw_v, rawl, 0, 0);
		return;
	}
	c->rep.status = code;
	check_code(c, no, rc, code, "Status");
}

static void content_length(struct rsp_check *c, const char *v, size_t vl,
    unsigned no)
{
	if (++c->n_clen > 1) {
		note(c, RSP_CHECK_CLEN_TWICE, no, NULL, 0, 0, 0);
		c->clen_ok = false;
		return;
	}
	/* The library's parser; digits past 2^63-1 are a number too, larger
	 * than any body (so a mismatch, not "not a number"). */
	int64_t x = rsp__parse_content_length(v, vl);
	if (x < 0 && !all_digits(v, vl)) {
		note(c, RSP_CHECK_CLEN_NOT_NUMBER, no, v, vl, 0, 0);
		return;
	}
	c->clen_ok = true;
	c->clen = x >= 0 ? (unsigned long long)x : ~0ULL;
	c->clen_text = v;
	c->clen_text_len = vl > 40 ? 40 : vl;
}

/* A line's name is a token and a colon follows: report the first defect. */
static bool field_syntax(struct rsp_check *c, const char *s, size_t n,
    unsigned no, size_t *name_len)
{
	if (n > 0 && rsp__is_ws(s[0])) {
		note(c, RSP_CHECK_OBS_FOLD, no, s, n, 0, 0);
		return false;
	}
	const char *colon = memchr(s, ':', n);
	if (colon == NULL) {
		if (c->flavour != RSP_CHECK_NPH && no == 1 && n >= 5 &&
		    memcmp(s, "HTTP/", 5) == 0)
			note(c, RSP_CHECK_CGI_HTTP_LINE, no, s, n, 0, 0);
		else
			note(c, RSP_CHECK_NOT_FIELD, no, s, n, 0, 0);
		return false;
	}
	size_t nl = (size_t)(colon - s);
	if (nl == 0 || !rsp__is_token(s, nl)) {
		if (nl > 0 && rsp__is_ws(s[nl - 1]))
			note(c, RSP_CHECK_WS_BEFORE_COLON, no, s, n, 0, 0);
		else if (nl == 0)
			note(c, RSP_CHECK_EMPTY_NAME, no, s, n, 0, 0);
		else
			note(c, RSP_CHECK_NAME_NOT_TOKEN, no, s, n, 0, 0);
		return false;
	}
	*name_len = nl;
	return true;
}

static void check_field(struct rsp_check *c, const char *s, size_t n,
    unsigned no)
{
	size_t nl;
	if (!field_syntax(c, s, n, no, &nl))
		return;
	const char *v = s + nl + 1, *end = s + n;
	for (const char *p = v; p < end; p++)
		if (is_ctl((unsigned char)*p)) {
			note(c, RSP_CHECK_CTL_IN_VALUE, no, s, nl,
			    (unsigned char)*p, 0);
			break;
		}
	while (v < end && rsp__is_ws(*v))
		v++;
	const char *raw_v = v; /* trailing whitespace kept (Status) */
	while (end > v && rsp__is_ws(end[-1]))
		end--;
	size_t vl = (size_t)(end - v);
	bool cgi = c->flavour != RSP_CHECK_NPH, h2 = c->flavour == RSP_CHECK_H2;

	if (cgi && RSP__IS(s, nl, "Status")) {
		status_field(c, raw_v, (size_t)(s + n - raw_v), no);
		return;
	}
	if (h2 && has_upper(s, nl))
		note(c, RSP_CHECK_H2_UPPERCASE, no, s, nl, 0, 0);
	if (h2 && end < s + n)
		note(c, RSP_CHECK_H2_VALUE_WS, no, s, nl, 0, 0);
	c->n_fields++;
	if (RSP__IS(s, nl, "Content-Type")) {
		if (++c->n_ctype > 1)
			note(c, RSP_CHECK_CTYPE_TWICE, no, NULL, 0, 0, 0);
	} else if (RSP__IS(s, nl, "Location")) {
		c->n_fields--;
		if (++c->n_location > 1) {
			note(c, RSP_CHECK_LOCATION_TWICE, no, NULL, 0, 0, 0);
		} else {
			c->location = v;
			c->location_len = vl;
			if (!(vl > 0 && v[0] == '/' &&
			        (vl == 1 || v[1] != '/')) &&
			    !has_scheme(v, vl))
				note(c, RSP_CHECK_RELATIVE_LOCATION, no, v, vl,
				    0, 0);
		}
	} else if (RSP__IS(s, nl, "Content-Length")) {
		content_length(c, v, vl, no);
	} else if (connection_field(s, nl) ||
	    (h2 && RSP__IS(s, nl, "TE") && !RSP__IS(v, vl, "trailers"))) {
		if (RSP__IS(s, nl, "Transfer-Encoding")) {
			c->n_te++;
			if (!cgi)
				transfer_codings(c, v, vl, no);
		}
		if (h2)
			note(c, RSP_CHECK_H2_CONN_FIELD, no, s, nl, 0, 0);
		else if (cgi)
			note(c, RSP_CHECK_CONN_FIELD_CGI, no, s, nl, 0, 0);
	}
}

static void check_status_line(struct rsp_check *c, const char *s, size_t n)
{
	int code = 0, rc = -1;
	if (n >= 9 && memcmp(s, "HTTP/1.", 7) == 0 && s[7] >= '0' &&
	    s[7] <= '9' && s[8] == ' ')
		rc = parse_code(s + 9, n - 9, &code, &c->rep.status_reason,
		    &c->rep.status_reason_len);
	/* reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ) */
	for (size_t i = 9; rc >= 0 && i < n; i++)
		if (is_ctl((unsigned char)s[i]))
			rc = -1;
	if (rc < 0) {
		note(c, RSP_CHECK_BAD_STATUS_LINE, 1, s, n, 0, 0);
		return;
	}
	c->http10 = s[7] == '0';
	c->rep.status = code;
	check_code(c, 1, rc, code, "status");
}

/* The header block is hdr[0..len): judge it line by line, then whole. */
static void header_block(struct rsp_check *c, size_t len, bool ended)
{
	const char *p = c->hdr;
	size_t pos = 0;
	unsigned no = 0;
	struct rsp_check_line l;
	bool nph = c->flavour == RSP_CHECK_NPH;

	c->rep.header_len = len;
	c->rep.header_ended = ended;
	if (nph &&
	    (len == 0 || p[0] == '\n' ||
	        (len > 1 && p[0] == '\r' && p[1] == '\n')))
		note(c, RSP_CHECK_BAD_STATUS_LINE, 1, "", 0, 0, 0);
	while (split_line(p, len, &pos, &l)) {
		no++;
		if ((c->flags & RSP_CHECK_CRLF) && l.term == 1)
			note(c, RSP_CHECK_BARE_LF, no, NULL, 0, 0, 0);
		if (l.len == 0 && l.term > 0)
			break; /* the empty line ending the block */
		if (nph && no == 1)
			check_status_line(c, l.p, l.len);
		else
			check_field(c, l.p, l.len, no);
	}
	int st = c->rep.status;
	if (!nph) {
		if (c->n_status == 0) {
			if (c->n_ctype == 0 && c->n_location == 0)
				note(c, RSP_CHECK_NO_CGI_FIELD, 0, NULL, 0, 0,
				    0);
			c->rep.status = c->n_location ? 302 : 200;
			c->rep.status_reason = c->n_location ? "Found" : "OK";
			c->rep.status_reason_len = strlen(c->rep.status_reason);
		}
	} else if (c->n_te) {
		if (c->n_clen)
			note(c, RSP_CHECK_TE_AND_CLEN, 0, NULL, 0, 0, 0);
		if ((st >= 100 && st < 200) || st == 204)
			note(c, RSP_CHECK_TE_FORBIDDEN, 0, NULL, 0,
			    (unsigned)st, 0);
		if (c->http10)
			note(c, RSP_CHECK_TE_HTTP10, 0, NULL, 0, 0, 0);
	}
	/* A body is decoded as chunks only where one may be. */
	if (!nph || (c->flags & RSP_CHECK_HEAD) || bodiless(st))
		c->chunked = false;
	if (!ended)
		note(c, RSP_CHECK_BLOCK_UNENDED, 0, NULL, 0, 0, 0);
}

/* ---- the body ------------------------------------------------------------ */

static void chunk_bad(struct rsp_check *c, const char *what,
    unsigned long long at)
{
	note(c, RSP_CHECK_CHUNK_BAD, 0, what, strlen(what), at, 0);
	c->cstate = CS_ERROR;
}

/* An LF where the framing wants CRLF: accepted unless RSP_CHECK_CRLF. */
static bool bare_lf_ok(struct rsp_check *c, unsigned long long at)
{
	if (!(c->flags & RSP_CHECK_CRLF))
		return true;
	chunk_bad(c, "a bare LF in the chunk framing", at);
	return false;
}

/* Where a chunk-size line ends: data follows, or the trailer if size 0. */
static int after_size_line(const struct rsp_check *c)
{
	return c->csize ? CS_DATA : CS_TRAILER0;
}

/* A CR or LF ending a framing line: after the CR the state is cr_next (its
 * LF is due), after a bare LF lf_next, if bare_lf_ok allows one.  False
 * when ch is neither. */
static bool line_end(struct rsp_check *c, char ch, unsigned long long at,
    int cr_next, int lf_next)
{
	if (ch == '\r')
		c->cstate = cr_next;
	else if (ch != '\n')
		return false;
	else if (bare_lf_ok(c, at))
		c->cstate = lf_next;
	return true;
}

/* The first byte of a chunk size: it must be a hex digit. */
static const char *cs_size0(struct rsp_check *c, char ch, unsigned long long at)
{
	int v = rsp__hexval((unsigned char)ch);
	(void)at;
	const char *bad = NULL;
	if (v < 0) {
		bad = "a chunk size that is not hexadecimal";
		v = 0;
	}
	c->csize = (unsigned)v;
	c->cstate = CS_SIZE;
	return bad;
}

/* Further size digits, or what may end the size: extension, BWS, EOL. */
static const char *cs_size(struct rsp_check *c, char ch, unsigned long long at)
{
	int v = rsp__hexval((unsigned char)ch);
	const char *bad = NULL;
	if (v >= 0) {
		if (c->csize >> 56)
			bad = "a chunk size over 2^60";
		c->csize = c->csize * 16 + (unsigned)v;
	} else if (ch == ';') {
		c->cstate = CS_EXT;
	} else if (rsp__is_ws(ch)) {
		c->cstate = CS_EXT_BWS;
	} else if (!line_end(c, ch, at, CS_SIZE_LF, after_size_line(c))) {
		bad = "a byte after a chunk size that is not a chunk "
		      "extension";
	}
	return bad;
}

/* Whitespace after the size is allowed only before an extension. */
static const char *cs_ext_bws(struct rsp_check *c, char ch,
    unsigned long long at)
{
	(void)at;
	if (ch == ';')
		c->cstate = CS_EXT;
	else if (!rsp__is_ws(ch))
		return "whitespace after a chunk size without a chunk "
		       "extension";
	return NULL;
}

/* A chunk extension is skipped up to its line end, controls refused. */
static const char *cs_ext(struct rsp_check *c, char ch, unsigned long long at)
{
	if (!line_end(c, ch, at, CS_SIZE_LF, after_size_line(c)) &&
	    is_ctl((unsigned char)ch))
		return "a control byte in a chunk extension";
	return NULL;
}

/* The LF of the CRLF that ends a chunk-size line. */
static const char *cs_size_lf(struct rsp_check *c, char ch,
    unsigned long long at)
{
	(void)at;
	c->cstate = after_size_line(c);
	return ch != '\n' ? "a CR without LF after a chunk size" : NULL;
}

/* The line end owed right after chunk data. */
static const char *cs_data_cr(struct rsp_check *c, char ch,
    unsigned long long at)
{
	if (!line_end(c, ch, at, CS_DATA_LF, CS_SIZE0))
		return "chunk data longer than its size (no CRLF after it)";
	return NULL;
}

/* The LF of the CRLF after chunk data. */
static const char *cs_data_lf(struct rsp_check *c, char ch,
    unsigned long long at)
{
	(void)at;
	c->cstate = CS_SIZE0;
	return ch != '\n' ? "a CR without LF after chunk data" : NULL;
}

/* A trailer line's first byte: the empty line ends the message. */
static const char *cs_trailer0(struct rsp_check *c, char ch,
    unsigned long long at)
{
	if (line_end(c, ch, at, CS_END_LF, CS_DONE))
		return NULL;
	if (!(rsp__ctype[(unsigned char)ch] & RSP__TCHAR))
		return "a trailer line that is not name: value";
	c->cstate = CS_TRAILER_NAME;
	return NULL;
}

/* A trailer field name: token bytes up to the colon. */
static const char *cs_trailer_name(struct rsp_check *c, char ch,
    unsigned long long at)
{
	(void)at;
	if (ch == ':')
		c->cstate = CS_TRAILER_VALUE;
	else if (!(rsp__ctype[(unsigned char)ch] & RSP__TCHAR))
		return "a trailer field name that is not a token";
	return NULL;
}

/* A trailer field value up to its line end, controls refused. */
static const char *cs_trailer_value(struct rsp_check *c, char ch,
    unsigned long long at)
{
	if (!line_end(c, ch, at, CS_TRAILER_LF, CS_TRAILER0) &&
	    is_ctl((unsigned char)ch))
		return "a control byte in a trailer field";
	return NULL;
}

/* The LF after a CR in the trailer section: a field's or the last line's. */
static const char *cs_trailer_lf(struct rsp_check *c, char ch,
    unsigned long long at)
{
	(void)at;
	c->cstate = c->cstate == CS_END_LF ? CS_DONE : CS_TRAILER0;
	return ch != '\n' ? "a CR without LF in the trailer section" : NULL;
}

/* Each byte-wise state's handler (CS_DATA takes runs, in chunk_step);
 * a handler returns what is wrong with the byte, or NULL. */
static const char *(*const cs_byte[])(struct rsp_check *, char,
    unsigned long long) = {
	[CS_SIZE0] = cs_size0,
	[CS_SIZE] = cs_size,
	[CS_EXT_BWS] = cs_ext_bws,
	[CS_EXT] = cs_ext,
	[CS_SIZE_LF] = cs_size_lf,
	[CS_DATA_CR] = cs_data_cr,
	[CS_DATA_LF] = cs_data_lf,
	[CS_TRAILER0] = cs_trailer0,
	[CS_TRAILER_NAME] = cs_trailer_name,
	[CS_TRAILER_VALUE] = cs_trailer_value,
	[CS_TRAILER_LF] = cs_trailer_lf,
	[CS_END_LF] = cs_trailer_lf,
};

/* One step of the decoder over d[*i]; data runs are taken whole. */
static void chunk_step(struct rsp_check *c, const char *d, size_t n, size_t *i,
    unsigned long long at)
{
	if (c->cstate == CS_DATA) {
		size_t take = n - *i;
		if (take > c->csize)
			take = (size_t)c->csize;
		c->csize -= take;
		*i += take - 1;
		if (c->csize == 0)
			c->cstate = CS_DATA_CR;
		return;
	}
	if ((unsigned)c->cstate >= sizeof(cs_byte) / sizeof(cs_byte[0]) ||
	    cs_byte[c->cstate] == NULL)
		return;
	/* On a defect the state becomes CS_ERROR, whatever the handler set. */
	const char *bad = cs_byte[c->cstate](c, d[*i], at);
	if (bad != NULL)
		chunk_bad(c, bad, at);
}

static void body_bytes(struct rsp_check *c, const char *d, size_t n)
{
	unsigned long long base = c->rep.body_len;
	c->rep.body_len += n;
	if (!c->chunked)
		return;
	size_t i = 0;
	for (; i < n && c->cstate < CS_DONE; i++)
		chunk_step(c, d, n, &i, base + i);
	if (c->cstate == CS_DONE)
		c->after_end += n - i;
}

/* ---- feeding and finishing --------------------------------------------- */

size_t rsp_check_feed(struct rsp_check *c, const void *buf, size_t len)
{
	const char *d = buf;
	if (len == 0 || c->finished)
		return len;
	c->any_output = true;
	if (c->phase == PH_BODY) {
		body_bytes(c, d, len);
		return 0;
	}
	if (c->phase == PH_DISCARD)
		return len;
	size_t old = c->hlen, room = c->cap - c->hlen;
	size_t take = len < room ? len : room;
	memcpy(c->hdr + c->hlen, d, take);
	c->hlen += take;
	for (;;) {
		char *nl = memchr(c->hdr + c->scan, '\n', c->hlen - c->scan);
		if (nl == NULL)
			break;
		size_t ll = (size_t)(nl - (c->hdr + c->scan));
		if (ll == 0 || (ll == 1 && c->hdr[c->scan] == '\r')) {
			size_t end = (size_t)(nl - c->hdr) + 1,
			       from_d = end - old;
			c->phase = PH_BODY;
			header_block(c, end, true);
			body_bytes(c, d + from_d, len - from_d);
			return from_d;
		}
		c->scan = (size_t)(nl - c->hdr) + 1;
	}
	c->rep.header_len = c->hlen;
	if (c->hlen == c->cap) {
		c->phase = PH_DISCARD;
		note(c, RSP_CHECK_BLOCK_TOO_LONG, 0, NULL, 0, c->cap, 0);
	}
	return len;
}

bool rsp_check_in_body(const struct rsp_check *c)
{
	return c->phase == PH_BODY;
}

void rsp_check_peek(const struct rsp_check *c, struct rsp_check_report *r)
{
	*r = c->rep;
}

static void body_checks(struct rsp_check *c)
{
	unsigned long long b = c->rep.body_len;
	int st = c->rep.status;
	bool head = c->flags & RSP_CHECK_HEAD,
	     nph = c->flavour == RSP_CHECK_NPH;

	if (head && b)
		note(c, RSP_CHECK_HEAD_BODY, 0, NULL, 0, b, 0);
	if ((bodiless(st) || st == 205) && b)
		note(c, RSP_CHECK_BODY_FORBIDDEN, 0, NULL, 0, b, (unsigned)st);
	if (c->n_clen && ((st >= 100 && st < 200) || st == 204))
		note(c, RSP_CHECK_CLEN_FORBIDDEN, 0, NULL, 0, (unsigned)st, 0);
	else if (c->n_clen == 1 && c->clen_ok && st == 205 && c->clen != 0)
		note(c, RSP_CHECK_CLEN_205, 0, c->clen_text, c->clen_text_len,
		    c->clen, 0);
	else if (c->n_clen == 1 && c->clen_ok && !head && st != 304 &&
	    !(nph && c->n_te) && c->clen != b)
		note(c, RSP_CHECK_CLEN_MISMATCH, 0, c->clen_text,
		    c->clen_text_len, c->clen, b);
	if (c->chunked && c->cstate < CS_DONE)
		note(c, RSP_CHECK_CHUNK_UNENDED, 0, NULL, 0, b, 0);
	if (c->chunked && c->after_end)
		note(c, RSP_CHECK_CHUNK_AFTER_END, 0, NULL, 0, c->after_end, 0);
	if (b && !c->n_ctype)
		note(c, RSP_CHECK_NO_CTYPE, 0, NULL, 0, b, 0);
	if (!nph && !c->n_status && c->location != NULL) {
		const char *l = c->location;
		size_t ll = c->location_len;
		bool local = ll > 0 && l[0] == '/' && (ll == 1 || l[1] != '/');
		if (local && (c->n_fields || b))
			note(c, RSP_CHECK_LOCAL_REDIRECT, 0, l, ll, 0, 0);
		else if (!local && b)
			note(c, RSP_CHECK_REDIRECT_BODY, 0, NULL, 0, b, 0);
	}
}

enum rsp_check_code rsp_check_finish(struct rsp_check *c,
    struct rsp_check_report *r)
{
	if (!c->finished) {
		c->finished = true;
		if (!c->any_output)
			note(c, RSP_CHECK_NO_OUTPUT, 0, NULL, 0, 0, 0);
		else if (c->phase == PH_HEADERS)
			header_block(c, c->hlen, false);
		else if (c->phase == PH_BODY)
			body_checks(c);
	}
	if (r != NULL)
		*r = c->rep;
	return c->rep.verdict;
}

/* ---- rendering a note ---------------------------------------------------- */

struct out {
	char *p;
	size_t size, len;
};

static void put(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++, o->len++)
		if (o->len + 1 < o->size)
			o->p[o->len] = s[i];
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void putf(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void putf(struct out *o, const char *fmt, ...)
{
	char tmp[160];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(o, tmp,
		    (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* "..." with C-style escapes, at most 60 bytes of s shown. */
static void putq(struct out *o, const char *s, size_t n)
{
	size_t shown = n > 60 ? 60 : n;
	puts_(o, "\"");
	for (size_t i = 0; i < shown; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			char e[2] = { '\\', (char)ch };
			put(o, e, 2);
		} else if (ch == '\r') {
			puts_(o, "\\r");
		} else if (ch == '\n') {
			puts_(o, "\\n");
		} else if (ch == '\t') {
			puts_(o, "\\t");
		} else if (ch < 0x20 || ch >= 0x7f) {
			putf(o, "\\x%02X", ch);
		} else {
			put(o, s + i, 1);
		}
	}
	puts_(o, shown < n ? "\"..." : "\"");
}

static const char *body_section(unsigned long long st)
{
	switch (st) {
	case 204:
		return "15.3.5";
	case 205:
		return "15.3.6";
	case 304:
		return "15.4.5";
	default:
		return "15.2";
	}
}

/* Each finding's words.  %l the line, %q the text quoted, %t the text as
 * it is (%T up to a NUL), %n and %m the numbers (%3 the first as three
 * digits, %x as two hex digits), %b the RFC 9110 section on a status
 * without content, %s and %r the rule by flavour (a field twice; a status
 * without a reason). */
static const char *const messages[RSP_CHECK_NCODES] = {
	[RSP_CHECK_OK] = "well-formed",
	[RSP_CHECK_NO_OUTPUT] =
	    "no output (RFC 3875 §6.1: a script MUST always "
	    "provide a non-empty response)",
	[RSP_CHECK_OBS_FOLD] = "line %l starts with whitespace (obsolete line "
	                       "folding, RFC 9112 §5.2): %q",
	[RSP_CHECK_CGI_HTTP_LINE] =
	    "line 1 is an HTTP status line, %q, but a CGI "
	    "program must send \"Status: ddd reason\" (RFC 3875 §6.3.3; an NPH "
	    "program needs --nph or an nph- name)",
	[RSP_CHECK_NOT_FIELD] = "line %l is not \"name: value\": %q",
	[RSP_CHECK_WS_BEFORE_COLON] =
	    "line %l has whitespace between the field "
	    "name and the colon (RFC 9112 §5.1): %q",
	[RSP_CHECK_EMPTY_NAME] = "line %l has an empty field name: %q",
	[RSP_CHECK_NAME_NOT_TOKEN] =
	    "line %l: the field name is not a token (RFC "
	    "9110 §5.1): %q",
	[RSP_CHECK_CTL_IN_VALUE] =
	    "line %l: the value of %q contains the control "
	    "byte 0x%x (RFC 9110 §5.5)",
	[RSP_CHECK_BARE_LF] = "line %l ends in a bare LF, not CRLF (RFC 9112 "
	                      "§2.2)",
	[RSP_CHECK_STATUS_TWICE] = "line %l: a second Status field (%s)",
	[RSP_CHECK_BAD_STATUS] =
	    "line %l: malformed Status %q: expected \"Status: "
	    "ddd reason\" (RFC 3875 §6.3.3)",
	[RSP_CHECK_BAD_STATUS_LINE] =
	    "line 1 is not an HTTP status line "
	    "\"HTTP/1.x ddd reason\" (RFC 3875 §5.2: an NPH program sends a "
	    "complete HTTP response): %q",
	[RSP_CHECK_CODE_BELOW_100] =
	    "line %l: status code %3 is below 100 (RFC "
	    "9110 §15)",
	[RSP_CHECK_CTYPE_TWICE] = "line %l: a second Content-Type field (%s)",
	[RSP_CHECK_LOCATION_TWICE] = "line %l: a second Location field (%s)",
	[RSP_CHECK_CLEN_TWICE] = "line %l: a second Content-Length field (RFC "
	                         "9110 §8.6)",
	[RSP_CHECK_CLEN_NOT_NUMBER] =
	    "line %l: Content-Length %q is not a decimal "
	    "number (RFC 9110 §8.6)",
	[RSP_CHECK_CONN_FIELD_CGI] =
	    "line %l: %q from a CGI program (RFC 3875 "
	    "§6.3.4: the server owns the connection; only NPH programs may send "
	    "it)",
	[RSP_CHECK_H2_CONN_FIELD] = "line %l: %q is connection-specific, which "
	                            "HTTP/2 forbids (RFC 9113 §8.2.2)",
	[RSP_CHECK_H2_UPPERCASE] =
	    "line %l: the field name %q has upper-case "
	    "letters, which HTTP/2 forbids (RFC 9113 §8.2.1)",
	[RSP_CHECK_H2_VALUE_WS] =
	    "line %l: the value of %q ends in whitespace, "
	    "which HTTP/2 forbids (RFC 9113 §8.2.1)",
	[RSP_CHECK_NO_CGI_FIELD] =
	    "no Status, Content-Type or Location field (RFC "
	    "3875 §6.3: at least one CGI field MUST be supplied)",
	[RSP_CHECK_TE_AND_CLEN] =
	    "both Transfer-Encoding and Content-Length (RFC "
	    "9112 §6.1)",
	[RSP_CHECK_TE_FORBIDDEN] = "Transfer-Encoding with status %n (RFC 9112 "
	                           "§6.1)",
	[RSP_CHECK_TE_HTTP10] =
	    "Transfer-Encoding in an HTTP/1.0 response (RFC "
	    "9112 §6.1)",
	[RSP_CHECK_TE_NOT_LAST] =
	    "line %l: in Transfer-Encoding %q, chunked is "
	    "applied twice or is not the final coding (RFC 9112 §6.1)",
	[RSP_CHECK_BLOCK_UNENDED] =
	    "the header block never ends: the output "
	    "stopped before the empty line that ends it",
	[RSP_CHECK_BLOCK_TOO_LONG] =
	    "the header block is longer than %n bytes (no "
	    "empty line in the first %n bytes of output); the rest is discarded",
	[RSP_CHECK_HEAD_BODY] =
	    "a %n-byte body in the response to HEAD (RFC 3875 "
	    "§4.3.3)",
	[RSP_CHECK_BODY_FORBIDDEN] = "a %n-byte body with status %m (RFC 9110 "
	                             "§%b)",
	[RSP_CHECK_CLEN_FORBIDDEN] = "Content-Length with status %n (RFC 9110 "
	                             "§8.6)",
	[RSP_CHECK_CLEN_205] =
	    "Content-Length is %t with status 205, which has "
	    "no content (RFC 9110 §15.3.6)",
	[RSP_CHECK_CLEN_MISMATCH] = "Content-Length is %t but the body has %m "
	                            "bytes",
	[RSP_CHECK_CHUNK_BAD] =
	    "chunked body: %t at body byte %n (RFC 9112 §7.1)",
	[RSP_CHECK_CHUNK_UNENDED] =
	    "the chunked body ends before its last chunk "
	    "and final CRLF (RFC 9112 §7.1)",
	[RSP_CHECK_CHUNK_AFTER_END] =
	    "%n bytes after the end of the chunked body "
	    "(RFC 9112 §7.1)",
	[RSP_CHECK_LOCAL_REDIRECT] =
	    "a local redirect (Location: %T without "
	    "Status) with other header fields or a body (RFC 3875 §6.2.2)",
	[RSP_CHECK_NO_REASON] = "line %l: %t %3 has no space and reason phrase "
	                        "after the code (%r)",
	[RSP_CHECK_INFORMATIONAL] = "line %l: informational status %n as the "
	                            "final status",
	[RSP_CHECK_ABOVE_599] =
	    "line %l: status code %n is outside 100..599 (RFC "
	    "9110 §15)",
	[RSP_CHECK_RELATIVE_LOCATION] =
	    "line %l: Location %q is neither an "
	    "absolute URI nor an absolute path (RFC 3875 §6.3.2)",
	[RSP_CHECK_NO_CTYPE] = "a %n-byte body without Content-Type (RFC 3875 "
	                       "§6.3.1)",
	[RSP_CHECK_REDIRECT_BODY] =
	    "a client redirect with a body but without "
	    "Status (RFC 3875 §6.2.4: Status: 302 Found MUST be supplied)",
};

/* One %-directive of a message. */
static void directive(struct out *o, char d, const struct rsp_check_note *n)
{
	bool nph = n->flavour == RSP_CHECK_NPH;
	const char *nul;

	switch (d) {
	case 'l':
		putf(o, "%u", n->line);
		break;
	case 'q':
		putq(o, n->text, n->text_len);
		break;
	case 't':
		put(o, n->text, n->text_len);
		break;
	case 'T':
		/* The value up to a NUL, as a C string would show it. */
		nul = n->text_len ? memchr(n->text, '\0', n->text_len) : NULL;
		put(o, n->text, nul ? (size_t)(nul - n->text) : n->text_len);
		break;
	case 'n':
		putf(o, "%llu", n->num);
		break;
	case 'm':
		putf(o, "%llu", n->num2);
		break;
	case '3':
		putf(o, "%03u", (unsigned)n->num);
		break;
	case 'x':
		putf(o, "%02X", (unsigned)n->num);
		break;
	case 'b':
		puts_(o, body_section(n->num2));
		break;
	case 's':
		puts_(o,
		    nph ? "RFC 9110 §5.3"
		        : "RFC 3875 §6.3: a CGI field MUST "
		          "NOT appear more than once");
		break;
	case 'r':
		puts_(o, nph ? "RFC 9112 §4" : "RFC 3875 §6.3.3");
		break;
	default:
		break;
	}
}

int rsp_check_format(const struct rsp_check_note *n, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	const char *m =
	    (unsigned)n->code < RSP_CHECK_NCODES && messages[n->code] != NULL
	    ? messages[n->code]
	    : "?";

	for (; *m != '\0'; m++) {
		if (*m != '%')
			put(&o, m, 1);
		else if (*++m != '\0')
			directive(&o, *m, n);
		else
			break;
	}
	if (o.size > 0)
		o.p[o.len < o.size ? o.len : o.size - 1] = '\0';
	return o.len > 0x7fffffff ? 0x7fffffff : (int)o.len;
}
