/*
 * bodiless.c - a test handler for tests/examples.test: a 204 with a
 * Content-Length, which no response may carry (RFC 9110 8.6), so rsp_run
 * answers 500 and logs why.
 */
#include <respond.h>

static int bodiless(rsp_request *req, rsp_response *res, void *arg)
{
	int rc;
	(void)req;
	(void)arg;
	if ((rc = rsp_set_status(res, 204, NULL)) != RSP_OK)
		return rc;
	return rsp_headers_set(res->headers, "Content-Length", "5");
}

int main(void)
{
	return rsp_run(bodiless, NULL);
}
