#!/bin/sh
# A body without Content-Type (a warning, not a violation).
printf 'Status: 200 OK\r\n\r\nhello'
