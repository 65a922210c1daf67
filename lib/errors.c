/*
 * errors.c - names for librespond's error codes, generated from the same
 * list (RSP_ERR_MAP in respond.h) as the enum itself.
 */
#include "internal.h"

const char *rsp_strerror(int err)
{
	switch (err) {
#define ERR_CASE_(name, val, text) \
	case name:                 \
		return text;
		RSP_ERR_MAP(ERR_CASE_)
#undef ERR_CASE_
	}
	return "unknown error";
}

const char *rsp_err_name(int err)
{
	switch (err) {
#define ERR_NAME_(name, val, text) \
	case name:                 \
		return #name;
		RSP_ERR_MAP(ERR_NAME_)
#undef ERR_NAME_
	}
	return "RSP_UNKNOWN";
}
