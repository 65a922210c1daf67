/* check_checker.c - the framing oracle (common/checker.c): a table of well-
 * and ill-formed responses per flavour, each with its verdict, the first
 * violation as rendered and the counts; the same verdicts for every split
 * of the input and byte by byte; no read past the input or the header
 * buffer (both end at a page without access). */
#define _GNU_SOURCE 1

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "checker.h"

#define CGI RSP_CHECK_CGI
#define NPH RSP_CHECK_NPH
#define H2 RSP_CHECK_H2
#define HEAD RSP_CHECK_HEAD
#define CRLF RSP_CHECK_CRLF

struct tcase {
	const char *name;
	enum rsp_check_flavour flavour;
	unsigned flags;
	const char *in;
	size_t len;
	enum rsp_check_code verdict;
	unsigned violations, warnings;
	const char *detail; /* the first violation, rendered */
};

#define T(name, fl, flags, in, code, nv, nw, detail)                           \
	{                                                                      \
		name, fl, flags, in, sizeof(in) - 1, RSP_CHECK_##code, nv, nw, \
		    detail                                                     \
	}

/* Laid out by hand: its long literals would make clang-format indent the
 * table further and further. */
/* clang-format off */
static const struct tcase cases[] = {
	T("cgi-basic", CGI, 0,
	    "Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
	    OK, 0, 0, NULL),
	T("cgi-lf-lines", CGI, 0, "Content-Type: text/html\n\n<p>",
	    OK, 0, 0, NULL),
	T("cgi-location-only", CGI, 0, "Location: /x\r\n\r\n", OK, 0, 0, NULL),
	T("cgi-client-redirect", CGI, 0,
	    "Status: 302 Found\r\nLocation: http://a.example/\r\n\r\n",
	    OK, 0, 0, NULL),
	T("cgi-304-content-length", CGI, 0,
	    "Status: 304 Not Modified\r\nContent-Length: 100\r\n\r\n",
	    OK, 0, 0, NULL),
	T("cgi-head-content-length", CGI, HEAD,
	    "Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n",
	    OK, 0, 0, NULL),
	T("cgi-205-length-0", CGI, 0,
	    "Status: 205 Reset Content\r\nContent-Length: 0\r\n\r\n",
	    OK, 0, 0, NULL),
	T("cgi-204-bare", CGI, 0, "Status: 204 No Content\r\n\r\n",
	    OK, 0, 0, NULL),
	T("cgi-no-content-type", CGI, 0, "Status: 200 OK\r\n\r\nhi",
	    OK, 0, 1, NULL),
	T("cgi-no-reason", CGI, 0,
	    "Status: 404\r\nContent-Type: text/plain\r\n\r\n", OK, 0, 1, NULL),
	T("cgi-above-599", CGI, 0,
	    "Status: 600 Odd\r\nContent-Type: text/plain\r\n\r\n",
	    OK, 0, 1, NULL),
	T("cgi-relative-location", CGI, 0,
	    "Status: 302 Found\r\nLocation: foo.html\r\n\r\n", OK, 0, 1, NULL),
	T("cgi-redirect-body", CGI, 0,
	    "Location: http://a.example/\r\nContent-Type: text/plain\r\n\r\nmoved",
	    OK, 0, 1, NULL),
	T("cgi-crlf-strict", CGI, CRLF,
	    "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nx",
	    OK, 0, 0, NULL),
	T("cgi-no-output", CGI, 0, "", NO_OUTPUT, 1, 0,
	    "no output (RFC 3875 §6.1: a script MUST always provide a non-empty response)"),
	T("cgi-obs-fold", CGI, 0,
	    "Status: 200 OK\r\nContent-Type: text/plain\r\n folded\r\n\r\n",
	    OBS_FOLD, 1, 0,
	    "line 3 starts with whitespace (obsolete line folding, RFC 9112 §5.2): \" folded\""),
	T("cgi-http-line", CGI, 0,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n",
	    CGI_HTTP_LINE, 1, 0,
	    "line 1 is an HTTP status line, \"HTTP/1.1 200 OK\", but a CGI program must send \"Status: ddd reason\" (RFC 3875 §6.3.3; an NPH program needs --nph or an nph- name)"),
	T("cgi-not-field", CGI, 0,
	    "Status: 200 OK\r\nThis is not a header\r\n\r\n", NOT_FIELD, 1, 0,
	    "line 2 is not \"name: value\": \"This is not a header\""),
	T("cgi-ws-before-colon", CGI, 0,
	    "Status: 200 OK\r\nX-Space : 1\r\n\r\n", WS_BEFORE_COLON, 1, 0,
	    "line 2 has whitespace between the field name and the colon (RFC 9112 §5.1): \"X-Space : 1\""),
	T("cgi-empty-name", CGI, 0,
	    "Status: 200 OK\r\n: empty\r\n\r\n", EMPTY_NAME, 1, 0,
	    "line 2 has an empty field name: \": empty\""),
	T("cgi-name-not-token", CGI, 0,
	    "Status: 200 OK\r\nX Bad: 1\r\n\r\n", NAME_NOT_TOKEN, 1, 0,
	    "line 2: the field name is not a token (RFC 9110 §5.1): \"X Bad: 1\""),
	T("cgi-ctl-in-value", CGI, 0,
	    "Status: 200 OK\r\nX-Ctl: a\001b\r\n\r\n", CTL_IN_VALUE, 1, 0,
	    "line 2: the value of \"X-Ctl\" contains the control byte 0x01 (RFC 9110 §5.5)"),
	T("cgi-cr-in-value", CGI, 0,
	    "Status: 200 OK\r\nX-CR: a\rb\r\n\r\n", CTL_IN_VALUE, 1, 0,
	    "line 2: the value of \"X-CR\" contains the control byte 0x0D (RFC 9110 §5.5)"),
	T("cgi-status-twice", CGI, 0,
	    "Status: 200 OK\r\nStatus: 201 Created\r\n\r\n", STATUS_TWICE, 1, 0,
	    "line 2: a second Status field (RFC 3875 §6.3: a CGI field MUST NOT appear more than once)"),
	T("cgi-bad-status", CGI, 0,
	    "Status: OK\r\nContent-Type: text/plain\r\n\r\n", BAD_STATUS, 1, 0,
	    "line 1: malformed Status \"OK\": expected \"Status: ddd reason\" (RFC 3875 §6.3.3)"),
	T("cgi-status-below-100", CGI, 0,
	    "Status: 099 Odd\r\nContent-Type: text/plain\r\n\r\n",
	    CODE_BELOW_100, 1, 0,
	    "line 1: status code 099 is below 100 (RFC 9110 §15)"),
	T("cgi-content-type-twice", CGI, 0,
	    "Content-Type: a/b\r\nContent-Type: c/d\r\n\r\n", CTYPE_TWICE, 1, 0,
	    "line 2: a second Content-Type field (RFC 3875 §6.3: a CGI field MUST NOT appear more than once)"),
	T("cgi-location-twice", CGI, 0,
	    "Status: 302 Found\r\nLocation: /a\r\nLocation: /b\r\n\r\n",
	    LOCATION_TWICE, 1, 0,
	    "line 3: a second Location field (RFC 3875 §6.3: a CGI field MUST NOT appear more than once)"),
	T("cgi-content-length-twice", CGI, 0,
	    "Status: 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
	    CLEN_TWICE, 1, 1,
	    "line 3: a second Content-Length field (RFC 9110 §8.6)"),
	T("cgi-content-length-list", CGI, 0,
	    "Status: 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc",
	    CLEN_NOT_NUMBER, 1, 1,
	    "line 2: Content-Length \"3, 3\" is not a decimal number (RFC 9110 §8.6)"),
	T("cgi-transfer-encoding", CGI, 0,
	    "Status: 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
	    CONN_FIELD_CGI, 1, 0,
	    "line 2: \"Transfer-Encoding\" from a CGI program (RFC 3875 §6.3.4: the server owns the connection; only NPH programs may send it)"),
	T("cgi-connection", CGI, 0,
	    "Status: 200 OK\r\nConnection: close\r\n\r\n", CONN_FIELD_CGI, 1, 0,
	    "line 2: \"Connection\" from a CGI program (RFC 3875 §6.3.4: the server owns the connection; only NPH programs may send it)"),
	T("cgi-no-cgi-field", CGI, 0, "X-Only: 1\r\n\r\n", NO_CGI_FIELD, 1, 0,
	    "no Status, Content-Type or Location field (RFC 3875 §6.3: at least one CGI field MUST be supplied)"),
	T("cgi-unended", CGI,
	    0, "Status: 200 OK\r\nX-Body: ", BLOCK_UNENDED, 1, 0,
	    "the header block never ends: the output stopped before the empty line that ends it"),
	T("cgi-head-body", CGI, HEAD,
	    "Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi",
	    HEAD_BODY, 1, 0,
	    "a 2-byte body in the response to HEAD (RFC 3875 §4.3.3)"),
	T("cgi-204-body", CGI,
	    0, "Status: 204 No Content\r\n\r\nhi", BODY_FORBIDDEN, 1, 1,
	    "a 2-byte body with status 204 (RFC 9110 §15.3.5)"),
	T("cgi-204-content-length", CGI,
	    0, "Status: 204 No Content\r\nContent-Length: 0\r\n\r\n",
	    CLEN_FORBIDDEN, 1, 0,
	    "Content-Length with status 204 (RFC 9110 §8.6)"),
	T("cgi-304-body", CGI,
	    0, "Status: 304 Not Modified\r\n\r\nx", BODY_FORBIDDEN, 1, 1,
	    "a 1-byte body with status 304 (RFC 9110 §15.4.5)"),
	T("cgi-205-body", CGI,
	    0, "Status: 205 Reset Content\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc",
	    BODY_FORBIDDEN, 2, 0,
	    "a 3-byte body with status 205 (RFC 9110 §15.3.6)"),
	T("cgi-205-length", CGI,
	    0, "Status: 205 Reset Content\r\nContent-Length: 5\r\n\r\n",
	    CLEN_205, 1, 0,
	    "Content-Length is 5 with status 205, which has no content (RFC 9110 §15.3.6)"),
	T("cgi-1xx-body", CGI, 0, "Status: 100 Continue\r\n\r\nx",
	    BODY_FORBIDDEN, 1, 2,
	    "a 1-byte body with status 100 (RFC 9110 §15.2)"),
	T("cgi-103-content-length", CGI,
	    0, "Status: 103 Early Hints\r\nContent-Length: 0\r\n\r\n",
	    CLEN_FORBIDDEN, 1, 1,
	    "Content-Length with status 103 (RFC 9110 §8.6)"),
	T("cgi-length-short", CGI,
	    0, "Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nhello",
	    CLEN_MISMATCH, 1, 0,
	    "Content-Length is 10 but the body has 5 bytes"),
	T("cgi-length-long", CGI,
	    0, "Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n\r\nhello",
	    CLEN_MISMATCH, 1, 0,
	    "Content-Length is 1 but the body has 5 bytes"),
	T("cgi-length-huge", CGI,
	    0, "Status: 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 99999999999999999999999\r\n\r\nx",
	    CLEN_MISMATCH, 1, 0,
	    "Content-Length is 99999999999999999999999 but the body has 1 bytes"),
	T("cgi-local-redirect-body", CGI,
	    0, "Location: /elsewhere\nContent-Type: text/plain\n\nbody",
	    LOCAL_REDIRECT, 1, 0,
	    "a local redirect (Location: /elsewhere without Status) with other header fields or a body (RFC 3875 §6.2.2)"),
	T("cgi-local-redirect-field", CGI,
	    0, "Location: /elsewhere\r\nX-A: 1\r\n\r\n", LOCAL_REDIRECT, 1, 0,
	    "a local redirect (Location: /elsewhere without Status) with other header fields or a body (RFC 3875 §6.2.2)"),
	T("cgi-bare-lf-strict", CGI, CRLF,
	    "Status: 200 OK\nContent-Type: text/plain\r\n\r\n", BARE_LF, 1, 0,
	    "line 1 ends in a bare LF, not CRLF (RFC 9112 §2.2)"),
	T("nph-basic", NPH,
	    0, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok",
	    OK, 0, 0, NULL),
	T("nph-close-delimited", NPH,
	    0, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nanything at all",
	    OK, 0, 0, NULL),
	T("nph-chunked", NPH, CRLF,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n",
	    OK, 0, 0, NULL),
	T("nph-gzip-chunked", NPH,
	    0, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n",
	    OK, 0, 0, NULL),
	T("nph-gzip-close", NPH,
	    0, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: gzip\r\n\r\nzzz",
	    OK, 0, 0, NULL),
	T("nph-head-chunked", NPH, HEAD,
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
	    OK, 0, 0, NULL),
	T("nph-304-chunked", NPH,
	    0, "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
	    OK, 0, 0, NULL),
	T("nph-no-reason", NPH,
	    0, "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", OK, 0, 1, NULL),
	T("nph-101", NPH,
	    0, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
	    OK, 0, 1, NULL),
	T("nph-status-field", NPH,
	    0, "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nok",
	    BAD_STATUS_LINE, 1, 0,
	    "line 1 is not an HTTP status line \"HTTP/1.x ddd reason\" (RFC 3875 §5.2: an NPH program sends a complete HTTP response): \"Status: 200 OK\""),
	T("nph-empty-first-line", NPH, 0, "\r\nok", BAD_STATUS_LINE, 1, 1,
	    "line 1 is not an HTTP status line \"HTTP/1.x ddd reason\" (RFC 3875 §5.2: an NPH program sends a complete HTTP response): \"\""),
	T("nph-ctl-in-reason", NPH,
	    0, "HTTP/1.1 200 O\001K\r\nContent-Length: 0\r\n\r\n",
	    BAD_STATUS_LINE, 1, 0,
	    "line 1 is not an HTTP status line \"HTTP/1.x ddd reason\" (RFC 3875 §5.2: an NPH program sends a complete HTTP response): \"HTTP/1.1 200 O\\x01K\""),
	T("nph-http2-line", NPH, 0, "HTTP/2 200 OK\r\n\r\n", BAD_STATUS_LINE, 1, 0, "line 1 is not an HTTP status line \"HTTP/1.x ddd reason\" (RFC 3875 §5.2: an NPH program sends a complete HTTP response): \"HTTP/2 200 OK\""),
	T("nph-te-and-length", NPH,
	    0, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
	    TE_AND_CLEN, 1, 0,
	    "both Transfer-Encoding and Content-Length (RFC 9112 §6.1)"),
	T("nph-te-204", NPH,
	    0, "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n",
	    TE_FORBIDDEN, 1, 0,
	    "Transfer-Encoding with status 204 (RFC 9112 §6.1)"),
	T("nph-te-http10", NPH,
	    0, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
	    TE_HTTP10, 1, 0,
	    "Transfer-Encoding in an HTTP/1.0 response (RFC 9112 §6.1)"),
	T("nph-chunked-twice", NPH,
	    0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
	    TE_NOT_LAST, 1, 1,
	    "line 2: in Transfer-Encoding \"chunked, chunked\", chunked is applied twice or is not the final coding (RFC 9112 §6.1)"),
	T("nph-chunked-not-last", NPH,
	    0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\nzz",
	    TE_NOT_LAST, 1, 1,
	    "line 3: in Transfer-Encoding \"gzip\", chunked is applied twice or is not the final coding (RFC 9112 §6.1)"),
	T("nph-chunk-size-not-hex", NPH,
	    0, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
	    CHUNK_BAD, 1, 0,
	    "chunked body: a chunk size that is not hexadecimal at body byte 0 (RFC 9112 §7.1)"),
	T("nph-chunk-data-long", NPH,
	    0, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
	    CHUNK_BAD, 1, 0,
	    "chunked body: chunk data longer than its size (no CRLF after it) at body byte 6 (RFC 9112 §7.1)"),
	T("nph-chunk-unended", NPH, 0,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
	    CHUNK_UNENDED, 1, 0,
	    "the chunked body ends before its last chunk and final CRLF (RFC 9112 §7.1)"),
	T("nph-chunk-after-end", NPH, 0,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nextra",
	    CHUNK_AFTER_END, 1, 0,
	    "5 bytes after the end of the chunked body (RFC 9112 §7.1)"),
	T("nph-chunk-bare-lf", NPH, CRLF,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n1\nx\r\n0\r\n\r\n",
	    CHUNK_BAD, 1, 0,
	    "chunked body: a bare LF in the chunk framing at body byte 1 (RFC 9112 §7.1)"),
	T("nph-chunk-lf-lenient", NPH, 0,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n1\nx\n0\n\n",
	    OK, 0, 0, NULL),
	T("nph-chunk-bad-trailer", NPH, 0,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad line\r\n\r\n",
	    CHUNK_BAD, 1, 0,
	    "chunked body: a trailer field name that is not a token at body byte 6 (RFC 9112 §7.1)"),
	T("nph-chunk-size-space", NPH, 0,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n",
	    CHUNK_BAD, 1, 0,
	    "chunked body: whitespace after a chunk size without a chunk extension at body byte 2 (RFC 9112 §7.1)"),
	T("nph-chunk-size-overflow", NPH, 0,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n11111111111111111\r\n",
	    CHUNK_BAD, 1, 0,
	    "chunked body: a chunk size over 2^60 at body byte 15 (RFC 9112 §7.1)"),
	T("nph-length-mismatch", NPH, 0,
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabcdef",
	    CLEN_MISMATCH, 1, 0,
	    "Content-Length is 3 but the body has 6 bytes"),
	T("nph-content-type-twice", NPH, 0,
	    "HTTP/1.1 200 OK\r\nContent-Type: a/b\r\nContent-Type: c/d\r\n\r\n",
	    CTYPE_TWICE, 1, 0,
	    "line 3: a second Content-Type field (RFC 9110 §5.3)"),
	T("h2-basic", H2, 0,
	    "Status: 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok",
	    OK, 0, 0, NULL),
	T("h2-te-trailers", H2, 0,
	    "Status: 200 OK\r\ncontent-type: text/plain\r\nte: trailers\r\n\r\n",
	    OK, 0, 0, NULL),
	T("h2-upper-case", H2, 0,
	    "Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n",
	    H2_UPPERCASE, 1, 0,
	    "line 2: the field name \"Content-Type\" has upper-case letters, which HTTP/2 forbids (RFC 9113 §8.2.1)"),
	T("h2-connection", H2, 0,
	    "Status: 200 OK\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n",
	    H2_CONN_FIELD, 1, 0,
	    "line 3: \"connection\" is connection-specific, which HTTP/2 forbids (RFC 9113 §8.2.2)"),
	T("h2-transfer-encoding", H2, 0,
	    "Status: 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n",
	    H2_CONN_FIELD, 1, 0,
	    "line 3: \"transfer-encoding\" is connection-specific, which HTTP/2 forbids (RFC 9113 §8.2.2)"),
	T("h2-te-gzip", H2, 0,
	    "Status: 200 OK\r\ncontent-type: text/plain\r\nte: gzip\r\n\r\n",
	    H2_CONN_FIELD, 1, 0,
	    "line 3: \"te\" is connection-specific, which HTTP/2 forbids (RFC 9113 §8.2.2)"),
	T("h2-value-ws", H2, 0,
	    "Status: 200 OK\r\ncontent-type: text/plain\r\nx-a: b \r\n\r\n",
	    H2_VALUE_WS, 1, 0,
	    "line 3: the value of \"x-a\" ends in whitespace, which HTTP/2 forbids (RFC 9113 §8.2.1)"),
	T("h2-204-length", H2, 0,
	    "Status: 204 No Content\r\ncontent-length: 5\r\n\r\n",
	    CLEN_FORBIDDEN, 1, 0,
	    "Content-Length with status 204 (RFC 9110 §8.6)"),
};
/* clang-format on */

