#!/usr/bin/env bash
# Try deploy/nginx.conf for real, on loopback only: two gunicorn instances on :8001 and :8002,
# nginx on :8080, then check caching, revalidation and fail-over. Needs Debian's nginx.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v nginx >/dev/null || { echo "needs nginx: apt-get install nginx"; exit 1; }
prefix=$(mktemp -d)
mkdir -p "$prefix/tmp" "$prefix/cache"
chmod 755 "$prefix"
# Started as root, nginx's workers run as www-data: they must be able to write the cache.
[ "$(id -u)" = 0 ] && chown -R www-data "$prefix/tmp" "$prefix/cache"
pids=()
cleanup() {
  nginx -p "$prefix" -c "$PWD/deploy/nginx.conf" -s stop 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$prefix"
}
trap cleanup EXIT
for port in 8001 8002; do
  .venv/bin/gunicorn --preload --workers 1 --bind 127.0.0.1:$port 'leaderboard:create_app()' \
    >"$prefix/gunicorn-$port.log" 2>&1 &
  pids+=($!)
done
for port in 8001 8002; do
  for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$port/api/grids" && break; sleep 0.2; done
done
nginx -p "$prefix" -c "$PWD/deploy/nginx.conf"
sleep 0.5

show() {  # status, cache status, ETag and language of one request through nginx
  curl -s -o /dev/null -D - "$@" | awk -v url="${@: -1}" '
    /^HTTP/ {s=$2} tolower($1)=="x-cache-status:" {c=$2} tolower($1)=="etag:" {e=$2}
    tolower($1)=="content-language:" {l=$2}
    END {gsub("\r","",c); gsub("\r","",e); gsub("\r","",l)
         printf "%-3s %-8s etag=%-16s %-5s %s\n", s, c, e, l, url}'
}
url=http://127.0.0.1:8080/grids/r1-vs-frontier?sort=aime-2024-pass1
echo "== caching: the first request goes to gunicorn, the repeat is served by nginx"
show "$url"
show "$url"
show http://127.0.0.1:8080/charts/r1-distilled/heatmap.png
show http://127.0.0.1:8080/charts/r1-distilled/heatmap.png
echo "== languages: each browser's language from the upstream once, then from nginx's cache"
page=http://127.0.0.1:8080/grids/r1-distilled
for language in zh-CN en-US zh-CN,zh\;q=0.9 en-US zh-CN; do
  show -H "Accept-Language: ${language//\\/}" "$page"
done
show "$page?lang=zh"
etag=$(curl -s -D - -o /dev/null "$url" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')
echo "== revalidation: If-None-Match with the data version"
show -H "If-None-Match: $etag" "$url"
echo "== compression of the 900 kB chart bundle"
curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w "vega.js: %{size_download} bytes over the wire\n" \
  http://127.0.0.1:8080/charts/assets/vega.js
echo "== fail-over: stop the instance on :8001, uncached requests still succeed"
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
ok=0; for i in $(seq 20); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:8080/api/compare?models=deepseek-r1,o1-mini&n=$i")
  [ "$code" = 200 ] && ok=$((ok+1))
done
echo "20 uncached requests with one instance down: $ok answered 200"
