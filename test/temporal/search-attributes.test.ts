import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '@temporalio/client';
import protoModule from '@temporalio/proto';
import { msToTs } from '@temporalio/common/lib/time.js';
import { devServerSearchAttributeArgs, ensureSearchAttributes } from '../../temporal/ensure-search-attributes.js';
import { allSearchAttributeKeys } from '../../temporal/search-attributes.js';
import { testSettings } from '../support/settings.js';

const { IndexedValueType } = protoModule.temporal.api.enums.v1;
const settings = testSettings();
let connection: Connection;
beforeAll(async () => {
  connection = await Connection.connect({ address: settings.temporal.address });
});
afterAll(() => connection?.close());

describe('custom search attributes', () => {
  it('are passed to the dev server as Keyword attributes', () => {
    expect(devServerSearchAttributeArgs()).toEqual(allSearchAttributeKeys.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]));
  });

  it('are registered on the server as keywords', async () => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: settings.temporal.namespace });
    for (const key of allSearchAttributeKeys) {
      expect(customAttributes?.[key.name], key.name).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
  });

  it('are registered by the worker on a namespace that lacks them', async () => {
    const namespace = `sa-${Date.now()}`;
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    await expect
      .poll(() => connection.workflowService.describeNamespace({ namespace }).then(() => true, () => false))
      .toBe(true);
    expect(await ensureSearchAttributes(connection, namespace)).toEqual(allSearchAttributeKeys.map((key) => key.name));
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    expect(Object.keys(customAttributes ?? {})).toEqual(expect.arrayContaining(allSearchAttributeKeys.map((key) => key.name)));
  });

  it('are not registered twice: ensuring them on a server that has them adds nothing', async () => {
    expect(await ensureSearchAttributes(connection, settings.temporal.namespace)).toEqual([]);
  });
});
