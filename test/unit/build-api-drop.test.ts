import { describe, expect, it } from 'vitest';
import { buildWorkbenchApi } from '../../shared/ipc/build-api';

describe('window.workbench drag-and-drop helper', () => {
  const invoke = async () => ({ ok: true as const, value: null });
  const subscribe = () => () => undefined;
  it('exposes the preload path lookup when given', () => {
    const api = buildWorkbenchApi(invoke, subscribe, (file) => (file === 'dropped' ? 'C:\\Share\\Certificates' : null));
    expect(api.pathForFile?.('dropped')).toBe('C:\\Share\\Certificates');
    expect(api.pathForFile?.('other')).toBeNull();
  });
  it('leaves it out when there is none (browser tests)', () => {
    expect(buildWorkbenchApi(invoke, subscribe).pathForFile).toBeUndefined();
  });
});
