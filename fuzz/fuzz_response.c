/*
 * fuzz_response.c - libFuzzer target for the response side: input -> API calls
 * on a memory sink; the framing oracle (common/checker.c) judges every output,
 * fed as it grows; only header lines the API accepted may appear; a refused
 * call writes nothing.  Any finding aborts.
 */
#define _GNU_SOURCE 1 /* memfd_create */

#include "internal.h"
#include "checker.h"

#include <sys/mman.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FUZZ_NAME "fuzz_response"
#include "fuzz.h"

#define MAX_OPS 64
#define MAX_KEEP 128

struct input {
	const uint8_t *p;
	size_t n;
};

/* Strings handed to the API: NUL-terminated copies, freed at the end. */
struct keep {
	char *v[MAX_OPS * 8];
	size_t n;
};

struct accepted {
	char name[MAX_KEEP][300];
	char value[MAX_KEEP][300];
	size_t n;
	char cookie[MAX_KEEP][300];
	size_t ncookie;
	bool error_json;
};

static uint8_t byte(struct input *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static const uint8_t *bytes(struct input *in, size_t *len)
{
	size_t l = byte(in);
	if (l > in->n)
		l = in->n;
	const uint8_t *p = in->p;
	in->p += l;
	in->n -= l;
	*len = l;
	return p;
}

static char *keep_str(struct keep *k, const void *s, size_t len)
{
	char *c = malloc(len + 1);
	if (c == NULL || k->n == sizeof(k->v) / sizeof(k->v[0]))
		abort();
	if (len)
		memcpy(c, s, len);
	c[len] = '\0';
	k->v[k->n++] = c;
	return c;
}

static const char *const names[] = {
	"Content-Type",
	"X-A",
	"x-b",
	"Content-Length",
	"Server",
	"Date",
	"Connection",
	"Status",
	"Transfer-Encoding",
	"Set-Cookie",
	"Location",
	"bad name",
	"Keep-Alive",
	"Upgrade",
	"",
	"X-\xc3\x9c",
	"X-A:",
	"Cache-Control",
};
static const char *const values[] = {
	"text/plain",
	"",
	" padded ",
	"5",
	"0",
	"abc\r\nX-Injected: 1",
	"a\tb",
	"close",
	"\x7f",
	"10",
	"\xc3\xa9",
	"18446744073709551616",
	"application/json",
	"x\ny",
	"\tlead",
};
static const char *const targets[] = {
	"/protected/a.pdf",
	"/srv/files/b",
	"relative",
	"/a/../b",
	"/x%41",
	"/a?b",
	"/ok\r\nX: y",
	"",
	"/",
	"/dir/",
	"/a/./b",
	"/\x7f",
};
static const char *const messages[] = {
	"OK",
	"",
	"Not \xc3\x9c",
	"bad\r\nline",
	"tab\there",
	"\x01",
};

/* A name or value: from a table, or raw bytes from the input. */
static const char *pick(struct input *in, struct keep *k,
    const char *const *tab, size_t ntab)
{
	uint8_t b = byte(in);
	if (b < 0xC0)
		return tab[b % ntab];
	size_t len;
	const uint8_t *p = bytes(in, &len);
	return keep_str(k, p, len);
}

static const char *pick_msg(struct input *in, struct keep *k)
{
	uint8_t b = byte(in);
	if (b < 0x40)
		return NULL;
	if (b < 0xC0)
		return messages[b % (sizeof(messages) / sizeof(messages[0]))];
	size_t len;
	const uint8_t *p = bytes(in, &len);
	return keep_str(k, p, len);
}

static int pick_code(struct input *in)
{
	static const int codes[] = { 200, 204, 304, 404, 500, 599, 100, 999,
		1000, 199, 301, 418, 0, -1 };
	uint8_t b = byte(in);
	if (b >= 0xF0)
		return (int)(int16_t)((byte(in) << 8) | byte(in));
	return codes[b % (sizeof(codes) / sizeof(codes[0]))];
}

/* The len bytes at src, ASCII letters in lower case, then a NUL. */
static void lower(char *dst, const char *src, size_t len)
{
	for (size_t i = 0; i < len; i++)
		dst[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] | 0x20
		                                               : src[i]);
	dst[len] = '\0';
}

