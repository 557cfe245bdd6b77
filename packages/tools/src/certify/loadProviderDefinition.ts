import type { AnyProviderDefinition } from '@booking/provider-kit';

/**
 * The provider definition (`defineProvider`) its package `@booking/provider-<system>` exports,
 * so that a provider `npm run new-provider` just made is certifiable without a registry entry.
 */
export async function loadProviderDefinition(system: string): Promise<AnyProviderDefinition> {
  if (!/^[a-z][a-z0-9-]*$/.test(system))
    throw new Error(`"${system}" is not a provider system name`);
  let module: Record<string, unknown>;
  try {
    module = (await import(`@booking/provider-${system}`)) as Record<string, unknown>;
  } catch {
    throw new Error(`there is no provider "${system}" (no package @booking/provider-${system})`);
  }
  const definition = Object.values(module).find(
    (value): value is AnyProviderDefinition =>
      typeof value === 'object' &&
      value !== null &&
      (value as AnyProviderDefinition).system === system &&
      'connectionFields' in value,
  );
  if (!definition) throw new Error(`@booking/provider-${system} exports no provider definition`);
  return definition;
}
