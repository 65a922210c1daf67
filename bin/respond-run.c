/* respond-run: run a CGI program (RFC 3875) for one request built from
 * curl-like options, check what it writes against RFC 3875 and HTTP, and
 * print the response.  Standalone: it does not use librespond and works with
 * any CGI or NPH program.
 *
 * Structure:
 *   options      command line -> struct opts
 *   request      URL, header fields, body -> environment + stdin bytes
 *   child        fork/exec in its own process group with a clean environment
 *   loop         poll(): body -> child stdin, child stdout -> checker,
 *                child stderr -> our stderr; timeout; reaping
 *   checker      header block (bounded), checks, -i output, streamed body
 */
#define _GNU_SOURCE 1

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef RESPOND_RUN_VERSION
#define RESPOND_RUN_VERSION "0.1.0"
#endif

#define PROG "respond-run"
#define HEADER_CAP 65536        /* largest header block accepted */
#define DIAG_CAP 50             /* diagnostics printed before summarising */
#define REMOTE_PORT "54321"
#define DEFAULT_PATH "/usr/local/bin:/usr/bin:/bin"

#define EXIT_GOOD 0
#define EXIT_FAILED 1
#define EXIT_VIOLATION 2
#define EXIT_USAGE 64

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define NORETURN __attribute__((noreturn))
#else
#define PRINTF_LIKE(f, a)
#define NORETURN
#endif

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

static void die_oom(void) NORETURN;
static void die_oom(void)
{
    static const char msg[] = PROG ": error: out of memory\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    exit(EXIT_FAILED);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die_oom();
    return q;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xrealloc(NULL, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

static char *xvasprintf(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
static char *xvasprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): clang-tidy 14 bug, LLVM #40656 */
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        die_oom();
    char *p = xrealloc(NULL, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

static char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = xvasprintf(fmt, ap);
    va_end(ap);
    return p;
}

struct buf {
    char *p;
    size_t len, cap;
};

static void buf_add(struct buf *b, const void *d, size_t n)
{
    if (n == 0)
        return;
    if (b->len + n < b->len)
        die_oom();
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n) {
            if (cap > SIZE_MAX / 2)
                die_oom();
            cap *= 2;
        }
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

static void buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void buf_free(struct buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

/* Write all of d to fd; returns 0 or an errno value. */
static int write_all(int fd, const void *d, size_t n)
{
    const char *p = d;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void err_puts(const char *s)
{
    (void)write_all(2, s, strlen(s));
}

/* "..." with C-style escapes, at most 60 bytes of s shown. */
static char *quote(const void *v, size_t n)
{
    const unsigned char *s = v;
    struct buf b = {0};
    size_t shown = n > 60 ? 60 : n;
    buf_adds(&b, "\"");
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = s[i];
        char tmp[8];
        if (c == '"' || c == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)c;
            buf_add(&b, tmp, 2);
        } else if (c == '\r') {
            buf_adds(&b, "\\r");
        } else if (c == '\n') {
            buf_adds(&b, "\\n");
        } else if (c == '\t') {
            buf_adds(&b, "\\t");
        } else if (c < 0x20 || c >= 0x7f) {
            snprintf(tmp, sizeof tmp, "\\x%02X", c);
            buf_adds(&b, tmp);
        } else {
            buf_add(&b, &c, 1);
        }
    }
    buf_adds(&b, shown < n ? "\"..." : "\"");
    buf_add(&b, "", 1);
    return b.p;
}

static int is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9'))
        return 1;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_token(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_tchar((unsigned char)s[i]))
            return 0;
    return 1;
}

static int is_ctl(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

static int ieq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGUSR1: return "SIGUSR1";
    case SIGSEGV: return "SIGSEGV";
    case SIGUSR2: return "SIGUSR2";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
    case SIGXCPU: return "SIGXCPU";
    case SIGXFSZ: return "SIGXFSZ";
    default: return NULL;
    }
}

/* ------------------------------------------------------------------------ */
/* Diagnostics: violations and warnings are collected and printed after the
 * program's output has ended, so that they never interleave with the
 * program's own standard error.                                            */

static struct {
    char **lines;
    size_t n, dropped;
    unsigned violations, warnings;
} diags;

static void diag_add(int violation, const char *fmt, va_list ap) PRINTF_LIKE(2, 0);
static void diag_add(int violation, const char *fmt, va_list ap)
{
    if (violation)
        diags.violations++;
    else
        diags.warnings++;
    if (diags.n >= DIAG_CAP) {
        diags.dropped++;
        return;
    }
    char *msg = xvasprintf(fmt, ap);
    diags.lines = xrealloc(diags.lines, (diags.n + 1) * sizeof *diags.lines);
    diags.lines[diags.n++] = xasprintf("%s: %s: %s\n", PROG,
                                       violation ? "violation" : "warning",
                                       msg);
    free(msg);
}

static void violation(const char *fmt, ...) PRINTF_LIKE(1, 2);
static void violation(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_add(1, fmt, ap);
    va_end(ap);
}

static void warning(const char *fmt, ...) PRINTF_LIKE(1, 2);
static void warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_add(0, fmt, ap);
    va_end(ap);
}

static void diags_print(void)
{
    for (size_t i = 0; i < diags.n; i++)
        err_puts(diags.lines[i]);
    if (diags.dropped) {
        char *s = xasprintf("%s: note: %zu more violations and warnings not "
                            "shown\n", PROG, diags.dropped);
        err_puts(s);
        free(s);
    }
}

/* An error of the run itself (exit status 1). */
static void error_msg(const char *fmt, ...) PRINTF_LIKE(1, 2);
static void error_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    char *line = xasprintf("%s: error: %s\n", PROG, msg);
    err_puts(line);
    free(line);
    free(msg);
}

static void usage_error(const char *fmt, ...) PRINTF_LIKE(1, 2) NORETURN;
static void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    char *line = xasprintf("%s: %s\nTry '%s --help' for more information.\n",
                           PROG, msg, PROG);
    err_puts(line);
    free(line);
    free(msg);
    exit(EXIT_USAGE);
}

/* ------------------------------------------------------------------------ */
/* Help                                                                     */

