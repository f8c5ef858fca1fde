import path from 'node:path';
import { ESLint } from 'eslint';
import { PROJECT_ROOT } from '../../src/config.js';

/**
 * The layer rule (eslint/layers.js) as CI runs it: the project's own ESLint configuration, on
 * source text given the path of an existing file of each layer (the type-aware parser only
 * knows the project's files). A lower layer importing a higher one is an error.
 */
const eslint = new ESLint({ cwd: PROJECT_ROOT });

async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(PROJECT_ROOT, file) });
  return result.messages.filter((m) => m.ruleId === 'layers/import-direction').map((m) => m.message);
}

describe('layers lint rule', () => {
  it.each([
    ['src/auth/role.service.ts', "import { Cluster } from '../membership/cluster.entity.js';", 'auth must not import membership'],
    ['src/finance/money.ts', "import { Proposal } from '../governance/proposal.entity.js';", 'finance must not import governance'],
    ['src/governance/tally.ts', "import { FusionService } from '../fusion/fusion.service.js';", 'governance must not import fusion'],
    ['src/shared/csv.ts', "import type { Actor } from '../audit/audit.service.js';", 'shared must not import audit'],
    ['src/membership/french-identifiers.ts', "import type { AppDeps } from '../services.js';", 'membership must not import composition'],
    ['src/audit/audit.service.ts', "export { authorize } from '../auth/permissions.js';", 'audit must not import auth'],
  ])('%s: %s is refused', async (file, code, expected) => {
    const errors = await layerErrors(file, `${code}\nexport const x = 1;\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
  });

  it.each([
    ['src/fusion/fusion.service.ts', "import { SubsidyService } from '../finance/subsidy.service.js';"],
    ['src/governance/tally.ts', "import { Cluster } from '../membership/cluster.entity.js';"],
    ['src/membership/french-identifiers.ts', "import { ForbiddenError } from '../shared/errors.js';"],
    ['src/http/download.ts', "import { Proposal } from '../governance/proposal.entity.js';"],
    ['src/services.ts', "import { FusionService } from './fusion/fusion.service.js';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await layerErrors(file, `${code}\nexport const x = 1;\n`)).toEqual([]);
  });
});
