# The environment's secrets in Secrets Manager, encrypted with its own KMS key. Generated secrets
# get a random key when they are created; the others are created empty and an operator puts their
# values (`aws secretsmanager put-secret-value`). No value passes through Terraform's state: the
# generated ones are ephemeral and written write-only.

resource "aws_kms_key" "this" {
  description             = "Secrets and storage of ${var.name}"
  enable_key_rotation     = true
  deletion_window_in_days = var.recovery_window_days > 0 ? 30 : 7
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_secretsmanager_secret" "this" {
  for_each                = merge(var.generated, var.operated)
  name                    = "${var.name}/${each.key}"
  description             = each.value
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = var.recovery_window_days
}

# 43 letters and digits and a padding `=`: base64 of a 32-byte key (about 256 random bits).
ephemeral "aws_secretsmanager_random_password" "generated" {
  for_each            = var.generated
  password_length     = 43
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret_version" "generated" {
  for_each                 = var.generated
  secret_id                = aws_secretsmanager_secret.this[each.key].id
  secret_string_wo         = "${ephemeral.aws_secretsmanager_random_password.generated[each.key].random_password}="
  secret_string_wo_version = 1
}
