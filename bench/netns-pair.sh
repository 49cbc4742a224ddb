# Sourced by the netns harnesses: two fresh namespaces "$C" (client) and "$S" (server) joined by
# a veth, 10.$1.0.1 ↔ 10.$1.0.2, tuned for connection-rate loads. The caller sets C, S and a trap
# that deletes both.
netns_pair() {
  ip netns add "$C"; ip netns add "$S"
  ip link add og0 netns "$C" type veth peer name og1 netns "$S"
  ip -n "$C" addr add "10.$1.0.1/24" dev og0; ip -n "$S" addr add "10.$1.0.2/24" dev og1
  for n in "$C" "$S"; do ip -n "$n" link set lo up; done
  ip -n "$C" link set og0 up; ip -n "$S" link set og1 up
  ip netns exec "$S" sysctl -qw net.core.somaxconn=4096
  ip netns exec "$C" sysctl -qw net.ipv4.ip_local_port_range="10000 65000"
}
