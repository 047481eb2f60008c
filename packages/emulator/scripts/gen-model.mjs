#!/usr/bin/env node
// Development-time generator: reads the official AWS Payment Cryptography models of both planes
// in /work/shared/aws-models (or $PAYCRYPT_AWS_MODELS) and writes, per service,
//
//   src/model/control-plane.generated.ts        MODEL (service, operations, error status, shapes)
//   src/model/control-plane.types.generated.ts  TS types of the operations the installed SDK lacks
//   src/model/data-plane.generated.ts           MODEL, with each operation's http method, URI and labels
//   src/model/data-plane.types.generated.ts     TS types of every data-plane operation (no data-plane SDK exists here)
//
// which are committed. The build and the tests never read the models themselves.
//
//   node packages/emulator/scripts/gen-model.mjs
//
// What is carried over: operation names, input/output shape names, idempotency, declared errors,
// http traits, and every shape's type, members, required list, min/max, pattern (re-anchored) and
// enum values. Documentation text is NOT copied. Error HTTP status codes come from the Smithy
// file's `smithy.api#httpError` traits, then botocore's `error.httpStatusCode`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const modelsDir = process.env.PAYCRYPT_AWS_MODELS ?? '/work/shared/aws-models';
const modelDir = join(here, '..', 'src', 'model');
const read = (name) => JSON.parse(readFileSync(join(modelsDir, name), 'utf8'));

/**
 * botocore strips the outer ^ and $ of Smithy patterns; re-anchor as a whole.
 * Two model patterns use the Java possessive quantifier `{2}+`, which JavaScript rejects
 * ("Nothing to repeat"); `X{2}+` matches exactly what `X{2}` matches, so drop the `+`.
 */
function jsPattern(p) {
  const fixed = p.replace(/\{(\d+)\}\+/g, '{$1}');
  const anchored = `^(?:${fixed})$`;
  new RegExp(anchored, 'u'); // throws if the result is still not a JS regex
  return anchored;
}

function compactShape(name, s) {
  const out = { t: s.type };
  switch (s.type) {
    case 'structure':
      out.m = Object.fromEntries(Object.entries(s.members ?? {}).map(([k, v]) => [k, v.shape]));
      if (s.required?.length) out.r = s.required;
      if (s.union) out.u = true;
      if (s.exception) out.x = true;
      break;
    case 'string':
      if (s.enum) out.e = s.enum;
      if (s.pattern !== undefined) out.p = jsPattern(s.pattern);
      break;
    case 'list':
      out.m = s.member.shape;
      break;
    case 'map':
      out.k = s.key.shape;
      out.v = s.value.shape;
      break;
    case 'integer':
    case 'long':
    case 'boolean':
    case 'timestamp':
    case 'blob':
    case 'double':
    case 'float':
      break;
    default:
      throw new Error(`shape ${name}: unsupported type ${s.type}`);
  }
  if (s.min !== undefined) out.min = s.min;
  if (s.max !== undefined) out.max = s.max;
  if (s.sensitive) out.s = true;
  return out;
}

function errorStatusOf(newest, smithy) {
  const status = {};
  for (const [id, s] of Object.entries(smithy.shapes)) {
    const t = s.traits ?? {};
    if (t['smithy.api#error']) status[id.split('#')[1]] = t['smithy.api#httpError'] ?? (t['smithy.api#error'] === 'server' ? 500 : 400);
  }
  for (const [name, s] of Object.entries(newest.shapes)) {
    // e.g. PublicPolicyException (not in the 2025-04 Smithy file)
    if (s.exception && status[name] === undefined) status[name] = s.error?.httpStatusCode ?? (s.fault ? 500 : 400);
  }
  return status;
}

