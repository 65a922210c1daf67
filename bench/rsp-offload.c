/*
 * rsp-offload.c - benchmark program: respond's file offload, the URI named
 * by BENCH_OFFLOAD (an nginx internal location) handed to nginx with
 * rsp_offload_file, so that nginx sends the file itself.
 */
#include <respond.h>
#include <stdlib.h>

static int offload(rsp_request *req, rsp_response *res, void *arg)
{
	const char *uri = arg;
	(void)req;
	int rc = rsp_headers_set(res->headers, "Content-Type",
	    "application/octet-stream");
	if (rc != RSP_OK)
		return rc;
	return rsp_offload_file(res, RSP_OFFLOAD_NGINX, uri);
}

int main(void)
{
	char *uri = getenv("BENCH_OFFLOAD");
	if (uri == NULL)
		return 64;
	return rsp_run(offload, uri);
}
