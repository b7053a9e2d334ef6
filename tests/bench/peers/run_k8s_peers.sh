#!/usr/bin/env bash
# Kubernetes peer comparison (issue 6, section 7): livedash --headless against kubectl on the
# fake cluster (tests/bench/fake_cluster_serve --tls, 127.0.0.1, HTTPS + bearer token, as
# kubectl needs), in one run.
#
#   watch  50,000 MODIFIED events of a ~1.7 KB Pod (the bench watch of namespace bench; each
#          watch request streams them and ends): `kubectl get pods -n bench --watch -o name > file`
#          vs `livedash --headless k8s:watch/pods?namespace=bench --count 50001 > file`.
#          How they end: kubectl exits by itself when the watch body ends (it does not re-watch);
#          livedash's informer would re-watch at once, so it stops after the initial LIST's one
#          ADDED line + the 50,000 events (--count 50001). Both outputs are checked to hold
#          50,001 lines. Events/s = 50,000 / wall time of the whole command (start-up, discovery
#          and the LIST included, for both alike).
#   logs   the 1,000,000-line log of pod bench (~122 MB, follow=true, chunked, ends):
#          `kubectl logs -f -n bench bench > file` (checked: the exact byte count) vs
#          `livedash --headless k8s:logs/bench?namespace=bench --count 1000000 > file` (a JSON
#          object per line; the follow would resume after the EOF, so --count ends it; checked: the
#          line count). Lines/s = 1,000,000 / wall time.
#   merge  a second server with FANOUT_PODS pods (fan-00.., label app=fanout) each logging
#          FANOUT_RATE lines/s: `livedash --headless k8s:logs?selector=app=fanout&namespace=bench
#          --duration FANOUT_SECONDS` piped into k8s_latency.py, which stamps every read of the
#          pipe and prints delivered lines/s and the latency p50/p99/max of a line (read time −
#          its kubelet timestamp, the "ts" field; 300 ms of it is the merger's reorder window, up
#          to 50 ms the fake generator's tick). The first 3 s (the replay of what was logged
#          before the follow) are left out.
#
# Prints medians of RUNS runs (interleaved rounds after one warm-up round; wall time, and CPU time
# when /usr/bin/time exists) and the ratios. Not part of ctest; nothing here needs a display.
#
# Usage: tests/bench/peers/run_k8s_peers.sh   (env: RUNS=5, BUILD=build/release (any release
#        build dir), LIVEDASH=$BUILD/app/livedash, SERVE=$BUILD/tests/bench/fake_cluster_serve,
#        SCRATCH=build/peers-k8s, FANOUT_PODS=50, FANOUT_RATE=200, FANOUT_SECONDS=15)
# Build first: cmake --build --preset release --target livedash fake_cluster_serve
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
runs=${RUNS:-5}
build=${BUILD:-$repo/build/release}
livedash=${LIVEDASH:-$build/app/livedash}
serve=${SERVE:-$build/tests/bench/fake_cluster_serve}
scratch=${SCRATCH:-$repo/build/peers-k8s}
fanout_pods=${FANOUT_PODS:-50}
fanout_rate=${FANOUT_RATE:-200}
fanout_seconds=${FANOUT_SECONDS:-15}
watch_events=50000
log_lines=1000000
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)

say() { printf '%s\n' "$*" >&2; }

for exe in "$livedash" "$serve"; do
    [[ -x $exe ]] || { say "no $exe (build it, or set BUILD=/LIVEDASH=/SERVE=)"; exit 1; }
done
have_kubectl=0; command -v kubectl > /dev/null && have_kubectl=1
have_time=0; [[ -x /usr/bin/time ]] && have_time=1

