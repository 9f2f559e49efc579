'use strict'
// The usage example at the top of README.md runs against the sample database.

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const vm = require('node:vm')

const { ipfirm, sampleDb } = require('./helpers')

test('README usage example runs', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
  const m = /```js\n([\s\S]*?)```/.exec(readme)
  assert.ok(m, 'README.md has a js example')
  const code = m[1].replace("'ipfirm.db'", JSON.stringify(sampleDb().path))
  const printed = []
  vm.runInNewContext(code, {
    require: (name) => (name === 'ipfirm' ? ipfirm : require(name)),
    console: { log: (...a) => printed.push(a) },
    Uint32Array,
  })
  // Five lines of usage, as the issue asks.
  assert.equal(m[1].trim().split('\n').length, 5)
})
