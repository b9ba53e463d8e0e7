#!/usr/bin/env bash
# Installs the Debian packages fax conversion needs (src/fax/fax-conversion.ts), only when missing:
#   ghostscript    gs: PDF -> fax TIFF (tiffg4 at 204x196 dpi, 1728 px wide), and test PDFs
#   libtiff-tools  tiff2pdf (received fax -> PDF for viewing), tiffinfo (page count), tiffcp
#   imagemagick    identify/convert: checks and manual conversions
# Packages are checked with dpkg, not `command -v`: a machine may carry a stand-in `convert`
# on its PATH that is not ImageMagick.
set -euo pipefail
need=()
for pkg in ghostscript libtiff-tools imagemagick; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "install-fax-tools: ghostscript, libtiff-tools and imagemagick are installed"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-fax-tools: please install (as root): apt-get install ${need[*]}" >&2
  exit 1
fi
echo "install-fax-tools: installing ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "install-fax-tools: done"
