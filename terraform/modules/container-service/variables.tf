variable "name" {
  description = "The service's name, as everywhere else: its folder's, the registry's, the supergraph's, the compose file's. Also its ECR repository's last segment and its DNS name."
  type        = string
}

variable "port" {
  description = "The port it listens on (its PORT), as in the registry."
  type        = number
}

variable "platform" {
  description = "What every service of an environment shares: names, network, cluster, image registry and tag, secrets key, telemetry."
  type = object({
    name                    = string
    region                  = string
    vpc_id                  = string
    private_subnet_ids      = list(string)
    namespace_id            = string
    namespace               = string
    cluster_name            = string
    fargate_spot            = bool
    image_repository_prefix = string
    image_tag               = string
    kms_key_arn             = string
    log_retention_days      = number
    environment             = map(string)
    collector = object({
      image                = string
      config_parameter_arn = string
      policy_arn           = string
    })
  })
}

variable "capacity" {
  description = "Task size (Fargate CPU units and MiB) and the autoscaling bounds of the task count, scaled to keep average CPU at cpu_target_percent."
  type = object({
    cpu                = number
    memory             = number
    min_count          = number
    max_count          = number
    cpu_target_percent = optional(number, 60)
  })

  validation {
    condition     = var.capacity.min_count >= 1 && var.capacity.max_count >= var.capacity.min_count
    error_message = "At least one task, and max_count not below min_count."
  }
}

variable "environment" {
  description = "Plain configuration variables of the service (its environment.ts), by name."
  type        = map(string)
  default     = {}
}

variable "secrets" {
  description = "Configuration variables read from Secrets Manager, by name: the secret's ARN and, for a JSON secret, the key within it."
  type = map(object({
    arn      = string
    json_key = optional(string)
  }))
  default = {}
}

variable "callers" {
  description = "Security groups allowed to call the service on its port, by the caller's name."
  type        = map(string)
  default     = {}
}

variable "target_group_arn" {
  description = "Load balancer target group to register the tasks in; null for a service that is not public."
  type        = string
  default     = null
}
