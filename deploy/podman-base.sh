#!/usr/bin/env bash
# Builds a runtime base image without pulling from any registry: a minimal Debian (debootstrap from Debian's
# mirror) with ICU and CA certificates, plus the ASP.NET Core runtime of the .NET SDK on this machine, and the
# non-root "app" user (UID 1654, as in Microsoft's images). It stands in for mcr.microsoft.com/dotnet/aspnet:
#   deploy/podman-base.sh localhost/mailingest-base:10.0
#   podman build -f deploy/Dockerfile --build-arg RUNTIME_IMAGE=localhost/mailingest-base:10.0 \
#     --build-arg APP_SOURCE=prebuilt <folder holding app/ = the publish output>
# Needs root (debootstrap), podman, and network access to deb.debian.org.
set -euo pipefail
tag="${1:?usage: podman-base.sh <image tag>}"
suite="${DEBIAN_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT

debootstrap --variant=minbase --include=ca-certificates,libicu72 "$suite" "$rootfs" "$mirror" >/dev/null

# The shared runtimes the host runs on (framework-dependent publish, as in the Dockerfile's build stage).
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime="$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" && $2 ~ /^10\./ { print $2 }' | sort -V | tail -1)"
core="$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" && $2 ~ /^10\./ { print $2 }' | sort -V | tail -1)"
mkdir -p "$rootfs/usr/share/dotnet/shared/Microsoft.NETCore.App" "$rootfs/usr/share/dotnet/shared/Microsoft.AspNetCore.App"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$rootfs/usr/share/dotnet/"
cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$core" "$rootfs/usr/share/dotnet/shared/Microsoft.NETCore.App/"
cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App/$runtime" "$rootfs/usr/share/dotnet/shared/Microsoft.AspNetCore.App/"
ln -s /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
chroot "$rootfs" useradd --uid 1654 --user-group --no-create-home --shell /usr/sbin/nologin app
rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"*

tar -C "$rootfs" -c . | podman import \
  --change "ENV APP_UID=1654" \
  --change "ENV DOTNET_RUNNING_IN_CONTAINER=true" \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  - "$tag" >/dev/null
echo "$tag: Debian $suite, ASP.NET Core $runtime"
