/*
 * raw-fcgi-file.c - benchmark baseline: a plain libfcgi FastCGI loop that
 * streams the file named by BENCH_FILE in 32 KiB chunks with a
 * Content-Length header.  Listens on fd 0 (spawn-fcgi); BENCH_REQUESTS=N:
 * exit 0 after N requests.
 */
#include <fcgiapp.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void serve(FCGX_Request *r, const char *path)
{
	static char buf[32768];
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0) {
		FCGX_FPrintF(r->out,
		    "Status: 500 Internal Server Error\r\n"
		    "Content-Type: text/plain\r\nContent-Length: 0\r\n\r\n");
		if (fd >= 0)
			close(fd);
		return;
	}
	FCGX_FPrintF(r->out,
	    "Status: 200 OK\r\nContent-Type: application/octet-stream\r\n"
	    "Content-Length: %lld\r\n\r\n",
	    (long long)st.st_size);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0 || FCGX_PutStr(buf, (int)n, r->out) != (int)n)
			break;
	}
	close(fd);
}

int main(void)
{
	FCGX_Request r;
	const char *path = getenv("BENCH_FILE");
	const char *limit = getenv("BENCH_REQUESTS");
	long max = limit != NULL ? strtol(limit, NULL, 10) : 0;
	long done = 0;

	if (path == NULL || FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	while ((max <= 0 || done < max) && FCGX_Accept_r(&r) >= 0) {
		serve(&r, path);
		FCGX_Finish_r(&r);
		done++;
	}
	FCGX_Free(&r, 1);
	return 0;
}
