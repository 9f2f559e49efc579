'use strict'
// Every error path: files that are not databases, damaged databases, bad addresses, bad
// arguments and failing builds. Errors are `Error`s with a `code` per core error variant;
// malformed addresses are `TypeError`s whose message never repeats the text.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

const { ipfirm, sampleDb, tmpDir, BAD_DIR, CONFIG, loud } = require('./helpers')
const { Database, build, buildAsync, importMmdb } = ipfirm

const DB_CODES = ['ERR_IO', 'ERR_NOT_A_DATABASE', 'ERR_UNSUPPORTED_VERSION', 'ERR_CORRUPT']

function write(name, bytes) {
  const p = path.join(tmpDir(), name)
  fs.writeFileSync(p, bytes)
  return p
}

/** Opening `file` fails with `code` (read and mmap alike) and the message names the file. */
function rejectsOpen(file, code, mmapToo = true) {
  for (const mmap of mmapToo ? [false, true] : [false]) {
    assert.throws(
      () => new Database(file, { mmap }),
      (e) => {
        assert.ok(e instanceof Error, 'an Error')
        assert.ok(!(e instanceof TypeError), 'not a TypeError')
        assert.equal(e.code, code, `mmap=${mmap}: ${e.message}`)
        assert.ok(e.message.includes(file), `message names the file: ${e.message}`)
        return true
      },
    )
  }
}

const good = fs.readFileSync(sampleDb().path)

test('a missing file is ERR_IO', () => {
  rejectsOpen(path.join(tmpDir(), 'does-not-exist.ipfirm'), 'ERR_IO')
})

test('a directory is ERR_IO', () => {
  rejectsOpen(tmpDir(), 'ERR_IO')
})

test('an empty file and a file with the wrong magic are ERR_NOT_A_DATABASE', () => {
  rejectsOpen(write('empty.ipfirm', Buffer.alloc(0)), 'ERR_NOT_A_DATABASE', false)
  const wrong = Buffer.from(good)
  wrong.write('NOTIPFDB', 0, 'latin1')
  rejectsOpen(write('wrong-magic.ipfirm', wrong), 'ERR_NOT_A_DATABASE')
  rejectsOpen(write('text.ipfirm', 'hello, world\n'), 'ERR_NOT_A_DATABASE')
  // An MMDB is not an ipfirm database either.
  const mmdb = require('./helpers').mmdbFiles()[0]
  if (mmdb) rejectsOpen(mmdb, 'ERR_NOT_A_DATABASE')
})

test('a truncated file is ERR_CORRUPT', () => {
  for (const len of [20, 64, 100, Math.floor(good.length / 2), good.length - 1]) {
    rejectsOpen(write(`truncated-${len}.ipfirm`, good.subarray(0, len)), 'ERR_CORRUPT')
  }
})

test('another format version is ERR_UNSUPPORTED_VERSION', () => {
  const v = Buffer.from(good)
  v.writeUInt32LE(v.readUInt32LE(8) + 1, 8)
  rejectsOpen(write('version.ipfirm', v), 'ERR_UNSUPPORTED_VERSION')
  assert.throws(() => new Database(path.join(tmpDir(), 'version.ipfirm')), /version/)
})

test('a damaged body is ERR_CORRUPT when read, and found by verify() when mapped', () => {
  const d = Buffer.from(good)
  const at = 64 + Math.floor((d.length - 64) / 3)
  d[at] ^= 0xff
  const file = write('flipped.ipfirm', d)
  rejectsOpen(file, 'ERR_CORRUPT', false)
  // A memory map is only checked in constant time at open: either the structure check sees
  // the damage or verify() does.
  try {
    const mapped = new Database(file, { mmap: true })
    assert.throws(() => mapped.verify(), (e) => e.code === 'ERR_CORRUPT' && e.message.includes(file))
    mapped.close()
  } catch (e) {
    assert.equal(e.code, 'ERR_CORRUPT')
  }
})

/** The error each bad file must give, from the table in data-samples/bad/README.md. */
function expectedBadCodes() {
  const readme = path.join(BAD_DIR, 'README.md')
  const codes = new Map()
  if (!fs.existsSync(readme)) return codes
  for (const line of fs.readFileSync(readme, 'utf8').split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*`(\w+)`\s*\|/.exec(line)
    if (m) codes.set(m[1], `ERR_${m[2].replace(/([a-z])(?=[A-Z])/g, '$1_').replace(/([A-Z])(?=[A-Z][a-z])/g, '$1_').toUpperCase()}`)
  }
  return codes
}

