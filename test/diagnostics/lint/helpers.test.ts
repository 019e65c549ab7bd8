import { describe, expect, it } from 'vitest';
import { formatPath } from '../../../diagnostics/knowledge/lint/json-path.ts';
import { findPlaceholder } from '../../../diagnostics/knowledge/lint/placeholders.ts';
import { parseObjects } from '../../../diagnostics/knowledge/lint/spc/objects-parse.ts';
import { didYouMean, editDistance } from '../../../diagnostics/knowledge/lint/suggest.ts';
import { parseGoBool } from '../../../diagnostics/knowledge/lint/values.ts';

describe('lint helpers', () => {
  it('measures edit distance with transpositions', () => {
    expect(editDistance('secret', 'secret')).toBe(0);
    expect(editDistance('secrets', 'secret')).toBe(1);
    expect(editDistance('clinetID', 'clientID')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests case-only matches first and ignores distant words', () => {
    const keys = ['keyvaultName', 'tenantId', 'tenantID', 'clientID', 'usePodIdentity'];
    expect(didYouMean('keyVaultName', keys)).toBe('keyvaultName');
    expect(didYouMean('clientId', keys)).toBe('clientID');
    expect(didYouMean('tenantid', keys)).toBe('tenantId');
    expect(didYouMean('usePodIdentiy', keys)).toBe('usePodIdentity');
    expect(didYouMean('resourceGroup', keys)).toBeUndefined();
    expect(didYouMean('clientID', keys)).toBeUndefined();
  });

  it("parses booleans exactly like Go's strconv.ParseBool after TrimSpace", () => {
    expect(['1', 't', 'T', 'TRUE', 'true', 'True', ' true '].map(parseGoBool)).toEqual(Array(7).fill(true));
    expect(['0', 'f', 'F', 'FALSE', 'false', 'False', ''].map(parseGoBool)).toEqual(Array(7).fill(false));
    expect(['yes', 'no', 'tRUE', 'on', '2'].map(parseGoBool)).toEqual(Array(5).fill(undefined));
  });

  it('tells lab placeholders from template markers', () => {
    expect(findPlaceholder('<KEY_VAULT_NAME>')).toEqual({ kind: 'lab', token: '<KEY_VAULT_NAME>' });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal placeholder is the input under test
    expect(findPlaceholder('${KEYVAULT_NAME}')?.kind).toBe('template');
    expect(findPlaceholder('$KEYVAULT_NAME')?.kind).toBe('template');
    expect(findPlaceholder('{{ .Values.vault }}')?.kind).toBe('template');
    expect(findPlaceholder('<your-vault>')?.kind).toBe('template');
    expect(findPlaceholder('00000000-0000-0000-0000-000000000000')?.kind).toBe('template');
    expect(findPlaceholder('kv-class-a-lab')).toBeUndefined();
    expect(findPlaceholder('3f2a1c9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b')).toBeUndefined();
  });

  it('formats JSON paths', () => {
    expect(formatPath(['spec', 'parameters', 'objects', 'array', 1, 'objectType'])).toBe(
      'spec.parameters.objects.array[1].objectType',
    );
    expect(formatPath(['metadata', 'annotations', 'azure.workload.identity/client-id'])).toBe(
      'metadata.annotations["azure.workload.identity/client-id"]',
    );
    expect(formatPath([])).toBe('');
  });

  it('parses objects like the provider: every scalar is text, quotes are remembered', () => {
    const { objects, problems } = parseObjects(
      'array:\n  - |\n    objectName: 123\n    objectVersionHistory: "5"\n    filePermission: 0755\n',
    );
    expect(problems).toEqual([]);
    expect(objects[0]?.fields.get('objectName')).toEqual({ value: '123', quoted: false, collection: false });
    expect(objects[0]?.fields.get('objectVersionHistory')?.quoted).toBe(true);
    expect(objects[0]?.fields.get('filePermission')?.value).toBe('0755');
  });

  it("quotes the provider's error for the objects shapes reference 02 §5 describes", () => {
    const bareList = parseObjects('- |\n  objectName: a\n').problems[0]?.message;
    expect(bareList).toContain('cannot unmarshal !!seq into types.StringArray');
    const noArray = parseObjects('Array:\n  - |\n    objectName: a\n').problems[0]?.message;
    expect(noArray).toContain('missing object versions');
    const mapItem = parseObjects('array:\n  - objectName: a\n    objectType: secret\n').problems[0]?.message;
    expect(mapItem).toContain('cannot unmarshal !!map into string');
    const notYaml = parseObjects('array: [unclosed\n').problems[0]?.message;
    expect(notYaml).toContain('failed to yaml unmarshal objects');
  });
});
