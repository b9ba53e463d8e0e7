export { normalisePhone, normalisePhones, type PhoneError } from './phone.ts'
export {
  validCustomer, ACCOUNT_PATTERN, AREA_PATTERN, TIERS, CUSTOMER_STATUSES, CONTACT_CHANNELS,
  type Customer, type CustomerDraft, type CustomerError, type CustomerStatus, type Tier,
  type ContactChannel, type ContactDirection, type ContactEntry, type ContactDraft,
} from './customer.ts'
export { parseCsv, type CsvRecord } from './csv.ts'
export { mapColumns, REQUIRED_COLUMNS, type ColumnMap, type CustomerColumn } from './boss-columns.ts'
export { rowToDraft, yuanToFen, type Rejected, type RowRejection } from './boss-row.ts'
export { planImport, type ImportPlan, type ImportError } from './boss-import.ts'
export { faultReported, outageWatchTick, emptyOutageWatch, type OutageWatchPolicy, type OutageWatchState, type OutageSuspected } from './outage-watch.ts'
export { activeAt, type Outage } from './outage.ts'
