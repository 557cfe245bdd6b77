import { Supergraph } from '@apollo/federation-internals';

/** The subgraphs a supergraph joins, with the URLs recorded at composition. */
export function supergraphSubgraphs(supergraphSdl: string): { name: string; url: string }[] {
  return Supergraph.build(supergraphSdl)
    .subgraphs()
    .values()
    .map((subgraph) => ({ name: subgraph.name, url: subgraph.url }));
}
