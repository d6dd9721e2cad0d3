#!/usr/bin/env bash
# A crash in a test program must end it at once with a failure status
# (Julia's crash handler re-raises with the default action), not loop
# printing backtraces. Usage: check.sh <crash program>
set -u
out=$(mktemp)
trap 'rm -f "$out"' EXIT
start=$(date +%s)
timeout 120 "$1" >"$out" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
bytes=$(wc -c <"$out")
echo "exit status $rc after ${secs}s, ${bytes} bytes of output"
if [ "$rc" -eq 124 ]; then echo "FAIL: the crashed program did not end (timeout)"; exit 1; fi
if [ "$rc" -eq 0 ]; then echo "FAIL: the crash was not reported as a failure"; exit 1; fi
if [ "$bytes" -gt 200000 ]; then echo "FAIL: $bytes bytes of output (a crash loop?)"; exit 1; fi
# "signal (11): ..." up to Julia 1.9; from 1.10 on "[pid] signal 11 (1): ..."
# or "[pid] signal (11.1): ..." (signal number and si_code; builds differ)
grep -qE "signal \(11[).]|signal 11 " "$out" || { echo "FAIL: Julia's crash report is missing"; head -c 2000 "$out"; exit 1; }
echo "ok: the crash ended the program"
