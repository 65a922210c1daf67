/*
 * hello.c - the first example of wptserve's Response docs in C: a plain text
 * body given as one string, so respond adds its Content-Length.
 */
#include <respond.h>

static int hello(rsp_request *req, rsp_response *res, void *arg)
{
	(void)req;
	(void)arg;
	int rc = rsp_headers_set(res->headers, "Content-Type", "text/plain");
	if (rc == RSP_OK)
		rc = rsp_set_content(res, "Some example content", -1);
	return rc;
}

int main(void)
{
	return rsp_run(hello, NULL);
}
