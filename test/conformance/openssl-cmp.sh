#!/bin/sh
# openssl-cmp.sh - the system `openssl cmp` as a program that takes the cmp
# options directly, like pkixcmp: for run.sh -c/-s (the baseline run).
exec "${REAL_OPENSSL:-/usr/bin/openssl}" cmp "$@"
