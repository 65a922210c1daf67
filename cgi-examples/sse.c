/*
 * sse.c - Server-Sent Events: ?n=N&ms=M sends N events ("id: i",
 * "data: tick i") M milliseconds apart, then ends; a client that leaves
 * ends it early.  Serve it with FastCGI: fcgiwrap buffers CGI output.
 */
#define _POSIX_C_SOURCE 200809L
#include <respond.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long query_num(rsp_request *req, const char *name, long dflt, long max)
{
	const char *s = rsp_request_query(req, name);
	char *end;
	long v = s ? strtol(s, &end, 10) : dflt;
	if (s != NULL && (*s == '\0' || *end != '\0'))
		return -1;
	return v < 0 || v > max ? -1 : v;
}

static int events(rsp_request *req, rsp_response *res, void *arg)
{
	long n = query_num(req, "n", 5, 1000000),
	     ms = query_num(req, "ms", 100, 60000);
	(void)arg;
	if (n < 0 || ms < 0)
		return rsp_set_error(res, 400,
		    "n is 0..1000000 and ms 0..60000");
	int rc = rsp_sse_start(res);
	for (long i = 1; rc == RSP_OK && i <= n; i++) {
		char id[24], data[32];
		snprintf(id, sizeof(id), "%ld", i);
		int len = snprintf(data, sizeof(data), "tick %ld", i);
		if (i > 1 && ms > 0) {
			struct timespec t = { ms / 1000,
				(ms % 1000) * 1000000L };
			nanosleep(&t, NULL);
		}
		rc = rsp_sse_event(res, id, NULL, data, len);
	}
	/* A vanished client is not the handler's failure. */
	return rc == RSP_EIO ? RSP_OK : rc;
}

int main(void)
{
	return rsp_run(events, NULL);
}
