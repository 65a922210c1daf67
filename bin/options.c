/* options.c - respond-run's command line: getopt_long over curl-like
 * options, each applied to struct opts as it comes, and --help. */
#define _GNU_SOURCE 1

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "respond-run.h"
#include "internal.h"

static const char *const help_text[] = {
	"Usage: respond-run [options] PROGRAM [URL]\n"
	"   or: respond-run --check-only [--flavour cgi|nph|h2] [-I] < RESPONSE\n"
	"Run PROGRAM as a CGI/1.1 program (RFC 3875) for one request made from\n"
	"curl-like options, check its output against RFC 3875 and HTTP, and print\n"
	"the response body (with -i also the status line and the header fields).\n"
	"\n"
	"Request options:\n"
	"  -X, --request METHOD   request method (default GET; POST with -d or -F)\n"
	"  -I, --head             the same as -X HEAD -i\n"
	"  -H, --header 'Name: value'\n"
	"                         request header field; becomes HTTP_NAME (upper-\n"
	"                         case, '-' -> '_'), but Content-Type and\n"
	"                         Content-Length become CONTENT_TYPE and\n"
	"                         CONTENT_LENGTH; repeated: values joined with \", \"\n"
	"                         (Cookie: \"; \"); 'Name:' removes the field (also\n"
	"                         the default Host, Content-Type, Content-Length);\n"
	"                         'Name;' sends it with an empty value\n"
	"  -b, --cookie 'NAME=VALUE[; ...]'\n"
	"                         add to HTTP_COOKIE (several -b joined with \"; \");\n"
	"                         never read as a file name\n"
	"  -d, --data DATA        request body; @FILE reads FILE (@- standard input)\n"
	"                         byte for byte (unlike curl, CR and LF are kept);\n"
	"                         several -d are joined with '&'; CONTENT_TYPE is\n"
	"                         application/x-www-form-urlencoded unless -H sets it\n"
	"      --data-binary DATA the same as -d\n"
	"  -F, --form NAME=VALUE  multipart/form-data field (RFC 7578), VALUE used\n"
	"                         as is; NAME=@FILE uploads FILE (filename: its base\n"
	"                         name; Content-Type: application/octet-stream);\n"
	"                         NAME=<FILE uses FILE's bytes as a plain value; after\n"
	"                         @FILE or <FILE, ';type=TYPE' and ';filename=NAME'\n"
	"                         set the part's Content-Type and filename.\n"
	"                         CONTENT_TYPE: multipart/form-data; boundary=...\n"
	"  -e, --env NAME=VALUE   extra environment variable for PROGRAM; it replaces\n"
	"                         a variable respond-run sets; '-e NAME' removes one\n"
	"      --nph              PROGRAM is an NPH program (RFC 3875 §5): its output\n"
	"                         must be a complete HTTP response; implied when\n"
	"                         PROGRAM's file name starts with 'nph-'\n"
	"      --http2            SERVER_PROTOCOL=HTTP/2.0 instead of HTTP/1.1\n"
	"      --timeout SECONDS  after SECONDS (decimals allowed; default 30; 0:\n"
	"                         never) kill PROGRAM's process group with SIGKILL\n"
	"      --flavour cgi|nph|h2\n"
	"                         check the output as CGI, NPH (the same as --nph)\n"
	"                         or CGI for an HTTP/2 server (lower-case field\n"
	"                         names, no connection-specific fields)\n"
	"      --check-only       run no program: check the response on standard\n"
	"                         input (as --flavour says; for a HEAD request with\n"
	"                         -I or -X HEAD) and print only the findings\n"
	"Output options:\n"
	"  -i, --include          print the status line and header fields first\n"
	"  -o, --output FILE      write to FILE instead of standard output\n"
	"  -h, --help             print this help and exit\n"
	"      --version          print the version and exit\n"
	"Options may come before or after PROGRAM and URL; '--' ends the options.\n"
	"\n",
	"The request:\n"
	"  PROGRAM is a path (not searched in PATH); it runs with no arguments, in\n"
	"  its own directory and process group, with only these variables:\n"
	"  GATEWAY_INTERFACE=CGI/1.1, SERVER_SOFTWARE=respond-run/" RESPOND_RUN_VERSION
	",\n"
	"  SERVER_PROTOCOL, SERVER_NAME and SERVER_PORT (from the URL), REQUEST_METHOD,\n"
	"  REQUEST_SCHEME (http or https), HTTPS=on (https only), REQUEST_URI (the\n"
	"  raw path and query), SCRIPT_NAME, SCRIPT_FILENAME (absolute), PATH_INFO\n"
	"  (when not empty), QUERY_STRING (\"\" when there is none),\n"
	"  REMOTE_ADDR=127.0.0.1, REMOTE_PORT=" REMOTE_PORT
	", CONTENT_TYPE and\n"
	"  CONTENT_LENGTH (when there is a body), HTTP_HOST and the other HTTP_*\n"
	"  fields, PATH (respond-run's, else " DEFAULT_PATH "),\n"
	"  and the -e ones.\n"
	"  The body goes to PROGRAM's standard input (else /dev/null).\n"
	"  URL: [http[s]://]HOST[:PORT][/PATH][?QUERY], or /PATH[?QUERY]; default\n"
	"  http://localhost/.  HTTP_HOST is HOST, with :PORT unless it is the\n"
	"  scheme's default; a #fragment is dropped.  SCRIPT_NAME and PATH_INFO\n"
	"  follow RFC 3875 §4.1 with the percent-decoded path: when the path is\n"
	"  /BASE or starts with /BASE/ (BASE: PROGRAM's file name), SCRIPT_NAME is\n"
	"  /BASE and PATH_INFO the rest; otherwise PROGRAM is mounted at the root:\n"
	"  SCRIPT_NAME is \"\" and PATH_INFO is the whole path.\n"
	"\n",
	"The checks (each one printed to standard error after the program ends):\n"
	"  respond-run: violation: ...  (exit status 2)\n"
	"    no output; CGI: malformed Status (not 'Status: ddd reason'), no Status,\n"
	"    Content-Type or Location field, an HTTP status line instead of Status,\n"
	"    Status, Content-Type or Location twice, Transfer-Encoding, Connection,\n"
	"    Keep-Alive, Proxy-Connection or Upgrade from a non-NPH program, a local\n"
	"    redirect (Location: /path without Status) with other fields or a body;\n"
	"    NPH: first line not 'HTTP/1.x ddd reason', Content-Type or Location\n"
	"    twice, Transfer-Encoding with Content-Length; both: a status code below\n"
	"    100, a header line that is not 'name: value' (name: an RFC 9110 token;\n"
	"    no whitespace before the colon; no line folding), a control byte other\n"
	"    than HTAB in a value, a header block that never ends or is longer than\n"
	"    65536 bytes, a Content-Length that is not digits, appears twice,\n"
	"    disagrees with the body length, or is sent with 1xx/204, a body in the\n"
	"    response to HEAD or with status 1xx, 204, 205 or 304, a non-zero\n"
	"    Content-Length with 205; NPH: Transfer-Encoding with 1xx/204 or in\n"
	"    an HTTP/1.0 response, chunked twice or not last, a malformed chunked\n"
	"    body; h2: upper-case field names, connection-specific fields (and TE\n"
	"    other than trailers), values ending in whitespace.\n"
	"  respond-run: warning: ...    (exit status unchanged)\n"
	"    a non-empty body without Content-Type (RFC 3875 §6.3.1), a status\n"
	"    without the space and reason phrase, a status code 100-199 or\n"
	"    600-999, a Location that is neither an absolute URI nor an absolute\n"
	"    path, a client redirect with a body but without Status.\n"
	"  respond-run: error: ...      (exit status 1)\n"
	"    PROGRAM cannot be run, exits non-zero or dies by a signal; PROGRAM\n"
	"    has not exited, or its output (which its children may hold open) has\n"
	"    not ended, within the timeout; the output cannot be written.  After\n"
	"    a timeout the checks that need the whole output are skipped.\n"
	"  Lines may end in LF or CRLF.  PROGRAM's standard error is passed through\n"
	"  unchanged, as it arrives.\n"
	"\n"
	"Output: without -i only the body; with -i, for CGI, a status line\n"
	"'SERVER_PROTOCOL CODE REASON' + CRLF (from Status, else 302 Found with\n"
	"Location, else 200 OK), then the header lines and the empty line exactly\n"
	"as the program wrote them, Status lines left out; for NPH the header block\n"
	"as written.  The body of a response to HEAD is never printed.\n"
	"\n"
	"Exit status:\n"
	"  0   the program ran and its response follows the rules\n"
	"  1   the program could not be run, exited non-zero, was killed by a\n"
	"      signal or timed out, or the output could not be written (also when\n"
	"      there are violations)\n"
	"  2   protocol violation\n"
	"  64  usage error (bad option, URL or file named by an option)\n"
	"\n"
	"Environment:\n"
	"  RESPOND_RUN_BOUNDARY  fixed multipart boundary for -F (for tests)\n",
};

