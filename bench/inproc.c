/*
 * inproc.c - in-process cost of one response through librespond's memory
 * sink (rsp_sink_buffer), no I/O: `inproc ITERATIONS [CASE]` prints
 * "CASE ns/op" for each case (hello, headers, error, parts) timed with
 * clock_gettime over ITERATIONS responses.
 */
#define _POSIX_C_SOURCE 200809L
#include <respond.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char part[65536]; /* 16 parts of 64 KiB: 1 MiB */

static int hello(rsp_response *res)
{
	int rc = rsp_headers_set(res->headers, "Content-Type", "text/plain");
	return rc ? rc : rsp_set_content(res, "Some example content", -1);
}

static int headers(rsp_response *res)
{
	static const char *const names[10] = {
		"X-Bench-0",
		"X-Bench-1",
		"X-Bench-2",
		"X-Bench-3",
		"X-Bench-4",
		"X-Bench-5",
		"X-Bench-6",
		"X-Bench-7",
		"X-Bench-8",
		"X-Bench-9",
	};
	int rc = rsp_headers_set(res->headers, "Content-Type", "text/plain");
	for (int i = 0; i < 9 && rc == RSP_OK; i++)
		rc = rsp_headers_set(res->headers, names[i],
		    "some header value");
	if (rc == RSP_OK)
		rc = rsp_set_cookie(res, "session", "0123456789abcdef", NULL);
	if (rc == RSP_OK)
		rc = rsp_set_cookie(res, "theme", "dark", NULL);
	if (rc == RSP_OK)
		rc = rsp_set_cookie(res, "lang", "en", NULL);
	return rc ? rc : rsp_set_content(res, "Some example content", -1);
}

static int error(rsp_response *res)
{
	return rsp_set_error(res, 500, "something went wrong");
}

static int parts(rsp_response *res)
{
	int rc = rsp_headers_set(res->headers, "Content-Type",
	    "application/octet-stream");
	for (int i = 0; i < 16 && rc == RSP_OK; i++)
		rc = rsp_add_content(res, part, (ssize_t)sizeof(part));
	return rc;
}

struct bench_case {
	const char *name;
	int (*fill)(rsp_response *res);
};

static const struct bench_case cases[] = {
	{ "hello", hello },
	{ "headers", headers }, /* Content-Type + 9 more headers + 3 cookies */
	{ "error", error },
	{ "parts", parts },
};

static int run(const struct bench_case *c, rsp_request *req, long iterations,
    size_t *bytes)
{
	struct rsp_buffer out = { NULL, 0, 0 };
	for (long i = 0; i < iterations; i++) {
		out.len = 0;
		rsp_response *res =
		    rsp_response_new(req, rsp_sink_buffer(&out));
		if (res == NULL)
			return RSP_ENOMEM;
		int rc = c->fill(res);
		if (rc == RSP_OK)
			rc = rsp_finish(res);
		rsp_response_free(res);
		if (rc != RSP_OK) {
			fprintf(stderr, "inproc: %s: %s\n", c->name,
			    rsp_strerror(rc));
			rsp_buffer_free(&out);
			return rc;
		}
	}
	*bytes = out.len;
	rsp_buffer_free(&out);
	return RSP_OK;
}

int main(int argc, char **argv)
{
	char *envp[] = { "REQUEST_METHOD=GET", "SERVER_PROTOCOL=HTTP/1.1",
		"GATEWAY_INTERFACE=CGI/1.1", "SCRIPT_NAME=/inproc", NULL };
	long iterations = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	const char *only = argc > 2 ? argv[2] : NULL;
	int status = 0;

	if (iterations <= 0) {
		fprintf(stderr,
		    "usage: inproc ITERATIONS [hello|headers|error|parts]\n");
		return 64;
	}
	memset(part, 'x', sizeof(part));
	rsp_request *req = rsp_request_from_memory(envp, NULL, 0);
	if (req == NULL)
		return 1;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct timespec t0, t1;
		size_t bytes = 0;
		if (only != NULL && strcmp(only, cases[i].name) != 0)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = run(&cases[i], req, iterations, &bytes);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc != RSP_OK) {
			status = 1;
			continue;
		}
		double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 +
		    (double)(t1.tv_nsec - t0.tv_nsec);
		printf("%s %.1f %zu\n", cases[i].name, ns / (double)iterations,
		    bytes);
	}
	rsp_request_free(req);
	return status;
}
