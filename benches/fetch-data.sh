#!/usr/bin/env bash
# Fetches the real full-size MMDB the compare binary runs on, into bench-data/ (gitignored).
#
#   benches/fetch-data.sh            # from the repository root
#
# Source: npm package @ip-location-db/geo-whois-asn-country-mmdb (sapics/ip-location-db),
# licence CC0-1.0 with NRO data under CC BY 4.0 (see package/NRO_LICENSE after extraction).
# Records carry one field, `country_code`. Needs `npm` and network access to registry.npmjs.org.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench-data"
pkg="${IPFIRM_BENCH_NPM_PACKAGE:-@ip-location-db/geo-whois-asn-country-mmdb}"
mkdir -p "$out"

if [ -f "$out/geo-whois-asn-country.mmdb" ]; then
    echo "bench-data/geo-whois-asn-country.mmdb already present"
    exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "npm view: $(npm view "$pkg" name version --json | tr -d '\n ')"
(cd "$tmp" && npm pack "$pkg" --silent >/dev/null)
tar -xzf "$tmp"/*.tgz -C "$tmp"
for f in "$tmp"/package/*.mmdb "$tmp"/package/*LICENSE* "$tmp"/package/package.json; do
    [ -e "$f" ] && cp "$f" "$out/"
done
ls -la "$out"
