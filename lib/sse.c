/*
 * sse.c - Server-Sent Events over a response: the stream's headers, then
 * events framed as the HTML standard's text/event-stream (data split on
 * every line ending), each flushed so that it leaves at once.
 */
#include "internal.h"

#include <stdio.h>

int rsp_sse_start(rsp_response *res)
{
	if (res == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	if (rsp__writer_used(res->writer) || rsp__writer_finished(res->writer))
		return RSP_ESTATE;
	if (rsp__body_forbidden(r->status))
		return RSP_ESTATE;
	int rc;
	if ((rc = rsp__headers_add(&r->headers, "Content-Type", 12,
	         "text/event-stream", 17, true)) != RSP_OK ||
	    (rc = rsp__headers_add(&r->headers, "Cache-Control", 13, "no-store",
	         8, true)) != RSP_OK ||
	    (rc = rsp__headers_add(&r->headers, "X-Accel-Buffering", 17, "no",
	         2, true)) != RSP_OK)
		return rc;
	rsp_headers_remove(&r->headers, "Content-Length");
	rsp__content_clear(r);
	if ((rc = rsp_write_status_headers(res)) != RSP_OK)
		return rc;
	return rsp_writer_flush(res->writer);
}

static int put(rsp_response *res, const char *s, size_t n)
{
	return rsp_writer_write_content(res->writer, s, (ssize_t)n);
}

/* "name: value\n"; value must hold no CR or LF. */
static int field(rsp_response *res, const char *name, const char *v, size_t n)
{
	int rc = put(res, name, strlen(name));
	if (rc == RSP_OK)
		rc = put(res, v, n);
	if (rc == RSP_OK)
		rc = put(res, "\n", 1);
	return rc;
}

static bool one_line(const char *s)
{
	return s == NULL || strpbrk(s, "\r\n") == NULL;
}

/* May an event go out now?  RSP_OK; 1 when the body is dropped (HEAD,
 * a bodiless status), so the call succeeds writing nothing; or an error. */
static int ready(rsp_response *res)
{
	if (!rsp__writer_in_body(res->writer))
		return RSP_ESTATE;
	int err = rsp__writer_error(res->writer);
	if (err != RSP_OK)
		return err;
	return rsp__writer_drops_body(res->writer) ? 1 : RSP_OK;
}

int rsp_sse_event(rsp_response *res, const char *id, const char *event,
    const void *data, ssize_t len)
{
	if (res == NULL || (data == NULL && len > 0) || !one_line(id) ||
	    !one_line(event))
		return RSP_EINVAL;
	int st = ready(res);
	if (st != RSP_OK)
		return st > 0 ? RSP_OK : st;
	const char *p = data ? data : "";
	size_t n = data ? rsp__len(data, len) : 0;
	int rc = RSP_OK;
	if (id != NULL)
		rc = field(res, "id: ", id, strlen(id));
	if (rc == RSP_OK && event != NULL)
		rc = field(res, "event: ", event, strlen(event));
	/* Every CRLF, CR or LF ends a data line; each line gets its own field. */
	size_t i = 0;
	do {
		size_t e = i;
		while (e < n && p[e] != '\r' && p[e] != '\n')
			e++;
		if (rc == RSP_OK)
			rc = field(res, "data: ", p + i, e - i);
		if (e < n && p[e] == '\r' && e + 1 < n && p[e + 1] == '\n')
			e++;
		i = e + 1;
	} while (rc == RSP_OK && i <= n);
	if (rc == RSP_OK)
		rc = put(res, "\n", 1);
	if (rc == RSP_OK)
		rc = rsp_writer_flush(res->writer);
	return rc;
}

int rsp_sse_retry(rsp_response *res, unsigned ms)
{
	if (res == NULL)
		return RSP_EINVAL;
	int st = ready(res);
	if (st != RSP_OK)
		return st > 0 ? RSP_OK : st;
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "retry: %u\n\n", ms);
	int rc = put(res, buf, (size_t)n);
	return rc == RSP_OK ? rsp_writer_flush(res->writer) : rc;
}

int rsp_sse_comment(rsp_response *res, const char *text)
{
	if (res == NULL || !one_line(text))
		return RSP_EINVAL;
	int st = ready(res);
	if (st != RSP_OK)
		return st > 0 ? RSP_OK : st;
	int rc = field(res, ":", text ? text : "", text ? strlen(text) : 0);
	return rc == RSP_OK ? rsp_writer_flush(res->writer) : rc;
}
