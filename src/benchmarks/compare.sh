#!/bin/bash
# Side by side: our daemon, BIRD 2 and GoBGP as the route reflector of the same simulated Calico
# cluster (`routereflector bench`), one after the other in one network namespace on this machine.
# Writes every run's JSON report and logs, then results.md and results.json (medians) under --out.
#
#   src/benchmarks/compare.sh                              # every scenario, the issue's sizes, 5 runs each
#   src/benchmarks/compare.sh --quick --runs 1             # small sizes, one run: a few minutes
#   src/benchmarks/compare.sh --scenarios A --nodes "250 1000" --runs 3
#   src/benchmarks/compare.sh --scenarios "B D" --nodes-b "500 1000" --tables "10x20000" --runs 1
#
# Needs root (namespaces), java 17, bird2, gobgpd/gobgp, etcd (scenario C), and a built jar
# (mvn -B -DskipTests package). The namespace holds 198.18.0.0/15 as "AnyIP" (TESTBED.md): the
# reflector listens on 198.18.0.1, node i dials from 198.18.1.1 + i and is its own next hop.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=5
scenarios="A B C D"
impls="routereflector bird gobgp"
nodes_a="250 1000 2500"
nodes_b=""
tables=""
idle=10
stores="file etcd"
quick=0
ns=rrb-bench
out=""
# The generator's JVM: C1 only, as the daemon's launcher (C2 compilations took 1-3 s of the two cores the
# reflector under test needs during a cold start; measured 2026-12-04). BENCH_JVM replaces it.
bench_jvm="${BENCH_JVM:--Xms256m -Xmx3g -XX:TieredStopAtLevel=1}"
extra_args=""

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    echo "options: --runs N  --scenarios \"A B C D\"  --impls \"routereflector bird gobgp\"  --nodes \"250 1000 2500\" (A)"
    echo "         --nodes-b \"500 1000\" (B, default 1000)  --tables \"2x100000 10x20000\" (D: speakers x blocks, the default)"
    echo "         --idle SECONDS (A: every session held up this long after convergence, then the idle RSS; default 10, 0 = none)"
    echo "         --stores \"file etcd\" (C, ours)  --quick  --ns NAME  --out DIR"
    echo "         --bench-args \"ARGS\" (added to every bench run, e.g. \"--connect-rate 100\")"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --scenarios) scenarios=$2; shift 2 ;;
        --impls) impls=$2; shift 2 ;;
        --nodes) nodes_a=$2; shift 2 ;;
        --nodes-b) nodes_b=$2; shift 2 ;;
        --tables) tables=$2; shift 2 ;;
        --idle) idle=$2; shift 2 ;;
        --stores) stores=$2; shift 2 ;;
        --quick) quick=1; shift ;;
        --bench-args) extra_args=$2; shift 2 ;;
        --ns) ns=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "compare.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
case "$runs" in ''|*[!0-9]*) echo "--runs: a number" >&2; exit 2 ;; esac
case "$idle" in ''|*[!0-9]*) echo "--idle: a number of seconds" >&2; exit 2 ;; esac
[ "$runs" -ge 1 ] && [ "$runs" -le 20 ] || { echo "--runs: 1..20" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "compare.sh: needs root (network namespaces)" >&2; exit 2; }

# Sizes: the issue's presets, or small ones for a quick check.
# *_args shape the cluster (also given to `bench config`), *_run only the load of `bench`.
if [ "$quick" = 1 ]; then
    nodes_b=${nodes_b:-250}
    b_run="--churn-duration 30 --drop-every 10 --drop-for 5"
    c_args="--nodes 250 --join 20"
    c_run=""
    tables=${tables:-2x20000}
else
    nodes_b=${nodes_b:-1000}
    # B and C measure what happens after the start, so every reflector gets its 1000 nodes at
    # 100 dials/s: BIRD refuses most of a thousand simultaneous dials and then waits out its error
    # timers for minutes (scenario A measures exactly that).
    b_run="--connect-rate 100"
    c_run="--connect-rate 100"
    c_args="--nodes 1000"
    tables=${tables:-2x100000 10x20000}
