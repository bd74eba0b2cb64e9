/** Reads VS Code's theme variables (set on <html> by the webview host) so every colour follows the theme. */
export function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export interface ChartColours {
  readonly foreground: string;
  readonly grid: string;
  readonly train: string;
  readonly trainFaint: string;
  readonly validation: string;
  readonly extra: string;
  /** One per compared run. */
  readonly palette: readonly string[];
}

let probe: CanvasRenderingContext2D | null = null;

/** The theme colour at `percent`% opacity, as rgba() (canvas normalises any CSS colour to #rrggbb for us). */
export function faded(colour: string, percent: number): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return colour;
  probe.fillStyle = '#000000';
  probe.fillStyle = colour;
  const hex = String(probe.fillStyle);
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return colour;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${percent / 100})`;
}

export function chartColours(): ChartColours {
  const blue = cssVar('--vscode-charts-blue', '#3794ff');
  const orange = cssVar('--vscode-charts-orange', '#d18616');
  const green = cssVar('--vscode-charts-green', '#89d185');
  const purple = cssVar('--vscode-charts-purple', '#b180d7');
  const red = cssVar('--vscode-charts-red', '#f14c4c');
  const yellow = cssVar('--vscode-charts-yellow', '#cca700');
  const fg = cssVar('--vscode-foreground', '#cccccc');
  return {
    foreground: fg,
    grid: faded(fg, 15),
    train: blue,
    trainFaint: faded(blue, 45),
    validation: orange,
    extra: green,
    palette: [blue, orange, green, purple, red, yellow],
  };
}

/** Calls `onChange` when VS Code switches theme (it swaps the body's `vscode-light`/`vscode-dark` class). */
export function onThemeChange(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
