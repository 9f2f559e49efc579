// Type-checked with `tsc --noEmit --strict -p test/types` against the generated index.d.ts:
// the README's usage, every export, and mistakes that must not compile (@ts-expect-error).

import {
  Database,
  build,
  buildAsync,
  importMmdb,
  CLASS_NAMES,
  NO_COMPANY,
  NO_MATCH,
  type LookupResult,
  type Company,
  type Metadata,
  type CodeBatch,
  type RangeIterator,
  type ClassName,
} from '../../index'

const db = new Database('sample.ipfirm', { mmap: true })
const r: LookupResult | null = db.lookup('198.51.100.7')
if (r !== null && r.identified && r.company !== null) {
  const name: string = r.company.name
  const legal: string = r.company.legalName
  const scheme: string | undefined = r.company.registry?.scheme
  const cidr: string | undefined = r.network.cidrs[0]
  const kind: ClassName = r.class
  if (kind === 'sole_trader' || kind === 'opted_out') throw new Error('never identified')
  void [name, legal, scheme, cidr, r.confidence.toFixed(0), r.asn ?? 0, r.asnOrg ?? '']
}

const many: Array<LookupResult | null> = db.lookupMany(['192.0.2.1', '2001:db8::1'])
const later: Promise<Array<LookupResult | null>> = db.lookupManyAsync(['192.0.2.1'])
void later.then((rs) => rs.map((x) => x?.class ?? 'none'))

const batch: CodeBatch = db.lookupV4(new Uint32Array([0xc0000201]))
const code: number = batch.classes[0] ?? NO_MATCH
const className: string | undefined = code === NO_MATCH ? undefined : CLASS_NAMES[code]
const company: Company | null = batch.companies[0] === NO_COMPANY ? null : db.company(batch.companies[0] ?? 0)
void db.lookupV4Async(new Uint32Array(0)).then((b) => b.companies.length)

const meta: Metadata = db.metadata
const v4: number = meta.ipv4Ranges + meta.classes['business']!.ranges
const it: RangeIterator = db.ranges()
for (const range of db) void range.network.first
for (const range of it) void range.sources.map((s) => s.source + s.version + s.record)

const byId: LookupResult[] | null = db.rangesOf(0)
const byName: LookupResult[] | null = db.rangesOf('GB-CH:00000001')
const found: Company | null = db.findCompany('example.com')
db.verify()
const closed: boolean = db.closed
db.close()

const report: Record<string, unknown> = build('ipfirm.toml', 'out.ipfirm', { strict: true })
void buildAsync('ipfirm.toml', 'out.ipfirm').then((rep) => rep['ipv4_ranges'])
const imported: number = importMmdb(['GeoLite2-ASN.mmdb'], 'asn.ipfirm')

void [many, className, company, v4, byId, byName, found, closed, report, imported]

// @ts-expect-error lookup takes a string
db.lookup(3232235777)
// @ts-expect-error the typed form takes a Uint32Array
db.lookupV4([1, 2, 3])
// @ts-expect-error a company may be absent
const n: string = db.lookup('1.1.1.1')!.company.name
// @ts-expect-error unknown option
void new Database('x', { map: true })
void n
const names: ClassName[] = CLASS_NAMES
const biz: ClassName = 'business'
void biz
if (r !== null) {
  // @ts-expect-error not a class name
  void (r.class === 'busines')
}
void names
