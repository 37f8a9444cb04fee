# Helpers for the VM scenarios (POSIX sh; sourced). The protocol, on stdout (the console) and on
# $RESULTS (the VM's second serial port, which tests/vm/run reads back):
#   CHECK NAME PASS|FAIL DETAIL     one per assertion
#   INFO TEXT                       a measurement worth keeping (durations, peaks)
#   RESULT PASS|FAIL [DETAIL]       last: PASS only if every CHECK passed
REPO=${SENTINEL_REPO:-$(pwd)}
JAR=$REPO/target/sentinel.jar
LEAKER=$REPO/tests/leaker/leaker
CG=/sys/fs/cgroup
RESULTS=${RESULTS:-/dev/null}
failed=0

emit() { echo "$*"; echo "$*" >>"$RESULTS"; }
info() { emit "INFO $*"; }

# check NAME DETAIL CMD...: PASS when CMD succeeds.
check() {
  name=$1 detail=$2
  shift 2
  if "$@"; then emit "CHECK $name PASS $detail"; else emit "CHECK $name FAIL $detail"; failed=$((failed + 1)); fi
}

finish() {
  if [ "$failed" -eq 0 ]; then emit "RESULT PASS"; else emit "RESULT FAIL $failed check(s) failed"; fi
}

now() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# wait_for SECONDS CMD...: polls CMD every 0.2 s until it succeeds (0) or the deadline passes (1).
wait_for() {
  end=$(awk -v a="$(now)" -v s="$1" 'BEGIN { print a + s }')
  shift
  while ! "$@"; do
    if awk -v a="$(now)" -v e="$end" 'BEGIN { exit !(a > e) }'; then return 1; fi
    sleep 0.2
  done
}

# Every cgroup a Sentinel made, anywhere under DIR (default: the whole hierarchy).
sentinel_cgroups() { find "${1:-$CG}" -type d -name 'sentinel-*' 2>/dev/null; }
no_sentinel_cgroups() { [ -z "$(sentinel_cgroups "$@")" ]; }

# From Sentinel's "started pid N (...; cgroup PATH, kernel limit ...)" line in LOG.
started_line() { grep -s -m1 ': started pid ' "$1"; }
has_started() { grep -qs ': started pid ' "$1"; }
# wait_started SECONDS LOG PID: until LOG has the started line, or PID ended without one.
wait_started() { wait_for "$1" eval "has_started '$2' || ! running '$3'"; }
program_cgroup() { started_line "$1" | sed -n 's/.*cgroup \(\/[^ ,)]*\).*/\1/p'; }
kernel_limit_of() { started_line "$1" | sed -n 's/.*\(kernel limit [0-9.]* [KMG]iB\).*/\1/p'; }
peak_rss() { grep -m1 ': exited with status' "$1" | sed -n 's/.*peak RSS \([0-9.]*\) MiB.*/\1/p'; }

# The value of KEY in a flat-keyed file such as memory.events ("" when absent).
key() { awk -v k="$2" '$1 == k { print $2 }' "$1" 2>/dev/null; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
# within LOW HIGH VALUE (decimals allowed)
within() { awk -v l="$1" -v h="$2" -v v="$3" 'BEGIN { exit !(v != "" && v + 0 >= l && v + 0 <= h) }'; }
is() { [ "$1" = "$2" ]; }
one_of() { v=$1; shift; for x in "$@"; do [ "$v" = "$x" ] && return 0; done; return 1; }
alive() { kill -0 "$1" 2>/dev/null; }
gone() { ! kill -0 "$1" 2>/dev/null; }

# show FILE: a log, indented, on the console (for whoever reads the VM's log after a failure).
show() { echo "--- $1"; sed 's/^/  | /' "$1"; echo "---"; }

# A process that still runs (a zombie does not: kill -0 succeeds on it until it is reaped).
running() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]; }

