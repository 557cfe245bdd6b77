output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "The VPC's address range."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Subnets for the load balancer."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Subnets for the services, the database and the cache."
  value       = aws_subnet.private[*].id
}

output "namespace_id" {
  description = "The private DNS namespace's id, for service registration."
  value       = aws_service_discovery_private_dns_namespace.this.id
}

output "namespace" {
  description = "The private DNS namespace's name: services are reached at <service>.<namespace>."
  value       = aws_service_discovery_private_dns_namespace.this.name
}
