/**
 * The one catalogue of errors the API can return. Each code is stable: clients
 * branch on it, so a code is never renamed or reused for another meaning.
 * Modules throw only `AppError`s made from these entries; `problem.ts` maps
 * them to RFC 9457 problem details in one place.
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The body is not valid JSON' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, title: 'An Idempotency-Key header is required' },
  UNAUTHENTICATED: { status: 401, title: 'A valid API key is required' },
  SIGN_IN_FAILED: { status: 401, title: 'Wrong username or password' },
  CSRF_FAILED: { status: 403, title: 'The request lacks this session’s CSRF token' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, title: 'Change the password the admin set before doing anything else' },
  FORBIDDEN: { status: 403, title: 'This API key may not do that' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such resource' },
  RECEIPT_NOT_FOUND: { status: 404, title: 'No such receipt' },
  DEPARTMENT_NOT_FOUND: { status: 404, title: 'No such department' },
  FEE_NOT_FOUND: { status: 404, title: 'No such fee' },
  SERIES_NOT_FOUND: { status: 404, title: 'No such series' },
  API_KEY_NOT_FOUND: { status: 404, title: 'No such API key' },
  REFUND_NOT_FOUND: { status: 404, title: 'No such refund' },
  ERROR_NOTICE_NOT_FOUND: { status: 404, title: 'No such error notice' },
  CORRECTION_NOT_FOUND: { status: 404, title: 'No such correction request' },
  STAFF_NOT_FOUND: { status: 404, title: 'No such staff member' },
  LOGIN_NOT_FOUND: { status: 404, title: 'No such login' },
  PAYER_ID_REQUIRED: { status: 403, title: 'The last four digits of the payer’s identity number are required' },
  PAYER_ID_MISMATCH: { status: 403, title: 'The digits do not match the payer’s identity number' },
  SEPARATION_OF_DUTIES: { status: 403, title: 'The person who requested a refund or correction cannot decide it' },
  OUTSIDE_COUNTER_SCOPE: { status: 403, title: 'This key may correct and refund only receipts of its own counter' },
  REFUND_NOT_PENDING: { status: 409, title: 'The refund has already been decided' },
  CORRECTION_NOT_PENDING: { status: 409, title: 'The correction request has already been decided' },
  CORRECTION_PENDING: { status: 409, title: 'The receipt has a correction request waiting for approval' },
  CORRECTION_OUTDATED: { status: 409, title: 'The fees changed since the replacement was requested' },
  REFUND_PENDING: { status: 409, title: 'The receipt has a pending refund' },
  RECEIPT_REFUNDED: { status: 409, title: 'The receipt has approved refunds' },
  RECEIPT_REPLACED: { status: 409, title: 'The receipt has been replaced' },
  REFUND_EXCEEDS_REMAINING: { status: 422, title: 'The refund is more than is left of the receipt' },
  NOTICE_FIELD_NOT_ALLOWED: { status: 422, title: 'An error notice cannot correct this field' },
  NOTICE_NO_CHANGE: { status: 422, title: 'The correct value is what the receipt already shows' },
  NOTICE_WORDS_MISMATCH: { status: 422, title: 'The amount in words does not read as the receipt’s total' },
  DEPARTMENT_EXISTS: { status: 409, title: 'A department with this code exists' },
  STAFF_NAME_SIMILAR: { status: 409, title: 'A staff member with a name that looks the same exists' },
  FEE_EXISTS: { status: 409, title: 'A fee with this code exists' },
  USERNAME_TAKEN: { status: 409, title: 'A login with this username exists' },
  SERIES_EXISTS: { status: 409, title: 'This series exists for this template' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  SERIES_EXHAUSTED: { status: 409, title: 'The series has used its whole delegated range' },
  BODY_TOO_LARGE: { status: 413, title: 'The body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The body must be JSON' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'This Idempotency-Key was used with a different request' },
  UNKNOWN_DEPARTMENT: { status: 422, title: 'The department named in the request does not exist' },
  STAFF_AMBIGUOUS: { status: 422, title: 'Several staff members have a name like this: give the staff member’s id' },
  STAFF_DISABLED: { status: 422, title: 'The staff member is disabled' },
  UNKNOWN_FEE: { status: 422, title: 'A fee named in the request does not exist for this department' },
  UNKNOWN_SERIES: { status: 422, title: 'The series named in the request does not exist' },
  SERIES_WRONG_DEPARTMENT: { status: 422, title: 'The series belongs to another department' },
  SERIES_WRONG_YEAR: { status: 422, title: 'The series is not for the year of issue' },
  NO_ACTIVE_SERIES: { status: 422, title: 'The department has no series for this year' },
  INVALID_RANGE: { status: 422, title: 'The delegated range is not valid' },
  RATE_IN_PAST: { status: 422, title: 'A share rate cannot start before today' },
  RATE_EXISTS: { status: 409, title: 'A share rate with this start date exists' },
  RATE_ALREADY_USED: { status: 409, title: 'Receipts already used the rate in force on that date' },
  SHARE_RATE_MISSING: { status: 409, title: 'No share rate is in force for this department and kind' },
  PERIOD_CLOSED: { status: 409, title: 'The accounting period is closed' },
  PERIOD_ALREADY_CLOSED: { status: 409, title: 'The accounting period is already closed' },
  PERIOD_NOT_ENDED: { status: 422, title: 'Only a month that has ended can be closed' },
  DAY_NOT_ENDED: { status: 422, title: 'The daily summary is made once the day has ended' },
  DELEGATION_NOT_YET: { status: 409, title: 'The delegation of the series may not be used yet (3 days after notification)' },
  DELEGATION_OUT_OF_TERM: { status: 409, title: 'The day is outside the term of the series’ delegation' },
  DELEGATION_TERMINATED: { status: 409, title: 'The delegation of the series has been terminated' },
  TAX_OFFICE_NOT_SET: { status: 409, title: 'The tax office managing the center is not set' },
  MESSAGE_TOO_LARGE: { status: 422, title: 'The document makes a message larger than the tax authority takes (2 MB)' },
  PERIOD_NOT_FOUND: { status: 404, title: 'The period is not closed' },
  DAILY_SUMMARY_NOT_FOUND: { status: 404, title: 'The daily summary has not been made' },
  REGISTRATION_NOT_FOUND: { status: 404, title: 'No such registration' },
  TRANSMISSION_NOT_FOUND: { status: 404, title: 'No such message to the tax authority' },
  TRANSMISSION_NOT_SENT: { status: 409, title: 'The message has not been delivered yet' },
  TRANSMISSION_SETTLED: { status: 409, title: 'The message already has the tax authority’s final answer' },
  REPLY_NOT_FOR_MESSAGE: { status: 422, title: 'The document is not a reply to this message' },
  SUMMARY_NOT_REJECTED: { status: 409, title: 'Only a summary the tax authority refused is sent again' },
  DAY_BEFORE_SERIES: { status: 422, title: 'No series covers that day' },
  TOTAL_TOO_LARGE: { status: 422, title: 'The total is larger than the service accepts' },
  CENTER_NOT_CONFIGURED: { status: 409, title: 'The center’s name, tax code and address are not set' },
  SERIES_HELD: { status: 409, title: 'The series waits for its next number to be confirmed after a restore' },
  CENTER_NOT_SIGNER: { status: 409, title: 'The signing certificate belongs to another tax code' },
  RATE_LIMITED: { status: 429, title: 'Too many requests; try again later' },
  SIGN_IN_THROTTLED: { status: 429, title: 'Too many wrong passwords for this username; wait before trying again' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
  SIGNER_UNAVAILABLE: { status: 503, title: 'The signing token cannot sign now' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'The database cannot be reached now; try again shortly' },
  STORAGE_UNAVAILABLE: { status: 503, title: 'The service cannot write now (disk full or read-only); try again when space returns' },
  SHUTTING_DOWN: { status: 503, title: 'The service is shutting down; try again shortly' },
  VERIFIER_BUSY: { status: 503, title: 'Too many documents are waiting to be verified' },
  NOT_READY: { status: 503, title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly errors?: FieldError[],
    options?: { cause?: unknown },
  ) {
    super(detail ?? errorCatalogue[code].title, options);
    this.status = errorCatalogue[code].status;
  }
}