fi
for t in $tables; do
    case "$t" in [1-9]*x[1-9]*) ;; *) echo "--tables: SPEAKERSxBLOCKS, e.g. 10x20000 (not $t)" >&2; exit 2 ;; esac
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=${out:-$root/src/benchmarks/results/$stamp}
mkdir -p "$out/bin" "$out/lib" "$out/runs"
jar_src=$root/src/target/routereflector.jar
[ -f "$jar_src" ] || { echo "compare.sh: build the jar first: mvn -B -DskipTests package" >&2; exit 2; }
# A private copy: a rebuild while the benchmark runs must not swap classes under a running JVM.
cp "$jar_src" "$out/lib/routereflector.jar"
cp "$root/src/bin/routereflector" "$root/src/bin/routereflector-class-archive" "$out/bin/"
jar=$out/lib/routereflector.jar
# The class-data archive the launcher maps, as an install builds it: for this copy of the jar.
"$out/bin/routereflector-class-archive" "$jar"
rr=198.18.0.1
api=50151
etcd_port=23791
ulimit -n 20000

pids=""
etcd_pid=""
# Not for processes started with &: a function would put a subshell between $! and the process.
in_ns() { ip netns exec "$ns" "$@"; }

cleanup() {
    for p in $pids; do
        kill "$p" 2>/dev/null || true
    done
    sleep 1
    for p in $pids; do
        kill -9 "$p" 2>/dev/null || true
    done
    ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT

# The benchmark namespace, from scratch (a crashed run may have left one).
ip netns del "$ns" 2>/dev/null || true
ip netns add "$ns"
in_ns sh -c 'ip link set lo up
    ip link add b0 type veth peer name b1; ip link set b0 up; ip link set b1 up
    ip addr add 198.18.0.1/15 dev b0
    ip route add local 198.18.0.0/15 dev b0 table local'

json_string() { printf '"%s"' "$(printf '%s' "$1" | tr '\n' ' ' | sed 's/\\/\\\\/g; s/"/\\"/g')"; }
{
    echo "{"
    echo "  \"date\": $(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)"),"
    echo "  \"machine\": $(json_string "$(uname -srm), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"),"
    echo "  \"load_at_start\": $(json_string "$(cut -d' ' -f1-3 /proc/loadavg)"),"
    echo "  \"routereflector\": $(json_string "$(java -jar "$jar" version 2>&1 | head -1)"),"
    echo "  \"java\": $(json_string "$(java -version 2>&1 | head -1)"),"
    echo "  \"bird\": $(json_string "$(bird --version 2>&1 | head -1)"),"
    echo "  \"gobgp\": $(json_string "$(gobgpd --version 2>&1 | head -1)"),"
    echo "  \"runs\": $(json_string "$runs per reflector and size; scenarios $scenarios; quick=$quick")"
    echo "}"
} > "$out/env.json"

# Waits until something listens on 198.18.0.1:179 in the namespace (30 s at most).
await_listen() {
    for _ in $(seq 1 300); do
        if in_ns ss -Hltn "sport = :179" | grep -q .; then
            return 0
        fi
        if ! kill -0 "$1" 2>/dev/null; then
            echo "compare.sh: the reflector exited before listening (see $2)" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "compare.sh: nothing listens on $rr:179 after 30 s (see $2)" >&2
    return 1
}

stop_pid() {
    kill "$1" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$1" 2>/dev/null || break
        sleep 0.1
    done
    kill -9 "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
    pids=$(echo "$pids" | tr ' ' '\n' | grep -vx "$1" | tr '\n' ' ' || true)
}

start_etcd() {
    rm -rf "$1/etcd"
    ip netns exec "$ns" etcd --data-dir "$1/etcd" --listen-client-urls "http://127.0.0.1:$etcd_port" \
        --advertise-client-urls "http://127.0.0.1:$etcd_port" --listen-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
        > "$1/etcd.log" 2>&1 &
    etcd_pid=$!
    pids="$pids $etcd_pid"
    for _ in $(seq 1 100); do
        if in_ns env ETCDCTL_API=3 etcdctl --endpoints "http://127.0.0.1:$etcd_port" endpoint health > /dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    echo "compare.sh: etcd did not come up (see $1/etcd.log)" >&2
    return 1
}

