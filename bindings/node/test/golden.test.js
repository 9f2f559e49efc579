'use strict'
// The golden lookups (data-samples/golden/lookups.jsonl, shared with the CLI's tests) against
// the database built from data-samples/ipfirm.toml. Each line holds `ip` and the expected
// `class`, `company` ({name, registry} or null) and `asn`; `class: null` means no range covers
// the address. Only the keys a line has are compared.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')

const { ipfirm, sampleDb, GOLDEN, CONFIG, loud } = require('./helpers')

const present = fs.existsSync(GOLDEN) && fs.existsSync(CONFIG)
if (!present) loud(`golden lookups: ${GOLDEN} or ${CONFIG} is missing`)

/** The fields the golden file pins down, from a lookup answer. */
function goldenView(r) {
  if (r === null) return { class: null, company: null, asn: null }
  const company = r.company === null ? null : { name: r.company.name, registry: r.company.registry }
  return { class: r.class, company, asn: r.asn }
}

test('golden lookups', { skip: !present && 'golden file missing (SKIPPED loudly above)' }, async () => {
  const lines = fs.readFileSync(GOLDEN, 'utf8').split('\n').filter((l) => l.trim() !== '')
  const expected = lines.map((l, i) => {
    try {
      return JSON.parse(l)
    } catch (e) {
      throw new Error(`${GOLDEN}:${i + 1}: ${e.message}`)
    }
  })
  assert.ok(expected.length > 0)
  const db = new ipfirm.Database(sampleDb().path)
  const ips = expected.map((e) => e.ip)
  const answers = [db.lookupMany(ips), await db.lookupManyAsync(ips), ips.map((ip) => db.lookup(ip))]
  const mapped = new ipfirm.Database(sampleDb().path, { mmap: true })
  answers.push(mapped.lookupMany(ips))
  const bad = []
  let compared = 0
  for (const got of answers) {
    got.forEach((r, i) => {
      const want = expected[i]
      const view = goldenView(r)
      for (const key of ['class', 'company', 'asn']) {
        if (!(key in want)) continue
        compared++
        try {
          assert.deepEqual(view[key], want[key])
        } catch {
          bad.push(`${GOLDEN}:${i + 1} ${want.ip} ${key}: expected ${JSON.stringify(want[key])}, got ${JSON.stringify(view[key])}`)
        }
      }
    })
  }
  assert.ok(compared > 0, 'the golden file pins nothing down')
  assert.deepEqual(bad, [], `${bad.length} golden mismatches:\n${bad.join('\n')}`)
})
