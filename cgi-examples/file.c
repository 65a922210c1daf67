/*
 * file.c - a file streamed in chunks: 280 KiB of numbered lines written to
 * an unlinked temporary file, then handed to the response, which owns and
 * closes the descriptor.  A regular file's size becomes Content-Length.
 */
#include <respond.h>
#include <stdio.h>
#include <unistd.h>

#define LINES 8192 /* 8192 lines of 35 bytes: 280 KiB */

static int file(rsp_request *req, rsp_response *res, void *arg)
{
	FILE *f = tmpfile();
	(void)req;
	(void)arg;
	if (f == NULL)
		return RSP_EIO;
	for (int i = 0; i < LINES; i++)
		fprintf(f, "line %08d of the streamed file\n", i);
	fflush(f);
	int fd = dup(fileno(f));
	fclose(f);
	if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0)
		return RSP_EIO;
	rsp_headers_set(res->headers, "Content-Type", "text/plain");
	return rsp_set_content_file(res, fd);
}

int main(void)
{
	return rsp_run(file, NULL);
}
