'use strict'
// Every Database method on the bundled sample database (data-samples/ipfirm.toml).

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')

const { ipfirm, sampleDb, v4ToInt, intToV4 } = require('./helpers')
const { Database, CLASS_NAMES, NO_MATCH, NO_COMPANY } = ipfirm

const sample = sampleDb()
const db = new Database(sample.path)
const all = [...db.ranges()]
const identified = all.filter((r) => r.company !== null)

/** A few addresses of every kind: each range's first and last address, and gaps. */
function probeAddresses() {
  const ips = []
  for (let i = 0; i < all.length; i += 7) {
    ips.push(all[i].network.first, all[i].network.last)
  }
  ips.push('0.0.0.1', '255.255.255.255', '::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')
  return ips
}

test('the sample database has ranges, companies and identified ranges', () => {
  assert.ok(all.length > 1000, `${all.length} ranges`)
  assert.ok(identified.length > 10, `${identified.length} identified ranges`)
  assert.ok(db.companyCount > 0)
})

test('lookup returns the plain-object shape, or null', () => {
  const r = identified[0]
  const got = db.lookup(r.network.first)
  assert.deepEqual(got, r)
  assert.deepEqual(Object.keys(got).sort(), [
    'asn', 'asnOrg', 'class', 'company', 'confidence', 'identified', 'network', 'reason', 'sources',
  ])
  assert.deepEqual(Object.keys(got.company).sort(), [
    'address', 'country', 'domain', 'id', 'industryCode', 'legalForm', 'legalName', 'name', 'registry',
  ])
  assert.ok(CLASS_NAMES.includes(got.class))
  assert.equal(got.identified, true)
  assert.ok(got.confidence >= 0 && got.confidence <= 100)
  assert.ok(Array.isArray(got.sources) && got.sources.length > 0)
  for (const s of got.sources) assert.deepEqual(Object.keys(s).sort(), ['record', 'source', 'version'])
  // A gap: the address before the first range that does not start at 0.0.0.0 is covered or not,
  // but an address no range covers answers null.
  const gapAfter = all.find((r, i) => i + 1 < all.length && r.network.last.includes('.') &&
    all[i + 1].network.first.includes('.') && v4ToInt(all[i + 1].network.first) > v4ToInt(r.network.last) + 1)
  assert.ok(gapAfter, 'the sample has an IPv4 gap')
  assert.equal(db.lookup(intToV4(v4ToInt(gapAfter.network.last) + 1)), null)
})

test('every range contains its own first and last address, and lookup agrees', () => {
  for (const r of all.slice(0, 3000)) {
    assert.deepEqual(db.lookup(r.network.first).network, r.network)
    assert.deepEqual(db.lookup(r.network.last).network, r.network)
  }
})

test('IPv4-mapped IPv6 addresses are looked up as IPv4', () => {
  const r = identified.find((x) => x.network.first.includes('.'))
  assert.deepEqual(db.lookup(`::ffff:${r.network.first}`), r)
})

test('filtered classes never carry a company; identified means shown class with company', () => {
  const shown = new Set(['business', 'education', 'government', 'nonprofit'])
  for (const r of all) {
    if (!shown.has(r.class)) assert.equal(r.company, null, r.class)
    assert.equal(r.identified, shown.has(r.class) && r.company !== null)
  }
})

test('lookupMany equals lookup element by element', () => {
  const ips = probeAddresses()
  const many = db.lookupMany(ips)
  assert.equal(many.length, ips.length)
  ips.forEach((ip, i) => assert.deepEqual(many[i], db.lookup(ip), ip))
  assert.deepEqual(db.lookupMany([]), [])
})

test('lookupManyAsync resolves to what lookupMany returns', async () => {
  const ips = probeAddresses()
  const p = db.lookupManyAsync(ips)
  assert.ok(p instanceof Promise)
  assert.deepEqual(await p, db.lookupMany(ips))
})

test('lookupV4 (typed arrays) agrees with lookup', async () => {
  const ints = []
  for (const r of all) {
    if (!r.network.first.includes('.')) continue
    ints.push(v4ToInt(r.network.first), v4ToInt(r.network.last))
  }
  ints.push(0, 1, 0xffffffff)
  const ips = Uint32Array.from(ints)
  const out = db.lookupV4(ips)
  assert.ok(out.classes instanceof Uint8Array)
  assert.ok(out.companies instanceof Uint32Array)
  assert.equal(out.classes.length, ips.length)
  assert.equal(out.companies.length, ips.length)
  for (let i = 0; i < ips.length; i++) {
    const r = db.lookup(intToV4(ips[i]))
    if (r === null) {
      assert.equal(out.classes[i], NO_MATCH)
      assert.equal(out.companies[i], NO_COMPANY)
    } else {
      assert.equal(CLASS_NAMES[out.classes[i]], r.class)
      assert.equal(out.companies[i], r.company === null ? NO_COMPANY : r.company.id)
    }
  }
  const later = await db.lookupV4Async(ips)
  assert.deepEqual(later.classes, out.classes)
  assert.deepEqual(later.companies, out.companies)
  assert.equal(db.lookupV4(new Uint32Array(0)).classes.length, 0)
})

test('CLASS_NAMES and the sentinels', () => {
  assert.equal(CLASS_NAMES[0], 'unknown')
  assert.equal(new Set(CLASS_NAMES).size, CLASS_NAMES.length)
  for (const c of ['business', 'education', 'government', 'nonprofit', 'isp', 'mobile', 'residential',
    'hosting', 'anonymizer', 'sole_trader', 'opted_out']) assert.ok(CLASS_NAMES.includes(c), c)
  assert.equal(NO_COMPANY, 0xffffffff)
  assert.ok(NO_MATCH >= CLASS_NAMES.length)
})

