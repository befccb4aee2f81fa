#!/bin/sh
# Builds the two local base images the image test passes to docker/Dockerfile, from Debian packages,
# because no image registry is reachable here (TESTBED.md "Containers"). Cached: the debootstrap
# root file system lives in .testbed/image/ and an image is only made when podman lacks it.
#   localhost/routereflector-build-base:bookworm    Debian minbase with OpenJDK 17 (jdeps, jlink),
#                                                    gcc and libcap2-bin: the Dockerfile's jre stage
#   localhost/routereflector-runtime-base:bookworm  what gcr.io/distroless/java-base-debian12:nonroot
#                                                    holds for a jlinked JRE: glibc, zlib, libgcc and
#                                                    libstdc++ (Debian's libjvm links it), the
#                                                    nonroot user (65532), /tmp; no shell, no package tools
# Usage: src/scripts/image-bases.sh   (as root; needs debootstrap and podman)
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$root/.testbed/image"
build_base=localhost/routereflector-build-base:bookworm
runtime_base=localhost/routereflector-runtime-base:bookworm
mkdir -p "$dir"
[ -f "$dir/containers.conf" ] || printf '[containers]\ndefault_ulimits = []\npids_limit = 0\n' > "$dir/containers.conf"
export CONTAINERS_CONF="$dir/containers.conf"

if podman image exists "$build_base" && podman image exists "$runtime_base"; then
    echo "image-bases: $build_base and $runtime_base present"
    exit 0
fi

if [ ! -f "$dir/rootfs-build/.complete" ]; then
    rm -rf "$dir/rootfs-build"
    echo "image-bases: debootstrap bookworm with OpenJDK 17 into $dir/rootfs-build"
    debootstrap --variant=minbase --include=openjdk-17-jdk-headless,gcc,libc6-dev,libcap2-bin \
        bookworm "$dir/rootfs-build" http://deb.debian.org/debian > "$dir/debootstrap.log" 2>&1 \
        || { tail -20 "$dir/debootstrap.log" >&2; exit 1; }
    touch "$dir/rootfs-build/.complete"
fi

if ! podman image exists "$build_base"; then
    echo "image-bases: importing $build_base"
    tar -C "$dir/rootfs-build" --exclude=./.complete -c . | podman import -q - "$build_base" >/dev/null
fi

if ! podman image exists "$runtime_base"; then
    echo "image-bases: assembling $runtime_base"
    rt="$dir/rootfs-runtime"
    rm -rf "$rt"
    mkdir -p "$rt/etc" "$rt/tmp" "$rt/home/nonroot"
    chmod 1777 "$rt/tmp"
    # The packages' own files, without documentation and without iconv's modules (Java has its own).
    chroot "$dir/rootfs-build" dpkg -L libc6 zlib1g libgcc-s1 libstdc++6 | grep -v -e '^/usr/share/' -e '/gconv' |
        while read -r f; do
            if [ -f "$dir/rootfs-build$f" ] || [ -L "$dir/rootfs-build$f" ]; then echo ".$f"; fi
        done > "$dir/runtime.files"
    # usrmerge: /lib and /lib64 are links into /usr in bookworm, and dpkg lists some files under them.
    mkdir -p "$rt/usr/lib" "$rt/usr/lib64"
    for link in lib lib64; do cp -a "$dir/rootfs-build/$link" "$rt/$link"; done
    (cd "$dir/rootfs-build" && tar -c -T "$dir/runtime.files") | tar -C "$rt" -x
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$rt/etc/passwd"
    printf 'root:x:0:\nnonroot:x:65532:\n' > "$rt/etc/group"
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$rt/etc/nsswitch.conf"
    chown 65532:65532 "$rt/home/nonroot"
    tar -C "$rt" -c . | podman import -q --change 'USER 65532' - "$runtime_base" >/dev/null
fi
echo "image-bases: $build_base and $runtime_base present"
