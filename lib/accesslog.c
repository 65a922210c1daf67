/*
 * accesslog.c - the access-log hook: the runner marks a request's start and
 * end, this file measures what went out and calls rsp_options.access_log;
 * plus a ready-made hook writing Common/Combined Log Format or JSON lines.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

static const char *or_dash(const char *s)
{
	return s != NULL && *s != '\0' ? s : "-";
}

struct rsp__access {
	rsp_access_fn fn;
	void *arg;
	struct timespec t0, wall; /* monotonic and real start */
	const char *remote, *user, *method, *uri, *proto, *referer, *agent;
	const char *refused;
};

struct rsp__access *rsp__access_start(const struct rsp_options *o,
    rsp_request *req, rsp_response *res)
{
	if (res == NULL)
		return NULL;
	struct rsp__access *a =
	    rsp__arena_alloc(&rsp__res(res)->arena, sizeof(*a));
	if (a == NULL)
		return NULL;
	memset(a, 0, sizeof(*a));
	a->fn = o->access_log;
	a->arg = o->access_arg;
	clock_gettime(CLOCK_MONOTONIC, &a->t0);
	clock_gettime(CLOCK_REALTIME, &a->wall);
	a->remote = rsp_request_param(req, "REMOTE_ADDR");
	a->user = rsp_request_param(req, "REMOTE_USER");
	a->method = rsp_request_param(req, "REQUEST_METHOD");
	a->uri = rsp_request_param(req, "REQUEST_URI");
	if (a->uri == NULL)
		a->uri = rsp_request_param(req, "SCRIPT_NAME");
	a->proto = rsp_request_param(req, "SERVER_PROTOCOL");
	a->referer = rsp_request_header(req, "Referer");
	a->agent = rsp_request_header(req, "User-Agent");
	int st = rsp_request_status(req);
	if (st != RSP_OK && !o->see_bad_requests)
		a->refused = rsp_strerror(st);
	return a;
}

void rsp__access_emit(const struct rsp__access *a, rsp_response *res)
{
	if (a == NULL || res == NULL)
		return;
	const rsp_writer *w = res->writer;
	uint64_t head, wire;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rsp__writer_sent(w, &head, &wire);
	int64_t us = (int64_t)(t1.tv_sec - a->t0.tv_sec) * 1000000 +
	    (t1.tv_nsec - a->t0.tv_nsec) / 1000;
	struct rsp_access e = {
		.remote_addr = or_dash(a->remote),
		.remote_user = or_dash(a->user),
		.method = or_dash(a->method),
		.uri = or_dash(a->uri),
		.protocol = or_dash(a->proto),
		.referer = or_dash(a->referer),
		.user_agent = or_dash(a->agent),
		.status = rsp__writer_status(w, NULL),
		.header_bytes = head < wire ? head : wire,
		.start = a->wall,
		.duration_us = us > 0 ? (uint64_t)us : 0,
		.client_gone = rsp__writer_error(w) == RSP_EIO,
		.refused = a->refused,
	};
	e.body_bytes = wire - e.header_bytes;
	a->fn(&e, a->arg);
}

/* ---- the ready-made formats ---------------------------------------------- */

/* A quoted CLF field: '"', '\' and bytes outside 0x20-0x7E as \xHH (as
 * nginx escapes $request), so a line is always one line. */
static int clf_quoted(struct rsp_buffer *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = rsp__buf_append(out, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s;
	     rc == RSP_OK && *p; p++) {
		if (*p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\') {
			rc = rsp__buf_append(out, p, 1);
		} else {
			char esc[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };
			rc = rsp__buf_append(out, esc, 4);
		}
	}
	return rc == RSP_OK ? rsp__buf_append(out, "\"", 1) : rc;
}

/* A bare CLF field (host, user): no spaces or controls, else "-"-safe. */
static int clf_bare(struct rsp_buffer *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7F || *p == '"')
			return clf_quoted(out, s);
	return rsp__buf_append(out, s, strlen(s));
}