# start_server NAME ARGS...: a fake cluster in the background; sets server_pid and kubeconfig.
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; }
trap cleanup EXIT
start_server() {
    local name=$1
    shift
    rm -f "$scratch/$name.kubeconfig" "$scratch/$name.out"
    "$serve" "$scratch/$name.kubeconfig" --tls "$@" > "$scratch/$name.out" 2> "$scratch/$name.err" &
    server_pid=$!
    pids+=("$server_pid")
    for _ in $(seq 1 300); do
        grep -q '^server ' "$scratch/$name.out" 2> /dev/null && break
        sleep 0.1
    done
    grep -q '^server ' "$scratch/$name.out" || { say "$name server did not start: $(cat "$scratch/$name.err")"; exit 1; }
    kubeconfig="$scratch/$name.kubeconfig"
    say "$name cluster at $(awk '$1 == "server" { print $2 }' "$scratch/$name.out")"
}

# run NAME OUTFILE CMD...: appends "wall_s cpu_s" of one run to $scratch/NAME.times.
run() {
    local name=$1 out=$2
    shift 2
    local start end cpu=""
    start=$(date +%s%N)
    if ((have_time)); then
        /usr/bin/time -f '%U %S' -o "$scratch/$name.cpu" "$@" > "$out" 2> "$scratch/$name.err"
        read -r u s < "$scratch/$name.cpu"
        cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
        echo "$u $s" >> "$scratch/$name.usersys"
    else
        "$@" > "$out" 2> "$scratch/$name.err"
    fi
    end=$(date +%s%N)
    echo "$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }') ${cpu:--}" >> "$scratch/$name.times"
}
median() { # NAME COLUMN
    awk -v c="$2" '{ print $c }' "$scratch/$1.times" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0 || v[1] == "-") print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
