output "url" {
  description = "REDIS_URL of scheduling: TLS to the primary endpoint."
  value       = "rediss://${aws_elasticache_replication_group.this.primary_endpoint_address}:6379"
}