static void print_help(void)
{
	for (size_t i = 0; i < sizeof help_text / sizeof help_text[0]; i++)
		if (fputs(help_text[i], stdout) == EOF)
			break;
	if (fflush(stdout) != 0)
		exit(EXIT_FAILED);
}

/* ------------------------------------------------------------------------ */
/* Options                                                                  */

static void opt_header(struct opts *o, const char *arg, const char *what)
{
	const char *colon = strchr(arg, ':');
	struct hdr_op h;
	if (colon) {
		h.name = xstrndup(arg, (size_t)(colon - arg));
		const char *v = colon + 1;
		while (rsp__is_ws(*v))
			v++;
		size_t n = strlen(v);
		while (n > 0 && rsp__is_ws(v[n - 1]))
			n--;
		h.value = xstrndup(v, n);
		h.op = colon[1] == '\0' ? HOP_REMOVE : HOP_ADD;
	} else {
		size_t n = strlen(arg);
		if (n == 0 || arg[n - 1] != ';')
			usage_error("%s '%s' is not 'Name: value'", what, arg);
		h.name = xstrndup(arg, n - 1);
		h.value = xstrdup("");
		h.op = HOP_ADD_EMPTY;
	}
	if (!is_token(h.name, strlen(h.name)))
		usage_error("%s '%s': the field name is not an HTTP token",
		    what, arg);
	if (strpbrk(h.value, "\r\n"))
		usage_error("%s '%s': the value contains CR or LF", what,
		    h.name);
	o->hops = xrealloc(o->hops, (o->nhops + 1) * sizeof *o->hops);
	o->hops[o->nhops++] = h;
}

