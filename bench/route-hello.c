/*
 * route-hello.c - respond's hello behind a 50-route table: 49 other routes
 * (literals, {name} parameters, a trailing *, other methods) and GET /bench
 * answering the hello's exact bytes, for the cost of routing a request.
 */
#include <respond.h>

#include <stdio.h>

static int hello(rsp_request *req, rsp_response *res, void *arg)
{
	(void)req;
	(void)arg;
	int rc = rsp_headers_set(res->headers, "Content-Type", "text/plain");
	if (rc == RSP_OK)
		rc = rsp_set_content(res, "Some example content", -1);
	return rc;
}

static int other(rsp_request *req, rsp_response *res, void *arg)
{
	(void)req;
	(void)arg;
	return rsp_set_error(res, 500, "not the route under test");
}

int main(void)
{
	static const char *const methods[] = { "GET", "POST", "PUT", "DELETE" };
	static char pats[49][48];
	struct rsp_route routes[50];
	for (int i = 0; i < 49; i++) {
		switch (i % 4) {
		case 0:
			snprintf(pats[i], sizeof(pats[i]), "/api/v1/r%d", i);
			break;
		case 1:
			snprintf(pats[i], sizeof(pats[i]), "/api/v1/r%d/{id}",
			    i);
			break;
		case 2:
			snprintf(pats[i], sizeof(pats[i]), "/b%d/{x}/items/{y}",
			    i);
			break;
		default:
			snprintf(pats[i], sizeof(pats[i]), "/static%d/*", i);
			break;
		}
		routes[i] =
		    (struct rsp_route){ methods[i % 4], pats[i], other, NULL };
	}
	routes[49] = (struct rsp_route){ "GET", "/bench", hello, NULL };
	return rsp_run_routes(routes, 50, NULL);
}
