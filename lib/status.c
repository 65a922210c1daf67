/*
 * status.c - the one table of HTTP status codes: reason phrase and long
 * description, so a phrase can never disagree with its code.  Phrases are
 * wptserve's (constants.py) where it has one, IANA's registry otherwise.
 */
#include "internal.h"

#include <stddef.h>

/* code, reason phrase, description */
#define RSP_STATUS_MAP(X)                                                      \
	X(100, "Continue", "Request received, please continue")                 \
	X(101, "Switching Protocols", "Switching to new protocol; obey Upgrade header") \
	X(102, "Processing", "")                                                \
	X(103, "Early Hints", "")                                               \
	X(200, "OK", "Request fulfilled, document follows")                     \
	X(201, "Created", "Document created, URL follows")                      \
	X(202, "Accepted", "Request accepted, processing continues off-line")   \
	X(203, "Non-Authoritative Information", "Request fulfilled from cache") \
	X(204, "No Content", "Request fulfilled, nothing follows")              \
	X(205, "Reset Content", "Clear input form for further input.")          \
	X(206, "Partial Content", "Partial content follows.")                   \
	X(207, "Multi-Status", "")                                              \
	X(208, "Already Reported", "")                                          \
	X(226, "IM Used", "")                                                   \
	X(300, "Multiple Choices", "Object has several resources -- see URI list") \
	X(301, "Moved Permanently", "Object moved permanently -- see URI list") \
	X(302, "Found", "Object moved temporarily -- see URI list")             \
	X(303, "See Other", "Object moved -- see Method and URL list")          \
	X(304, "Not Modified", "Document has not changed since given time")     \
	X(305, "Use Proxy", "You must use proxy specified in Location to access this resource.") \
	X(307, "Temporary Redirect", "Object moved temporarily -- see URI list") \
	X(308, "Permanent Redirect", "")                                        \
	X(400, "Bad Request", "Bad request syntax or unsupported method")       \
	X(401, "Unauthorized", "No permission -- see authorization schemes")    \
	X(402, "Payment Required", "No payment -- see charging schemes")        \
	X(403, "Forbidden", "Request forbidden -- authorization will not help") \
	X(404, "Not Found", "Nothing matches the given URI")                    \
	X(405, "Method Not Allowed", "Specified method is invalid for this resource.") \
	X(406, "Not Acceptable", "URI not available in preferred format.")      \
	X(407, "Proxy Authentication Required", "You must authenticate with this proxy before proceeding.") \
	X(408, "Request Timeout", "Request timed out; try again later.")        \
	X(409, "Conflict", "Request conflict.")                                 \
	X(410, "Gone", "URI no longer exists and has been permanently removed.") \
	X(411, "Length Required", "Client must specify Content-Length.")        \
	X(412, "Precondition Failed", "Precondition in headers is false.")      \
	X(413, "Request Entity Too Large", "Entity is too large.")              \
	X(414, "Request-URI Too Long", "URI is too long.")                      \
	X(415, "Unsupported Media Type", "Entity body in unsupported format.")  \
	X(416, "Requested Range Not Satisfiable", "Cannot satisfy request range.") \
	X(417, "Expectation Failed", "Expect condition could not be satisfied.") \
	X(421, "Misdirected Request", "")                                       \
	X(422, "Unprocessable Content", "")                                     \
	X(423, "Locked", "")                                                    \
	X(424, "Failed Dependency", "")                                         \
	X(425, "Too Early", "")                                                 \
	X(426, "Upgrade Required", "")                                          \
	X(428, "Precondition Required", "")                                     \
	X(429, "Too Many Requests", "")                                         \
	X(431, "Request Header Fields Too Large", "")                           \
	X(451, "Unavailable For Legal Reasons", "")                             \
	X(500, "Internal Server Error", "Server got itself in trouble")         \
	X(501, "Not Implemented", "Server does not support this operation")     \
	X(502, "Bad Gateway", "Invalid responses from another server/proxy.")   \
	X(503, "Service Unavailable", "The server cannot process the request due to a high load") \
	X(504, "Gateway Timeout", "The gateway server did not receive a timely response") \
	X(505, "HTTP Version Not Supported", "Cannot fulfill request.")         \
	X(506, "Variant Also Negotiates", "")                                   \
	X(507, "Insufficient Storage", "")                                      \
	X(508, "Loop Detected", "")                                             \
	X(510, "Not Extended", "")                                              \
	X(511, "Network Authentication Required", "")

/* The reason phrase goes out with every response: a switch, which the
 * compiler makes a jump table of, costs a few instructions whatever the
 * code. */
const char *rsp_status_reason(int code)
{
	switch (code) {
#define REASON_(c, r, d) case c: return r;
	RSP_STATUS_MAP(REASON_)
#undef REASON_
	default:
		return "";
	}
}

/* Descriptions are for error bodies, not the hot path: a sorted table and
 * a binary search (several codes share one text, which a switch would
 * repeat). */
struct description_row {
	short code;
	const char *description;
};

static const struct description_row descriptions[] = {
#define ROW_(c, r, d) { c, d },
	RSP_STATUS_MAP(ROW_)
#undef ROW_
};

const char *rsp__status_description(int code)
{
	size_t lo = 0, hi = sizeof(descriptions) / sizeof(descriptions[0]);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (descriptions[mid].code == code)
			return descriptions[mid].description;
		if (descriptions[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return "";
}
