output "url_secret_arn" {
  description = "The secret holding DATABASE_URL."
  value       = aws_secretsmanager_secret.url.arn
}

output "endpoint" {
  description = "host:port of the database."
  value       = aws_db_instance.this.endpoint
}
