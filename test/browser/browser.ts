/** Headless Debian chromium driven by playwright-core (no browser download), or a reason to skip. */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM = process.env['HOTLINE_CHROMIUM'] ?? '/usr/bin/chromium'

/** Undefined when the browser can run; else why the browser tests skip. */
export function whyNoBrowser(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing: run scripts/install-browser.sh (browser tests skipped)`
}

export interface Browser {
  readonly context: BrowserContext
  /** Console errors, uncaught page errors and CSP violations seen on any page so far. */
  readonly problems: readonly string[]
  /** Closes the browser; throws (failing the test) when any page logged an error or broke its CSP. */
  close(): Promise<void>
}

/**
 * Chromium's own line for a request answered 4xx (a wrong password is a 401 the page shows): the
 * page's script handled it, so it is not a fault of the page. Everything else logged as an error is.
 */
const EXPECTED = /^Failed to load resource: the server responded with a status of 4\d\d/

/** The console is in Chinese: without a CJK font every label is a box, and a screenshot shows nothing. */
function cjkFont(): string {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim()
  } catch {
    return ''
  }
}

/** A fresh profile every run, so no state leaks between runs. */
export async function launch(): Promise<Browser> {
  if (!cjkFont()) throw new Error('no CJK font on this machine: the console\'s Chinese labels would render as boxes; run scripts/install-browser.sh')
  const profile = mkdtempSync(join(tmpdir(), 'hotline-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  const problems: string[] = []
  const watch = (page: import('playwright-core').Page): void => {
    page.on('console', (m) => {
      if (m.type() === 'error' && !EXPECTED.test(m.text())) problems.push(`${page.url()}: console error: ${m.text()}`)
    })
    page.on('pageerror', (e) => void problems.push(`${page.url()}: uncaught: ${e.message}`))
  }
  context.pages().forEach(watch)
  context.on('page', watch)
  return {
    context,
    problems,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
      if (problems.length) throw new Error(`the pages logged errors or broke their Content Security Policy:\n${problems.join('\n')}`)
    },
  }
}
