import { readdirSync, readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { getVariableValues, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  createExplorerTabs,
  developmentHeaders,
  withoutPlaceholder,
} from '../src/explorer/createExplorerTabs.js';

const operationsDir = new URL('../../schema/operations/', import.meta.url);
const documents = readdirSync(operationsDir)
  .filter((file) => file.endsWith('.graphql'))
  .map((file) => readFileSync(new URL(file, operationsDir), 'utf8'));
const api = Supergraph.build(
  readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'),
)
  .apiSchema()
  .toGraphQLJSSchema();

let keys = 0;
const tabs = createExplorerTabs(documents, {
  now: new Date('2026-12-06T10:17:00+01:00'),
  slotIds: ['slot-a', 'slot-b'],
  newKey: () => `key-${++keys}`,
});
const operationOf = (query: string) =>
  parse(query).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;

describe('the explorer’s tabs', () => {
  it('start every mutation with a complete input the API accepts as it stands', () => {
    const mutations = tabs.filter((tab) => operationOf(tab.query).operation === 'mutation');
    expect(mutations.length).toBeGreaterThanOrEqual(12);
    for (const tab of mutations) {
      const operation = operationOf(tab.query);
      const coerced = getVariableValues(
        api,
        operation.variableDefinitions ?? [],
        JSON.parse(tab.variables!) as Record<string, unknown>,
      );
      expect(coerced.errors, operation.name?.value).toBeUndefined();
    }
  });

  it('books the slots found as the explorer opened, each with a key of its own', () => {
    const variablesOf = (name: string) =>
      JSON.parse(tabs.find((tab) => operationOf(tab.query).name?.value === name)!.variables!);
    expect(variablesOf('HoldSlot').input.slotId).toBe('slot-a');
    expect(variablesOf('ReserveSlot').input).toMatchObject({
      slotId: 'slot-a',
      patient: { personalIdentityNumber: '19121212-1212' },
    });
    expect(variablesOf('RescheduleReservation').input.newSlotId).toBe('slot-b');
    const usedKeys = tabs
      .map((tab) => JSON.parse(tab.variables!).input?.idempotencyKey)
      .filter(Boolean);
    expect(new Set(usedKeys).size).toBe(usedKeys.length);
  });

  it('say above each mutation which token it needs and how to get one', () => {
    const hold = tabs.find((tab) => operationOf(tab.query).name?.value === 'HoldSlot')!;
    expect(hold.query).toMatch(/^# Needs a token with reservations:write/);
    expect(hold.query).toContain('npm run token -- reservations:write');
    const webhook = tabs.find(
      (tab) => operationOf(tab.query).name?.value === 'CreateWebhookEndpoint',
    )!;
    expect(webhook.query).toContain('webhooks:manage');
  });

  it('show where the token goes, and send none while the placeholder is left', () => {
    expect(JSON.parse(developmentHeaders)).toEqual({ authorization: 'Bearer <token>' });
    expect(withoutPlaceholder({ authorization: 'Bearer <token>', 'x-custom': '1' })).toEqual({
      'x-custom': '1',
    });
    expect(withoutPlaceholder({ Authorization: 'Bearer eyJ' })).toEqual({
      Authorization: 'Bearer eyJ',
    });
  });
});
