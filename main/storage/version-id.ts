/**
 * Version ids shaped like COS's (`MTg0NDUxNTc1MzA5NzU4ODg1Mjg` = base64 of a 20-digit
 * decimal). Ours are the emulated time in microseconds plus a counter, so later versions
 * get larger numbers.
 */
export function createVersionIdSource(now: () => number): () => string {
  let lastMicros = 0n
  return () => {
    let micros = BigInt(Math.floor(now())) * 1000n
    if (micros <= lastMicros) micros = lastMicros + 1n
    lastMicros = micros
    const digits = micros.toString().padStart(20, '0').slice(-20)
    return Buffer.from(digits, 'ascii').toString('base64').replace(/=+$/, '')
  }
}