static void opt_cookie(struct opts *o, const char *arg)
{
	if (strpbrk(arg, "\r\n"))
		usage_error("-b: the cookie contains CR or LF");
	struct hdr_op h = { HOP_ADD, xstrdup("Cookie"), xstrdup(arg) };
	if (arg[0] == '\0')
		h.op = HOP_ADD_EMPTY;
	o->hops = xrealloc(o->hops, (o->nhops + 1) * sizeof *o->hops);
	o->hops[o->nhops++] = h;
}

static void opt_data(struct opts *o, const char *arg)
{
	if (o->have_data)
		buf_add(&o->data, "&", 1);
	o->have_data = 1;
	if (arg[0] == '@') {
		int e = read_file(arg + 1, &o->data);
		if (e)
			usage_error("-d: cannot read '%s': %s", arg + 1,
			    strerror(e));
	} else {
		buf_adds(&o->data, arg);
	}
}

static void opt_form(struct opts *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg) {
		usage_error("-F '%s' is not NAME=VALUE", arg);
		return; /* (for analysers that see no _Noreturn) */
	}
	struct form_part p = { 0 };
	p.name = xstrndup(arg, (size_t)(eq - arg));
	const char *v = eq + 1;
	if (v[0] == '@' || v[0] == '<') {
		int upload = v[0] == '@';
		const char *semi = strchr(v + 1, ';');
		char *path = semi ? xstrndup(v + 1, (size_t)(semi - v - 1))
		                  : xstrdup(v + 1);
		if (path[0] == '\0')
			usage_error("-F '%s': no file name after '%c'", arg,
			    v[0]);
		while (semi) {
			const char *m = semi + 1;
			semi = strchr(m, ';');
			size_t n = semi ? (size_t)(semi - m) : strlen(m);
			if (n >= 5 && strncmp(m, "type=", 5) == 0) {
				free(p.type);
				p.type = xstrndup(m + 5, n - 5);
			} else if (n >= 9 && strncmp(m, "filename=", 9) == 0) {
				free(p.filename);
				p.filename = xstrndup(m + 9, n - 9);
			} else {
				usage_error(
				    "-F '%s': unknown modifier '%.*s' (type= or "
				    "filename=)",
				    arg, (int)n, m);
			}
		}
		if (p.type && strpbrk(p.type, "\r\n"))
			usage_error("-F '%s': the type contains CR or LF", arg);
		if (upload) {
			if (!p.filename)
				p.filename = xstrdup(strcmp(path, "-") == 0
				        ? "-"
				        : base_name(path));
			if (!p.type)
				p.type = xstrdup("application/octet-stream");
		}
		int e = read_file(path, &p.data);
		if (e)
			usage_error("-F: cannot read '%s': %s", path,
			    strerror(e));
		free(path);
	} else {
		buf_adds(&p.data, v);
	}
	o->parts = xrealloc(o->parts, (o->nparts + 1) * sizeof *o->parts);
	o->parts[o->nparts++] = p;
}

