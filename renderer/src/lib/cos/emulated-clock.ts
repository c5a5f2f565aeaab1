/**
 * The server's clock as seen from the browser: anchored on a server `Date` header and run at
 * the emulator's speed, so signatures carry the emulated time (an emulator started with
 * `--clock-speed 60` is hours ahead of the browser within minutes) and the header can show it.
 */
export class EmulatedClock {
  #serverAnchor: number
  #localAnchor: number

  constructor(
    readonly speed = 1,
    serverNow = Date.now()
  ) {
    this.#serverAnchor = serverNow
    this.#localAnchor = Date.now()
  }

  /** The server's time now (ms). */
  now(): number {
    return this.#serverAnchor + (Date.now() - this.#localAnchor) * this.speed
  }

  /** Offset to add to the browser's clock (the SDK's `SystemClockOffset`). */
  offset(): number {
    return this.now() - Date.now()
  }

  /** Re-anchors on a server time (a `Date` header, or the SDK's skew correction). */
  anchor(serverNow: number): void {
    if (!Number.isFinite(serverNow)) return
    this.#serverAnchor = serverNow
    this.#localAnchor = Date.now()
  }
}
