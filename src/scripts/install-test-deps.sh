#!/bin/sh
# Installs what the interop tests run, only when it is missing (TESTBED.md): BIRD 2, GoBGP, FRR, etcd,
# iproute2, tshark and prometheus-bird-exporter (the old image's sidecar, run against our BIRD control
# sockets) from Debian, and BIRD 1.6 (the family Calico nodes run) unpacked into
# .testbed/bird1.6/ because its package conflicts with bird2. The packaging tests need
# systemd-analyze (package systemd) and, from npm into .testbed/node/, the Dockerfile linter
# dockerfilelint and the Kubernetes schema validators of kubernetes-models; the image test needs podman,
# runc and debootstrap (it builds its base images itself: src/scripts/image-bases.sh). Safe to run again and again.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
bird16_dir="$root/.testbed/bird1.6"
node_dir="$root/.testbed/node"
node_packages="dockerfilelint@1.8.0 kubernetes-models@4.5.1 yaml@2.9.1"
export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=sudo
else
    sudo_cmd=
fi

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

missing=
for pkg in bird2 gobgpd frr etcd-server etcd-client iproute2 tshark systemd prometheus-bird-exporter podman runc debootstrap; do
    installed "$pkg" || missing="$missing $pkg"
done
# The build itself: a fresh machine may lack the JDK or Maven.
command -v javac >/dev/null 2>&1 || missing="$missing openjdk-17-jdk-headless"
command -v mvn >/dev/null 2>&1 || missing="$missing maven"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

node_ok=yes
for dir in dockerfilelint kubernetes-models yaml; do
    [ -d "$node_dir/node_modules/$dir" ] || node_ok=no
done

bird16_ok=yes
for bin in bird bird6 birdc birdc6; do
    [ -x "$bird16_dir/usr/sbin/$bin" ] || bird16_ok=no
done

if [ -z "$missing" ] && [ "$bird16_ok" = yes ] && [ "$node_ok" = yes ]; then
    echo "install-test-deps: everything present"
    exit 0
fi

if [ -n "$missing" ] || [ "$bird16_ok" = no ]; then
    # Fresh machines start with empty or stale package lists: refresh them once.
    $sudo_cmd apt-get update -q
fi

if [ -n "$missing" ]; then
    echo "install-test-deps: installing$missing"
    # tshark asks whether non-root users may capture; answer no without a prompt.
    echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo_cmd debconf-set-selections
    # shellcheck disable=SC2086 # the list is meant to split into words
    $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

if [ "$bird16_ok" = no ]; then
    echo "install-test-deps: unpacking BIRD 1.6 into $bird16_dir"
    work=$(mktemp -d)
    chmod 755 "$work"   # apt fetches as the unprivileged _apt user
    trap 'rm -rf "$work"' EXIT
    # apt-get download writes into the current directory and needs no root.
    (cd "$work" && apt-get download -q bird)
    rm -rf "$bird16_dir"
    mkdir -p "$bird16_dir"
    dpkg -x "$work"/bird_*.deb "$bird16_dir"
    for bin in bird bird6 birdc birdc6; do
        if [ ! -x "$bird16_dir/usr/sbin/$bin" ]; then
            echo "install-test-deps: $bird16_dir/usr/sbin/$bin missing after unpacking" >&2
            exit 1
        fi
    done
fi
# FRR's package starts no daemon without systemd; the tests run zebra and bgpd themselves (FrrPeer).
for bin in /usr/lib/frr/zebra /usr/lib/frr/bgpd /usr/bin/vtysh; do
    if [ ! -x "$bin" ]; then
        echo "install-test-deps: $bin missing although package frr is installed" >&2
        exit 1
    fi
done
if [ "$node_ok" = no ]; then
    echo "install-test-deps: installing $node_packages into $node_dir"
    mkdir -p "$node_dir"
    # A package.json of its own keeps npm from walking up into the repository.
    [ -f "$node_dir/package.json" ] || echo '{"name":"routereflector-testbed-node","private":true}' > "$node_dir/package.json"
    # shellcheck disable=SC2086 # the list is meant to split into words
    (cd "$node_dir" && npm install --no-audit --no-fund --loglevel=error $node_packages)
fi
echo "install-test-deps: done"
