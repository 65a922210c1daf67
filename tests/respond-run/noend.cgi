#!/bin/sh
# A header block that never ends.
printf 'Status: 200 OK\r\nX-Body: '