static long long parse_timeout(const char *s)
{
	long long whole = 0, frac = 0;
	int fdigits = 0;
	const char *p = s;
	if (!(*p >= '0' && *p <= '9') &&
	    !(*p == '.' && p[1] >= '0' && p[1] <= '9'))
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > 100000000LL)
			return -1;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (fdigits < 3) {
				frac = frac * 10 + (*p - '0');
				fdigits++;
			}
		while (fdigits < 3) {
			frac *= 10;
			fdigits++;
		}
	}
	if (*p != '\0')
		return -1;
	return whole * 1000 + frac;
}

enum {
	O_REQUEST = 'X',
	O_HEAD = 'I',
	O_HEADER = 'H',
	O_COOKIE = 'b',
	O_DATA = 'd',
	O_FORM = 'F',
	O_ENV = 'e',
	O_INCLUDE = 'i',
	O_OUTPUT = 'o',
	O_HELP = 'h',
	O_NPH = 256,
	O_HTTP2,
	O_TIMEOUT,
	O_VERSION,
	O_CHECK_ONLY,
	O_FLAVOUR
};

static const char short_opts[] = "-:X:IH:b:d:F:e:io:h";

static const struct option long_opts[] = {
	{ "request", required_argument, NULL, O_REQUEST },
	{ "head", no_argument, NULL, O_HEAD },
	{ "header", required_argument, NULL, O_HEADER },
	{ "cookie", required_argument, NULL, O_COOKIE },
	{ "data", required_argument, NULL, O_DATA },
	{ "data-binary", required_argument, NULL, O_DATA },
	{ "form", required_argument, NULL, O_FORM },
	{ "env", required_argument, NULL, O_ENV },
	{ "nph", no_argument, NULL, O_NPH },
	{ "http2", no_argument, NULL, O_HTTP2 },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "flavour", required_argument, NULL, O_FLAVOUR },
	{ "check-only", no_argument, NULL, O_CHECK_ONLY },
	{ "include", no_argument, NULL, O_INCLUDE },
	{ "output", required_argument, NULL, O_OUTPUT },
	{ "help", no_argument, NULL, O_HELP },
	{ "version", no_argument, NULL, O_VERSION },
	{ NULL, 0, NULL, 0 },
};

static void opt_flavour(struct opts *o, const char *arg)
{
	static const char *const names[] = { "cgi", "nph", "h2" };
	for (int i = 0; i < 3; i++)
		if (strcmp(arg, names[i]) == 0) {
			o->flavour = i;
			return;
		}
	usage_error("--flavour '%s' is not cgi, nph or h2", arg);
}

/* -X: the method, which must be a token to reach the CGI as it is. */
static void opt_request(struct opts *o, const char *arg)
{
	if (!is_token(arg, strlen(arg)))
		usage_error("-X '%s': a method must be an HTTP token", arg);
	o->method = arg;
}

