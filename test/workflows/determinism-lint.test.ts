import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function ruleIdsFor(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((message) => message.ruleId ?? message.message);
}

describe('lint rules that keep workflow code deterministic', () => {
  it('bans Node built-ins in workflows/', async () => {
    expect(await ruleIdsFor("import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'workflows/bad.ts')).toContain(
      'no-restricted-imports',
    );
    expect(await ruleIdsFor("import crypto from 'crypto';\nexport const x = crypto;\n", 'workflows/bad.ts')).toContain('no-restricted-imports');
  });

  it('bans I/O libraries and value imports of activities in workflows/', async () => {
    expect(await ruleIdsFor("import { MongoClient } from 'mongodb';\nexport const x = MongoClient;\n", 'workflows/bad.ts')).toContain(
      'no-restricted-imports',
    );
    expect(
      await ruleIdsFor("import { createActivities } from '../activities/index.js';\nexport const x = createActivities;\n", 'workflows/bad.ts'),
    ).toContain('no-restricted-imports');
  });

  it('allows type-only activity imports and timers from @temporalio/workflow', async () => {
    const code = "import type { Activities } from '../activities/index.js';\nimport { sleep } from '@temporalio/workflow';\nexport type A = Activities;\nexport const s = sleep;\n";
    expect(await ruleIdsFor(code, 'workflows/good.ts')).toEqual([]);
  });

  it('bans setTimeout and process in workflows/ but not elsewhere', async () => {
    const code = 'export const t = () => setTimeout(() => process.exit(0), 1);\n';
    expect(await ruleIdsFor(code, 'workflows/bad.ts')).toEqual(['no-restricted-globals', 'no-restricted-globals']);
    expect(await ruleIdsFor(code, 'activities/fine.ts')).toEqual([]);
  });
});