static const char *const help_text[] = {
"Usage: respond-run [options] PROGRAM [URL]\n"
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
"  GATEWAY_INTERFACE=CGI/1.1, SERVER_SOFTWARE=respond-run/" RESPOND_RUN_VERSION ",\n"
"  SERVER_PROTOCOL, SERVER_NAME and SERVER_PORT (from the URL), REQUEST_METHOD,\n"
"  REQUEST_SCHEME (http or https), HTTPS=on (https only), REQUEST_URI (the\n"
"  raw path and query), SCRIPT_NAME, SCRIPT_FILENAME (absolute), PATH_INFO\n"
"  (when not empty), QUERY_STRING (\"\" when there is none),\n"
"  REMOTE_ADDR=127.0.0.1, REMOTE_PORT=" REMOTE_PORT ", CONTENT_TYPE and\n"
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
"    response to HEAD or with status 204 or 304.\n"
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

enum hop { HOP_ADD, HOP_ADD_EMPTY, HOP_REMOVE };

struct hdr_op {                 /* one -H or -b, applied after parsing */
    enum hop op;
    char *name;                 /* field name as given */
    char *value;
};

struct form_part {
    char *name;
    char *filename;             /* NULL: no filename parameter */
    char *type;                 /* NULL: no Content-Type line */
    struct buf data;
};

struct opts {
    const char *method;
    struct hdr_op *hops;
    size_t nhops;
    int have_data;
    struct buf data;
    struct form_part *parts;
    size_t nparts;
    char **envs;                /* "NAME=VALUE" or "NAME" (remove) */
    size_t nenvs;
    int nph, http2, include;
    const char *output;
    long long timeout_ms;
    const char *timeout_arg;
    const char *program;
    const char *url;
};

static int read_file(const char *path, struct buf *b)
{
    int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    char tmp[65536];
    for (;;) {
        ssize_t r = read(fd, tmp, sizeof tmp);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            if (fd != 0)
                close(fd);
            return e;
        }
        if (r == 0)
            break;
        buf_add(b, tmp, (size_t)r);
    }
    if (fd != 0)
        close(fd);
    return 0;
}

static void opt_header(struct opts *o, const char *arg, const char *what)
{
    const char *colon = strchr(arg, ':');
    struct hdr_op h;
    if (colon) {
        h.name = xstrndup(arg, (size_t)(colon - arg));
        const char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        size_t n = strlen(v);
        while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
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
        usage_error("%s '%s': the field name is not an HTTP token", what, arg);
    if (strpbrk(h.value, "\r\n"))
        usage_error("%s '%s': the value contains CR or LF", what, h.name);
    o->hops = xrealloc(o->hops, (o->nhops + 1) * sizeof *o->hops);
    o->hops[o->nhops++] = h;
}

static void opt_cookie(struct opts *o, const char *arg)
{
    if (strpbrk(arg, "\r\n"))
        usage_error("-b: the cookie contains CR or LF");
    struct hdr_op h = {HOP_ADD, xstrdup("Cookie"), xstrdup(arg)};
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
            usage_error("-d: cannot read '%s': %s", arg + 1, strerror(e));
    } else {
        buf_adds(&o->data, arg);
    }
}

static void opt_form(struct opts *o, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        usage_error("-F '%s' is not NAME=VALUE", arg);
    struct form_part p = {0};
    p.name = xstrndup(arg, (size_t)(eq - arg));
    const char *v = eq + 1;
    if (v[0] == '@' || v[0] == '<') {
        int upload = v[0] == '@';
        const char *semi = strchr(v + 1, ';');
        char *path = semi ? xstrndup(v + 1, (size_t)(semi - v - 1))
                          : xstrdup(v + 1);
        if (path[0] == '\0')
            usage_error("-F '%s': no file name after '%c'", arg, v[0]);
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
                usage_error("-F '%s': unknown modifier '%.*s' (type= or "
                            "filename=)", arg, (int)n, m);
            }
        }
        if (p.type && strpbrk(p.type, "\r\n"))
            usage_error("-F '%s': the type contains CR or LF", arg);
        if (upload) {
            if (!p.filename)
                p.filename = xstrdup(strcmp(path, "-") == 0 ? "-"
                                                            : base_name(path));
            if (!p.type)
                p.type = xstrdup("application/octet-stream");
        }
        int e = read_file(path, &p.data);
        if (e)
            usage_error("-F: cannot read '%s': %s", path, strerror(e));
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
    if (!(*p >= '0' && *p <= '9') && !(*p == '.' && p[1] >= '0' && p[1] <= '9'))
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
    O_REQUEST = 'X', O_HEAD = 'I', O_HEADER = 'H', O_COOKIE = 'b',
    O_DATA = 'd', O_FORM = 'F', O_ENV = 'e', O_INCLUDE = 'i', O_OUTPUT = 'o',
    O_HELP = 'h', O_NPH = 256, O_HTTP2, O_TIMEOUT, O_VERSION
};

static const struct {
    const char *name;
    int id;
    int has_arg;
} long_opts[] = {
    {"request", O_REQUEST, 1}, {"head", O_HEAD, 0}, {"header", O_HEADER, 1},
    {"cookie", O_COOKIE, 1}, {"data", O_DATA, 1}, {"data-binary", O_DATA, 1},
    {"form", O_FORM, 1}, {"env", O_ENV, 1}, {"nph", O_NPH, 0},
    {"http2", O_HTTP2, 0}, {"timeout", O_TIMEOUT, 1},
    {"include", O_INCLUDE, 0}, {"output", O_OUTPUT, 1}, {"help", O_HELP, 0},
    {"version", O_VERSION, 0},
};