#define NCASES (sizeof(cases) / sizeof(cases[0]))
#define HCAP 4096

/* What a run decides: compared between the ways of feeding one input. */
struct outcome {
	struct rsp_check_report rep;
	char detail[512];
	unsigned notes;
	size_t header_bytes; /* feed's count of header-block bytes */
};

static void count_note(void *arg, const struct rsp_check_note *n)
{
	struct outcome *o = arg;
	ck_assert_int_lt(n->code, RSP_CHECK_NCODES);
	o->notes++;
}

/* Feed t->in in pieces of `step` bytes (0: split once at `split`). */
static void run(const struct tcase *t, const char *in, char *hdr, size_t cap,
    size_t split, size_t step, struct outcome *o)
{
	struct rsp_check c;
	memset(o, 0, sizeof(*o));
	rsp_check_init(&c, t->flavour, t->flags, hdr, cap, count_note, o);
	if (step == 0) {
		o->header_bytes += rsp_check_feed(&c, in, split);
		o->header_bytes +=
		    rsp_check_feed(&c, in + split, t->len - split);
	} else {
		for (size_t i = 0; i < t->len; i += step) {
			size_t n = t->len - i < step ? t->len - i : step;
			o->header_bytes += rsp_check_feed(&c, in + i, n);
		}
	}
	ck_assert_int_eq(rsp_check_finish(&c, &o->rep), o->rep.verdict);
	if (o->rep.verdict != RSP_CHECK_OK)
		rsp_check_format(&o->rep.first, o->detail, sizeof(o->detail));
}

