'use strict'
// The MMDB import checked against an independent reader: the `maxmind` npm package reading the
// same bundled MaxMind test files. For the first and last address of every imported range and
// the addresses around them, both must agree on whether the address is covered and on its AS.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const { Reader } = require('maxmind')

const { ipfirm, mmdbFiles, importedDb, v4ToInt, intToV4, loud } = require('./helpers')

const files = mmdbFiles()
if (files.length === 0) loud('no bundled MMDB files in data-samples/sources/mmdb/')

function neighbours(ip) {
  if (!ip.includes('.')) return [ip]
  const n = v4ToInt(ip)
  return [ip, ...(n > 0 ? [intToV4(n - 1)] : []), ...(n < 0xffffffff ? [intToV4(n + 1)] : [])]
}

/** The AS number of a MaxMind (`autonomous_system_number`) or IPinfo (`asn: "AS123"`) record. */
function asnOf(rec) {
  let n = rec.autonomous_system_number ?? rec.traits?.autonomous_system_number
  if (n === undefined && typeof rec.asn === 'string' && /^(AS)?\d+$/.test(rec.asn.trim())) {
    n = Number(rec.asn.trim().replace(/^AS/, ''))
  } else if (n === undefined && typeof rec.asn === 'number') {
    n = rec.asn
  }
  return n === undefined || n === 0 ? null : n
}

for (const file of files) {
  test(`importMmdb(${require('node:path').basename(file)}) agrees with the maxmind package`, () => {
    const reader = new Reader(fs.readFileSync(file))
    const { path: dbPath, networks } = importedDb(file)
    assert.ok(networks > 0)
    const db = new ipfirm.Database(dbPath)
    const ranges = [...db]
    assert.ok(ranges.length > 0)
    let compared = 0
    let covered = 0
    for (const r of ranges) {
      for (const ip of [...neighbours(r.network.first), ...neighbours(r.network.last)]) {
        const theirs = reader.get(ip)
        const ours = db.lookup(ip)
        compared++
        assert.equal(ours !== null, theirs !== null && theirs !== undefined, `${ip}: covered?`)
        if (ours === null) continue
        covered++
        assert.equal(ours.asn, asnOf(theirs), `${ip}: asn`)
        const asOrg = [theirs.autonomous_system_organization, theirs.as_name,
          theirs.traits?.autonomous_system_organization].find((s) => typeof s === 'string' && s.trim() !== '')
        if (asOrg) assert.equal(ours.asnOrg, asOrg.trim(), `${ip}: asnOrg`)
      }
    }
    assert.ok(covered > 0, 'some addresses are covered')
    assert.ok(compared > ranges.length)
    db.close()
  })
}