/* An option without a value. */
static void apply_flag(struct opts *o, int id)
{
    switch (id) {
    case O_HEAD:
        o->method = "HEAD";
        o->include = 1;
        break;
    case O_NPH:
        o->nph = 1;
        break;
    case O_HTTP2:
        o->http2 = 1;
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

/* An option with its value (never NULL). */
static void apply_opt(struct opts *o, int id, const char *arg)
{
    switch (id) {
    case O_REQUEST:
        if (!is_token(arg, strlen(arg)))
            usage_error("-X '%s': a method must be an HTTP token", arg);
        o->method = arg;
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
    case O_ENV: {
        const char *eq = strchr(arg, '=');
        if (arg[0] == '\0' || eq == arg)
            usage_error("-e '%s' is not NAME=VALUE or NAME", arg);
        o->envs = xrealloc(o->envs, (o->nenvs + 1) * sizeof *o->envs);
        o->envs[o->nenvs++] = xstrdup(arg);
        break;
    }
    case O_TIMEOUT:
        o->timeout_ms = parse_timeout(arg);
        if (o->timeout_ms < 0)
            usage_error("--timeout '%s' is not a number of seconds", arg);
        o->timeout_arg = arg;
        break;
    case O_OUTPUT:
        o->output = arg;
        break;
    default:
        break;
    }
}

static void parse_args(struct opts *o, int argc, char **argv)
{
    int npos = 0, dashdash = 0;
    o->timeout_ms = 30000;
    o->timeout_arg = "30";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (dashdash || a[0] != '-' || a[1] == '\0') {
            if (npos == 0)
                o->program = a;
            else if (npos == 1)
                o->url = a;
            else
                usage_error("unexpected argument '%s'", a);
            npos++;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            dashdash = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
            size_t k;
            for (k = 0; k < sizeof long_opts / sizeof long_opts[0]; k++)
                if (strlen(long_opts[k].name) == nlen &&
                    strncmp(long_opts[k].name, name, nlen) == 0)
                    break;
            if (k == sizeof long_opts / sizeof long_opts[0])
                usage_error("unknown option '--%.*s'", (int)nlen, name);
            if (long_opts[k].has_arg) {
                const char *arg;
                if (eq)
                    arg = eq + 1;
                else if (i + 1 < argc)
                    arg = argv[++i];
                else
                    usage_error("option '--%s' needs a value",
                                long_opts[k].name);
                apply_opt(o, long_opts[k].id, arg);
            } else {
                if (eq)
                    usage_error("option '--%s' takes no value",
                                long_opts[k].name);
                apply_flag(o, long_opts[k].id);
            }
            continue;
        }
        for (const char *c = a + 1; *c; c++) {
            static const char with_arg[] = "XHbdFeo";
            static const char without[] = "Iih";
            if (strchr(with_arg, *c)) {
                const char *arg;
                if (c[1])
                    arg = c + 1;
                else if (i + 1 < argc)
                    arg = argv[++i];
                else
                    usage_error("option '-%c' needs a value", *c);
                apply_opt(o, *c, arg);
                break;
            }
            if (!strchr(without, *c))
                usage_error("unknown option '-%c'", *c);
            apply_flag(o, *c);
        }
    }
    if (!o->program)
        usage_error("missing PROGRAM");
    if (o->have_data && o->nparts)
        usage_error("-d and -F cannot be used together");
}

/* ------------------------------------------------------------------------ */
/* The request: URL, meta-variables, body                                   */

struct url {
    int https;
    char *host;                 /* as written, brackets kept for IPv6 */
    unsigned port;
    int port_default;
    char *path;                 /* raw, starts with '/' */
    char *query;                /* raw, NULL when there is no '?' */
};

static void parse_url(const char *in, struct url *u)
{
    char *owned = NULL;
    const char *s = in;
    if (s[0] == '/')
        s = owned = xasprintf("http://localhost%s", in);
    const char *sep = strstr(s, "://");
    const char *scheme_end = sep;
    for (const char *p = s; sep && p < sep; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' ||
              *p == '.'))
            sep = NULL;             /* "://" later in the URL */
    const char *rest;
    if (sep) {
        size_t n = (size_t)(scheme_end - s);
        if (ieq(s, n, "http"))
            u->https = 0;
        else if (ieq(s, n, "https"))
            u->https = 1;
        else
            usage_error("URL '%s': only http and https are supported", in);
        rest = sep + 3;
    } else {
        u->https = 0;
        rest = s;
    }
    for (const unsigned char *p = (const unsigned char *)rest; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            usage_error("URL '%s' contains a space or control character", in);
    size_t alen = strcspn(rest, "/?#");
    const char *auth = rest, *auth_end = rest + alen;
    if (memchr(auth, '@', alen))
        usage_error("URL '%s': user information is not supported (use "
                    "-H 'Authorization: ...')", in);
    const char *host_end;
    if (auth[0] == '[') {
        const char *rb = memchr(auth, ']', alen);
        if (!rb)
            usage_error("URL '%s': unterminated '[' in the host", in);
        host_end = rb + 1;
    } else {
        host_end = memchr(auth, ':', alen);
        if (!host_end)
            host_end = auth_end;
    }
    if (host_end == auth)
        usage_error("URL '%s' has no host", in);
    for (const char *p = auth; p < host_end; p++)
        if (auth[0] != '[' && !(is_tchar((unsigned char)*p) || *p == '(' ||
                                *p == ')' || *p == ',' || *p == ';' ||
                                *p == '='))
            usage_error("URL '%s': bad character '%c' in the host", in, *p);
    u->host = xstrndup(auth, (size_t)(host_end - auth));
    u->port = u->https ? 443 : 80;
    u->port_default = 1;
    if (host_end < auth_end) {
        if (*host_end != ':')
            usage_error("URL '%s': bad character after the host", in);
        const char *p = host_end + 1;
        if (p < auth_end) {
            unsigned long port = 0;
            for (; p < auth_end; p++) {
                if (*p < '0' || *p > '9' || port > 65535)
                    usage_error("URL '%s': bad port", in);
                port = port * 10 + (unsigned long)(*p - '0');
            }
            if (port == 0 || port > 65535)
                usage_error("URL '%s': bad port", in);
            u->port = (unsigned)port;
            u->port_default = u->port == (u->https ? 443u : 80u);
        }
    }
    const char *p = auth_end;
    size_t plen = strcspn(p, "?#");
    u->path = plen ? xstrndup(p, plen) : xstrdup("/");
    p += plen;
    if (*p == '?') {
        p++;
        u->query = xstrndup(p, strcspn(p, "#"));
    } else {
        u->query = NULL;
    }
    free(owned);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode a path; a '%' not followed by two hex digits stays. */
static char *pct_decode(const char *s)
{
    size_t n = strlen(s);
    char *out = xrealloc(NULL, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        int h, l;
        if (s[i] == '%' && i + 2 < n && (h = hexval(s[i + 1])) >= 0 &&
            (l = hexval(s[i + 2])) >= 0) {
            if (h == 0 && l == 0)
                usage_error("the URL path contains %%00");
            *o++ = (char)(h * 16 + l);
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

struct env {
    char **v;
    size_t n;
};

static void env_set(struct env *e, const char *name, const char *value)
{
    size_t nl = strlen(name);
    char *kv = xasprintf("%s=%s", name, value);
    for (size_t i = 0; i < e->n; i++)
        if (strncmp(e->v[i], name, nl) == 0 && e->v[i][nl] == '=') {
            free(e->v[i]);
            e->v[i] = kv;
            return;
        }
    e->v = xrealloc(e->v, (e->n + 2) * sizeof *e->v);
    e->v[e->n++] = kv;
    e->v[e->n] = NULL;
}

static void env_unset(struct env *e, const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i < e->n; i++)
        if (strncmp(e->v[i], name, nl) == 0 && e->v[i][nl] == '=') {
            free(e->v[i]);
            memmove(e->v + i, e->v + i + 1, (e->n - i) * sizeof *e->v);
            e->n--;
            return;
        }
}

/* Request header fields, keyed by their meta-variable name. */
struct field {
    char *var;
    struct buf value;
    int is_default;             /* replaced, not joined, by a user field */
};

struct fields {
    struct field *f;
    size_t n;
};

static char *meta_name(const char *name)
{
    if (strcasecmp(name, "Content-Type") == 0)
        return xstrdup("CONTENT_TYPE");
    if (strcasecmp(name, "Content-Length") == 0)
        return xstrdup("CONTENT_LENGTH");
    char *v = xasprintf("HTTP_%s", name);
    for (char *p = v + 5; *p; p++)
        *p = *p == '-' ? '_' : (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
    return v;
}

static struct field *fields_find(struct fields *fs, const char *var)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].var, var) == 0)
            return &fs->f[i];
    return NULL;
}

static void fields_add(struct fields *fs, const char *name, const char *value,
                       int is_default)
{
    char *var = meta_name(name);
    struct field *f = fields_find(fs, var);
    if (f && f->is_default) {
        f->value.len = 0;
        f->is_default = 0;
        buf_adds(&f->value, value);
        free(var);
        return;
    }
    if (f) {
        buf_adds(&f->value, strcmp(var, "HTTP_COOKIE") == 0 ? "; " : ", ");
        buf_adds(&f->value, value);
        free(var);
        return;
    }
    fs->f = xrealloc(fs->f, (fs->n + 1) * sizeof *fs->f);
    f = &fs->f[fs->n++];
    f->var = var;
    memset(&f->value, 0, sizeof f->value);
    buf_adds(&f->value, value);
    f->is_default = is_default;
}

static void fields_remove(struct fields *fs, const char *name)
{
    char *var = meta_name(name);
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].var, var) == 0) {
            free(fs->f[i].var);
            buf_free(&fs->f[i].value);
            memmove(fs->f + i, fs->f + i + 1, (fs->n - i - 1) * sizeof *fs->f);
            fs->n--;
            break;
        }
    free(var);
}