# One run: configure and start the reflector, run the bench against it, stop everything.
#   run_one SCENARIO LABEL RUN BENCH_ARGS...
run_one() {
    local scenario=$1 label=$2 n=$3
    shift 3
    local d="$out/runs/$scenario-$(echo "$*" | tr -c 'a-zA-Z0-9\n' '_' | sed 's/__*/_/g')-$label-$n"
    mkdir -p "$d"
    local plan=(--scenario "$scenario" --reflector "$rr:179" "$@")
    local membership=() rr_pid
    echo "== $scenario $label run $n: $* $run_args (load $(cut -d' ' -f1-3 /proc/loadavg))"
    case "$label" in
        routereflector|routereflector-file)
            java -jar "$jar" bench config --target calico "${plan[@]}" --out "$d/cluster.yaml"
            ip netns exec "$ns" env LOG_LEVEL=warn JAVA_EXTRA_OPTS="-Xlog:gc,gc+phases,safepoint:file=$d/gc.log" "$out/bin/routereflector" run \
                --node bench-rr --datastore-path "$d/cluster.yaml" > "$d/reflector.log" 2>&1 &
            rr_pid=$!
            membership=(--membership "file:$d/cluster.yaml" --gc-log "$d/gc.log")
            ;;
        routereflector-etcd)
            start_etcd "$d"
            in_ns java -jar "$jar" bench config --target etcd --etcd "http://127.0.0.1:$etcd_port" "${plan[@]}"
            ip netns exec "$ns" env LOG_LEVEL=warn JAVA_EXTRA_OPTS="-Xlog:gc,gc+phases,safepoint:file=$d/gc.log" "$out/bin/routereflector" run \
                --node bench-rr --datastore-type etcdv3 --etcd-endpoints "http://127.0.0.1:$etcd_port" > "$d/reflector.log" 2>&1 &
            rr_pid=$!
            membership=(--membership "etcd:http://127.0.0.1:$etcd_port" --gc-log "$d/gc.log")
            ;;
        bird)
            java -jar "$jar" bench config --target bird "${plan[@]}" --out "$d/bird.conf"
            ip netns exec "$ns" bird -f -c "$d/bird.conf" -s "$d/bird.ctl" -P "$d/bird.pid" > "$d/reflector.log" 2>&1 &
            rr_pid=$!
            membership=(--membership "bird:$d/bird.conf,$d/bird.ctl")
            ;;
        gobgp)
            java -jar "$jar" bench config --target gobgp "${plan[@]}" --out "$d/gobgpd.toml"
            ip netns exec "$ns" gobgpd -f "$d/gobgpd.toml" --api-hosts "127.0.0.1:$api" --pprof-disable -l warn > "$d/reflector.log" 2>&1 &
            rr_pid=$!
            membership=(--membership "gobgp:$api")
            ;;
        *) echo "compare.sh: unknown reflector $label" >&2; return 1 ;;
    esac
    pids="$pids $rr_pid"
    if await_listen "$rr_pid" "$d/reflector.log"; then
        # --membership only for C (the bench runs inside the namespace: birdc and gobgp do too).
        [ "$scenario" = C ] || membership=("${membership[@]:2}")
        cut -d' ' -f1-3 /proc/loadavg > "$d/load-before"
        # shellcheck disable=SC2086
        in_ns java $bench_jvm -jar "$jar" bench "${plan[@]}" $run_args $extra_args --label "$label" --reflector-pid "$rr_pid" \
            "${membership[@]}" --json "$d/report.json" > "$d/bench.txt" 2>&1 || echo "compare.sh: bench failed, see $d/bench.txt" >&2
        grep -E '^(convergence_ms|all_established_ms|propagation_event_p99_ms|update_pause_p50_ms|sessions_reset|bench_cpu_share) ' "$d/bench.txt" | sed 's/^/   /' || true
    fi
    stop_pid "$rr_pid"
    if [ -n "${etcd_pid:-}" ]; then
        stop_pid "$etcd_pid"
        etcd_pid=""
    fi
    sleep 1
}

for scenario in $scenarios; do
    case "$scenario" in
        A) sizes=$nodes_a ;;
        B) sizes=$nodes_b ;;
        D) sizes=$tables ;;
        *) sizes=x ;;
    esac
    for size in $sizes; do
        run_args=""
        case "$scenario" in
            A) args="--nodes $size"; [ "$idle" = 0 ] || run_args="--idle $idle" ;;
            B) args="--nodes $size"; run_args=$b_run ;;
            C) args=$c_args; run_args=$c_run ;;
            D) args="--speakers ${size%x*} --table ${size#*x}" ;;
            *) echo "compare.sh: unknown scenario $scenario" >&2; exit 2 ;;
        esac
        for n in $(seq 1 "$runs"); do
            for impl in $impls; do
                if [ "$scenario" = C ] && [ "$impl" = routereflector ]; then
                    for store in $stores; do
                        # shellcheck disable=SC2086
                        run_one "$scenario" "routereflector-$store" "$n" $args
                    done
                else
                    # shellcheck disable=SC2086
                    run_one "$scenario" "$impl" "$n" $args
                fi
            done
        done
    done
done

reports=$(find "$out/runs" -name report.json | sort)
# shellcheck disable=SC2086
java -jar "$jar" bench summarize --env "$out/env.json" --markdown "$out/results.md" --json "$out/results.json" $reports
echo "results: $out/results.md"
