/*
 * finish-early.c - answer first, work after: rsp_finish sends the whole
 * response and, under FastCGI, ends the request (PHP's
 * fastcgi_finish_request), and the handler goes on with slow work that the
 * client does not wait for.  The request's strings stay valid.
 */
#include <respond.h>
#include <stdio.h>
#include <time.h>

static int finish_early(rsp_request *req, rsp_response *res, void *arg)
{
	struct timespec pause = { 0, 200 * 1000 * 1000 };
	(void)arg;
	rsp_set_status(res, 202, NULL);
	rsp_headers_set(res->headers, "Content-Type", "text/plain");
	rsp_set_content(res, "accepted; the work goes on after this response\n",
	    -1);
	int rc = rsp_finish(res);
	if (rc != RSP_OK)
		return rc;
	/* The client has its answer; this part is ours. */
	nanosleep(&pause, NULL);
	const char *job = rsp_request_query(req, "job");
	fprintf(stderr, "finish-early: job %s done after the response\n",
	    job ? job : "(none)");
	return RSP_OK;
}

int main(void)
{
	return rsp_run(finish_early, NULL);
}
