# The prod environment: the platform module with prod's sizes. See docs/deploying.md.

terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # The bucket and its region come from `terraform init -backend-config=…` (release workflow).
  backend "s3" {
    key          = "booking-platform/prod.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}

locals {
  region = "eu-north-1"
}

provider "aws" {
  region = local.region

  default_tags {
    tags = {
      Project     = "booking-platform"
      Environment = "prod"
    }
  }
}

module "platform" {
  source          = "../../modules/platform"
  environment     = "prod"
  region          = local.region
  image_tag       = var.image_tag
  domain_name     = var.domain_name
  route53_zone_id = var.route53_zone_id
  auth            = var.auth
  web_origins     = var.web_origins

  # The providers' production systems; every zone, protected, sampled traces.
  simulators          = false
  fargate_spot        = false
  deletion_protection = true
  log_retention_days  = 365
  trace_sample_ratio  = 0.1

  network = {
    cidr_block         = "10.30.0.0/16"
    availability_zones = ["eu-north-1a", "eu-north-1b", "eu-north-1c"]
    nat_gateways       = 3
  }

  capacity = {
    gateway    = { cpu = 1024, memory = 2048, min_count = 3, max_count = 12 }
    scheduling = { cpu = 1024, memory = 2048, min_count = 3, max_count = 12 }
    providers  = { cpu = 512, memory = 1024, min_count = 2, max_count = 8 }
  }

  postgres = {
    instance_class           = "db.r7g.large"
    allocated_storage_gb     = 100
    max_allocated_storage_gb = 1000
    multi_az                 = true
    backup_retention_days    = 35
  }

  redis = {
    node_type = "cache.r7g.large"
    nodes     = 3
  }
}
