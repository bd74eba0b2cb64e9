/**
 * What an import says about a file: its notes (each about one layer or the whole model) and the error
 * that stops an import whose layers CNN Studio cannot represent, listing them so the user (or an explicit
 * `--bridge`) can decide.
 */
import { UserFacingError } from '../userFacingError';

/** 'warning': something in the file is not kept as it was (a problem to review); 'info': a faithful change. */
export type ImportSeverity = 'info' | 'warning';

export interface ImportNote {
  severity: ImportSeverity;
  /** The Keras layer the note is about, when it is about one. */
  layer?: string;
  message: string;
  /**
   * Notes of one kind are counted together in the report. Without it the message is the kind (most
   * messages name the layer only in `layer`, so the same change on 50 layers is one line).
   */
  kind?: string;
}

/** A layer of the file that has no faithful CNN Studio equivalent. */
export interface UnsupportedLayer {
  name: string;
  className: string;
  /** 1-based, in the file's layer order (nested models counted in place). */
  position: number;
  /** Why it cannot be kept, when it is not simply an unknown class (a per-channel scale…). */
  reason?: string;
}

export function describeUnsupported(layer: UnsupportedLayer, total: number): string {
  return `'${layer.name}' (${layer.className}, layer ${layer.position} of ${total}${layer.reason ? `: ${layer.reason}` : ''})`;
}

/** What stopped the import and what to do, with `howToBridge` saying how this front end asks for pass-throughs. */
export function unsupportedLayersMessage(layers: readonly UnsupportedLayer[], totalLayers: number, howToBridge: string): string {
  const listed = layers.slice(0, 8).map((l) => describeUnsupported(l, totalLayers));
  const more = layers.length > 8 ? ` and ${layers.length - 8} more` : '';
  return (
    `The model has ${layers.length} layer${layers.length === 1 ? '' : 's'} CNN Studio cannot represent: ${listed.join(', ')}${more}. ` +
    `Nothing was written. Remove or replace them in Keras and export again, or ${howToBridge} to replace them by pass-throughs (each reads its input unchanged; shapes after them may change).`
  );
}

/** The import stopped: the file has layers CNN Studio cannot represent. */
export class UnsupportedLayersError extends UserFacingError {
  constructor(
    readonly layers: readonly UnsupportedLayer[],
    readonly totalLayers: number,
  ) {
    super(unsupportedLayersMessage(layers, totalLayers, 'import with --bridge'), 'UnsupportedLayersError');
  }
}
