import 'reflect-metadata';
import { ApplicationModule } from './application.module';

type Provider = abstract new (...args: never[]) => unknown;

/**
 * Every constructor parameter of a provider names its token with @Inject: tools that compile without
 * decorator metadata (tsx, esbuild: the bench) would otherwise inject `undefined`, silently.
 */
describe('ApplicationModule providers', () => {
  const providers = Reflect.getMetadata('providers', ApplicationModule) as Provider[];

  it('lists its handlers', () => {
    expect(providers.length).toBeGreaterThan(20);
  });

  it.each(providers.map((p) => [p.name, p] as const))('%s declares a token for each constructor parameter', (_, p) => {
    // The types TypeScript saw (inherited by a handler that keeps its base class's constructor).
    const params = (Reflect.getMetadata('design:paramtypes', p) ?? []) as unknown[];
    const declared = (Reflect.getMetadata('self:paramtypes', p) ?? []) as { index: number }[];
    const indexes = declared.map((d) => d.index).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: params.length }, (_x, i) => i));
  });
});