function buildModel(newest, sdkEra, smithy, withHttp) {
  const operations = {};
  for (const [name, op] of Object.entries(newest.operations).sort(([a], [b]) => a.localeCompare(b))) {
    const o = {
      input: op.input?.shape,
      output: op.output?.shape,
      errors: (op.errors ?? []).map((e) => e.shape),
      ...(op.idempotent ? { idempotent: true } : {}),
      inSdk: sdkEra.operations[name] !== undefined,
    };
    if (withHttp) {
      const input = newest.shapes[op.input.shape];
      const labels = Object.entries(input.members ?? {})
        .filter(([, m]) => m.location !== undefined)
        .map(([k, m]) => {
          if (m.location !== 'uri') throw new Error(`${name}.${k}: location ${m.location} not supported`);
          return k;
        });
      o.http = { method: op.http.method, uri: op.http.requestUri, code: op.http.responseCode ?? 200, labels };
    }
    operations[name] = o;
  }
  const shapes = {};
  for (const name of Object.keys(newest.shapes).sort()) shapes[name] = compactShape(name, newest.shapes[name]);
  const m = newest.metadata;
  const service = {
    apiVersion: m.apiVersion,
    protocol: m.protocol,
    signingName: m.signingName,
    endpointPrefix: m.endpointPrefix,
    ...(m.targetPrefix ? { targetPrefix: m.targetPrefix } : {}),
    ...(m.jsonVersion ? { jsonVersion: m.jsonVersion } : {}),
  };
  return { service, operations, errorStatus: errorStatusOf(newest, smithy), shapes };
}

function writeModel(file, model, sources) {
  const names = Object.keys(model.operations);
  const lines = [
    '// GENERATED by packages/emulator/scripts/gen-model.mjs — do not edit by hand.',
    ...sources.map((s) => `// ${s}`),
    '// Patterns are re-anchored; the Java possessive `{2}+` is rewritten as `{2}`. No documentation text is copied.',
    '/* eslint-disable */',
    '',
    "import type { ServiceModel } from './shape-types.js';",
    '',
    `export const OPERATION_NAMES = ${JSON.stringify(names)} as const;`,
    'export type OperationName = (typeof OPERATION_NAMES)[number];',
    '',
    'export const MODEL: ServiceModel<OperationName> = {',
    `  service: ${JSON.stringify(model.service)},`,
    '  operations: {',
    ...Object.entries(model.operations).map(([n, o]) => `    ${n}: ${JSON.stringify(o)},`),
    '  },',
    '  /** HTTP status per error (Smithy httpError, then botocore error.httpStatusCode). */',
    `  errorStatus: ${JSON.stringify(model.errorStatus)},`,
    '  shapes: {',
    ...Object.entries(model.shapes).map(([n, s]) => `    ${n}: ${JSON.stringify(s)},`),
    '  },',
    '};',
    '',
  ];
  writeFileSync(join(modelDir, file), lines.join('\n'));
  console.log(`wrote ${file}: ${names.length} operations, ${Object.keys(model.shapes).length} shapes`);
}

/**
 * TypeScript interfaces for the input/output shapes of `ops`. Structures the SDK-era model has
 * (when `sdkPackage` is given) are imported from that SDK package instead (same names).
 */