static int format_clf(const struct rsp_access *a, bool combined,
    struct rsp_buffer *out)
{
	char when[96], tail[64];
	struct tm tm;
	time_t t = a->start.tv_sec;
	gmtime_r(&t, &tm);
	int rc = clf_bare(out, a->remote_addr);
	if (rc == RSP_OK)
		rc = rsp__buf_append(out, " - ", 3);
	if (rc == RSP_OK)
		rc = clf_bare(out, a->remote_user);
	static const char mon[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int n = snprintf(when, sizeof(when),
	    " [%02d/%s/%04d:%02d:%02d:%02d +0000] \"", tm.tm_mday,
	    mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	if (rc == RSP_OK)
		rc = rsp__buf_append(out, when, (size_t)n);
	/* the request line, escaped as one quoted field without its quotes */
	size_t at = out->len;
	char line[8192];
	snprintf(line, sizeof(line), "%s %s %s", a->method, a->uri,
	    a->protocol);
	if (rc == RSP_OK && (rc = clf_quoted(out, line)) == RSP_OK) {
		memmove(out->data + at, out->data + at + 1, out->len - at - 1);
		out->len--;
	}
	if (a->body_bytes > 0)
		n = snprintf(tail, sizeof(tail), " %d %llu", a->status,
		    (unsigned long long)a->body_bytes);
	else
		n = snprintf(tail, sizeof(tail), " %d -", a->status);
	if (rc == RSP_OK)
		rc = rsp__buf_append(out, tail, (size_t)n);
	if (rc == RSP_OK && combined) {
		rc = rsp__buf_append(out, " ", 1);
		if (rc == RSP_OK)
			rc = clf_quoted(out, a->referer);
		if (rc == RSP_OK)
			rc = rsp__buf_append(out, " ", 1);
		if (rc == RSP_OK)
			rc = clf_quoted(out, a->user_agent);
	}
	return rc == RSP_OK ? rsp__buf_append(out, "\n", 1) : rc;
}

static int format_json(const struct rsp_access *a, struct rsp_buffer *out)
{
	struct rsp__jsonw j;
	rsp_jsonw *w = (rsp_jsonw *)&j;
	char when[96];
	struct tm tm;
	time_t t = a->start.tv_sec;
	gmtime_r(&t, &tm);
	snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec,
	    (long)((unsigned long)a->start.tv_nsec % 1000000000ul / 1000));
	rsp__jsonw_init(&j, out);
	const struct {
		const char *k;
		const char *v;
	} str[] = {
		{ "time", when },
		{ "remote_addr", a->remote_addr },
		{ "remote_user", a->remote_user },
		{ "method", a->method },
		{ "uri", a->uri },
		{ "protocol", a->protocol },
	};
	int rc = rsp_jsonw_object_begin(w);
	for (size_t i = 0; rc == RSP_OK && i < sizeof(str) / sizeof(str[0]);
	     i++)
		if ((rc = rsp_jsonw_key(w, str[i].k, -1)) == RSP_OK)
			rc = rsp_jsonw_string(w, str[i].v, -1);
	if (rc == RSP_OK && (rc = rsp_jsonw_key(w, "status", -1)) == RSP_OK)
		rc = rsp_jsonw_int(w, a->status);
	if (rc == RSP_OK &&
	    (rc = rsp_jsonw_key(w, "header_bytes", -1)) == RSP_OK)
		rc = rsp_jsonw_int(w, (int64_t)a->header_bytes);
	if (rc == RSP_OK && (rc = rsp_jsonw_key(w, "body_bytes", -1)) == RSP_OK)
		rc = rsp_jsonw_int(w, (int64_t)a->body_bytes);
	if (rc == RSP_OK &&
	    (rc = rsp_jsonw_key(w, "duration_us", -1)) == RSP_OK)
		rc = rsp_jsonw_int(w, (int64_t)a->duration_us);
	if (rc == RSP_OK &&
	    (rc = rsp_jsonw_key(w, "client_gone", -1)) == RSP_OK)
		rc = rsp_jsonw_bool(w, a->client_gone);
	if (rc == RSP_OK && (rc = rsp_jsonw_key(w, "refused", -1)) == RSP_OK)
		rc = a->refused ? rsp_jsonw_string(w, a->refused, -1)
		                : rsp_jsonw_null(w);
	if (rc == RSP_OK && (rc = rsp_jsonw_key(w, "referer", -1)) == RSP_OK)
		rc = rsp_jsonw_string(w, a->referer, -1);
	if (rc == RSP_OK && (rc = rsp_jsonw_key(w, "user_agent", -1)) == RSP_OK)
		rc = rsp_jsonw_string(w, a->user_agent, -1);
	if (rc == RSP_OK)
		rc = rsp_jsonw_object_end(w);
	return rc == RSP_OK ? rsp__buf_append(out, "\n", 1) : rc;
}

int rsp_access_log_format(const struct rsp_access *a, enum rsp_log_format f,
    struct rsp_buffer *out)
{
	if (a == NULL || out == NULL)
		return RSP_EINVAL;
	size_t start = out->len;
	int rc;
	switch (f) {
	case RSP_LOG_COMMON:
		rc = format_clf(a, false, out);
		break;
	case RSP_LOG_COMBINED:
		rc = format_clf(a, true, out);
		break;
	case RSP_LOG_JSON:
		rc = format_json(a, out);
		break;
	default:
		return RSP_EINVAL;
	}
	if (rc != RSP_OK)
		out->len = start;
	return rc;
}

void rsp_access_log_write(const struct rsp_access *a, void *log)
{
	const struct rsp_access_log *l = log;
	struct rsp_buffer b = { 0 };
	if (l == NULL || rsp_access_log_format(a, l->format, &b) != RSP_OK) {
		rsp_buffer_free(&b);
		return;
	}
	/* One write per line: lines from several workers do not interleave
	 * (pipes up to PIPE_BUF, files opened with O_APPEND). */
	size_t off = 0;
	while (off < b.len) {
		ssize_t n = write(l->fd, b.data + off, b.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	rsp_buffer_free(&b);
}