static int valid_boundary(const char *b)
{
    size_t n = strlen(b);
    if (n < 1 || n > 70 || b[n - 1] == ' ')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = b[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || strchr("'()+_,-./:=? ", c)))
            return 0;
    }
    return 1;
}

static void random_boundary(char *out, size_t size)
{
    unsigned char rnd[12];
    size_t got = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t r = read(fd, rnd, sizeof rnd);
        got = r > 0 ? (size_t)r : 0;
        close(fd);
    }
    if (got < sizeof rnd) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long x = (unsigned long long)ts.tv_nsec ^
                               ((unsigned long long)ts.tv_sec << 20) ^
                               ((unsigned long long)getpid() << 40);
        for (size_t i = 0; i < sizeof rnd; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            rnd[i] = (unsigned char)(x >> 56);
        }
    }
    int n = snprintf(out, size, "----respond-run-");
    for (size_t i = 0; i < sizeof rnd && (size_t)n + 3 <= size; i++)
        n += snprintf(out + n, size - (size_t)n, "%02x", rnd[i]);
}

/* A name or filename parameter: '"' -> %22, CR -> %0D, LF -> %0A. */
static void add_quoted_param(struct buf *b, const char *s)
{
    buf_add(b, "\"", 1);
    for (; *s; s++) {
        if (*s == '"')
            buf_adds(b, "%22");
        else if (*s == '\r')
            buf_adds(b, "%0D");
        else if (*s == '\n')
            buf_adds(b, "%0A");
        else
            buf_add(b, s, 1);
    }
    buf_add(b, "\"", 1);
}

static int boundary_collides(const struct opts *o, const char *bnd)
{
    size_t bl = strlen(bnd);
    for (size_t i = 0; i < o->nparts; i++) {
        const struct form_part *p = &o->parts[i];
        if (memmem(p->data.p ? p->data.p : "", p->data.len, bnd, bl) ||
            strstr(p->name, bnd) || (p->filename && strstr(p->filename, bnd)))
            return 1;
    }
    return 0;
}

static void build_multipart(const struct opts *o, struct buf *body,
                            char **content_type)
{
    char bnd[80];
    const char *fixed = getenv("RESPOND_RUN_BOUNDARY");
    if (fixed) {
        if (!valid_boundary(fixed))
            usage_error("RESPOND_RUN_BOUNDARY is not a valid boundary "
                        "(RFC 2046 §5.1.1)");
        snprintf(bnd, sizeof bnd, "%s", fixed);
    } else {
        int tries = 0;
        do
            random_boundary(bnd, sizeof bnd);
        while (boundary_collides(o, bnd) && ++tries < 16);
    }
    for (size_t i = 0; i < o->nparts; i++) {
        const struct form_part *p = &o->parts[i];
        buf_adds(body, "--");
        buf_adds(body, bnd);
        buf_adds(body, "\r\nContent-Disposition: form-data; name=");
        add_quoted_param(body, p->name);
        if (p->filename) {
            buf_adds(body, "; filename=");
            add_quoted_param(body, p->filename);
        }
        buf_adds(body, "\r\n");
        if (p->type) {
            buf_adds(body, "Content-Type: ");
            buf_adds(body, p->type);
            buf_adds(body, "\r\n");
        }
        buf_adds(body, "\r\n");
        buf_add(body, p->data.p, p->data.len);
        buf_adds(body, "\r\n");
    }
    buf_adds(body, "--");
    buf_adds(body, bnd);
    buf_adds(body, "--\r\n");
    *content_type = xasprintf("multipart/form-data; boundary=%s", bnd);
}

struct request {
    struct env env;
    int has_body;
    struct buf body;
    char *filename;             /* absolute path to execute */
    char *dir;                  /* its directory */
    const char *method;
    int head;
};

static void build_request(struct opts *o, struct request *rq)
{
    struct url u = {0};
    parse_url(o->url ? o->url : "http://localhost/", &u);

    char *ctype = NULL;
    if (o->nparts) {
        build_multipart(o, &rq->body, &ctype);
        rq->has_body = 1;
    } else if (o->have_data) {
        buf_add(&rq->body, o->data.p, o->data.len);
        ctype = xstrdup("application/x-www-form-urlencoded");
        rq->has_body = 1;
    }
    rq->method = o->method ? o->method : rq->has_body ? "POST" : "GET";
    rq->head = strcmp(rq->method, "HEAD") == 0;

    /* SCRIPT_FILENAME: the directory resolved, the file name kept, so that
     * a symlink called nph-something stays nph-something. */
    const char *prog = o->program;
    size_t plen = strlen(prog);
    if (plen == 0 || prog[plen - 1] == '/')
        usage_error("PROGRAM '%s' is not a file name", prog);
    const char *base = base_name(prog);
    char *dir = base == prog ? xstrdup(".")
                             : xstrndup(prog, (size_t)(base - prog));
    char *rdir = realpath(dir, NULL);
    if (!rdir) {
        error_msg("cannot run %s: %s", prog, strerror(errno));
        exit(EXIT_FAILED);
    }
    rq->dir = rdir;
    rq->filename = xasprintf("%s%s%s", rdir,
                             strcmp(rdir, "/") == 0 ? "" : "/", base);
    free(dir);

    /* SCRIPT_NAME / PATH_INFO */
    char *dpath = pct_decode(u.path);
    size_t bl = strlen(base);
    char *script_name, *path_info;
    if (dpath[0] == '/' && strncmp(dpath + 1, base, bl) == 0 &&
        (dpath[1 + bl] == '\0' || dpath[1 + bl] == '/')) {
        script_name = xstrndup(dpath, bl + 1);
        path_info = xstrdup(dpath + 1 + bl);
    } else {
        script_name = xstrdup("");
        path_info = xstrdup(dpath);
    }

    struct env *e = &rq->env;
    e->v = xrealloc(NULL, sizeof *e->v);
    e->v[0] = NULL;
    e->n = 0;
    char portbuf[16];
    snprintf(portbuf, sizeof portbuf, "%u", u.port);
    env_set(e, "GATEWAY_INTERFACE", "CGI/1.1");
    env_set(e, "SERVER_SOFTWARE", "respond-run/" RESPOND_RUN_VERSION);
    env_set(e, "SERVER_PROTOCOL", o->http2 ? "HTTP/2.0" : "HTTP/1.1");
    env_set(e, "SERVER_NAME", u.host);
    env_set(e, "SERVER_PORT", portbuf);
    env_set(e, "REQUEST_METHOD", rq->method);
    env_set(e, "REQUEST_SCHEME", u.https ? "https" : "http");
    if (u.https)
        env_set(e, "HTTPS", "on");
    char *uri = xasprintf("%s%s%s", u.path, u.query ? "?" : "",
                          u.query ? u.query : "");
    env_set(e, "REQUEST_URI", uri);
    env_set(e, "SCRIPT_NAME", script_name);
    env_set(e, "SCRIPT_FILENAME", rq->filename);
    if (path_info[0])
        env_set(e, "PATH_INFO", path_info);
    env_set(e, "QUERY_STRING", u.query ? u.query : "");
    env_set(e, "REMOTE_ADDR", "127.0.0.1");
    env_set(e, "REMOTE_PORT", REMOTE_PORT);

    /* Header fields: defaults first, then the -H/-b operations in order. */
    struct fields fs = {0};
    char *hostval = u.port_default ? xstrdup(u.host)
                                   : xasprintf("%s:%u", u.host, u.port);
    if (ctype)
        fields_add(&fs, "Content-Type", ctype, 1);
    if (rq->has_body) {
        char lenbuf[32];
        snprintf(lenbuf, sizeof lenbuf, "%zu", rq->body.len);
        fields_add(&fs, "Content-Length", lenbuf, 1);
    }
    fields_add(&fs, "Host", hostval, 1);
    for (size_t i = 0; i < o->nhops; i++) {
        const struct hdr_op *h = &o->hops[i];
        if (h->op == HOP_REMOVE)
            fields_remove(&fs, h->name);
        else
            fields_add(&fs, h->name, h->value, 0);
    }
    for (size_t i = 0; i < fs.n; i++) {
        buf_add(&fs.f[i].value, "", 1);
        env_set(e, fs.f[i].var, fs.f[i].value.p);
    }
    const char *path = getenv("PATH");
    env_set(e, "PATH", path ? path : DEFAULT_PATH);
    for (size_t i = 0; i < o->nenvs; i++) {
        char *eq = strchr(o->envs[i], '=');
        if (eq) {
            *eq = '\0';
            env_set(e, o->envs[i], eq + 1);
            *eq = '=';
        } else {
            env_unset(e, o->envs[i]);
        }
    }
    for (size_t i = 0; i < fs.n; i++) {
        free(fs.f[i].var);
        buf_free(&fs.f[i].value);
    }
    free(fs.f);
    free(u.host);
    free(u.path);
    free(u.query);
    free(hostval);
    free(uri);
    free(script_name);
    free(path_info);
    free(dpath);
    free(ctype);
}

