/*
 * raw-fcgi-hello.c - benchmark baseline: a plain libfcgi FastCGI loop that
 * writes exactly the bytes respond's hello example writes, nothing else.
 * Listens on fd 0 (spawn-fcgi); BENCH_REQUESTS=N: exit 0 after N requests.
 */
#include <fcgiapp.h>
#include <stdlib.h>

static const char reply[] = "Status: 200 OK\r\n"
                            "Content-Type: text/plain\r\n"
                            "Content-Length: 20\r\n"
                            "\r\n"
                            "Some example content";

int main(void)
{
	FCGX_Request r;
	const char *limit = getenv("BENCH_REQUESTS");
	long max = limit != NULL ? strtol(limit, NULL, 10) : 0;
	long done = 0;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&r, 0, 0) != 0)
		return 1;
	while ((max <= 0 || done < max) && FCGX_Accept_r(&r) >= 0) {
		FCGX_PutStr(reply, (int)(sizeof(reply) - 1), r.out);
		FCGX_Finish_r(&r);
		done++;
	}
	FCGX_Free(&r, 1);
	return 0;
}