/* -e: one environment variable, set (NAME=VALUE) or passed on (NAME). */
static void opt_env(struct opts *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	if (arg[0] == '\0' || eq == arg)
		usage_error("-e '%s' is not NAME=VALUE or NAME", arg);
	o->envs = xrealloc(o->envs, (o->nenvs + 1) * sizeof *o->envs);
	o->envs[o->nenvs++] = xstrdup(arg);
}

/* --timeout: seconds, kept in milliseconds. */
static void opt_timeout(struct opts *o, const char *arg)
{
	o->timeout_ms = parse_timeout(arg);
	if (o->timeout_ms < 0)
		usage_error("--timeout '%s' is not a number of seconds", arg);
}

/* One option without a value: a switch, or --help and --version, which
 * answer and exit. */
static void apply_flag(struct opts *o, int id)
{
	switch (id) {
	case O_HEAD:
		o->method = "HEAD";
		o->include = 1;
		break;
	case O_NPH:
		o->flavour = RSP_CHECK_NPH;
		break;
	case O_HTTP2:
		o->http2 = 1;
		break;
	case O_CHECK_ONLY:
		o->check_only = 1;
		break;
	case O_INCLUDE:
		o->include = 1;
		break;
	case O_HELP:
		print_help();
		exit(EXIT_GOOD);
	case O_VERSION:
		if (printf("%s %s\n", PROG, RESPOND_RUN_VERSION) < 0 ||
		    fflush(stdout) != 0)
			exit(EXIT_FAILED);
		exit(EXIT_GOOD);
	default:
		break;
	}
}

/* One option with its value (NULL for a flag). */
static void apply_opt(struct opts *o, int id, const char *arg)
{
	switch (id) {
	case O_REQUEST:
		opt_request(o, arg);
		break;
	case O_HEADER:
		opt_header(o, arg, "-H");
		break;
	case O_COOKIE:
		opt_cookie(o, arg);
		break;
	case O_DATA:
		opt_data(o, arg);
		break;
	case O_FORM:
		opt_form(o, arg);
		break;
	case O_ENV:
		opt_env(o, arg);
		break;
	case O_TIMEOUT:
		opt_timeout(o, arg);
		break;
	case O_FLAVOUR:
		opt_flavour(o, arg);
		break;
	case O_OUTPUT:
		o->output = arg;
		break;
	default:
		apply_flag(o, id);
		break;
	}
}

static void positional(struct opts *o, const char *a)
{
	if (!o->program)
		o->program = a;
	else if (!o->url)
		o->url = a;
	else
		usage_error("unexpected argument '%s'", a);
}

/* getopt_long's '?' and ':' in our words.  arg is the element it was on
 * when it has moved past it: always for a long option or a missing value,
 * not for an unknown letter inside a cluster (optopt says which). */
static void bad_option(int c, const char *arg)
{
	if (c == ':' && strncmp(arg, "--", 2) == 0)
		usage_error("option '%s' needs a value", arg);
	if (c == ':')
		usage_error("option '-%c' needs a value", optopt);
	if (optopt == 0)
		usage_error("unknown option '%.*s'", (int)strcspn(arg, "="),
		    arg);
	if (optopt >= 256 || strchr("Iih", optopt))
		usage_error("option '%.*s' takes no value",
		    (int)strcspn(arg, "="), arg);
	usage_error("unknown option '-%c'", optopt);
}

void parse_args(struct opts *o, int argc, char **argv)
{
	int c;
	o->timeout_ms = 30000;
	o->flavour = -1;
	opterr = 0;
	/* "-": operands come back in order (as 1), so options may follow
     * PROGRAM and URL; after "--" getopt_long leaves the rest to us. */
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) !=
	    -1) {
		if (c == 1)
			positional(o, optarg);
		else if (c == '?' || c == ':')
			bad_option(c, argv[optind - 1]);
		else
			apply_opt(o, c, optarg);
	}
	for (; optind < argc; optind++)
		positional(o, argv[optind]);
	if (o->check_only && o->program)
		usage_error(
		    "--check-only reads a response from standard input; "
		    "unexpected argument '%s'",
		    o->program);
	if (!o->program && !o->check_only)
		usage_error("missing PROGRAM");
	if (o->have_data && o->nparts)
		usage_error("-d and -F cannot be used together");
}