static void expect(const struct tcase *t, const struct outcome *o,
    const char *how)
{
	ck_assert_msg(o->rep.verdict == t->verdict,
	    "%s (%s): verdict %s, "
	    "expected %s",
	    t->name, how, rsp_check_name(o->rep.verdict),
	    rsp_check_name(t->verdict));
	ck_assert_msg(o->rep.violations == t->violations &&
	        o->rep.warnings == t->warnings,
	    "%s (%s): %u violations and %u "
	    "warnings, expected %u and %u",
	    t->name, how, o->rep.violations, o->rep.warnings, t->violations,
	    t->warnings);
	ck_assert_uint_eq(o->notes, t->violations + t->warnings);
	if (t->detail == NULL) {
		ck_assert_str_eq(o->rep.reason, "well-formed");
		return;
	}
	ck_assert_str_eq(o->rep.reason, rsp_check_reason(t->verdict));
	ck_assert_msg(strcmp(o->detail, t->detail) == 0,
	    "%s (%s): \"%s\", "
	    "expected \"%s\"",
	    t->name, how, o->detail, t->detail);
}

/* Whole, then at every byte boundary, then byte by byte: the same. */
START_TEST(test_table)
{
	const struct tcase *t = &cases[_i];
	static char hdr[HCAP];
	struct outcome whole, part;
	char how[32];

	run(t, t->in, hdr, HCAP, t->len, 0, &whole);
	expect(t, &whole, "whole");
	for (size_t k = 0; k <= t->len; k++) {
		snprintf(how, sizeof(how), "split at %zu", k);
		run(t, t->in, hdr, HCAP, k, 0, &part);
		expect(t, &part, how);
		ck_assert_uint_eq(part.rep.body_len, whole.rep.body_len);
		ck_assert_uint_eq(part.header_bytes, whole.header_bytes);
		ck_assert_int_eq(part.rep.status, whole.rep.status);
	}
	run(t, t->in, hdr, HCAP, 0, 1, &part);
	expect(t, &part, "byte by byte");
	ck_assert_uint_eq(part.rep.body_len, whole.rep.body_len);
}
END_TEST

