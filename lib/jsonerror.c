/*
 * jsonerror.c - rsp_set_error: the response becomes a JSON error document,
 * json.dumps({"error": {"code": code, "message": message}}), with exactly
 * its Content-Type and Content-Length (DESIGN.md 10).
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* The document into b, written with the JSON writer over b. */
static int error_document(struct rsp_buffer *b, int code, const char *msg,
    size_t mlen)
{
	struct rsp__jsonw j;
	b->len = 0;
	rsp__jsonw_init(&j, b);
	rsp_jsonw *jw = (rsp_jsonw *)&j;
	int rc = rsp_jsonw_object_begin(jw);
	if (rc == RSP_OK && (rc = rsp_jsonw_key(jw, "error", 5)) == RSP_OK &&
	    (rc = rsp_jsonw_object_begin(jw)) == RSP_OK &&
	    (rc = rsp_jsonw_key(jw, "code", 4)) == RSP_OK &&
	    (rc = rsp_jsonw_int(jw, code)) == RSP_OK &&
	    (rc = rsp_jsonw_key(jw, "message", 7)) == RSP_OK &&
	    (rc = rsp_jsonw_string(jw, msg, (ssize_t)mlen)) == RSP_OK &&
	    (rc = rsp_jsonw_object_end(jw)) == RSP_OK)
		rc = rsp_jsonw_object_end(jw);
	return rc;
}

/* Exactly the two headers of the document. */
static int error_headers(struct rsp__response *r, size_t body_len)
{
	char len[24];
	int n = snprintf(len, sizeof(len), "%zu", body_len);
	int rc;

	rsp__headers_clear(&r->headers);
	if ((rc = rsp__headers_add(&r->headers, "Content-Type", 12,
	         "application/json", 16, false)) != RSP_OK)
		return rc;
	return rsp__headers_add(&r->headers, "Content-Length", 14, len,
	    (size_t)n, false);
}

static int set_error(rsp_response *res, int code, const char *message, bool log)
{
	if (res == NULL)
		return RSP_EINVAL;
	struct rsp__response *r = rsp__res(res);
	if (!rsp__status_settable(code))
		return rsp__refuse(r, RSP_EINVAL, RSP__STATUS_RANGE_WHY);
	struct rsp_buffer *b = rsp__writer_scratch(res->writer);
	const char *msg = message ? message : "";
	size_t mlen = strlen(msg);
	int rc = error_document(b, code, msg, mlen);
	if (rc != RSP_OK)
		return rsp__refuse(r, rc, "out of memory");
	size_t blen = b->len;
	char *body = rsp__arena_memdup(&r->arena, b->data, blen);
	b->len = 0;
	if (body == NULL)
		return rsp__refuse(r, RSP_ENOMEM, "out of memory");
	if ((rc = error_headers(r, blen)) != RSP_OK)
		return rc;
	rsp__content_take(r, body, blen);
	r->status = code;
	r->status_msg = NULL;
	if (log && code >= 500 && code < 600) {
		/* The message may carry request data: escaped, one line. */
		char esc[512];
		rsp__escape_log(esc, sizeof(esc), msg, mlen);
		rsp__log(r, "respond: %d %s\n", code, esc);
	}
	return RSP_OK;
}

int rsp_set_error(rsp_response *res, int code, const char *message)
{
	return set_error(res, code, message, true);
}

int rsp__set_error_quiet(rsp_response *res, int code, const char *message)
{
	return set_error(res, code, message, false);
}
