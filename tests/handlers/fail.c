/*
 * fail.c - a test handler for tests/examples.test: it says on stderr that it
 * was called and fails before writing anything, so rsp_run must send a 500.
 */
#include <respond.h>
#include <stdio.h>

static int fail(rsp_request *req, rsp_response *res, void *arg)
{
	(void)req;
	(void)res;
	(void)arg;
	fputs("fail: handler called\n", stderr);
	return RSP_EIO;
}

int main(void)
{
	return rsp_run(fail, NULL);
}
