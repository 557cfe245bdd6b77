export function runProviderContractSuite(): void {}
