output "kms_key_arn" {
  description = "The environment's KMS key: secrets, database and cache storage."
  value       = aws_kms_key.this.arn
}

output "secret_arns" {
  description = "The secrets' ARNs by name."
  value       = { for name, secret in aws_secretsmanager_secret.this : name => secret.arn }
}
