#!/usr/bin/env bash
# Renders the PNG sizes of the application icon from the hand-written SVG. The PNGs are
# committed, so building needs no SVG renderer; rerun this (needs librsvg2-bin) after
# editing the SVG.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
id=io.github.identitylab.IdentityLab
for size in 16 24 32 48 64 128 256; do
  mkdir -p "$here/${size}x${size}"
  rsvg-convert --width "$size" --height "$size" --output "$here/${size}x${size}/$id.png" "$here/$id.svg"
done
