/*
 * probe.c - the handler the FastCGI protocol tests drive: its query says
 * what to do (stream slowly, flood stderr, run a child process, sleep,
 * read the body, finish early), so one program covers every server state.
 */
#define _POSIX_C_SOURCE 200809L
#include <respond.h>

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static long num(rsp_request *req, const char *name, long def)
{
	const char *v = rsp_request_query(req, name);
	return v != NULL ? strtol(v, NULL, 10) : def;
}

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* n chunks of size bytes, ms apart; each write's result on stderr. */
static int stream(rsp_request *req, rsp_response *res)
{
	long n = num(req, "n", 1), ms = num(req, "ms", 0),
	     size = num(req, "size", 16);
	char *chunk = malloc((size_t)size);
	if (chunk == NULL)
		return RSP_ENOMEM;
	memset(chunk, 'x', (size_t)size);
	rsp_headers_set(res->headers, "Content-Type", "text/plain");
	int rc = rsp_write_status_headers(res);
	for (long i = 0; i < n && rc == RSP_OK; i++) {
		if (i > 0)
			pause_ms(ms);
		rc = rsp_writer_write_content(res->writer, chunk, size);
		if (rc == RSP_OK)
			rc = rsp_writer_flush(res->writer);
		fprintf(stderr, "probe: write %ld: %s\n", i,
		    rc == RSP_OK ? "ok" : rsp_strerror(rc));
	}
	free(chunk);
	return rc;
}

/* `bytes` of stderr, then a short answer. */
static int flood(rsp_request *req, rsp_response *res)
{
	long bytes = num(req, "stderr", 0);
	static char line[65536];
	memset(line, 'e', sizeof(line));
	line[sizeof(line) - 1] = '\n';
	for (long done = 0; done < bytes;) {
		size_t n = bytes - done < (long)sizeof(line)
		    ? (size_t)(bytes - done)
		    : sizeof(line);
		ssize_t w = write(2, line, n);
		if (w <= 0)
			break;
		done += w;
	}
	return rsp_set_content(res, "flooded\n", -1);
}

/* The signal state a child process starts with, as /proc shows it. */
static int child(rsp_request *req, rsp_response *res)
{
	int p[2];
	pid_t pid;
	char out[4096];
	posix_spawn_file_actions_t fa;
	char *argv[] = { "/bin/sh", "-c",
		"grep -E '^Sig(Blk|Ign)' /proc/self/status", NULL };
	(void)req;
	if (pipe(p) != 0)
		return RSP_EIO;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	size_t len = 0;
	ssize_t n;
	while (rc == 0 && len < sizeof(out) &&
	    (n = read(p[0], out + len, sizeof(out) - len)) > 0)
		len += (size_t)n;
	close(p[0]);
	if (rc == 0)
		waitpid(pid, NULL, 0);
	return rsp_set_content(res, out, (ssize_t)len);
}

/* The body's length, or why it could not be read. */
static int body(rsp_request *req, rsp_response *res)
{
	const void *data;
	size_t len;
	int rc = rsp_request_body(req, &data, &len);
	if (rc != RSP_OK)
		return rsp_set_error(res, 400, rsp_strerror(rc));
	return rsp_headers_setf(res->headers, "X-Body-Length", "%zu", len) ||
	    rsp_set_content(res, data, (ssize_t)len);
}

/* Answer, then keep working and write to stderr. */
static int early(rsp_request *req, rsp_response *res)
{
	rsp_set_content(res, "early\n", -1);
	int rc = rsp_finish(res);
	pause_ms(num(req, "ms", 100));
	fprintf(stderr, "probe: after the early finish\n");
	return rc;
}

static int probe(rsp_request *req, rsp_response *res, void *arg)
{
	(void)arg;
	if (rsp_request_query(req, "n") != NULL)
		return stream(req, res);
	if (rsp_request_query(req, "stderr") != NULL)
		return flood(req, res);
	if (rsp_request_query(req, "child") != NULL)
		return child(req, res);
	if (rsp_request_query(req, "body") != NULL)
		return body(req, res);
	if (rsp_request_query(req, "early") != NULL)
		return early(req, res);
	if (rsp_request_query(req, "sleep") != NULL)
		pause_ms(num(req, "sleep", 0));
	if (rsp_request_query(req, "log") != NULL)
		fprintf(stderr, "probe: %s\n", rsp_request_query(req, "log"));
	rsp_headers_set(res->headers, "Content-Type", "text/plain");
	return rsp_set_content(res, "ok\n", -1);
}

int main(void)
{
	return rsp_run(probe, NULL);
}
