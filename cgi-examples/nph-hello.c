/*
 * nph-hello.c - a non-parsed-header program: its name starts with "nph-",
 * so respond writes a complete HTTP response (status line, Date, Server)
 * that the web server passes on untouched.
 */
#include <respond.h>

static int nph_hello(rsp_request *req, rsp_response *res, void *arg)
{
	(void)req;
	(void)arg;
	rsp_set_status(res, 202, "Accepted Without Parsing");
	rsp_headers_set(res->headers, "Content-Type", "text/plain");
	return rsp_set_content(res, "hello from an NPH program\n", -1);
}

int main(void)
{
	return rsp_run(nph_hello, NULL);
}
