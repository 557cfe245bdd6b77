output "url" {
  description = "The public GraphQL endpoint."
  value       = module.platform.url
}

output "connection_secrets" {
  description = "The provider subgraphs' connection secrets to put values in, by subgraph."
  value       = module.platform.connection_secrets
}