function writeTypes(file, newest, ops, header, sdkEra, sdkPackage) {
  const sdkShapeNames = new Set(sdkPackage ? Object.keys(sdkEra.shapes) : []);
  const emitted = new Set();
  const fromSdk = new Set();
  const body = [];
  function tsType(shapeName) {
    const s = newest.shapes[shapeName];
    if (sdkShapeNames.has(shapeName) && s.type === 'structure') {
      fromSdk.add(shapeName);
      return shapeName;
    }
    switch (s.type) {
      case 'string':
        return s.enum ? s.enum.map((v) => JSON.stringify(v)).join(' | ') : 'string';
      case 'integer':
      case 'long':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'timestamp':
        return 'Date';
      case 'list':
        return `Array<${tsType(s.member.shape)}>`;
      case 'map':
        return `Record<string, ${tsType(s.value.shape)}>`;
      case 'structure':
        emitStructure(shapeName);
        return shapeName;
      default:
        throw new Error(`no TS type for ${s.type}`);
    }
  }
  function emitStructure(name) {
    if (emitted.has(name)) return;
    emitted.add(name);
    const s = newest.shapes[name];
    const req = new Set(s.required ?? []);
    const members = Object.entries(s.members ?? {}).map(([k, v]) => (req.has(k) ? `  ${k}: ${tsType(v.shape)};` : `  ${k}?: ${tsType(v.shape)} | undefined;`));
    // a union is written as an interface with optional members; the validator enforces "exactly one"
    body.push(`export interface ${name} {`, ...members, '}', '');
  }
  for (const op of ops) {
    emitStructure(newest.operations[op].input.shape);
    emitStructure(newest.operations[op].output.shape);
  }
  const types = [
    '',
    '/** Input and output type of each operation above. */',
    'export interface GeneratedOperationTypes {',
    ...ops.map((op) => `  ${op}: { input: ${newest.operations[op].input.shape}; output: ${newest.operations[op].output.shape} };`),
    '}',
    '',
  ];
  const head = ['// GENERATED by packages/emulator/scripts/gen-model.mjs — do not edit by hand.', ...header.map((h) => `// ${h}`), ''];
  if (fromSdk.size) head.push(`import type { ${[...fromSdk].sort().join(', ')} } from '${sdkPackage}';`, '');
  writeFileSync(join(modelDir, file), [...head, ...body, ...types].join('\n'));
  console.log(`wrote ${file}: ${emitted.size} interfaces`);
}

// ---- control plane (awsJson1_0) --------------------------------------------------------------
{
  const newest = read('payment-cryptography.service-2.json');
  const sdkEra = read('payment-cryptography.service-2.sdk-3.882.0-era.2025-06-19.json');
  const smithy = read('payment-cryptography.smithy.api-models-aws-2025-04.json');
  const model = buildModel(newest, sdkEra, smithy, false);
  writeModel('control-plane.generated.ts', model, [
    `Source: botocore payment-cryptography ${newest.metadata.apiVersion} service-2.json (newest, ${Object.keys(newest.operations).length} operations),`,
    `the SDK-3.882.0-era model (${Object.keys(sdkEra.operations).length} operations) and the Smithy 2025-04 file (error status codes).`,
  ]);
  const newer = Object.keys(model.operations).filter((n) => !model.operations[n].inSdk);
  writeTypes(
    'control-plane.types.generated.ts',
    newest,
    newer,
    [`Input/output types of the ${newer.length} operations of the newest model that @aws-sdk/client-payment-cryptography@3.882.0 lacks.`],
    sdkEra,
    '@aws-sdk/client-payment-cryptography',
  );
}

// ---- data plane (restJson1) ------------------------------------------------------------------
{
  const newest = read('payment-cryptography-data.service-2.json');
  const sdkEra = read('payment-cryptography-data.service-2.sdk-3.882.0-era.2025-07-16.json');
  const smithy = read('payment-cryptography-data.smithy.api-models-aws-2025-04.json');
  const model = buildModel(newest, sdkEra, smithy, true);
  writeModel('data-plane.generated.ts', model, [
    `Source: botocore payment-cryptography-data ${newest.metadata.apiVersion} service-2.json (newest, ${Object.keys(newest.operations).length} operations),`,
    `the SDK-3.882.0-era model (${Object.keys(sdkEra.operations).length} operations; inSdk = in that era) and the Smithy 2025-04 file (error status codes).`,
  ]);
  writeTypes(
    'data-plane.types.generated.ts',
    newest,
    Object.keys(model.operations),
    [`Input/output types of all ${Object.keys(model.operations).length} data-plane operations (no data-plane SDK is installable here).`],
    sdkEra,
    undefined,
  );
}
