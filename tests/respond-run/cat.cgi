#!/bin/sh
# Echoes the request body back, with the request's method and content type.
printf 'Status: 200 OK\r\nContent-Type: application/octet-stream\r\nX-Method: %s\r\nX-Content-Type: %s\r\nX-Content-Length: %s\r\n\r\n' "$REQUEST_METHOD" "$CONTENT_TYPE" "$CONTENT_LENGTH"
exec cat
