'use strict'
// Lookups per second of the ipfirm Node binding next to the `maxmind` npm package, on the same
// MMDB data imported into ipfirm (importMmdb). Prints numbers and ratios; asserts nothing.
//
//   node bench.js                 # bundled MaxMind test MMDB + bench-data/*.mmdb when present
//   node bench.js FILE.mmdb ...   # these MMDB files
//   BENCH_SECONDS=2 node bench.js # time per measurement (default 1)
//
// Targets (issue 6): the typed-array batch ≥ 3 M lookups/s and ≥ 10× maxmind.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const maxmind = require('maxmind')

const ipfirm = require('.')

const REPO = path.resolve(__dirname, '..', '..')
const SECONDS = Number(process.env.BENCH_SECONDS || 1)
const N = 1 << 18 // addresses per measurement round

function defaultFiles() {
  const files = []
  const bundled = path.join(REPO, 'data-samples', 'sources', 'mmdb', 'GeoIP2-ISP-Test.mmdb')
  if (fs.existsSync(bundled)) files.push(bundled)
  const big = path.join(REPO, 'bench-data', 'geo-whois-asn-country-ipv4.mmdb')
  if (fs.existsSync(big)) files.push(big)
  else console.log(`(no ${path.relative(REPO, big)}: run benches/fetch-data.sh for the large data set)`)
  return files
}

/** Deterministic xorshift32 so every run looks up the same addresses. */
function rng(seed) {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x
  }
}

function intToV4(n) {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
}

function v4ToInt(ip) {
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0) >>> 0
}

/** Half the addresses inside the database's IPv4 ranges, half uniformly random. */
function addresses(db) {
  const spans = []
  for (const r of db.ranges()) {
    if (r.network.first.includes('.')) spans.push([v4ToInt(r.network.first), v4ToInt(r.network.last)])
  }
  const next = rng(0x1f2e3d4c)
  const ints = new Uint32Array(N)
  for (let i = 0; i < N; i++) {
    if (i % 2 === 0 && spans.length > 0) {
      const [a, b] = spans[next() % spans.length]
      ints[i] = a + (next() % (b - a + 1))
    } else {
      ints[i] = next()
    }
  }
  return { ints, strings: Array.from(ints, intToV4) }
}

/** Runs `round` (which does `perRound` lookups) for about SECONDS; lookups per second. */
function measure(perRound, round) {
  round() // warm up
  let n = 0
  const start = process.hrtime.bigint()
  let elapsed = 0
  while (elapsed < SECONDS) {
    round()
    n += perRound
    elapsed = Number(process.hrtime.bigint() - start) / 1e9
  }
  return n / elapsed
}

async function measureAsync(perRound, round) {
  await round()
  let n = 0
  const start = process.hrtime.bigint()
  let elapsed = 0
  while (elapsed < SECONDS) {
    await round()
    n += perRound
    elapsed = Number(process.hrtime.bigint() - start) / 1e9
  }
  return n / elapsed
}

function fmt(rate) {
  return rate >= 1e6 ? `${(rate / 1e6).toFixed(2)} M/s` : `${(rate / 1e3).toFixed(0)} k/s`
}

async function benchFile(mmdb, tmp) {
  const out = path.join(tmp, `${path.basename(mmdb)}.ipfirm`)
  const t0 = process.hrtime.bigint()
  const networks = ipfirm.importMmdb([mmdb], out)
  const importMs = Number(process.hrtime.bigint() - t0) / 1e6
  const db = new ipfirm.Database(out, { mmap: true })
  const reader = await maxmind.open(mmdb)
  const { ints, strings } = addresses(db)
  const hits = db.lookupV4(ints).classes.filter((c) => c !== ipfirm.NO_MATCH).length

  console.log(`\n${path.relative(REPO, mmdb)}: ${networks} networks → ${db.metadata.ipv4Ranges} IPv4 + ` +
    `${db.metadata.ipv6Ranges} IPv6 ranges (import ${importMs.toFixed(0)} ms); ` +
    `${N} addresses, ${((100 * hits) / N).toFixed(0)}% covered`)

  // Same answers first: a benchmark of wrong answers means nothing.
  for (let i = 0; i < 2000; i++) {
    const a = reader.get(strings[i])
    const b = db.lookup(strings[i])
    if ((a === null || a === undefined) !== (b === null)) throw new Error(`answers differ for address #${i}`)
  }

  const rows = []
  const mm = measure(N, () => {
    for (let i = 0; i < N; i++) reader.get(strings[i])
  })
  rows.push(['maxmind reader.get(ip)', mm])
  rows.push(['ipfirm db.lookup(ip)', measure(N, () => {
    for (let i = 0; i < N; i++) db.lookup(strings[i])
  })])
  rows.push(['ipfirm db.lookupMany(ips)', measure(N, () => db.lookupMany(strings))])
  rows.push(['ipfirm db.lookupManyAsync(ips)', await measureAsync(N, () => db.lookupManyAsync(strings))])
  rows.push(['ipfirm db.lookupV4(Uint32Array)', measure(N, () => db.lookupV4(ints))])
  rows.push(['ipfirm db.lookupV4Async(Uint32Array)', await measureAsync(N, () => db.lookupV4Async(ints))])
  // Four typed batches in flight at once: worker threads in parallel.
  const quarter = [0, 1, 2, 3].map((k) => ints.subarray((k * N) / 4, ((k + 1) * N) / 4))
  rows.push(['ipfirm 4× lookupV4Async in parallel', await measureAsync(N, () =>
    Promise.all(quarter.map((q) => db.lookupV4Async(q))))])

  for (const [name, rate] of rows) {
    console.log(`  ${name.padEnd(40)} ${fmt(rate).padStart(11)}   ${(rate / mm).toFixed(1).padStart(6)}× maxmind`)
  }
  const batch = rows.find((r) => r[0].startsWith('ipfirm db.lookupV4(Uint32Array)'))[1]
  console.log(`  target: batch ≥ 3 M/s (${batch >= 3e6 ? 'met' : 'NOT met'}), ≥ 10× maxmind ` +
    `(${batch >= 10 * mm ? 'met' : 'NOT met'})`)
  db.close()
}

async function main() {
  const files = process.argv.length > 2 ? process.argv.slice(2) : defaultFiles()
  if (files.length === 0) {
    console.log('SKIPPED: no MMDB file to benchmark')
    return
  }
  console.log(`node ${process.version}, ${os.cpus().length} CPUs, ${SECONDS} s per measurement; ` +
    'maxmind opened with maxmind.open(path) (its default LRU cache); ipfirm opened with mmap')
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ipfirm-bench-'))
  try {
    for (const f of files) await benchFile(f, tmp)
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