/* The input, and the header buffer, each end where a page without access
 * begins: a read past either faults. */
START_TEST(test_page_boundary)
{
	const struct tcase *t = &cases[_i];
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	ck_assert_int_eq(mprotect(m + pg, pg, PROT_NONE), 0);
	ck_assert_int_eq(mprotect(m + 3 * pg, pg, PROT_NONE), 0);
	ck_assert_uint_le(t->len, pg);
	char *in = m + pg - t->len;
	memcpy(in, t->in, t->len);
	struct outcome o;
	run(t, in, m + 2 * pg, pg, t->len, 0, &o);
	expect(t, &o, "at a page end");
	run(t, in, m + 2 * pg, pg, 0, 1, &o);
	expect(t, &o, "at a page end, byte by byte");
	munmap(m, 4 * pg);
}
END_TEST

/* A header block that fills the buffer without ending is cut there, the
 * rest counted as discarded, whatever the split. */
START_TEST(test_block_too_long)
{
	static const char in[] =
	    "Status: 200 OK\r\nX-Long: 0123456789\r\n\r\nbody";
	char hdr[20];
	for (size_t k = 0; k < sizeof(in); k++) {
		struct rsp_check c;
		struct rsp_check_report r;
		char msg[200];
		rsp_check_init(&c, CGI, 0, hdr, sizeof(hdr), NULL, NULL);
		size_t a = rsp_check_feed(&c, in, k);
		size_t b = rsp_check_feed(&c, in + k, sizeof(in) - 1 - k);
		ck_assert_uint_eq(a + b, sizeof(in) - 1);
		ck_assert(!rsp_check_in_body(&c));
		ck_assert_int_eq(rsp_check_finish(&c, &r),
		    RSP_CHECK_BLOCK_TOO_LONG);
		ck_assert_uint_eq(r.violations, 1);
		rsp_check_format(&r.first, msg, sizeof(msg));
		ck_assert_str_eq(msg,
		    "the header block is longer than 20 bytes (no "
		    "empty line in the first 20 bytes of output); the rest is "
		    "discarded");
	}
}
END_TEST

