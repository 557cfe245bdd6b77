variable "name" {
  description = "Name of the database instance and prefix of its resources' names, e.g. booking-dev."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets, in at least two availability zones."
  type        = list(string)
}

variable "client_security_group_ids" {
  description = "Security groups allowed to connect, by the name of the service they belong to."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "KMS key for the storage, the snapshots and the URL secret."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL major version; minor versions are upgraded automatically."
  type        = string
  default     = "17"
}

variable "instance_class" {
  description = "RDS instance class, e.g. db.t4g.micro or db.r7g.large."
  type        = string
}

variable "allocated_storage_gb" {
  description = "Initial storage in GiB."
  type        = number
}

variable "max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling in GiB."
  type        = number
}

variable "multi_az" {
  description = "A standby in a second availability zone that takes over on failure."
  type        = bool
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery)."
  type        = number
}

variable "deletion_protection" {
  description = "Refuse to delete the database, keep a final snapshot and a 30-day secret recovery window; changes wait for the maintenance window."
  type        = bool
}
