import type { ModelShape, StructureShape } from './shape-types.js';

type Shapes = Readonly<Record<string, ModelShape>>;

/**
 * Server-side validation of an operation input against the service model (the AWS SDKs check
 * nothing). Produces Coral/Smithy-style constraint messages:
 *
 *   Value 'FOO' at 'keyAttributes.keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [...]
 *
 * Paths use lower-camel member names and `name.N.member` for list items (1-based), as AWS does.
 * Values of `sensitive` shapes are never echoed. Unknown members are ignored (AWS ignores them).
 * JSON `null` counts as "not set".
 */

const regexCache = new Map<string, RegExp>();
const MAX_ECHO = 256;
const MAX_ISSUES = 10;

function regexFor(source: string): RegExp {
  let re = regexCache.get(source);
  if (re === undefined) {
    re = new RegExp(source, 'u');
    regexCache.set(source, re);
  }
  return re;
}

function lowerCamel(name: string): string {
  return name.length === 0 ? name : name[0]!.toLowerCase() + name.slice(1);
}

function echo(value: unknown, sensitive: boolean): string {
  if (sensitive) return 'Value';
  if (value === null || value === undefined) return 'Value null';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'object') text = Array.isArray(value) ? '[...]' : '{...}';
  else text = String(value);
  if (text.length > MAX_ECHO) text = `${text.slice(0, MAX_ECHO)}...`;
  return `Value '${text}'`;
}

function pathText(path: string): string {
  return path === '' ? 'input' : path;
}

/** One constraint violation: the member path and the whole AWS-style message. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

class Collector {
  readonly issues: ValidationIssue[] = [];
  constructor(readonly shapes: Shapes) {}
  add(value: unknown, sensitive: boolean, path: string, constraint: string): void {
    if (this.issues.length < MAX_ISSUES) {
      const at = pathText(path);
      this.issues.push({ path: at, message: `${echo(value, sensitive)} at '${at}' failed to satisfy constraint: ${constraint}` });
    }
  }
}

function lengthChecks(c: Collector, shape: ModelShape, value: unknown, length: number, path: string, sensitive: boolean): void {
  if (shape.min !== undefined && length < shape.min) {
    c.add(value, sensitive, path, `Member must have length greater than or equal to ${shape.min}`);
  }
  if (shape.max !== undefined && length > shape.max) {
    c.add(value, sensitive, path, `Member must have length less than or equal to ${shape.max}`);
  }
}

function check(c: Collector, shapeName: string, value: unknown, path: string, inheritedSensitive: boolean): void {
  const shape = c.shapes[shapeName];
  if (shape === undefined) throw new Error(`model has no shape ${shapeName}`);
  const sensitive = inheritedSensitive || shape.s === true;
  switch (shape.t) {
    case 'structure':
      checkStructure(c, shape, value, path, sensitive);
      return;
    case 'string': {
      if (typeof value !== 'string') {
        c.add(value, sensitive, path, 'Member must be a string');
        return;
      }
      lengthChecks(c, shape, value, value.length, path, sensitive);
      if (shape.e !== undefined && !shape.e.includes(value)) {
        c.add(value, sensitive, path, `Member must satisfy enum value set: [${shape.e.join(', ')}]`);
      }
      if (shape.p !== undefined && !regexFor(shape.p).test(value)) {
        c.add(value, sensitive, path, `Member must satisfy regular expression pattern: ${shape.p}`);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        c.add(value, sensitive, path, 'Member must be a list');
        return;
      }
      lengthChecks(c, shape, value, value.length, path, sensitive);
      value.forEach((item, i) => {
        const itemPath = `${path}.${i + 1}.member`;
        if (item === null || item === undefined) c.add(item, sensitive, itemPath, 'Member must not be null');
        else check(c, shape.m, item, itemPath, sensitive);
      });
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        c.add(value, sensitive, path, 'Member must be a map');
        return;
      }
      const entries = Object.entries(value as Record<string, unknown>);
      lengthChecks(c, shape, value, entries.length, path, sensitive);
      for (const [k, v] of entries) {
        check(c, shape.k, k, `${path}.${k}.key`, sensitive);
        if (v === null || v === undefined) c.add(v, sensitive, `${path}.${k}.value`, 'Member must not be null');
        else check(c, shape.v, v, `${path}.${k}.value`, sensitive);
      }
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') c.add(value, sensitive, path, 'Member must be a boolean');
      return;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        c.add(value, sensitive, path, 'Member must be an integer');
        return;
      }
      if (shape.min !== undefined && value < shape.min) c.add(value, sensitive, path, `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) c.add(value, sensitive, path, `Member must have value less than or equal to ${shape.max}`);
      return;
    case 'double':
    case 'float':
      if (typeof value !== 'number') c.add(value, sensitive, path, 'Member must be a number');
      return;
    case 'timestamp':
      if (typeof value !== 'number') c.add(value, sensitive, path, 'Member must be a timestamp (epoch seconds)');
      return;
    case 'blob':
      if (typeof value !== 'string') c.add(value, sensitive, path, 'Member must be a base64 string');
      return;
  }
}

/** A structure's members as [name, shape, lower-camel path name], computed once per shape (hot path). */
const MEMBERS = new WeakMap<StructureShape, readonly (readonly [string, string, string])[]>();
function membersOf(shape: StructureShape): readonly (readonly [string, string, string])[] {
  let m = MEMBERS.get(shape);
  if (m === undefined) {
    m = Object.entries(shape.m).map(([member, memberShape]) => [member, memberShape, lowerCamel(member)] as const);
    MEMBERS.set(shape, m);
  }
  return m;
}

function checkStructure(c: Collector, shape: StructureShape, value: unknown, path: string, sensitive: boolean): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    c.add(value, sensitive, path, 'Member must be a structure');
    return;
  }
  const obj = value as Record<string, unknown>;
  const prefix = path === '' ? '' : `${path}.`;
  for (const req of shape.r ?? []) {
    if (obj[req] === undefined || obj[req] === null) c.add(null, false, prefix + lowerCamel(req), 'Member must not be null');
  }
  let set = 0;
  for (const [member, memberShape, camel] of membersOf(shape)) {
    const v = obj[member];
    if (v === undefined || v === null) continue;
    set++;
    check(c, memberShape, v, prefix + camel, sensitive);
  }
  if (shape.u === true && set !== 1) {
    c.add(value, true, path, `Member must have exactly one of [${Object.keys(shape.m).join(', ')}] set, found ${set}`);
  }
}

/**
 * Validate `value` against shape `shapeName` of a service's `shapes` table; returns the
 * constraint messages (empty = valid).
 */
export function validateShape(shapes: Shapes, shapeName: string, value: unknown): ValidationIssue[] {
  const c = new Collector(shapes);
  check(c, shapeName, value, '', false);
  return c.issues;
}

/** Aggregate message in the AWS style: "1 validation error detected: ..." */
export function validationMessage(issues: readonly ValidationIssue[]): string {
  const n = issues.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${issues.map((i) => i.message).join('; ')}`;
}
