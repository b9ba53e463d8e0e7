/** The fax settings the service needs (the composition root maps them from the site config). */
import { minutes, seconds } from '../shared/index.ts'
import { DEFAULT_FAX_POLICY, type FaxPolicy } from './core/index.ts'

export interface FaxConfig {
  /** Root of the fax files: `in/YYYY/MM/DD/<id>.tif|pdf` and `out/<job>/`. */
  readonly faxDir: string
  readonly policy: FaxPolicy
  /** DIDs answered as fax even when the channel carries no `hotline_fax=true`. */
  readonly faxDids: readonly string[]
  /** Fax DIDs whose trunk must not use T.38 (G.711 with ECM instead). */
  readonly noT38Dids: readonly string[]
  /** Offer T.38 on outbound faxes. */
  readonly t38Outbound: boolean
  /** Caller id and fax station id (TSI/CSI) we present. */
  readonly callerIdNumber?: string
  readonly stationId?: string
  /** Header line spandsp prints on each sent page. */
  readonly pageHeader?: string
  /** How long an outbound call rings before it counts as no answer. */
  readonly ringSeconds: number
  /** An answered outbound fax with no spandsp result after this long counts as failed. */
  readonly attemptTimeoutMs: number
  /** After rxfax completes, how long to wait for a late spandsp::rxfaxresult. */
  readonly resultGraceMs: number
}

export const defaultFaxConfig = (faxDir: string, over: Partial<FaxConfig> = {}): FaxConfig => ({
  faxDir,
  policy: DEFAULT_FAX_POLICY,
  faxDids: [],
  noT38Dids: [],
  t38Outbound: true,
  ringSeconds: 60,
  attemptTimeoutMs: minutes(20),
  resultGraceMs: seconds(5),
  ...over,
})