# Seconds between the first lines of LOG matching PATTERN1 and PATTERN2, from Sentinel's
# HH:MM:SS.mmm stamps ("" when either is missing).
secs_between() {
  a=$(grep -m1 -- "$2" "$1" | cut -d' ' -f1) b=$(grep -m1 -- "$3" "$1" | cut -d' ' -f1)
  [ -n "$a" ] && [ -n "$b" ] || return 0
  echo "$a $b" | awk -F'[: ]' '{ d = ($4 * 3600 + $5 * 60 + $6) - ($1 * 3600 + $2 * 60 + $3); if (d < 0) d += 86400; printf "%.1f", d }'
}

# The memory stop of a TERM-ignoring leaker under -g 20s, as LOG tells it: Sentinel sent SIGTERM,
# the kernel did not kill anything (memory.high held the tree), the grace ran out and Sentinel
# sent SIGKILL. PEAK (bytes): the program cgroup's highest memory.current, which must stay within
# 20 % of 100M. Sentinel's peak RSS is only reported: it also counts file pages mapped from the
# JDK that other cgroups were charged for (about 15 MiB more than the cgroup's count).
check_held_through_grace() {
  log=$1 peak=$2 grace=${3:-20}
  held=$(secs_between "$log" 'sent SIGTERM to the tree' 'exited with status')
  check limit-crossed "$(grep -m1 'limit crossed' "$log")" grep -q 'limit crossed' "$log"
  check no-kernel-kill "$(grep -m1 'kernel killed' "$log")" eval "! grep -q 'kernel killed' '$log'"
  check grace-ran-out "$(grep -m1 'sent SIGKILL' "$log")" grep -q "sent SIGKILL to the tree (grace period of ${grace}s is over" "$log"
  check held-through-grace "${held}s from SIGTERM to exit (grace ${grace}s)" within "$((grace - 1))" "$((grace + 20))" "$held"
  check peak-near-limit "program cgroup peaked at $(mib "$peak") MiB (80..120; Sentinel's peak RSS $(peak_rss "$log") MiB)" \
    within 80 120 "$(mib "$peak")"
}

# watch_cgroup PID CG SECONDS: while PID runs, keeps the highest memory.current of CG in $peak
# and its oom_kill count in $ooms; SIGKILLs PID after SECONDS.
watch_cgroup() {
  peak=0 ooms=0 end=$(awk -v a="$(now)" -v s="$3" 'BEGIN { print a + s }')
  while running "$1"; do
    o=$(key "$2/memory.events" oom_kill) && [ -n "$o" ] && ooms=$o
    c=$(cat "$2/memory.current" 2>/dev/null) && [ "$c" -gt "$peak" ] && peak=$c
    if awk -v a="$(now)" -v e="$end" 'BEGIN { exit !(a > e) }'; then
      kill -9 "$1"
      emit "CHECK ends FAIL still running after $3 s: killed"
      failed=$((failed + 1))
    fi
    sleep 0.5
  done
}

# A Kubernetes-like container cgroup: memory.max 300M, group OOM, no swap, as the kubelet sets.
make_pod() {
  POD=$CG/pod
  echo "+memory +pids" >"$CG/cgroup.subtree_control"
  mkdir "$POD"
  echo 300M >"$POD/memory.max"
  echo 1 >"$POD/memory.oom.group"
  [ -e "$POD/memory.swap.max" ] && echo 0 >"$POD/memory.swap.max"
  info "pod $POD: memory.max $(cat "$POD/memory.max"), oom.group $(cat "$POD/memory.oom.group"), swap.max $(cat "$POD/memory.swap.max" 2>/dev/null || echo none)"
}

# Waits up to SECONDS for PID to end; kills everything in the pod if it does not.
wait_or_kill_pod() {
  if ! wait_for "$2" eval "! running '$1'"; then
    emit "CHECK ends FAIL still running after $2 s: killed the pod"
    failed=$((failed + 1))
    echo 1 >"$POD/cgroup.kill"
  fi
}
