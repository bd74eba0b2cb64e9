/**
 * Coalesces redraw requests: whatever arrives between two frames is drawn once, and no more often than
 * `minIntervalMs` (metric deltas can arrive many times a second; the charts need not). Hidden pages draw
 * nothing until they are visible again, so a dashboard in a background tab costs training nothing.
 */
export class RedrawScheduler {
  private pending = false;
  private lastDraw = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Total ms spent inside `draw`, for the overhead benchmark. */
  busyMs = 0;
  draws = 0;

  constructor(
    private readonly draw: () => void,
    private readonly minIntervalMs: number,
  ) {
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && this.pending) this.arm();
    });
  }

  /** A draw is requested and not done yet. */
  get isPending(): boolean {
    return this.pending;
  }

  request(): void {
    if (this.pending) return;
    this.pending = true;
    if (!document.hidden) this.arm();
  }

  /** Draws now (e.g. after a full hydrate, where waiting would only show a blank page). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
    this.run();
  }

  private arm(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastDraw + this.minIntervalMs - performance.now());
    this.timer = setTimeout(() => {
      requestAnimationFrame(() => {
        this.timer = undefined;
        if (!this.pending) return;
        if (document.hidden) return;
        this.pending = false;
        this.run();
      });
    }, wait);
  }

  private run(): void {
    const t0 = performance.now();
    this.lastDraw = t0;
    this.draw();
    this.busyMs += performance.now() - t0;
    this.draws++;
  }
}
