#!/usr/bin/env bash
# The real-code corpora of the languages no compiler-grade oracle runs for
# here (docs/ACCURACY.md, "hand-checked fixtures"; docs/BENCHMARKS.md, the
# per-language throughput rows), fetched from the registries this machine
# reaches and unpacked under DIR (default ~/.cache/weft-bench/languages).
# Nothing is committed; run it again to refresh.
#
#   bash benches/language_corpora.sh [DIR]
#   python3 benches/resolution_shares.py DIR/rack .rb   # shares + a sample
set -euo pipefail
dir="${1:-$HOME/.cache/weft-bench/languages}"
mkdir -p "$dir/downloads"
cd "$dir/downloads"

step() { printf '== %s\n' "$*" >&2; }

# C#: pythonnet's runtime, from its PyPI source distribution
step "C#: pythonnet 3.0.5 (PyPI sdist)"
pip download -q --no-deps --no-binary :all: pythonnet==3.0.5 -d .
rm -rf "$dir/pythonnet" && mkdir -p "$dir/pythonnet"
tar xzf pythonnet-3.0.5.tar.gz -C "$dir/pythonnet" --strip-components=1

# Ruby and PHP: Debian's library packages ship their sources
debs=(ruby-rack ruby-thor ruby-activesupport php-symfony-console php-league-commonmark)
step "Ruby, PHP: ${debs[*]} (Debian)"
apt-get download -q "${debs[@]}" 2>/dev/null
for pkg in "${debs[@]}"; do
    rm -rf "$dir/$pkg" && mkdir -p "$dir/$pkg"
    dpkg-deb -x "$(ls "${pkg}"_*.deb | head -1)" "$dir/$pkg"
done

# Kotlin: kotlinx.coroutines' sources, from Debian's source package (the
# binary package ships jars only); needs deb-src, added for this download
step "Kotlin: kotlinx.coroutines 1.0.1 (Debian source package)"
src_list=/etc/apt/sources.list.d/weft-deb-src.sources
if ! ls kotlinx-coroutines_*.orig.tar.* >/dev/null 2>&1; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$src_list"
    apt-get update -qq
    apt-get source --download-only -q kotlinx-coroutines || true
    rm -f "$src_list"
    apt-get update -qq
fi
rm -rf "$dir/kotlinx-coroutines" && mkdir -p "$dir/kotlinx-coroutines"
tar xJf kotlinx-coroutines_*.orig.tar.xz -C "$dir/kotlinx-coroutines" --strip-components=1

# Swift: Capacitor's iOS runtime, from the npm registry
step "Swift: @capacitor/ios 8.6.0 (npm)"
npm pack -q @capacitor/ios@8.6.0 >/dev/null
rm -rf "$dir/capacitor-ios" && mkdir -p "$dir/capacitor-ios"
tar xzf capacitor-ios-8.6.0.tgz -C "$dir/capacitor-ios"

step "done: $dir"
