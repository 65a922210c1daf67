#!/bin/sh
# A header block longer than 64 KiB.
i=0
while [ $i -lt 2000 ]; do
    printf 'X-Pad-%d: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n' $i
    i=$((i + 1))
done
printf '\r\nbody'
