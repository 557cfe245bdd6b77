variable "environment" {
  description = "The environment's name (dev, staging, prod): part of every resource's name."
  type        = string
}

variable "region" {
  description = "AWS region of the environment."
  type        = string
}

variable "image_repository_prefix" {
  description = "Prefix of the ECR repositories (terraform/global): a service's images are in <prefix>/<service>."
  type        = string
  default     = "booking-platform"
}

variable "image_tag" {
  description = "Tag of the images to run, the same for every service: the commit the release pipeline built."
  type        = string
}

variable "domain_name" {
  description = "Host name of the public API, e.g. booking.dev.example.se."
  type        = string
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone of domain_name."
  type        = string
}

variable "network" {
  description = "The VPC: its address range (a /16), its availability zones and how many NAT gateways (1, or one per zone)."
  type = object({
    cidr_block         = string
    availability_zones = list(string)
    nat_gateways       = number
  })
}

variable "capacity" {
  description = "Task size (Fargate CPU units, MiB) and autoscaling bounds of the gateway, scheduling, and each provider subgraph."
  type = map(object({
    cpu                = number
    memory             = number
    min_count          = number
    max_count          = number
    cpu_target_percent = optional(number, 60)
  }))

  validation {
    condition     = alltrue([for tier in ["gateway", "scheduling", "providers"] : contains(keys(var.capacity), tier)])
    error_message = "Give the capacity of gateway, scheduling and providers."
  }
}

variable "simulators" {
  description = "Run the provider simulators (a development environment); the provider subgraphs' connection secrets then point at them."
  type        = bool
}

variable "postgres" {
  description = "The ledger database: instance class, storage and its autoscaling ceiling (GiB), a standby in another zone, days of backups."
  type = object({
    instance_class           = string
    allocated_storage_gb     = number
    max_allocated_storage_gb = number
    multi_az                 = bool
    backup_retention_days    = number
  })
}

variable "redis" {
  description = "The cache: node type and number of nodes (more than one fails over across zones)."
  type = object({
    node_type = string
    nodes     = number
  })
}

variable "deletion_protection" {
  description = "Protect what holds data or takes traffic: the database (and its final snapshot), the load balancer, and a 30-day recovery window for secrets."
  type        = bool
}

variable "fargate_spot" {
  description = "Run the tasks on Fargate Spot (cheaper, interruptible)."
  type        = bool
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the services' logs and metrics."
  type        = number
}

variable "trace_sample_ratio" {
  description = "Share of new traces recorded (0 to 1); a caller's sampling decision is followed."
  type        = number

  validation {
    condition     = var.trace_sample_ratio >= 0 && var.trace_sample_ratio <= 1
    error_message = "Between 0 and 1."
  }
}

variable "web_origins" {
  description = "Origins whose web pages may call the API (the gateway's CORS_ORIGINS): scheme, host and port, never \"*\"."
  type        = list(string)
  default     = []
}

variable "auth" {
  description = "How the gateway verifies client tokens: the identity provider's JWKS URL, the issuer and the audience its tokens carry."
  type = object({
    jwks_url = string
    issuer   = string
    audience = string
  })
}
