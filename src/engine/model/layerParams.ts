/**
 * Typed reads of a node's resolved params (stored value or catalogue default), for the code that turns
 * a checked model into something runnable: the tfjs builder and the ONNX converter. The values have
 * already passed `checkParams`, so each accessor only narrows the type.
 */
import type { ParamValue } from '../../core/format';

export class LayerParams {
  constructor(private readonly values: ReadonlyMap<string, ParamValue>) {}
  num(name: string): number {
    return this.values.get(name) as number;
  }
  numOrNull(name: string): number | null {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : null;
  }
  str<T extends string>(name: string): T {
    return this.values.get(name) as T;
  }
  bool(name: string): boolean {
    return this.values.get(name) as boolean;
  }
  pair(name: string): [number, number] {
    const v = this.values.get(name) as readonly number[];
    return [v[0]!, v[1]!];
  }
  pairOrUndefined(name: string): [number, number] | undefined {
    return this.values.get(name) === null ? undefined : this.pair(name);
  }
  pair2(name: string): [[number, number], [number, number]] {
    const v = this.values.get(name) as readonly (readonly number[])[];
    return [
      [v[0]![0]!, v[0]![1]!],
      [v[1]![0]!, v[1]![1]!],
    ];
  }
  list(name: string): number[] {
    return [...(this.values.get(name) as readonly number[])];
  }
}
