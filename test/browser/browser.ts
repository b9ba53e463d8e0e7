/** Headless Debian chromium driven by playwright-core (no browser download), or a reason to skip. */
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
  close(): Promise<void>
}

/** A fresh profile every run, so no state leaks between runs. */
export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'hotline-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
