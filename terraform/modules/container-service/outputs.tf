output "security_group_id" {
  description = "The service's security group: services it calls accept it as a caller."
  value       = aws_security_group.this.id
}

output "url" {
  description = "The service's base URL inside the VPC, http://<name>.<namespace>:<port>."
  value       = "http://${var.name}.${var.platform.namespace}:${var.port}"
}
