#!/usr/bin/env bash
# iperf3 TCP throughput LAN -> WAN and WAN -> LAN on the lab topology (lab.sh), side by side in one run:
#   emulator   the router (boards/emulator, Release) on the two TAPs
#   null       boards/nullforwarder copying frames between the same two TAPs untouched: the ceiling of this I/O path
#   kernel     Linux forwarding + nftables masquerade in a router namespace on veth pairs (same hosts and addresses)
# Not a test: numbers depend on the machine and its load. Needs root, iperf3, iproute2, nftables, the .NET SDK.
#   sudo lab/bench-throughput.sh            # BENCH_SECONDS=N per run (default 5), BENCH_ROUNDS=N (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${BENCH_SECONDS:-5}
rounds=${BENCH_ROUNDS:-2}
export LAB_PREFIX=${LAB_PREFIX:-rbench}
lan=$LAB_PREFIX-lan wan=$LAB_PREFIX-wan
background=()
scratch=$(mktemp -d)

cleanup() {
  local pid
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${background[@]}"; do wait "$pid" 2>/dev/null || true; done
  background=()
  lab/lab.sh down >/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT

echo "building Release..."
dotnet build -c Release -v q -nologo boards/emulator >/dev/null
dotnet build -c Release -v q -nologo boards/nullforwarder >/dev/null
bin() { echo "boards/$1/bin/Release/net10.0/$2.dll"; }

start() { "$@" >/dev/null 2>&1 & background+=($!); }

wait_ping() { # ns address: until the path works (bounded: 10 s)
  for _ in $(seq 50); do ip netns exec "$1" ping -c1 -W1 "$2" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "no path to $2 from $1" >&2; return 1
}

mbits() { # ns server [-R]: receiver-side Mbit/s of one iperf3 run from the LAN host
  ip netns exec "$lan" timeout $((seconds + 15)) iperf3 -c "$2" -t "$seconds" -f m ${3:-} |
    awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") print $(i - 1) }'
}

best() { awk -v a="${1:-0}" -v b="${2:-0}" 'BEGIN { print (a > b ? a : b) }'; }

measure() { # name server: keeps the best of the rounds in results[name-up], results[name-down]
  local up down
  wait_ping "$lan" "$2"
  up=$(mbits "$lan" "$2")
  down=$(mbits "$lan" "$2" -R)
  echo "  $1: LAN->WAN $up Mbit/s, WAN->LAN $down Mbit/s"
  results[$1-up]=$(best "${results[$1-up]:-}" "$up")
  results[$1-down]=$(best "${results[$1-down]:-}" "$down")
}

stop_background() {
  local pid
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${background[@]}"; do wait "$pid" 2>/dev/null || true; done
  background=()
}

declare -A results
echo "iperf3 -t $seconds, one TCP stream each way, best of $rounds rounds, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Rounds alternate the three so that load from elsewhere on the machine hits them alike; the best of each is reported.
for round in $(seq "$rounds"); do
  echo "round $round"
  lab/lab.sh up tap >/dev/null
  # The null forwarder joins the two hosts into one Ethernet: they also share a subnet, used only in its run.
  ip -n "$lan" addr add 10.99.0.1/24 dev tap0
  ip -n "$wan" addr add 10.99.0.2/24 dev tap0
  start ip netns exec "$wan" iperf3 -s
  start dotnet "$(bin emulator Router.Emulator)" --lan-tap "$lan/tap0" --wan-tap "$wan/tap0" --quiet \
    --flash "$scratch/flash.bin" --factory-reset --wan-address 203.0.113.2/24 --wan-gateway 203.0.113.1
  measure emulator 198.51.100.7
  stop_background
  start ip netns exec "$wan" iperf3 -s
  start dotnet "$(bin nullforwarder Router.NullForwarder)" "$lan/tap0" "$wan/tap0"
  measure null 10.99.0.2
  stop_background
  lab/lab.sh down >/dev/null

  lab/lab.sh up kernel >/dev/null
  start ip netns exec "$wan" iperf3 -s
  measure kernel 198.51.100.7
  stop_background
  lab/lab.sh down >/dev/null
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b; else print "n/a" }'; }
echo
printf '%-34s %14s %14s\n' "" "LAN->WAN" "WAN->LAN"
printf '%-34s %9s Mbit/s %7s Mbit/s\n' "emulator (router on TAPs)" "${results[emulator-up]}" "${results[emulator-down]}"
printf '%-34s %9s Mbit/s %7s Mbit/s\n' "null forwarder (same TAPs)" "${results[null-up]}" "${results[null-down]}"
printf '%-34s %9s Mbit/s %7s Mbit/s\n' "Linux kernel NAT (veth, nftables)" "${results[kernel-up]}" "${results[kernel-down]}"
printf '%-34s %14s %14s\n' "emulator / null forwarder" "$(ratio "${results[emulator-up]}" "${results[null-up]}")" "$(ratio "${results[emulator-down]}" "${results[null-down]}")"
printf '%-34s %14s %14s\n' "emulator / kernel NAT" "$(ratio "${results[emulator-up]}" "${results[kernel-up]}")" "$(ratio "${results[emulator-down]}" "${results[kernel-down]}")"
