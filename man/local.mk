# man/local.mk - the manual, in mdoc(7): respond(3) is the overview, then
# one page per function or small family, and respond-run(1).  Every other
# name a page's NAME section lists is installed as a symbolic link to the
# page (man/aliases prints them), so that `man rsp_headers_append' works.
# tests/man.test checks the pages: mandoc -Tlint clean, every rsp_*
# function of lib/respond.h named in a NAME section and shown in its
# SYNOPSIS, the cross-references resolve, the C programs in EXAMPLES
# compile, respond-run(1) covers every option of `respond-run --help',
# and no other name is claimed twice or is a page of its own.
dist_man_MANS = \
	%D%/respond-run.1 \
	%D%/respond.3 \
	%D%/rsp_apply_range.3 \
	%D%/rsp_check_preconditions.3 \
	%D%/rsp_content_disposition.3 \
	%D%/rsp_access_log_write.3 \
	%D%/rsp_headers_set.3 \
	%D%/rsp_http_date.3 \
	%D%/rsp_json_string.3 \
	%D%/rsp_jsonw_new.3 \
	%D%/rsp_offload_file.3 \
	%D%/rsp_redirect.3 \
	%D%/rsp_request_auth.3 \
	%D%/rsp_request_body.3 \
	%D%/rsp_request_cookie.3 \
	%D%/rsp_request_form.3 \
	%D%/rsp_request_new.3 \
	%D%/rsp_request_param.3 \
	%D%/rsp_request_param_next.3 \
	%D%/rsp_request_query.3 \
	%D%/rsp_response_errmsg.3 \
	%D%/rsp_response_new.3 \
	%D%/rsp_router_new.3 \
	%D%/rsp_run.3 \
	%D%/rsp_set_content.3 \
	%D%/rsp_set_cookie.3 \
	%D%/rsp_set_encoding.3 \
	%D%/rsp_set_error.3 \
	%D%/rsp_set_flavour.3 \
	%D%/rsp_set_status.3 \
	%D%/rsp_serve_file.3 \
	%D%/rsp_sink_fd.3 \
	%D%/rsp_sse_start.3 \
	%D%/rsp_strerror.3 \
	%D%/rsp_write.3 \
	%D%/rsp_writer_write_status.3
dist_check_SCRIPTS += tests/man.test
EXTRA_DIST += %D%/aliases

MAN_ALIASES = list='$(dist_man_MANS)'; pages=; \
	for p in $$list; do \
	  if test -f "$$p"; then pages="$$pages $$p"; \
	  else pages="$$pages $(srcdir)/$$p"; fi; \
	done; \
	$(SHELL) $(srcdir)/%D%/aliases $$pages
install-data-hook: install-man-aliases
install-man-aliases:
	@$(MAN_ALIASES) | while read -r alias page; do \
	  d='$(DESTDIR)$(mandir)'/man$${page##*.}; \
	  echo " cd '$$d' && $(LN_S) $$page $$alias"; \
	  (cd "$$d" && rm -f "$$alias" && $(LN_S) "$$page" "$$alias") || exit 1; \
	done
uninstall-hook: uninstall-man-aliases
uninstall-man-aliases:
	@$(MAN_ALIASES) | while read -r alias page; do \
	  f='$(DESTDIR)$(mandir)'/man$${page##*.}/$$alias; \
	  echo " rm -f '$$f'"; \
	  rm -f "$$f" || exit 1; \
	done
.PHONY: install-man-aliases uninstall-man-aliases
