// What both JSON readers yield, in a file of its own so that neither reader imports the other.

/** One record of a source, with the line it starts on, or the reason it could not be read. */
export type JsonRecord =
  | {
      readonly line: number;
      readonly value: Record<string, unknown>;
      readonly error?: undefined;
      readonly fatal?: undefined;
    }
  | {
      readonly line: number;
      readonly value?: undefined;
      readonly error: string;
      /**
       * The source cannot be read past this point, so none of it may be loaded: this is the last
       * record, and the source is refused as a whole rather than loaded in part.
       */
      readonly fatal?: boolean;
    };

/** Resolved limits (see JsonRecordOptions for their defaults). */
export interface JsonLimits {
  readonly maxRecordBytes: number;
  readonly maxDepth: number;
}
