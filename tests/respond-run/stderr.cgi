#!/bin/sh
# Writes to standard error as well.
echo 'to stderr' >&2
printf 'Content-Type: text/plain\n\nbody'
