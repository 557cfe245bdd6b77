output "url" {
  description = "The public GraphQL endpoint."
  value       = module.load-balancer.url
}

output "connection_secrets" {
  description = "The provider subgraphs' connection secrets an operator puts values in, by subgraph."
  value       = { for name in keys(local.provider_connections) : name => module.secrets.secret_arns[name] }
}