/* What respond-run prints with -i comes from these: the status, the
 * header block's lines as written, and which bytes are body. */
START_TEST(test_report_and_lines)
{
	static const char in[] = "Status: 404 Not Here\r\nContent-Type: a/b\n"
	                         "X-A: 1\r\n\r\nbody";
	static const char *const want[] = { "Status: 404 Not Here",
		"Content-Type: a/b", "X-A: 1", "" };
	static const size_t terms[] = { 2, 1, 2, 2 };
	char hdr[HCAP];
	struct rsp_check c;
	struct rsp_check_report r;
	struct rsp_check_line l;
	size_t pos = 0, n = 0;

	rsp_check_init(&c, CGI, 0, hdr, sizeof(hdr), NULL, NULL);
	ck_assert_uint_eq(rsp_check_feed(&c, in, 10), 10);
	ck_assert(!rsp_check_in_body(&c));
	ck_assert_uint_eq(rsp_check_feed(&c, in + 10, sizeof(in) - 11),
	    sizeof(in) - 11 - 4);
	ck_assert(rsp_check_in_body(&c));
	rsp_check_peek(&c, &r);
	ck_assert_int_eq(r.status, 404);
	ck_assert_uint_eq(r.status_reason_len, 8);
	ck_assert_int_eq(memcmp(r.status_reason, "Not Here", 8), 0);
	ck_assert_uint_eq(r.header_len, sizeof(in) - 1 - 4);
	ck_assert(r.header_ended);
	while (rsp_check_next_line(&c, &pos, &l)) {
		ck_assert_uint_lt(n, 4);
		ck_assert_uint_eq(l.len, strlen(want[n]));
		ck_assert_int_eq(memcmp(l.p, want[n], l.len), 0);
		ck_assert_uint_eq(l.term, terms[n]);
		n++;
	}
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(rsp_check_finish(&c, &r), RSP_CHECK_OK);
	ck_assert_uint_eq(r.body_len, 4);
	ck_assert_uint_eq(r.warnings, 0);
	/* A finished checker takes nothing more and keeps its verdict. */
	ck_assert_uint_eq(rsp_check_feed(&c, "x", 1), 1);
	ck_assert_int_eq(rsp_check_finish(&c, &r), RSP_CHECK_OK);
	ck_assert_uint_eq(r.body_len, 4);
}
END_TEST

