'use strict'
// Shared fixtures for the tests: the bundled sample database built from data-samples/ipfirm.toml
// and a database imported from the bundled MaxMind test MMDBs, each built once per test file.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ipfirm = require('..')

const REPO = path.resolve(__dirname, '..', '..', '..')
const SAMPLES = path.join(REPO, 'data-samples')
const CONFIG = path.join(SAMPLES, 'ipfirm.toml')
const GOLDEN = path.join(SAMPLES, 'golden', 'lookups.jsonl')
const MMDB_DIR = path.join(SAMPLES, 'sources', 'mmdb')
const BAD_DIR = path.join(SAMPLES, 'bad')

function loud(msg) {
  process.stderr.write(`\n*** SKIPPED: ${msg} ***\n\n`)
}

let tmp
function tmpDir() {
  if (!tmp) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ipfirm-node-'))
    process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }))
  }
  return tmp
}

let sample
/** Path of the database built from data-samples/ipfirm.toml, and the build report. */
function sampleDb() {
  if (!sample) {
    const out = path.join(tmpDir(), 'sample.ipfirm')
    const report = ipfirm.build(CONFIG, out)
    sample = { path: out, report }
  }
  return sample
}

/** The bundled MaxMind test MMDB files. */
function mmdbFiles() {
  if (!fs.existsSync(MMDB_DIR)) return []
  return fs
    .readdirSync(MMDB_DIR)
    .filter((f) => f.endsWith('.mmdb'))
    .sort()
    .map((f) => path.join(MMDB_DIR, f))
}

const imported = new Map()
/** A database imported from one MMDB file. */
function importedDb(mmdb) {
  if (!imported.has(mmdb)) {
    const out = path.join(tmpDir(), `${path.basename(mmdb)}.ipfirm`)
    const networks = ipfirm.importMmdb([mmdb], out)
    imported.set(mmdb, { path: out, networks })
  }
  return imported.get(mmdb)
}

/** `a.b.c.d` as an unsigned 32-bit integer. */
function v4ToInt(ip) {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0) >>> 0
}

/** An unsigned 32-bit integer as `a.b.c.d`. */
function intToV4(n) {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

module.exports = {
  ipfirm,
  REPO,
  SAMPLES,
  CONFIG,
  GOLDEN,
  MMDB_DIR,
  BAD_DIR,
  loud,
  tmpDir,
  sampleDb,
  mmdbFiles,
  importedDb,
  v4ToInt,
  intToV4,
}
