#!/usr/bin/env bash
# Peer comparison (issue 5, section 4): livedash --headless against the clients people would
# otherwise use, on the same deterministic corpora served on 127.0.0.1, in one run.
#
#   SSE   100 MB, ~621k events of ~160 B (70 % one-line JSON): node + npm eventsource@4.1.1
#         receiving every event vs `livedash --headless --transport sse URL > file`.
#   lines 1,000,000-line pod log (~122 MB) from a fake minimal Kubernetes API (discovery, the Pod,
#         its log with follow=true, chunked): `kubectl logs -f bench > file` vs
#         `livedash --headless --transport lines URL > file`.
#   parser the SSE corpus in memory: npm eventsource-parser@4.1.3 vs bench_parsers (our SseParser,
#         the BodyDecoder and a memchr line scan) on the same bytes.
#
# Prints medians of RUNS runs (wall time, and CPU time when /usr/bin/time exists) and the ratios.
# Peers that are not installed are skipped. Not part of ctest; nothing here needs a display.
#
# Usage: tests/bench/peers/run_peers.sh   (env: RUNS=5, LIVEDASH=build/release/app/livedash,
#        BENCH_PARSERS=build/release/tests/bench/bench_parsers, SCRATCH=build/peers)
# Build first: cmake --preset release && cmake --build --preset release --target livedash bench_parsers
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
runs=${RUNS:-5}
livedash=${LIVEDASH:-$repo/build/release/app/livedash}
bench_parsers=${BENCH_PARSERS:-$repo/build/release/tests/bench/bench_parsers}
scratch=${SCRATCH:-$repo/build/peers}
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)

say() { printf '%s\n' "$*" >&2; }

if ! command -v node > /dev/null; then
    say "node is not installed: the corpus server and the eventsource peer need it; nothing to compare."
    exit 0
fi
if [[ ! -x $livedash ]]; then
    say "no livedash at $livedash (build it, or set LIVEDASH=...)"
    exit 1
fi

# npm packages into the scratch dir (never into the source tree).
have_version() { node -e "process.exit(require('$scratch/node_modules/$1/package.json').version === '$2' ? 0 : 1)" 2> /dev/null; }
if ! have_version eventsource 4.1.1 || ! have_version eventsource-parser 4.1.3; then
    if command -v npm > /dev/null; then
        say "installing eventsource@4.1.1 and eventsource-parser@4.1.3 into $scratch"
        (cd "$scratch" && npm install --no-audit --no-fund --no-save --silent eventsource@4.1.1 eventsource-parser@4.1.3 > /dev/null)
    fi
fi
have_eventsource=0; have_version eventsource 4.1.1 && have_eventsource=1
have_parser=0; have_version eventsource-parser 4.1.3 && have_parser=1
have_kubectl=0; command -v kubectl > /dev/null && have_kubectl=1
have_time=0; [[ -x /usr/bin/time ]] && have_time=1

# The server: exits when our end of its stdin closes (the fifo), and is killed on exit anyway.
rm -f "$scratch/server.stdin" "$scratch/server.out"
mkfifo "$scratch/server.stdin"
node "$here/server.js" < "$scratch/server.stdin" > "$scratch/server.out" 2> "$scratch/server.err" &
server_pid=$!
exec 9> "$scratch/server.stdin"
cleanup() { exec 9>&-; kill "$server_pid" 2> /dev/null || true; rm -f "$scratch/server.stdin"; }
trap cleanup EXIT
for _ in $(seq 1 600); do
    grep -q '^port ' "$scratch/server.out" 2> /dev/null && break
    sleep 0.1
done
read -r _ port _ sse_events _ sse_bytes _ log_lines _ log_bytes < "$scratch/server.out" || { say "server did not start"; exit 1; }
say "corpus server on 127.0.0.1:$port: sse $sse_bytes bytes / $sse_events events, log $log_bytes bytes / $log_lines lines"

cat > "$scratch/kubeconfig" << EOF
apiVersion: v1
kind: Config
clusters:
- name: bench
  cluster:
    server: http://127.0.0.1:$port
contexts:
- name: bench
  context: {cluster: bench, namespace: default, user: bench}
current-context: bench
users:
- name: bench
  user: {}
EOF

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
    else
        "$@" > "$out" 2> "$scratch/$name.err"
    fi
    end=$(date +%s%N)
    echo "$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }') ${cpu:--}" >> "$scratch/$name.times"
}
median() { # column of $scratch/NAME.times
    awk -v c="$2" '{ print $c }' "$scratch/$1.times" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0 || v[1] == "-") print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
check_lines() { # FILE EXPECTED WHAT
    local got
    got=$(wc -l < "$1")
    [[ $got -eq $2 ]] || { say "$3 wrote $got lines, expected $2"; exit 1; }
}

es_cmd=(env NODE_PATH="$scratch/node_modules" node "$here/es_client.js" "http://127.0.0.1:$port/sse" "$sse_events")
ld_sse_cmd=("$livedash" --headless --transport sse --count "$sse_events" "http://127.0.0.1:$port/sse")
log_url="http://127.0.0.1:$port/api/v1/namespaces/default/pods/bench/log?follow=true"
kc_cmd=(kubectl --kubeconfig "$scratch/kubeconfig" --cache-dir "$scratch/kube-cache" logs -f bench)
ld_lines_cmd=("$livedash" --headless --transport lines --count "$log_lines" "$log_url")

