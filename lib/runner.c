/*
 * runner.c - rsp_run: the program is a CGI program (environment, stdin,
 * stdout) unless a listening socket was handed over or RSP_FCGI_SOCKET
 * names one, and then a FastCGI application (server.c).  The options and
 * the environment are read once, here.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* program_invocation_short_name */
#endif
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

#define READ_TIMEOUT_MS 5000
#define WRITE_TIMEOUT_MS 60000
#define DRAIN_TIMEOUT_MS 30000
#define MAX_CONNS 256
#define MAX_PARAMS (256 * 1024)

/* ---- CGI ----------------------------------------------------------------------- */

static int run_cgi(const struct rsp__app *app)
{
	rsp_request *req = rsp__request_new_env(environ, 0, &app->lim);
	if (req == NULL) {
		fputs("respond: out of memory\n", stderr);
		return 1;
	}
	rsp_response *res = rsp_response_new(req, rsp_sink_fd(1));
	if (res == NULL) {
		rsp_request_free(req);
		fputs("respond: out of memory\n", stderr);
		return 1;
	}
	/* The program's own name can make it NPH too (see DESIGN.md 20). */
	if (rsp__nph_name(program_invocation_short_name) &&
	    rsp_flavour(res) == RSP_CGI)
		rsp_set_flavour(res, RSP_NPH);
	struct rsp__access *acc = rsp__access_begin(&app->opts, req, res);
	rsp__handle(app, req, res);
	int rc = rsp__handle_end(res);
	rsp__access_end(acc, res);
	rsp_response_free(res);
	rsp_request_free(req);
	return rc == RSP_OK ? 0 : 1;
}

/* ---- settings ------------------------------------------------------------------- */

/*
 * A whole number from the environment, min..max, with an optional unit:
 * "ms" or "s" (the default) for times.  Unset or empty: def.  Anything
 * else is said once and refused: a typo must not silently become a default.
 */
static int env_number(const char *name, long long def, long long min,
    long long max, bool time, long long *out)
{
	const char *s = getenv(name);
	long long v = 0, scale = time ? 1000 : 1;
	const char *p = s;
	if (s == NULL || *s == '\0') {
		*out = def;
		return 0;
	}
	for (; *p >= '0' && *p <= '9' && v <= max * 1000; p++)
		v = v * 10 + (*p - '0');
	if (time && strcmp(p, "ms") == 0)
		scale = 1, p += 2;
	else if (time && strcmp(p, "s") == 0)
		p += 1;
	if (p == s || *p != '\0' || v * scale < min || v * scale > max) {
		fprintf(stderr,
		    "respond: %s=%s: expected %s from %lld to %lld%s\n", name,
		    s, time ? "a time" : "a whole number",
		    time ? min / 1000 : min, time ? max / 1000 : max,
		    time ? " s (or a number with ms)" : "");
		return -1;
	}
	*out = v * scale;
	return 0;
}

static int settings(struct rsp__app *app)
{
	const struct rsp_options *o = &app->opts;
	long long threads, rt, wt, drain, conns;
	if (env_number("RSP_THREADS", 1, 1, 256, false, &threads) != 0 ||
	    env_number("RSP_READ_TIMEOUT", READ_TIMEOUT_MS, 1, 3600000, true,
	        &rt) != 0 ||
	    env_number("RSP_WRITE_TIMEOUT", WRITE_TIMEOUT_MS, 1, 3600000, true,
	        &wt) != 0 ||
	    env_number("RSP_DRAIN_TIMEOUT", DRAIN_TIMEOUT_MS, 0, 3600000, true,
	        &drain) != 0 ||
	    env_number("RSP_MAX_CONNS", MAX_CONNS, 1, 65536, false, &conns) !=
	        0)
		return -1;
	app->threads = o->threads > 0 ? (o->threads > 256 ? 256 : o->threads)
	                              : (int)threads;
	app->fcgi.read_timeout_ms =
	    o->read_timeout_ms > 0 ? (int)o->read_timeout_ms : (int)rt;
	app->fcgi.write_timeout_ms = (int)wt;
	app->drain_ms =
	    o->drain_timeout_ms > 0 ? (int)o->drain_timeout_ms : (int)drain;
	app->fcgi.max_conns = o->max_conns > 0 ? o->max_conns : (unsigned)conns;
	app->fcgi.max_params = MAX_PARAMS;
	return 0;
}

/* ---- FastCGI ---------------------------------------------------------------------- */

static int run_fcgi(struct rsp__app *app, const char *spec, int inherited)
{
	if (settings(app) != 0)
		return 1;
	return rsp__serve_fcgi(app, spec, inherited);
}

/* ---- entry points ------------------------------------------------------------------ */

/* The variables that choose the mode, in one pass over the environment
 * (the first of each, as getenv finds it): a CGI start then costs one short
 * walk instead of a getenv per name. */
struct start_env {
	const char *sock, *max_body, *listen_fds, *listen_pid;
};

/* s's value if s is "name=value", else NULL. */
static const char *value_of(const char *s, const char *name)
{
	while (*name != '\0')
		if (*s++ != *name++)
			return NULL;
	return *s == '=' ? s + 1 : NULL;
}

static void first(const char **slot, const char *v)
{
	if (*slot == NULL)
		*slot = v;
}

static void read_start_env(struct start_env *se)
{
	memset(se, 0, sizeof(*se));
	for (char **e = environ; e != NULL && *e != NULL; e++) {
		const char *s = *e;
		if (s[0] == 'R' && s[1] == 'S' && s[2] == 'P' && s[3] == '_') {
			first(&se->sock, value_of(s + 4, "FCGI_SOCKET"));
			first(&se->max_body, value_of(s + 4, "MAX_BODY"));
		} else if (s[0] == 'L' && s[1] == 'I') {
			first(&se->listen_fds, value_of(s, "LISTEN_FDS"));
			first(&se->listen_pid, value_of(s, "LISTEN_PID"));
		}
	}
}

int rsp_run_with(rsp_handler handler, void *arg, const struct rsp_options *opts)
{
	struct start_env se;
	struct rsp__app app;
	struct rsp_limits lim = { 0 };

	if (handler == NULL)
		return 64;
	memset(&app, 0, sizeof(app));
	app.handler = handler;
	app.arg = arg;
	if (opts != NULL)
		app.opts = *opts;
	lim.max_body = app.opts.max_body;
	read_start_env(&se);
	rsp__limits_resolve_with(&app.lim, &lim, se.max_body);

	if (se.sock != NULL && *se.sock != '\0')
		return run_fcgi(&app, se.sock, -1);
	int inherited = rsp__listen_inherited(se.listen_fds, se.listen_pid);
	if (inherited >= 0)
		return run_fcgi(&app, NULL, inherited);
	return run_cgi(&app);
}

int rsp_run(rsp_handler handler, void *arg)
{
	return rsp_run_with(handler, arg, NULL);
}
