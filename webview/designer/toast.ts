/** A short message at the bottom of the page (an edit that was refused, a fix that no longer applies). */
import { h } from '../common/dom';

const TOAST_MS = 7000;

export class Toast {
  readonly element: HTMLElement = h('div', { class: 'toast', role: 'alert', hidden: true });
  private timer: ReturnType<typeof setTimeout> | undefined;

  show(message: string): void {
    this.element.textContent = message;
    this.element.hidden = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => (this.element.hidden = true), TOAST_MS);
  }
}
