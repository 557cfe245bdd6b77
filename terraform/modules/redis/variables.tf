variable "name" {
  description = "Name of the replication group and prefix of its resources' names, e.g. booking-dev."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets."
  type        = list(string)
}

variable "client_security_group_ids" {
  description = "Security groups allowed to connect, by the name of the service they belong to."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "KMS key for the storage and the snapshots."
  type        = string
}

variable "engine_version" {
  description = "Redis engine version."
  type        = string
  default     = "7.1"
}

variable "node_type" {
  description = "ElastiCache node type, e.g. cache.t4g.micro or cache.r7g.large."
  type        = string
}

variable "nodes" {
  description = "Nodes: a primary and its replicas; more than one fails over automatically across zones."
  type        = number

  validation {
    condition     = var.nodes >= 1 && var.nodes <= 6
    error_message = "Between 1 and 6 nodes."
  }
}

variable "snapshot_retention_days" {
  description = "Days of daily snapshots; 0 keeps none (it is a cache)."
  type        = number
  default     = 0
}
