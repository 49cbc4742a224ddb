#!/bin/sh
# OpenSnitch's daemon as the peer in bench/daemon (issue 5: "where the Debian opensnitch package installs, run its
# daemon in the same harness"). The package is never installed: installing it starts its service, which would put
# NFQUEUE rules into the host's own namespace. Its files are unpacked under /tmp and opensnitchd only ever runs inside
# one of our og-* network namespaces, in a private mount namespace where an overlay on /etc gives it its own
# /etc/opensnitchd (1.5.8 reads default-config.json and system-fw.json from there, with no option to move them).
#
#   opensnitch.sh fetch [DIR]          download and unpack into DIR (default /tmp/og-opensnitch); prints the binary
#   opensnitch.sh run NS WORKDIR BIN ARGS...
#                                      exec BIN in namespace NS with WORKDIR/etc-upper laid over /etc (the caller writes
#                                      WORKDIR/etc-upper/opensnitchd/*.json first); the PID stays BIN's (exec all the way)
#   opensnitch.sh snapshot NS FILE     iptables-save and ip6tables-save of NS into FILE.4 and FILE.6
#   opensnitch.sh clean NS FILE        delete from NS every iptables rule and chain not in the snapshot FILE
set -eu

ns_guard() {
  case "$1" in og-*) ;; *) echo "opensnitch.sh: namespace '$1' is not one of ours (og-*); refusing" >&2; exit 2 ;; esac
  ip netns list | grep -q "^$1\b" || { echo "opensnitch.sh: no network namespace '$1' (ip netns list)" >&2; exit 2; }
}

case "${1:-}" in
fetch)
  dir=${2:-/tmp/og-opensnitch}
  bin=$dir/root/usr/bin/opensnitchd
  # Its two libraries are plain libraries with no service: install them normally.
  for lib in libnetfilter-queue1 libnfnetlink0; do
    dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q "install ok installed" ||
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$lib" >&2
  done
  if [ ! -x "$bin" ]; then
    mkdir -p "$dir"
    # apt-get download only fetches the .deb (no maintainer scripts run); dpkg-deb -x only unpacks it.
    (cd "$dir" && apt-get download -q opensnitch) >&2
    deb=$(ls "$dir"/opensnitch_*.deb | head -n 1)
    mkdir -p "$dir/root"
    dpkg-deb -x "$deb" "$dir/root"
  fi
  "$bin" -version >/dev/null 2>&1 || { echo "opensnitch.sh: $bin does not run (missing libraries? ldd $bin)" >&2; exit 1; }
  echo "$bin"
  ;;
run)
  ns=$2 work=$3 bin=$4
  shift 4
  ns_guard "$ns"
  mkdir -p "$work/etc-upper/opensnitchd" "$work/etc-work"
  # ip netns exec already runs in a new mount namespace (slave to the host's); unshare makes ours private as well, so
  # the overlay is seen by opensnitchd alone. Each step execs the next: the PID the caller started is opensnitchd's.
  exec ip netns exec "$ns" unshare --mount --propagation private sh -c '
    mount -t overlay og-opensnitch-etc -o "lowerdir=/etc,upperdir=$1/etc-upper,workdir=$1/etc-work" /etc
    shift
    exec "$@"' sh "$work" "$bin" "$@"
  ;;
snapshot)
  ns_guard "$2"
  ip netns exec "$2" iptables-save >"$3.4"
  ip netns exec "$2" ip6tables-save >"$3.6"
  ;;
clean)
  ns=$2 snap=$3
  ns_guard "$ns"
  for v in 4 6; do
    if [ "$v" = 4 ]; then ipt=iptables; else ipt=ip6tables; fi
    ip netns exec "$ns" "$ipt-save" >"$snap.now$v"
    # Per table: the new rules (-A lines not in the snapshot, run as -D), then the new chains, flushed and then deleted
    # (iptables-save lists a table's chains before its rules, so they are held back until its COMMIT).
    awk -v before="$snap.$v" '
      BEGIN { while ((getline l < before) > 0) { if (l ~ /^\*/) t = substr(l, 2); else if (l ~ /^-A /) seen[t " " l] = 1; else if (l ~ /^:/) { split(l, f, " "); chain[t " " substr(f[1], 2)] = 1 } } }
      /^\*/ { t = substr($0, 2); n = 0; next }
      /^:/ { name = substr($1, 2); if (!((t " " name) in chain)) fresh[++n] = name; next }
      /^-A / && !((t " " $0) in seen) { sub(/^-A /, "-D "); print "R " t " " $0; next }
      /^COMMIT/ { for (i = 1; i <= n; i++) print "F " t " " fresh[i]; for (i = 1; i <= n; i++) print "X " t " " fresh[i] }
    ' "$snap.now$v" | while read -r kind table rest; do
      case "$kind" in
      R) eval "ip netns exec \"\$ns\" \$ipt -w -t \"\$table\" $rest" || echo "opensnitch.sh: could not delete ($ipt -t $table $rest) in $ns" >&2 ;;
      F) ip netns exec "$ns" "$ipt" -w -t "$table" -F "$rest" || true ;;
      X) ip netns exec "$ns" "$ipt" -w -t "$table" -X "$rest" || echo "opensnitch.sh: could not delete chain $table/$rest in $ns" >&2 ;;
      esac
    done
    rm -f "$snap.now$v"
  done
  ;;
*)
  echo "usage: opensnitch.sh fetch [DIR] | run NS WORKDIR BIN ARGS... | snapshot NS FILE | clean NS FILE" >&2
  exit 2
  ;;
esac
