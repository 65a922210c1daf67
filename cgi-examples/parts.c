/*
 * parts.c - content as a list of parts: strings and callbacks called when
 * the body is written.  The length is not known up front, so there is no
 * Content-Length (the web server frames the body).
 */
#include <respond.h>
#include <stdio.h>
#include <stdlib.h>

/* One counter shared by two callbacks: each registration holds a
 * reference, and respond drops each exactly once (release), whenever the
 * part goes.  Per request, so worker threads share nothing. */
struct counter {
	int n, refs;
	char buf[32];
};

static int next_number(void *arg, const void **data, size_t *len)
{
	struct counter *c = arg;
	int n = snprintf(c->buf, sizeof(c->buf), "part %d from a callback\n",
	    ++c->n);
	*data = c->buf;
	*len = (size_t)n;
	return 0;
}

static void release(void *arg)
{
	struct counter *c = arg;
	if (--c->refs == 0)
		free(c);
}

static int nothing(void *arg, const void **data, size_t *len)
{
	(void)arg;
	(void)data;
	*len = 0; /* contributes no bytes */
	return 0;
}

static int add_counted(rsp_response *res, struct counter *c)
{
	c->refs++; /* released by respond, even when it refuses */
	return rsp_add_content_fn(res, next_number, c, release);
}

static int parts(rsp_request *req, rsp_response *res, void *arg)
{
	struct counter *c = calloc(1, sizeof(*c));
	int rc;
	(void)req;
	(void)arg;
	if (c == NULL)
		return RSP_ENOMEM;
	c->refs = 1; /* ours, until the parts are added */
	if ((rc = rsp_headers_set(res->headers, "Content-Type",
	         "text/plain")) != RSP_OK ||
	    (rc = rsp_add_content(res, "first part, a string\n", -1)) !=
	        RSP_OK ||
	    (rc = add_counted(res, c)) != RSP_OK ||
	    (rc = rsp_add_content_fn(res, nothing, NULL, NULL)) != RSP_OK ||
	    (rc = add_counted(res, c)) != RSP_OK ||
	    (rc = rsp_add_content(res, "last part, a string\n", -1)) !=
	        RSP_OK) {
		release(c);
		return rc;
	}
	release(c);
	return RSP_OK;
}

int main(void)
{
	return rsp_run(parts, NULL);
}
