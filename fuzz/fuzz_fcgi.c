/*
 * fuzz_fcgi.c - libFuzzer target for the FastCGI record layer as a web
 * server would reach it: the input is the byte stream a peer sends on one
 * connection; every request it completes is read to its end, answered and
 * ended, as the server does.  Oracles: the sanitizers, the environment
 * strings ("NAME=VALUE", no NUL inside), and every request ending once.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include "internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define FUZZ_NAME "fuzz_fcgi"
#include "fuzz.h"

static const struct rsp__conn_cfg cfg = { 5, 5, 4096, 4 };

static void check_env(char **env)
{
	for (size_t i = 0; env[i] != NULL; i++) {
		const char *eq = strchr(env[i], '=');
		if (eq == NULL || eq == env[i])
			FAIL("environment string %zu has no name: %s", i,
			    env[i]);
	}
}

/* One request: its body read to the end, an answer, the end. */
static void serve(struct rsp__conn *c)
{
	char buf[512];
	int n, reads = 0;
	if (!rsp__conn_overflow(c))
		check_env(rsp__conn_envp(c));
	while ((n = rsp__conn_read(c, buf, sizeof(buf))) > 0)
		if (++reads > 100000)
			FAIL("the body does not end");
	rsp_sink s = rsp__conn_sink(c);
	s.write(s.ctx, "Status: 200 OK\r\n\r\n", 18);
	rsp__conn_end(c, "e", 1, "x", 1);
	if (rsp__conn_end(c, NULL, 0, NULL, 0) != RSP_OK)
		FAIL("a second end was not a no-op");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int sv[2];
	if (size > 60000 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 0;
	int big = 1 << 20;
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
	if (write(sv[1], data, size) != (ssize_t)size) {
		close(sv[0]);
		close(sv[1]);
		return 0;
	}
	shutdown(sv[1], SHUT_WR);
	struct rsp__conn *c = rsp__conn_new(&cfg);
	if (c == NULL)
		FAIL("out of memory");
	rsp__conn_open(c, sv[0]);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	for (int rounds = 0; rounds < 10000; rounds++) {
		char sink[4096];
		enum rsp__conn_event ev = rsp__conn_advance(c, true);
		while (read(sv[1], sink, sizeof(sink)) > 0)
			; /* the peer reads what it is sent */
		if (ev == RSP__CONN_CLOSE)
			break;
		if (ev == RSP__CONN_WAIT)
			continue; /* EOF comes next */
		serve(c);
		if (!rsp__conn_reusable(c))
			break;
	}
	rsp__conn_free(c);
	close(sv[1]);
	return 0;
}
