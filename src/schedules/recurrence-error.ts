/** A rule or window a person must fix; the message says what to write instead. */
export class RecurrenceError extends Error {}
