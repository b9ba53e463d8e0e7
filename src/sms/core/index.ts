/** The pure part of SMS: which numbers and texts can be sent, and what follows an attempt. */
export { smsNumber, smsText, MAX_SMS_TEXT, type SmsNumberError, type SmsTextError } from './sms-number.ts'
export { settle, retryDelay, DEFAULT_SMS_RETRY, type SendOutcome, type SmsRetryPolicy, type Settlement } from './settle.ts'