static void accept_header(struct accepted *acc, const char *name,
    const char *value)
{
	if (acc->n == MAX_KEEP || strlen(name) >= 300 || strlen(value) >= 300)
		FAIL("accepted header too long for the table (fuzzer bug)");
	lower(acc->name[acc->n], name, strlen(name));
	strcpy(acc->value[acc->n], value);
	acc->n++;
}

static void nolog(void *ctx, const char *msg, size_t len)
{
	(void)ctx;
	(void)msg;
	(void)len;
}

/* A file of n bytes as the content (the response owns the descriptor). */
static int set_file(rsp_response *res, size_t n)
{
	static const char block[1200] = { 'f' };
	int fd = memfd_create("fuzz_response", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	for (size_t done = 0; done < n; done += sizeof(block))
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			abort();
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	int rc = rsp_set_content_file(res, fd);
	if (rc != RSP_OK)
		close(fd);
	return rc;
}

static int count_bytes(void *arg, const void *data, size_t len)
{
	(void)data;
	*(size_t *)arg += len;
	return RSP_OK;
}

/* ---- the oracle, fed as the output grows ------------------------------ */

/* Raw bytes the handler may write (op 12).  Inside the header block they
 * leave the output to the handler (the library adds nothing to end a
 * block a raw write began); in the body they are the handler's and not
 * fed. */
enum {
	RAW_STATUS,
	RAW_HTTP_LINE,
	RAW_FIELD,
	RAW_END,
	RAW_BODY,
	RAW_FIELD_END,
	RAW_NFRAGS,
	RAW_ARBITRARY = RAW_NFRAGS
};
static const char *const raw_frags[] = {
	"Status: 202 Accepted\r\n",
	"HTTP/1.1 202 Giraffe\r\n",
	"x-raw: 1\r\n",
	"\r\n",
	"raw body",
	"x-raw: 1\r\n\r\nraw body",
};

struct oracle {
	struct rsp_check chk;
	char hdr[65536];
	bool started, judged; /* fed at least once; not left to the handler */
	bool nph;
	size_t fed; /* output bytes looked at */
};

static void oracle_start(struct oracle *o, enum rsp_flavour fl, bool head)
{
	static const enum rsp_check_flavour map[] = { RSP_CHECK_CGI,
		RSP_CHECK_NPH, RSP_CHECK_H2 };
	rsp_check_init(&o->chk, map[fl],
	    (head ? RSP_CHECK_HEAD : 0) | RSP_CHECK_CRLF, o->hdr,
	    sizeof(o->hdr), NULL, NULL);
	o->started = true;
	o->nph = fl == RSP_NPH;
}

/* The bytes one call wrote: fed, skipped (raw body) or the end of
 * judging (raw bytes in the header block: write_raw closes off the
 * status and the header block, so the handler owns the framing). */
static void oracle_take(struct oracle *o, const struct rsp_buffer *out, int raw)
{
	size_t n = out->len - o->fed;
	if (n == 0 || !o->judged)
		goto done;
	const char *d = out->data + o->fed;
	if (raw >= 0 && rsp_check_in_body(&o->chk))
		goto done;
	if (raw >= 0)
		o->judged = false;
	if (o->judged)
		rsp_check_feed(&o->chk, d, n);
done:
	o->fed = out->len;
}

static void oracle_fail(const struct rsp_check_report *r)
{
	char msg[512];
	rsp_check_format(&r->first, msg, sizeof(msg));
	FAIL("oracle: %s: %s", rsp_check_name(r->verdict), msg);
}

/* Is the line name: value one the API accepted, or one respond adds? */
static bool allowed(const struct accepted *acc, const char *name, size_t nlen,
    const char *value, size_t vlen)
{
	char ln[300];
	if (nlen >= sizeof(ln))
		return false;
	lower(ln, name, nlen);
	for (size_t i = 0; i < acc->n; i++)
		if (strcmp(acc->name[i], ln) == 0 &&
		    strlen(acc->value[i]) == vlen &&
		    memcmp(acc->value[i], value, vlen) == 0)
			return true;
	if (strcmp(ln, "content-length") == 0)
		return true; /* the oracle has judged it */
	if (strcmp(ln, "server") == 0)
		return vlen == strlen("respond/" RSP_VERSION) &&
		    memcmp(value, "respond/" RSP_VERSION, vlen) == 0;
	if (strcmp(ln, "date") == 0)
		return vlen == 29 && memcmp(value + 25, " GMT", 4) == 0;
	if (strcmp(ln, "connection") == 0)
		return vlen == 5 && memcmp(value, "close", 5) == 0;
	if (strcmp(ln, "content-type") == 0 && acc->error_json)
		return vlen == 16 && memcmp(value, "application/json", 16) == 0;
	if (strcmp(ln, "set-cookie") == 0)
		for (size_t i = 0; i < acc->ncookie; i++) {
			size_t cl = strlen(acc->cookie[i]);
			if (vlen > cl &&
			    memcmp(value, acc->cookie[i], cl) == 0 &&
			    value[cl] == '=')
				return true;
		}
	return false;
}

/* A call that writes a response may fail once output has begun for a
 * cause outside the response's state (a content callback, memory, a
 * conversion, the sink); what it leaves need only be a well-formed start.
 * Any other failure must come before the first byte. */
static bool midway(int rc)
{
	return rc == RSP_ECALLBACK || rc == RSP_ENOMEM || rc == RSP_ECHARSET ||
	    rc == RSP_EIO;
}

/* The judgement of a whole output: the oracle's (of what was written so
 * far only, when a call failed after writing: the rest never came), a
 * final status, and header lines that were asked for. */
static void check_output(struct oracle *o, enum rsp_flavour fl,
    const struct accepted *acc, bool may_be_partial)
{
	struct rsp_check_report r;
	struct rsp_check_line l;
	size_t pos = 0;

	if (may_be_partial)
		rsp_check_peek(&o->chk, &r);
	else
		rsp_check_finish(&o->chk, &r);
	if (r.verdict != RSP_CHECK_OK)
		oracle_fail(&r);
	if (!r.header_ended)
		return;
	if (r.status < 200)
		FAIL("final status %d below 200", r.status);
	for (unsigned no = 1; rsp_check_next_line(&o->chk, &pos, &l); no++) {
		if (l.len == 0 || (no == 1 && fl == RSP_NPH) ||
		    (fl != RSP_NPH && rsp__ieqn(l.p, l.name_len, "status")))
			continue;
		/* The writer puts one SP after the colon; the rest is value. */
		const char *v = l.p + l.name_len + 1, *end = l.p + l.len;
		if (v < end && *v == ' ')
			v++;
		if (!allowed(acc, l.p, l.name_len, v, (size_t)(end - v)))
			FAIL("header line %.*s was never accepted", (int)l.len,
			    l.p);
	}
}

/* ---- the driver -------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct keep k = { .n = 0 };
	struct accepted *acc = calloc(1, sizeof(*acc));
	struct rsp_buffer out = { 0 };
	if (acc == NULL)
		abort();

	uint8_t setup = byte(&in);
	char *envp[4];
	size_t ne = 0;
	envp[ne++] = (setup & 1) ? "REQUEST_METHOD=HEAD" : "REQUEST_METHOD=GET";
	envp[ne++] =
	    (setup & 2) ? "SCRIPT_NAME=/cgi/nph-x" : "SCRIPT_NAME=/cgi/x";
	envp[ne++] = (setup & 4) ? "SERVER_PROTOCOL=HTTP/1.0"
	    : (setup & 8)        ? "SERVER_PROTOCOL=HTTP/2"
	                         : "SERVER_PROTOCOL=HTTP/1.1";
	envp[ne] = NULL;
	bool head = (setup & 1) != 0;
	rsp_request *req =
	    (setup & 0x10) ? NULL : rsp_request_from_memory(envp, NULL, 0);
	if (req == NULL)
		head = false;
	rsp_response *res = rsp_response_new(req, rsp_sink_buffer(&out));
	if (res == NULL)
		abort();
	rsp__response_set_log(res, nolog, NULL);
	if (setup & 0x20)
		res->add_required_headers = false;
	if (setup & 0x40)
		res->send_body_for_head_request = true;
	if (res->send_body_for_head_request)
		head = false;

	enum rsp_flavour fl = rsp_flavour(res);
	bool uncertain = false; /* a call failed midway, for a cause */
	int last_finish = RSP_OK;
	struct oracle *orc = calloc(1, sizeof(*orc));
	if (orc == NULL)
		abort();
	orc->judged = true;
	bool finished = false;

	for (int op_i = 0; op_i < MAX_OPS && in.n > 0; op_i++) {
		uint8_t op = byte(&in) % 21;
		rsp_writer *w = res->writer;
		(void)rsp_writer_flush(w);
		size_t before = out.len;
		bool writes = true, exempt = false, op_is_finish = false;
		const char *name, *value, *msg;
		size_t len;
		const uint8_t *p;
		int code, rc, raw = -1;

		switch (op) {
		case 0:
			code = pick_code(&in);
			msg = pick_msg(&in, &k);
			rc = rsp_set_status(res, code, msg);
			writes = false;
			break;
		case 1:
		case 2:
			name = pick(&in, &k, names,
			    sizeof(names) / sizeof(names[0]));
			value = pick(&in, &k, values,
			    sizeof(values) / sizeof(values[0]));
			rc = op == 1
			    ? rsp_headers_set(res->headers, name, value)
			    : rsp_headers_append(res->headers, name, value);
			if (rc == RSP_OK)
				accept_header(acc, name, value);
			writes = false;
			break;
		case 3:
			name = pick(&in, &k, names,
			    sizeof(names) / sizeof(names[0]));
			rc = rsp_headers_remove(res->headers, name);
			writes = false;
			break;
		case 4: {
			struct rsp_cookie c = { 0 };
			uint8_t f = byte(&in);
			name = pick(&in, &k, names + 1, 3);
			value = (f & 1) ? NULL : pick(&in, &k, values, 3);
			c.path = (f & 2) ? pick(&in, &k, values, 3) : NULL;
			c.domain = (f & 4)
			    ? ((f & 0x80) ? "example.org"
			                  : pick(&in, &k, values, 3))
			    : NULL;
			c.comment = (f & 8) ? pick_msg(&in, &k) : NULL;
			c.samesite =
			    (f & 0x10) ? ((f & 0x80) ? "Lax" : "None") : NULL;
			c.secure = (f & 0x20) != 0;
			c.httponly = (f & 0x40) != 0;
			c.partitioned = (f & 0x60) == 0x60;
			c.has_max_age = (f & 0x0C) == 0x0C;
			c.max_age = (int8_t)byte(&in);
			c.has_expires = (f & 0x30) == 0x30;
			c.expires = (time_t)(int8_t)byte(&in) * 16777216;
			rc = (f & 0x80) && value == NULL
			    ? rsp_delete_cookie(res, name, c.path, c.domain)
			    : rsp_set_cookie(res, name, value,
			          (f & 0x01) && (f & 0x40) ? NULL : &c);
			if (rc == RSP_OK && acc->ncookie < MAX_KEEP &&
			    strlen(name) < sizeof(acc->cookie[0]))
				strcpy(acc->cookie[acc->ncookie++], name);
			writes = false;
			break;
		}
		case 5:
		case 6:
			p = bytes(&in, &len);
			rc = op == 5 ? rsp_set_content(res, p, (ssize_t)len)
			             : rsp_add_content(res, p, (ssize_t)len);
			writes = false;
			break;
		case 7:
			code = pick_code(&in);
			msg = pick_msg(&in, &k);
			rc = rsp_writer_write_status(w, code, msg);
			break;
		case 8:
			name = pick(&in, &k, names,
			    sizeof(names) / sizeof(names[0]));
			value = pick(&in, &k, values,
			    sizeof(values) / sizeof(values[0]));
			rc = rsp_writer_write_header(w, name, value);
			if (rc == RSP_OK)
				accept_header(acc, name, value);
			break;
		case 9:
			rc = rsp_writer_end_headers(w);
			break;
		case 10:
		case 11:
			p = bytes(&in, &len);
			rc = op == 10
			    ? rsp_writer_write_content(w, p, (ssize_t)len)
			    : rsp_writer_write(w, (const char *)p,
			          (ssize_t)len);
			break;
		case 12: {
			uint8_t b = byte(&in);
			if (b < 0xC0) {
				raw = b % RAW_NFRAGS;
				p = (const uint8_t *)raw_frags[raw];
				len = strlen(raw_frags[raw]);
			} else {
				raw = RAW_ARBITRARY;
				p = bytes(&in, &len);
			}
			rc = rsp_writer_write_raw(w, p, (ssize_t)len);
			if (rc == RSP_OK &&
			    (raw == RAW_FIELD || raw == RAW_FIELD_END))
				accept_header(acc, "x-raw", "1");
			break;
		}
		case 13:
			code = pick_code(&in);
			msg = pick_msg(&in, &k);
			rc = rsp_set_error(res, code, msg);
			if (rc == RSP_OK)
				acc->error_json = true;
			writes = false;
			break;
		case 14: {
			enum rsp_flavour f = (enum rsp_flavour)(byte(&in) % 3);
			rc = rsp_set_flavour(res, f);
			if (rc == RSP_OK)
				fl = f;
			writes = false;
			break;
		}
		case 15:
			rc = last_finish = rsp_finish(res);
			exempt = !finished;
			op_is_finish = !finished;
			/* Refused whole (nothing written): still open. */
			finished =
			    finished || rc != RSP_EINVAL || out.len != before;
			break;
		case 16:
			rc = rsp_write(res);
			exempt = true;
			break;
		case 17:
			rc = rsp_write_status_headers(res);
			exempt = true;
			break;
		case 18:
			name = pick(&in, &k, names + 1, 3);
			rc = rsp_unset_cookie(res, name);
			writes = false;
			break;
		case 19: {
			/* Offload: the mechanism from the input (3 is not one). */
			enum rsp_offload how =
			    (enum rsp_offload)(byte(&in) % 4);
			value = pick(&in, &k, targets,
			    sizeof(targets) / sizeof(targets[0]));
			rc = rsp_offload_file(res, how, value);
			if (rc == RSP_OK)
				accept_header(acc,
				    how == RSP_OFFLOAD_NGINX
				        ? "X-Accel-Redirect"
				        : "X-Sendfile",
				    value);
			writes = false;
			break;
		}
		default: {
			static const char *const cs[] = { "utf-8", "ISO-8859-1",
				"no-such-charset", "UTF-16" };
			uint8_t b = byte(&in);
			size_t seen = 0;
			if (b < 0xF0)
				rc = rsp_set_encoding(res, cs[b % 4]);
			else if (b < 0xF8)
				rc = set_file(res, (size_t)byte(&in) * 1200);
			else
				rc = rsp_iter_content(res, (b & 1) != 0,
				    count_bytes, &seen);
			writes = false;
			break;
		}
		}
		(void)rsp_writer_flush(w);
		if (out.len != before && !orc->started)
			oracle_start(orc, fl, head);
		oracle_take(orc, &out, raw);
		/* A status or field accepted after the header block ended went
		 * into the body. */
		if ((op == 7 || op == 8) && rc == RSP_OK && orc->judged &&
		    orc->started && rsp_check_in_body(&orc->chk))
			FAIL(
			    "op %u returned 0 after the end of the header block",
			    op);
		if (exempt) {
			/* rsp_finish's RSP_ESTATE after output: the body ended
			 * short of its Content-Length, which the handler declared
			 * and the library can only report (it has gone out). */
			if (midway(rc) || (op_is_finish && rc == RSP_ESTATE))
				uncertain = true;
		} else if ((!writes || rc != RSP_OK) && out.len != before) {
			FAIL(
			    "op %u (rc %d) changed the output from %zu to %zu bytes",
			    op, rc, before, out.len);
		}
		if (rsp_flavour(res) != fl)
			FAIL("flavour %d, expected %d", rsp_flavour(res), fl);
	}
	if (!finished) {
		(void)rsp_writer_flush(res->writer);
		size_t before = out.len;
		last_finish = rsp_finish(res);
		if (midway(last_finish) || last_finish == RSP_ESTATE)
			uncertain = true;
		if (out.len != before && !orc->started)
			oracle_start(orc, fl, head);
		oracle_take(orc, &out, -1);
	} else if (rsp_finish(res) != RSP_ESTATE) {
		FAIL("a second rsp_finish is not RSP_ESTATE");
	}
	if (getenv("FUZZ_RESPONSE_DUMP") != NULL) {
		fprintf(stderr, "[flavour %d, finish %d%s]\n", (int)fl,
		    last_finish,
		    orc->judged ? "" : ", raw bytes in the header: not judged");
		fwrite(out.data, 1, out.len, stderr);
		fprintf(stderr, "\n[end: %s]\n", rsp_response_errmsg(res));
	}
	/* No output is right only when the finish refused the response whole
	 * (a Content-Length on a 204, say): nothing half-written. */
	if (out.len == 0 && last_finish != RSP_EINVAL)
		FAIL("rsp_finish left no output (rc %d)", last_finish);
	if (orc->judged && out.len > 0)
		check_output(orc, fl, acc, uncertain);

	rsp_response_free(res);
	rsp_request_free(req);
	rsp_buffer_free(&out);
	for (size_t i = 0; i < k.n; i++)
		free(k.v[i]);
	free(acc);
	free(orc);
	return 0;
}
