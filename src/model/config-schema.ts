import { z } from 'zod';
import { CONFIG_VERSION, OverrideFileSchema, TIER_OR_OFF_SCHEMA, TIER_SCHEMA } from './config.js';

/** Where the JSON Schema of the override file is committed (editors read it from there). */
export const OVERRIDE_SCHEMA_PATH = 'schema/mm2-monitoring.schema.json';

type JsonSchema = { [key: string]: unknown };

/**
 * An override file sets only what differs from the defaults: every key of every mapping is
 * optional. Lists replace the default list whole, so an item of a list (a flow, a worker) keeps
 * its required keys.
 */
function optionalKeys(schema: unknown, inList = false): unknown {
  if (Array.isArray(schema)) return schema.map((s) => optionalKeys(s, inList));
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(schema as JsonSchema)) {
    if (k === 'required' && !inList) continue;
    if (k === 'items' || k === 'prefixItems') out[k] = optionalKeys(v, true);
    else if (k === 'properties' || k === 'additionalProperties' || k === 'anyOf' || k === 'oneOf' || k === 'allOf') {
      // A mapping inside a list item is a full object too; its own sub-mappings merge the same way.
      out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as JsonSchema).map(([p, s]) => [p, optionalKeys(s, inList)])) : optionalKeys(v, inList);
    } else out[k] = v;
  }
  return out;
}

/**
 * The JSON Schema (draft 2020-12) of an override file, generated from the schema the loader
 * validates with (zod 4's toJSONSchema, input side: durations are strings, defaults optional).
 * The loader's cross-field checks (warning less severe than critical, durations Prometheus
 * accepts, duplicates) are not expressible here and stay the loader's.
 */
export function overrideJsonSchema(): JsonSchema {
  return {
    ...(optionalKeys(configJsonSchema()) as JsonSchema),
    title: 'mm2-monitoring override file',
    description: `Settings that differ from the defaults of mm2-monitoring (src/model/defaults.ts); mappings merge key by key, lists replace the default list. Format version ${CONFIG_VERSION}.`,
  };
}

/** The JSON Schema of a whole configuration (what the defaults merged with an override must be): required keys kept. */
export function configJsonSchema(): JsonSchema {
  const tier = z.toJSONSchema(TIER_SCHEMA, { io: 'input' }) as JsonSchema;
  delete tier.$schema;
  const generated = z.toJSONSchema(OverrideFileSchema, {
    io: 'input',
    unrepresentable: 'any',
    // The loader reads `false` as "tier off" before validating the tier; editors see both forms.
    override: (ctx) => {
      if (ctx.zodSchema !== TIER_OR_OFF_SCHEMA) return;
      for (const k of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[k];
      Object.assign(ctx.jsonSchema, {
        description: 'A tier: where it starts and how long it must hold; `false` switches this tier of the defaults off.',
        anyOf: [tier, { const: false, description: 'switch this tier of the defaults off' }],
      });
    },
  }) as JsonSchema;
  return generated;
}

/** The committed file's exact content. */
export function overrideJsonSchemaText(): string {
  return `${JSON.stringify(overrideJsonSchema(), null, 2)}\n`;
}
