import t from 'tap'
import { planImport, yuanToFen } from './index.ts'

const header = 'account,name,phones,address,area,tier,services,balance,arrears,status'

t.test('yuan amounts become integer fen exactly, with no float rounding', (t) => {
  t.equal(yuanToFen('128.50'), 12850)
  t.equal(yuanToFen('0.1'), 10)
  t.equal(yuanToFen('19.99'), 1999)
  t.equal(yuanToFen('-3'), -300)
  t.equal(yuanToFen('¥5.05'), 505)
  for (const bad of ['1.234', 'abc', '1,000', '', '1e3']) t.equal(yuanToFen(bad), undefined, bad)
  t.end()
})

t.test('good rows become drafts with canonical phones and lists split on ; or /', (t) => {
  const r = planImport(`${header}\n1234567,Li Wei,+86 138-0000-0001;025-84001234,12 Zhongshan Rd,gulou,gold,tv-hd/broadband-100m,128.50,0,active\n`)
  if (!r.ok) return t.fail(r.error.message)
  t.same(r.value.rejected, [])
  t.same(r.value.rows, [{ line: 2, draft: {
    account: '1234567', name: 'Li Wei', phones: ['13800000001', '02584001234'], address: '12 Zhongshan Rd', area: 'gulou', tier: 'gold',
    services: ['tv-hd', 'broadband-100m'], balanceFen: 12850, arrearsFen: 0, status: 'active' } }])
  t.end()
})

t.test('Chinese headers and Chinese tier/status words are understood; unknown columns are listed, not fatal', (t) => {
  const r = planImport('\uFEFF账号,姓名,电话,地址,区域,等级,余额,欠费,状态,备注\r\n2345678,张敏,13800000003,胜太路3号,jiangning,普通,0,88.00,停机,无\r\n')
  if (!r.ok) return t.fail(r.error.message)
  t.match(r.value.rows[0]?.draft, { account: '2345678', name: '张敏', tier: 'standard', arrearsFen: 8800, status: 'suspended', phones: ['13800000003'] })
  t.same(r.value.ignoredColumns, ['备注'])
  t.end()
})

t.test('each bad row is rejected with its line and a stable code; the good rows still go through', (t) => {
  const rows = [
    '1234567,Good,13800000001,a,gulou,gold,,1.00,0,active', //               2 ok
    '12ab,Bad Account,13800000001,a,gulou,gold,,1.00,0,active', //           3
    '2000002,Bad Phone,13x,a,gulou,gold,,1.00,0,active', //                   4
    '2000003,Bad Balance,13800000001,a,gulou,gold,,lots,0,active', //         5
    '2000004,Bad Arrears,13800000001,a,gulou,gold,,1,-5,active', //          6
    '2000005,Bad Tier,13800000001,a,gulou,platinum,,1,0,active', //          7
    '2000006,Bad Status,13800000001,a,gulou,gold,,1,0,frozen', //            8
    '2000007,,13800000001,a,gulou,gold,,1,0,active', //                       9
    '2000008,Bad Area,13800000001,a,Gu Lou!,gold,,1,0,active', //            10
    '2000009,Short row', //                                                   11
    '1234567,Dup,13800000002,a,gulou,gold,,1,0,active', //                   12
    '2000010,"Bad "quote,1,a,gulou,gold,,1,0,active', //                       13
  ]
  const r = planImport([header, ...rows].join('\n'))
  if (!r.ok) return t.fail(r.error.message)
  t.same(r.value.rows.map((x) => x.line), [2])
  t.same(r.value.rejected.map((x) => [x.line, x.code]), [
    [3, 'bad-account'], [4, 'bad-phone'], [5, 'bad-balance'], [6, 'bad-arrears'], [7, 'bad-tier'], [8, 'bad-status'],
    [9, 'missing-name'], [10, 'bad-area'], [11, 'wrong-field-count'], [12, 'duplicate-account'], [13, 'malformed-csv'],
  ])
  for (const x of r.value.rejected) t.ok(x.reason.length > 5, `line ${x.line} says why`)
  t.end()
})

t.test('a file without the required columns, or an empty file, fails as a whole with a clear code', (t) => {
  const noArea = planImport('account,name\n1234567,x\n')
  t.match(noArea, { ok: false, error: { code: 'customer-import-bad-header', message: /lacks area/ } })
  t.match(planImport(''), { ok: false, error: { code: 'customer-import-empty' } })
  t.match(planImport('\uFEFF\r\n'), { ok: false, error: { code: 'customer-import-empty' } })
  t.end()
})