/* ------------------------------------------------------------------------ */
/* The checker: parses the header block, checks it, prints the response     */

enum phase { PH_HEADERS, PH_BODY, PH_DISCARD };

struct resp {
    int nph, head, include;
    const char *proto;          /* SERVER_PROTOCOL, for the -i status line */
    int out_fd;
    const char *out_name;
    int out_dead;               /* stop writing (EPIPE or error) */
    int out_failed;             /* write error other than EPIPE */
    enum phase phase;
    struct buf hdr;             /* header block so far (<= HEADER_CAP) */
    size_t scan;                /* start of the line not yet scanned */
    int any_output;
    unsigned long long body_len;
    /* results of the header block */
    int status;                 /* 0: unknown */
    const char *reason;
    size_t reason_len;
    const char *bad_status;     /* malformed Status value, for -i */
    size_t bad_status_len;
    unsigned n_status, n_ctype, n_location, n_clen, n_fields;
    int te;
    int clen_ok;
    unsigned long long clen;
    char *clen_text;
    char *location;
};

static void out_write(struct resp *r, const void *d, size_t n)
{
    if (r->out_dead || n == 0)
        return;
    int e = write_all(r->out_fd, d, n);
    if (e) {
        r->out_dead = 1;
        if (e != EPIPE) {
            r->out_failed = 1;
            error_msg("cannot write to %s: %s", r->out_name, strerror(e));
        }
    }
}

/* Split the next line of p[0..len) at *pos.  Returns 0 at the end. */
static int next_line(const char *p, size_t len, size_t *pos, size_t *start,
                     size_t *clen, size_t *term)
{
    if (*pos >= len)
        return 0;
    const char *nl = memchr(p + *pos, '\n', len - *pos);
    *start = *pos;
    if (nl) {
        size_t end = (size_t)(nl - p);
        *term = 1;
        if (end > *pos && p[end - 1] == '\r') {
            end--;
            *term = 2;
        }
        *clen = end - *pos;
        *pos = (size_t)(nl - p) + 1;
    } else {
        *clen = len - *pos;
        *term = 0;
        *pos = len;
    }
    return 1;
}

/* "ddd reason": 0 with a reason, 1 without the space and reason, -1 bad. */
static int parse_code(const char *v, size_t n, int *code, const char **reason,
                      size_t *rlen)
{
    if (n < 3 || v[0] < '0' || v[0] > '9' || v[1] < '0' || v[1] > '9' ||
        v[2] < '0' || v[2] > '9')
        return -1;
    *code = (v[0] - '0') * 100 + (v[1] - '0') * 10 + (v[2] - '0');
    if (n == 3) {
        *reason = v + 3;
        *rlen = 0;
        return 1;
    }
    if (v[3] != ' ')
        return -1;
    *reason = v + 4;
    *rlen = n - 4;
    return 0;
}

static void check_code(struct resp *r, unsigned no, int rc, int code,
                       const char *what)
{
    if (code < 100) {
        violation("line %u: status code %03d is below 100 (RFC 9110 §15)",
                  no, code);
        return;
    }
    if (rc == 1)
        warning("line %u: %s %03d has no space and reason phrase after the "
                "code (%s)", no, what, code,
                r->nph ? "RFC 9112 §4" : "RFC 3875 §6.3.3");
    if (code < 200)
        warning("line %u: informational status %d as the final status", no,
                code);
    else if (code > 599)
        warning("line %u: status code %d is outside 100..599 (RFC 9110 §15)",
                no, code);
}