test('metadata agrees with the build report and the ranges', () => {
  const m = db.metadata
  assert.equal(m.formatVersion, db.formatVersion)
  assert.equal(m.ipv4Ranges, sample.report.ipv4_ranges)
  assert.equal(m.ipv6Ranges, sample.report.ipv6_ranges)
  assert.equal(m.companies, sample.report.companies)
  assert.equal(m.companies, db.companyCount)
  assert.equal(m.ipv4Ranges + m.ipv6Ranges, all.length)
  assert.ok(m.inputs.length > 10)
  const config = fs.readFileSync(require('./helpers').CONFIG, 'utf8')
  for (const input of m.inputs) assert.ok(config.includes(`"${input.name}"`) || input.kind === 'opt-out', input.name)
  for (const [name, count] of Object.entries(m.classes)) {
    assert.ok(CLASS_NAMES.includes(name), name)
    assert.equal(count.ranges, all.filter((r) => r.class === name).length, name)
  }
  assert.equal(typeof m.extra, 'object')
})

test('ranges() iterates in address order without overlap; the database is iterable', () => {
  const it = db.ranges()
  assert.equal(typeof it.next, 'function')
  const first = it.next()
  assert.equal(first.done, false)
  assert.deepEqual(first.value, all[0])
  let n = 0
  for (const r of db) {
    assert.deepEqual(r, all[n])
    n++
  }
  assert.equal(n, all.length)
  const v4 = all.filter((r) => r.network.first.includes('.'))
  for (let i = 1; i < v4.length; i++) {
    assert.ok(v4ToInt(v4[i].network.first) > v4ToInt(v4[i - 1].network.last), v4[i].network.first)
  }
  // IPv4 first, then IPv6.
  assert.ok(all.findIndex((r) => r.network.first.includes(':')) >= v4.length)
})

test('company(id) and findCompany', () => {
  const c = identified[0].company
  assert.deepEqual(db.company(c.id), c)
  assert.equal(db.company(db.companyCount), null)
  assert.deepEqual(db.findCompany(c.legalName), c)
  assert.deepEqual(db.findCompany(c.legalName.toLowerCase()), c)
  assert.equal(db.findCompany('no such company anywhere, surely'), null)
  for (let id = 0; id < db.companyCount; id++) assert.equal(db.company(id).id, id)
})

test('rangesOf by id, registry id, scheme:id, domain and name', () => {
  const withRegistry = identified.find((r) => r.company.registry !== null)
  assert.ok(withRegistry, 'a company with a registry id')
  const c = withRegistry.company
  const expected = all.filter((r) => r.company !== null && r.company.id === c.id)
  assert.ok(expected.length > 0)
  assert.deepEqual(db.rangesOf(c.id), expected)
  assert.deepEqual(db.rangesOf(`${c.registry.scheme}:${c.registry.id}`), expected)
  assert.deepEqual(db.rangesOf(c.registry.id), expected)
  assert.deepEqual(db.rangesOf(c.legalName), expected)
  const withDomain = identified.find((r) => r.company.domain)
  if (withDomain) {
    const d = withDomain.company
    assert.deepEqual(db.rangesOf(d.domain), all.filter((r) => r.company !== null && r.company.id === d.id))
  } else {
    process.stderr.write('\n*** SKIPPED: rangesOf(domain): no company in the sample has a domain ***\n')
  }
  assert.equal(db.rangesOf('no such company anywhere, surely'), null)
  assert.equal(db.rangesOf(db.companyCount), null)
})

test('mmap: same answers as reading the file, and verify() passes', () => {
  const mapped = new Database(sample.path, { mmap: true })
  mapped.verify()
  db.verify()
  const ips = probeAddresses()
  assert.deepEqual(mapped.lookupMany(ips), db.lookupMany(ips))
  assert.deepEqual(mapped.metadata, db.metadata)
  mapped.close()
  const plain = new Database(sample.path, { mmap: false })
  assert.deepEqual(plain.lookup(ips[0]), db.lookup(ips[0]))
  plain.close()
})

test('close(): later calls throw ERR_DATABASE_CLOSED; pending work and iterators finish', async () => {
  const d = new Database(sample.path, { mmap: true })
  const ips = probeAddresses()
  const pending = d.lookupManyAsync(ips)
  const it = d.ranges()
  assert.equal(d.closed, false)
  d.close()
  assert.equal(d.closed, true)
  d.close() // twice is fine
  for (const call of [
    () => d.lookup('1.1.1.1'),
    () => d.lookupMany(['1.1.1.1']),
    () => d.lookupManyAsync(['1.1.1.1']),
    () => d.lookupV4(new Uint32Array(1)),
    () => d.lookupV4Async(new Uint32Array(1)),
    () => d.metadata,
    () => d.formatVersion,
    () => d.companyCount,
    () => d.verify(),
    () => d.ranges(),
    () => [...d],
    () => d.company(0),
    () => d.findCompany('x'),
    () => d.rangesOf(0),
  ]) {
    assert.throws(call, (e) => e instanceof Error && e.code === 'ERR_DATABASE_CLOSED' && /closed/.test(e.message))
  }
  assert.deepEqual(await pending, db.lookupMany(ips))
  assert.equal([...it].length, all.length)
})

test('buildAsync builds the same database as build, off the main thread', async () => {
  const out = require('node:path').join(require('./helpers').tmpDir(), 'async.ipfirm')
  const pending = ipfirm.buildAsync(require('./helpers').CONFIG, out)
  assert.ok(pending instanceof Promise)
  const report = await pending
  assert.equal(report.ipv4_ranges, sample.report.ipv4_ranges)
  assert.equal(report.companies, sample.report.companies)
  const again = new Database(out)
  assert.deepEqual([...again], all)
  again.close()
})
