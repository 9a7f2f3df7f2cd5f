// Time enters the server only through a Clock, so tests can move it by hand and every command
// reads one snapshot of it.

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to, for tests of expiry and idle times. */
export class FakeClock implements Clock {
  constructor(private ms = 1_700_000_000_000) {}

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  set(ms: number): void {
    this.ms = ms;
  }
}
