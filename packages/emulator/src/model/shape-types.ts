/**
 * The compact shape notation written by scripts/gen-model.mjs into generated.ts.
 * One letter keys keep the generated table small; this file is the key to it.
 */
export interface StructureShape {
  t: 'structure';
  /** member name → shape name */
  m: Record<string, string>;
  /** required member names */
  r?: string[];
  /** a union: exactly one member must be set */
  u?: true;
  /** an error shape */
  x?: true;
  s?: true;
  min?: number;
  max?: number;
}

export interface StringShape {
  t: 'string';
  /** enum values */
  e?: string[];
  /** JavaScript pattern, already anchored */
  p?: string;
  min?: number;
  max?: number;
  /** sensitive: never echo the value in an error message */
  s?: true;
}

export interface ListShape {
  t: 'list';
  /** member shape name */
  m: string;
  min?: number;
  max?: number;
  s?: true;
}

export interface MapShape {
  t: 'map';
  k: string;
  v: string;
  min?: number;
  max?: number;
  s?: true;
}

export interface ScalarShape {
  t: 'integer' | 'long' | 'boolean' | 'timestamp' | 'blob' | 'double' | 'float';
  min?: number;
  max?: number;
  s?: true;
}

export type ModelShape = StructureShape | StringShape | ListShape | MapShape | ScalarShape;

export interface ModelOperation {
  input?: string;
  output?: string;
  errors: string[];
  idempotent?: true;
  /** in the SDK-3.882.0-era model (control plane: callable with the installed SDK) */
  inSdk: boolean;
  /** restJson1 services: the operation's route (`uri` with `{Label}` placeholders) */
  http?: ModelHttp;
}

export interface ModelHttp {
  method: string;
  uri: string;
  /** success status */
  code: number;
  /** input members bound to URI labels */
  labels: string[];
}

/** One service's generated model (model/*.generated.ts). */
export interface ServiceModel<Op extends string> {
  service: {
    apiVersion: string;
    protocol: string;
    signingName: string;
    endpointPrefix: string;
    targetPrefix?: string;
    jsonVersion?: string;
  };
  operations: Readonly<Record<Op, ModelOperation>>;
  /** HTTP status per modelled error */
  errorStatus: Readonly<Record<string, number>>;
  shapes: Readonly<Record<string, ModelShape>>;
}
