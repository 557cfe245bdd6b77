output "security_group_id" {
  description = "The load balancer's security group: the gateway accepts it as a caller."
  value       = aws_security_group.this.id
}

output "target_group_arn" {
  description = "Target group the gateway's tasks register in."
  value       = aws_lb_target_group.this.arn
}

output "url" {
  description = "The public GraphQL endpoint."
  value       = "https://${var.domain_name}/graphql"
}
