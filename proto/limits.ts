// Size limits both ends of the agent protocol enforce.

/**
 * The largest binary frame either side accepts (1 MiB). `ws` refuses a larger
 * one before decoding it and closes with CLOSE.tooBig (1009).
 */
export const MAX_FRAME_BYTES = 1 << 20;
