import t, { type Test } from 'tap'
import express from 'express'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { metricsRoute } from './metrics.ts'
import type { Principal } from './route.ts'

const SCRAPE = 'scrape-token-0123456789abcdef'

async function serve(t: Test, metricsToken?: string): Promise<(token?: string) => Promise<{ status: number; body: string }>> {
  const people: Record<string, Principal> = { boss: { userId: 'u1', username: 'boss', role: 'supervisor' }, lin: { userId: 'u2', username: 'lin', role: 'agent', agentId: 'lin' } }
  const app = express()
  app.get('/metrics', metricsRoute({ metricsToken, tokens: { verify: (tok) => Promise.resolve(people[tok]) }, read: () => Promise.resolve({ contentType: 'text/plain; version=0.0.4', body: 'hotline_switch_up 1\n' }) }))
  const server = createServer(app)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.teardown(() => new Promise<void>((r) => server.close(() => r())))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`
  return async (token) => {
    const res = await fetch(url, { headers: { connection: 'close', ...(token ? { authorization: `Bearer ${token}` } : {}) } })
    return { status: res.status, body: await res.text() }
  }
}

t.test('a scraper reads /metrics with the site\'s metrics token; a wrong one is refused', async (t) => {
  const get = await serve(t, SCRAPE)
  t.match(await get(SCRAPE), { status: 200, body: 'hotline_switch_up 1\n' })
  t.match(await get(`${SCRAPE}x`), { status: 403 })
  t.match(await get(), { status: 401 })
  t.match(await get('boss'), { status: 200 }, 'a supervisor\'s session as well')
  t.match(await get('lin'), { status: 403 }, 'not an agent\'s')
})

t.test('with no metrics token configured only sessions work: an empty or made-up token is no key', async (t) => {
  const get = await serve(t)
  t.match(await get(SCRAPE), { status: 403 })
  t.match(await get('boss'), { status: 200 })
})
