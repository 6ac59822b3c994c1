import { UpcasterRegistry } from './upcaster-registry';

describe('UpcasterRegistry', () => {
  const registry = new UpcasterRegistry()
    .register('ServiceDelivered', 1, (d) => ({
      ...(d as object),
      durationMinutes: (d as { hours: number }).hours * 60,
    }))
    .register('ServiceDelivered', 2, (d) => {
      const { hours: _h, ...rest } = d as { hours: number };
      return { ...rest, setting: 'home' };
    });

  it('upcasts old versions step by step to the latest shape', () => {
    expect(registry.latestVersion('ServiceDelivered')).toBe(3);
    expect(registry.upcast({ type: 'ServiceDelivered', schemaVersion: 1, data: { hours: 2 } })).toEqual({
      type: 'ServiceDelivered',
      schemaVersion: 3,
      data: { durationMinutes: 120, setting: 'home' },
    });
  });

  it('leaves current versions and unknown types untouched', () => {
    expect(registry.upcast({ type: 'ServiceDelivered', schemaVersion: 3, data: { x: 1 } }).data).toEqual({ x: 1 });
    expect(registry.upcast({ type: 'ProjectRegistered', schemaVersion: 1, data: { y: 2 } })).toEqual({
      type: 'ProjectRegistered',
      schemaVersion: 1,
      data: { y: 2 },
    });
  });

  it('refuses versions newer than the code and duplicate registrations', () => {
    expect(() => registry.upcast({ type: 'ServiceDelivered', schemaVersion: 4, data: {} })).toThrow(
      /newer than this code/,
    );
    expect(() => registry.register('ServiceDelivered', 1, (d) => d)).toThrow(/already registered/);
  });
});
