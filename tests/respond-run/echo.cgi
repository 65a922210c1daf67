#!/bin/sh
# Writes $RESP (set with -e) through printf %b.
printf '%b' "$RESP"
