import type { TriggerReplay } from './result';

/**
 * Counts one trigger over samples in time order: samples where it holds, firings (the
 * condition turning true) and captures (a firing while no capture of this trigger runs).
 */
export class TriggerCounter {
  private samplesTrue = 0;
  private fired = 0;
  private captures = 0;
  private previous = false;
  private captureUntil = Number.NEGATIVE_INFINITY;

  constructor(
    readonly when: string,
    private readonly captureSeconds: number,
    private readonly maxPerDay: number,
  ) {}

  /** The condition's value on the sample at `time` seconds. */
  add(holds: boolean, time: number): void {
    if (holds) this.samplesTrue++;
    if (holds && !this.previous) {
      this.fired++;
      if (time >= this.captureUntil) {
        this.captures++;
        this.captureUntil = time + this.captureSeconds;
      }
    }
    this.previous = holds;
  }

  result(durationSeconds: number, hoursPerDay: number, bytesPerSecond: number): TriggerReplay {
    const hours = durationSeconds / 3600;
    const capturesPerDay = hours > 0 ? (this.captures / hours) * hoursPerDay : 0;
    return {
      when: this.when,
      capture: this.captureSeconds,
      maxPerDay: this.maxPerDay,
      samplesTrue: this.samplesTrue,
      fired: this.fired,
      perHour: hours > 0 ? this.fired / hours : 0,
      captures: this.captures,
      capturesPerDay,
      withinMaxPerDay: capturesPerDay <= this.maxPerDay,
      uplinkBytesPerDay: Math.min(capturesPerDay, this.maxPerDay) * this.captureSeconds * bytesPerSecond,
    };
  }
}