check_lines() { # FILE EXPECTED WHAT
    local got
    got=$(wc -l < "$1")
    [[ $got -eq $2 ]] || { say "$3 wrote $got lines, expected $2: $(head -c 600 "$4")"; exit 1; }
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
per_s() { awk -v n="$1" -v s="$2" 'BEGIN { if (s == "-" || s == 0) print "-"; else printf "%.0f", n / s }'; }

start_server bench
kc=(kubectl --kubeconfig "$kubeconfig" --cache-dir "$scratch/kube-cache")
kc_watch=("${kc[@]}" get pods -n bench --watch -o name)
ld_watch=("$livedash" --headless --kubeconfig "$kubeconfig" --count $((watch_events + 1)) "k8s:watch/pods?namespace=bench")
kc_logs=("${kc[@]}" logs -f -n bench bench)
ld_logs=("$livedash" --headless --kubeconfig "$kubeconfig" --count "$log_lines" "k8s:logs/bench?namespace=bench")
log_bytes=""

rm -f "$scratch"/*.times "$scratch"/*.usersys
for round in $(seq 0 "$runs"); do
    ((round == 0)) && say "warm-up round" || say "round $round of $runs"
    if ((have_kubectl)); then
        run kubectl_watch "$scratch/kubectl_watch.out" "${kc_watch[@]}"
        check_lines "$scratch/kubectl_watch.out" $((watch_events + 1)) "kubectl get -w" "$scratch/kubectl_watch.err"
    fi
    run livedash_watch "$scratch/livedash_watch.out" "${ld_watch[@]}"
    check_lines "$scratch/livedash_watch.out" $((watch_events + 1)) "livedash k8s:watch" "$scratch/livedash_watch.err"
    if ((have_kubectl)); then
        run kubectl_logs "$scratch/kubectl_logs.out" "${kc_logs[@]}"
        check_lines "$scratch/kubectl_logs.out" "$log_lines" "kubectl logs -f" "$scratch/kubectl_logs.err"
        bytes=$(wc -c < "$scratch/kubectl_logs.out")
        [[ -z $log_bytes || $bytes -eq $log_bytes ]] || { say "kubectl logs wrote $bytes bytes, before $log_bytes"; exit 1; }
        log_bytes=$bytes
    fi
    run livedash_logs "$scratch/livedash_logs.out" "${ld_logs[@]}"
    check_lines "$scratch/livedash_logs.out" "$log_lines" "livedash k8s:logs" "$scratch/livedash_logs.err"
    if ((round == 0)); then rm -f "$scratch"/*.times "$scratch"/*.usersys; fi
done
rm -f "$scratch"/*_logs.out "$scratch"/*_watch.out
kill "$server_pid" 2> /dev/null || true

row() { printf '  %-58s %8s s  cpu %6s s  %9s %s/s\n' "$1" "$(median "$2" 1)" "$(median "$2" 2)" "$(per_s "$3" "$(median "$2" 1)")" "$4"; }
usersys() { [[ -f $scratch/$1.usersys ]] && awk '{ u += $1; s += $2 } END { printf "  %-58s user %.2f s, sys %.2f s (mean)\n", "'"$2"'", u / NR, s / NR }' "$scratch/$1.usersys"; return 0; }
kc_version=$( ((have_kubectl)) && kubectl version --client 2> /dev/null | head -1 | awk '{ print $3 }')

echo
echo "== watch: $watch_events MODIFIED Pod events (~1.7 KB) over HTTPS 127.0.0.1; medians of $runs runs =="
((have_kubectl)) && row "kubectl get pods --watch -o name > file ($kc_version)" kubectl_watch $watch_events events
row "livedash --headless k8s:watch/pods > file" livedash_watch $watch_events events
((have_kubectl)) && usersys kubectl_watch "kubectl"
usersys livedash_watch "livedash"
if ((have_kubectl)); then
    echo "  livedash vs kubectl: $(ratio "$(median kubectl_watch 1)" "$(median livedash_watch 1)")x as fast (wall), $(ratio "$(median kubectl_watch 2)" "$(median livedash_watch 2)")x (cpu); target >= 10x"
fi
echo
echo "== logs: $log_lines lines${log_bytes:+, $log_bytes bytes} of pod bench, follow, HTTPS 127.0.0.1; medians of $runs runs =="
((have_kubectl)) && row "kubectl logs -f > file ($kc_version)" kubectl_logs $log_lines lines
row "livedash --headless k8s:logs/bench > file (JSON per line)" livedash_logs $log_lines lines
((have_kubectl)) && usersys kubectl_logs "kubectl"
usersys livedash_logs "livedash"
if ((have_kubectl)); then
    echo "  livedash vs kubectl: $(ratio "$(median kubectl_logs 1)" "$(median livedash_logs 1)")x as fast (wall), $(ratio "$(median kubectl_logs 2)" "$(median livedash_logs 2)")x (cpu); target >= 1x"
fi

echo
echo "== merge: $fanout_pods pods x $fanout_rate lines/s = $((fanout_pods * fanout_rate)) lines/s offered, ${fanout_seconds} s, k8s:logs?selector= =="
start_server fanout "--fanout=$fanout_pods,$fanout_rate"
ld_merge=("$livedash" --headless --kubeconfig "$kubeconfig" --duration "$fanout_seconds" "k8s:logs?selector=app=fanout&namespace=bench")
/usr/bin/time -f '%U %S' -o "$scratch/merge.cpu" "${ld_merge[@]}" 2> "$scratch/merge.err" \
    | python3 "$here/k8s_latency.py" --skip 3 > "$scratch/merge.out"
read -r _ total _ ids _ measured _ seconds _ rate _ p50 _ p99 _ max < "$scratch/merge.out"
read -r u s < "$scratch/merge.cpu"
following=$(grep -c 'following ' "$scratch/merge.err" || true)
printf '  livedash: %s lines from %s containers (%s streams followed); measured %s lines over %s s\n' "$total" "$ids" "$following" "$measured" "$seconds"
printf '  delivered %s lines/s (offered %s); latency (read time - kubelet ts) p50 %s ms, p99 %s ms, max %s ms\n' \
    "$rate" "$((fanout_pods * fanout_rate))" "$p50" "$p99" "$max"
printf '  livedash cpu: user %s s, sys %s s over %s s\n' "$u" "$s" "$fanout_seconds"
