import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { generateJsonSchema } from '../../../../lib/protocol/jsonSchema.js';

/** ../shared/protocol beside the repo, seen from dist/spec/lib/protocol/support/. */
export const SHARED_PROTOCOL = new URL('../../../../../../shared/protocol/', import.meta.url);

export const BUNDLE = 'codex_app_server_protocol.schemas.json';

export const readReference = (variant: 'stable' | 'experimental', file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`${variant}/${file}`, SHARED_PROTOCOL), 'utf8')) as Record<string, unknown>;

/** ajv over one schema bundle, looking definitions up in `v2` first, then at the top level. */
export class BundleValidator {
  private readonly ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false });
  private readonly compiled = new Map<string, ValidateFunction>();
  constructor(readonly bundle: Record<string, unknown>) {
    this.ajv.addSchema(bundle, 'bundle');
  }

  /** The JSON pointer of a definition in the bundle. */
  pointer(name: string): string {
    const defs = this.bundle.definitions as Record<string, Record<string, unknown>>;
    if (defs.v2?.[name] !== undefined) return `#/definitions/v2/${name}`;
    if (defs[name] !== undefined) return `#/definitions/${name}`;
    throw new Error(`no definition ${name}`);
  }

  validator(name: string): ValidateFunction {
    let v = this.compiled.get(name);
    if (v === undefined) {
      v = this.ajv.getSchema(`bundle${this.pointer(name)}`);
      if (v === undefined) throw new Error(`cannot compile ${name}`);
      this.compiled.set(name, v);
    }
    return v;
  }

  validate(name: string, value: unknown): boolean {
    return this.validator(name)(value);
  }
}

export const reference = new BundleValidator(readReference('experimental', BUNDLE));
export const exported = new BundleValidator(generateJsonSchema({ experimental: true }).get(BUNDLE) as Record<string, unknown>);
