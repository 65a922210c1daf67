/*
 * parts.c - content as a list of parts: strings and callbacks called when
 * the body is written.  The length is not known up front, so there is no
 * Content-Length (the web server frames the body).
 */
#include <respond.h>
#include <stdio.h>

struct counter { int n; char buf[32]; };

static int next_number(void *arg, const void **data, size_t *len)
{
	struct counter *c = arg;
	int n = snprintf(c->buf, sizeof(c->buf), "part %d from a callback\n", ++c->n);
	*data = c->buf;
	*len = (size_t)n;
	return 0;
}

static int nothing(void *arg, const void **data, size_t *len)
{
	(void)arg;
	(void)data;
	*len = 0;       /* contributes no bytes */
	return 0;
}

static int parts(rsp_request *req, rsp_response *res, void *arg)
{
	static struct counter c;
	int rc;
	(void)req;
	(void)arg;
	c.n = 0;
	if ((rc = rsp_headers_set(res->headers, "Content-Type", "text/plain")) != RSP_OK ||
	    (rc = rsp_add_content(res, "first part, a string\n", -1)) != RSP_OK ||
	    (rc = rsp_add_content_fn(res, next_number, &c)) != RSP_OK ||
	    (rc = rsp_add_content_fn(res, nothing, NULL)) != RSP_OK ||
	    (rc = rsp_add_content_fn(res, next_number, &c)) != RSP_OK)
		return rc;
	return rsp_add_content(res, "last part, a string\n", -1);
}

int main(void)
{
	return rsp_run(parts, NULL);
}