rm -f "$scratch"/*.times
# One untimed warm-up of each (page cache, kubectl's discovery cache), then RUNS interleaved rounds,
# so that load from elsewhere on the machine hits every client alike.
for round in $(seq 0 "$runs"); do
    ((round == 0)) && say "warm-up round" || say "round $round of $runs"
    if ((have_eventsource)); then
        run eventsource "$scratch/eventsource.out" "${es_cmd[@]}"
        grep -q "^events $sse_events " "$scratch/eventsource.out" || { say "eventsource: $(cat "$scratch/eventsource.out" "$scratch/eventsource.err")"; exit 1; }
    fi
    run livedash_sse "$scratch/livedash_sse.out" "${ld_sse_cmd[@]}"
    check_lines "$scratch/livedash_sse.out" "$sse_events" "livedash (sse)"
    if ((have_kubectl)); then
        run kubectl "$scratch/kubectl.out" "${kc_cmd[@]}"
        [[ $(wc -c < "$scratch/kubectl.out") -eq $log_bytes ]] || { say "kubectl: $(head -c 500 "$scratch/kubectl.err")"; exit 1; }
    fi
    run livedash_lines "$scratch/livedash_lines.out" "${ld_lines_cmd[@]}"
    check_lines "$scratch/livedash_lines.out" "$log_lines" "livedash (lines)"
    if ((round == 0)); then rm -f "$scratch"/*.times; fi
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
row() { printf '  %-46s %8s s   cpu %6s s\n' "$1" "$(median "$2" 1)" "$(median "$2" 2)"; }

echo
echo "== SSE: $sse_bytes bytes, $sse_events events over 127.0.0.1; medians of $runs runs =="
((have_eventsource)) && row "node $(node --version) + eventsource 4.1.1" eventsource
row "livedash --headless --transport sse > file" livedash_sse
if ((have_eventsource)); then
    echo "  livedash vs eventsource: $(ratio "$(median eventsource 1)" "$(median livedash_sse 1)")x as fast (wall), $(ratio "$(median eventsource 2)" "$(median livedash_sse 2)")x (cpu); target >= 2x"
else
    echo "  (eventsource not installed: no ratio)"
fi
echo
echo "== lines: $log_bytes bytes, $log_lines lines of a pod log; medians of $runs runs =="
((have_kubectl)) && row "kubectl logs -f > file ($(kubectl version --client 2> /dev/null | head -1 | awk '{ print $3 }'))" kubectl
row "livedash --headless --transport lines > file" livedash_lines
if ((have_kubectl)); then
    echo "  livedash vs kubectl: $(ratio "$(median kubectl 1)" "$(median livedash_lines 1)")x as fast (wall), $(ratio "$(median kubectl 2)" "$(median livedash_lines 2)")x (cpu); target >= 1x"
else
    echo "  (kubectl not installed: no ratio)"
fi

echo
echo "== SSE parser in memory, same corpus, 64 KiB pieces (best of 3 alternating rounds of best-of-5) =="
node "$here/corpus.js" sse "$scratch/sse.corpus"
ours=""
theirs=""
best() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b + 0 > a + 0) print b; else print a }'; }
rm -f "$scratch/bench_parsers.out"
for _ in 1 2 3; do
    if [[ -x $bench_parsers ]]; then
        DASH_BENCH_SSE_CORPUS="$scratch/sse.corpus" "$bench_parsers" sseParserPeerCorpus bodyDecoderSse headlessPipeline \
            >> "$scratch/bench_parsers.out" 2>&1 || true
        ours=$(best "$ours" "$(awk '$1 == "sse_parser" && $2 == "peer," { v = $4 } END { print v }' "$scratch/bench_parsers.out")")
    fi
    if ((have_parser)); then
        theirs=$(best "$theirs" "$(NODE_PATH="$scratch/node_modules" node "$here/parser_bench.js" "$scratch/sse.corpus" 5 | awk '{ print $6 }')")
    fi
done
if [[ -x $bench_parsers ]]; then
    # The best line of each kind over the rounds.
    grep -E "MB/s" "$scratch/bench_parsers.out" | awk '{ key = $1 " " $2 " " $3; if (!(key in best) || $4 + 0 > best[key] + 0) { best[key] = $4; line[key] = $0 }; if (!(key in order)) { order[key] = ++n; keys[n] = key } }
        END { for (i = 1; i <= n; ++i) print "  " line[keys[i]] }'
    memchr=$(awk '$1 == "memchr(\x27\\n\x27)" || ($1 ~ /^memchr/ && $2 == "peer") { if ($4 + 0 > v) v = $4 } END { print v }' "$scratch/bench_parsers.out")
    [[ -n $memchr && -n $ours ]] && echo "  SseParser vs memchr line scan: $(ratio "$ours" "$memchr")x"
else
    echo "  (no bench_parsers at $bench_parsers: build it, or set BENCH_PARSERS=...)"
fi
if ((have_parser)); then
    echo "  eventsource-parser 4.1.3 (node)                  $theirs MB/s"
    [[ -n $ours ]] && echo "  SseParser vs eventsource-parser: $(ratio "$ours" "$theirs")x (target >= 4x)"
fi
rm -f "$scratch/sse.corpus"