static int has_scheme(const char *s)
{
    const char *p = s;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
           (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
        p++;
    return *p == ':';
}

static void check_field(struct resp *r, const char *s, size_t n, unsigned no)
{
    if (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
        char *q = quote(s, n);
        violation("line %u starts with whitespace (obsolete line folding, "
                  "RFC 9112 §5.2): %s", no, q);
        free(q);
        return;
    }
    const char *colon = memchr(s, ':', n);
    if (!colon) {
        char *q = quote(s, n);
        if (!r->nph && no == 1 && n >= 5 && memcmp(s, "HTTP/", 5) == 0)
            violation("line 1 is an HTTP status line, %s, but a CGI program "
                      "must send \"Status: ddd reason\" (RFC 3875 §6.3.3; an "
                      "NPH program needs --nph or an nph- name)", q);
        else
            violation("line %u is not \"name: value\": %s", no, q);
        free(q);
        return;
    }
    size_t nl = (size_t)(colon - s);
    if (nl == 0 || !is_token(s, nl)) {
        char *q = quote(s, n);
        if (nl > 0 && (s[nl - 1] == ' ' || s[nl - 1] == '\t'))
            violation("line %u has whitespace between the field name and the "
                      "colon (RFC 9112 §5.1): %s", no, q);
        else if (nl == 0)
            violation("line %u has an empty field name: %s", no, q);
        else
            violation("line %u: the field name is not a token (RFC 9110 "
                      "§5.1): %s", no, q);
        free(q);
        return;
    }
    const char *v = colon + 1, *end = s + n;
    for (const char *p = v; p < end; p++)
        if (is_ctl((unsigned char)*p)) {
            char *q = quote(s, nl);
            violation("line %u: the value of %s contains the control byte "
                      "0x%02X (RFC 9110 §5.5)", no, q, (unsigned char)*p);
            free(q);
            break;
        }
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    const char *raw_v = v;          /* trailing whitespace kept (Status) */
    while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t vl = (size_t)(end - v);
    int cgi = !r->nph;
    const char *single = cgi ? "RFC 3875 §6.3: a CGI field MUST NOT appear "
                               "more than once"
                             : "RFC 9110 §5.3";

    if (cgi && ieq(s, nl, "Status")) {
        if (++r->n_status > 1) {
            violation("line %u: a second Status field (%s)", no, single);
            return;
        }
        size_t rawl = (size_t)(s + n - raw_v);
        int code = 0;
        int rc = parse_code(raw_v, rawl, &code, &r->reason, &r->reason_len);
        if (rc < 0) {
            char *q = quote(raw_v, rawl);
            violation("line %u: malformed Status %s: expected \"Status: ddd "
                      "reason\" (RFC 3875 §6.3.3)", no, q);
            free(q);
            r->bad_status = raw_v;
            r->bad_status_len = rawl;
            return;
        }
        r->status = code;
        check_code(r, no, rc, code, "Status");
        return;
    }
    r->n_fields++;
    if (ieq(s, nl, "Content-Type")) {
        if (++r->n_ctype > 1)
            violation("line %u: a second Content-Type field (%s)", no, single);
    } else if (ieq(s, nl, "Location")) {
        r->n_fields--;
        if (++r->n_location > 1) {
            violation("line %u: a second Location field (%s)", no, single);
        } else {
            const char *l = r->location = xstrndup(v, vl);
            if (!(l[0] == '/' && l[1] != '/') && !has_scheme(l)) {
                char *q = quote(v, vl);
                warning("line %u: Location %s is neither an absolute URI nor "
                        "an absolute path (RFC 3875 §6.3.2)", no, q);
                free(q);
            }
        }
    } else if (ieq(s, nl, "Content-Length")) {
        if (++r->n_clen > 1) {
            violation("line %u: a second Content-Length field (RFC 9110 §8.6)",
                      no);
            r->clen_ok = 0;
        } else {
            int digits = vl > 0;
            unsigned long long x = 0;
            for (size_t i = 0; i < vl; i++) {
                if (v[i] < '0' || v[i] > '9') {
                    digits = 0;
                    break;
                }
                unsigned d = (unsigned)(v[i] - '0');
                x = x > (ULLONG_MAX - d) / 10 ? ULLONG_MAX : x * 10 + d;
            }
            if (!digits) {
                char *q = quote(v, vl);
                violation("line %u: Content-Length %s is not a decimal number "
                          "(RFC 9110 §8.6)", no, q);
                free(q);
            } else {
                r->clen_ok = 1;
                r->clen = x;
                r->clen_text = xstrndup(v, vl > 40 ? 40 : vl);
            }
        }
    } else if (ieq(s, nl, "Transfer-Encoding") || ieq(s, nl, "Connection") ||
               ieq(s, nl, "Keep-Alive") || ieq(s, nl, "Proxy-Connection") ||
               ieq(s, nl, "Upgrade")) {
        if (ieq(s, nl, "Transfer-Encoding"))
            r->te = 1;
        if (cgi) {
            char *q = quote(s, nl);
            violation("line %u: %s from a CGI program (RFC 3875 §6.3.4: the "
                      "server owns the connection; only NPH programs may "
                      "send it)", no, q);
            free(q);
        }
    }
}

static void check_status_line(struct resp *r, const char *s, size_t n)
{
    int code = 0;
    int rc = -1;
    if (n >= 9 && memcmp(s, "HTTP/1.", 7) == 0 && s[7] >= '0' &&
        s[7] <= '9' && s[8] == ' ')
        rc = parse_code(s + 9, n - 9, &code, &r->reason, &r->reason_len);
    if (rc < 0) {
        char *q = quote(s, n);
        violation("line 1 is not an HTTP status line \"HTTP/1.x ddd reason\" "
                  "(RFC 3875 §5.2: an NPH program sends a complete HTTP "
                  "response): %s", q);
        free(q);
        return;
    }
    r->status = code;
    check_code(r, 1, rc, code, "status");
}

/* Parse and check a header block; with -i print it. */
static void header_block(struct resp *r, const char *p, size_t len, int ended)
{
    size_t pos = 0, start, cl, term;
    unsigned no = 0;
    if (r->nph && (len == 0 || p[0] == '\n' || (len > 1 && p[0] == '\r' &&
                                                 p[1] == '\n')))
        violation("line 1 is not an HTTP status line \"HTTP/1.x ddd reason\" "
                  "(RFC 3875 §5.2: an NPH program sends a complete HTTP "
                  "response): \"\"");
    while (next_line(p, len, &pos, &start, &cl, &term)) {
        no++;
        if (cl == 0 && term > 0)
            break;                  /* the empty line ending the block */
        if (r->nph && no == 1)
            check_status_line(r, p + start, cl);
        else
            check_field(r, p + start, cl, no);
    }
    if (!r->nph) {
        if (r->n_status == 0) {
            if (r->n_ctype == 0 && r->n_location == 0)
                violation("no Status, Content-Type or Location field (RFC "
                          "3875 §6.3: at least one CGI field MUST be "
                          "supplied)");
            r->status = r->n_location ? 302 : 200;
            r->reason = r->n_location ? "Found" : "OK";
            r->reason_len = strlen(r->reason);
        }
    } else if (r->te && r->n_clen) {
        violation("both Transfer-Encoding and Content-Length (RFC 9112 §6.1)");
    }
    if (!ended)
        violation("the header block never ends: the output stopped before "
                  "the empty line that ends it");

    if (!r->include)
        return;
    if (r->nph) {
        out_write(r, p, len);
        return;
    }
    struct buf o = {0};
    buf_adds(&o, r->proto);
    buf_adds(&o, " ");
    if (r->status) {
        char code[8];
        snprintf(code, sizeof code, "%03d ", r->status);
        buf_adds(&o, code);
        buf_add(&o, r->reason, r->reason_len);
    } else if (r->bad_status) {
        buf_add(&o, r->bad_status, r->bad_status_len);
    }
    buf_adds(&o, "\r\n");
    pos = 0;
    while (next_line(p, len, &pos, &start, &cl, &term)) {
        const char *colon = memchr(p + start, ':', cl);
        if (colon && ieq(p + start, (size_t)(colon - p - start), "Status"))
            continue;
        buf_add(&o, p + start, cl + term);
    }
    out_write(r, o.p, o.len);
    buf_free(&o);
}

static void body_bytes(struct resp *r, const char *d, size_t n)
{
    r->body_len += n;
    if (!r->head)
        out_write(r, d, n);
}

static void resp_feed(struct resp *r, const char *d, size_t n)
{
    if (n == 0)
        return;
    r->any_output = 1;
    if (r->phase == PH_BODY) {
        body_bytes(r, d, n);
        return;
    }
    if (r->phase == PH_DISCARD)
        return;
    size_t room = HEADER_CAP - r->hdr.len;
    size_t take = n < room ? n : room;
    buf_add(&r->hdr, d, take);
    for (;;) {
        char *nl = memchr(r->hdr.p + r->scan, '\n', r->hdr.len - r->scan);
        if (!nl)
            break;
        size_t ll = (size_t)(nl - (r->hdr.p + r->scan));
        if (ll == 0 || (ll == 1 && r->hdr.p[r->scan] == '\r')) {
            size_t end = (size_t)(nl - r->hdr.p) + 1;
            r->phase = PH_BODY;
            header_block(r, r->hdr.p, end, 1);
            body_bytes(r, r->hdr.p + end, r->hdr.len - end);
            body_bytes(r, d + take, n - take);
            return;
        }
        r->scan = (size_t)(nl - r->hdr.p) + 1;
    }
    if (r->hdr.len == HEADER_CAP) {
        violation("the header block is longer than %d bytes (no empty line "
                  "in the first %d bytes of output); the rest is discarded",
                  HEADER_CAP, HEADER_CAP);
        r->phase = PH_DISCARD;
    }
}

/* End of output: the checks that need the whole response. */
static void resp_finish(struct resp *r)
{
    if (!r->any_output) {
        violation("no output (RFC 3875 §6.1: a script MUST always provide a "
                  "non-empty response)");
        return;
    }
    if (r->phase == PH_DISCARD)
        return;
    if (r->phase == PH_HEADERS) {
        header_block(r, r->hdr.p, r->hdr.len, 0);
        return;
    }
    unsigned long long b = r->body_len;
    int st = r->status;
    if (r->head && b)
        violation("a %llu-byte body in the response to HEAD (RFC 3875 "
                  "§4.3.3); it is not printed", b);
    if ((st == 204 || st == 304) && b)
        violation("a %llu-byte body with status %d (RFC 9110 §%s)", b, st,
                  st == 204 ? "15.3.5" : "15.4.5");
    if (r->n_clen && ((st >= 100 && st < 200) || st == 204))
        violation("Content-Length with status %d (RFC 9110 §8.6)", st);
    else if (r->n_clen == 1 && r->clen_ok && !r->head && st != 304 &&
             !(r->nph && r->te) && r->clen != b)
        violation("Content-Length is %s but the body has %llu bytes",
                  r->clen_text, b);
    if (b && !r->n_ctype)
        warning("a %llu-byte body without Content-Type (RFC 3875 §6.3.1)", b);
    if (!r->nph && !r->n_status && r->location) {
        int local = r->location[0] == '/' && r->location[1] != '/';
        if (local && (r->n_fields || b))
            violation("a local redirect (Location: %s without Status) with "
                      "other header fields or a body (RFC 3875 §6.2.2)",
                      r->location);
        else if (!local && b)
            warning("a client redirect with a body but without Status (RFC "
                    "3875 §6.2.4: Status: 302 Found MUST be supplied)");
    }
}

/* ------------------------------------------------------------------------ */
/* Running the program                                                      */

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    if (sig != SIGCHLD)
        got_signal = sig;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Make sure descriptors 0, 1 and 2 are open, so pipes never land there. */
static void guard_std_fds(void)
{
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0) {
            int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
            if (n < 0)
                exit(EXIT_FAILED);
            if (n != fd) {
                dup2(n, fd);
                close(n);
            }
        }
}

