/*
 * rsp-serve.c - benchmark program: rsp_serve_file of BENCH_PATH beneath
 * the directory BENCH_ROOT, with the request's preconditions and Range
 * (CGI or FastCGI, as rsp_run decides).
 */
#define _POSIX_C_SOURCE 200809L /* O_DIRECTORY, O_CLOEXEC */
#include <respond.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static int serve(rsp_request *req, rsp_response *res, void *arg)
{
	(void)req;
	return rsp_serve_file(res, *(const int *)arg, getenv("BENCH_PATH"), 0);
}

int main(void)
{
	const char *dir = getenv("BENCH_ROOT");
	if (dir == NULL || getenv("BENCH_PATH") == NULL)
		return 64;
	int root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return 66;
	int rc = rsp_run(serve, &root);
	close(root);
	return rc;
}
