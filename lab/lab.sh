#!/usr/bin/env bash
# The real-network lab: network namespaces standing for a LAN host and the internet, joined by the router.
#
#   lab.sh up [tap|kernel]   build it (default tap); lab.sh dhcp-host; lab.sh down; lab.sh status
#
# tap:    NS-lan holds TAP device tap0 (192.168.1.2/24, default via the router's 192.168.1.1) and NS-wan holds tap0
#         (203.0.113.1/24, the router's WAN gateway; 198.51.100.7/32 on lo stands for a server out on the internet).
#         Both TAPs are persistent and stay without carrier until the router attaches:
#           dotnet run -c Release --project boards/emulator -- --lan-tap NS-lan/tap0 --wan-tap NS-wan/tap0
# kernel: the same hosts and addresses, but on veth pairs to NS-rtr where Linux routes and masquerades with nftables
#         (the comparison point for lab/bench-throughput.sh).
#
# dhcp-host (after up): NS-dhcp, a second LAN host with no address, on dhcp0 = a macvlan of the LAN host's device
#         (own MAC, same wire to the router): a DHCP client runs there without touching 192.168.1.2:
#           ip netns exec NS-dhcp udhcpc -f -q -i dhcp0 -s /bin/true   (not the default script: it edits /etc/resolv.conf)
#
# Every address lives inside the namespaces; `down` deletes them, which also removes their devices, after ending the
# processes still running in them. NS is $LAB_PREFIX (default rlab). Needs root and iproute2 (kernel: also nftables).
set -euo pipefail

prefix=${LAB_PREFIX:-rlab}
lan=$prefix-lan wan=$prefix-wan rtr=$prefix-rtr dhcp=$prefix-dhcp

ns_exists() { ip netns list | awk '{print $1}' | grep -qx -- "$1"; }

host_ns() { # name: a namespace with loopback up and IPv6 off (the router is IPv4-only; spare it the noise)
  ip netns add "$1"
  ip -n "$1" link set lo up
  ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

addresses() { # lan-dev wan-dev: the host addresses, identical in both topologies
  ip -n "$lan" addr add 192.168.1.2/24 dev "$1"
  ip -n "$lan" link set "$1" up
  ip -n "$lan" route add default via 192.168.1.1 dev "$1" onlink
  ip -n "$wan" addr add 203.0.113.1/24 dev "$2"
  ip -n "$wan" addr add 198.51.100.7/32 dev lo
  ip -n "$wan" link set "$2" up
}

up() {
  local mode=${1:-tap}
  if ns_exists "$lan" || ns_exists "$wan"; then echo "lab $prefix is already up (lab.sh down first)" >&2; exit 1; fi
  trap 'down >/dev/null 2>&1' ERR
  host_ns "$lan"
  host_ns "$wan"
  case "$mode" in
    tap)
      ip -n "$lan" tuntap add dev tap0 mode tap
      ip -n "$wan" tuntap add dev tap0 mode tap
      addresses tap0 tap0
      echo "lab $prefix up (tap): router attaches to $lan/tap0 and $wan/tap0"
      ;;
    kernel)
      host_ns "$rtr"
      ip -n "$rtr" link add lan0 type veth peer name eth0 netns "$lan"
      ip -n "$rtr" link add wan0 type veth peer name eth0 netns "$wan"
      ip -n "$rtr" addr add 192.168.1.1/24 dev lan0
      ip -n "$rtr" addr add 203.0.113.2/24 dev wan0
      ip -n "$rtr" link set lan0 up
      ip -n "$rtr" link set wan0 up
      ip -n "$rtr" route add default via 203.0.113.1
      ip netns exec "$rtr" sysctl -qw net.ipv4.ip_forward=1
      ip netns exec "$rtr" nft -f - <<'NFT'
table ip nat {
  chain postrouting { type nat hook postrouting priority srcnat; oifname "wan0" masquerade; }
}
NFT
      addresses eth0 eth0
      echo "lab $prefix up (kernel): Linux routes and masquerades in $rtr"
      ;;
    *) echo "unknown topology '$mode' (tap or kernel)" >&2; exit 2 ;;
  esac
  trap - ERR
}

dhcp_host() {
  ns_exists "$lan" || { echo "lab $prefix is down (lab.sh up first)" >&2; exit 1; }
  ns_exists "$dhcp" && { echo "lab $prefix already has $dhcp"; return; }
  local lower=tap0
  ip -n "$lan" link show tap0 >/dev/null 2>&1 || lower=eth0 # kernel topology: the veth end
  host_ns "$dhcp"
  ip -n "$lan" link add dhcp0 link "$lower" type macvlan mode bridge
  ip -n "$lan" link set dhcp0 netns "$dhcp"
  ip -n "$dhcp" link set dhcp0 up
  echo "lab $prefix: $dhcp/dhcp0 on $lan/$lower, no address"
}

down() {
  local ns pid
  for ns in "$dhcp" "$lan" "$wan" "$rtr"; do
    ns_exists "$ns" || continue
    # Servers started in the namespace would keep it alive after deletion: end them first.
    for pid in $(ip netns pids "$ns"); do kill "$pid" 2>/dev/null || true; done
    ip netns del "$ns"
  done
  echo "lab $prefix down"
}

status() {
  local ns
  for ns in "$lan" "$wan" "$rtr" "$dhcp"; do
    ns_exists "$ns" || continue
    echo "== $ns"
    ip -n "$ns" -br addr
    ip -n "$ns" route
  done
  ns_exists "$lan" || echo "lab $prefix is down"
}

case "${1:-}" in
  up) up "${2:-tap}" ;;
  dhcp-host) dhcp_host ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up [tap|kernel] | dhcp-host | down | status   (namespace prefix: \$LAB_PREFIX, default rlab)" >&2; exit 2 ;;
esac
