# The staging environment: the platform module with staging's sizes. See docs/deploying.md.

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
    key          = "booking-platform/staging.tfstate"
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
      Environment = "staging"
    }
  }
}

module "platform" {
  source          = "../../modules/platform"
  environment     = "staging"
  region          = local.region
  image_tag       = var.image_tag
  domain_name     = var.domain_name
  route53_zone_id = var.route53_zone_id
  auth            = var.auth
  web_origins     = var.web_origins

  # Production's shape at a smaller size, against the providers' test systems.
  simulators          = false
  fargate_spot        = false
  deletion_protection = false
  log_retention_days  = 30
  trace_sample_ratio  = 1

  network = {
    cidr_block         = "10.20.0.0/16"
    availability_zones = ["eu-north-1a", "eu-north-1b", "eu-north-1c"]
    nat_gateways       = 1
  }

  capacity = {
    gateway    = { cpu = 512, memory = 1024, min_count = 2, max_count = 4 }
    scheduling = { cpu = 512, memory = 1024, min_count = 2, max_count = 4 }
    providers  = { cpu = 256, memory = 1024, min_count = 2, max_count = 4 }
  }

  postgres = {
    instance_class           = "db.t4g.medium"
    allocated_storage_gb     = 50
    max_allocated_storage_gb = 200
    multi_az                 = true
    backup_retention_days    = 7
  }

  redis = {
    node_type = "cache.t4g.small"
    nodes     = 2
  }
}