static void child_exec(const struct request *rq, int in_fd, int out_fd,
                       int err_fd, int report_fd) NORETURN;
static void child_exec(const struct request *rq, int in_fd, int out_fd,
                       int err_fd, int report_fd)
{
    int stage = 0, e = 0;
    static const int sigs[] = {SIGPIPE, SIGCHLD, SIGINT, SIGTERM, SIGHUP,
                               SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    setpgid(0, 0);
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) {
        stage = 1;
        e = errno;
        goto report;
    }
    /* Nothing else reaches the program: mark every other descriptor
     * close-on-exec (the report pipe already is). */
#if defined(SYS_close_range)
    if (syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) != 0)
#endif
    {
        long max = sysconf(_SC_OPEN_MAX);
        if (max < 0 || max > 65536)
            max = 65536;
        for (int fd = 3; fd < max; fd++)
            if (fd != report_fd)
                (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    if (chdir(rq->dir) != 0) {
        stage = 2;
        e = errno;
        goto report;
    }
    char *argv[2];
    argv[0] = rq->filename;
    argv[1] = NULL;
    execve(rq->filename, argv, rq->env.v);
    stage = 3;
    e = errno;
report:;
    int msg[2] = {stage, e};
    ssize_t w = write(report_fd, msg, sizeof msg);
    (void)w;
    _exit(127);
}

static char *timeout_text(long long ms)
{
    if (ms % 1000 == 0)
        return xasprintf("%lld s", ms / 1000);
    char *s = xasprintf("%lld.%03lld", ms / 1000, ms % 1000);
    size_t n = strlen(s);
    while (s[n - 1] == '0')
        s[--n] = '\0';
    char *t = xasprintf("%s s", s);
    free(s);
    return t;
}

static void set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int main(int argc, char **argv)
{
    /* static: everything allocated stays reachable until exit */
    static struct opts o;
    static struct request rq;
    static struct resp r;

    signal(SIGPIPE, SIG_IGN);
    guard_std_fds();
    parse_args(&o, argc, argv);
    build_request(&o, &rq);

    const char *prog = o.program;
    struct stat st;
    if (stat(rq.filename, &st) != 0) {
        error_msg("cannot run %s: %s", prog, strerror(errno));
        return EXIT_FAILED;
    }
    if (S_ISDIR(st.st_mode)) {
        error_msg("cannot run %s: it is a directory", prog);
        return EXIT_FAILED;
    }

    r.nph = o.nph || strncmp(base_name(prog), "nph-", 4) == 0;
    r.head = rq.head;
    r.include = o.include;
    r.proto = o.http2 ? "HTTP/2.0" : "HTTP/1.1";
    r.out_fd = 1;
    r.out_name = "standard output";
    if (o.output) {
        r.out_fd = open(o.output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                        0666);
        if (r.out_fd < 0)
            usage_error("-o: cannot create '%s': %s", o.output,
                        strerror(errno));
        r.out_name = o.output;
    }

    int in_p[2] = {-1, -1}, out_p[2], err_p[2], rep_p[2];
    if ((rq.has_body ? pipe2(in_p, O_CLOEXEC) : 0) != 0 ||
        pipe2(out_p, O_CLOEXEC) != 0 || pipe2(err_p, O_CLOEXEC) != 0 ||
        pipe2(rep_p, O_CLOEXEC) != 0) {
        error_msg("pipe: %s", strerror(errno));
        return EXIT_FAILED;
    }
    int child_in = rq.has_body ? in_p[0] : open("/dev/null",
                                                O_RDONLY | O_CLOEXEC);
    if (child_in < 0) {
        error_msg("/dev/null: %s", strerror(errno));
        return EXIT_FAILED;
    }

    /* Our signals are blocked except while waiting in ppoll(). */
    sigset_t ours, orig, waitmask;
    sigemptyset(&ours);
    sigaddset(&ours, SIGCHLD);
    sigaddset(&ours, SIGINT);
    sigaddset(&ours, SIGTERM);
    sigaddset(&ours, SIGHUP);
    sigprocmask(SIG_BLOCK, &ours, &orig);
    waitmask = orig;
    static const int handled[] = {SIGCHLD, SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(handled[i], NULL, &old);
        if (handled[i] != SIGCHLD && old.sa_handler == SIG_IGN)
            continue;               /* keep ignoring, as nohup wants */
        sigaction(handled[i], &sa, NULL);
        sigdelset(&waitmask, handled[i]);
    }

    long long start = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        error_msg("fork: %s", strerror(errno));
        return EXIT_FAILED;
    }
    if (pid == 0)
        child_exec(&rq, child_in, out_p[1], err_p[1], rep_p[1]);
    setpgid(pid, pid);              /* also done by the child: no race */
    close(child_in);
    close(out_p[1]);
    close(err_p[1]);
    close(rep_p[1]);

    int msg[2];
    ssize_t got;
    do
        got = read(rep_p[0], msg, sizeof msg);
    while (got < 0 && errno == EINTR);
    close(rep_p[0]);
    if (got == (ssize_t)sizeof msg) {
        int wst;
        while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
            ;
        error_msg("cannot run %s: %s%s", prog,
                  msg[0] == 2 ? "cannot change to its directory: " : "",
                  strerror(msg[1]));
        return EXIT_FAILED;
    }

    int in_fd = rq.has_body ? in_p[1] : -1;
    size_t in_off = 0;
    if (in_fd >= 0) {
        set_nonblock(in_fd);
        if (rq.body.len == 0) {
            close(in_fd);
            in_fd = -1;
        }
    }
    int out_fd = out_p[0], err_fd = err_p[0];
    int reaped = 0, wstatus = 0, timed_out = 0;
    static char chunk[65536];

    while (!(out_fd < 0 && err_fd < 0 && reaped)) {
        if (!reaped) {
            pid_t w = waitpid(pid, &wstatus, WNOHANG);
            if (w == pid) {
                reaped = 1;
                continue;
            }
        }
        if (got_signal) {
            int sig = got_signal;
            kill(-pid, SIGKILL);
            if (!reaped) {
                kill(pid, SIGKILL);
                while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
                    ;
            }
            error_msg("interrupted by %s; killed %s", signal_name(sig)
                      ? signal_name(sig) : "a signal", prog);
            signal(sig, SIG_DFL);
            sigprocmask(SIG_SETMASK, &orig, NULL);
            sigset_t one;
            sigemptyset(&one);
            sigaddset(&one, sig);
            sigprocmask(SIG_UNBLOCK, &one, NULL);
            raise(sig);
            return EXIT_FAILED;
        }
        struct timespec ts, *tsp = NULL;
        if (o.timeout_ms > 0) {
            long long left = start + o.timeout_ms - now_ms();
            if (left <= 0) {
                timed_out = 1;
                break;
            }
            ts.tv_sec = (time_t)(left / 1000);
            ts.tv_nsec = (long)(left % 1000) * 1000000L;
            tsp = &ts;
        }
        struct pollfd pf[3];
        nfds_t n = 0;
        int i_in = -1, i_out = -1, i_err = -1;
        if (in_fd >= 0) {
            pf[n].fd = in_fd;
            pf[n].events = POLLOUT;
            i_in = (int)n++;
        }
        if (out_fd >= 0) {
            pf[n].fd = out_fd;
            pf[n].events = POLLIN;
            i_out = (int)n++;
        }
        if (err_fd >= 0) {
            pf[n].fd = err_fd;
            pf[n].events = POLLIN;
            i_err = (int)n++;
        }
        int pr = ppoll(pf, n, tsp, &waitmask);
        if (pr < 0) {
            if (errno == EINTR)
                continue;
            error_msg("poll: %s", strerror(errno));
            timed_out = -1;
            break;
        }
        if (i_in >= 0 && pf[i_in].revents) {
            ssize_t w = write(in_fd, rq.body.p + in_off, rq.body.len - in_off);
            if (w > 0)
                in_off += (size_t)w;
            /* EPIPE: the program need not read its input (RFC 3875 §4.2) */
            if ((w < 0 && errno != EAGAIN && errno != EINTR) ||
                in_off == rq.body.len) {
                close(in_fd);
                in_fd = -1;
            }
        }
        if (i_out >= 0 && pf[i_out].revents) {
            ssize_t rd = read(out_fd, chunk, sizeof chunk);
            if (rd > 0) {
                resp_feed(&r, chunk, (size_t)rd);
            } else if (rd == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(out_fd);
                out_fd = -1;
            }
        }
        if (i_err >= 0 && pf[i_err].revents) {
            ssize_t rd = read(err_fd, chunk, sizeof chunk);
            if (rd > 0) {
                (void)write_all(2, chunk, (size_t)rd);
            } else if (rd == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(err_fd);
                err_fd = -1;
            }
        }
    }

    if (timed_out) {
        kill(-pid, SIGKILL);
        if (!reaped) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
                ;
        }
    }
    if (in_fd >= 0)
        close(in_fd);
    if (out_fd >= 0)
        close(out_fd);
    if (err_fd >= 0)
        close(err_fd);

    if (!timed_out)
        resp_finish(&r);
    if (r.out_fd != 1 && close(r.out_fd) != 0 && !r.out_failed) {
        r.out_failed = 1;
        error_msg("cannot write to %s: %s", r.out_name, strerror(errno));
    }
    diags_print();

    int failed = r.out_failed;
    if (timed_out > 0) {
        char *t = timeout_text(o.timeout_ms);
        error_msg("%s timed out: %s after %s; killed its process group with "
                  "SIGKILL", prog, reaped ? "its output had not ended"
                  : "it had not exited", t);
        free(t);
        failed = 1;
    } else if (timed_out < 0) {
        failed = 1;
    } else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0) {
        error_msg("%s exited with status %d", prog, WEXITSTATUS(wstatus));
        failed = 1;
    } else if (WIFSIGNALED(wstatus)) {
        int sig = WTERMSIG(wstatus);
        const char *name = signal_name(sig);
        error_msg("%s was killed by signal %d%s%s%s%s", prog, sig,
                  name ? " (" : "", name ? name : "", name ? ")" : "",
#ifdef WCOREDUMP
                  WCOREDUMP(wstatus) ? ", core dumped" :
#endif
                  "");
        failed = 1;
    }
    if (failed)
        return EXIT_FAILED;
    return diags.violations ? EXIT_VIOLATION : EXIT_GOOD;
}
