# The reservation ledger: PostgreSQL on RDS in the private subnets, reachable only from the
# services allowed to, encrypted at rest with the environment's key and in transit (TLS required).
# Its connection URL is a secret for scheduling's DATABASE_URL.

resource "aws_db_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.name}-postgres"
  description = "PostgreSQL of ${var.name}: from its clients only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each                     = var.client_security_group_ids
  security_group_id            = aws_security_group.this.id
  description                  = "PostgreSQL from ${each.key}"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_db_parameter_group" "this" {
  name   = var.name
  family = "postgres${var.engine_version}"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

# Letters and digits only: the password is part of a URL. Ephemeral and written write-only to
# the database and the URL secret, once, when they are created: never in Terraform's state.
ephemeral "aws_secretsmanager_random_password" "this" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_db_instance" "this" {
  identifier                 = var.name
  engine                     = "postgres"
  engine_version             = var.engine_version
  auto_minor_version_upgrade = true
  instance_class             = var.instance_class
  allocated_storage          = var.allocated_storage_gb
  max_allocated_storage      = var.max_allocated_storage_gb
  storage_type               = "gp3"
  storage_encrypted          = true
  kms_key_id                 = var.kms_key_arn
  db_name                    = "booking"
  username                   = "booking"
  password_wo                = ephemeral.aws_secretsmanager_random_password.this.random_password
  password_wo_version        = 1
  db_subnet_group_name       = aws_db_subnet_group.this.name
  vpc_security_group_ids     = [aws_security_group.this.id]
  parameter_group_name       = aws_db_parameter_group.this.name
  publicly_accessible        = false
  multi_az                   = var.multi_az
  backup_retention_period    = var.backup_retention_days
  copy_tags_to_snapshot      = true
  deletion_protection        = var.deletion_protection
  skip_final_snapshot        = !var.deletion_protection
  final_snapshot_identifier  = var.deletion_protection ? "${var.name}-final" : null
  apply_immediately          = !var.deletion_protection
}

resource "aws_secretsmanager_secret" "url" {
  name                    = "${var.name}/database-url"
  description             = "DATABASE_URL of scheduling: the ledger's PostgreSQL"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.deletion_protection ? 30 : 0
}

# TLS is required by the server; `no-verify` because the RDS certificate authority is not in
# Node's trust store (a follow-up: ship the RDS CA bundle in the image and verify).
resource "aws_secretsmanager_secret_version" "url" {
  secret_id                = aws_secretsmanager_secret.url.id
  secret_string_wo         = "postgres://booking:${ephemeral.aws_secretsmanager_random_password.this.random_password}@${aws_db_instance.this.endpoint}/booking?sslmode=no-verify"
  secret_string_wo_version = 1
}
