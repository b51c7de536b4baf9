// Size limits both ends of the agent protocol enforce.

/**
 * The largest binary frame either side accepts (1 MiB). `ws` refuses a larger
 * one before decoding it and closes with CLOSE.tooBig (1009).
 */
export const MAX_FRAME_BYTES = 1 << 20;

/**
 * How many days before its (latest) enrolment a device's usage may be: an
 * agent that metered offline before it could enrol (no network, a wrong
 * token fixed later) sends those days when it connects; the outbox keeps a
 * month of them. The collector refuses older days with OUT_OF_RANGE.
 */
export const MAX_DAYS_BEFORE_ENROLMENT = 31;
