/**
 * The part of jsfive (a pure-JavaScript HDF5 reader; the package ships no types) that the Keras file
 * readers use. Values are as jsfive returns them: attributes decode to strings, numbers or arrays of
 * them; datasets to flat arrays in row-major order.
 */
declare module 'jsfive' {
  export type Hdf5AttributeValue = string | number | bigint | (string | number | bigint)[];
  export class Group {
    readonly name: string;
    readonly keys: string[];
    readonly attrs: Record<string, Hdf5AttributeValue>;
    /** A group or dataset by relative path; throws (a string) when a part of the path is missing. */
    get(path: string): Group | Dataset | null;
  }
  export class Dataset {
    readonly name: string;
    readonly shape: number[];
    /** numpy-style type string, e.g. '<f4', '<f8', '>f4', '<i8'. */
    readonly dtype: string | object;
    readonly value: ArrayLike<number | bigint>;
    readonly attrs: Record<string, Hdf5AttributeValue>;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename: string);
  }
}