test('every file in data-samples/bad/ is refused with its error code', (t) => {
  const files = fs.existsSync(BAD_DIR)
    ? fs.readdirSync(BAD_DIR).filter((f) => !/\.(md|txt)$/i.test(f) && fs.statSync(path.join(BAD_DIR, f)).isFile())
    : []
  if (files.length === 0) {
    loud('data-samples/bad/ has no bad database files yet')
    t.skip('no bad files')
    return
  }
  const expected = expectedBadCodes()
  for (const name of files) {
    const f = path.join(BAD_DIR, name)
    const want = expected.get(name)
    const ok = (e) => (want ? e.code === want : DB_CODES.includes(e.code)) && e.message.includes(f)
    assert.throws(() => new Database(f), (e) => {
      assert.ok(ok(e), `${name}: expected ${want ?? DB_CODES.join('|')}, got ${e.code}: ${e.message}`)
      return true
    })
    // A mapped open checks in constant time: it refuses the file, or verify() does.
    let mapped
    try {
      mapped = new Database(f, { mmap: true })
    } catch (e) {
      assert.ok(ok(e), `${name} (mmap): expected ${want}, got ${e.code}: ${e.message}`)
      continue
    }
    assert.throws(() => mapped.verify(), (e) => ok(e) || assert.fail(`${name} (mmap verify): ${e.code} ${e.message}`))
    mapped.close()
  }
  assert.ok(expected.size > 0, 'data-samples/bad/README.md names the expected errors')
})

test('a malformed address throws TypeError ERR_INVALID_IP_ADDRESS without repeating it', () => {
  const db = new Database(sampleDb().path)
  for (const bad of ['', '1.2.3', '256.1.1.1', '1.2.3.4/24', ' 1.2.3.4', 'example.com', '::g', '1:2:3:4:5:6:7:8:9']) {
    assert.throws(
      () => db.lookup(bad),
      (e) => e instanceof TypeError && e.code === 'ERR_INVALID_IP_ADDRESS' && (bad === '' || !e.message.includes(bad)),
      JSON.stringify(bad),
    )
  }
  assert.throws(
    () => db.lookupMany(['1.1.1.1', '2.2.2.2', '10.0.0.999']),
    (e) => e instanceof TypeError && e.code === 'ERR_INVALID_IP_ADDRESS' && /element 2\b/.test(e.message) &&
      !e.message.includes('10.0.0.999'),
  )
})

test('lookupManyAsync rejects with the TypeError', async () => {
  const db = new Database(sampleDb().path)
  await assert.rejects(
    db.lookupManyAsync(['1.1.1.1', 'nope']),
    (e) => e instanceof TypeError && e.code === 'ERR_INVALID_IP_ADDRESS' && /element 1\b/.test(e.message),
  )
})

test('arguments of the wrong type throw', () => {
  const db = new Database(sampleDb().path)
  assert.throws(() => db.lookup(42))
  assert.throws(() => db.lookup(null))
  assert.throws(() => db.lookupMany('1.1.1.1'))
  assert.throws(() => db.lookupV4([1, 2, 3]))
  assert.throws(() => db.rangesOf({}))
  assert.throws(() => new Database())
  assert.throws(() => new Database(sampleDb().path, { mmap: 'yes' }))
})

test('build: a missing config is ERR_IO, an invalid one ERR_CONFIG, naming the file', async () => {
  const out = path.join(tmpDir(), 'never-written.ipfirm')
  const missing = path.join(tmpDir(), 'missing.toml')
  assert.throws(() => build(missing, out), (e) => e.code === 'ERR_IO' && e.message.includes(missing))
  await assert.rejects(buildAsync(missing, out), (e) => e instanceof Error && e.code === 'ERR_IO')
  const invalid = write('invalid.toml', '[build\nthis is not toml\n')
  assert.throws(() => build(invalid, out), (e) => e.code === 'ERR_CONFIG' && e.message.includes(invalid))
  await assert.rejects(buildAsync(invalid, out), (e) => e.code === 'ERR_CONFIG')
  assert.equal(fs.existsSync(out), false, 'no output after a failed build')
})

test('build: a bad source row with strict is ERR_SOURCE naming file and line', () => {
  const dir = fs.mkdtempSync(path.join(tmpDir(), 'src-'))
  fs.writeFileSync(path.join(dir, 'list.txt'), '192.0.2.0/24\nthis is not a network\n')
  const cfg = path.join(dir, 'ipfirm.toml')
  fs.writeFileSync(cfg, [
    '[[source]]', 'name = "list"', 'kind = "cidr-list"', 'path = "list.txt"', 'format = "plain"',
    'class = "hosting"', '',
  ].join('\n'))
  const out = path.join(dir, 'out.ipfirm')
  assert.throws(
    () => build(cfg, out, { strict: true }),
    (e) => e.code === 'ERR_SOURCE' && e.message.includes('list.txt') && /:2\b/.test(e.message),
  )
  // Without strict the bad row is skipped and counted.
  const report = build(cfg, out, { strict: false })
  const db = new Database(out)
  assert.equal(db.lookup('192.0.2.1').class, 'hosting')
  assert.equal(report.sources[0].skipped, 1)
  db.close()
})

test('importMmdb: a file that is not an MMDB is ERR_MMDB, a missing one too', () => {
  const out = path.join(tmpDir(), 'import.ipfirm')
  assert.throws(() => importMmdb([CONFIG], out), (e) => e.code === 'ERR_MMDB' && e.message.includes(CONFIG))
  assert.throws(() => importMmdb([path.join(tmpDir(), 'nope.mmdb')], out), (e) => e.code === 'ERR_MMDB')
})