/* rsp_check_format works as snprintf: the whole length, a cut copy. */
START_TEST(test_format_truncates)
{
	struct rsp_check_note n = { RSP_CHECK_CLEN_MISMATCH, CGI, 0, "10", 2,
		10, 5 };
	static const char full[] =
	    "Content-Length is 10 but the body has 5 bytes";
	char buf[8];
	ck_assert_int_eq(rsp_check_format(&n, NULL, 0), (int)sizeof(full) - 1);
	ck_assert_int_eq(rsp_check_format(&n, buf, sizeof(buf)),
	    (int)sizeof(full) - 1);
	ck_assert_str_eq(buf, "Content");
	/* A quoted text shows at most 60 bytes, escaped. */
	char big[100], out[300];
	memset(big, 'a', sizeof(big));
	big[0] = '\x7f';
	struct rsp_check_note q = { RSP_CHECK_NOT_FIELD, CGI, 7, big,
		sizeof(big), 0, 0 };
	rsp_check_format(&q, out, sizeof(out));
	ck_assert_str_eq(out,
	    "line 7 is not \"name: value\": \"\\x7F"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"...");
}
END_TEST

/* Every code has a distinct name, a reason and a message. */
START_TEST(test_code_table)
{
	for (int i = 0; i < RSP_CHECK_NCODES; i++) {
		struct rsp_check_note n = { (enum rsp_check_code)i, CGI, 1, "x",
			1, 200, 0 };
		char msg[400];
		rsp_check_format(&n, msg, sizeof(msg));
		ck_assert_msg(strlen(msg) > 10, "%s: \"%s\"",
		    rsp_check_name((enum rsp_check_code)i), msg);
		ck_assert_ptr_nonnull(rsp_check_reason((enum rsp_check_code)i));
		ck_assert_uint_gt(strlen(rsp_check_reason((enum rsp_check_code)
		                          i)),
		    0);
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(rsp_check_name((enum rsp_check_code)i),
			    rsp_check_name((enum rsp_check_code)j));
	}
	ck_assert(!rsp_check_is_violation(RSP_CHECK_OK));
	ck_assert(rsp_check_is_violation(RSP_CHECK_TE_AND_CLEN));
	ck_assert(!rsp_check_is_violation(RSP_CHECK_NO_CTYPE));
	ck_assert_str_eq(rsp_check_name(RSP_CHECK_NCODES), "?");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("checker");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_table, 0, (int)NCASES);
	tcase_add_loop_test(tc, test_page_boundary, 0, (int)NCASES);
	tcase_add_test(tc, test_block_too_long);
	tcase_add_test(tc, test_report_and_lines);
	tcase_add_test(tc, test_format_truncates);
	tcase_add_test(tc, test_code_table);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
