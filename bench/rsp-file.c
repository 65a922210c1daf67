/*
 * rsp-file.c - benchmark program: respond's file response, the file named by
 * BENCH_FILE handed to rsp_set_content_file (CGI or FastCGI, as rsp_run
 * decides).
 */
#include <respond.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static int file(rsp_request *req, rsp_response *res, void *arg)
{
	const char *path = arg;
	(void)req;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return RSP_EIO;
	int rc = rsp_headers_set(res->headers, "Content-Type",
	    "application/octet-stream");
	if (rc != RSP_OK) {
		close(fd);
		return rc;
	}
	return rsp_set_content_file(res, fd);
}

int main(void)
{
	char *path = getenv("BENCH_FILE");
	if (path == NULL)
		return 64;
	return rsp_run(file, path);
}
